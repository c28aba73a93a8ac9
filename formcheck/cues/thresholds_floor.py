"""Floor moves: cat-cow and knee-to-chest (warm-up); dead bug, clamshell, donkey kick,
superman and side-lying leg lift (strength): counting, tempo and each move's form check.

Part of the one threshold table, :data:`formcheck.cues.thresholds.THRESHOLDS`
(see that module for the conventions); entries here, lookups there. The article
names are those of the other threshold files. Joint-range norms: American Academy
of Orthopaedic Surgeons, Joint Motion: Method of Measuring and Recording (AAOS
1965): cervical flexion and extension about 45 deg each, hip flexion 120 deg (knee
bent), hip abduction 45 deg, hip external rotation 45 deg, thoracolumbar extension
25 deg; Roach KE, Miles TP (1991) Normal hip and knee active range of motion: the
relationship to age, Phys Ther 71(9):656 (hip extension about 20 deg).

:data:`JUDGED` lists the per-rep numbers judged against one bound each
(activity, metric, ``"below"`` / ``"above"``: which side is ``work_on``, the
threshold); :mod:`formcheck.cues.judge` turns them into rules.
"""

from __future__ import annotations

from formcheck.cues.articles import A0 as _A0
from formcheck.cues.articles import A1 as _A1
from formcheck.cues.articles import A3 as _A3
from formcheck.cues.articles import A4 as _A4
from formcheck.cues.threshold import Threshold

_POSE = "2-D pose error 5-8 deg RMSE (Van Hooren et al. 2023)"
_AAOS = "AAOS 1965 joint-motion norms"

