"""Start page: the three ways in (live exercise, live running, review a clip) with
where to put the camera for each, and the bundled sample one click away.

Words from :mod:`formcheck.cues.words`; the sample button hands Review its clip and
asks it to analyse at once (``fc_review_source`` and ``fc_analyse_now``).
"""

from __future__ import annotations

import streamlit as st

from formcheck.cues import words
from formcheck.cues import words_routines as rw
from formcheck.ui import clips, nav, widgets
from formcheck.ui.review_choose import SOURCES


def open_sample() -> None:
    """Review, with the bundled sample chosen and analysed as soon as it opens."""
    st.session_state["fc_review_source"] = SOURCES[2]
    st.session_state["fc_review_activity"] = "run"
    st.session_state["fc_analyse_now"] = True
    nav.goto("review")


def page() -> None:
    widgets.inject_css()
    st.title("formcheck")
    st.markdown(words.START_INTRO)
    for col, (name, title, how) in zip(st.columns(3), words.START_WAYS, strict=True):
        with col, st.container(border=True):
            st.markdown(f"#### {title}")
            st.markdown(how)
            if st.button(title, key=f"fc_start_{name}", width="stretch"):
                nav.goto(name)
            if (
                name == "review"
                and clips.SAMPLE_CLIP.is_file()
                and st.button(
                    words.START_SAMPLE_BUTTON,
                    key="fc_start_sample",
                    type="primary",
                    help=words.START_SAMPLE_HELP,
                    icon=":material/play_arrow:",
                    width="stretch",
                )
            ):
                open_sample()
    line, go = st.columns([4, 1], vertical_alignment="center")
    line.markdown(rw.START_LINE)
    if go.button(rw.START_BUTTON, key="fc_start_routine", width="stretch"):
        nav.goto("routine")
    widgets.footer()
