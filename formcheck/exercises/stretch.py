"""Static stretches (the cool-down), timed live: one framework, one spec per stretch.

A :class:`StretchSpec` says how to find the stretch in one frame (``locate``: the
posture in, ``(side, angle)`` out when the body is in the stretch, else None), whether
it is timed per side, its dose and the name of its stretched joint angle. The
:class:`StretchAnalyzer` built on it (one subclass per stretch, in
:mod:`formcheck.exercises.stretch_moves`):

* recognises the position frame by frame (:meth:`in_position_now`);
* times the hold only while in it, per side when the stretch is dosed per side
  (one :class:`~formcheck.exercises.timing.HoldClock` per side: a hold starts after
  ``hold_start_min_s`` in position, dated from its first frame, and pauses after
  ``hold_break_min_s`` out of it; a side flickering for a frame or two in the pose
  model does not break or start a hold);
* watches the stretched joint angle for bouncing
  (:class:`~formcheck.exercises.bounce.BounceDetector`), speaks the cue at once and
  reports when and how much.

Live metrics: ``hold_s`` (the hold under way), ``total_hold_s``, per side
``hold_s_left`` / ``hold_s_right`` (each side's time so far), all in seconds;
``bouncing`` (1 while bouncing); while in position, the stretched angle in degrees
(``{angle}_deg`` or ``{angle}_{side}_deg``, as in ``FrameState.angles``).
Events: ``hold_start`` / ``hold_break`` (with the side), ``hold_target``
(a side, or the stretch, reached its target time) and ``bouncing`` (dated to its start).

References
----------
The dose: hold each stretch 20-30 s, no bouncing [A1]; kneeling hip-flexor, piriformis
and lying hamstring stretches 30 s each side [A0]. Bouncing: see
:mod:`formcheck.exercises.bounce`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from formcheck.cues import words_exercises as words
from formcheck.cues import words_stretches as ws
from formcheck.cues.judge import judge_metrics
from formcheck.cues.stretch_findings import stretch_findings
from formcheck.exercises.bounce import BounceDetector
from formcheck.exercises.engine import ExerciseAnalyzer, Step, analyze_series
from formcheck.exercises.posture import Posture
from formcheck.exercises.timing import HoldClock, HoldSegment
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult, Event, Metric, Table, not_measurable
from formcheck.settings import Settings

NAN = math.nan
#: What ``locate`` finds in a frame: (the stretched side or None, the stretched angle).
Found = tuple[str | None, float]


@dataclass(frozen=True, slots=True)
class StretchLimits:
    """The position thresholds every stretch's ``locate`` reads (read once per analyzer)."""

    lying_deg: float
    upright_deg: float
    straight_knee_deg: float
    side_view_ratio: float
    childs_hip_deg: float
    kneel_knee_deg: float
    fold_hip_deg: float
    hug_hip_deg: float
    hug_hand_torso: float
    fig4_torso: float
    raise_deg: float
    kneel_drop_torso: float
    twist_ratio: float

    @classmethod
    def from_thresholds(cls, th: Callable[[str], float]) -> StretchLimits:
        return cls(
            th("lying_body_max_deg"),
            th("upright_trunk_max_deg"),
            th("knee_straight_min_deg"),
            th("side_view_max_width_ratio"),
            th("childs_pose_hip_max_deg"),
            th("kneel_knee_max_deg"),
            th("forward_fold_hip_max_deg"),
            th("knee_hug_hip_max_deg"),
            th("hug_hand_knee_max_torso"),
            th("figure4_ankle_knee_max_torso"),
            th("hamstring_leg_raise_min_deg"),
            th("kneel_knee_drop_min_torso"),
            th("twist_pelvis_min_ratio"),
        )


@dataclass(frozen=True, slots=True)
class StretchSpec:
    """One static stretch.

    name : its activity name. per_side : timed per side (the side ``locate`` gives).
    min_name : threshold of the shortest hold on target (``stretch_hold_min_s`` or
        ``stretch_hold_side_s``). angle : the stretched joint angle's name (per-frame
        angles are ``{angle}_deg``, or ``{angle}_{side}_deg`` with a side).
    locate : (posture, limits) -> :data:`Found` when this frame shows the stretch.
    """

    name: str
    per_side: bool
    min_name: str
    angle: str
    locate: Callable[[Posture, StretchLimits], Found | None]