FLOOR: tuple[Threshold, ...] = (
    # ---------------------------------------------------------------- cat-cow
    Threshold(
        "cat_cow_end_deg",
        10.0,
        "deg",
        f"{_A0} + {_A1}: cat-cow, the spine moves through its range; 10 deg is past {_POSE}",
        why="the head-to-trunk angle (the neck continuing the spine's curve) past this, "
        "up (cow) or down (cat), and back by cat_cow_turn_deg = one end of the range reached",
    ),
    Threshold(
        "cat_cow_turn_deg",
        8.0,
        "deg",
        "formcheck rep detection; frame-to-frame pose noise about 2-3 deg",
        why="an end counts once the head has come back this far from its furthest point, "
        "so noise at the end cannot count it twice",
    ),
    Threshold(
        "cat_cow_pair_in_deg",
        5.0,
        "deg",
        "formcheck rep detection",
        why="the smaller of the two ends reached in the current cycle under this = no cycle "
        "under way (the counter's resting side)",
    ),
    Threshold(
        "cat_cow_range_min_deg",
        20.0,
        "deg",
        f"{_A0} + {_A1}: both ends of the range, flexion and extension; half of the "
        f"{_AAOS} 45 deg of cervical flexion and of extension, rounded down for {_POSE}",
        heuristic=True,
        why="a cycle whose shallower end (rounding or arching) stays under this did not "
        "reach both ends of the range",
    ),
    Threshold(
        "cat_cow_cycle_min_s",
        2.0,
        "s",
        f"{_A1}: 10 slow reps; cat-cow is paced with the breath (in to the cow, out to the "
        "cat) and a resting breath takes 3-5 s (12-20 breaths/min)",
        heuristic=True,
        why="a cycle from entering one end of the range to leaving the other faster than "
        "this is rushed, not slow",
    ),
    Threshold("cat_cow_target_reps", 10.0, "reps", f"{_A1}: cat-cow 10 (10-12: {_A0})"),
    # ---------------------------------------------------------------- knee-to-chest march
    Threshold(
        "knee_chest_out_deg",
        90.0,
        "deg",
        f"{_A1}: knee-to-chest march lying on the back; the thigh past vertical (hip "
        "flexion 90 deg) is on its way to the chest",
        why="hip flexion (trunk line to thigh, 0 = leg along the floor) past this = a knee up",
    ),
    Threshold(
        "knee_chest_in_deg",
        60.0,
        "deg",
        "formcheck rep detection",
        why="the leg is back down under this hip flexion; 30 deg of hysteresis",
    ),
    Threshold(
        "knee_chest_hip_min_deg",
        110.0,
        "deg",
        f"{_A1}: the knee comes to the chest: {_AAOS} hip flexion 120 deg with the knee bent, "
        f"minus 10 deg for {_POSE}",
        heuristic=True,
        why="a march whose hip flexion peaks under this did not bring the knee to the chest",
    ),
    Threshold(
        "knee_chest_max_rep_s",
        3.0,
        "s",
        f"{_A1}: the march is a dynamic warm-up (moving, not holding); the lying knee hug "
        "of the cool-down is held 20-30 s",
        heuristic=True,
        why="a knee kept up longer than this (twice a slow 1.5 s march) is a hug held, "
        "not a march rep",
    ),
    Threshold("knee_chest_target_reps", 10.0, "reps", f"{_A1}: knee-to-chest march 10 per leg"),
    # ---------------------------------------------------------------- dead bug
    Threshold(
        "dead_bug_out_deg",
        45.0,
        "deg",
        f"{_A4}: dead bug (core activation): lying on the back, arms up and knees over the "
        "hips, one arm reaches overhead and the opposite leg straightens towards the floor",
        why="the arm (shoulder-wrist) lowered overhead and the opposite thigh lowered "
        "from vertical both past this (halfway to the floor) = a reach",
    ),
    Threshold(
        "dead_bug_in_deg",
        25.0,
        "deg",
        "formcheck rep detection",
        why="the limbs are back up when the lesser of the two is under this; 20 deg of hysteresis",
    ),
    Threshold(
        "dead_bug_trunk_max_deg",
        10.0,
        "deg",
        f"coaching cue (dead bug: the low back stays down on the floor); 10 deg is past "
        f"{_POSE}. Only the hip-shoulder line is seen from the side: the low back lifting "
        "(or the ribs flaring) tilts it",
        heuristic=True,
        why="the hip-shoulder line tilting more than this from its resting angle during a "
        "reach = the back lifting",
    ),
    # ---------------------------------------------------------------- clamshell
    Threshold(
        "clamshell_out_deg",
        20.0,
        "deg",
        f"{_A4}: clamshell (glute activation): lying on the side, knees bent, the top knee "
        f"opens; {_AAOS} hip external rotation 45 deg, so 20 deg is about half of it",
        heuristic=True,
        why="the angle between the thighs past this = the knee opened",
    ),
    Threshold(
        "clamshell_in_deg",
        8.0,
        "deg",
        "formcheck rep detection",
        why="the knees are back together under this; 12 deg of hysteresis",
    ),
    Threshold(
        "pelvis_roll_max_deg",
        30.0,
        "deg",
        "Willcox EL, Burden AJ (2013) The influence of varying hip angle and pelvis "
        "position on muscle recruitment patterns of the hip abductor muscles during the "
        "clam exercise, J Orthop Sports Phys Ther 43(5):325 (rolling the pelvis back "
        "changes which muscles work); coaching cue: the pelvis stays stacked",
        heuristic=True,
        why="the pelvis rolled back by more than this from its resting stack: seen from "
        "the front, the hip-to-hip line shortens by the cosine of the roll (13 % at 30 "
        "deg, past the few-percent pose noise of the hip points)",
    ),
    # ---------------------------------------------------------------- side-lying leg lift
    Threshold(
        "side_leg_out_deg",
        20.0,
        "deg",
        f"{_A3}: leg lifts; {_AAOS} hip abduction 45 deg, so 20 deg is about half of it",
        heuristic=True,
        why="the angle between the legs (hip to ankle) past this = the top leg lifted",
    ),
    Threshold(
        "side_leg_in_deg",
        8.0,
        "deg",
        "formcheck rep detection",
        why="the legs are back together under this; 12 deg of hysteresis",
    ),
    # ---------------------------------------------------------------- donkey kick
    Threshold(
        "donkey_kick_out_deg",
        45.0,
        "deg",
        f"{_A4}: donkey kick (glute activation): on all fours, one bent leg kicks up "
        "behind; halfway from hanging to level with the back",
        why="the thigh (hip-knee) raised behind past this from hanging straight down = a kick",
    ),
    Threshold(
        "donkey_kick_in_deg",
        20.0,
        "deg",
        "formcheck rep detection",
        why="the knee is back down under the hip under this; 25 deg of hysteresis",
    ),
    Threshold(
        "donkey_kick_arch_max_deg",
        20.0,
        "deg",
        "Roach & Miles 1991 Phys Ther 71:656 (hip extension about 20 deg); coaching cue: "
        "kick with the hip, not the low back",
        heuristic=True,
        why="the thigh raised above the line of the back by more than the hip can extend "
        "means the low back arched to lift it",
    ),
    # ---------------------------------------------------------------- superman
    Threshold(
        "superman_out_deg",
        18.0,
        "deg",
        f"{_A3}: superman, lying face down, arms and legs lift together; 6 deg above "
        "superman_in_deg (twice the frame-to-frame noise)",
        heuristic=True,
        why="the shoulder-hip-ankle line bent past this (chest and legs raised) = a lift",
    ),
    Threshold(
        "superman_in_deg",
        12.0,
        "deg",
        "formcheck rep detection: lying flat face down, the chest and the feet resting on "
        "the toes bend the shoulder-hip-ankle line by only a few degrees (about 4); with "
        "the 2-D pose model's angle error of 5-8 deg (Van Hooren et al. 2023) a body lying "
        "flat reads up to about 12 deg",
        heuristic=True,
        why="back under this = lying down again",
    ),
    Threshold(
        "superman_chest_max_deg",
        20.0,
        "deg",
        f"McGill SM (1998) Low back exercises: evidence for improving exercise regimens, "
        f"Phys Ther 78(7):754 (the superman loads a hyperextended lumbar spine heavily); "
        f"{_AAOS} thoracolumbar extension 25 deg",
        heuristic=True,
        why="the chest (hip-shoulder line) raised more than this above its resting angle "
        "uses most of the back's extension range: the low back arches too far",
    ),
)

