"""streamlit-webrtc glue for the Live pages: offline ICE, the frame callback, speech.

* **Offline.** ``rtc_configuration={"iceServers": []}`` is passed for the
  browser *and* the server side: without it streamlit-webrtc fills in Google
  STUN or fetches TURN credentials (whitphx/streamlit-webrtc#1927, #1944),
  and ICE waits ~45 s on a closed network (#1976). On one machine the host
  candidates are enough.
* **The frame callback** runs in the webrtc worker thread. It hands the frame
  to the browser session's :class:`LiveController`, which runs the shared
  :class:`~formcheck.pipeline.live.LiveSession` (pose -> analyzer -> overlay)
  and returns the annotated frame. Failures are caught inside the session and
  drawn on the picture, never silently echoed (whitphx/streamlit-webrtc#2103).
* **Results to the page** through the session's lock-protected snapshot and
  cue queue, read by a fragment that reruns twice a second; no ``st.image`` loop.
* **Speech** uses the browser's own ``speechSynthesis`` with an on-device voice
  only (no network voice), one message at a time, muted on request.
* **A camera on this computer** (OpenCV index) can feed the same page through
  :class:`LocalCameraPlayer` (the server sends the annotated picture to the
  browser), for when the browser cannot reach the camera.
"""

from __future__ import annotations

import asyncio
import fractions
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import av
import numpy as np
import streamlit as st

from formcheck.cues.words_camera import CAMERA_ERRORS, TRANSLATIONS, local_camera_unavailable
from formcheck.errors import FormcheckError
from formcheck.pipeline.live import LiveSession, new_analyzer, start_recording
from formcheck.pipeline.live_state import LiveOutcome, SpokenCue
from formcheck.pose.pool import EstimatorLease, EstimatorPool
from formcheck.settings import Settings
from formcheck.video.camera import CameraStream

#: Both sides of the peer connection: no STUN/TURN, nothing contacted.
RTC_CONFIGURATION: dict[str, Any] = {"iceServers": []}

#: Seconds without a frame while the stream says it is playing: the page warns
#: that the camera may be gone (unplugged, taken by another app, tab in the
#: background). Longer than the 2 s OpenCV watchdog: a WebRTC stream can stall
#: about a second while the browser renegotiates bandwidth, more on a loaded machine.
BROWSER_STALL_S = 4.0

#: Seconds without a frame after which the session is ended and saved as
#: partial (the browser may be gone for good: a closed tab never presses STOP).
BROWSER_LOST_S = 15.0


@st.cache_resource(show_spinner=False)
def estimator_pool() -> EstimatorPool:
    """One pool of pose estimators for the whole server process (loaded once)."""
    return EstimatorPool()


