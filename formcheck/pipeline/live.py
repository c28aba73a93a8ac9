"""The live engine shared by the browser pages and ``formcheck live``. No Streamlit here.

One :class:`LiveSession` per stream (a webcam session from START to STOP):
every frame goes pose -> live analyzer -> overlay, in the caller's thread
(the streamlit-webrtc worker, or the CLI loop). The page or the CLI reads a
lock-protected :class:`LiveSnapshot` and takes new cues from a queue; it
never touches frames. At the end :meth:`LiveSession.finish` turns the
analyzer's result into the same :class:`~formcheck.report.model.Report` a
clip gives, marked partial when the camera was lost or analysis stopped.

Failures inside the frame path are caught, counted and shown (on the picture
and in the snapshot), and analysis stops after :data:`MAX_FRAME_ERRORS`:
streamlit-webrtc would otherwise silently echo the raw video
(whitphx/streamlit-webrtc#2103).

Pose estimators are lent by :class:`formcheck.pose.pool.EstimatorPool` (one per
process).
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import math
import re
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import numpy as np

import formcheck.activities as activities
from formcheck.cues import thresholds as th
from formcheck.cues import words
from formcheck.cues.words_exercises import LIVE
from formcheck.errors import FormcheckError
from formcheck.live import LiveAnalyzer, LiveUpdate
from formcheck.pipeline.live_state import (
    LiveOutcome,
    LiveSnapshot,
    SpokenCue,
    build_report,
    describe_error,
    headline_text,
)
from formcheck.pose.pool import EstimateFn
from formcheck.render import live_panel as overlay
from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store.recording import LiveRecording

#: Analysis stops after this many failed frames in one session (the picture
#: then carries the error, the page shows it). Ten frames is a third of a
#: second at 30 fps: enough to ride out one odd frame, few enough that a
#: broken analyzer is reported at once instead of echoing video for minutes.
MAX_FRAME_ERRORS = 10

#: A cue stays on screen this long after it was given (seconds): long enough
#: to read a five-word cue, short enough not to linger after it was fixed.
CUE_SHOW_S = 4.0

#: Window for the displayed frame rate (frames).
FPS_WINDOW = 30

#: Frames in the rate window before a low rate is said (a few frames give a noisy rate).
BUSY_MIN_FRAMES = 10


def need_fps(activity: str, settings: Settings) -> float | None:
    """Frames per second the activity's live numbers need (None: no such need)."""
    return th.value("live_run_min_fps", settings.thresholds) if activity == "run" else None


def held_values(
    prev_metrics: dict[str, float], prev_held: dict[str, float], metrics: dict[str, float]
) -> dict[str, float]:
    """The last good value of each number that ``metrics`` (the new window's) lacks."""
    last = {**prev_held, **prev_metrics}
    return {k: v for k, v in last.items() if k not in metrics and k != "window_s"}


def new_analyzer(activity: str, settings: Settings) -> LiveAnalyzer:
    """A fresh live analyzer, or :class:`FormcheckError` for an activity not in the table
    (an error inside the analyzer's constructor is a bug and is raised as it is)."""
    if activity not in activities.BY_NAME:
        raise FormcheckError(
            f"formcheck has no live coaching for {activity!r}.",
            f"Choose one of: {', '.join(activities.BY_NAME)}.",
            code="bad_activity",
        )
    return activities.make_live_analyzer(activity, settings)


