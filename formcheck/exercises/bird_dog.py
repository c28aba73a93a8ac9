"""Bird dog (side view): reaches per side, hold time, limbs level, trunk still.

On all fours, one arm reaches forward and the opposite leg back, are held a few
seconds, and the sides alternate. Per frame, for each side:

* an arm is *lifted* when the shoulder-wrist segment is raised more than
  ``bird_dog_raise_min_deg`` from hanging straight down and points forward (the
  way the head is); a leg is lifted when its thigh (hip-knee) is raised as much
  and points backward. Lifted clears ``form_hysteresis_deg`` lower (hysteresis);
* the reach angles are the signed angles above horizontal of the reaching arm
  (shoulder-wrist) and leg (hip-ankle): 0 = level, target within
  ``bird_dog_limb_tol_deg``;
* the trunk tilt (hips to shoulders, signed, + = shoulders higher) is compared
  with its median over recent all-fours frames between reaches: a reach should not
  tilt the trunk by more than ``bird_dog_trunk_tol_deg``. Only the tilt seen from
  the side is measured; a roll or twist of the pelvis about the spine is not.

A reach ("rep") is the left arm with the right leg (side ``"left"``) or the right
arm with the left leg (``"right"``), lasting at least ``rep_phase_min_s``; its
hold is the time both stay lifted. Side names follow MediaPipe's left/right
labels, which can be swapped for the far limbs in a pure side view.

References
----------
The cue (bird dog): on all fours extend one arm and the opposite leg,
hold a few seconds, switch; the trunk stays level.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, field

from formcheck.cues import words_exercises as words
from formcheck.cues.exercises import bird_dog_findings
from formcheck.cues.judge import judge_metrics
from formcheck.exercises.engine import ExerciseAnalyzer, Step, analyze_series
from formcheck.exercises.posture import Posture
from formcheck.exercises.posture_geometry import SIDES, elevation, from_down_deg
from formcheck.exercises.timing import Debounce
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult, Event, Metric, Table, median_metric
from formcheck.settings import Settings

OTHER = {"left": "right", "right": "left"}

#: Frames of all-fours trunk tilt remembered for the baseline (about 20 s at 30 fps).
NEUTRAL_MEMORY = 600


@dataclass(slots=True)
class Reach:
    """One reach: side = the reaching arm; times in seconds, angles in degrees."""

    n: int
    side: str
    t0_s: float
    frame0: int
    t1_s: float = math.nan
    frame1: int = -1
    samples: list[tuple[float, float, float, float]] = field(default_factory=list)
    hold_s: float = math.nan
    arm_deg: float = math.nan
    leg_deg: float = math.nan
    trunk_change_deg: float = math.nan
    flags: list[str] = field(default_factory=list)


class BirdDogAnalyzer(ExerciseAnalyzer):
    """Live bird-dog analyzer (see the module docstring)."""

    activity = "bird-dog"
    position = "all_fours"
    view_needed = "side"
    needed = ("shoulder", "hip", "knee", "wrist", "ankle")

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(settings)
        th = self.th
        self.raise_deg = th("bird_dog_raise_min_deg")
        self.hyst_deg = th("form_hysteresis_deg")
        self.limb_tol_deg = th("bird_dog_limb_tol_deg")
        self.trunk_tol_deg = th("bird_dog_trunk_tol_deg")
        self.hold_target_s = th("bird_dog_hold_s")
        self.reset_s = th("position_min_s")
        self.diag = Debounce(None, th("rep_phase_min_s"))
        self.form = Debounce(None, th("hold_break_min_s"))
        self._lifted: dict[str, bool] = {
            "arm_left": False,
            "arm_right": False,
            "leg_left": False,
            "leg_right": False,
        }
        self.reaches: list[Reach] = []
        self._cur: Reach | None = None
        #: trunk tilt of recent all-fours frames between reaches (bounded memory)
        self._neutral_trunk: deque[float] = deque(maxlen=NEUTRAL_MEMORY)
        self._reach_baseline = math.nan
        self._told_hold = False
        self.trunk_log: list[float] = []

    # -- geometry -------------------------------------------------------------------------
    def _lift(self, key: str, angle_deg: float, direction_ok: bool) -> bool:
        was = self._lifted[key]
        limit = self.raise_deg - (self.hyst_deg if was else 0.0)
        now = bool(direction_ok and angle_deg > limit)
        self._lifted[key] = now
        return now

    def _baseline(self) -> float:
        """The all-fours trunk tilt: median over recent frames between reaches (robust
        to the last moments of lowering a limb)."""
        return statistics.median(self._neutral_trunk) if self._neutral_trunk else math.nan

    # -- per frame ------------------------------------------------------------------------
    def _step(self, i: int, t_s: float, p: Posture, ok_now: bool) -> Step:
        measurable = p.present and p.in_frame and (ok_now or self.in_position.state is True)
        events: list[Event] = []
        if not measurable:
            self.trunk_log.append(math.nan)
            if self.lost_for_s(t_s, False) >= self.reset_s and self.diag.state is not None:
                self._end_reach(t_s, i, events, seen_end=False)
                self.diag.force(None)
            phase = self.unmeasured_phase(p)
            return Step(
                phase=phase,
                reps=len(self.reaches),
                events=events,
                metrics=self._counts(),
            )
        self.lost_for_s(t_s, True)
        sh, hp = p.mid("shoulder"), p.mid("hip")
        fwd = 1.0 if sh[0] >= hp[0] else -1.0
        trunk = elevation(hp, sh)
        lifted: dict[str, bool] = {}
        arm: dict[str, float] = {}
        leg: dict[str, float] = {}
        for s in SIDES:
            shoulder, wrist = p.p(s, "shoulder"), p.p(s, "wrist")
            hip, knee, ankle = p.p(s, "hip"), p.p(s, "knee"), p.p(s, "ankle")
            lifted[f"arm_{s}"] = self._lift(
                f"arm_{s}", from_down_deg(shoulder, wrist), (wrist[0] - shoulder[0]) * fwd > 0
            )
            lifted[f"leg_{s}"] = self._lift(
                f"leg_{s}", from_down_deg(hip, knee), (knee[0] - hip[0]) * fwd < 0
            )
            arm[s] = elevation(shoulder, wrist)
            leg[s] = elevation(hip, ankle)
        n_lifted = sum(lifted.values())
        if n_lifted == 0:
            cand: str | None = "neutral"
        elif n_lifted == 2 and lifted["arm_left"] and lifted["leg_right"]:
            cand = "left"
        elif n_lifted == 2 and lifted["arm_right"] and lifted["leg_left"]:
            cand = "right"
        else:
            cand = None  # on the way up or down, or an odd combination
        before = self.diag.state
        if self.diag.update(cand, t_s, i):
            now = self.diag.state
            if before in SIDES:
                self._end_reach(self.diag.since_s or t_s, self.diag.since_frame or i, events)
            if now in SIDES:
                self._start_reach(str(now), t_s, i)
        state = self.diag.state
        if state == "neutral" and ok_now:
            self._neutral_trunk.append(trunk)
        form: str | None = None
        hold_s: float | None = None
        angles = {"trunk_tilt_deg": trunk}
        if state in SIDES and self._cur is not None:
            side = str(state)
            a, lg = arm[side], leg[OTHER[side]]
            change = abs(trunk - self._reach_baseline)
            self._cur.samples.append((t_s, a, lg, change))
            angles.update({"arm_elevation_deg": a, "leg_elevation_deg": lg})
            if math.isfinite(change):
                angles["trunk_change_deg"] = change
            form = self._form(a, lg, change, t_s, i)
            hold_s = t_s - self._cur.t0_s
            if hold_s >= self.hold_target_s and not self._told_hold:
                self._told_hold = True
                self.cues.offer("bd_switch", words.LIVE["bird_dog_switch"], 60, t_s, ttl_s=1.0)
        self.trunk_log.append(trunk)
        phase = f"reach_{state}" if state in SIDES else ("neutral" if state else "ready")
        return Step(
            phase=phase,
            form=form,
            angles=angles,
            reps=len(self.reaches),
            hold_s=hold_s,
            events=events,
            metrics={**self._counts(), "hold_s": hold_s or 0.0},
        )

    def _counts(self) -> dict[str, float]:
        """The live counts: ``reps`` and ``reps_left``/``reps_right`` (the reaching arm),
        so a routine's dose per side is met side by side."""
        n_left = sum(1 for r in self.reaches if r.side == "left")
        n = len(self.reaches)
        return {"reps": float(n), "reps_left": float(n_left), "reps_right": float(n - n_left)}

    def _form(self, arm_deg: float, leg_deg: float, change: float, t_s: float, i: int) -> str:
        """Form label while reaching: limbs level and trunk still, with hysteresis."""
        cur = self.form.state
        tol, back = self.limb_tol_deg, self.limb_tol_deg - self.hyst_deg
        worst = max(abs(arm_deg), abs(leg_deg))
        if math.isfinite(change) and (
            change > self.trunk_tol_deg
            or (cur == "trunk_moving" and change > self.trunk_tol_deg - self.hyst_deg)
        ):
            cand = "trunk_moving"
        elif worst > tol or (cur == "limbs_not_level" and worst > back):
            cand = "limbs_not_level"
        else:
            cand = "good"
        if self.form.update(cand, t_s, i) and self.form.since_frame is not None:
            self.patch(self.form.since_frame, i, form=self.form.state)
        label = str(self.form.state) if self.form.state is not None else cand
        if label == "trunk_moving":
            self.cues.offer("bd_trunk", words.LIVE["bird_dog_trunk"], 20, t_s)
        elif label == "limbs_not_level":
            self.cues.offer("bd_reach", words.LIVE["bird_dog_reach"], 30, t_s)
        return label

    def _start_reach(self, side: str, t_s: float, i: int) -> None:
        t0 = self.diag.since_s if self.diag.since_s is not None else t_s
        f0 = self.diag.since_frame if self.diag.since_frame is not None else i
        self._cur = Reach(len(self.reaches) + 1, side, t0, f0)
        self._reach_baseline = self._baseline()
        self._told_hold = False
        self.form.force(None)
        prev = self.reaches[-1].side if self.reaches else None
        if prev == side:
            self.cues.offer("bd_same", words.LIVE["bird_dog_same_side"], 35, t_s, ttl_s=1.0)
        else:
            self.cues.offer("bd_hold", words.LIVE["bird_dog_hold"], 65, t_s, ttl_s=0.5)

    def _measure(self, r: Reach, t1_s: float, frame1: int, prev_side: str | None) -> Reach:
        """A finished reach with its hold time, median angles and flags (``r`` unchanged)."""
        samples = [x for x in r.samples if x[0] < t1_s] or r.samples
        out = Reach(r.n, r.side, r.t0_s, r.frame0, t1_s, frame1)
        out.hold_s = t1_s - r.t0_s
        out.arm_deg = float(statistics.median(x[1] for x in samples))
        out.leg_deg = float(statistics.median(x[2] for x in samples))
        changes = [x[3] for x in samples if math.isfinite(x[3])]
        out.trunk_change_deg = max(changes) if changes else math.nan
        if out.hold_s < self.hold_target_s:
            out.flags.append("short_hold")
        if abs(out.arm_deg) > self.limb_tol_deg:
            out.flags.append("arm_not_level")
        if abs(out.leg_deg) > self.limb_tol_deg:
            out.flags.append("leg_not_level")
        if math.isfinite(out.trunk_change_deg) and out.trunk_change_deg > self.trunk_tol_deg:
            out.flags.append("trunk_moving")
        if prev_side == r.side:
            out.flags.append("same_side")
        return out

    def _end_reach(
        self, t1_s: float, frame1: int, events: list[Event], seen_end: bool = True
    ) -> None:
        r = self._cur
        self._cur = None
        if r is None or not r.samples:
            return
        if not seen_end:  # the person left: the reach ends at its last frame seen
            t1_s, frame1 = r.samples[-1][0], frame1
        prev = self.reaches[-1].side if self.reaches else None
        done = self._measure(r, t1_s, frame1, prev)
        self.reaches.append(done)
        events.append(
            Event(
                "rep",
                done.t0_s,
                done.frame0,
                side=done.side,
                value=done.hold_s,
                label=f"rep {done.n}",
            )
        )
        t_now = self.t_log[-1]
        if "short_hold" in done.flags:
            self.cues.offer("bd_short", words.LIVE["bird_dog_short"], 40, t_now, ttl_s=2.0)
        count = sum(1 for x in self.reaches if x.side == done.side)
        text = words.LIVE["bird_dog_count"].format(side=done.side.capitalize(), n=count)
        self.cues.offer(f"bd_rep{done.n}", text, 60, t_now, ttl_s=self.count_ttl_s, group="count")

    # -- summary --------------------------------------------------------------------------
    def _summary(self, res: ActivityResult) -> None:
        reaches = list(self.reaches)
        cur = self._cur
        if cur is not None and cur.samples:  # a reach still held: measured up to now
            prev = reaches[-1].side if reaches else None
            reaches.append(self._measure(cur, cur.samples[-1][0], len(self.frames) - 1, prev))
        n = len(reaches)
        n_left = sum(1 for r in reaches if r.side == "left")
        res.metrics["reps"] = Metric(
            float(n),
            "reps",
            n=n,
            left=float(n_left),
            right=float(n - n_left),
            note=words.NOTE_BIRD_DOG_REPS,
        )
        why = words.WHY_NO_REACH
        res.metrics["hold_s"] = median_metric([r.hold_s for r in reaches], "s", why)
        res.metrics["arm_deg"] = median_metric([r.arm_deg for r in reaches], "deg", why)
        res.metrics["leg_deg"] = median_metric([r.leg_deg for r in reaches], "deg", why)
        res.metrics["trunk_change_deg"] = median_metric(
            [r.trunk_change_deg for r in reaches], "deg", why
        )
        res.tables["reps"] = Table(
            columns=(
                "rep",
                "side",
                "start_s",
                "hold_s",
                "arm_deg",
                "leg_deg",
                "trunk_change_deg",
                "flags",
            ),
            units=("", "", "s", "s", "deg", "deg", "deg", ""),
            rows=tuple(
                (
                    float(r.n),
                    r.side,
                    r.t0_s,
                    r.hold_s,
                    r.arm_deg,
                    r.leg_deg,
                    r.trunk_change_deg,
                    ",".join(r.flags),
                )
                for r in reaches
            ),
        )
        res.metrics = judge_metrics(self.activity, res.metrics, self.settings.thresholds)
        res.findings = bird_dog_findings(
            res.metrics,
            [r.side for r in reaches],
            [r.hold_s for r in reaches],
            [r.frame0 for r in reaches],
            self.settings.thresholds,
        )
        res.series["trunk_tilt_deg"] = (tuple(self.t_log), tuple(self.trunk_log), "deg")


def analyze(series: PoseSeries, settings: Settings) -> ActivityResult:
    """Batch entry: feed every frame to a :class:`BirdDogAnalyzer`."""
    return analyze_series(BirdDogAnalyzer(settings), series)
