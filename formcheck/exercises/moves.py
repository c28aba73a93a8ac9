"""Counted (dynamic) moves from a spec: one analyzer for every warm-up move and the squat.

A :class:`MoveSpec` says what a move measures and how it is counted; the one
:class:`DynamicMoveAnalyzer` runs any spec on the per-frame engine
(:class:`~formcheck.exercises.engine.ExerciseAnalyzer`), so live and batch agree.

Per frame, a spec gives
* ``signals``: one scalar per *counter* (``"left"``/``"right"`` for a move counted
  per side, ``"cw"``/``"ccw"`` per direction, ``"both"`` for a move counted once):
  degrees or torso lengths, named with the unit (:attr:`MoveSpec.signal`). Each
  counter is a hysteresis :class:`~formcheck.exercises.counting.RepCounter`: a rep
  is the signal going past ``out_threshold`` and back past ``in_threshold``, each
  zone lasting ``phase_threshold`` seconds;
* ``aux``: the numbers its form check reads (a trunk lean, a hip turn), kept per frame;
  it runs after ``signals`` and finds this frame's signals in ``mem["signals"]``;
* ``in_position``: whether this frame shows the move's position.

Per rep: its side (the counter, or :attr:`MoveSpec.side_of`), its time out and
back (``rep_s``: *flung* when under ``move_flung_max_s`` for the controlled
moves), and one form check: ``form_value`` (a number from the rep's frames)
judged by its rule (:data:`formcheck.cues.thresholds_warmup.JUDGED`), giving the
rep's fault label (:attr:`MoveSpec.fault`) or None.

Live conventions (read by the routine runner):
* ``FrameState.reps`` = total reps; ``LiveUpdate.metrics``: ``reps``,
  ``reps_<side>`` per side or direction (:attr:`MoveSpec.sides`), ``rep_s`` of the
  last rep, and for timed moves ``active_s`` (seconds moving in position: from
  the start of a rep to the end of the last one, stretches joined while reps
  follow within ``move_gap_max_s``);
* each rep is an :class:`~formcheck.results.Event` ``kind="rep"`` at its end,
  ``side`` = its side or direction (None for ``"both"``), ``value`` = ``rep_s``,
  ``label`` = its form: ``"good"``, the fault label, or ``"flung"``;
* the rep's frames get ``FrameState.form`` = that label; ``FrameState.angles`` holds
  each counter's signal (:func:`signal_name`: ``thigh_raise_left_deg``).

The summary: ``reps`` (with ``left``/``right`` for moves counted per side),
``reps_<side>``, ``rep_s`` and the form metric (medians over reps), ``active_s``
(timed moves); a ``reps`` table; findings from :mod:`formcheck.cues.warmup_findings`.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from formcheck.cues import words_exercises as words
from formcheck.cues import words_warmup as ww
from formcheck.cues.judge import judge, judge_metrics
from formcheck.cues.warmup_findings import RepNote, move_findings
from formcheck.exercises.counting import Excursion, RepCounter
from formcheck.exercises.engine import ExerciseAnalyzer, Step, analyze_series, feed
from formcheck.exercises.move_body import Body, Memory, MoveRep, RepView, SignalFn, peak_of
from formcheck.exercises.posture import Posture
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult, Event, Metric, Notice, Table, median_metric
from formcheck.settings import Settings

__all__ = [
    "Body",
    "DynamicMoveAnalyzer",
    "Memory",
    "MoveRep",
    "MoveSpec",
    "RepView",
    "SignalFn",
    "peak_of",
    "recognise",
    "signal_name",
]


#: Frames of ``aux`` numbers kept for the rep under way (60 s at 30 fps): a longer
#: excursion keeps its last frames' numbers only.
AUX_FRAMES = 1800


@dataclass(frozen=True, slots=True)
class MoveSpec:
    """What a counted move measures and how it is counted (see the module docstring).

    name : the activity name (``"high-knees"``). view : ``"side"`` or ``"front"``.
    needed : body parts that must be in view. counters : the signal keys.
    sides : the published sides or directions (``reps_<side>``), () when the move
        is counted once. signal, unit : the signal's name (with its unit) and unit.
    out_threshold, in_threshold, phase_threshold : threshold names (see
        :class:`~formcheck.exercises.counting.RepCounter`).
    signals, aux, in_position : the per-frame functions.
    form_metric, form_unit, form_value, fault : the per-rep form check: the
        metric's name and unit, the number from a rep, the fault label when that
        number is judged ``work_on``.
    side_of : the side of a rep when it is not its counter (circles: the direction).
    dose_threshold : reps per side that make the set; timed_threshold : seconds of a
        timed move (high knees, butt kicks). max_rep_threshold : an excursion longer
        than this is not a rep of the move (arms held up is not a jumping jack).
    counts : (rep, threshold lookup) -> whether an excursion is a rep of the move at
        all (a turn of the whole body is not a twist); None: every excursion is.
    """

    name: str
    view: Literal["side", "front"]
    needed: tuple[str, ...]
    counters: tuple[str, ...]
    sides: tuple[str, ...]
    signal: str
    unit: str
    out_threshold: str
    in_threshold: str
    signals: SignalFn
    in_position: Callable[[Body, Memory], bool]
    form_metric: str
    form_unit: str
    fault: str
    form_value: Callable[[RepView], float] = peak_of
    aux: SignalFn | None = None
    side_of: Callable[[RepView], str] | None = None
    phase_threshold: str = "rep_phase_min_s"
    max_rep_threshold: str | None = None
    counts: Callable[[RepView, Callable[[str], float]], bool] | None = None
    dose_threshold: str | None = None
    timed_threshold: str | None = None

    # the activity table's three functions
    def live(self, settings: Settings | None = None) -> DynamicMoveAnalyzer:
        return DynamicMoveAnalyzer(self, settings)

    def analyze(self, series: PoseSeries, settings: Settings) -> ActivityResult:
        return analyze_series(DynamicMoveAnalyzer(self, settings), series)

    def recognise(self, series: PoseSeries, settings: Settings) -> float:
        return recognise(self, series, settings)


def signal_name(spec: MoveSpec, key: str) -> str:
    """The per-frame name of a counter's signal: the side goes before the unit
    (``thigh_raise_left_deg``), as the other analyzers name their angles; a move with
    one counter keeps the signal's own name (``arm_raise_deg``)."""
    if len(spec.counters) == 1:
        return spec.signal
    base, _, unit = spec.signal.rpartition("_")
    return f"{base}_{key}_{unit}" if base else f"{spec.signal}_{key}"


