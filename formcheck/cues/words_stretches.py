"""Every sentence formcheck says about the cool-down stretches, in its own words.

Merged into the exercise dictionaries of :mod:`formcheck.cues.words_exercises`
(:data:`EXERCISE_NAME`, :data:`POSITION_HOW`, :data:`LIVE`, :data:`NOTICE`); the
findings' sentences are the functions below. Nothing is measured or judged here.
"""

from __future__ import annotations

EXERCISE_NAME: dict[str, str] = {
    "childs-pose": "child's pose",
    "forward-fold": "seated forward fold",
    "spinal-twist": "supine spinal twist",
    "knee-hug": "lying knee hug",
    "hip-flexor-stretch": "kneeling hip-flexor stretch",
    "figure-4": "figure-4 (piriformis) stretch",
    "hamstring-stretch": "lying hamstring stretch",
}

LABEL: dict[str, str] = {
    "childs-pose": "Child's pose",
    "forward-fold": "Seated forward fold",
    "spinal-twist": "Supine spinal twist",
    "knee-hug": "Lying knee hug",
    "hip-flexor-stretch": "Kneeling hip-flexor stretch",
    "figure-4": "Figure-4 (piriformis) stretch",
    "hamstring-stretch": "Lying hamstring stretch",
}

POSITION_HOW: dict[str, str] = {
    "childs-pose": "kneeling, sitting back on your heels with your chest on your thighs and "
    "arms forward, filmed from the side",
    "forward-fold": "sitting with straight legs and folding forward from the hips, filmed "
    "from the side",
    "spinal-twist": "lying on your back, knees bent and dropped to one side with both "
    "shoulders flat, filmed from the side",
    "knee-hug": "lying on your back, hugging one or both knees to your chest, filmed from the side",
    "hip-flexor-stretch": "kneeling on one knee, the other foot flat in front, trunk upright "
    "and hips eased forward, filmed from the side",
    "figure-4": "lying on your back with one ankle crossed over the other knee, filmed from "
    "the side",
    "hamstring-stretch": "lying on your back with one straight leg raised, filmed from the side",
}

#: Which side a per-side stretch counts as "left" or "right" (the stretched side).
SIDE_MEANS: dict[str, str] = {
    "spinal-twist": "the side stretched: right = knees dropped to the left (the right hip lifts)",
    "hip-flexor-stretch": "the side stretched: the back leg, its knee on the floor",
    "figure-4": "the side stretched: the leg whose ankle is crossed over the other knee",
    "hamstring-stretch": "the side stretched: the raised leg",
    "knee-hug": "the hugged leg",
}

SETUP_TIPS: dict[str, str] = {
    "childs-pose": "Side-on to the camera, whole body in view. Kneel, sit back on your heels "
    "and lay your chest on your thighs, arms long. Breathe and hold still.",
    "forward-fold": "Side-on to the camera. Sit with legs straight and fold forward from the "
    "hips as far as is comfortable; hold still, no bouncing.",
    "spinal-twist": "Lie on your back side-on to the camera, knees bent; let both knees drop "
    "to one side, shoulders flat. Hold, then the other side.",
    "knee-hug": "Lie on your back side-on to the camera and hug a knee (or both) to your "
    "chest. Hold still.",
    "hip-flexor-stretch": "Side-on to the camera, kneel on one knee with the other foot "
    "in front; keep the trunk upright and ease the hips forward. Hold, then switch.",
    "figure-4": "Lie on your back side-on to the camera, cross one ankle over the other knee "
    "and draw the legs in. Hold, then switch.",
    "hamstring-stretch": "Lie on your back side-on to the camera and raise one straight leg "
    "(a strap helps). Hold, then switch.",
}

TRAINING_CONTEXT: dict[str, tuple[str, ...]] = {
    name: (
        "After a run, walk 5-10 minutes first, then hold each stretch still for 20-30 s "
        "(30 s each side for the hip-flexor, piriformis and hamstring stretches): ease in, "
        "breathe, never bounce [A0, A1].",
    )
    for name in EXERCISE_NAME
}

