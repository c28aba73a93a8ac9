"""The warm-up, floor and cool-down moves of the one activity table
(:data:`formcheck.activities.TABLE` lists them after running and the strength
exercises). Counted moves are one :class:`~formcheck.exercises.moves.MoveSpec` each
(:func:`~formcheck.activity.counted_move`); the stretches share one analyzer
(:mod:`formcheck.exercises.stretch_moves`), timed per side where the articles dose
them per side.
"""

from __future__ import annotations

from functools import partial

from formcheck.activity import Activity, counted_move
from formcheck.cues.words_stretches import LABEL as STRETCH_LABEL
from formcheck.exercises import stretch_moves
from formcheck.exercises.floor_strength import (
    CLAMSHELL,
    DEAD_BUG,
    DONKEY_KICK,
    SIDE_LEG_LIFT,
    SUPERMAN,
)
from formcheck.exercises.floor_warmup import CAT_COW, KNEE_TO_CHEST
from formcheck.exercises.warmup_lunge import LUNGE_TWIST
from formcheck.exercises.warmup_standing import (
    ARM_CIRCLES,
    HIP_CIRCLES,
    LEG_SWING_FRONT,
    LEG_SWING_SIDE,
    SQUAT,
    STANDING_TWIST,
)
from formcheck.exercises.warmup_steps import BUTT_KICKS, HIGH_KNEES, JUMPING_JACKS

MOVES: tuple[Activity, ...] = (
    # ---- counted warm-up moves (formcheck.exercises.moves: one spec each)
    # a jack takes about 0.8 s
    counted_move(
        JUMPING_JACKS,
        "Jumping jacks",
        ("reps", "feet_ratio", "rep_s"),
        "Jumping jacks",
        "warmup",
        1.5,
    ),
    counted_move(
        HIGH_KNEES,
        "High knees",
        ("active_s", "reps", "thigh_peak_deg"),
        "High knees",
        "warmup",
        1.5,
    ),
    counted_move(
        BUTT_KICKS,
        "Butt kicks",
        ("active_s", "reps", "shank_peak_deg"),
        "Butt kicks",
        "warmup",
        1.5,
    ),
    counted_move(
        STANDING_TWIST,
        "Standing twist",
        ("reps", "hips_max_deg", "rep_s"),
        "Standing twist",
        "warmup",
        3.0,
    ),
    counted_move(HIP_CIRCLES, "Hip circles", ("reps", "rep_s"), "Hip circles", "warmup", 3.0),
    counted_move(
        LEG_SWING_FRONT,
        "Leg swings (forward and back)",
        ("reps", "trunk_max_deg", "rep_s"),
        "Forward leg swings",
        "warmup",
        3.0,
    ),
    counted_move(
        LEG_SWING_SIDE,
        "Leg swings (side to side)",
        ("reps", "trunk_max_deg", "rep_s"),
        "Side leg swings",
        "warmup",
        3.0,
    ),
    counted_move(SQUAT, "Squat", ("reps", "knee_ratio", "rep_s"), "Squat set", "strength", 3.0),
    counted_move(
        ARM_CIRCLES, "Arm circles", ("reps", "elbow_min_deg", "rep_s"), "Arm circles", "warmup", 3.0
    ),
    counted_move(
        LUNGE_TWIST,
        "Walking lunge with a twist",
        ("reps", "shin_max_deg", "rep_s"),
        "Walking lunges with a twist",
        "warmup",
        3.0,
    ),
    # ---- floor moves (formcheck.exercises.floor_warmup / floor_strength: one spec each)
    # one slow cat-cow cycle takes about 4-8 s, a rep of the others about 2 s
    counted_move(CAT_COW, "Cat-cow", ("reps", "range_deg", "rep_s"), "Cat-cow", "warmup", 3.0),
    counted_move(
        KNEE_TO_CHEST,
        "Knee-to-chest march",
        ("reps", "hip_flex_deg", "rep_s"),
        "Knee-to-chest march",
        "warmup",
    ),
    counted_move(DEAD_BUG, "Dead bug", ("reps", "trunk_change_deg", "rep_s"), "Dead bug set"),
    counted_move(CLAMSHELL, "Clamshell", ("reps", "pelvis_roll_deg", "rep_s"), "Clamshell set"),
    counted_move(
        DONKEY_KICK, "Donkey kick", ("reps", "thigh_past_back_deg", "rep_s"), "Donkey kick set"
    ),
    counted_move(SUPERMAN, "Superman", ("reps", "chest_lift_deg", "rep_s"), "Superman set"),
    counted_move(
        SIDE_LEG_LIFT,
        "Side-lying leg lift",
        ("reps", "pelvis_roll_deg", "rep_s"),
        "Side-lying leg lift set",
    ),
    # cool-down static stretches (formcheck.exercises.stretch_moves), timed per side where
    # the articles dose them per side
    *(
        Activity(
            name,
            STRETCH_LABEL[name],
            "side",
            "hold",
            partial(stretch_moves.analyze, name),
            stretch_moves.ANALYZERS[name],
            min_duration_s=0.0,
            still_ok=True,
            headline=("hold_s", "still_s", "bouncing_n", "longest_hold_s"),
            report_title=f"{STRETCH_LABEL[name]} hold",
            group="cooldown",
            recognise=partial(stretch_moves.recognise, name),
        )
        for name in stretch_moves.ANALYZERS
    ),
)