class DynamicMoveAnalyzer(ExerciseAnalyzer):
    """The live and batch analyzer of any :class:`MoveSpec` (see the module docstring)."""

    def __init__(self, spec: MoveSpec, settings: Settings | None = None) -> None:
        self.spec = spec
        self.activity = spec.name
        self.view_needed = spec.view
        self.needed = spec.needed
        super().__init__(settings)
        th = self.th
        phase = th(spec.phase_threshold)
        out, inn = th(spec.out_threshold), th(spec.in_threshold)
        self.counters = {k: RepCounter(out, inn, phase) for k in spec.counters}
        self.reset_s = th("position_min_s")
        self.gap_s = th("move_gap_max_s")
        #: a spec's own memory; ``mem["th"]`` is the threshold lookup (name -> value),
        #: ``mem["signals"]`` this frame's signals (set before ``aux`` runs)
        self.mem: Memory = {"th": self.th}
        self.reps: list[MoveRep] = []
        #: reps so far per side or direction (None: a move counted once), kept as reps
        #: come so the per-frame metrics do not count them again
        self.side_reps: Counter[str | None] = Counter()
        self._aux: deque[tuple[int, dict[str, float]]] = deque(maxlen=AUX_FRAMES)
        #: active stretches (t0, t1) of a timed move; the last may still grow
        self.active: list[list[float]] = []
        self.signal_log: dict[str, list[float]] = {k: [] for k in spec.counters}
        self._dose = int(th(spec.dose_threshold)) if spec.dose_threshold else None
        self._timed_s = th(spec.timed_threshold) if spec.timed_threshold else None
        self._told_time = False
        self._max_rep_s = th(spec.max_rep_threshold) if spec.max_rep_threshold else None

    # -- per frame ------------------------------------------------------------------------
    def _body(self, p: Posture) -> Body:
        return Body(p, self.xy, self.vis, self.z)

    def in_position_now(self, p: Posture) -> bool:
        return bool(self.spec.in_position(self._body(p), self.mem))

    def _setup_cues(self, t_s: float, p: Posture, ok_now: bool) -> None:
        # standing moves say where the camera goes in their own words (the engine's
        # front-view words are the side plank's)
        if p.present and p.in_frame and p.view != self.view_needed and not ok_now:
            self.cues.offer("view", ww.VIEW_CUE[self.view_needed], 15, t_s)
            return
        super()._setup_cues(t_s, p, ok_now)

    def setup_notices(self) -> list[Notice]:
        name = words.EXERCISE_NAME[self.activity]
        text = ww.VIEW_NOTICE[self.view_needed].format(name=name)
        return [
            replace(n, message=text) if n.code == "wrong_view" else n
            for n in super().setup_notices()
        ]

    def _metrics(self, t_s: float, last: MoveRep | None = None) -> dict[str, float]:
        m = {"reps": float(len(self.reps))}
        for s in self.spec.sides:
            m[f"reps_{s}"] = float(self.side_reps[s])
        if self.spec.timed_threshold:
            m["active_s"] = self.active_s(t_s)
        if self.reps:
            m["rep_s"] = (last or self.reps[-1]).rep_s
        return m

    def active_s(self, t_s: float) -> float:
        """Seconds moving in position so far (timed moves)."""
        total = sum(b - a for a, b in self.active)
        if self.active and any(c.out for c in self.counters.values()):
            total += max(self.active[-1][1], t_s) - self.active[-1][1]  # the last one grows
        return total

    def _step(self, i: int, t_s: float, p: Posture, ok_now: bool) -> Step:
        for k in self.signal_log:
            self.signal_log[k].append(math.nan)
        measurable = p.present and p.in_frame and (ok_now or self.in_position.state is True)
        events: list[Event] = []
        lost_s = self.lost_for_s(t_s, measurable)
        if not measurable:
            if lost_s >= self.reset_s:
                for c in self.counters.values():
                    c.reset()
                # and the spec's own memory (half a cat-cow cycle, a resting baseline):
                # it is of the movement before the break, as the counters' rep was
                self.mem = {"th": self.th}
            phase = self.unmeasured_phase(p)
            return Step(phase=phase, reps=len(self.reps), events=events, metrics=self._metrics(t_s))
        body = self._body(p)
        sig = self.spec.signals(body, self.mem)
        self.mem["signals"] = sig  # this frame's, for ``aux`` (not computed twice)
        aux = self.spec.aux(body, self.mem) if self.spec.aux is not None else {}
        self._aux.append((i, aux))
        angles: dict[str, float] = {}
        for key, counter in self.counters.items():
            x = float(sig.get(key, math.nan))
            self.signal_log[key][-1] = x
            angles[signal_name(self.spec, key)] = x
            ex = counter.update(x, t_s, i)
            if ex is not None:
                self._rep_done(key, ex, t_s, events)
        out = [k for k, c in self.counters.items() if c.out]
        if out and self.spec.timed_threshold:
            self._extend_active(self.counters[out[0]].zone.since_s or t_s, t_s)
        self._time_cue(t_s)
        phase = f"out_{out[0]}" if out else "in"
        return Step(
            phase=phase,
            angles=angles,
            reps=len(self.reps),
            events=events,
            metrics=self._metrics(t_s),
        )

    def _extend_active(self, t0: float, t1: float) -> None:
        if self.active and t0 - self.active[-1][1] <= self.gap_s:
            self.active[-1][1] = max(self.active[-1][1], t1)
        else:
            self.active.append([t0, t1])

    def _rep_view(self, key: str, ex: Excursion) -> RepView:
        aux: dict[str, list[float]] = {}
        for f, values in self._aux:
            if ex.frame0 <= f <= ex.frame1:
                for name, x in values.items():
                    aux.setdefault(name, []).append(x)
        return RepView(key, ex, aux)

    def _rep_done(self, key: str, ex: Excursion, t_s: float, events: list[Event]) -> None:
        spec = self.spec
        if self._max_rep_s is not None and ex.duration_s > self._max_rep_s:
            return
        view = self._rep_view(key, ex)
        if spec.counts is not None and not spec.counts(view, self.th):
            return
        side = spec.side_of(view) if spec.side_of is not None else key
        side_or_none = None if side == "both" else side
        value = float(spec.form_value(view))
        o = self.settings.thresholds
        fault = spec.fault if judge(spec.name, spec.form_metric, value, o) == "work_on" else None
        flung = judge(spec.name, "rep_s", ex.duration_s, o) == "work_on"
        rep = MoveRep(
            len(self.reps) + 1, side_or_none, ex.t0_s, ex.t1_s, ex.frame0, ex.frame1,
            ex.frame_peak, ex.peak, ex.duration_s, value, fault, flung,
        )  # fmt: skip
        self.reps.append(rep)
        self.side_reps[side_or_none] += 1
        if spec.timed_threshold:
            self._extend_active(ex.t0_s, ex.t1_s)
        self.patch(ex.frame0, ex.frame1, form=rep.label)
        events.append(Event("rep", ex.t1_s, ex.frame1, side=side_or_none, value=rep.rep_s,
                            label=rep.label))  # fmt: skip
        if fault is not None:
            self.cues.offer(f"fault_{fault}", words.LIVE[f"{spec.name}_{fault}"], 20, t_s, 2.0)
        elif flung:
            self.cues.offer("flung", words.LIVE["move_flung"], 30, t_s, ttl_s=2.0)
        n_side = self.side_reps[side_or_none]
        if side_or_none is None:
            text = words.LIVE["move_count"].format(n=n_side)
        elif self._dose is not None and n_side == self._dose:
            text = words.LIVE["move_side_done"].format(n=n_side, side=ww.side_word(spec.name, side))
        else:
            text = words.LIVE["move_count_side"].format(
                side=ww.side_word(spec.name, side).capitalize(), n=n_side
            )
        self.cues.offer(f"rep{rep.n}", text, 60, t_s, ttl_s=self.count_ttl_s, group="count")

    def _time_cue(self, t_s: float) -> None:
        if self._timed_s is None or self._told_time:
            return
        if self.active_s(t_s) >= self._timed_s:
            self._told_time = True
            text = words.LIVE["move_time_done"].format(s=f"{self._timed_s:.0f}")
            self.cues.offer("time_done", text, 50, t_s, ttl_s=2.0)

    # -- summary --------------------------------------------------------------------------
    def _summary(self, res: ActivityResult) -> None:
        spec, reps = self.spec, self.reps
        n = len(reps)
        counts = {s: self.side_reps[s] for s in spec.sides}
        two = set(spec.sides) == {"left", "right"}
        res.metrics["reps"] = Metric(
            float(n), "reps", n=n,
            left=float(counts["left"]) if two else None,
            right=float(counts["right"]) if two else None,
            note=ww.NOTE_MOVE_REPS if two else "",
        )  # fmt: skip
        for s, c in counts.items():
            res.metrics[f"reps_{s}"] = Metric(float(c), "reps", n=c)
        why = ww.WHY_NO_MOVE_REP
        res.metrics["rep_s"] = median_metric([r.rep_s for r in reps], "s", why)
        res.metrics[spec.form_metric] = median_metric(
            [r.form_value for r in reps], spec.form_unit, why
        )
        if spec.timed_threshold:
            t_end = self.t_log[-1] if self.t_log else 0.0
            res.metrics["active_s"] = Metric(self.active_s(t_end), "s", n=n, note=ww.NOTE_ACTIVE)
        res.tables["reps"] = Table(
            columns=("rep", "side", "start_s", "rep_s", spec.signal, spec.form_metric, "form"),
            units=("", "", "s", "s", spec.unit, spec.form_unit, ""),
            rows=tuple(
                (float(r.n), r.side or "", r.t0_s, r.rep_s, r.peak, r.form_value,
                 ww.rep_label(r.fault if r.fault else ("flung" if r.flung else None)))
                for r in reps
            ),
        )  # fmt: skip
        res.metrics = judge_metrics(spec.name, res.metrics, self.settings.thresholds)
        notes = [
            RepNote(r.side, r.form_value, r.rep_s, r.frame_peak, r.fault, r.flung) for r in reps
        ]
        res.findings = move_findings(
            spec.name,
            res.metrics,
            notes,
            spec.form_metric,
            spec.form_unit,
            spec.sides,
            spec.dose_threshold,
            spec.timed_threshold,
            self.settings.thresholds,
        )
        for k, xs in self.signal_log.items():
            res.series[signal_name(spec, k)] = (tuple(self.t_log), tuple(xs), spec.unit)


