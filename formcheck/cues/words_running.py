"""Every sentence formcheck says about running, in its own words.

Nothing is judged here: each function is given the value and the status
:func:`formcheck.cues.judge.judge` gave it (``good`` / ``watch`` / ``work_on``)
and only picks the words. ``v`` is the threshold lookup (name -> value, with
the user's overrides) for the targets. The rule table that joins a metric, its
judgement and these words is :data:`formcheck.cues.running.RUNNING_RULES`.
"""

from __future__ import annotations

from collections.abc import Callable

from formcheck.cues import words_running_notes as notes
from formcheck.results import MetricStatus

V = Callable[[str], float]

#: Short spoken form of each cue (only cues a runner can act on mid-run).
SPOKEN: dict[str, str] = {
    "overstride": "Land under your hips.",
    "shin_angle": "Land under your knee.",
    "cadence": "Quicker, lighter steps.",
    "trunk_lean": "Run tall.",
    "waist_bend": "Run tall, hips under you.",
    "bounce": "Run forward, not up.",
    "head_forward": "Head up, look ahead.",
    "knee_flexion": "Soft knees on landing.",
}


def not_measurable(why: str) -> str:
    return f"Not measurable here: {why or 'not measured in this clip'}"


# ---- overstriding: foot ahead of the hips, shin angle ---------------------------------------
def overstride_target(v: V) -> str:
    return (
        f"foot lands at most {v('overstride_ok_leglen'):.2f} leg lengths ahead of the hips "
        f"(flag above {v('overstride_flag_leglen'):.2f})"
    )


def overstride(x: float, status: MetricStatus) -> str:
    if status == "work_on":
        return (
            f"Your foot lands about {x:.2f} leg lengths ahead of your hips, so each step "
            "brakes and the jolt travels up to your back. Aim to land closer to under your "
            "body: a slightly quicker, shorter step usually does it."
        )
    if status == "watch":
        return (
            f"Your foot lands {x:.2f} leg lengths ahead of your hips: a little in front, "
            "within the usual range. Keep the stride compact, especially when tired."
        )
    return f"Your foot lands close under your hips ({x:.2f} leg lengths ahead). Good."


def shin_target(v: V) -> str:
    return f"shin close to vertical at landing (flag above {v('shin_angle_flag_deg'):.0f} deg)"


def shin(x: float, status: MetricStatus) -> str:
    if status == "work_on":
        return (
            f"At landing your shin leans {x:.0f} deg forward of your knee, a sign of reaching "
            "with the foot. Let the foot land under the knee."
        )
    return f"Your shin is near vertical when the foot lands ({x:.0f} deg). Good."


# ---- cadence ----------------------------------------------------------------------------------
def cadence_target(v: V) -> str:
    return (
        f"{v('cadence_low_spm'):.0f}-{v('cadence_high_spm'):.0f} steps/min "
        "(a default: cadence depends on height and speed)"
    )


def cadence(x: float, status: MetricStatus, v: V) -> str:
    if status == "work_on":
        return (
            f"You take {x:.0f} steps a minute. A slightly quicker, lighter turnover (try "
            f"5 % more, about {x * 1.05:.0f}) shortens each step and softens landings."
        )
    if x > v("cadence_high_spm"):
        return f"You take {x:.0f} steps a minute: a quick turnover. Fine."
    if x < v("cadence_low_spm"):  # "watch": only a little under the target
        return f"You take {x:.0f} steps a minute, a little under the target range."
    return f"You take {x:.0f} steps a minute, within the target range."


# ---- front view: hip drop, arms ---------------------------------------------------------------
def hip_drop_target(v: V) -> str:
    return f"pelvis stays level (flag above {v('hip_drop_flag_deg'):.0f} deg drop)"


def hip_drop(x: float, status: MetricStatus) -> str:
    if status == "work_on":
        return (
            f"Your pelvis drops about {x:.0f} deg on the side of the swinging leg. Hip and "
            "core strength work (bridges, side planks, clamshells) helps keep it level."
        )
    return f"Your pelvis stays fairly level ({x:.0f} deg drop)."


def arms_target(v: V) -> str:
    return f"hands stay on their own side (flag above {v('arm_cross_flag_frac'):.0%} of frames)"


def arms(x: float, status: MetricStatus) -> str:
    if status == "work_on":
        return (
            f"Your hands cross the middle of your body in {x:.0%} of frames, which twists the "
            "trunk each step. Swing the arms front to back."
        )
    return "Your arms swing front to back without crossing the body. Good."


