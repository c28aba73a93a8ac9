"""Cool-down stretch thresholds: the static stretches' positions, hold doses and the
bouncing that a static stretch must not have.

Part of the one threshold table, :data:`formcheck.cues.thresholds.THRESHOLDS`
(see that module for the conventions); entries here, lookups there.

Bouncing (ballistic stretching) is rhythmic bouncing at the end of the range of
motion, using the momentum of the moving segment (ACSM's Guidelines for Exercise
Testing and Prescription, 10th ed. 2018, ch. 6; Behm, Blazevich, Kay & McHugh 2016,
Appl Physiol Nutr Metab 41:1-11, the ballistic/dynamic/static definitions). A
static stretch is eased into and held still [A1: "no bouncing"]. formcheck calls a
stretch bouncing when its stretched joint angle swings back and forth by at least
``stretch_bounce_min_deg`` (peak to peak) at least ``stretch_bounce_min_swings``
times in a row, each swing taking at most half a period of ``stretch_bounce_min_hz``.
A slow settle into the stretch is one swing, breathing into it is slower than the
rate, and pose jitter is smaller than the amplitude.
"""

from __future__ import annotations

from formcheck.cues.articles import A0 as _A0
from formcheck.cues.articles import A1 as _A1
from formcheck.cues.threshold import Threshold

#: The cool-down stretches (activity names) these thresholds and their rules apply to.
STRETCHES: tuple[str, ...] = (
    "childs-pose",
    "forward-fold",
    "spinal-twist",
    "knee-hug",
    "hip-flexor-stretch",
    "figure-4",
    "hamstring-stretch",
)

_JITTER = "2-D pose angles are within 5-8 deg RMSE of motion capture (Van Hooren et al. 2023)"

