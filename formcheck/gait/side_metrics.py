"""Side-view running metrics: values at contact, posture, bounce, foot strike,
contact time, left-right differences and fatigue drift.

Called by :func:`formcheck.gait.metrics.compute_metrics` for a side view; the
values come from the core's per-step table (:mod:`formcheck.gait.steps`).
"""

from __future__ import annotations

import numpy as np

from formcheck.cues import thresholds as th
from formcheck.cues import words_running_notes as words
from formcheck.gait.cadence import cadence_drift
from formcheck.gait.contacts import foot_signals, stance_speed
from formcheck.gait.core import RunCore, median_dt
from formcheck.gait.steps import Steps, head_forward_deg, trunk_lean_deg
from formcheck.gait.stretches import waist_bend
from formcheck.gait.summary import drift, sides_differ, summarise, symmetry_index_pct
from formcheck.gait.view import ViewResult
from formcheck.results import Metric, not_measurable
from formcheck.settings import Settings


def _confidence(steps: Steps, used: np.ndarray) -> str:
    if used.sum() < 4:
        return "low"
    clear = steps.visibility[used] >= th.value("clear_visibility")
    return "high" if np.mean(clear) >= 0.8 else "medium"


def _far_note(view: ViewResult, steps: Steps, used: np.ndarray) -> str:
    if view.near_side is None:
        return ""
    far = "right" if view.near_side == "left" else "left"
    sel = used & (steps.side == far)
    if not sel.any():
        return words.note_far_leg_missing(far)
    vis = float(np.mean(steps.visibility[sel]))
    if vis >= th.value("clear_visibility"):
        return ""
    return words.note_far_leg_uncertain(far, vis)