class StretchAnalyzer(ExerciseAnalyzer):
    """Live analyzer of one static stretch (see the module docstring)."""

    spec: StretchSpec
    view_needed = "side"
    needed = ("shoulder", "hip", "knee", "ankle")

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(settings)
        th = self.th
        self.lim = StretchLimits.from_thresholds(th)
        sides = ("left", "right") if self.spec.per_side else ("",)
        self.clocks = {s: HoldClock(th("hold_start_min_s"), th("hold_break_min_s")) for s in sides}
        self.bounce = BounceDetector(
            th("stretch_bounce_min_deg"),
            0.5 / th("stretch_bounce_min_hz"),
            int(th("stretch_bounce_min_swings")),
        )
        self.target_s = th("stretch_hold_target_s")
        self.call_every_s = th("hold_call_every_s")
        self._called: dict[str, int] = dict.fromkeys(sides, 0)
        self._done: set[str] = set()
        self._now: Found | None = None
        self.angle_log: list[float] = []
        self.side_log: list[str | None] = []
        self.holding_log: list[bool] = []

    def in_position_now(self, p: Posture) -> bool:
        self._now = self.spec.locate(p, self.lim)
        return self._now is not None

    def _angle_key(self, side: str | None) -> str:
        return f"{self.spec.angle}_{side}_deg" if side else f"{self.spec.angle}_deg"

    # -- per frame ------------------------------------------------------------------------
    def _step(self, i: int, t_s: float, p: Posture, ok_now: bool) -> Step:
        found, self._now = (self._now if ok_now else None), None
        side_raw, ang = found if found is not None else (None, NAN)
        key = (side_raw or "") if self.spec.per_side else ""
        if self.spec.per_side and key not in self.clocks:
            ok_now, key = False, ""  # in position, but the side is not known this frame
        events: list[Event] = []
        for k, clock in self.clocks.items():
            for kind, t_ev, f_ev in clock.update(ok_now and k == key, t_s, i, label=k):
                events.append(Event(kind, t_ev, f_ev, side=k or None))
                if kind == "hold_start":
                    self._settle_hold_start(clock, f_ev, i)
                    self.cues.offer("hold_start", words.LIVE["stretch_hold_start"], 60, t_s, 1.0)
                else:
                    self.cues.offer("hold_break", words.LIVE["hold_break"], 45, t_s, ttl_s=1.0)
        active = next((k for k, c in self.clocks.items() if c.holding), None)
        holding = active is not None and ok_now and active == key
        form = self._bounce_step(i, t_s, ang if holding else NAN, key, holding, active, events)
        hold_s = self.clocks[active].current_s(t_s) if active is not None else 0.0
        if active is not None:
            self._hold_calls(active, t_s, hold_s, i, events)
        self.angle_log.append(ang)
        self.side_log.append(side_raw if ok_now else None)
        self.holding_log.append(holding)
        phase = self._phase(p, active, ok_now)
        metrics = {"hold_s": hold_s, "total_hold_s": self._total(t_s), "bouncing": 0.0}
        if self.spec.per_side:
            for k in self.clocks:
                metrics[f"hold_s_{k}"] = self.clocks[k].total_s(t_s)
        if form is not None:
            metrics["bouncing"] = 1.0 if form == "bouncing" else 0.0
        angles = {self._angle_key(side_raw): ang} if ok_now else {}
        metrics.update(angles)
        return Step(
            phase=phase, form=form, angles=angles, hold_s=hold_s, events=events, metrics=metrics
        )

    def _bounce_step(
        self,
        i: int,
        t_s: float,
        ang: float,
        key: str,
        holding: bool,
        active: str | None,
        events: list[Event],
    ) -> str | None:
        if active is None or (holding and key != self.bounce.label):
            self.bounce.reset(label=key)
        if not holding:
            return None
        if self.bounce.update(ang, t_s, i):
            ep = self.bounce.episodes[-1]
            events.append(
                Event("bouncing", ep.t0_s, ep.frame0, side=key or None, value=ep.amplitude_deg)
            )
            self.patch(ep.frame0, i, form="bouncing")
        if self.bounce.bouncing:
            self.cues.offer("stretch_bouncing", words.LIVE["stretch_bouncing"], 20, t_s, 1.0)
            return "bouncing"
        return "good"

    def _phase(self, p: Posture, active: str | None, ok_now: bool) -> str:
        if not p.present:
            return "absent"
        if not p.in_frame:
            return "out_of_frame"
        if active is not None:
            return "break" if self.clocks[active].breaking else "hold"
        return "ready" if ok_now else "setup"

    def _total(self, t_s: float) -> float:
        return sum(c.total_s(t_s) for c in self.clocks.values())

    def on_cut(self, t_s: float, frame: int) -> list[Event]:
        """Each side's hold ends at an edit's cut (the next shot's time is not this one's)."""
        return [
            Event(kind, t_ev, f_ev, side=k or None)
            for k, clock in self.clocks.items()
            for kind, t_ev, f_ev in clock.cut(t_s, frame)
        ]

    def _settle_hold_start(self, clock: HoldClock, frame0: int, frame_now: int) -> None:
        t0 = self.t_log[frame0]
        for k in range(frame0, frame_now):
            self.patch(k, k + 1, phase="hold", hold_s=self.t_log[k] - t0)

    def _hold_calls(self, side: str, t_s: float, hold_s: float, i: int, ev: list[Event]) -> None:
        """Call the time every ``hold_call_every_s`` and the target, per side."""
        total = self.clocks[side].total_s(t_s)
        if side not in self._done and total >= self.target_s:
            self._done.add(side)
            ev.append(Event("hold_target", t_s, i, side=side or None, value=total))
            if not self.spec.per_side:
                text = words.LIVE["hold_target"]
            elif self._done >= set(self.clocks):
                text = words.LIVE["stretch_both_done"]
            else:
                text = words.LIVE["stretch_side_done"]
            s = f"{self.target_s:.0f}"
            self.cues.offer(f"target{side}", text.format(s=s), 50, t_s, self.count_ttl_s, "count")
            return
        if self.call_every_s <= 0 or not self.clocks[side].holding:
            return
        k = int(total // self.call_every_s)
        if k > self._called[side]:
            self._called[side] = k
            text = words.LIVE["hold_time"].format(s=f"{k * self.call_every_s:.0f}")
            self.cues.offer(f"hold{side}{k}", text, 65, t_s, self.count_ttl_s, "count")

    # -- summary --------------------------------------------------------------------------
    def segments(self) -> list[HoldSegment]:
        """Every hold, both sides, in time order (the one under way closed at the end)."""
        segs = [s for c in self.clocks.values() for s in c.all_segments()]
        return sorted(segs, key=lambda s: s.t0_s)

    def _summary(self, res: ActivityResult) -> None:
        segs = self.segments()
        total = sum(s.duration_s for s in segs)
        photo = self.single_frame
        eps = list(self.bounce.episodes)
        bouncing_s = sum(e.duration_s for e in eps)
        if photo:
            for name in ("hold_s", "longest_hold_s"):
                res.metrics[name] = not_measurable("s", words.WHY_PHOTO_NO_DURATION)
        else:
            by_side = {k: sum(s.duration_s for s in segs if s.label == k) for k in self.clocks}
            sided = self.spec.per_side
            res.metrics["hold_s"] = Metric(
                total,
                "s",
                n=len(segs),
                left=by_side.get("left") if sided else None,
                right=by_side.get("right") if sided else None,
                note=ws.note_side_hold(ws.SIDE_MEANS[self.activity])
                if sided
                else ws.NOTE_STRETCH_HOLD,
            )
            res.metrics["longest_hold_s"] = Metric(
                max((s.duration_s for s in segs), default=0.0), "s", n=len(segs)
            )
            res.metrics["holds"] = Metric(float(len(segs)), "holds", n=len(segs))
            res.metrics["still_s"] = Metric(max(total - bouncing_s, 0.0), "s", note=ws.NOTE_STILL)
        if total > 0 or (photo and any(self.holding_log)):
            res.metrics["bouncing_n"] = Metric(
                float(len(eps)), "bouncing stretches", n=len(eps), note=ws.NOTE_BOUNCING
            )
            res.metrics["bouncing_s"] = Metric(bouncing_s, "s", n=len(eps))
        else:
            res.metrics["bouncing_n"] = not_measurable("bouncing stretches", ws.WHY_NO_HOLD)
        held = [a for a, h in zip(self.angle_log, self.holding_log, strict=True) if h]
        held = [a for a in held if math.isfinite(a)]
        name = f"{self.spec.angle}_deg"
        if held:
            res.metrics[name] = Metric(
                float(statistics.median(held)), "deg", n=len(held), note=ws.NOTE_STRETCH_ANGLE
            )
        res.tables["holds"] = Table(
            ("hold", "start_s", "end_s", "hold_s", "side"),
            ("", "s", "s", "s", ""),
            tuple(
                (float(k + 1), s.t0_s, s.t1_s, s.duration_s, s.label or None)
                for k, s in enumerate(segs)
            ),
        )
        res.tables["bouncing"] = Table(
            ("bounce", "start_s", "end_s", "side", "swings", "amplitude_deg", "rate_hz"),
            ("", "s", "s", "", "swings", "deg", "Hz"),
            tuple(
                (
                    float(k + 1),
                    e.t0_s,
                    e.t1_s,
                    e.label or None,
                    float(e.swings),
                    e.amplitude_deg,
                    e.rate_hz,
                )
                for k, e in enumerate(eps)
            ),
        )
        res.series[name] = (tuple(self.t_log), tuple(self.angle_log), "deg")
        if any(self.position_log):
            # the stretch's own geometry decides the view it is recognised from
            res.notices = [n for n in res.notices if n.code != "wrong_view"]
        first = next((s.label for s in segs if s.label), None)
        frame = eps[0].frame0 if eps else next((s.frame0 for s in segs), None)
        res.metrics = judge_metrics(self.activity, res.metrics, self.settings.thresholds)
        res.findings = stretch_findings(
            self.activity,
            res.metrics,
            [(e.t0_s, e.t1_s, e.amplitude_deg, e.rate_hz) for e in eps],
            self.spec.per_side,
            self.spec.min_name,
            self.settings.thresholds,
            first_side=first if self.spec.per_side else None,
            frame=frame,
            photo=photo,
        )


def hold_share(analyzer: StretchAnalyzer, series: PoseSeries) -> float:
    """Share of the frames with a pose that lie inside a hold of this stretch, [0, 1]."""
    analyze_series(analyzer, series)
    present = series.present
    n = int(present.sum())
    if n == 0:
        return 0.0
    inside = 0
    t = series.t_s
    for s in analyzer.segments():
        inside += int(((t >= s.t0_s) & (t < s.t1_s) & present).sum())
    return min(1.0, inside / n)