# ---- trunk lean from vertical, and bending at the waist (run tall) ---------------------------
def trunk_lean_target(v: V) -> str:
    return (
        f"slight forward lean, {v('trunk_lean_min_deg'):.0f} to {v('trunk_lean_max_deg'):.0f} "
        "deg (runners' normal range)"
    )


def trunk_lean(
    x: float, status: MetricStatus, side: str | None, waist: MetricStatus | None = None
) -> str:
    """``waist``: the status of bending at the waist (None: not measured)."""
    if status == "watch" and waist == "good":
        return (
            f"Your trunk leans {x:.0f} deg forward, in line with your legs: a lean from the "
            "ankles, not a bend at the waist. Within the normal range, at its forward end."
        )
    if status == "work_on" and side == "below":
        return f"You lean back {abs(x):.0f} deg. Bring the chest slightly forward over the hips."
    if status == "work_on":
        return (
            f"Your trunk leans {x:.0f} deg forward, more than runners usually do. "
            "Run tall: chest up, shoulders back, lean gently from the ankles, not the waist."
        )
    if status == "watch":
        return (
            f"Your trunk leans {x:.0f} deg forward: within the normal range, at its "
            "forward end. Running a little taller may ease the low back."
        )
    return (
        f"Your trunk leans slightly forward ({x:.0f} deg from vertical), within runners' "
        "normal range. Good."
    )


def waist_bend_target(v: V) -> str:
    return (
        "ankle, hip and shoulder in one line: lean from the ankles, not the waist "
        f"(flag a trunk over {v('waist_bend_flag_deg'):.0f} deg forward of the leg's line)"
    )


def waist_bend(x: float, status: MetricStatus) -> str:
    if status == "work_on":
        return (
            f"You bend forward at the waist: your trunk is {x:.0f} deg ahead of the line "
            "from your ankle through your hip (hunching). Run tall: chest up, hips under "
            "you, and let any lean come from the ankles."
        )
    if x < 0:
        return (
            f"Your trunk stays upright over your hips ({abs(x):.0f} deg behind the line from "
            "the ankle through the hip). Good."
        )
    return f"You run tall: ankle, hip and shoulder stay nearly in one line ({x:.0f} deg). Good."


# ---- sustained stretches: the worst few seconds beside the typical value ----------------------
_FMT = {"deg": ".0f", "leg lengths": ".2f", "steps/min": ".0f"}


def _n(x: float, unit: str) -> str:
    return f"{x:{_FMT.get(unit, '.1f')}} {unit}"


def stretch_range(a: float, b: float) -> str:
    """A stretch's time range in words ("for 4 s, 5.2-8.9 s into the clip")."""
    return f"for {b - a:.0f} s ({a:.1f}-{b:.1f} s into the clip)"


def stretch_flag(label: str, typical: float, worst: float, unit: str, a: float, b: float) -> str:
    """A stretch past the flag while the typical value is on target."""
    return (
        f"Most of the run your {label} was {_n(typical, unit)}, but {stretch_range(a, b)} "
        f"it was past the flag, reaching {_n(worst, unit)}. Watch that stretch in Review."
    )


def stretch_also(label: str, typical: float, worst: float, unit: str, a: float, b: float) -> str:
    """The stretch past the flag added to a finding flagged on its typical value: how
    long, and the worst it reached (a window's median); nothing when that reads the
    same as the typical value (the whole run was like that)."""
    if _n(worst, unit) == _n(typical, unit):
        return ""
    return (
        f" It stays past the flag {stretch_range(a, b)}, reaching {_n(worst, unit)} at its worst."
    )


# ---- bounce -----------------------------------------------------------------------------------
def bounce_target(v: V) -> str:
    return f"hips rise and fall at most {v('bounce_flag_leglen'):.2f} leg lengths per step"


def bounce(x: float, status: MetricStatus) -> str:
    if status == "work_on":
        return (
            f"Your hips rise and fall {x:.2f} leg lengths each step: that bounce is effort "
            "spent going up, and every landing from higher loads the spine. Think of running "
            "forward, not up; quicker steps help."
        )
    return f"Little wasted bounce ({x:.2f} leg lengths per step). Good."


def vertical_ratio_target(v: V) -> str:
    return f"vertical ratio at most {v('vertical_ratio_flag_pct'):.1f} %"


def vertical_ratio(x: float, status: MetricStatus) -> str:
    if status == "work_on":
        return f"Vertical ratio {x:.1f} %: a lot of up-and-down for the distance covered."
    return f"Vertical ratio {x:.1f} %: efficient."