# -----------------------------------------------------------------------------------------
class LiveController:
    """One browser tab's live coaching: the current LiveSession and its history record.

    The webrtc worker thread calls :meth:`on_frame`; the page thread calls
    :meth:`arm`, :meth:`tick` and :meth:`finish`. A session starts on the first
    frame after :meth:`arm` and ends with :meth:`finish`.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.activity = "run" if kind == "run" else "glute-bridge"
        self.settings = Settings()
        self.session: LiveSession | None = None
        self.token = uuid.uuid4().hex[:8]
        self.armed = False
        self.start_error: str | None = None
        self.store_error: str | None = None
        self.last_outcome: LiveOutcome | None = None
        self.last_saved_id: int | None = None
        self.pool: EstimatorPool | None = None
        self._lock = threading.Lock()

    # -- page thread ---------------------------------------------------------------------
    def arm(self, activity: str, settings: Settings, pool: EstimatorPool | None = None) -> None:
        """Accept frames: the next frame starts a session for ``activity``.

        pool : the process's estimator pool (looked up here, in the page thread,
            because ``st.cache_resource`` belongs to script runs, not to the
            webrtc worker thread).
        """
        with self._lock:
            self.pool = pool or self.pool
            if self.session is None:
                self.activity = activity
                self.settings = settings
            self.armed = True

    def running(self) -> bool:
        return self.session is not None and not self.session.finished

    def tick(self, playing: bool) -> str | None:
        """Save progress; end the session if the camera stopped. Returns a warning."""
        sess = self.session
        if sess is None:
            return None
        snap = sess.snapshot()
        problem = sess.save_progress()
        if problem is not None:
            self.store_error = problem
        quiet_s = time.monotonic() - snap.wall_last_frame if snap.wall_last_frame else 0.0
        if quiet_s > BROWSER_LOST_S:
            self.finish(partial=True, reason=f"no picture from the camera for {quiet_s:.0f} s")
            return (
                f"No picture from the camera for {quiet_s:.0f} s, so the session was ended. "
                "What was recorded is saved (marked partial). Press STOP, then START to go on."
            )
        if playing and quiet_s > BROWSER_STALL_S:
            return (
                f"No picture from the camera for {quiet_s:.0f} s: it may have been unplugged "
                "or taken by another app. What was recorded so far is kept."
            )
        return None

    def finish(self, partial: bool = False, reason: str = "stopped") -> LiveOutcome | None:
        """End the current session, save it to history; None if there was none."""
        with self._lock:
            sess, self.session = self.session, None
            self.armed = False
        if sess is None:
            return None
        outcome = sess.finish(partial=partial, reason=reason)
        self.last_outcome = outcome
        self.last_saved_id = outcome.session_id
        if outcome.store_error is not None:
            self.store_error = outcome.store_error
        return outcome

    # -- worker thread -------------------------------------------------------------------
    def _lease(self) -> EstimatorLease | None:
        """The pose model for a new session; None when it cannot start (disarmed, why said)."""
        try:
            if self.pool is None:
                self.pool = EstimatorPool()
            return self.pool.acquire()
        except FormcheckError as exc:
            self.start_error = str(exc)
        except Exception as exc:  # the model could not load: say so on the page
            self.start_error = f"The pose model could not start: {exc}"
        self.armed = False
        return None

    def _start_session(self) -> LiveSession | None:
        with self._lock:
            if self.session is not None:
                return self.session
            if not self.armed:
                return None
            try:
                analyzer = new_analyzer(self.activity, self.settings)
            except FormcheckError as exc:
                self.start_error, self.armed = str(exc), False
                return None
            if (lease := self._lease()) is None:
                return None
            self.start_error = None
            self.token = uuid.uuid4().hex[:8]
            rec, problem = start_recording(self.activity, self.settings)
            if problem is not None:
                self.store_error = problem
            sess = LiveSession(
                self.activity,
                self.settings,
                estimate=lease.process,
                analyzer=analyzer,
                on_release=lease.release,
                recording=rec,
            )
            self.session = sess
            return sess

    def process(self, image_bgr: np.ndarray, t_s: float | None) -> np.ndarray:
        sess = self.session or self._start_session()
        if sess is None:
            return image_bgr
        return sess.process(image_bgr, t_s)

    def on_frame(self, frame: av.VideoFrame) -> av.VideoFrame:
        """The streamlit-webrtc ``video_frame_callback``."""
        try:
            img = frame.to_ndarray(format="bgr24")
            t_s = float(frame.time) if frame.time is not None else None
        except Exception:  # an undecodable frame: show it as it came
            return frame
        out = self.process(img, t_s)
        new = av.VideoFrame.from_ndarray(out, format="bgr24")
        new.pts, new.time_base = frame.pts, frame.time_base
        return new

    def take_cues(self) -> list[SpokenCue]:
        sess = self.session
        if sess is None:
            return []
        return sess.take_cues()


def controller(kind: str) -> LiveController:
    """This browser tab's controller for the "exercise" or "run" page."""
    key = f"fc_live_ctl_{kind}"
    if key not in st.session_state:
        st.session_state[key] = LiveController(kind)
    return st.session_state[key]  # type: ignore[no-any-return]


# -----------------------------------------------------------------------------------------
def make_local_track(source: int | str) -> Any:
    """An aiortc ``VideoStreamTrack`` fed by :class:`CameraStream` (camera or file)."""
    from aiortc import VideoStreamTrack
    from aiortc.mediastreams import MediaStreamError

    class _Track(VideoStreamTrack):  # type: ignore[misc]
        kind = "video"

        def __init__(self) -> None:
            super().__init__()
            try:
                self.stream = CameraStream(source).start()
            except OSError as exc:  # no such camera, or another program holds it
                raise FormcheckError(*local_camera_unavailable(source), "no_camera") from exc
            self._frames: Iterator[Any] = self.stream.frames()
            self.clock = fractions.Fraction(1, 90000)

        def _next(self) -> Any:
            return next(self._frames, None)

        async def recv(self) -> av.VideoFrame:
            loop = asyncio.get_running_loop()
            got = await loop.run_in_executor(None, self._next)
            if got is None:
                self.stop()
                raise MediaStreamError(self.stream.reason or "camera ended")
            frame = av.VideoFrame.from_ndarray(got.image, format="bgr24")
            frame.pts = int(got.t_s * 90000)
            frame.time_base = self.clock
            return frame

        def stop(self) -> None:
            self.stream.stop()
            super().stop()

    return _Track()


@dataclass
class LocalCameraPlayer:
    """What streamlit-webrtc's ``player_factory`` must return: ``.video`` / ``.audio``."""

    video: Any
    audio: Any = None


