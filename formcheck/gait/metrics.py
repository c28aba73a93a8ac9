"""The running metrics of a core (:class:`formcheck.gait.core.RunCore`).

:func:`compute_metrics` gives every metric with its unit; a metric that the
camera view or the clip's clock cannot show is "not measurable", with the
reason. The side-view metrics are in :mod:`formcheck.gait.side_metrics`; the
front/rear-view ones and cadence are here.
"""

from __future__ import annotations

import numpy as np

from formcheck.cues import words_running_notes as words
from formcheck.gait.core import RunCore
from formcheck.gait.side_metrics import add_side_metrics
from formcheck.gait.steps import head_forward_deg, trunk_lean_deg
from formcheck.gait.stretches import add_stretches
from formcheck.gait.summary import summarise
from formcheck.gait.timebase import leg_length_m
from formcheck.results import Metric, not_measurable
from formcheck.settings import Settings

#: Side-view metrics (name -> unit): not measurable from the front or rear.
SIDE_METRICS: dict[str, str] = {
    "overstride_leg_lengths": "leg lengths",
    "shin_angle_at_contact_deg": "deg",
    "knee_flexion_at_contact_deg": "deg",
    "trunk_lean_deg": "deg",
    "head_forward_deg": "deg",
    "waist_bend_deg": "deg",
    "vertical_oscillation_leg_lengths": "leg lengths",
    "foot_strike_angle_deg": "deg",
    "contact_time_ms": "ms",
    "duty_factor_pct": "%",
    "contact_time_asymmetry_pct": "%",
    "trunk_lean_drift_deg": "deg",
    "overstride_drift_leg_lengths": "leg lengths",
}
#: Front/rear-view metrics: not measurable from the side.
FRONT_METRICS: dict[str, str] = {
    "arm_crossing_frac": "fraction",
    "hip_drop_deg": "deg",
    "step_width_leg_lengths": "leg lengths",
}
#: Metrics that need the clip's clock to be real time.
TIMED_METRICS: dict[str, str] = {
    "cadence_spm": "steps/min",
    "step_time_s": "s",
    "contact_time_ms": "ms",
    "cadence_drift_spm": "steps/min",
    "vertical_ratio_pct": "%",
}


def compute_metrics(core: RunCore, settings: Settings) -> dict[str, Metric]:
    """All running metrics of a core, each with its unit (not measurable ones with why)."""
    metrics: dict[str, Metric] = {}
    view = core.view
    prof = settings.profile
    leg_m, leg_given = leg_length_m(prof.height_cm, prof.leg_length_cm)
    if core.reason and not core.rhythm.found:
        why = core.reason
        for name, unit in {**SIDE_METRICS, **FRONT_METRICS, **TIMED_METRICS}.items():
            metrics[name] = not_measurable(unit, why)
        if view.is_side or view.view == "unknown":
            _posture_only(core, metrics)
        _view_gates(core, metrics)
        return metrics
    if view.is_side:
        add_side_metrics(core, settings, metrics, leg_m, leg_given)
    else:
        _front_metrics(core, settings, metrics, leg_m, leg_given)
    _cadence_metrics(core, settings, metrics)
    if not core.timed_ok:
        k = core.time_scale.factor if core.time_scale else float("nan")
        why = words.why_slow_motion(k)
        for name, unit in TIMED_METRICS.items():
            metrics[name] = not_measurable(unit, why)
    if core.time_scale is not None:
        ts = core.time_scale
        metrics["slow_motion_factor"] = (
            Metric(
                ts.factor,
                "x real time",
                confidence="medium",
                note=words.NOTE_SLOW_MOTION,
            )
            if ts.judged
            else not_measurable("x real time", ts.reason)
        )
    _view_gates(core, metrics)
    add_stretches(core, settings, metrics)
    return metrics


