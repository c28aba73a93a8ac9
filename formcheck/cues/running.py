"""Running findings: each coaching cue checked against its target.

Input is the metrics an analysis measured (name -> :class:`Metric`); output is
one :class:`Finding` per cue: ok, flag or not measurable (with the reason),
the value, the target in words and numbers, feedback in formcheck's own words
(:mod:`formcheck.cues.words_running`), the source, and whether the cut-off is
a heuristic. Each metric is judged by :func:`formcheck.cues.judge.judge`, the
same judgement the live page and speech show.

Order (``priority``, lower first) is what matters most for a runner with a
sore lower back. The articles tie back pain to how hard each landing is and
how the spine is held: a foot landing far ahead of the body brakes every step
and sends the jolt up the leg (A2, A4), and a slow turnover goes with long,
reaching steps (A4; Lieberman 2015), so overstride and cadence come first;
then how the pelvis and trunk are carried (hip drop; bending at the waist, the
"run tall" / hunching cue of A2 and A4, told apart from a lean from the ankles;
trunk lean), bounce
(vertical load, A4), the head and neck (hunching, A2), fatigue drift (form
fading late in a run, A4), arm carriage (A2) and finally the numbers the
literature says little about on their own (foot strike, contact time,
left/right asymmetry).

Trunk lean, bending at the waist, head forward, overstride and cadence are also
judged over time: a sustained stretch past the flag (a moving-window median,
:mod:`formcheck.gait.stretches`) flags the cue even when the typical value is fine,
and the finding carries its time ranges (``ranges_s``) and key frame.

Thresholds come from :mod:`formcheck.cues.thresholds` (with user overrides).
"""

from __future__ import annotations

from collections.abc import Mapping

from formcheck.cues import words_running as w
from formcheck.cues.findings import Case, FindingRule, evaluate
from formcheck.results import Finding, Metric, MetricStatus


def _drift(cue: str, metric: str, thr: str, unit: str, label: str) -> FindingRule:
    return FindingRule(
        cue,
        metric,
        unit,
        35,
        True,
        (thr,),
        lambda v: w.drift_target(label, v(thr), unit),
        lambda c: w.drift(label, c.x, unit, c.status),
    )


def _asymmetry(cue: str, metric: str, label: str) -> FindingRule:
    return FindingRule(
        cue,
        metric,
        "%",
        50,
        True,
        ("asymmetry_flag_pct",),
        w.asymmetry_target,
        lambda c: w.asymmetry(label, c.x, c.status),
    )


#: The running cues, most important first (see the module docstring).
RUNNING_RULES: tuple[FindingRule, ...] = (
    FindingRule(
        "overstride",
        "overstride_leg_lengths",
        "leg lengths",
        10,
        True,
        ("overstride_ok_leglen", "overstride_flag_leglen"),
        w.overstride_target,
        lambda c: w.overstride(c.x, c.status),
        label="foot landing ahead of the hips",
    ),
    FindingRule(
        "shin_angle",
        "shin_angle_at_contact_deg",
        "deg",
        12,
        True,
        ("shin_angle_flag_deg",),
        w.shin_target,
        lambda c: w.shin(c.x, c.status),
    ),
    FindingRule(
        "cadence",
        "cadence_spm",
        "steps/min",
        15,
        False,
        ("cadence_low_spm", "cadence_high_spm"),
        w.cadence_target,
        lambda c: w.cadence(c.x, c.status, c.v),
        label="cadence",
    ),
    FindingRule(
        "hip_drop",
        "hip_drop_deg",
        "deg",
        18,
        False,
        ("hip_drop_flag_deg",),
        w.hip_drop_target,
        lambda c: w.hip_drop(c.x, c.status),
    ),
    FindingRule(
        "trunk_lean",
        "trunk_lean_deg",
        "deg",
        20,
        False,
        ("trunk_lean_min_deg", "trunk_lean_max_deg", "trunk_lean_good_max_deg"),
        w.trunk_lean_target,
        lambda c: w.trunk_lean(c.x, c.status, c.side, _waist(c)),
        label="trunk lean",
    ),
    FindingRule(
        "waist_bend",
        "waist_bend_deg",
        "deg",
        19,
        True,
        ("waist_bend_flag_deg",),
        w.waist_bend_target,
        lambda c: w.waist_bend(c.x, c.status),
        label="bend at the waist",
    ),
    FindingRule(
        "bounce",
        "vertical_oscillation_leg_lengths",
        "leg lengths",
        25,
        True,
        ("bounce_flag_leglen",),
        w.bounce_target,
        lambda c: w.bounce(c.x, c.status),
    ),
    FindingRule(
        "vertical_ratio",
        "vertical_ratio_pct",
        "%",
        26,
        True,
        ("vertical_ratio_flag_pct",),
        w.vertical_ratio_target,
        lambda c: w.vertical_ratio(c.x, c.status),
        when_missing="skip",  # needs the treadmill speed
    ),
    FindingRule(
        "head_forward",
        "head_forward_deg",
        "deg",
        30,
        True,
        ("head_forward_flag_deg",),
        w.head_target,
        lambda c: w.head(c.x, c.status),
        label="head's forward tilt",
    ),
    FindingRule(
        "knee_flexion",
        "knee_flexion_at_contact_deg",
        "deg",
        32,
        True,
        ("knee_flexion_ic_low_deg",),
        w.knee_target,
        lambda c: w.knee(c.x, c.status),
    ),
    _drift("drift_trunk_lean", "trunk_lean_drift_deg", "drift_trunk_lean_deg", "deg", "trunk lean"),
    _drift("drift_cadence", "cadence_drift_spm", "drift_cadence_spm", "steps/min", "cadence"),
    _drift(
        "drift_overstride",
        "overstride_drift_leg_lengths",
        "drift_overstride_leglen",
        "leg lengths",
        "overstride",
    ),
    FindingRule(
        "arm_crossing",
        "arm_crossing_frac",
        "fraction",
        40,
        True,
        ("arm_cross_flag_frac",),
        w.arms_target,
        lambda c: w.arms(c.x, c.status),
    ),
    FindingRule(
        "foot_strike",
        "foot_strike_angle_deg",
        "deg",
        45,
        True,
        ("footstrike_rearfoot_deg", "footstrike_forefoot_deg"),
        lambda v: w.FOOT_STRIKE_TARGET,
        lambda c: w.foot_strike(c.x, c.status, c.v),
    ),
    _asymmetry("step_time_asymmetry", "step_time_asymmetry_pct", "step time"),
    _asymmetry("contact_time_asymmetry", "contact_time_asymmetry_pct", "ground contact time"),
    FindingRule(
        "contact_time",
        "contact_time_ms",
        "ms",
        55,
        True,
        ("contact_time_flag_ms",),
        w.contact_target,
        lambda c: _contact(c),
    ),
)


def _waist(c: Case) -> MetricStatus | None:
    m = c.metrics.get("waist_bend_deg")
    return m.status if m is not None else None


def _contact(c: Case) -> str:
    return w.contact(c.x, c.status, c.metric.confidence, c.metric.note)


def running_findings(
    metrics: Mapping[str, Metric], overrides: Mapping[str, float] | None = None
) -> list[Finding]:
    """Findings for every running cue, most important first (see module docstring)."""
    return sorted(evaluate(RUNNING_RULES, "run", metrics, overrides), key=lambda f: f.priority)
