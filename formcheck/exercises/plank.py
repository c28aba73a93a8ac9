"""Plank (forearm or straight-arm, side view): hold time and the body line, frame by frame.

The body line is the signed deviation of the hips from the straight line
shoulder-ankle of the near side (``kinematics.signed_line_deviation_deg``):
0 = in line, + = hips below the line (sagging), - = above it (piked). The band
is asymmetric, as the coaching and spine-load sources treat the two directions:
sagging extends the lumbar spine (the fault that hurts a sore back) and is
judged tighter than hips a little high (see the thresholds' sources). Each frame
gets a form label with hysteresis and a minimum duration:

* ``"hips_sagging"`` above ``+plank_sag_max_deg``, ``"hips_piked"`` below
  ``-plank_pike_max_deg``; a flagged label clears only ``form_hysteresis_deg``
  back inside the limit, and any change must last ``hold_break_min_s``;
* ``"good"`` otherwise;
* no label while the hips are more than ``plank_hips_down_deg`` below the line:
  they are down on the floor, a rest between holds (the hold pauses);
* no label while in position but seen too far from side-on to judge the line
  (a three-quarter view: shoulder or hip width over ``side_view_max_width_ratio``
  of the torso length); the hold is still timed and a notice says so.

The hold is the time *in position*, whatever the form (a too-strict verdict must
not erase a hold): the hold clock (:class:`~formcheck.exercises.timing.HoldClock`)
starts after ``hold_start_min_s`` in position, dated from the first frame with the
hips up to the line (inside the sagging limit, or above the line): lifting the
hips off the floor is getting into the hold, not holding it. A hold that sags all
along is dated from its first frame in position instead. It pauses
when the position breaks for ``hold_break_min_s`` (dated from the break), and
keeps the total and the longest hold. Beside it the summary gives the time in
good form and each label's share of the hold time.

References
----------
The cue (plank): straight line shoulder-hip-ankle, no sagging hips, no
piking; hold 30 s, building up over time [A3].
"""

from __future__ import annotations

import math
import statistics

import numpy as np

from formcheck.cues import words_exercises as words
from formcheck.cues.exercises import hold_findings
from formcheck.cues.judge import judge_metrics
from formcheck.exercises.engine import ExerciseAnalyzer, Step, analyze_series
from formcheck.exercises.posture import Posture
from formcheck.exercises.posture_geometry import mid
from formcheck.exercises.timing import Debounce, HoldClock, HoldSegment, time_runs
from formcheck.kinematics import signed_line_deviation_deg
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult, Event, Metric, Notice, Table, not_measurable
from formcheck.settings import Settings

DEVIATION = "hip_line_deg"
LINE = "shoulder_hip_ankle_deg"


