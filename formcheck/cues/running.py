"""Running findings: each cue of ``shared/docs/cues.md`` checked against its target.

Input is the metrics an analysis measured (name -> :class:`Metric`); output is
one :class:`Finding` per cue: ok, flag or not measurable (with the reason),
the value, the target in words and numbers, feedback in formcheck's own words,
the source, and whether the cut-off is a heuristic.

Order (``priority``, lower first) is what matters most for a runner with a
sore lower back. The articles tie back pain to how hard each landing is and
how the spine is held: a foot landing far ahead of the body brakes every step
and sends the jolt up the leg (A2, A4), and a slow turnover goes with long,
reaching steps (A4; Lieberman 2015), so overstride and cadence come first;
then how the pelvis and trunk are carried (hip drop, trunk lean), bounce
(vertical load, A4), the head and neck (hunching, A2), fatigue drift (form
fading late in a run, A4), arm carriage (A2) and finally the numbers the
literature says little about on their own (foot strike, contact time,
left/right asymmetry).

Thresholds come from :mod:`formcheck.cues.thresholds` (with user overrides).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from formcheck.cues import thresholds as th
from formcheck.results import Finding, Metric


#: Shown with every running report (training habits are context, not measured).
def _src(*names: str) -> str:
    """The thresholds' sources, each reference once (sources often repeat a paper)."""

    def key(part: str) -> str:
        m = re.match(r"^(.*?\d{4})", part)  # author and year identify a paper
        return (m.group(1) if m else part.split(" (")[0]).strip()

    out: list[str] = []
    for n in names:
        for part in th.THRESHOLDS[n].source.split("; "):
            if all(key(part) != key(o) for o in out):
                out.append(part)
    return "; ".join(out)


def _heur(*names: str) -> bool:
    return any(th.THRESHOLDS[n].heuristic for n in names)


def _val(metrics: Mapping[str, Metric], name: str) -> Metric | None:
    return metrics.get(name)


def _nm(
    cue: str,
    metric: str,
    m: Metric | None,
    unit: str,
    target: str,
    source: str,
    priority: int,
    heuristic: bool,
) -> Finding:
    why = (m.note if m is not None and m.note else "") or "not measured in this clip"
    return Finding(
        cue,
        "not_measurable",
        metric,
        None,
        unit,
        target,
        f"Not measurable here: {why}",
        source,
        priority,
        heuristic,
    )


