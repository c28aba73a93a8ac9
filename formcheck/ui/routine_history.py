"""The History page's "Routines done" box: each guided routine with its moves' lines
(as the routine page's summary words them) and the history sessions of its moves."""

from __future__ import annotations

import html

import streamlit as st

from formcheck.cues import words_routines as rw
from formcheck.cues.format import local_time
from formcheck.pipeline.routine import summary_line
from formcheck.ui import data, widgets


def routines_done() -> None:
    """The routines done, newest first (nothing when there are none)."""
    runs = []
    with widgets.shown_errors("reading the routines done"):
        runs = data.routine_runs()
    if not runs:
        return
    st.markdown(f"#### {rw.HISTORY_HEADING}")
    st.markdown(
        f'<span id="fc-routine-run-count">{len(runs)}</span> routine(s).', unsafe_allow_html=True
    )
    for run in runs:
        steps = run.summary.get("steps") or []
        done = sum(1 for s in steps if s.get("status") == "done")
        title = rw.routine_record_title(run.label, done, len(steps))
        with st.expander(f"#{run.id} · {local_time(run.created_at)} · {title}"):
            st.markdown(
                "\n".join(
                    f'- <span class="fc-routine-line">{html.escape(summary_line(s))}</span>'
                    for s in steps
                ),
                unsafe_allow_html=True,
            )
            if run.session_ids:
                st.caption(rw.history_sessions(run.session_ids))
