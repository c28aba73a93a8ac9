"""Glute bridge (side view): reps, the shoulder-hip-knee line at the top, pause, lowering.

The measured angle is the *signed* shoulder-hip-knee angle of the near side:
``180 - signed_line_deviation_deg(shoulder, hip, knee)``. Lying on the back
with knees up it is about 130 deg; at a full bridge shoulders, hips and knees
form a straight line (180 deg); above 180 the hips are pushed past the line,
which arches the low back.

Rep state machine (hysteresis + minimum durations, see ``cues/thresholds.py``):
the top zone is entered above ``bridge_up_deg`` and left below
``bridge_down_deg`` (10 deg lower), and each zone must last ``rep_phase_min_s``.
A rep is counted when the hips come back down into the bottom zone. For each
rep, from the angles since the previous rep:

* ``top_deg``: median angle over the *top* = the frames within
  ``bridge_top_band_deg`` of the rep's highest angle;
* ``pause_s``: length of that top;
* ``bottom_deg``: the lowest angle before the rise;
* ``lower_s``: the whole lowering, from when the hips start down to when they
  settle: its start and end are where the angle's speed (over
  ``speed_window_s``) crosses ``movement_speed_frac`` of the lowering's peak
  speed, the end once the angle is back within ``bridge_top_band_deg`` of
  ``bottom_deg`` (or at the lowest point if the next rise comes first). It is
  known a little after the rep is counted.

The per-frame ``form`` of a rep's top frames is the rep's verdict (``"good"``,
``"low_hips"`` or ``"arched"``), set once the rep is complete.

References
----------
The cue (glute bridge): hips rise until shoulders, hips and knees
form a straight line, pause about 1 s at the top, lower with control, no arching;
15 reps [A0].
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, field, replace

from formcheck.cues import words_exercises as words
from formcheck.cues.exercises import bridge_findings
from formcheck.cues.judge import assess, judge, judge_metrics
from formcheck.exercises.engine import ExerciseAnalyzer, Step, analyze_series
from formcheck.exercises.posture import Posture
from formcheck.exercises.timing import Debounce
from formcheck.kinematics import signed_line_deviation_deg
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult, Event, Metric, Table, median_metric
from formcheck.settings import Settings

ANGLE = "shoulder_hip_knee_deg"

#: (t_s, angle_deg, frame, speed_deg_per_s) of one measured frame.
Sample = tuple[float, float, int, float]


@dataclass(slots=True)
class BridgeRep:
    """One completed rep. Angles in degrees, times in seconds from clip start."""

    n: int
    t_start_s: float
    t_top_s: float
    frame_top: int
    frame_start: int
    frame_end: int
    top_deg: float
    peak_deg: float
    bottom_deg: float
    pause_s: float
    t_top_end_s: float
    lower_s: float | None = None
    flags: list[str] = field(default_factory=list)


class GluteBridgeAnalyzer(ExerciseAnalyzer):
    """Live glute-bridge analyzer (see the module docstring)."""

    activity = "glute-bridge"
    position = "supine_knees_bent"
    view_needed = "side"
    needed = ("shoulder", "hip", "knee", "ankle")

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(settings)
        th = self.th
        self.up_deg, self.down_deg = th("bridge_up_deg"), th("bridge_down_deg")
        self.band_deg = th("bridge_top_band_deg")
        self.set_reps = int(th("bridge_set_reps"))
        self.reset_s = th("position_min_s")
        self.zone = Debounce(None, th("rep_phase_min_s"))
        self.reps: list[BridgeRep] = []
        self.speed_frac = th("movement_speed_frac")
        self.speed_window_s = th("speed_window_s")
        self._buf: list[Sample] = []
        self._hist: deque[tuple[float, float]] = deque()
        self._lowering: BridgeRep | None = None
        self._low_buf: list[Sample] = []
        self._arrived = False
        self._v_peak = 0.0
        self.angle_log: list[float] = []

    # -- per frame ------------------------------------------------------------------------
    def _judge(self, name: str, value: float | None) -> str | None:
        """A rep's number against its target (the same judgement as the report's)."""
        return judge(self.activity, name, value, self.settings.thresholds)

    def _angle(self, p: Posture) -> tuple[float, float]:
        sh, hip, knee = (p.p(p.near, part) for part in ("shoulder", "hip", "knee"))
        theta = 180.0 - float(signed_line_deviation_deg(sh, hip, knee))
        return theta, p.knee_deg  # the near leg's hip-knee-ankle angle, from Posture

    def _step(self, i: int, t_s: float, p: Posture, ok_now: bool) -> Step:
        theta = knee_deg = math.nan
        measurable = p.present and p.in_frame and (ok_now or self.in_position.state is True)
        if measurable:
            theta, knee_deg = self._angle(p)
            measurable = math.isfinite(theta)
        self.angle_log.append(theta if measurable else math.nan)
        events: list[Event] = []
        if not measurable:
            if self.lost_for_s(t_s, False) >= self.reset_s and self.zone.state is not None:
                self._finish_lowering()
                self.zone.force(None)
                self._buf.clear()
                self._hist.clear()
            phase = self.unmeasured_phase(p)
            return Step(
                phase=phase,
                reps=len(self.reps),
                events=events,
                metrics={"reps": float(len(self.reps))},
            )
        self.lost_for_s(t_s, True)
        if theta >= self.up_deg:
            cand: str | None = "top"
        elif theta <= self.down_deg:
            cand = "bottom"
        else:
            cand = None  # inside the hysteresis band: keep the current zone
        before = self.zone.state
        sample = (t_s, theta, i, self._speed(t_s, theta))
        self._buf.append(sample)
        if self._lowering is not None:
            self._track_lowering(sample, cand)
        changed = self.zone.update(cand, t_s, i)
        if changed and before == "top" and self.zone.state == "bottom":
            self._rep_done(t_s, i, events)
        phase = str(self.zone.state) if self.zone.state is not None else "ready"
        angles = {ANGLE: theta, "hip_knee_ankle_deg": knee_deg}
        return Step(
            phase=phase,
            form=None,
            angles=angles,
            reps=len(self.reps),
            events=events,
            metrics={"reps": float(len(self.reps)), ANGLE: theta},
        )

    def _rep_done(self, t_s: float, i: int, events: list[Event]) -> None:
        """The hips came back down: measure the rep from the samples since the last one."""
        end_frame = self.zone.since_frame if self.zone.since_frame is not None else i
        buf = [b for b in self._buf if b[2] < end_frame] or list(self._buf)
        peak_sample = max(buf, key=lambda b: b[1])
        peak = peak_sample[1]
        top = [b for b in buf if b[1] >= peak - self.band_deg]
        before_top = [b[1] for b in buf if b[0] < top[0][0]]
        rep = BridgeRep(
            n=len(self.reps) + 1,
            t_start_s=buf[0][0],
            t_top_s=peak_sample[0],
            frame_top=peak_sample[2],
            frame_start=top[0][2],
            frame_end=top[-1][2] + 1,
            top_deg=float(statistics.median(b[1] for b in top)),
            peak_deg=peak,
            bottom_deg=min(before_top) if before_top else math.nan,
            pause_s=top[-1][0] - top[0][0],
            t_top_end_s=top[-1][0],
        )
        top = assess(self.activity, "top_deg", rep.top_deg, self.settings.thresholds)
        if top is not None and top.status == "work_on":
            rep.flags.append("low_hips" if top.side == "below" else "arched")
        if self._judge("pause_s", rep.pause_s) == "work_on":
            rep.flags.append("short_pause")
        self._finish_lowering()  # a previous rep still lowering: close it first
        self.reps.append(rep)
        form = (
            "arched" if "arched" in rep.flags else "low_hips" if "low_hips" in rep.flags else "good"
        )
        self.patch(rep.frame_start, rep.frame_end, form=form)
        events.append(
            Event("rep_top", rep.t_top_s, rep.frame_top, value=rep.top_deg, label=f"rep {rep.n}")
        )
        n = rep.n
        if "arched" in rep.flags:
            self.cues.offer("bridge_arch", words.LIVE["bridge_arch"], 20, t_s, ttl_s=2.0)
        if "low_hips" in rep.flags:
            self.cues.offer("bridge_low", words.LIVE["bridge_low"], 30, t_s, ttl_s=2.0)
        if "short_pause" in rep.flags:
            self.cues.offer("bridge_pause", words.LIVE["bridge_pause"], 40, t_s, ttl_s=2.0)
        done = n == self.set_reps
        self.cues.offer(
            f"rep{n}",
            words.LIVE["set_done" if done else "rep"].format(n=n),
            55 if done else 60,
            t_s,
            ttl_s=self.count_ttl_s,
            group="count",
        )
        # the lowering: tracked from the peak on (its start is found once the speed
        # of the descent is known); it may already be over
        self._lowering = rep
        self._low_buf = []
        self._arrived = False
        self._v_peak = 0.0
        for b in self._buf:
            if b[0] >= rep.t_top_s and self._lowering is not None:
                self._track_lowering(b, cand=None)
        self._buf = [b for b in self._buf if b[2] >= end_frame]

    def _speed(self, t_s: float, theta: float) -> float:
        """Angle speed over the last ``speed_window_s``, deg/s (+ = rising); NaN at first."""
        h = self._hist
        h.append((t_s, theta))
        while len(h) > 2 and h[1][0] <= t_s - self.speed_window_s:
            h.popleft()
        t0, a0 = h[0]
        return (theta - a0) / (t_s - t0) if t_s > t0 else math.nan

    def _bottom_ref(self, rep: BridgeRep) -> float:
        """Angle the lowering must get back to (within the band): the rep's own bottom."""
        return rep.bottom_deg if math.isfinite(rep.bottom_deg) else self.down_deg

    def _onset_s(self, rep: BridgeRep) -> float:
        """When the hips started down: the last moment, at or before the end of the top,
        that the descent was slower than ``movement_speed_frac`` of its peak speed."""
        slow = self.speed_frac * self._v_peak
        onset = rep.t_top_s
        for t, _a, _i, v in self._low_buf:
            if t > rep.t_top_end_s:
                break
            if not -v >= slow:  # also NaN
                onset = t
        return onset

    def _track_lowering(self, sample: Sample, cand: str | None) -> None:
        """Follow the lowering frame by frame: it ends when the hips are back near the
        bottom and the descent has slowed under ``movement_speed_frac`` of its peak."""
        rep = self._lowering
        assert rep is not None
        t_s, theta, _i, v = sample
        self._low_buf.append(sample)
        if math.isfinite(v) and t_s >= rep.t_top_end_s:
            self._v_peak = max(self._v_peak, -v)
        if not self._arrived and theta <= self._bottom_ref(rep) + self.band_deg:
            self._arrived = True
        if self._arrived and not -v >= self.speed_frac * self._v_peak:
            rep.lower_s = t_s - self._onset_s(rep)
            self._close_lowering(t_s)
        elif cand == "top":  # rising again before settling: the lowest point ends it
            self._finish_lowering()

    def _finish_lowering(self) -> None:
        """Close a lowering cut short (next rise, person gone) at its lowest point."""
        rep = self._lowering
        if rep is None:
            return
        after = [b for b in self._low_buf if b[0] >= rep.t_top_end_s]
        if after and self._v_peak > 0:
            lowest = min(after, key=lambda b: b[1])
            rep.lower_s = lowest[0] - self._onset_s(rep)
            self._close_lowering(lowest[0])
        else:
            self._lowering = None

    def _close_lowering(self, t_s: float) -> None:
        rep = self._lowering
        assert rep is not None
        if self._judge("lower_s", rep.lower_s) == "work_on":
            rep.flags.append("fast_lowering")
            self.cues.offer("bridge_lower", words.LIVE["bridge_lower"], 40, t_s, ttl_s=2.0)
        self._lowering = None
        self._low_buf = []

    # -- summary --------------------------------------------------------------------------
    def _settled_reps(self) -> list[BridgeRep]:
        """The reps, with a lowering still in progress measured up to now (not stored)."""
        reps = list(self.reps)
        rep = self._lowering
        if rep is not None and self._arrived and reps and reps[-1] is rep:
            # got back down but still settling at the end: time it to the lowest point
            after = [b for b in self._low_buf if b[0] >= rep.t_top_end_s]
            lowest = min(after, key=lambda b: b[1])
            lower_s = lowest[0] - self._onset_s(rep)
            flags = list(rep.flags)
            if self._judge("lower_s", lower_s) == "work_on":
                flags.append("fast_lowering")
            reps[-1] = replace(rep, lower_s=lower_s, flags=flags)
        return reps

    def _summary(self, res: ActivityResult) -> None:
        reps = self._settled_reps()
        n = len(reps)
        res.metrics["reps"] = Metric(
            float(n), "reps", n=n, note=words.note_reps_target(self.set_reps)
        )
        why = words.WHY_NO_COMPLETE_REP
        res.metrics["top_deg"] = median_metric([r.top_deg for r in reps], "deg", why)
        res.metrics["bottom_deg"] = median_metric([r.bottom_deg for r in reps], "deg", why)
        res.metrics["pause_s"] = median_metric([r.pause_s for r in reps], "s", why)
        res.metrics["lower_s"] = median_metric(
            [r.lower_s for r in reps], "s", words.WHY_LOWERING_NOT_SEEN
        )
        res.tables["reps"] = Table(
            columns=("rep", "t_s", "top_deg", "bottom_deg", "pause_s", "lower_s", "flags"),
            units=("", "s", "deg", "deg", "s", "s", ""),
            rows=tuple(
                (
                    float(r.n),
                    r.t_top_s,
                    r.top_deg,
                    r.bottom_deg,
                    r.pause_s,
                    r.lower_s,
                    ",".join(r.flags),
                )
                for r in reps
            ),
        )
        res.metrics = judge_metrics(self.activity, res.metrics, self.settings.thresholds)
        res.findings = bridge_findings(
            res.metrics,
            [r.top_deg for r in reps],
            [r.frame_top for r in reps],
            self.settings.thresholds,
        )
        res.series[ANGLE] = (tuple(self.t_log), tuple(self.angle_log), "deg")


def analyze(series: PoseSeries, settings: Settings) -> ActivityResult:
    """Batch entry: feed every frame to a :class:`GluteBridgeAnalyzer`."""
    return analyze_series(GluteBridgeAnalyzer(settings), series)