#: (activity, per-rep metric, the ``work_on`` side, threshold) of the floor moves.
JUDGED: tuple[tuple[str, str, str, str], ...] = (
    ("cat-cow", "range_deg", "below", "cat_cow_range_min_deg"),
    ("cat-cow", "rep_s", "below", "cat_cow_cycle_min_s"),
    ("knee-to-chest", "hip_flex_deg", "below", "knee_chest_hip_min_deg"),
    ("knee-to-chest", "rep_s", "below", "move_flung_max_s"),
    ("dead-bug", "trunk_change_deg", "above", "dead_bug_trunk_max_deg"),
    ("dead-bug", "rep_s", "below", "move_flung_max_s"),
    ("clamshell", "pelvis_roll_deg", "above", "pelvis_roll_max_deg"),
    ("clamshell", "rep_s", "below", "move_flung_max_s"),
    ("side-leg-lift", "pelvis_roll_deg", "above", "pelvis_roll_max_deg"),
    ("side-leg-lift", "rep_s", "below", "move_flung_max_s"),
    ("donkey-kick", "thigh_past_back_deg", "above", "donkey_kick_arch_max_deg"),
    ("donkey-kick", "rep_s", "below", "move_flung_max_s"),
    ("superman", "chest_lift_deg", "above", "superman_chest_max_deg"),
    ("superman", "rep_s", "below", "move_flung_max_s"),
)
