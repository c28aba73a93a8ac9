"""Every sentence formcheck says about the counted warm-up moves and the squat.

Nothing is measured or judged here: :mod:`formcheck.exercises.moves` and
:mod:`formcheck.cues.warmup_findings` pass in the numbers and statuses. The
dicts below are merged into :mod:`formcheck.cues.words_exercises`
(``EXERCISE_NAME``, ``POSITION_HOW``, ``LIVE``).
"""

from __future__ import annotations

from formcheck.cues import words_floor

EXERCISE_NAME: dict[str, str] = {
    "jumping-jacks": "jumping jacks",
    "high-knees": "high knees",
    "butt-kicks": "butt kicks",
    "leg-swing-front": "forward leg swings",
    "leg-swing-side": "side leg swings",
    "standing-twist": "standing twist",
    "squat": "squat",
    "hip-circles": "hip circles",
    "arm-circles": "arm circles",
    "lunge-twist": "lunge with a twist",
}

POSITION_HOW: dict[str, str] = {
    "jumping-jacks": "standing facing the camera, whole body in view",
    "high-knees": "standing side-on to the camera, whole body in view",
    "butt-kicks": "standing side-on to the camera, whole body in view",
    "leg-swing-front": "standing side-on to the camera, swinging one leg forward and back",
    "leg-swing-side": "standing facing the camera, swinging one leg out to the side and across",
    "standing-twist": "standing facing the camera, feet hip-width apart, hips facing forward",
    "squat": "standing facing the camera, feet about shoulder-width apart",
    "hip-circles": "standing facing the camera, hands on hips, feet hip-width apart",
    "arm-circles": "standing side-on to the camera, circling both arms",
    "lunge-twist": "side-on to the camera, stepping forward into a lunge",
}

LIVE: dict[str, str] = {
    "setup_jumping-jacks": "Stand facing the camera, arms by your sides.",
    "setup_high-knees": "Stand side-on to the camera.",
    "setup_butt-kicks": "Stand side-on to the camera.",
    "setup_leg-swing-front": "Stand side-on, hold something for balance if you like.",
    "setup_leg-swing-side": "Face the camera, hold something for balance if you like.",
    "setup_standing-twist": "Face the camera, feet hip-width apart.",
    "setup_squat": "Face the camera, feet shoulder-width apart.",
    "setup_hip-circles": "Face the camera, hands on your hips.",
    "hip-circles_flung": "Slower, bigger circles.",
    "setup_arm-circles": "Stand side-on to the camera, arms long.",
    "arm-circles_arms_bent": "Keep your arms long and straight.",
    "setup_lunge-twist": "Stand side-on to the camera, whole body in view.",
    "lunge-twist_knee_past_toes": "Keep your front knee over your foot.",
    "move_count": "{n}",
    "move_count_side": "{side} {n}.",
    "move_side_done": "{n} on the {side}. Switch.",
    "move_time_done": "{s} seconds. Done.",
    "move_flung": "Slower. Control the movement.",
    "jumping-jacks_feet_narrow": "Jump your feet out wider.",
    "high-knees_knee_low": "Knees up to hip height.",
    "butt-kicks_heel_low": "Kick your heels up to your glutes.",
    "leg-swing-front_trunk_leaning": "Keep your chest up while the leg swings.",
    "leg-swing-side_trunk_leaning": "Keep your body upright while the leg swings.",
    "standing-twist_hips_turning": "Keep your hips facing forward; turn from the waist.",
    "squat_knees_in": "Push your knees out over your toes.",
}

