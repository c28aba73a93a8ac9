"""Dynamic warm-up moves and the squat: counting, tempo and each move's form check.

Part of the one threshold table, :data:`formcheck.cues.thresholds.THRESHOLDS`
(see that module for the conventions); entries here, lookups there. The article
names are those of the other threshold files ("Runners' warm-up and recovery
tips", "Lower-back stretches before and after running", "Fixing lower-back pain
from running", "Causes of lower-back pain in runners").

:data:`JUDGED` lists the per-rep numbers judged against one bound each
(activity, metric, ``"below"`` / ``"above"``: which side is ``work_on``, the
threshold); :mod:`formcheck.cues.judge` turns them into rules.
"""

from __future__ import annotations

from formcheck.cues.articles import A0 as _A0
from formcheck.cues.articles import A1 as _A1
from formcheck.cues.articles import A3 as _A3
from formcheck.cues.threshold import Threshold

_POSE = "2-D pose error 5-8 deg RMSE (Van Hooren et al. 2023)"

WARMUP: tuple[Threshold, ...] = (
    # ---------------------------------------------------------------- counting and tempo
    Threshold(
        "move_fast_phase_min_s",
        0.1,
        "s",
        "formcheck rep state machine; high knees at about 3 steps/s per leg pair (the "
        "articles' 30 s of high knees) keep a knee up for about 0.2 s",
        why="a phase of a quick or swinging move (a knee up, arms overhead, a leg swung "
        "forward) must last this long to count: 3 frames at 30 fps, longer than a 1-2 "
        "frame pose spike, and short enough that a flung swing is still counted (and "
        "flagged) rather than missed",
    ),
    Threshold(
        "move_fast_rep_max_s",
        2.0,
        "s",
        "formcheck rep detection: a quick warm-up move (a jack, a knee raise, a kick) goes "
        "out and back well inside a second (a running step takes 0.3-0.5 s, Novacheck "
        "1998 Gait Posture 7:77)",
        heuristic=True,
        why="an excursion longer than this is a held position (arms held out, a squat), "
        "not a rep of a quick move",
    ),
    Threshold(
        "move_held_min_s",
        10.0,
        "s",
        "Wilk et al. 2018 Sports Med 48:1587 (movement tempo in resistance training: "
        "the slowest tempos in use, such as 5-0-5, take about 10 s a rep); the cool-down's "
        "static stretches are held 20-30 s (Lower-back stretches before and after "
        "running, article)",
        heuristic=True,
        why="a squat or lunge held down longer than this is a held position (a kneeling "
        "hip-flexor stretch, a wall sit), not a rep of a dynamic move",
    ),
    Threshold(
        "move_gap_max_s",
        1.0,
        "s",
        "formcheck timed moves: at the slowest jogging step rate (about 120 steps/min, "
        "Novacheck 1998 Gait Posture 7:77) a step comes every 0.5 s",
        heuristic=True,
        why="a pause longer than this between reps ends a stretch of moving: high knees "
        "and butt kicks are timed only while moving",
    ),
    Threshold(
        "move_flung_max_s",
        0.5,
        "s",
        "Fletcher 2010 Eur J Appl Physiol 109:491 (dynamic stretches paced at 50 and "
        "100 beats/min, one movement per beat: at the fast pace a leg swings forward from "
        "hanging and back in one beat, 0.6 s); dynamic warm-up moves are controlled, not "
        f"flung ({_A0}; {_A1})",
        heuristic=True,
        why="a swing, circle or twist taken out of its resting range and back in less than "
        "this (one beat at 120 beats/min, faster than the fastest pace studied) is flung, "
        "not moved through its range with control",
    ),
    # ---------------------------------------------------------------- jumping jacks
    Threshold(
        "jacks_arms_out_deg",
        120.0,
        "deg",
        "coaching cue (jumping jack: arms swing from the sides to overhead); 90 deg = hands "
        "at shoulder height, 180 = overhead",
        why="arms raised past this from hanging = the open position of a jack",
    ),
    Threshold(
        "jacks_arms_in_deg",
        50.0,
        "deg",
        "coaching cue (jumping jack: arms back down by the sides)",
        why="arms back under this = closed; 70 deg of hysteresis under the open level",
    ),
    Threshold(
        "jacks_feet_min_ratio",
        1.0,
        "ankle spread / shoulder width",
        "coaching cue (jumping jack: feet jump out wider than the shoulders)",
        heuristic=True,
        why="at the open position the ankles should be at least shoulder width apart",
    ),
    # ---------------------------------------------------------------- high knees
    Threshold(
        "high_knees_out_deg",
        65.0,
        "deg",
        f"{_A0}: high knees 30 s; knee at hip height = thigh horizontal (90 deg)",
        why="thigh raised past this from hanging straight down = a knee raise",
    ),
    Threshold(
        "high_knees_in_deg",
        30.0,
        "deg",
        "formcheck rep detection",
        why="the knee is back down under this; 35 deg of hysteresis",
    ),
    Threshold(
        "high_knees_thigh_min_deg",
        80.0,
        "deg",
        f"{_A0}: the knee comes up to hip height (thigh horizontal, 90 deg) minus 10 deg "
        f"for {_POSE}",
        why="a knee raise whose thigh peaks under this did not reach hip height",
    ),
    Threshold("high_knees_target_s", 30.0, "s", f"{_A0}: high knees 30 s"),
    # ---------------------------------------------------------------- butt kicks
    Threshold(
        "butt_kicks_out_deg",
        90.0,
        "deg",
        f"{_A0}: butt kicks 30 s, the heel comes up behind towards the glutes",
        why="the shank (knee to ankle) turned back and up past this from hanging = a kick; "
        "past horizontal (90 deg), which a jogging stride's swing barely reaches",
    ),
    Threshold(
        "butt_kicks_in_deg",
        45.0,
        "deg",
        "formcheck rep detection",
        why="the shank back under this from hanging; 45 deg of hysteresis",
    ),
    Threshold(
        "butt_kicks_shank_min_deg",
        130.0,
        "deg",
        f"{_A0}: the heel reaches the glutes; with the thigh hanging down a heel at the "
        f"buttock turns the shank about 140 deg or more from hanging (Winter 2009: shank "
        f"and foot folded against the thigh), minus 10 deg for {_POSE}",
        heuristic=True,
        why="a kick whose shank peaks under this did not bring the heel to the glutes",
    ),
    Threshold("butt_kicks_target_s", 30.0, "s", f"{_A0}: butt kicks 30 s"),
    # ---------------------------------------------------------------- leg swings
    Threshold(
        "leg_swing_out_deg",
        35.0,
        "deg",
        f"{_A0} + {_A3}: leg swings forward and back, 10-15 each leg",
        why="the leg (hip to ankle) swung past this from straight down = a swing",
    ),
    Threshold(
        "leg_swing_in_deg",
        5.0,
        "deg",
        "formcheck rep detection",
        why="the leg is back near straight down (or past it) under this",
    ),
    Threshold(
        "leg_swing_trunk_max_deg",
        20.0,
        "deg",
        f"coaching cue (leg swings: the trunk stays upright while the leg swings); "
        f"10 deg of sway plus 10 deg for {_POSE}",
        heuristic=True,
        why="the trunk leaning further than this from vertical during a swing",
    ),
    Threshold(
        "leg_swing_knee_max_deg",
        45.0,
        "deg",
        "coaching cue (leg swings: a long, nearly straight leg swings from the hip)",
        heuristic=True,
        why="a leg bent more than this at the knee is not swinging straight (a knee raise, "
        "a running stride): not counted as a swing",
    ),
    Threshold(
        "leg_swing_stance_max_deg",
        20.0,
        "deg",
        f"coaching cue (leg swings: stand tall on one leg, holding on for balance); 10 deg "
        f"of sway plus 10 deg for {_POSE}",
        heuristic=True,
        why="the standing leg (hip to ankle) leaving hanging by more than this during a "
        "swing = both legs moving (a stride), not a swing",
    ),
    Threshold("leg_swing_set_reps", 10, "reps", f"{_A0} + {_A3}: 10-15 each leg"),
    # ---------------------------------------------------------------- standing twist
    Threshold(
        "twist_out_deg",
        40.0,
        "deg",
        f"{_A1}: standing lower-back twist, 10 each side",
        why="the shoulders turned past this from facing the camera = a twist to that side",
    ),
    Threshold(
        "twist_in_deg",
        15.0,
        "deg",
        "formcheck rep detection",
        why="the shoulders back to facing forward, under this",
    ),
    Threshold(
        "twist_hips_max_deg",
        25.0,
        "deg",
        f"{_A1}: the hips face forward while the shoulders turn; 15 deg of give plus "
        f"10 deg for {_POSE}",
        heuristic=True,
        why="the hips turned further than this during a twist are not kept square",
    ),
    Threshold(
        "twist_whole_body_frac",
        0.8,
        "x the shoulders' turn",
        f"{_A1}: the twist turns the shoulders while the hips face forward",
        heuristic=True,
        why="hips turning this share of the shoulders' turn or more = the whole body "
        "turning (to face another way), which is not counted as a twist",
    ),
    Threshold("twist_set_reps", 10, "reps", f"{_A1}: 10 each side"),
    # ---------------------------------------------------------------- hip circles
    Threshold(
        "hip_circle_out_torso",
        0.1,
        "torso lengths",
        f"{_A1}: hip circles, 10-15 each direction; a circle takes the pelvis a hand's "
        "width (about 10 cm, 0.2 torso lengths, Winter 2009) to each side; half of that",
        heuristic=True,
        why="hips shifted this far to the person's left of the feet = the left of a circle",
    ),
    Threshold(
        "hip_circle_in_torso",
        -0.1,
        "torso lengths",
        "formcheck rep detection: the same shift to the right",
        heuristic=True,
        why="the hips over to the right as far = the circle's other side (a circle passes "
        "both; standing sway stays between them)",
    ),
    Threshold(
        "hip_circle_feet_level_torso",
        0.1,
        "torso lengths",
        f"{_A1}: hip circles with both feet planted; 0.1 torso (about 5 cm) absorbs pose noise",
        heuristic=True,
        why="ankles further apart in height than this = a foot is off the ground",
    ),
    Threshold(
        "hip_circle_legs_parallel_deg",
        10.0,
        "deg",
        f"{_A1}: hip circles over planted feet tilt both legs alike; {_POSE}",
        heuristic=True,
        why="legs tilted sideways by more than this apart = one leg moving on its own (a "
        "side swing), not the hips circling",
    ),
    Threshold("hip_circle_set_reps", 10, "reps", f"{_A1}: 10-15 each direction"),
    # ---------------------------------------------------------------- arm circles
    Threshold(
        "arm_circle_out_deg",
        30.0,
        "deg",
        f"{_A3}: arm circles, small to large; a circle takes the hands above the shoulders",
        why="arms raised past this above horizontal = the top of a circle",
    ),
    Threshold(
        "arm_circle_in_deg",
        -30.0,
        "deg",
        "formcheck rep detection",
        why="arms past this below horizontal = the bottom of a circle; 60 deg of hysteresis",
    ),
    Threshold(
        "arm_circle_elbow_min_deg",
        150.0,
        "deg",
        f"coaching cue (arm circles: long, straight arms); 20 deg of give plus 10 deg for {_POSE}",
        heuristic=True,
        why="an elbow bent past this in a circle: the arms are not kept long",
    ),
    Threshold(
        "arm_circle_set_reps",
        10,
        "reps",
        f"{_A3}: arm circles (10 each way, formcheck's default: the article gives no number)",
        heuristic=True,
    ),
    # ---------------------------------------------------------------- lunge with a twist
    Threshold(
        "lunge_out_torso",
        0.4,
        "standing torso lengths",
        f"{_A0}: walking lunge with a twist, 10 each leg; Winter 2009 proportions: a lunge "
        "down to a front knee at about 90 deg lowers the hips about half a leg length "
        "(about 0.8 torso); half of that is well on the way down",
        why="hips this far below their standing height = down in a lunge",
    ),
    Threshold(
        "lunge_in_torso",
        0.15,
        "standing torso lengths",
        "formcheck rep detection",
        why="hips back within this of their standing height = standing up",
    ),
    Threshold(
        "lunge_split_min_torso",
        0.8,
        "torso lengths",
        f"{_A0}: a lunge steps one foot forward; a step of about half a leg length "
        "(Winter 2009: leg 0.53 H, torso 0.29 H) is about 0.9 torso",
        heuristic=True,
        why="ankles at least this far apart along the line of travel at the bottom = a "
        "lunge (side by side is a squat)",
    ),
    Threshold(
        "lunge_shin_max_deg",
        35.0,
        "deg",
        f"{_A0}: the front knee stays over the foot; with the shank 0.246 H and the toes "
        f"about 0.11 H ahead of the ankle (Winter 2009) the knee is over the toes at a "
        f"shin tilt of about 24 deg, plus 10 deg for {_POSE}",
        heuristic=True,
        why="the front shin tilted forward more than this at the bottom = the knee well "
        "past the toes",
    ),
    Threshold("lunge_set_reps", 10, "reps", f"{_A0}: 10 each leg"),
    # ---------------------------------------------------------------- squat
    Threshold(
        "squat_out_torso",
        0.4,
        "standing torso lengths",
        "Causes of lower-back pain in runners (article): squats. Winter 2009 proportions: "
        "thigh 0.245 H, shank 0.246 H, torso 0.288 H; a knee bend of about 75 deg (both "
        "segments tipped about 37 deg) lowers the hips about 0.4 torso lengths",
        why="hips this far below their standing height = down in a squat",
    ),
    Threshold(
        "squat_in_torso",
        0.15,
        "standing torso lengths",
        "formcheck rep detection",
        why="hips back within this of their standing height = standing up",
    ),
    Threshold(
        "squat_knee_ankle_min_ratio",
        0.6,
        "knee spread / ankle spread",
        "Noyes et al. 2005 Am J Sports Med 33:197 (drop-jump video test: the knees' "
        "separation normalised by the hips' was 51 % in untrained athletes, most of them "
        "showing a valgus (knees-in) alignment, and 68 % after neuromuscular training); "
        "formcheck normalises by the ankles' spread, about as wide as the hips in a squat "
        "stance",
        heuristic=True,
        why="at the bottom the knees track over the toes: knees closer together than this "
        "share of the ankles' spread have caved in",
    ),
)