# -----------------------------------------------------------------------------------------
def live_streamer(key: str, ctl: LiveController, local_camera: int | None = None) -> Any:
    """The webrtc component wired to ``ctl`` (browser camera, or a local one)."""
    from streamlit_webrtc import WebRtcMode, webrtc_streamer

    common: dict[str, Any] = {
        "rtc_configuration": RTC_CONFIGURATION,
        "frontend_rtc_configuration": RTC_CONFIGURATION,
        "server_rtc_configuration": RTC_CONFIGURATION,
        "video_frame_callback": ctl.on_frame,
        "translations": TRANSLATIONS,
        "async_processing": True,
        "video_html_attrs": {
            "autoPlay": True,
            "controls": False,
            "muted": True,
            "style": {"width": "100%"},
        },
    }
    if local_camera is None:
        return webrtc_streamer(
            key=key,
            mode=WebRtcMode.SENDRECV,
            # The camera's own size (webcams default to 640x480): pose works at any
            # size, and forcing one made Chromium send nothing for a portrait source.
            media_stream_constraints={"video": True, "audio": False},
            **common,
        )
    return webrtc_streamer(
        key=f"{key}-local-{local_camera}",
        mode=WebRtcMode.RECVONLY,
        player_factory=lambda: LocalCameraPlayer(make_local_track(local_camera)),
        media_stream_constraints={"video": True, "audio": False},
        **common,
    )


def camera_error_watcher() -> None:
    """Turn the webrtc component's getUserMedia error into a plain sentence on the page.

    The component prints errors other than a refused permission as
    ``NotFoundError: Requested device not found``. Its iframe is served by this
    same server, so a small script reads that text and shows the matching
    sentence from :data:`CAMERA_ERRORS` in ``#fc-camera-error`` (empty otherwise).
    """
    st.html(
        '<div id="fc-camera-error" role="alert" style="color:#8a1c14;font-weight:600;'
        'font-size:1.05rem"></div><script>(function(){'
        f"const map = {json.dumps(CAMERA_ERRORS)};"
        "if (window.__fcCamWatch) { return; }"
        "window.__fcCamWatch = setInterval(function(){"
        "  const box = document.getElementById('fc-camera-error'); if (!box) return;"
        "  let msg = '';"
        "  for (const f of document.querySelectorAll("
        "      'iframe[title=\"streamlit_webrtc.component.webrtc_streamer\"]')) {"
        "    let text = '';"
        "    try { text = f.contentDocument.body.innerText || ''; } catch (e) { continue; }"
        "    for (const name in map) { if (text.includes(name)) { msg = map[name]; break; } }"
        "  }"
        "  if (box.textContent !== msg) box.textContent = msg;"
        "}, 700);"
        "})();</script>",
        unsafe_allow_javascript=True,
    )


def speech(cues: list[SpokenCue], token: str, muted: bool) -> None:
    """Say new cues with the browser's on-device voice, one at a time (no network voice).

    Each cue has an id (session token + serial) and is said at most once per
    browser tab, even when this element is redrawn. While a message is being
    said, newer ones are shown but not queued, so the runner never hears a
    backlog of stale cues; a cue marked ``interrupt`` (the end of the set) cuts
    in. ``window.__fcSpoken`` lists what was said (tests).
    """
    items = [{"id": f"{token}-{c.serial}", "text": c.text, "interrupt": c.interrupt} for c in cues]
    payload = json.dumps({"cues": items, "muted": bool(muted)})
    st.html(
        "<script>(function(){"
        f"const p = {payload};"
        "const w = window; const s = w.speechSynthesis;"
        "w.__fcSaid = w.__fcSaid || {}; w.__fcSpoken = w.__fcSpoken || [];"
        "if (!s) { return; }"
        "if (p.muted) { s.cancel(); }"
        "for (const c of p.cues) {"
        "  if (w.__fcSaid[c.id]) continue; w.__fcSaid[c.id] = true;"
        "  if (p.muted) continue;"
        "  if (c.interrupt) { s.cancel(); }"  # the end of the set: said over the rest
        "  else if (s.speaking || s.pending) continue;"
        "  const all = s.getVoices(); const local = all.filter(v => v.localService);"
        "  if (all.length && !local.length) continue;"  # only network voices: stay silent
        "  const u = new SpeechSynthesisUtterance(c.text);"
        "  if (local.length) u.voice = local.find(v => v.default) || local[0];"
        "  u.rate = 1.05; s.speak(u); w.__fcSpoken.push(c.text);"
        "}"
        "})();</script>",
        unsafe_allow_javascript=True,
    )