def running_findings(
    metrics: Mapping[str, Metric], overrides: dict[str, float] | None = None
) -> list[Finding]:
    """Findings for every running cue, most important first (see module docstring)."""
    o = overrides

    def v(name: str) -> float:
        return th.value(name, o)

    out: list[Finding] = []

    # ---- overstriding: foot ahead of the hips, shin angle -------------------------------
    m = _val(metrics, "overstride_leg_lengths")
    src = _src("overstride_ok_leglen", "overstride_flag_leglen")
    target = (
        f"foot lands at most {v('overstride_ok_leglen'):.2f} leg lengths ahead of the hips "
        f"(flag above {v('overstride_flag_leglen'):.2f})"
    )
    over_flag = False
    if m is None or m.value is None:
        out.append(
            _nm("overstride", "overstride_leg_lengths", m, "leg lengths", target, src, 10, True)
        )
    else:
        x = m.value
        if x > v("overstride_flag_leglen"):
            over_flag = True
            msg = (
                f"Your foot lands about {x:.2f} leg lengths ahead of your hips, so each step "
                "brakes and the jolt travels up to your back. Aim to land closer to under your "
                "body: a slightly quicker, shorter step usually does it."
            )
            status = "flag"
        elif x > v("overstride_ok_leglen"):
            msg = (
                f"Your foot lands {x:.2f} leg lengths ahead of your hips: a little in front, "
                "within the usual range. Keep the stride compact, especially when tired."
            )
            status = "ok"
        else:
            msg = f"Your foot lands close under your hips ({x:.2f} leg lengths ahead). Good."
            status = "ok"
        out.append(
            Finding(
                "overstride",
                status,
                "overstride_leg_lengths",
                x,
                "leg lengths",
                target,
                msg,
                src,
                10,
                True,
            )
        )

    m = _val(metrics, "shin_angle_at_contact_deg")
    src = _src("shin_angle_flag_deg")
    target = f"shin close to vertical at landing (flag above {v('shin_angle_flag_deg'):.0f} deg)"
    if m is None or m.value is None:
        out.append(_nm("shin_angle", "shin_angle_at_contact_deg", m, "deg", target, src, 12, True))
    else:
        x = m.value
        flag = x > v("shin_angle_flag_deg")
        msg = (
            f"At landing your shin leans {x:.0f} deg forward of your knee, a sign of reaching "
            "with the foot. Let the foot land under the knee."
            if flag
            else f"Your shin is near vertical when the foot lands ({x:.0f} deg). Good."
        )
        out.append(
            Finding(
                "shin_angle",
                "flag" if flag else "ok",
                "shin_angle_at_contact_deg",
                x,
                "deg",
                target,
                msg,
                src,
                12,
                True,
            )
        )

    # ---- cadence ---------------------------------------------------------------------
    m = _val(metrics, "cadence_spm")
    lo, hi = v("cadence_low_spm"), v("cadence_high_spm")
    src = _src("cadence_low_spm", "cadence_high_spm")
    target = f"{lo:.0f}-{hi:.0f} steps/min (a default: cadence depends on height and speed)"
    if m is None or m.value is None:
        out.append(_nm("cadence", "cadence_spm", m, "steps/min", target, src, 15, False))
    else:
        x = m.value
        if x < lo:
            msg = (
                f"You take {x:.0f} steps a minute. A slightly quicker, lighter turnover (try "
                f"5 % more, about {x * 1.05:.0f}) shortens each step and softens landings."
            )
            status = "flag"
        elif x > hi:
            msg = f"You take {x:.0f} steps a minute: a quick turnover. Fine."
            status = "ok"
        else:
            msg = f"You take {x:.0f} steps a minute, within the target range."
            status = "ok"
        out.append(
            Finding("cadence", status, "cadence_spm", x, "steps/min", target, msg, src, 15, False)
        )

    # ---- front view: hip drop --------------------------------------------------------
    m = _val(metrics, "hip_drop_deg")
    src = _src("hip_drop_flag_deg")
    target = f"pelvis stays level (flag above {v('hip_drop_flag_deg'):.0f} deg drop)"
    if m is None or m.value is None:
        out.append(_nm("hip_drop", "hip_drop_deg", m, "deg", target, src, 18, False))
    else:
        x = m.value
        flag = x > v("hip_drop_flag_deg")
        msg = (
            f"Your pelvis drops about {x:.0f} deg on the side of the swinging leg. Hip and "
            "core strength work (bridges, side planks, clamshells) helps keep it level."
            if flag
            else f"Your pelvis stays fairly level ({x:.0f} deg drop)."
        )
        out.append(
            Finding(
                "hip_drop",
                "flag" if flag else "ok",
                "hip_drop_deg",
                x,
                "deg",
                target,
                msg,
                src,
                18,
                False,
            )
        )

    # ---- trunk lean: run tall ----------------------------------------------------------
    m = _val(metrics, "trunk_lean_deg")
    lo, hi, good = v("trunk_lean_min_deg"), v("trunk_lean_max_deg"), v("trunk_lean_good_max_deg")
    src = _src("trunk_lean_min_deg", "trunk_lean_max_deg", "trunk_lean_good_max_deg")
    target = f"slight forward lean, {lo:.0f} to {hi:.0f} deg (runners' normal range)"
    if m is None or m.value is None:
        out.append(_nm("trunk_lean", "trunk_lean_deg", m, "deg", target, src, 20, False))
    else:
        x = m.value
        if x > hi:
            status, msg = (
                "flag",
                (
                    f"Your trunk leans {x:.0f} deg forward, more than runners usually do. "
                    "Run tall: chest up, shoulders back, lean gently from the ankles, not the "
                    "waist."
                ),
            )
        elif x < lo:
            status, msg = (
                "flag",
                (
                    f"You lean back {abs(x):.0f} deg. Bring the chest slightly forward over "
                    "the hips."
                ),
            )
        elif x > good:
            status, msg = (
                "ok",
                (
                    f"Your trunk leans {x:.0f} deg forward: within the normal range, at its "
                    "forward end. Running a little taller may ease the low back."
                ),
            )
        else:
            status, msg = "ok", f"You run tall with a slight forward lean ({x:.0f} deg). Good."
        out.append(
            Finding("trunk_lean", status, "trunk_lean_deg", x, "deg", target, msg, src, 20, False)
        )

    # ---- bounce ------------------------------------------------------------------------
    m = _val(metrics, "vertical_oscillation_leg_lengths")
    src = _src("bounce_flag_leglen")
    target = f"hips rise and fall at most {v('bounce_flag_leglen'):.2f} leg lengths per step"
    if m is None or m.value is None:
        out.append(
            _nm(
                "bounce",
                "vertical_oscillation_leg_lengths",
                m,
                "leg lengths",
                target,
                src,
                25,
                True,
            )
        )
    else:
        x = m.value
        flag = x > v("bounce_flag_leglen")
        msg = (
            f"Your hips rise and fall {x:.2f} leg lengths each step: that bounce is effort "
            "spent going up, and every landing from higher loads the spine. Think of running "
            "forward, not up; quicker steps help."
            if flag
            else f"Little wasted bounce ({x:.2f} leg lengths per step). Good."
        )
        out.append(
            Finding(
                "bounce",
                "flag" if flag else "ok",
                "vertical_oscillation_leg_lengths",
                x,
                "leg lengths",
                target,
                msg,
                src,
                25,
                True,
            )
        )
    m = _val(metrics, "vertical_ratio_pct")
    if m is not None and m.value is not None:
        x = m.value
        src = _src("vertical_ratio_flag_pct")
        flag = x > v("vertical_ratio_flag_pct")
        target = f"vertical ratio at most {v('vertical_ratio_flag_pct'):.1f} %"
        msg = (
            f"Vertical ratio {x:.1f} %: a lot of up-and-down for the distance covered."
            if flag
            else f"Vertical ratio {x:.1f} %: efficient."
        )
        out.append(
            Finding(
                "vertical_ratio",
                "flag" if flag else "ok",
                "vertical_ratio_pct",
                x,
                "%",
                target,
                msg,
                src,
                26,
                True,
            )
        )

    # ---- head forward (hunching) ---------------------------------------------------------
    m = _val(metrics, "head_forward_deg")
    src = _src("head_forward_flag_deg")
    target = f"head over the shoulders (flag above {v('head_forward_flag_deg'):.0f} deg forward)"
    if m is None or m.value is None:
        out.append(_nm("head_forward", "head_forward_deg", m, "deg", target, src, 30, True))
    else:
        x = m.value
        flag = x > v("head_forward_flag_deg")
        msg = (
            f"Your head pokes {x:.0f} deg ahead of your trunk line (hunching). Look ahead, "
            "not down, and let the neck stack over the shoulders."
            if flag
            else "Your head stays over your shoulders. Good."
        )
        out.append(
            Finding(
                "head_forward",
                "flag" if flag else "ok",
                "head_forward_deg",
                x,
                "deg",
                target,
                msg,
                src,
                30,
                True,
            )
        )

    # ---- knee flexion at contact ------------------------------------------------------------
    m = _val(metrics, "knee_flexion_at_contact_deg")
    src = _src("knee_flexion_ic_low_deg")
    target = f"knee slightly bent at landing (flag below {v('knee_flexion_ic_low_deg'):.0f} deg)"
    if m is None or m.value is None:
        out.append(
            _nm("knee_flexion", "knee_flexion_at_contact_deg", m, "deg", target, src, 32, True)
        )
    else:
        x = m.value
        flag = x < v("knee_flexion_ic_low_deg")
        msg = (
            f"Your knee is nearly straight when the foot lands ({x:.0f} deg bend), so less of "
            "the landing is absorbed by the leg. A softer knee at landing helps."
            if flag
            else f"Your knee is softly bent at landing ({x:.0f} deg). Good."
        )
        out.append(
            Finding(
                "knee_flexion",
                "flag" if flag else "ok",
                "knee_flexion_at_contact_deg",
                x,
                "deg",
                target,
                msg,
                src,
                32,
                True,
            )
        )

    # ---- fatigue drift -----------------------------------------------------------------
    for cue, metric, thr, unit, worse_if_up, label in (
        (
            "drift_trunk_lean",
            "trunk_lean_drift_deg",
            "drift_trunk_lean_deg",
            "deg",
            True,
            "trunk lean",
        ),
        ("drift_cadence", "cadence_drift_spm", "drift_cadence_spm", "steps/min", False, "cadence"),
        (
            "drift_overstride",
            "overstride_drift_leg_lengths",
            "drift_overstride_leglen",
            "leg lengths",
            True,
            "overstride",
        ),
    ):
        m = _val(metrics, metric)
        src = _src(thr)
        target = (
            f"{label} steady from start to end (flag a change over {v(thr):g} {unit} "
            "that is larger than step-to-step noise)"
        )
        if m is None or m.value is None:
            out.append(_nm(cue, metric, m, unit, target, src, 35, True))
            continue
        x = m.value
        beyond = "more than noise" in m.note
        bad = (x > v(thr)) if worse_if_up else (x < -v(thr))
        flag = bad and beyond
        if flag:
            msg = (
                f"Your {label} changed by {x:+.2f} {unit} from the first to the last part of "
                "the run, more than step-to-step noise: form fades as you tire. Shorter runs "
                "with good form, then build up."
            )
        else:
            msg = f"Your {label} held steady through the clip ({x:+.2f} {unit})."
        out.append(
            Finding(cue, "flag" if flag else "ok", metric, x, unit, target, msg, src, 35, True)
        )

    # ---- arms (front view) ---------------------------------------------------------------
    m = _val(metrics, "arm_crossing_frac")
    src = _src("arm_cross_flag_frac")
    target = f"hands stay on their own side (flag above {v('arm_cross_flag_frac'):.0%} of frames)"
    if m is None or m.value is None:
        out.append(_nm("arm_crossing", "arm_crossing_frac", m, "fraction", target, src, 40, True))
    else:
        x = m.value
        flag = x > v("arm_cross_flag_frac")
        msg = (
            f"Your hands cross the middle of your body in {x:.0%} of frames, which twists the "
            "trunk each step. Swing the arms front to back."
            if flag
            else "Your arms swing front to back without crossing the body. Good."
        )
        out.append(
            Finding(
                "arm_crossing",
                "flag" if flag else "ok",
                "arm_crossing_frac",
                x,
                "fraction",
                target,
                msg,
                src,
                40,
                True,
            )
        )

    # ---- foot strike ------------------------------------------------------------------------
    m = _val(metrics, "foot_strike_angle_deg")
    src = _src("footstrike_rearfoot_deg", "footstrike_forefoot_deg")
    target = "heel strike only matters together with overstriding"
    if m is None or m.value is None:
        out.append(_nm("foot_strike", "foot_strike_angle_deg", m, "deg", target, src, 45, True))
    else:
        x = m.value
        heel = x > v("footstrike_rearfoot_deg")
        flag = heel and over_flag
        if flag:
            msg = (
                f"You land heel first ({x:.0f} deg toe up) with the foot well ahead of you: "
                "the combination that brakes hardest. Landing closer under the body usually "
                "flattens the foot by itself."
            )
        elif heel:
            msg = (
                f"You land heel first ({x:.0f} deg toe up), as most runners do; with the foot "
                "landing near under you that is fine."
            )
        else:
            kind = "forefoot" if x < v("footstrike_forefoot_deg") else "mid-foot"
            msg = f"You land on the {kind} ({x:.0f} deg)."
        out.append(
            Finding(
                "foot_strike",
                "flag" if flag else "ok",
                "foot_strike_angle_deg",
                x,
                "deg",
                target,
                msg,
                src,
                45,
                True,
            )
        )

    # ---- asymmetry ---------------------------------------------------------------------------
    for cue, metric, label in (
        ("step_time_asymmetry", "step_time_asymmetry_pct", "step time"),
        ("contact_time_asymmetry", "contact_time_asymmetry_pct", "ground contact time"),
    ):
        m = _val(metrics, metric)
        src = _src("asymmetry_flag_pct")
        target = f"left and right within {v('asymmetry_flag_pct'):.0f} %"
        if m is None or m.value is None:
            out.append(_nm(cue, metric, m, "%", target, src, 50, True))
            continue
        x = m.value
        over = x > v("asymmetry_flag_pct")
        # a difference measured with low confidence (coarse frame rate, far leg half
        # hidden) is reported but not flagged: it may be measurement error
        flag = over and m.confidence != "low"
        if flag:
            msg = (
                f"Your {label} differs by {x:.0f} % between left and right. If one side "
                "also hurts, mention it to a physiotherapist."
            )
        elif over:
            msg = (
                f"Left and right {label} differ by {x:.0f} %, but this clip cannot measure it "
                "finely enough to tell (film at 60 fps or more, from both sides)."
            )
        else:
            msg = f"Left and right {label} are even ({x:.0f} % apart)."
        out.append(
            Finding(cue, "flag" if flag else "ok", metric, x, "%", target, msg, src, 50, True)
        )

    # ---- contact time -----------------------------------------------------------------------
    m = _val(metrics, "contact_time_ms")
    src = _src("contact_time_flag_ms")
    target = f"at most {v('contact_time_flag_ms'):.0f} ms on the ground per step"
    if m is None or m.value is None:
        out.append(_nm("contact_time", "contact_time_ms", m, "ms", target, src, 55, True))
    else:
        x = m.value
        flag = x > v("contact_time_flag_ms")
        msg = (
            f"Each foot stays on the ground about {x:.0f} ms, a long contact; quicker steps "
            "shorten it."
            if flag
            else f"Ground contact about {x:.0f} ms per step."
        )
        if m.confidence in ("low", "medium") and m.note:
            msg += f" ({m.note})"
        out.append(
            Finding(
                "contact_time",
                "flag" if flag else "ok",
                "contact_time_ms",
                x,
                "ms",
                target,
                msg,
                src,
                55,
                True,
            )
        )

    return sorted(out, key=lambda f: f.priority)
