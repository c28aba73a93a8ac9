"""Review page, frame by frame: the annotated frame, its facts, and the buttons that move
through the clip (frames, contacts or reps, flags, a stretch's start).

One frame is read and drawn per rerun with :mod:`formcheck.render` from
:mod:`formcheck.report.review`'s facts; nothing here measures or judges.
"""

from __future__ import annotations

import html
from pathlib import Path

import cv2
import streamlit as st

from formcheck.cues.format import fmt_shown, fmt_value
from formcheck.cues.judge import form_status
from formcheck.errors import FormcheckError
from formcheck.report.model import Report
from formcheck.report.review_overlay import overlay_for_frame
from formcheck.ui import clips, widgets


def _frame_controls(report: Report, n: int) -> int:
    """Navigation buttons and the slider; returns the series index shown (0-based).

    The slider holds the frame *number* (1..n), as the page shows it.
    """
    from formcheck.report import review as rv

    key = "fc_frame"
    if key not in st.session_state or not 1 <= st.session_state[key] <= n:
        st.session_state[key] = 1

    def go(i: int | None) -> None:  # i: a series index (0-based)
        if i is not None:
            st.session_state[key] = max(1, min(n, int(i) + 1))

    cur = int(st.session_state[key]) - 1
    is_run = report.activity == "run"
    what = "contact" if is_run else "rep"
    prev_ev = rv.prev_contact if is_run else rv.prev_rep
    next_ev = rv.next_contact if is_run else rv.next_rep
    buttons = (
        ("Start", ":material/first_page:", 0),
        ("Prev frame", ":material/chevron_left:", cur - 1),
        ("Next frame", ":material/chevron_right:", cur + 1),
        (f"Prev {what}", ":material/skip_previous:", prev_ev(report, cur)),
        (f"Next {what}", ":material/skip_next:", next_ev(report, cur)),
        ("Prev flag", ":material/arrow_back:", rv.prev_flag(report, cur)),
        ("Next flag", ":material/flag:", rv.next_flag(report, cur)),
        ("End", ":material/last_page:", n - 1),
    )
    order = (*buttons[:3], *buttons[3:7], buttons[7])
    # one row that wraps; on a phone the buttons show their icons only (FRAMES_CSS),
    # so the eight take one or two rows above the frame, not eight
    with st.container(horizontal=True, gap="small", key="fc_nav_row"):
        for label, icon, target in order:
            st.button(
                label,
                icon=icon,
                on_click=go,
                args=(target,),
                key=f"fc_nav_{label.replace(' ', '_').lower()}",
                disabled=target is None,
                help=label,
            )
    st.slider("Frame", 1, max(n, 2), key=key, label_visibility="collapsed", disabled=n < 2)
    return int(st.session_state[key]) - 1


#: The frame fits the screen's height (a portrait phone clip, feet included, with the
#: navigation above it); on a phone the navigation buttons show their icons only, their
#: words kept for screen readers (issue 20, item 9).
FRAMES_CSS = """
<style>
.st-key-fc_frame_pic img {max-height: 70vh !important; width: auto !important;
                          max-width: 100% !important; object-fit: contain;}
@media (max-width: 640px) {
  .st-key-fc_nav_row {gap: 0.3rem !important;}
  .st-key-fc_nav_row button {padding: 0.2rem 0.45rem !important; min-height: 2.2rem;}
  .st-key-fc_nav_row button [data-testid="stMarkdownContainer"] {
    position: absolute !important; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap;}
  .st-key-fc_frame_pic img {max-height: 60vh !important;}
}
</style>
"""


def go_to_time(report: Report, t_s: float) -> None:
    """Show the frame at ``t_s`` in the scrubber (a stretch's jump button)."""
    from formcheck.report import review as rv

    st.session_state["fc_frame"] = rv.index_at_time(report, t_s) + 1


def _frame_source(clip: Path) -> clips.FrameSource:
    src = st.session_state.get("fc_frame_source")
    if src is None or src.path != clip:
        if src is not None:
            src.close()
        src = clips.FrameSource(clip)
        st.session_state["fc_frame_source"] = src
    return src  # type: ignore[no-any-return]


def _cue_class(state: object) -> str:
    """A cue's box: red for a correction (said while the form is flagged), slate for a
    count or a word of praise, so red always means something to work on."""
    form = getattr(state, "form", None)
    return "fc-cue" if form_status(form) == "work_on" else "fc-cue fc-cue-said"


def scrubber(clip: Path, report: Report) -> None:
    """Frame-by-frame review with the overlay, the facts of the frame, and navigation."""
    from formcheck.render.frame import FrameAnnotator
    from formcheck.report import review as rv

    n = rv.n_frames(report)
    if n == 0:
        st.info("This report has no frames to review.")
        return
    st.html(FRAMES_CSS)
    i = _frame_controls(report, n)
    fr = rv.frame_review(report, i)
    pic, facts = st.columns([3, 2])
    with pic, st.container(key="fc_frame_pic"):
        try:
            img = _frame_source(clip).get(fr.source_frame, fr.t_s)
            img = FrameAnnotator().annotate(img.copy(), overlay_for_frame(report, i))
            h, w = img.shape[:2]
            if max(h, w) > 960:  # a screen-sized picture is enough and keeps reruns light
                f = 960 / max(h, w)
                img = cv2.resize(img, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
                h, w = img.shape[:2]
            if h > w:  # portrait phone clip: about 600 px tall, not the column's width
                st.image(img, channels="BGR", width=round(600 * w / h))
            else:
                st.image(img, channels="BGR", width="stretch")
        except FormcheckError as exc:
            widgets.show_error(exc)
    with facts:
        st.markdown(
            f'<div class="fc-big-label">Frame</div><div style="font-size:1.6rem;font-weight:600">'
            f'<span id="fc-frame-no">{i + 1}</span> / {n} '
            f'<span style="font-size:1rem;color:#555">at <span id="fc-frame-t">'
            f"{fr.t_s:.2f}</span> s</span></div>",
            unsafe_allow_html=True,
        )
        st_ = fr.state
        if st_ is not None:
            bits = []
            if st_.phase:
                bits.append(f"phase **{st_.phase.replace('_', ' ')}**")
            if st_.form:
                bits.append(f"form **{st_.form.replace('_', ' ')}**")
            if st_.reps is not None:
                bits.append(f"reps **{st_.reps}**")
            if st_.hold_s is not None:
                bits.append(f"hold **{fmt_value(st_.hold_s, 's')}**")
            if bits:
                st.markdown(", ".join(bits))
        if not fr.has_pose:
            st.caption("No person found in this frame.")
        if fr.angles:
            from formcheck.render.angles import pretty_name

            lines = []
            for k, v in fr.angles.items():
                if v is None or v != v:
                    continue
                label, unit = pretty_name(k)
                lines.append(f"- {label}: **{fmt_shown(v, unit)}**")
            st.markdown("\n".join(lines))
        if fr.cue:
            st.markdown(
                f'<span class="{_cue_class(fr.state)}" style="font-size:1.2rem">'
                f"{html.escape(fr.cue)}</span>",
                unsafe_allow_html=True,
            )
        for e in fr.events_near:
            side = f" ({e.side})" if e.side else ""
            st.caption(f"{e.kind.replace('_', ' ')}{side} at {e.t_s:.2f} s")
        for f in fr.active_findings:
            st.warning(f.message)