def add_side_metrics(
    core: RunCore, settings: Settings, metrics: dict[str, Metric], leg_m: float, leg_given: bool
) -> None:
    o = settings.thresholds
    steps, view = core.steps, core.view
    good = steps.good
    sides = steps.side
    fps = 1.0 / median_dt(core.series.t_s) if core.series.n_frames > 1 else float("nan")

    def two_sided(name: str, values: np.ndarray, unit: str, used: np.ndarray) -> Metric:
        vals = np.where(used, values, np.nan)
        note = _far_note(view, steps, used & np.isfinite(values))
        return summarise(vals, unit, sides, _confidence(steps, used & np.isfinite(values)), note)

    metrics["overstride_leg_lengths"] = two_sided(
        "overstride", steps.overstride, "leg lengths", good
    )
    metrics["shin_angle_at_contact_deg"] = two_sided("shin", steps.shin_deg, "deg", good)
    metrics["knee_flexion_at_contact_deg"] = two_sided("knee", steps.knee_deg, "deg", good)
    # posture: median of per-step means (each step's frames), else of frames
    lean = trunk_lean_deg(core.series, view.facing)
    head = head_forward_deg(core.series, view.facing)
    note = words.NOTE_POSTURE
    for name, per_frame, per_step in (
        ("trunk_lean_deg", lean, steps.trunk_lean_deg),
        ("head_forward_deg", head, steps.head_forward_deg),
    ):
        m = summarise(per_step, "deg", confidence="medium", note=note)
        if m.value is None:
            m = summarise(per_frame, "deg", confidence="medium", note=note + words.NOTE_PER_FRAME)
        metrics[name] = m if m.value is not None else not_measurable("deg", words.WHY_TRUNK)
    # bending at the waist: the trunk against the stance leg's line at mid-stance
    _, bend = waist_bend(core.series, core.events, view.facing or 1)
    m = summarise(bend, "deg", confidence="medium", note=words.NOTE_WAIST_BEND)
    metrics["waist_bend_deg"] = m if m.value is not None else not_measurable("deg", words.WHY_WAIST)
    metrics["vertical_oscillation_leg_lengths"] = summarise(
        steps.vert_osc, "leg lengths", confidence=_confidence(steps, np.isfinite(steps.vert_osc))
    )
    vo = metrics["vertical_oscillation_leg_lengths"].value
    if vo is not None and leg_given:
        metrics["vertical_oscillation_cm"] = Metric(
            vo * leg_m * 100.0,
            "cm",
            None,
            metrics["vertical_oscillation_leg_lengths"].n,
            confidence="medium",
            note=words.NOTE_CM_FROM_PROFILE,
        )
    ov = metrics["overstride_leg_lengths"].value
    if ov is not None and leg_given:
        metrics["overstride_cm"] = Metric(
            ov * leg_m * 100.0, "cm", n=metrics["overstride_leg_lengths"].n, confidence="medium"
        )
    # vertical ratio: oscillation over step length (speed x step time)
    kmh = settings.profile.treadmill_kmh
    if kmh and vo is not None and core.timed_ok:
        step_len_m = kmh / 3.6 * steps.step_time_s
        if leg_given:
            osc_m = steps.vert_osc * leg_m
            how = words.NOTE_VERTICAL_RATIO_PROFILE
        else:
            sig = foot_signals(core.series, view.facing, core.leg_px)
            speeds = [
                stance_speed(
                    core.series.t_s,
                    sig[s],
                    core.events.side(s).anchor_t_s,
                    core.events.stride_period_s,
                )
                for s in ("left", "right")
            ]
            px_s = np.nanmedian(np.abs(speeds)) if np.isfinite(speeds).any() else np.nan
            px_per_m = px_s / (kmh / 3.6)
            osc_m = steps.vert_osc * core.leg_px / px_per_m
            how = words.NOTE_VERTICAL_RATIO_BELT
        ratio = 100.0 * osc_m / step_len_m
        metrics["vertical_ratio_pct"] = summarise(ratio, "%", confidence="medium", note=how)
    # foot strike
    fa = np.where(good & ~steps.approximate, steps.foot_angle_deg, np.nan)
    m = two_sided("foot", fa, "deg", good)
    classes = steps.foot_strike[np.isfinite(fa)]
    counts = {c: int(np.sum(classes == c)) for c in ("rearfoot", "midfoot", "forefoot")}
    total = sum(counts.values())
    if total:
        main = max(counts, key=lambda c: counts[c])
        note = words.note_foot_strike(main, counts[main], total)
        metrics["foot_strike_angle_deg"] = Metric(
            m.value, m.unit, m.spread, m.n, m.left, m.right, m.confidence, note
        )
        for c in counts:
            metrics[f"foot_strike_{c}_pct"] = Metric(
                100.0 * counts[c] / total, "%", n=total, confidence=m.confidence
            )
    else:
        metrics["foot_strike_angle_deg"] = not_measurable("deg", words.WHY_FOOT_CONTACT)
    # contact time and duty factor, with the frame-rate caveat
    used = good & ~steps.approximate & np.isfinite(steps.contact_time_ms)
    stance_frames = (
        np.nanmedian(steps.contact_time_ms[used]) / 1000.0 * fps if used.any() else float("nan")
    )
    caveat = (
        words.note_contact_frames(fps, stance_frames)
        if np.isfinite(fps) and np.isfinite(stance_frames)
        else ""
    )
    conf = "low" if fps < 60 else ("medium" if fps < 120 else "high")
    if not core.timed_ok:  # slow motion of unknown rate: only the ratio (duty factor) holds
        caveat = words.NOTE_DUTY_SLOW_MOTION
        conf = "medium"
    for name, vals, unit in (
        ("contact_time_ms", steps.contact_time_ms, "ms"),
        ("duty_factor_pct", steps.duty_factor_pct, "%"),
    ):
        mm = summarise(np.where(used, vals, np.nan), unit, sides, conf, caveat)
        if mm.value is None:
            mm = not_measurable(unit, words.WHY_TOE_OFF)
        metrics[name] = mm
    metrics["step_time_s"] = summarise(
        steps.step_time_s, "s", sides, _confidence(steps, np.isfinite(steps.step_time_s))
    )
    # left minus right for the per-leg angles and distances (their mean can be ~0,
    # so a percentage would mislead)
    for name, base, unit in (
        ("overstride_lr_difference_leg_lengths", "overstride_leg_lengths", "leg lengths"),
        ("shin_angle_lr_difference_deg", "shin_angle_at_contact_deg", "deg"),
        ("knee_flexion_lr_difference_deg", "knee_flexion_at_contact_deg", "deg"),
        ("foot_strike_angle_lr_difference_deg", "foot_strike_angle_deg", "deg"),
        ("duty_factor_lr_difference_pct", "duty_factor_pct", "%"),
    ):
        b = metrics.get(base)
        if b is None or b.left is None or b.right is None:
            metrics[name] = not_measurable(unit, words.WHY_BOTH_LEGS)
            continue
        note = words.NOTE_LR_DIFFERENCE
        far = _far_note(view, steps, good)
        metrics[name] = Metric(
            b.left - b.right,
            unit,
            n=b.n,
            left=b.left,
            right=b.right,
            confidence=b.confidence,
            note=f"{note}; {far}" if far else note,
        )
    # a difference between the legs smaller than their step-to-step noise is shown with
    # low confidence (not flagged): a short clip's few steps per leg cannot tell it
    zc = th.value("drift_noise_z", o)
    for name, base, unit, per_step in (
        ("step_time_asymmetry_pct", "step_time_s", "%", steps.step_time_s),
        (
            "contact_time_asymmetry_pct",
            "contact_time_ms",
            "%",
            np.where(used, steps.contact_time_ms, np.nan),
        ),
    ):
        b = metrics[base]
        si = symmetry_index_pct(b.left, b.right)
        if si is None:
            metrics[name] = not_measurable(unit, words.WHY_BOTH_LEGS)
            continue
        beyond = sides_differ(per_step, steps.side, zc)
        note = words.NOTE_SYMMETRY if beyond else words.NOTE_SYMMETRY_NOISE
        far = _far_note(view, steps, good)
        metrics[name] = Metric(
            si,
            unit,
            n=b.n,
            left=b.left,
            right=b.right,
            confidence=b.confidence if beyond else "low",
            note=f"{note}; {far}" if far else note,
        )
    # fatigue drift: cadence from stride fits to the first and last third (a doubled or
    # missed contact does not move it), the others from the step values; a drift whose
    # noise could hide a change of its flag size is not judged, and says so
    period = core.stride_guess_s
    for name, limit, unit, d in (
        (
            "trunk_lean_drift_deg",
            "drift_trunk_lean_deg",
            "deg",
            drift(steps.t_ic, steps.trunk_lean_deg, zc),
        ),
        (
            "cadence_drift_spm",
            "drift_cadence_spm",
            "steps/min",
            cadence_drift(steps.t_ic, steps.side, period, zc, core.breaks_s),
        ),
        (
            "overstride_drift_leg_lengths",
            "drift_overstride_leglen",
            "leg lengths",
            drift(steps.t_ic, np.where(good, steps.overstride, np.nan), zc),
        ),
    ):
        if d is None or not np.isfinite(d.se):  # too few steps to tell the noise
            metrics[name] = not_measurable(unit, words.WHY_DRIFT_STEPS)
            continue
        flag_size = th.value(limit, o)
        if zc * d.se > flag_size:
            metrics[name] = not_measurable(
                unit, words.why_drift_noisy(d.change, zc * d.se, flag_size, unit)
            )
            continue
        metrics[name] = Metric(
            d.change,
            unit,
            n=d.n_first + d.n_last,
            confidence="medium",
            note=words.note_drift(d.beyond_noise, d.z, fitted=name == "cadence_drift_spm"),
        )
