"""The one judgement: a measured number against its target.

Every place that shows whether a number is on target -- the live pages, the
report's findings, the text summary, the HTML, the app, speech -- shows the
status this module gave it and never compares the number with a threshold
itself, so they cannot disagree. The analyzers call :func:`judge_metrics` once
and the status travels with the number (:attr:`formcheck.results.Metric.status`,
:attr:`formcheck.live.LiveUpdate.statuses`).

Vocabulary (:data:`formcheck.results.MetricStatus`):

* ``good`` -- on target;
* ``watch`` -- inside the normal range but at its edge (a trunk lean between
  ``trunk_lean_good_max_deg`` and ``trunk_lean_max_deg``, an overstride between
  ``overstride_ok_leglen`` and ``overstride_flag_leglen``), or over a limit that
  this clip cannot measure finely enough to flag;
* ``work_on`` -- past a flag bound: the report flags it, the live page shows it
  red, and speech may say it.

A finding's status follows from it (:func:`finding_status`): ``work_on`` ->
``"flag"``, ``good`` and ``watch`` -> ``"ok"``.

A metric judged over time as well (:attr:`formcheck.results.Metric.stretch`: trunk
lean, bending at the waist, head forward, overstride, cadence) is ``work_on`` when
its typical value or its worst sustained stretch's value is past a ``work_on`` bound:
a few seconds of bad form is not averaged away by the clip's median.

Each rule names its bounds by threshold name, so a judgement's numbers, units
and sources are those of :mod:`formcheck.cues.thresholds` (with the user's
overrides) and :func:`sources` lists them.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from formcheck.cues import thresholds as th
from formcheck.cues.thresholds_floor import JUDGED as FLOOR_JUDGED
from formcheck.cues.thresholds_stretches import STRETCHES
from formcheck.cues.thresholds_warmup import JUDGED as WARMUP_JUDGED
from formcheck.cues.words_running_notes import BEYOND_NOISE
from formcheck.results import Metric, MetricStatus, Status

Overrides = Mapping[str, float] | None
Side = Literal["above", "below"]


@dataclass(frozen=True, slots=True)
class Limit:
    """A bound given by a threshold's name: ``sign * value + plus`` (e.g. the bridge's
    arch limit is ``180 + bridge_arch_max_deg``, a fall in cadence ``-drift_cadence_spm``)."""

    name: str
    plus: float = 0.0
    sign: float = 1.0

    def value(self, overrides: Overrides = None) -> float:
        return self.sign * th.value(self.name, dict(overrides) if overrides else None) + self.plus


#: A further condition for ``work_on``: (the metric, all metrics, overrides) -> bool.
Guard = Callable[[Metric, Mapping[str, Metric], Overrides], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    """How one metric is judged.

    work_on_above / work_on_below : past these the value is ``work_on``.
    watch_above / watch_below : past these (and not ``work_on``) it is ``watch``.
    guard : when set, a value past a ``work_on`` bound is ``work_on`` only if the
        guard holds too, and ``unguarded`` otherwise (a drift smaller than the
        noise between steps, an asymmetry measured with low confidence).
    tolerance : a margin past the ``work_on`` bounds that is still ``watch`` (a hair
        over a line is not a fault), in the metric's unit, or in percent of the bound
        when the threshold's unit is ``"%"``. The metric's validated error at the
        clip's frame rate (:attr:`Metric.accuracy`, its mean absolute error) widens
        it: a value nearer the line than the measurement can tell apart is ``watch``.
    """

    work_on_above: Limit | None = None
    work_on_below: Limit | None = None
    watch_above: Limit | None = None
    watch_below: Limit | None = None
    guard: Guard | None = None
    unguarded: MetricStatus = "good"
    tolerance: str | None = None

    def limits(self) -> tuple[Limit, ...]:
        return tuple(
            x
            for x in (self.work_on_above, self.work_on_below, self.watch_above, self.watch_below)
            if x is not None
        )


@dataclass(frozen=True, slots=True)
class Assessment:
    """A judged value: its status and, when past a bound, which side it is on."""

    status: MetricStatus
    side: Side | None = None
    #: ``watch`` because the value is only a hair past a ``work_on`` bound
    near: bool = False


# ---------------------------------------------------------------------------------------
# guards
def _beyond_noise(m: Metric, _all: Mapping[str, Metric], _o: Overrides) -> bool:
    # the drift analysis says in the note whether the change exceeds the step noise
    return BEYOND_NOISE in m.note


def _measured_finely(m: Metric, _all: Mapping[str, Metric], _o: Overrides) -> bool:
    # a difference between the legs is worked on only when both were seen clearly in
    # most steps ("high"): a side view times the far leg's contacts less surely (the
    # validation's far-leg-unclear contacts run several ms later), and a steady lag of
    # one leg's contacts is a step-time asymmetry of twice its share of the step;
    # otherwise (far leg half hidden, few steps, within the step-to-step scatter) it
    # may be measurement error: shown to watch, not flagged
    return m.confidence == "high"


def _with_overstride(_m: Metric, metrics: Mapping[str, Metric], o: Overrides) -> bool:
    # heel strike matters only together with overstriding
    return judge("run", "overstride_leg_lengths", metrics.get("overstride_leg_lengths"), o) == (
        "work_on"
    )


def _above(name: str) -> Rule:
    return Rule(work_on_above=Limit(name))


def _below(name: str) -> Rule:
    return Rule(work_on_below=Limit(name))


def _within(name: str, centre: float = 0.0) -> Rule:
    return Rule(
        work_on_above=Limit(name, plus=centre), work_on_below=Limit(name, plus=centre, sign=-1)
    )


def _drift(name: str, fading: float) -> Rule:
    """A drift past its limit the way form fades as the runner tires (``fading`` +1: a
    rise, -1: a fall) is ``work_on`` when beyond the step-to-step noise; past the
    limit the other way, or within the noise, it is ``watch`` (a change, said as one,
    never "steady")."""
    fade, other = Limit(name, sign=fading), Limit(name, sign=-fading)
    if fading > 0:
        return Rule(work_on_above=fade, watch_below=other, guard=_beyond_noise, unguarded="watch")
    return Rule(work_on_below=fade, watch_above=other, guard=_beyond_noise, unguarded="watch")


def _one_bound(table: tuple[tuple[str, str, str, str], ...]) -> dict[str, dict[str, Rule]]:
    """Rules from (activity, metric, "above"/"below" = the work_on side, threshold) rows."""
    out: dict[str, dict[str, Rule]] = {}
    for activity, metric, side, name in table:
        out.setdefault(activity, {})[metric] = _above(name) if side == "above" else _below(name)
    return out


_ASYMMETRY = Rule(
    work_on_above=Limit("asymmetry_flag_pct"), guard=_measured_finely, unguarded="watch"
)


def _plank(prefix: str) -> dict[str, Rule]:
    # an asymmetric band: + = hips below the line (sagging, the tight side), - = above
    # (piked). The unsigned shoulder-hip-ankle angle cannot tell the sides apart, so it
    # is shown without a status of its own.
    return {
        "hip_line_deg": Rule(
            work_on_above=Limit(f"{prefix}_sag_max_deg"),
            work_on_below=Limit(f"{prefix}_pike_max_deg", sign=-1),
        ),
        "hips_sagging_frac": _above("plank_bad_form_frac"),
        "hips_piked_frac": _above("plank_bad_form_frac"),
    }


#: activity -> metric name -> rule. Metrics without a rule (counts, doses, left/right
#: differences, detection figures) have no target and no status.
RULES: Mapping[str, Mapping[str, Rule]] = {
    "run": {
        "overstride_leg_lengths": Rule(
            work_on_above=Limit("overstride_flag_leglen"),
            watch_above=Limit("overstride_ok_leglen"),
        ),
        "shin_angle_at_contact_deg": _above("shin_angle_flag_deg"),
        "cadence_spm": Rule(
            work_on_below=Limit("cadence_low_spm"), tolerance="cadence_tolerance_pct"
        ),
        "hip_drop_deg": _above("hip_drop_flag_deg"),
        "trunk_lean_deg": Rule(
            work_on_above=Limit("trunk_lean_max_deg"),
            work_on_below=Limit("trunk_lean_min_deg"),
            watch_above=Limit("trunk_lean_good_max_deg"),
        ),
        "vertical_oscillation_leg_lengths": _above("bounce_flag_leglen"),
        "vertical_ratio_pct": _above("vertical_ratio_flag_pct"),
        "head_forward_deg": _above("head_forward_flag_deg"),
        "waist_bend_deg": _above("waist_bend_flag_deg"),
        "knee_flexion_at_contact_deg": _below("knee_flexion_ic_low_deg"),
        "trunk_lean_drift_deg": _drift("drift_trunk_lean_deg", fading=1.0),
        "cadence_drift_spm": _drift("drift_cadence_spm", fading=-1.0),
        "overstride_drift_leg_lengths": _drift("drift_overstride_leglen", fading=1.0),
        "arm_crossing_frac": _above("arm_cross_flag_frac"),
        "foot_strike_angle_deg": Rule(
            work_on_above=Limit("footstrike_rearfoot_deg"), guard=_with_overstride
        ),
        "step_time_asymmetry_pct": _ASYMMETRY,
        "contact_time_asymmetry_pct": _ASYMMETRY,
        "contact_time_ms": _above("contact_time_flag_ms"),
    },
    "glute-bridge": {
        "top_deg": Rule(
            work_on_below=Limit("bridge_top_min_deg"),
            work_on_above=Limit("bridge_arch_max_deg", plus=180.0),
        ),
        "pause_s": _below("bridge_pause_min_s"),
        "lower_s": _below("bridge_lower_min_s"),
    },
    "plank": _plank("plank"),
    "side-plank": _plank("side_plank"),
    "bird-dog": {
        "hold_s": _below("bird_dog_hold_s"),
        "arm_deg": _within("bird_dog_limb_tol_deg"),
        "leg_deg": _within("bird_dog_limb_tol_deg"),
        "trunk_change_deg": _above("bird_dog_trunk_tol_deg"),
    },
    # cool-down stretches: any bouncing stretch is flagged; the hold is a dose, no status
    **{name: {"bouncing_n": _above("stretch_bounce_max_n")} for name in STRETCHES},
    **_one_bound(WARMUP_JUDGED),
    **_one_bound(FLOOR_JUDGED),
}


def _past(r: Rule, x: float, overrides: Overrides) -> Side | None:
    """Which ``work_on`` bound ``x`` is past, if any."""
    if r.work_on_above is not None and x > r.work_on_above.value(overrides):
        return "above"
    if r.work_on_below is not None and x < r.work_on_below.value(overrides):
        return "below"
    return None


def flag_bounds(
    activity: str, name: str, overrides: Overrides = None
) -> tuple[float | None, float | None]:
    """The ``work_on`` bounds (below, above) of a metric (None: no such bound), for
    finding the stretches of a series past them (:class:`formcheck.results.Stretch`)."""
    r = rule(activity, name)
    if r is None:
        return None, None
    lo = r.work_on_below.value(overrides) if r.work_on_below is not None else None
    hi = r.work_on_above.value(overrides) if r.work_on_above is not None else None
    return lo, hi


def rule(activity: str, name: str) -> Rule | None:
    """The rule judging ``name`` in ``activity``, or None (no target)."""
    return RULES.get(activity, {}).get(name)


def assess(
    activity: str,
    name: str,
    metric: Metric | float | None,
    overrides: Overrides = None,
    metrics: Mapping[str, Metric] | None = None,
) -> Assessment | None:
    """``metric`` (a :class:`Metric` or a bare value) judged against its target.

    metrics : the other metrics of the same analysis, for rules that depend on
        another one (heel strike with overstriding). Returns None when the metric
        has no rule or no value.
    """
    r = rule(activity, name)
    if r is None or metric is None:
        return None
    m = metric if isinstance(metric, Metric) else Metric(float(metric), "")
    if m.value is None:
        return None
    x = past = float(m.value)
    side = _past(r, x, overrides)
    if side is None and m.stretch is not None:
        # the typical value is fine, but a sustained stretch (its window median) is not
        past = m.stretch.value
        side = _past(r, past, overrides)
    if side is not None:
        if r.guard is not None and not r.guard(m, metrics or {}, overrides):
            return Assessment(r.unguarded, side)
        bound = (r.work_on_above if side == "above" else r.work_on_below).value(overrides)  # type: ignore[union-attr]
        if abs(past - bound) <= _tolerance(r, m, bound, overrides):
            return Assessment("watch", side, near=True)
        return Assessment("work_on", side)
    if r.watch_above is not None and x > r.watch_above.value(overrides):
        return Assessment("watch", "above")
    if r.watch_below is not None and x < r.watch_below.value(overrides):
        return Assessment("watch", "below")
    return Assessment("good")


def _tolerance(r: Rule, m: Metric, bound: float, overrides: Overrides) -> float:
    """The margin past ``bound`` that is still ``watch`` (see :class:`Rule`)."""
    tol = 0.0
    if r.tolerance is not None:
        t = th.value(r.tolerance, dict(overrides) if overrides else None)
        tol = abs(bound) * t / 100.0 if th.THRESHOLDS[r.tolerance].unit == "%" else t
    acc = m.accuracy
    if acc is not None and math.isfinite(acc.mae):
        tol = max(tol, abs(float(acc.mae)))
    return tol


def judge(
    activity: str,
    name: str,
    metric: Metric | float | None,
    overrides: Overrides = None,
    metrics: Mapping[str, Metric] | None = None,
) -> MetricStatus | None:
    """The status of a number against its target (see the module docstring), or None
    when it has no target or no value. The only place a number is judged."""
    a = assess(activity, name, metric, overrides, metrics)
    return None if a is None else a.status


def judge_metrics(
    activity: str, metrics: Mapping[str, Metric], overrides: Overrides = None
) -> dict[str, Metric]:
    """``metrics`` with each one's :attr:`~formcheck.results.Metric.status` set (same order)."""
    return {
        name: dataclasses.replace(m, status=judge(activity, name, m, overrides, metrics))
        for name, m in metrics.items()
    }