def _posture_only(core: RunCore, metrics: dict[str, Metric]) -> None:
    """Trunk lean and head position need no events: measure them anyway (side views)."""
    if not core.view.is_side:
        return
    lean = trunk_lean_deg(core.series, core.view.facing)
    head = head_forward_deg(core.series, core.view.facing)
    for name, x in (("trunk_lean_deg", lean), ("head_forward_deg", head)):
        m = summarise(x, "deg", confidence="medium")
        metrics[name] = Metric(
            m.value, "deg", m.spread, m.n, confidence="medium", note=words.NOTE_POSTURE_NO_STEPS
        )


def _view_gates(core: RunCore, metrics: dict[str, Metric]) -> None:
    view = core.view
    if view.is_side:
        why = words.why_side_view(view.reason)
        for name, unit in FRONT_METRICS.items():
            metrics[name] = not_measurable(unit, why)
    elif view.view in ("front", "rear"):
        why = words.why_front_view(view.view, view.reason)
        for name, unit in SIDE_METRICS.items():
            metrics[name] = not_measurable(unit, why)
        for name in ("overstride_cm", "vertical_oscillation_cm", "vertical_ratio_pct"):
            metrics.pop(name, None)


def _front_metrics(
    core: RunCore, settings: Settings, metrics: dict[str, Metric], leg_m: float, leg_given: bool
) -> None:
    f = core.front
    if f is None:
        return
    cross = [v for v in f.arm_cross_frac.values() if np.isfinite(v)]
    metrics["arm_crossing_frac"] = (
        Metric(
            max(cross),
            "fraction",
            n=f.arm_frames,
            left=f.arm_cross_frac.get("left"),
            right=f.arm_cross_frac.get("right"),
            confidence="medium",
            note=words.NOTE_ARM_CROSSING,
        )
        if cross
        else not_measurable("fraction", words.WHY_WRISTS)
    )
    metrics["hip_drop_deg"] = summarise(
        f.hip_drop_deg,
        "deg",
        f.hip_drop_side,
        "medium",
        words.NOTE_HIP_DROP,
    )
    sw = f.step_width_leglen
    metrics["step_width_leg_lengths"] = (
        Metric(
            sw,
            "leg lengths",
            n=int(sum(v.size for v in f.foot_offset_leglen.values())),
            confidence="low",
            note=words.NOTE_STEP_WIDTH,
        )
        if np.isfinite(sw)
        else not_measurable("leg lengths", words.WHY_FEET_AT_CONTACT)
    )
    if np.isfinite(sw) and leg_given:
        metrics["step_width_cm"] = Metric(sw * leg_m * 100.0, "cm", confidence="low")


def _cadence_metrics(core: RunCore, settings: Settings, metrics: dict[str, Metric]) -> None:
    cad = core.cadence
    steps = core.steps
    if not np.isfinite(cad.cadence_spm):
        metrics["cadence_spm"] = not_measurable("steps/min", core.reason or words.WHY_FEW_STEPS)
        return
    if steps.n:
        per_step = np.where(np.isfinite(steps.step_time_s), 60.0 / steps.step_time_s, np.nan)
        sides = steps.side
    else:
        per_step = np.full(1, np.nan)
        sides = None
    conf = "high" if cad.n_strides >= 8 else ("medium" if cad.n_strides >= 4 else "low")
    if not core.view.is_side:
        conf = "medium" if conf == "high" else conf
    if not core.cadence_agrees:
        conf = "low"
    spec = core.spectral_cadence_spm
    note = words.note_cadence(cad.n_strides, spec if np.isfinite(spec) else None)
    m = summarise(per_step, "steps/min", sides, conf, note, value=cad.cadence_spm)
    metrics["cadence_spm"] = Metric(
        cad.cadence_spm, "steps/min", m.spread, 2 * cad.n_strides, m.left, m.right, conf, note
    )
    if np.isfinite(core.spectral_cadence_spm):
        metrics["cadence_spectral_spm"] = Metric(
            core.spectral_cadence_spm,
            "steps/min",
            confidence=conf,
            note=words.NOTE_CADENCE_SPECTRAL,
        )
    if not core.view.is_side:
        st = 60.0 / cad.cadence_spm
        metrics["step_time_s"] = Metric(
            st, "s", n=2 * cad.n_strides, confidence=conf, note=words.NOTE_STEP_TIME_FRONT
        )