# ---- head, knee -------------------------------------------------------------------------------
def head_target(v: V) -> str:
    return f"head over the shoulders (flag above {v('head_forward_flag_deg'):.0f} deg forward)"


def head(x: float, status: MetricStatus) -> str:
    if status == "work_on":
        return (
            f"Your head pokes {x:.0f} deg ahead of your trunk line (hunching). Look ahead, "
            "not down, and let the neck stack over the shoulders."
        )
    return "Your head stays over your shoulders. Good."


def knee_target(v: V) -> str:
    return f"knee slightly bent at landing (flag below {v('knee_flexion_ic_low_deg'):.0f} deg)"


def knee(x: float, status: MetricStatus) -> str:
    if status == "work_on":
        return (
            f"Your knee is nearly straight when the foot lands ({x:.0f} deg bend), so less of "
            "the landing is absorbed by the leg. A softer knee at landing helps."
        )
    return f"Your knee is softly bent at landing ({x:.0f} deg). Good."


# ---- fatigue drift ----------------------------------------------------------------------------
def drift_target(label: str, limit: float, unit: str) -> str:
    return (
        f"{label} steady from start to end (flag a change over {limit:g} {unit} "
        "that is larger than step-to-step noise)"
    )


def drift(label: str, x: float, unit: str, status: MetricStatus, note: str) -> str:
    size = f"{notes.drift_number(abs(x), unit)} {unit}"
    if status == "work_on":
        return (
            f"Your {label} changed by {'+' if x >= 0 else '-'}{size} from the first to the "
            "last part of the run, more than step-to-step noise: form fades as you tire. "
            "Shorter runs with good form, then build up."
        )
    if status == "watch":  # past the limit, but not the fading way or not beyond the noise
        which = "rose" if x > 0 else "fell"
        if notes.BEYOND_NOISE in note:
            return (
                f"Your {label} {which} by {size} from the first to the last part of the run, "
                "more than step-to-step noise (a change of pace does this)."
            )
        return (
            f"Your {label} {which} by {size} from the first to the last part of the run, "
            "but the steps vary too much to say whether it really changed."
        )
    return (
        f"Your {label} held steady through the clip "
        f"({'+' if x >= 0 else '-'}{size} from the first to the last part)."
    )


def drift_missing(label: str, why: str) -> str:
    """A drift that was not measured: too few steps, or too noisy to judge."""
    if why.startswith(notes.CANNOT_JUDGE):
        rest = why.removeprefix(notes.CANNOT_JUDGE)
        return f"Cannot judge whether your {label} changed through the clip{rest}."
    return not_measurable(why)


# ---- foot strike ------------------------------------------------------------------------------
FOOT_STRIKE_TARGET = "heel strike only matters together with overstriding"


def foot_strike(x: float, status: MetricStatus, v: V) -> str:
    if status == "work_on":
        return (
            f"You land heel first ({x:.0f} deg toe up) with the foot well ahead of you: "
            "the combination that brakes hardest. Landing closer under the body usually "
            "flattens the foot by itself."
        )
    if x > v("footstrike_rearfoot_deg"):
        return (
            f"You land heel first ({x:.0f} deg toe up), as most runners do; with the foot "
            "landing near under you that is fine."
        )
    kind = "forefoot" if x < v("footstrike_forefoot_deg") else "mid-foot"
    return f"You land on the {kind} ({x:.0f} deg)."


# ---- asymmetry, contact time ------------------------------------------------------------------
def asymmetry_target(v: V) -> str:
    return f"left and right within {v('asymmetry_flag_pct'):.0f} %"


def asymmetry(label: str, x: float, status: MetricStatus) -> str:
    if status == "work_on":
        return (
            f"Your {label} differs by {x:.0f} % between left and right. If one side "
            "also hurts, mention it to a physiotherapist."
        )
    if status == "watch":
        return (
            f"Left and right {label} differ by {x:.0f} %, but this clip cannot measure it "
            "finely enough to tell (film at 60 fps or more, from both sides)."
        )
    return f"Left and right {label} are even ({x:.0f} % apart)."


def contact_target(v: V) -> str:
    return f"at most {v('contact_time_flag_ms'):.0f} ms on the ground per step"


def contact(x: float, status: MetricStatus, confidence: str, note: str) -> str:
    if status == "work_on":
        msg = (
            f"Each foot stays on the ground about {x:.0f} ms, a long contact; quicker steps "
            "shorten it."
        )
    else:
        msg = f"Ground contact about {x:.0f} ms per step."
    if confidence in ("low", "medium") and note:
        msg += f" ({note})"
    return msg