def finding_status(status: MetricStatus | None) -> Status:
    """A finding's status from its metric's: ``work_on`` is flagged, the rest on target."""
    if status is None:
        return "not_measurable"
    return "flag" if status == "work_on" else "ok"


def sources(activity: str, name: str) -> tuple[str, ...]:
    """The threshold names a metric is judged by (their sources are in thresholds.py)."""
    r = rule(activity, name)
    return () if r is None else tuple(dict.fromkeys(x.name for x in r.limits()))


#: Per-frame form labels of the exercise analyzers that are on target.
GOOD_FORMS = frozenset({"good", "ok", "in_position", "straight"})


def form_status(label: str | None) -> MetricStatus | None:
    """A live form label (``"good"``, ``"hips_sagging"`` ...) as a status."""
    if not label:
        return None
    return "good" if label in GOOD_FORMS else "work_on"


Change = Literal["better", "worse", "same"]


def _off_target(r: Rule, x: float, overrides: Overrides) -> float:
    """How far ``x`` lies outside the rule's good band (0 inside it), in its unit."""
    uppers = [b.value(overrides) for b in (r.watch_above, r.work_on_above) if b is not None]
    lowers = [b.value(overrides) for b in (r.watch_below, r.work_on_below) if b is not None]
    over = x - min(uppers) if uppers else 0.0
    under = max(lowers) - x if lowers else 0.0
    return max(0.0, over, under)


def change(
    activity: str,
    name: str,
    before: float | None,
    after: float | None,
    overrides: Overrides = None,
) -> Change | None:
    """Whether ``after`` is nearer ``name``'s target than ``before``: ``"better"`` when it
    moved towards the good band (or into it), ``"worse"`` when away from it, ``"same"``
    when both are inside it or equally far out. None when the metric has no target or a
    value is missing (a change in a number without a target is neither)."""
    r = rule(activity, name)
    if r is None or before is None or after is None:
        return None
    a, b = _off_target(r, float(before), overrides), _off_target(r, float(after), overrides)
    if b < a:
        return "better"
    if b > a:
        return "worse"
    return "same"