STRETCH_THRESHOLDS: tuple[Threshold, ...] = (
    # ---------------------------------------------------------------- doses
    Threshold(
        "stretch_hold_min_s",
        20.0,
        "s",
        f"{_A1}: hold each stretch 20-30 s, no bouncing",
        why="the shortest hold of a static stretch on target (child's pose, forward fold, "
        "spinal twist, knee hug); the ACSM guidelines give 10-30 s for most adults",
    ),
    Threshold(
        "stretch_hold_side_s",
        30.0,
        "s",
        f"{_A0}: kneeling hip-flexor, piriformis and lying hamstring stretches, 30 s each side",
        why="the hold on each side for the stretches the article doses per side",
    ),
    Threshold(
        "stretch_hold_target_s",
        30.0,
        "s",
        f"{_A1}: child's pose 30 s, forward fold and spinal twist 20-30 s; {_A0}: 30 s",
        why="the top of the 20-30 s range: the hold called out as the target reached",
    ),
    # ---------------------------------------------------------------- bouncing
    Threshold(
        "stretch_bounce_min_deg",
        10.0,
        "deg peak to peak",
        f"the 2-D pose error floor: {_JITTER}; no angle cut-off in formcheck is tighter "
        "than about 10 deg. Ballistic stretching bounces through a small range at the end "
        "of the range of motion (ACSM's Guidelines, 10th ed.; Behm et al. 2016 Appl Physiol "
        "Nutr Metab 41:1-11)",
        heuristic=True,
        why="a swing of the stretched joint angle smaller than this is not counted: pose "
        "jitter (about 2-3 deg frame to frame after smoothing) never reaches it",
    ),
    Threshold(
        "stretch_bounce_min_hz",
        0.5,
        "Hz (bounces per second)",
        "AAOS OrthoInfo, Warm up, cool down and be flexible (do not bounce a stretch); "
        "ballistic stretching is a rhythmic bounce at the end of the range (Behm et al. "
        "2016 Appl Physiol Nutr Metab 41:1); resting breathing is 12-20 breaths/min "
        "(0.2-0.33 Hz), so easing deeper with each breath out stays below this rate",
        heuristic=True,
        why="each swing of a bounce lasts at most half a period at this rate (1 s); a "
        "slower swing is a settle or a breath, not a bounce",
    ),
    Threshold(
        "stretch_bounce_min_swings",
        3.0,
        "swings in a row",
        f"{_A1} ('no bouncing'): bouncing is repeated; Behm et al. 2016 (rhythmic, "
        "repeated bouncing movements)",
        heuristic=True,
        why="down, up and down again (a bounce and a half) in a row; a settle that "
        "overshoots once and comes back is two swings and is not flagged",
    ),
    Threshold(
        "stretch_bounce_max_n",
        0.0,
        "bouncing stretches",
        f"{_A1}: hold each stretch, no bouncing",
        why="any bouncing stretch is flagged",
    ),
    # ---------------------------------------------------------------- positions
    Threshold(
        "childs_pose_hip_max_deg",
        60.0,
        "deg (shoulder-hip-knee)",
        "child's pose: sitting back on the heels with the chest on the thighs, the trunk-"
        "thigh angle is about 20-40 deg (Winter 2009 segment proportions); on all fours it "
        "is about 90 deg; halfway, above the 2-D pose error (Van Hooren et al. 2023)",
        heuristic=True,
        why="trunk folded onto the thighs: shoulder-hip-knee angle at most this",
    ),
    Threshold(
        "kneel_knee_max_deg",
        60.0,
        "deg (hip-knee-ankle)",
        "sitting back on the heels bends the knee to about 150 deg of flexion (hip-knee-"
        "ankle about 30 deg); on all fours it is about 90 deg; halfway, above the 2-D pose "
        "error (Van Hooren et al. 2023)",
        heuristic=True,
        why="knees fully bent under the hips (child's pose)",
    ),
    Threshold(
        "forward_fold_hip_max_deg",
        75.0,
        "deg (shoulder-hip-knee)",
        "seated forward fold: upright long sitting is 90 deg between trunk and thighs; "
        "folded forward means at least 15 deg past it, beyond the 2-D pose error "
        "(Van Hooren et al. 2023)",
        heuristic=True,
        why="trunk folded towards straight legs: shoulder-hip-knee angle at most this",
    ),
    Threshold(
        "knee_hug_hip_max_deg",
        90.0,
        "deg (shoulder-hip-knee)",
        f"{_A1}: lying knee hug, the knee pulled to the chest: the thigh is past vertical "
        "towards the chest (hip flexion over 90 deg); a glute bridge keeps about 125-180 deg",
        heuristic=True,
        why="the hugged thigh's shoulder-hip-knee angle at most this",
    ),
    Threshold(
        "hug_hand_knee_max_torso",
        0.6,
        "torso lengths",
        "hands round the knee or shin: within a forearm and hand (Winter 2009: forearm "
        "0.146 H, torso about 0.29 H, i.e. about 0.5 torso) plus pose error",
        heuristic=True,
        why="a wrist this close to the hugged knee (or the middle of its shin)",
    ),
    Threshold(
        "figure4_ankle_knee_max_torso",
        0.5,
        "torso lengths",
        f"{_A0}: piriformis (figure-4) stretch, the ankle crossed over the other knee: "
        "the ankle rests on the thigh by the knee (about a leg's thickness, 0.2-0.3 torso); "
        "legs side by side put the ankle a shank (about 0.85 torso, Winter 2009) from the "
        "other knee",
        heuristic=True,
        why="an ankle this close to the other leg's knee is crossed over it",
    ),
    Threshold(
        "hamstring_leg_raise_min_deg",
        45.0,
        "deg above horizontal",
        f"{_A0}: lying hamstring stretch, one straight leg raised; the straight-leg raise "
        "reaches about 70-90 deg in most adults (Magee, Orthopedic Physical Assessment: "
        "the straight-leg raise's normal range); halfway to vertical is well into the "
        "stretch for a tight runner and far "
        "from a leg lying on the floor, beyond the 2-D pose error (Van Hooren et al. 2023)",
        heuristic=True,
        why="the raised straight leg (hip to ankle) at least this far above horizontal",
    ),
    Threshold(
        "kneel_knee_drop_min_torso",
        0.3,
        "torso lengths",
        f"{_A0}: kneeling hip-flexor stretch, the back knee on the floor and the front foot "
        "flat with the knee bent: the back knee sits a thigh (about 0.85 torso, Winter 2009) "
        "below the front knee; a third of that clears pose noise",
        heuristic=True,
        why="the kneeling knee at least this far below the front knee",
    ),
    Threshold(
        "twist_pelvis_min_ratio",
        0.45,
        "hip width / torso length",
        f"{_A1}: supine spinal twist, knees dropped to one side with the shoulders flat: "
        "seen side-on, flat shoulders read under 0.45 torso wide while hips turned more than "
        "about 40 deg read wider (the side_view_max_width_ratio proportions, Winter 2009)",
        heuristic=True,
        why="the hips turned towards the camera (or away) while the shoulders stay flat",
    ),
)
