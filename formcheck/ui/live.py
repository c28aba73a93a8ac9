"""Live exercise page: webcam coaching for bridges, planks, side planks and bird dogs.

The picture (with the skeleton, angles and the cue drawn on it) comes back
from the frame callback through streamlit-webrtc; the big counter, the cue
and its speech are drawn by a fragment that reads the session's snapshot
twice a second. START begins a session, STOP saves it to history.
:func:`render_live` is shared with the Live running page.
"""

from __future__ import annotations

import html

import streamlit as st

import formcheck.activities as activities
from formcheck.cues import words
from formcheck.cues.format import fmt, fmt_clock
from formcheck.cues.judge import form_status
from formcheck.pipeline.live_state import LiveSnapshot, headline_text, session_numbers
from formcheck.results import MetricStatus
from formcheck.ui import live_layout, livecam, nav, widgets
from formcheck.ui.moves import move_label, moves_by_group

#: The moves of the picker, grouped: warm-up, strength, cool-down (about 25 moves).
EXERCISES = tuple(moves_by_group())
#: What the page opens on: the glute bridge, the first of the core-and-glute work the
#: page was made for (the list itself starts with the warm-up moves).
DEFAULT_EXERCISE = "glute-bridge"

CAMERA_CHOICES = ("This browser's camera", "A camera on this computer")


# -----------------------------------------------------------------------------------------
def _statuses(snap: LiveSnapshot | None) -> dict[str, MetricStatus]:
    """The statuses the analyzer judged the live numbers by (LiveUpdate.statuses)."""
    return dict(snap.statuses) if snap is not None else {}


def _numbers(snap: LiveSnapshot | None, kind: str) -> None:
    """The big numbers: reps or hold time, or the three running numbers, each with the
    status the analysis gave it and the target it is judged by."""
    if kind == "run":
        from formcheck.pipeline.live_state import RUN_METRICS

        o = widgets.current_settings().thresholds
        statuses = _statuses(snap)
        # one row of three on a phone (LIVE_CSS), one under the other beside the picture
        with st.container(key="fc_run_numbers"):
            for key, label, unit in RUN_METRICS:
                v = snap.metrics.get(key) if snap else None
                old = snap.held.get(key) if snap and v is None else None
                with st.container(key=f"fc_run_{key}"):
                    widgets.big_number(
                        label,
                        fmt(v if old is None else old, unit, "--"),
                        unit,
                        key=key.split("_")[0],
                        status=statuses.get(key) if old is None else None,
                        held=words.LIVE_HELD if old is not None else None,
                    )
                    target = words.target_text("run", key, o)
                    acc = snap.accuracy.get(key, "") if snap else ""
                    st.caption(" · ".join(x for x in (target, acc) if x))
        if snap is not None and snap.metrics.get("window_s"):
            st.caption(words.live_window(snap.metrics["window_s"]))
        return
    activity = snap.activity if snap else st.session_state.get("fc_live_activity", "glute-bridge")
    if activities.is_hold(activity):
        hold = snap.hold_s if snap else None
        widgets.big_number("Hold", fmt_clock(hold), "s", key="hold")
        if snap and snap.form:
            widgets.status_line(snap.form.replace("_", " "), form_status(snap.form))
    else:
        reps = snap.reps if snap and snap.reps is not None else 0
        widgets.big_number("Reps", str(reps), "", key="reps")
        if snap is not None:  # the picture's own lines, from the same snapshot
            for line in headline_text(snap)[1]:
                if line == words.LIVE_NOBODY_YET:
                    continue  # said below, with what to do
                st.caption(
                    f'<span class="fc-live-line">{html.escape(line)}</span>', unsafe_allow_html=True
                )


def _cue(snap: LiveSnapshot | None) -> None:
    if snap and snap.cue:
        st.markdown(
            f'<span class="fc-cue" id="fc-cue">{html.escape(snap.cue)}</span>',
            unsafe_allow_html=True,
        )
    else:
        st.markdown(
            '<span class="fc-cue-idle" id="fc-cue">No cue right now.</span>', unsafe_allow_html=True
        )


def page_name(kind: str) -> str:
    """The :data:`nav.PAGES` name of the live page for ``kind``."""
    return "live_run" if kind == "run" else "live"


def live_panel(kind: str, playing: bool, muted: bool) -> None:
    """The live panel as a fragment: rerun twice a second while the camera plays, once
    otherwise (a stopped page has nothing new to show, and a timer left running goes
    on firing after the user moves to another page)."""
    every = live_layout.PANEL_EVERY_S if playing else None
    st.fragment(run_every=every)(_panel)(kind, playing, muted)


