"""Guided routine page: pick a routine, START, and the moves follow one another.

The live webcam runs the current move with its overlay (the skeleton, the count or the
hold, the routine's band at the foot of the picture); the next move is announced on the
page and by the browser's voice (the live page's speech path); the routine moves on by
itself when a move's dose is met, or on **Next move**; the summary comes at the end, saved
to history. Below: build a routine of your own. Words from
:mod:`formcheck.cues.words_routines`; nothing is judged here.
"""

from __future__ import annotations

import html

import streamlit as st

import formcheck.activities as activities
import formcheck.routines as routines_table
from formcheck.cues import words
from formcheck.cues import words_routines as rw
from formcheck.cues.format import fmt_clock
from formcheck.pipeline.routine import summary_line
from formcheck.routines import Routine
from formcheck.ui import data, live_layout, livecam, nav, routine_build, routinecam, widgets


def choices() -> list[Routine]:
    """The built-in routines, then the user's own (a history problem is shown, not raised)."""
    own: list[Routine] = []
    with widgets.shown_errors("reading your routines"):
        own = data.user_routines()
    return [*routines_table.ROUTINES, *own]


def _label(r: Routine) -> str:
    return r.label if r.builtin else f"{r.label} ({rw.MADE_BY_USER})"


def _numbers(ctl: routinecam.RoutineController) -> None:
    rs = ctl.routine_snapshot()
    if rs is None or rs.index is None or rs.activity is None:
        return
    st.markdown(
        f'<div class="fc-big-label" id="fc-routine-step">{rs.index + 1}/{rs.n_steps} · '
        f"{html.escape(activities.plain_label(rs.activity))}</div>",
        unsafe_allow_html=True,
    )
    # the count toward the move's dose (all sides together; the line below splits it)
    if rs.measure == "reps":
        widgets.big_number(rw.COUNT_LABELS["reps"], f"{rs.total:.0f}", "", key="reps")
    else:
        label = rw.COUNT_LABELS.get(rs.measure or "", "")
        widgets.big_number(label, fmt_clock(rs.total), "s", key="hold")
    st.markdown(
        f'<span id="fc-routine-progress">{html.escape(rs.progress)}</span>',
        unsafe_allow_html=True,
    )
    # a callback: the skip happens before the panel is drawn again, so it shows the new move
    st.button(rw.NEXT_BUTTON, key="fc_routine_next", icon=":material/skip_next:", on_click=ctl.skip)


def _panel(playing: bool, muted: bool) -> None:
    if not nav.is_current("routine"):
        return  # a timed rerun that arrived after the user left this page
    ctl = routinecam.controller()
    warning = ctl.tick(playing)
    cues = ctl.take_cues()
    rs = ctl.routine_snapshot()
    _numbers(ctl)
    said = rs.announcement if rs is not None else ""
    if rs is None and ctl.last_routine is not None:
        said = rw.routine_done(ctl.last_routine.summary.label)
    st.markdown(
        f'<span class="fc-cue fc-cue-said" id="fc-routine-next">{html.escape(said)}</span>'
        if said
        else f'<span class="fc-cue-idle" id="fc-routine-next">'
        f"{html.escape(rw.WAITING if playing else rw.IDLE)}</span>",
        unsafe_allow_html=True,
    )
    snap = rs.live if rs is not None else None
    if snap is not None and snap.cue:
        st.markdown(
            f'<span class="fc-cue" id="fc-cue">{html.escape(snap.cue)}</span>',
            unsafe_allow_html=True,
        )
    livecam.speech(cues, ctl.token, muted)
    if rs is not None and rs.activity is not None and rs.activity in words.SETUP_TIPS:
        st.caption(words.SETUP_TIPS[rs.activity])  # where the camera goes for this move
    if snap is not None:
        widgets.live_stats(snap)
    if ctl.start_error:
        st.error(ctl.start_error)
    for problem in rs.problems if rs is not None else ():
        st.warning(problem)
    if warning:
        st.warning(warning, icon=":material/videocam_off:")
    if ctl.store_error:
        st.warning(words.history_problem(ctl.store_error))
    _summary(ctl)


def _summary(ctl: routinecam.RoutineController) -> None:
    out = ctl.last_routine
    if out is None:
        return
    with st.container(border=True, key="fc_routine_summary"):
        s = out.summary
        st.markdown(f"**{html.escape(rw.SUMMARY_TITLE)}: {html.escape(s.label)}**")
        st.markdown(
            "\n".join(
                f'- <span class="fc-routine-line">{html.escape(summary_line(x))}</span>'
                for x in s.steps
            ),
            unsafe_allow_html=True,
        )
        if out.run_id is not None:
            st.markdown(
                rw.SUMMARY_SAVED.format(rid=f'<span id="fc-routine-run-id">{out.run_id}</span>'),
                unsafe_allow_html=True,
            )
        else:
            st.markdown(html.escape(rw.SUMMARY_NOT_SAVED.format(why=out.store_error or "")))
        if st.button(rw.SEE_HISTORY, key="fc_routine_history", icon=":material/history:"):
            nav.goto("history")


def page() -> None:
    widgets.inject_css()
    pool = livecam.estimator_pool()
    pool.prewarm()
    ctl = routinecam.controller()
    lock_key = "fc_routine_lock"
    running = bool(st.session_state.get(lock_key, False))
    live_layout.compact()
    st.title(rw.PAGE_TITLE)
    st.caption(rw.PAGE_INTRO)
    options = choices()
    by_name = {r.name: r for r in options}
    pick_col, speak_col = st.columns([4, 1], vertical_alignment="bottom")
    with pick_col:
        name = st.selectbox(
            rw.PICK,
            list(by_name),
            format_func=lambda n: _label(by_name[n]),
            key="fc_routine_pick",
            disabled=running,
        )
    with speak_col:
        speak = st.toggle(words.SPEAK_CUES, value=True, key="fc_routine_speak")
    routine = by_name.get(name) or options[0]  # one just renamed or deleted: the first
    unknown = [s.activity for s in routine.steps if s.activity not in activities.BY_NAME]
    if unknown:
        st.warning(rw.moves_not_available(unknown), icon=":material/info:")
    pic, side = st.columns([3, 2], gap="medium")
    with side, st.expander(rw.STEPS_HEADING, expanded=not running):
        st.markdown(routine_build.step_list(routine.steps))
    with pic:
        playing = live_layout.camera("fc-routine", ctl)
    if playing:
        ctl.arm_routine(routine, widgets.current_settings(), pool)
    else:
        ctl.camera_stopped()
        if ctl.session is not None:
            ctl.finish(partial=True, reason="stopped")
    if playing != running:
        st.session_state[lock_key] = playing
        st.rerun()
    with side:
        every = live_layout.PANEL_EVERY_S if playing else None
        st.fragment(run_every=every)(_panel)(playing, not speak)
    routine_build.builder()
    widgets.footer()
