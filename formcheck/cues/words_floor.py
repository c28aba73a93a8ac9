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