LIVE: dict[str, str] = {
    "setup_childs-pose": "Kneel, sit back on your heels and rest your chest on your thighs.",
    "setup_forward-fold": "Sit with straight legs and fold forward from your hips.",
    "setup_spinal-twist": "Lie on your back and drop both knees to one side.",
    "setup_knee-hug": "Lie on your back and hug your knee to your chest.",
    "setup_hip-flexor-stretch": "Kneel on one knee, other foot in front, trunk tall.",
    "setup_figure-4": "Lie on your back and cross one ankle over the other knee.",
    "setup_hamstring-stretch": "Lie on your back and raise one straight leg.",
    "stretch_hold_start": "Good. Breathe and hold still.",
    "stretch_bouncing": "Don't bounce: ease in and hold still.",
    "stretch_side_done": "{s} seconds. Switch sides.",
    "stretch_both_done": "{s} seconds. Both sides done.",
}

NOTICE: dict[str, str] = {}

# ---- how the numbers were measured, or why not -------------------------------------------
NOTE_STRETCH_HOLD = "time in the stretch position (bouncing included; its share is beside it)"
NOTE_STILL = "time in the position held still (no bouncing)"
NOTE_BOUNCING = "bouncing stretches: repeated quick swings of the stretched joint angle"
NOTE_STRETCH_ANGLE = "median over the hold"
WHY_NO_HOLD = "never held in position"


def note_side_hold(means: str) -> str:
    return f"time in position; left/right = {means}"


# ---- findings ------------------------------------------------------------------------------
STRETCH_HOLD_SOURCE = (
    "Lower-back stretches before and after running (article): hold each stretch 20-30 s; "
    "Runners' warm-up and recovery tips (article): 30 s each side"
)
NO_HOLD = "No hold: the stretch position was never held long enough to time."
HOLD_PHOTO = "A photo shows one moment, so there is no hold time."
BOUNCE_NOT_SEEN = "The stretch was never held, so bouncing could not be checked."


def hold_target(min_s: float, target_s: float, per_side: bool) -> str:
    each = " each side" if per_side else ""
    if min_s >= target_s:
        return f"{target_s:.0f} s{each}"
    return f"{min_s:.0f}-{target_s:.0f} s{each}"


def stretch_hold(total: float, min_s: float, target_s: float) -> str:
    if total >= target_s:
        return f"Held {total:.0f} s: the {target_s:.0f} s target is reached."
    if total >= min_s:
        return f"Held {total:.0f} s: enough (at least {min_s:.0f} s); {target_s:.0f} s is ideal."
    return f"Held {total:.0f} s; hold it still for at least {min_s:.0f} s."


def stretch_hold_sides(left: float, right: float, min_s: float, first: str | None) -> str:
    parts = [f"Left {left:.0f} s, right {right:.0f} s."]
    short = [s for s, v in (("left", left), ("right", right)) if v < min_s]
    if not short:
        parts.append(f"Both sides held at least {min_s:.0f} s.")
    elif len(short) == 2:
        parts.append(f"Hold each side at least {min_s:.0f} s.")
    else:
        parts.append(f"Hold the {short[0]} side at least {min_s:.0f} s too.")
    if first is not None:
        parts.append(f"Started on the {first} side.")
    return " ".join(parts)


def bounce_target(min_deg: float, min_hz: float) -> str:
    return f"no bouncing (swings of {min_deg:.0f} deg or more, faster than {min_hz:.1f} a second)"


def fmt_bounce(t0: float, t1: float, amp: float, rate: float) -> str:
    return f"{t0:.1f}-{t1:.1f} s ({amp:.0f} deg, {rate:.1f}/s)"


def stretch_bouncing(items: list[str]) -> str:
    if not items:
        return "Held still: no bouncing."
    return (
        f"Bouncing in {len(items)} stretch(es): {'; '.join(items)}. Ease into the stretch "
        "and hold it still; bouncing fires the stretch reflex and tugs on the muscle."
    )