#: The per-rep form check of each move: (what is measured, the fault in words, the
#: good form in words). The target comes from its threshold.
FORM: dict[str, tuple[str, str, str]] = {
    "jumping-jacks": ("feet spread at the open position", "feet not jumped wide", "feet wide"),
    "high-knees": ("thigh at the top of each raise", "knee short of hip height", "knee to hip"),
    "butt-kicks": ("shank angle at the top of each kick", "heel short of the glutes", "heel up"),
    "leg-swing-front": ("trunk lean during each swing", "trunk leaning", "trunk upright"),
    "leg-swing-side": ("trunk lean during each swing", "trunk leaning", "trunk upright"),
    "standing-twist": ("hip turn during each twist", "hips turning with the shoulders",
                       "hips kept square"),
    "squat": ("knee spread at the bottom", "knees caving in", "knees over the toes"),
    "hip-circles": ("time of each circle", "circles rushed", "circles controlled"),
    **words_floor.FORM,
    "arm-circles": ("elbow in each circle", "arms bent", "arms long"),
    "lunge-twist": ("front shin tilt at the bottom", "knee past the toes", "knee over the foot"),
}  # fmt: skip

#: A fault label (per rep) in words, for tables and the live page.
FAULT: dict[str, str] = {
    "feet_narrow": "feet not wide",
    "knee_low": "knee low",
    "heel_low": "heel low",
    "trunk_leaning": "trunk leaning",
    "hips_turning": "hips turning",
    "knees_in": "knees in",
    "arms_bent": "arms bent",
    "knee_past_toes": "knee past toes",
    "flung": "too fast",
    **words_floor.FAULT,
}

#: Where the camera goes, said live when the view is wrong (standing moves).
VIEW_CUE = {
    "front": "Face the camera, whole body in view.",
    "side": "Turn side-on to the camera.",
}
#: The same in the report.
VIEW_NOTICE = {
    "front": "The camera sees you from the side; formcheck judges {name} facing the "
    "camera, with the whole body in view.",
    "side": "The camera sees your front or back; formcheck judges {name} side-on: put the "
    "camera level with your hips, to your side.",
}

SIDE_WORD = {"left": "left", "right": "right", "cw": "clockwise", "ccw": "anticlockwise"}
#: Moves whose directions have better words (arm circles seen from the right side).
SIDE_WORD_BY_MOVE = {"arm-circles": {"cw": "backward", "ccw": "forward"}}


def side_word(activity: str, side: str) -> str:
    return SIDE_WORD_BY_MOVE.get(activity, {}).get(side) or SIDE_WORD.get(side, side)


NOTE_MOVE_REPS = "left/right = the moving side, as the pose model labels it"
NOTE_ACTIVE = "time moving in position"
WHY_NO_MOVE_REP = "no complete rep"
MOVE_NO_REP = "No complete rep was seen, so the form and tempo could not be judged."
MOVE_TEMPO_SOURCE_NOTE = "controlled, not flung"


def form_target(activity: str, bound: float, unit: str, side: str) -> str:
    what = FORM[activity][0]
    rel = "at least" if side == "below" else "at most"
    return f"{what}: {rel} {_num(bound, unit)}"


def form_message(activity: str, median: float, unit: str, n: int, n_fault: int, flag: bool) -> str:
    _, fault, good = FORM[activity]
    typical = f"typical {_num(median, unit)}"
    if n_fault == 0:
        return f"{good.capitalize()} in all {n} reps ({typical})."
    if flag:
        return f"{fault.capitalize()} in {n_fault} of {n} reps ({typical})."
    return f"{good.capitalize()} in most reps ({typical}); {fault} in {n_fault} of {n}."


def tempo_target(max_s: float) -> str:
    return f"each rep out and back in more than {max_s:.1f} s (controlled, not flung)"


def tempo_message(median_s: float, n: int, n_flung: int, flag: bool) -> str:
    if n_flung == 0:
        return f"Controlled: a typical rep took {median_s:.1f} s."
    if flag:
        return (
            f"Too fast: {n_flung} of {n} reps were flung (typical {median_s:.1f} s). "
            "Move through the range with control."
        )
    return f"Mostly controlled (typical {median_s:.1f} s); {n_flung} of {n} reps were fast."


def dose_target(per_side: int, sides: tuple[str, ...]) -> str:
    if sides:
        return f"{per_side} each " + ("direction" if "cw" in sides else "side")
    return f"{per_side} reps"