class LiveSession:
    """pose -> live analyzer -> overlay, one frame at a time (see module docstring).

    Parameters
    ----------
    activity : an activity of :data:`formcheck.activities.TABLE`.
    settings : profile and thresholds overrides, passed to the analyzer.
    estimate : ``(image_bgr, t_s) -> FramePose``, e.g. ``EstimatorLease.process``.
    analyzer : a ready LiveAnalyzer (tests); default the activity's own.
    on_release : called once when the session finishes (returns the estimator).
    recording : the session's history record (:func:`start_recording`): progress is
        saved by :meth:`save_progress`, the result by :meth:`finish`.
    """

    def __init__(
        self,
        activity: str,
        settings: Settings | None = None,
        estimate: EstimateFn | None = None,
        analyzer: LiveAnalyzer | None = None,
        on_release: Callable[[], None] | None = None,
        max_errors: int = MAX_FRAME_ERRORS,
        recording: LiveRecording | None = None,
    ) -> None:
        self.activity = activity
        self.settings = settings or Settings()
        self.analyzer = analyzer or new_analyzer(activity, self.settings)
        self._estimate = estimate
        self._on_release = on_release
        self.max_errors = max_errors
        self._lock = threading.Lock()  # guards the snapshot and the cue queue
        self._analyzer_lock = threading.Lock()  # analyzers are not thread-safe
        self._cues: collections.deque[SpokenCue] = collections.deque(maxlen=20)
        self._walls: collections.deque[float] = collections.deque(maxlen=FPS_WINDOW)
        self._t0: float | None = None
        self._last_t = -math.inf
        self._serial = 0
        self._cue_shown: SpokenCue | None = None
        self._snap = LiveSnapshot(activity=activity)
        self._last_update: LiveUpdate | None = None
        self._proc_ms: float | None = None
        target = getattr(self.analyzer, "set_reps", None)
        #: The set's target reps (the analyzer's ``set_reps``, when it has one): the
        #: count stops there, as "That's the set" says.
        self.set_reps: int | None = (
            int(target) if isinstance(target, int | float) and target > 0 else None
        )
        self.events: list[object] = []
        self.finished = False
        self.error_log: list[str] = []
        self.recording = recording

    # -- the frame path (worker thread) -----------------------------------------------------
    def process(self, image_bgr: np.ndarray, t_s: float | None = None) -> np.ndarray:
        """Analyse one frame and return a copy with the overlay. Never raises.

        t_s : the frame's own timestamp in seconds (any origin; the session
            counts from its first frame); None = the monotonic clock now.
        """
        wall = time.monotonic()
        out = image_bgr.copy()
        snap = self._snap
        if self.finished or snap.stopped:
            msg = snap.last_error if snap.stopped else "Session finished: press START again."
            return overlay.draw_panel(out, "stopped", [], warning=msg)
        if snap.set_done:  # the count stays what was said; the picture stays live
            with self._lock:
                self._snap = dataclasses.replace(self._snap, wall_last_frame=wall)
            self._draw_panel(out)
            return out
        try:
            t_raw = wall if t_s is None or not math.isfinite(t_s) else float(t_s)
            if self._t0 is None:
                self._t0 = t_raw
            t = t_raw - self._t0
            if t <= self._last_t:
                t = self._last_t + 0.001  # keep time strictly increasing
            self._last_t = t
            h, w = image_bgr.shape[:2]
            pose = self._estimate(image_bgr, t) if self._estimate else None
            xyzv = (
                np.asarray(pose.xyzv, np.float32)  # type: ignore[attr-defined]
                if pose is not None
                else np.full((33, 4), np.nan, np.float32)
            )
            with self._analyzer_lock:
                update = self.analyzer.update(xyzv, t, w, h)
            self._record(update, t, wall, w, h, bool(np.isfinite(xyzv[0, 0])))
            out = overlay.draw_pose(out, xyzv, update.state, self.activity)
            self._draw_panel(out)
            self._proc_ms = 1000.0 * (time.monotonic() - wall)
        except Exception as exc:  # every failure is counted and shown
            self._fail(exc, wall)
            snap = self._snap
            warning = (
                f"Analysis stopped: {snap.last_error}"
                if snap.stopped
                else f"Frame not analysed ({snap.errors}): {snap.last_error}"
            )
            out = overlay.draw_panel(image_bgr.copy(), "error", [], warning=warning)
        return out

    def _record(
        self, update: LiveUpdate, t: float, wall: float, w: int, h: int, found: bool
    ) -> None:
        st = update.state
        self._walls.append(wall)
        set_done = self.set_reps is not None and st.reps is not None and st.reps >= self.set_reps
        texts = [update.cue] if update.cue and not _stale_count(update.cue, st.reps) else []
        done_text = LIVE["set_done"].format(n=st.reps) if set_done else None
        if done_text is not None and done_text not in texts:
            texts.append(done_text)  # said even when another cue had this frame's turn
        with self._lock:
            for text in texts:
                self._serial += 1
                cue = SpokenCue(self._serial, t, text, st.reps, interrupt=text == done_text)
                self._cues.append(cue)
                self._cue_shown = cue
            shown = self._cue_shown
            # a cue is shown for a few seconds, and only while the count is the one it
            # was given at ("6" is not shown over a count of 7)
            cue_now = (
                shown.text
                if shown is not None and t - shown.t_s <= CUE_SHOW_S and shown.reps == st.reps
                else None
            )
            if st.cue and cue_now is None:
                cue_now = st.cue
            self.events.extend(update.events)
            fps = None
            if len(self._walls) >= 2 and self._walls[-1] > self._walls[0]:
                fps = (len(self._walls) - 1) / (self._walls[-1] - self._walls[0])
            prev = self._snap
            metrics = dict(update.metrics) if update.metrics else prev.metrics
            need = need_fps(self.activity, self.settings)
            busy = (
                words.live_busy(fps, need)
                if need and fps is not None and len(self._walls) >= BUSY_MIN_FRAMES and fps < need
                else None
            )
            self._snap = LiveSnapshot(
                activity=self.activity,
                frames=prev.frames + 1,
                frames_with_pose=prev.frames_with_pose + int(found),
                t_s=t,
                fps=fps,
                proc_ms=self._proc_ms,
                # numbers and their statuses come together from the same update, so a
                # status never outlives the number it was given to
                metrics=metrics,
                statuses=dict(update.statuses or {}) if update.metrics else prev.statuses,
                accuracy=dict(update.accuracy or {}) if update.metrics else prev.accuracy,
                reps=st.reps,
                hold_s=st.hold_s,
                phase=st.phase,
                form=st.form,
                cue=cue_now,
                cues_given=self._serial,
                errors=prev.errors,
                last_error=prev.last_error,
                stopped=False,
                set_done=set_done,
                wall_last_frame=wall,
                width=w,
                height=h,
                held=held_values(prev.metrics, prev.held, metrics),
                busy=busy,
            )
            self._last_update = update

    def _fail(self, exc: BaseException, wall: float) -> None:
        text = describe_error(exc)
        self.error_log.append("".join(traceback.format_exception(exc))[-2000:])
        with self._lock:
            prev = self._snap
            errors = prev.errors + 1
            stopped = errors >= self.max_errors
            self._snap = LiveSnapshot(
                **{
                    **{f: getattr(prev, f) for f in prev.__dataclass_fields__},
                    "errors": errors,
                    "last_error": text,
                    "stopped": stopped,
                    "frames": prev.frames + 1,
                    "wall_last_frame": wall,
                }
            )

    def _draw_panel(self, image: np.ndarray) -> None:
        snap = self._snap
        headline, lines = headline_text(snap)
        overlay.draw_panel(image, headline, lines, cue=snap.cue)

    # -- the page side ---------------------------------------------------------------------
    def snapshot(self) -> LiveSnapshot:
        with self._lock:
            return self._snap

    def take_cues(self) -> list[SpokenCue]:
        """Cues given since the last call (each is returned once)."""
        with self._lock:
            out = list(self._cues)
            self._cues.clear()
        return out

    def current_report(self) -> Report | None:
        """The results so far (for saving progress); None before anybody was seen."""
        snap = self.snapshot()
        if snap.frames_with_pose == 0 or self.finished:
            return None
        with self._analyzer_lock:
            return build_report(self.analyzer, snap, False, "", self.settings)

    def save_progress(self) -> str | None:
        """Write the results so far to history when due (a killed process keeps them).

        Returns the problem in words when the history could not be written (it is
        tried again at the next interval), else None.
        """
        rec = self.recording
        if rec is None or not rec.due():
            return None
        snap = self.snapshot()
        try:
            rec.progress(self.current_report(), snap.t_s, snap.frames)
        except FormcheckError as exc:
            return str(exc)
        return None

    def finish(self, partial: bool = False, reason: str = "stopped") -> LiveOutcome:
        """End the session: release the estimator, build the report and save it to
        history when recorded (never raises; history problems are in the outcome)."""
        outcome = self._end(partial, reason)
        rec, self.recording = self.recording, None
        if rec is not None:
            note = reason if outcome.report is not None else (outcome.error or reason)
            try:
                outcome.session_id = rec.finish(outcome.report, outcome.partial, note)
            except FormcheckError as exc:
                outcome.store_error = str(exc)
        return outcome

    def _end(self, partial: bool, reason: str) -> LiveOutcome:
        if self.finished:
            return LiveOutcome(None, partial, reason, self._snap.frames, "already finished")
        self.finished = True
        if self._on_release is not None:
            with contextlib.suppress(Exception):
                self._on_release()
        snap = self.snapshot()
        partial = partial or snap.stopped
        if snap.frames_with_pose == 0:
            return LiveOutcome(
                None,
                partial,
                reason,
                snap.frames,
                "Nobody was seen by the camera, so there is nothing to save.",
            )
        try:
            with self._analyzer_lock:
                report = build_report(self.analyzer, snap, partial, reason, self.settings)
        except Exception as exc:  # shown to the user
            return LiveOutcome(None, partial, reason, snap.frames, describe_error(exc))
        return LiveOutcome(report, partial, reason, snap.frames)


def _count_said(text: str) -> int | None:
    """The rep number a count cue says ("6", "15. That's the set."), else None."""
    m = re.match(r"\d+", text)
    if m is None:
        return None
    n = int(m.group())
    return n if text in (LIVE["rep"].format(n=n), LIVE["set_done"].format(n=n)) else None


def _stale_count(text: str, reps: int | None) -> bool:
    """A count cue whose number is no longer the count (it waited behind another cue):
    neither said nor shown, so the voice never says a count the picture has left."""
    n = _count_said(text)
    return n is not None and reps is not None and n != reps


def start_recording(
    activity: str, settings: Settings, db: Path | str | None = None
) -> tuple[LiveRecording | None, str | None]:
    """A live set's history record, begun (status "running"), or None and why not.

    A history that cannot be written never stops live coaching: the problem comes
    back in words for the page or the command line to show.
    """
    rec = LiveRecording(activity, settings, db)
    try:
        rec.begin()
    except FormcheckError as exc:
        return None, str(exc)
    return rec, None