class PlankAnalyzer(ExerciseAnalyzer):
    """Live plank analyzer (see the module docstring)."""

    activity = "plank"
    position = "prone_straight"
    view_needed = "side"
    needed = ("shoulder", "hip", "ankle")
    #: threshold names: ``{prefix}_sag_max_deg`` and ``{prefix}_pike_max_deg``
    prefix = "plank"
    cue_prefix = ""

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(settings)
        th = self.th
        self.sag_deg = th(f"{self.prefix}_sag_max_deg")
        self.pike_deg = th(f"{self.prefix}_pike_max_deg")
        self.view_max = th("side_view_max_width_ratio")
        self.down_deg = th("plank_hips_down_deg")
        self.hyst_deg = th("form_hysteresis_deg")
        self.form = Debounce(None, th("hold_break_min_s"))
        self.clock = HoldClock(th("hold_start_min_s"), th("hold_break_min_s"))
        self.target_s = th("plank_hold_target_s")
        self.call_every_s = th("hold_call_every_s")
        self._called = 0
        self._first_cand: str | None = None
        self.dev_log: list[float] = []
        #: in position, but seen too obliquely to judge the line (per frame)
        self.not_judged_log: list[bool] = []
        #: in position and holding it (not resting with the hips down), per frame
        self.holding_log: list[bool] = []
        #: (time, frame) of the first frame of this stretch in position with the hips
        #: up to the line (deviation at most the sagging limit); None before
        self._up_since: tuple[float, int] | None = None

    # -- geometry (the side plank overrides these) -----------------------------------------
    def _points(self, p: Posture) -> tuple[tuple[float, float], ...]:
        """Shoulder, hip and ankle of the near side, pixels."""
        return tuple(p.p(p.near, part) for part in ("shoulder", "hip", "ankle"))

    def _side(self, p: Posture) -> str | None:
        return None

    def _line_judgeable(self, p: Posture) -> bool:
        """Side-on enough to judge the line (a three-quarter view is timed, not judged)."""
        return p.width_ratio < self.view_max

    # -- per frame ------------------------------------------------------------------------
    def _step(self, i: int, t_s: float, p: Posture, ok_now: bool) -> Step:
        dev = math.nan
        placed = p.present and p.in_frame and (ok_now or self.in_position.state is True)
        measurable = placed and self._line_judgeable(p)
        if measurable:
            sh, hip, ank = self._points(p)
            if not (math.isfinite(sh[0]) and math.isfinite(ank[0])):
                sh, hip, ank = (
                    mid(p.p("left", q), p.p("right", q)) for q in ("shoulder", "hip", "ankle")
                )
            a = np.array([sh, hip, ank], dtype=np.float64)
            dev = float(signed_line_deviation_deg(a[0], a[1], a[2]))
            measurable = math.isfinite(dev)
        self.not_judged_log.append(ok_now and not measurable)
        if ok_now and not measurable:  # timed, but the line needs a side view
            self.cues.offer("view", words.LIVE[f"view_{self.view_needed}"], 40, t_s)
        # hips down on the floor: a rest between holds, not a sagging hold
        resting = measurable and dev > self.down_deg
        in_pos = ok_now and not resting
        self.holding_log.append(in_pos)
        if not in_pos:
            self._up_since = None
        elif self._up_since is None and measurable and dev <= self.sag_deg:
            self._up_since = (t_s, i)
        events: list[Event] = []
        label: str | None = None
        if resting:
            self.form.update(None, t_s, i)  # cancels a pending label: lowering is no sag
        elif measurable:
            cur = self.form.state
            sag, pike, h = self.sag_deg, self.pike_deg, self.hyst_deg
            if dev > sag or (cur == "hips_sagging" and dev > sag - h):
                cand = "hips_sagging"
            elif dev < -pike or (cur == "hips_piked" and dev < -(pike - h)):
                cand = "hips_piked"
            else:
                cand = "good"
            if self.form.update(cand, t_s, i) and self.form.since_frame is not None:
                self.patch(self.form.since_frame, i, form=self.form.state)
            label = self.form.state if isinstance(self.form.state, str) else None
            self._first_cand = self._first_cand or cand
        side = self._side(p) if placed else None
        # the hold is the time in position, whatever the form
        for kind, t_ev, f_ev in self.clock.update(in_pos, t_s, i, label=side or ""):
            if kind == "hold_start" and self._up_since is not None and self._up_since[0] > t_ev:
                t_ev, f_ev = self._up_since  # the lift before the hips came up is not held
                self.clock.redate_start(t_ev, f_ev)
            events.append(Event(kind, t_ev, f_ev, side=side if kind == "hold_start" else None))
            if kind == "hold_start":
                self._settle_hold_start(f_ev, i)
                self._called = 0
                self.cues.offer("hold_start", words.LIVE["hold_start"], 60, t_s, ttl_s=1.0)
            else:
                self.cues.offer("hold_break", words.LIVE["hold_break"], 45, t_s, ttl_s=1.0)
        hold_s = self.clock.current_s(t_s)
        if measurable and not resting and label in ("hips_sagging", "hips_piked"):
            key = f"{self.cue_prefix}{label}"
            self.cues.offer(key, words.LIVE[key], 20 if label == "hips_sagging" else 30, t_s)
        self._hold_calls(t_s, hold_s)
        self.dev_log.append(dev if measurable else math.nan)
        if not p.present:
            phase = "absent"
        elif not p.in_frame:
            phase = "out_of_frame"
        elif self.clock.holding:
            phase = "break" if self.clock.breaking else "hold"
        elif (measurable or placed) and not resting:
            phase = "ready"
        else:
            phase = "setup"
        angles = {DEVIATION: dev, LINE: 180.0 - abs(dev)} if measurable else {}
        metrics = {
            "hold_s": hold_s,
            "total_hold_s": self.clock.total_s(t_s),
            DEVIATION: dev,
        }
        return Step(
            phase=phase, form=label, angles=angles, hold_s=hold_s, events=events, metrics=metrics
        )

    def on_cut(self, t_s: float, frame: int) -> list[Event]:
        """A hold ends at an edit's cut (the next shot's time is not this one's)."""
        return [Event(kind, t_ev, f_ev) for kind, t_ev, f_ev in self.clock.cut(t_s, frame)]

    def _settle_hold_start(self, frame0: int, frame_now: int) -> None:
        """Date the hold back to its first good frame in the settled per-frame states."""
        t0 = self.t_log[frame0]
        for k in range(frame0, frame_now):
            self.patch(k, k + 1, phase="hold", hold_s=self.t_log[k] - t0)

    def _hold_calls(self, t_s: float, hold_s: float) -> None:
        if not self.clock.holding or self.call_every_s <= 0:
            return
        k = int(hold_s // self.call_every_s)
        if k > self._called:
            self._called = k
            s = k * self.call_every_s
            reached = s >= self.target_s > s - self.call_every_s
            text = words.LIVE["hold_target" if reached else "hold_time"].format(s=f"{s:.0f}")
            self.cues.offer(
                f"hold{k}", text, 55 if reached else 65, t_s, ttl_s=self.count_ttl_s, group="count"
            )

    # -- summary --------------------------------------------------------------------------
    def result(self) -> ActivityResult:
        """Everything so far. A single frame (a photo) is judged on its own: its form
        label is that frame's, with no minimum duration to wait for."""
        if self.single_frame and self.frames and self.frames[0].form is None:
            self.patch(0, 1, form=self._first_cand)
        return super().result()

    def _summary(self, res: ActivityResult) -> None:
        segs = self.clock.all_segments()
        total = sum(s.duration_s for s in segs)
        longest = max((s.duration_s for s in segs), default=0.0)
        photo = self.single_frame
        t = self.t_log
        # the hold's time by form label (time between frames, not frame counts)
        labels = ("good", "hips_sagging", "hips_piked", "not_judged")
        by_label = dict.fromkeys(labels, 0.0)
        per_hold: list[dict[str, float]] = []
        good_in_hold = [False] * len(t)
        for s in segs:
            this = dict.fromkeys(labels, 0.0)
            for k in range(s.frame0, min(s.frame1 + 1, len(t))):
                nxt = t[k + 1] if k + 1 < len(t) else s.t1_s  # a hold open at the end
                dt = max(min(nxt, s.t1_s) - t[k], 0.0)
                lab = self.frames[k].form
                this[lab if lab in this else "not_judged"] += dt
                good_in_hold[k] = lab == "good"
            per_hold.append(this)
            for lab in labels:
                by_label[lab] += this[lab]
        good_runs = time_runs(good_in_hold, t, 0.0)
        devs = [
            d
            for d, ok in zip(self.dev_log, self.holding_log, strict=True)
            if ok and math.isfinite(d)
        ]
        if photo:
            res.metrics["hold_s"] = not_measurable("s", words.WHY_PHOTO_NO_DURATION)
            res.metrics["longest_hold_s"] = not_measurable("s", words.WHY_PHOTO_NO_DURATION)
        else:
            res.metrics["hold_s"] = Metric(total, "s", n=len(segs), note=words.NOTE_HOLD)
            res.metrics["good_form_s"] = Metric(by_label["good"], "s", note=words.NOTE_GOOD_FORM)
            res.metrics["longest_hold_s"] = Metric(longest, "s", n=len(segs))
            res.metrics["longest_good_form_s"] = Metric(
                max((b - a for a, b in good_runs), default=0.0), "s", note=words.NOTE_LONGEST_GOOD
            )
            res.metrics["holds"] = Metric(float(len(segs)), "holds", n=len(segs))
        if devs:
            med = float(statistics.median(devs))
            res.metrics[DEVIATION] = Metric(med, "deg", n=len(devs), note=words.NOTE_HIP_DEVIATION)
            res.metrics[LINE] = Metric(180.0 - abs(med), "deg", n=len(devs))
        else:
            why = words.WHY_LINE_NOT_JUDGED if total > 0 else words.WHY_NEVER_IN_POSITION
            res.metrics[DEVIATION] = not_measurable("deg", why)
            res.metrics[LINE] = not_measurable("deg", why)
        fr = {k: (v / total if total > 0 else None) for k, v in by_label.items()}
        if photo and devs:
            lab = self.frames[0].form
            fr = {k: (1.0 if k == lab else 0.0) for k in by_label}
        for k, v in fr.items():
            if v is not None:
                res.metrics[f"{'line_' if k == 'not_judged' else ''}{k}_frac"] = Metric(
                    v, "fraction of the hold", note=words.NOTE_HOLD_SHARE
                )

        def pct(x: float, s: HoldSegment) -> float | None:
            return 100.0 * x / s.duration_s if s.duration_s > 0 else None

        cols = ("hold", "start_s", "end_s", "hold_s", "side", "good_form_s")
        shares = ("sagging_pct", "piked_pct", "line_not_judged_pct")
        res.tables["holds"] = Table(
            columns=(*cols, *shares),
            units=("", "s", "s", "s", "", "s", "pct", "pct", "pct"),
            rows=tuple(
                (
                    float(k + 1),
                    s.t0_s,
                    s.t1_s,
                    s.duration_s,
                    s.label or None,
                    h["good"],
                    *(pct(h[lab], s) for lab in ("hips_sagging", "hips_piked", "not_judged")),
                )
                for k, (s, h) in enumerate(zip(segs, per_hold, strict=True))
            ),
        )
        self._line_notice(res)
        flagged = [self.frames[k].form not in (None, "good") for k in range(len(self.frames))]
        key = next((k for k, f in enumerate(flagged) if f), None)
        if key is None and devs:
            key = next((k for k, ok in enumerate(self.holding_log) if ok), None)
        res.metrics = judge_metrics(self.activity, res.metrics, self.settings.thresholds)
        res.findings = hold_findings(
            self.activity, res.metrics, key, self.settings.thresholds, photo=photo
        )
        res.series[DEVIATION] = (tuple(t), tuple(self.dev_log), "deg")
        bad_runs = time_runs(flagged, t, self.th("hold_break_min_s"))
        if bad_runs:
            res.events.extend(
                Event("form_break", a, self.t_log.index(a), value=b - a, label="form")
                for a, b in bad_runs
            )
            res.events.sort(key=lambda e: (e.t_s, e.frame))

    def _line_notice(self, res: ActivityResult) -> None:
        """Say where the plank was timed but seen too obliquely to judge its line; this
        replaces the general wrong-view notice (it says the same, more exactly)."""
        runs = time_runs(self.not_judged_log, self.t_log, self.th("position_min_s"))
        if not runs:
            return
        name = words.EXERCISE_NAME[self.activity]
        res.notices = [n for n in res.notices if n.code != "wrong_view"]
        res.notices.append(
            Notice(
                "line_not_judged", words.NOTICE["line_not_judged"].format(name=name), tuple(runs)
            )
        )


def analyze(series: PoseSeries, settings: Settings) -> ActivityResult:
    """Batch entry: feed every frame to a :class:`PlankAnalyzer`."""
    return analyze_series(PlankAnalyzer(settings), series)