def dose_message(counts: dict[str, int], per_side: int, activity: str = "") -> str:
    if not counts:
        return "No reps counted."
    parts = ", ".join(f"{side_word(activity, s)} {n}" for s, n in counts.items())
    short = [side_word(activity, s) for s, n in counts.items() if n < per_side]
    if not short:
        return f"Reps: {parts}: the set is done."
    return f"Reps: {parts}; {per_side} on each is the set ({', '.join(short)} to go)."


def timed_target(target_s: float) -> str:
    return f"{target_s:.0f} s of moving"


def timed_message(active_s: float, target_s: float, steps: int) -> str:
    done = "done" if active_s >= target_s else f"{target_s - active_s:.0f} s to go"
    return f"{active_s:.0f} s moving, {steps} steps: {done}."


def rep_label(form: str | None) -> str:
    """A rep's form in a table or on the live page."""
    return "good" if form is None else FAULT.get(form, form.replace("_", " "))


def _num(x: float, unit: str) -> str:
    if unit == "deg":
        return f"{x:.0f} deg"
    if unit == "s":
        return f"{x:.1f} s"
    return f"{x:.2f} {unit}"


#: How to stand and place the camera (merged into ``words.SETUP_TIPS``).
SETUP_TIPS: dict[str, str] = {
    "jumping-jacks": "Face the camera, whole body in view with room above your hands. Jump "
    "the feet out wider than your shoulders as the arms swing overhead, then back.",
    "high-knees": "Side-on to the camera, whole body in view. Run on the spot bringing each "
    "knee up to hip height, for about 30 s.",
    "butt-kicks": "Side-on to the camera, whole body in view. Run on the spot kicking each "
    "heel up to your glutes, for about 30 s.",
    "leg-swing-front": "Side-on to the camera, a hand on a wall or chair if you like. Swing "
    "one leg forward and back with control, 10-15 times, then the other.",
    "leg-swing-side": "Face the camera, a hand on a wall or chair if you like. Swing one leg "
    "out to the side and across with control, 10-15 times, then the other.",
    "standing-twist": "Face the camera, feet hip-width apart. Turn the shoulders to one side "
    "and then the other, 10 each side, keeping the hips facing forward.",
    "squat": "Face the camera, feet about shoulder-width apart, whole body in view. Sit "
    "back and down and stand up, knees tracking over the toes.",
    "hip-circles": "Face the camera, hands on your hips, feet hip-width apart. Circle the "
    "hips slowly, 10 one way and 10 the other.",
    "arm-circles": "Side-on to the camera, whole body in view. Circle both arms, long and "
    "straight, forward and then backward, small to large.",
    "lunge-twist": "Side-on to the camera, whole body in view. Step forward into a lunge, "
    "front knee over the foot, turn the trunk over the front leg, 10 each leg.",
}

#: Training context per move (merged into ``words_training.TRAINING_CONTEXT``, which
#: adds the see-a-professional line).
TRAINING: dict[str, tuple[str, ...]] = {
    "jumping-jacks": ("Jumping jacks raise the heart rate before a run; keep the landings soft.",),
    "high-knees": ("High knees for about 30 s, then butt kicks, warm up the hips [A0].",),
    "butt-kicks": ("Butt kicks for about 30 s after the high knees [A0].",),
    "leg-swing-front": (
        "Leg swings forward and back, 10-15 each leg, loosen the hips before a run; swing "
        "with control rather than flinging the leg [A0, A3].",
    ),
    "leg-swing-side": ("Leg swings side to side, 10-15 each leg, with control [A0, A3].",),
    "standing-twist": (
        "A standing twist, 10 each side, with the hips facing forward, moves the lower "
        "back gently before a run [A1].",
    ),
    "arm-circles": ("Arm circles, small to large, loosen the shoulders [A3].",),
    "lunge-twist": (
        "A walking lunge with a twist, 10 each leg, warms the hips and the back together; "
        "keep the front knee over the foot [A0].",
    ),
    "hip-circles": (
        "Hip circles, 10-15 each direction, loosen the hips and lower back before a run; "
        "make them slow and wide [A1].",
    ),
    "squat": (
        "Squats work the glutes that take load off the lower back; keep the knees over "
        "the toes [A4].",
    ),
}