def _panel(kind: str, playing: bool, muted: bool) -> None:
    """Numbers, cue, speech, camera checks, errors, and the last session (saved by
    STOP, or ended here when the camera stopped sending)."""
    if not nav.is_current(page_name(kind)):
        return  # a timed rerun that arrived after the user left this page
    ctl = livecam.controller(kind)
    warning = ctl.tick(playing)
    if warning and ctl.session is None:  # the session was ended: keep saying why
        st.session_state[f"fc_live_warning_{kind}"] = warning
    sess = ctl.session
    snap = sess.snapshot() if sess is not None else None
    _numbers(snap, kind)
    _cue(snap)
    if snap is not None and snap.busy:
        st.warning(snap.busy, icon=":material/speed:")
    livecam.speech(ctl.take_cues(), ctl.token, muted)
    if ctl.start_error:
        st.error(ctl.start_error)
    if snap is not None:
        widgets.live_stats(snap, rate=True)
        if snap.frames and snap.frames_with_pose == 0:
            st.info("Nobody in view yet: step back until your whole body is in the picture.")
        if snap.errors:
            msg = (
                f"Analysis stopped after {snap.errors} failed frames: {snap.last_error}. "
                "Press STOP to save what was recorded, then START again."
                if snap.stopped
                else f"{snap.errors} frame(s) could not be analysed: {snap.last_error}"
            )
            st.error(msg, icon=":material/error:")
    elif playing and not ctl.start_error:
        st.caption("Waiting for the camera picture ...")
    elif not playing:
        st.caption("Press START under the picture to begin.")
    warn = warning or st.session_state.get(f"fc_live_warning_{kind}")
    if warn:
        st.warning(warn, icon=":material/videocam_off:")
    if ctl.store_error:
        st.warning(words.history_problem(ctl.store_error))
    # Here, not after the page: a session this fragment's tick ended (the camera lost)
    # must show what was saved at once, without waiting for a full rerun.
    _last_session(kind)


def _last_session(kind: str) -> None:
    ctl = livecam.controller(kind)
    out = ctl.last_outcome
    if out is None:
        return
    with st.container(border=True):
        if out.report is None:
            st.markdown(f"**Last session not saved:** {out.error}")
            return
        rep = out.report
        bits = session_numbers(rep)
        if bits and rep.source.duration_s:  # the numbers above cover the last seconds only
            bits[-1] += " " + words.live_whole_session(rep.source.duration_s)
        state = " (partial: " + out.reason + ")" if out.partial else ""
        saved = (
            f'Saved to history as session <span id="fc-saved-id">{ctl.last_saved_id}</span>.'
            if ctl.last_saved_id is not None
            else "Not saved to history."
        )
        st.markdown(
            f"**Last session{html.escape(state)}:** {html.escape(', '.join(bits) or 'done')}. "
            + saved,
            unsafe_allow_html=True,
        )
        if st.button("See its summary", key=f"fc_live_summary_{kind}", icon=":material/insights:"):
            nav.open_summary(rep, ctl.last_saved_id)


# -----------------------------------------------------------------------------------------
def render_live(kind: str) -> None:
    """The live page for ``kind`` = "exercise" or "run"."""
    widgets.inject_css()
    pool = livecam.estimator_pool()
    pool.prewarm()
    ctl = livecam.controller(kind)
    # The controls are locked while the camera plays: from the streamer's state as this
    # run found it (see the end of this function), not from the session, which starts
    # with the first frame and ends after the widgets are drawn.
    lock_key = f"fc_live_lock_{kind}"
    running = bool(st.session_state.get(lock_key, False))
    live_layout.compact()
    st.title("Live running" if kind == "run" else "Live exercise")
    # The choices in one row above the picture (on a phone: the exercise is chosen
    # above START); the picture, START and the numbers side by side below it, so a
    # laptop screen shows them all without scrolling (issue 20, item 9).
    if kind == "run":
        activity = "run"
        cam_col, speak_col = st.columns([4, 1], vertical_alignment="bottom")
    else:
        pick_col, cam_col, speak_col = st.columns([2, 3, 1], vertical_alignment="bottom")
        with pick_col:
            activity = st.selectbox(
                "Exercise",
                EXERCISES,
                index=EXERCISES.index(DEFAULT_EXERCISE),
                format_func=move_label,
                key="fc_live_activity",
                disabled=running,
            )
    with cam_col:
        camera = st.radio(
            "Camera",
            CAMERA_CHOICES,
            horizontal=True,
            key=f"fc_live_camera_{kind}",
            disabled=running,
        )
        local = None
        if camera == CAMERA_CHOICES[1]:
            local = int(
                st.number_input(
                    "Camera number (0 = the first camera)",
                    0,
                    9,
                    0,
                    key=f"fc_live_index_{kind}",
                    disabled=running,
                )
            )
            st.caption("The picture is read on this computer and sent to this page.")
    with speak_col:
        speak = st.toggle(words.SPEAK_CUES, value=True, key=f"fc_live_speak_{kind}")
    pic, side = st.columns([3, 2], gap="medium")
    with pic:
        playing = live_layout.camera(f"fc-live-{kind}", ctl, local_camera=local)
    if playing:
        if not ctl.running():
            st.session_state.pop(f"fc_live_warning_{kind}", None)
        ctl.arm(activity, widgets.current_settings(), pool)
    elif ctl.session is not None:
        ctl.finish(partial=False, reason="stopped")
    if playing != running:
        # START or STOP was pressed after the controls were drawn: draw them again,
        # locked or usable as the camera now is (one run, not one user action, late)
        st.session_state[lock_key] = playing
        st.rerun()
    with side:
        live_panel(kind, playing, not speak)
    st.caption(words.SETUP_TIPS[activity])
    with st.expander("If the camera does not start"):
        st.markdown(
            "- **Permission refused:** allow the camera for this page (camera icon in the "
            "address bar), then press START again.\n"
            "- **Camera in use:** close video-call or camera apps, then press START again.\n"
            "- **No camera:** plug one in, or choose *A camera on this computer*.\n"
            "- **Open the app on this computer** (http://127.0.0.1:8501): browsers only "
            "allow cameras on localhost or https.\n"
            "- **No browser camera at all:** record a clip with your phone and use "
            "*Review a clip*, or run `formcheck live` in a terminal."
        )
    widgets.footer()


def page() -> None:
    render_live("exercise")