def recognise(spec: MoveSpec, series: PoseSeries, settings: Settings | None = None) -> float:
    """Share of the posed frames that show ``spec``'s move: in its position *and*
    inside a stretch of reps (a rep's frames, and the time between two reps that
    follow within ``move_gap_max_s`` or one and a half typical reps), in [0, 1]; 0
    without a pose."""
    a = DynamicMoveAnalyzer(spec, settings)
    feed(a, series)
    n_posed = sum(a.present_log)
    if n_posed == 0 or not a.reps:
        return 0.0
    # a pause shorter than move_gap_max_s, or than one and a half of the move's own
    # reps (a squat takes seconds), is a pause between reps of one set
    gap_s = max(a.gap_s, 1.5 * float(np.median([r.rep_s for r in a.reps])))
    spans: list[list[float]] = []
    for r in sorted(a.reps, key=lambda r: r.t0_s):
        if spans and r.t0_s - spans[-1][1] <= gap_s:
            spans[-1][1] = max(spans[-1][1], r.t1_s)
        else:
            spans.append([r.t0_s, r.t1_s])
    t = np.asarray(a.t_log)
    moving = np.zeros(t.size, bool)
    for t0, t1 in spans:
        moving |= (t >= t0) & (t <= t1)
    shown = moving & np.asarray(a.position_log, bool)
    return float(shown.sum() / n_posed)
