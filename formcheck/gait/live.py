"""Live running analysis over a rolling window, sharing the offline code.

:class:`LiveRunAnalyzer` is fed one frame at a time (webcam or a clip played
frame by frame). It keeps the last ``window_s`` seconds (10-20 s) of landmarks
in a bounded buffer and, every ``recompute_every_s`` seconds of video, runs
the very same core as the offline report (:func:`formcheck.gait.core.
run_core`: smoothing, leg-swap relabelling, view, rhythm, events, per-step
metrics) on that window. Between recomputations a frame costs only an append
and a causal low-pass of the trunk angle for the overlay, so the per-frame
update stays cheap; the window analysis (about 0.1 s for 15 s at 30 fps on
the target machine) runs once a second.

Live numbers and their statuses: after each recomputation the window's headline
metrics (``LIVE_METRICS``) are sent with the status the analysis judged them
(:func:`formcheck.cues.judge.judge`, as in the report), their validated uncertainty
in words (:func:`formcheck.cues.accuracy.accuracy_label`) and the window's length.

Spoken cues: after each recomputation the window's findings are checked in
priority order; the first flagged cue with a short spoken form
(:data:`formcheck.cues.words_running.SPOKEN`) is said, at most once per
``cue_repeat_s`` (thresholds.py), and only once the window holds enough steps to
judge (``MIN_STEPS``).

Long sessions: steps older than the window's settling margin are committed to
a session log (one small record per step, not landmarks), so
:meth:`LiveRunAnalyzer.result` reports the whole session, with per-minute
trends and drift over 10-30 minute runs, while memory stays bounded.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from formcheck.cues import thresholds as th
from formcheck.cues.accuracy import accuracy_label
from formcheck.cues.words_running import SPOKEN
from formcheck.gait.analysis import result_from_core
from formcheck.gait.cadence import fit_cadence
from formcheck.gait.core import RunCore, run_core
from formcheck.gait.events import FootEvents, GaitEvents
from formcheck.gait.steps import Steps
from formcheck.kinematics import tilt_from_vertical_deg
from formcheck.live import LiveUpdate
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult, Event, FrameState, MetricStatus
from formcheck.settings import Settings
from formcheck.signal.filters import CausalLowpass

#: Steps the window must hold before any cue is spoken.
MIN_STEPS = 8
#: Events and steps this close to the window's end may still move (the
#: zero-phase filter and the toe-off search look ahead), so they are held back.
SETTLE_S = 1.0
#: Live headline metrics passed to the overlay.
LIVE_METRICS = (
    "cadence_spm",
    "trunk_lean_deg",
    "overstride_leg_lengths",
    "vertical_oscillation_leg_lengths",
    "contact_time_ms",
)


class LiveRunAnalyzer:
    """Incremental running analyzer (``formcheck.live.LiveAnalyzer`` protocol).

    Parameters
    ----------
    settings : Settings
        Profile, thresholds, view override (as for the offline analysis).
    window_s : float
        Length of the rolling window, seconds (clipped to 10-20).
    recompute_every_s : float
        How often (seconds of video) the window is re-analysed.
    """

    activity = "run"

    def __init__(
        self,
        settings: Settings | None = None,
        window_s: float = 15.0,
        recompute_every_s: float = 1.0,
    ) -> None:
        self.settings = settings or Settings()
        self.window_s = float(min(max(window_s, 10.0), 20.0))
        self.recompute_every_s = float(recompute_every_s)
        self._t: deque[float] = deque()
        self._xyzv: deque[np.ndarray] = deque()
        self._size = (1, 1)
        self._frames = 0
        self._last_compute = -math.inf
        self._core: RunCore | None = None
        self._metrics: dict[str, float] = {}
        self._statuses: dict[str, MetricStatus] = {}
        self._accuracy: dict[str, str] = {}
        self._lean = CausalLowpass(2.0)
        self._last_cue_t = -math.inf
        self._cue_text: str | None = None
        self._emitted_until = -math.inf
        self._recent: deque[tuple[str, str | None, float]] = deque(maxlen=16)
        self._committed_until = -math.inf
        self._session: list[Steps] = []
        self._t_first: float | None = None

    # ---- per frame ----------------------------------------------------------------------
    def update(self, xyzv: np.ndarray, t_s: float, width: int, height: int) -> LiveUpdate:
        """Feed one frame: landmarks (33, 4) in pixels, its time (s), the frame size."""
        xyzv = np.asarray(xyzv, np.float32).reshape(33, 4)
        if self._t and t_s <= self._t[-1]:
            raise ValueError("timestamps must increase")
        if self._t_first is None:
            self._t_first = float(t_s)
        self._size = (int(width), int(height))
        self._t.append(float(t_s))
        self._xyzv.append(xyzv)
        while self._t and self._t[0] < t_s - self.window_s:
            self._t.popleft()
            self._xyzv.popleft()
        frame = self._frames
        self._frames += 1
        events: tuple[Event, ...] = ()
        cue: str | None = None
        if t_s - self._last_compute >= self.recompute_every_s and len(self._t) >= 20:
            self._last_compute = t_s
            events, cue = self._recompute(t_s)
        lean = self._instant_lean(xyzv)
        angles = {"trunk_lean_deg": lean} if math.isfinite(lean) else {}
        state = FrameState(frame, float(t_s), None, None, angles, self._cue_text)
        return LiveUpdate(
            state, events, cue, dict(self._metrics), dict(self._statuses), dict(self._accuracy)
        )

    def _instant_lean(self, xyzv: np.ndarray) -> float:
        hip = 0.5 * (xyzv[Landmark.LEFT_HIP, :2] + xyzv[Landmark.RIGHT_HIP, :2])
        sh = 0.5 * (xyzv[Landmark.LEFT_SHOULDER, :2] + xyzv[Landmark.RIGHT_SHOULDER, :2])
        facing = self._core.view.facing if self._core is not None and self._core.view.facing else 0
        if not facing or not (np.isfinite(hip).all() and np.isfinite(sh).all()):
            return float("nan")
        raw = float(tilt_from_vertical_deg(hip, sh, facing))
        return float(self._lean.update(self._t[-1], np.array([raw]))[0])

    # ---- window analysis -------------------------------------------------------------------
    def window_series(self) -> PoseSeries:
        """The landmarks of the current window as a :class:`PoseSeries`."""
        w, h = self._size
        if not self._t:
            return PoseSeries.empty(w, h)
        return PoseSeries(np.stack(self._xyzv), np.asarray(self._t), w, h)

    def _recompute(self, t_now: float) -> tuple[tuple[Event, ...], str | None]:
        series = self.window_series()
        core = run_core(series, self.settings)
        self._core = core
        result = result_from_core(core, self.settings, with_frames=False)
        shown = {k: m for k in LIVE_METRICS if (m := result.metrics.get(k)) and m.value is not None}
        self._metrics = {k: float(m.value) for k, m in shown.items()}  # type: ignore[arg-type]
        self._metrics["window_s"] = float(series.t_s[-1] - series.t_s[0])
        self._statuses = {k: m.status for k, m in shown.items() if m.status is not None}
        labels = {k: accuracy_label("run", k, m, symbol=True) for k, m in shown.items()}
        self._accuracy = {k: a for k, a in labels.items() if a}
        # events that have settled and were not sent yet
        horizon = t_now - SETTLE_S
        period = core.events.stride_period_s if core.rhythm.found else 0.5
        fresh = []
        for e in result.events:
            if not (self._emitted_until - period < e.t_s <= horizon):
                continue
            # the same event seen again from a later window (its time may move by
            # a few ms as the window slides) is not sent twice
            if any(
                k == e.kind and sd == e.side and abs(t - e.t_s) < 0.5 * period
                for k, sd, t in self._recent
            ):
                continue
            fresh.append(e)
        new = tuple(fresh)
        for e in new:
            self._recent.append((e.kind, e.side, e.t_s))
        if new:
            self._emitted_until = max(e.t_s for e in new)
        self._commit_steps(core, horizon)
        return new, self._pick_cue(result, t_now)

    def _commit_steps(self, core: RunCore, horizon: float) -> None:
        st = core.steps
        if st.n == 0 or core.time_factor != 1.0:
            return
        start = float(core.series.t_s[0]) + SETTLE_S
        keep = (st.t_ic > max(self._committed_until, start)) & (st.t_ic <= horizon)
        if keep.any():
            self._session.append(st.take(keep))
            self._committed_until = float(st.t_ic[keep].max())

    def _pick_cue(self, result: ActivityResult, t_now: float) -> str | None:
        steps = self._core.steps.n if self._core is not None else 0
        repeat = th.value("cue_repeat_s", self.settings.thresholds)
        if steps < MIN_STEPS or t_now - self._last_cue_t < repeat:
            return None
        for f in sorted(result.findings, key=lambda f: f.priority):
            if f.status == "flag" and f.cue in SPOKEN:
                self._last_cue_t = t_now
                self._cue_text = SPOKEN[f.cue]
                return self._cue_text
        return None

    def window_result(self) -> ActivityResult:
        """The current window analysed exactly as the offline analysis would."""
        return result_from_core(run_core(self.window_series(), self.settings), self.settings)

    # ---- session ----------------------------------------------------------------------------
    def session_steps(self) -> Steps:
        """Every step committed so far (the whole session, not just the window)."""
        return Steps.concat(self._session)

    def result(self) -> ActivityResult:
        """Everything so far: the window's analysis for a short session, else the whole
        session's steps (summaries, drift, per-minute trends) with the last window's
        landmarks for the per-frame posture."""
        if not self._t:
            return ActivityResult(activity="run", view=self.settings.view or "unknown")
        core = run_core(self.window_series(), self.settings)
        committed = self.session_steps()
        span = (self._t[-1] - self._t_first) if self._t_first is not None else 0.0
        if span <= self.window_s + SETTLE_S or committed.n == 0 or not core.rhythm.found:
            return result_from_core(core, self.settings)
        tail = core.steps.take(core.steps.t_ic > self._committed_until)
        steps = Steps.concat([committed, tail])
        feet = []
        for side in ("left", "right"):
            sel = steps.side == side
            feet.append(
                FootEvents(side, steps.t_ic[sel], steps.t_ic[sel], steps.t_to[sel],
                           steps.approximate[sel], steps.visibility[sel])
            )  # fmt: skip
        core.events = GaitEvents(
            feet[0], feet[1], core.rhythm.period_s, core.events.ground_slope, core.events.refined
        )
        core.steps = steps
        core.cadence = fit_cadence([f.ic_t_s for f in feet], core.rhythm.period_s)
        core.span_s = (float(self._t_first), float(self._t[-1]))
        return result_from_core(core, self.settings, with_frames=False)
