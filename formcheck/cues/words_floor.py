"""Every sentence formcheck says about the floor moves: cat-cow, knee-to-chest march,
dead bug, clamshell, donkey kick, superman and side-lying leg lift.

Nothing is measured or judged here. The dicts are merged into
:mod:`formcheck.cues.words_exercises` (``EXERCISE_NAME``, ``POSITION_HOW``, ``LIVE``)
and :mod:`formcheck.cues.words_warmup` (``FORM``, ``FAULT``).
"""

from __future__ import annotations

EXERCISE_NAME: dict[str, str] = {
    "cat-cow": "cat-cow",
    "knee-to-chest": "knee-to-chest march",
    "dead-bug": "dead bug",
    "clamshell": "clamshell",
    "donkey-kick": "donkey kick",
    "superman": "superman",
    "side-leg-lift": "side-lying leg lift",
}

POSITION_HOW: dict[str, str] = {
    "cat-cow": "on hands and knees, filmed from the side, head in view",
    "knee-to-chest": "lying on your back, legs down, filmed from the side",
    "dead-bug": "lying on your back, arms up and knees over the hips, filmed from the side",
    "clamshell": "lying on one side, knees bent and stacked, facing the camera",
    "donkey-kick": "on hands and knees, filmed from the side",
    "superman": "lying face down, arms reaching forward, filmed from the side",
    "side-leg-lift": "lying on one side, legs long and stacked, facing the camera",
}

LIVE: dict[str, str] = {
    "setup_cat-cow": "Get on hands and knees, side-on to the camera.",
    "setup_knee-to-chest": "Lie on your back, side-on to the camera.",
    "setup_dead-bug": "Lie on your back, arms up, knees over your hips.",
    "setup_clamshell": "Lie on your side facing the camera, knees bent.",
    "setup_donkey-kick": "Get on hands and knees, side-on to the camera.",
    "setup_superman": "Lie face down, arms reaching forward.",
    "setup_side-leg-lift": "Lie on your side facing the camera, legs long.",
    "cat-cow_short_range": "Go further: arch all the way, then round all the way.",
    "knee-to-chest_knee_low": "Pull the knee all the way to your chest.",
    "dead-bug_back_lifting": "Keep your low back pressed into the floor.",
    "clamshell_pelvis_rolling": "Keep your hips stacked; don't roll back.",
    "side-leg-lift_pelvis_rolling": "Keep your hips stacked; lift the leg, not the hip.",
    "donkey-kick_back_arching": "Kick from the hip; keep your back flat.",
    "superman_arching": "Lift a little lower; don't crank your back.",
}

#: The per-rep form check of each move: (what is measured, the fault in words, the
#: good form in words). The target comes from its threshold.
FORM: dict[str, tuple[str, str, str]] = {
    "cat-cow": ("the shallower end of each cycle (head to trunk)", "one end of the range "
                "not reached", "both ends reached"),
    "knee-to-chest": ("hip bend at the top of each march", "knee short of the chest",
                      "knee to the chest"),
    "dead-bug": ("tilt of the hip-shoulder line during each reach", "low back lifting",
                 "back kept down"),
    "clamshell": ("pelvis roll during each opening", "pelvis rolling back", "hips stacked"),
    "side-leg-lift": ("pelvis roll during each lift", "pelvis rolling", "hips stacked"),
    "donkey-kick": ("thigh above the line of the back", "low back arching",
                    "kick from the hip"),
    "superman": ("chest lift above lying", "low back arching too far", "lift kept moderate"),
}  # fmt: skip

#: A fault label (per rep) in words, for tables and the live page.
FAULT: dict[str, str] = {
    "short_range": "short range",
    "back_lifting": "back lifting",
    "pelvis_rolling": "pelvis rolling",
    "back_arching": "back arching",
    "arching": "arching",
}

#: How to lie or kneel and place the camera (merged into ``words.SETUP_TIPS``).
SETUP_TIPS: dict[str, str] = {
    "cat-cow": "On hands and knees, side-on to the camera, head included. Slowly let the "
    "back sag and look up (cow), then round the back and tuck the chin (cat).",
    "knee-to-chest": "Lie on your back side-on to the camera, legs long. Draw one knee to the "
    "chest, put it down, then the other.",
    "dead-bug": "Lie on your back side-on to the camera, arms up, knees over the hips. Reach "
    "one arm overhead and the opposite leg long, low back on the floor, then switch.",
    "clamshell": "Lie on one side facing the camera, knees bent and stacked, feet together. "
    "Open the top knee without rolling the hips back, then close it.",
    "donkey-kick": "On hands and knees, side-on to the camera. Keep the knee bent and push "
    "the foot up behind you until the thigh is level with the back.",
    "superman": "Lie face down side-on to the camera, arms reaching forward. Lift arms, "
    "chest and legs a little together, then lower.",
    "side-leg-lift": "Lie on one side facing the camera, legs long and stacked. Lift the top "
    "leg without rolling the hips, then lower it.",
}

#: Training context per move (merged into ``words_training.TRAINING_CONTEXT``, which
#: adds the see-a-professional line).
TRAINING: dict[str, tuple[str, ...]] = {
    "cat-cow": (
        "Cat-cow, about 10 slow cycles, moves the whole spine through its range before a "
        "run: arch fully, then round fully [A0, A1].",
    ),
    "knee-to-chest": (
        "A knee-to-chest march, 10-12 each leg, loosens the hips and lower back before a run [A1].",
    ),
    "dead-bug": (
        "The dead bug trains the deep core that steadies the lower back; keep the back on "
        "the floor while the limbs move [A4].",
    ),
    "clamshell": (
        "Clamshells wake up the glutes that take load off the lower back; keep the hips "
        "stacked [A4].",
    ),
    "donkey-kick": (
        "Donkey kicks work the glutes; kick from the hip without arching the back [A4].",
    ),
    "superman": (
        "The superman strengthens the back extensors; lift only a little, without "
        "cranking the lower back [A3].",
    ),
    "side-leg-lift": (
        "Side-lying leg lifts work the hip abductors that keep the pelvis level on each "
        "stride [A3].",
    ),
}