#: (activity, metric, side judged work_on, threshold) for the per-rep numbers.
JUDGED: tuple[tuple[str, str, str, str], ...] = (
    ("jumping-jacks", "feet_ratio", "below", "jacks_feet_min_ratio"),
    ("high-knees", "thigh_peak_deg", "below", "high_knees_thigh_min_deg"),
    ("butt-kicks", "shank_peak_deg", "below", "butt_kicks_shank_min_deg"),
    ("leg-swing-front", "trunk_max_deg", "above", "leg_swing_trunk_max_deg"),
    ("leg-swing-front", "rep_s", "below", "move_flung_max_s"),
    ("leg-swing-side", "trunk_max_deg", "above", "leg_swing_trunk_max_deg"),
    ("leg-swing-side", "rep_s", "below", "move_flung_max_s"),
    ("standing-twist", "hips_max_deg", "above", "twist_hips_max_deg"),
    ("standing-twist", "rep_s", "below", "move_flung_max_s"),
    ("hip-circles", "rep_s", "below", "move_flung_max_s"),
    ("squat", "knee_ratio", "below", "squat_knee_ankle_min_ratio"),
    ("arm-circles", "elbow_min_deg", "below", "arm_circle_elbow_min_deg"),
    ("lunge-twist", "shin_max_deg", "above", "lunge_shin_max_deg"),
)
