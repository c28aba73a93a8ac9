"""Strength-exercise thresholds: glute bridge, planks, bird dog, set-up and posture,
reps and holds.

Part of the one threshold table, :data:`formcheck.cues.thresholds.THRESHOLDS`
(see that module for the conventions); entries here, lookups there.
"""

from __future__ import annotations

from formcheck.cues.threshold import Threshold

EXERCISES: tuple[Threshold, ...] = (
    # ---------------------------------------------------------------- glute bridge
    Threshold(
        "bridge_top_min_deg",
        165.0,
        "deg",
        "Runners' warm-up and recovery tips (article) + Fixing lower-back pain from running "
        "(article): shoulders, hips and knees in a straight line (180 deg) "
        "minus 15 deg for 2-D pose error (Van Hooren 2023)",
    ),
    Threshold(
        "bridge_arch_max_deg",
        10.0,
        "deg",
        "coaching cue: no arching past the line; 10 deg past straight is beyond pose error. "
        "Arching past the line extends the lumbar spine, the fault that loads a sore back (as "
        "a sagging plank: McGill 2010 Strength Cond J 32(3):33), so this side is tighter than "
        "the 15 deg allowed short of the line (bridge_top_min_deg)",
        heuristic=True,
    ),
    Threshold(
        "bridge_up_deg",
        155.0,
        "deg",
        "formcheck rep detection",
        why="a rep's top phase starts above this shoulder-hip-knee angle; between "
        "a good bottom (~130 deg) and top (~178 deg) with room for hysteresis",
    ),
    Threshold(
        "bridge_down_deg",
        145.0,
        "deg",
        "formcheck rep detection",
        why="the rep ends below this; 10 deg under bridge_up_deg so noise at one "
        "threshold cannot count twice (pose noise ~2-3 deg frame to frame)",
    ),
    Threshold(
        "bridge_pause_s",
        1.0,
        "s",
        "Runners' warm-up and recovery tips (article): pause about 1 s at the top",
    ),
    Threshold(
        "bridge_pause_min_s",
        0.5,
        "s",
        "half the pause of Runners' warm-up and recovery tips (article); heuristic",
        heuristic=True,
        why="a top shorter than this is flagged as no pause",
    ),
    Threshold(
        "bridge_lower_min_s",
        0.5,
        "s",
        "Runners' warm-up and recovery tips (article): lower with control; free-fall physics; "
        "heuristic",
        heuristic=True,
        why="a drop is close to free fall: the hips fall about 0.2 m from the top of a "
        "bridge to the floor, which takes sqrt(2 x 0.2 / 9.81) = 0.2 s unbraked; a descent "
        "taking at least 2.5x that (0.5 s) is being braked by the glutes. (Revised from an "
        "underived 0.8 s guess.)",
    ),
    Threshold(
        "bridge_set_reps", 15, "reps", "Runners' warm-up and recovery tips (article) 15 reps"
    ),
    # ---------------------------------------------------------------- planks
    Threshold(
        "plank_sag_max_deg",
        10.0,
        "deg",
        "Fixing lower-back pain from running (article) + Lower-back stretches before and after "
        "running (article): straight shoulder-hip-ankle line, no sagging hips; sagging hips "
        "extend the lumbar spine and load it (Ohio State Wexner Medical Center, Ebner, 'a "
        "sagging lower back can cause back pain'; 'Why does my lower back hurt when I do "
        "planks?', Biology Insights; McGill 2010 Strength Cond J 32(3):33, neutral lumbar "
        "spine); no allowance beyond the 2-D pose error floor of ~10 deg (Van Hooren 2023)",
        why="hips more than this below the shoulder-ankle line = sagging. The tight side of "
        "an asymmetric band: sagging is the fault that hurts a sore back",
    ),
    Threshold(
        "plank_pike_max_deg",
        20.0,
        "deg",
        "coaching sources: hips a little high mostly shifts work away from the abdominals "
        "and may ease the low back ('Why does my lower back hurt when I do planks?', Biology "
        "Insights: the pike is an inverted V); the coached pelvic tuck ('tuck your pelvis "
        "under', April Whitney CSCS) is a posterior pelvic tilt of about 9 deg (Grill, "
        "Valentin & Licka 2013, ISB: pelvic angle 102 -> 93 deg), which lifts the hips about "
        "that far above a straight joint line; + the 2-D pose error floor of ~10 deg (Van "
        "Hooren 2023)",
        heuristic=True,
        why="hips more than this above the shoulder-ankle line = piked (an inverted V). "
        "The loose side of the asymmetric band: a tucked pelvis reads as hips slightly high",
    ),
    Threshold(
        "plank_hips_down_deg",
        20.0,
        "deg",
        "Winter 2009 segment proportions: in a forearm plank the shoulders sit about an "
        "upper arm (0.19 H) above the floor and the ankles about 0.08 H (on the toes); hips "
        "resting on the floor (hip joint ~0.07 H up) bend the shoulder-hip-ankle line by "
        "about 23 deg; 20 deg = the sagging limit + the 2-D pose error floor of ~10 deg "
        "(Van Hooren 2023)",
        heuristic=True,
        why="hips further than this below the line are taken as down on the floor (a rest "
        "between holds, plank or side plank), not as a sagging hold: the hold pauses",
    ),
    Threshold(
        "plank_hold_target_s", 30.0, "s", "Fixing lower-back pain from running (article): hold 30 s"
    ),
    Threshold(
        "plank_bad_form_frac",
        0.5,
        "fraction of the hold",
        "formcheck hold summary; heuristic",
        heuristic=True,
        why="hips sagging (or piked) for more than half the hold (the time in position) "
        "flags the line even when the median deviation is inside the band",
    ),
    Threshold(
        "side_plank_sag_max_deg",
        10.0,
        "deg",
        "Lower-back stretches before and after running (article): straight line "
        "shoulders-hips-feet, hips lifted; dropped hips bend the lumbar spine sideways under "
        "load (McGill 2010 Strength Cond J 32(3):33, side bridge with a neutral spine); the "
        "2-D pose error floor of ~10 deg (Van Hooren 2023)",
        why="hips more than this below the shoulder-feet line (towards the floor) = sagging; "
        "the tight side, as for the plank",
    ),
    Threshold(
        "side_plank_pike_max_deg",
        20.0,
        "deg",
        "as plank_pike_max_deg: hips lifted a little above the line is the cue's direction "
        "(hips lifted); ~10 deg of pelvic tilt + ~10 deg 2-D pose error (Van Hooren 2023)",
        heuristic=True,
        why="hips more than this above the shoulder-feet line = piked; the loose side",
    ),
    Threshold(
        "hold_break_min_s",
        0.5,
        "s",
        "formcheck hold state machine",
        why="a form break must last this long to pause a hold (no flicker)",
    ),
    Threshold(
        "hold_start_min_s",
        0.5,
        "s",
        "formcheck hold state machine",
        why="in position this long before the hold clock starts",
    ),
    # ---------------------------------------------------------------- bird dog
    Threshold(
        "bird_dog_limb_tol_deg",
        20.0,
        "deg",
        "Lower-back stretches before and after running (article) + Fixing lower-back pain from "
        "running (article): extend arm and opposite leg (near horizontal); heuristic",
        heuristic=True,
    ),
    Threshold(
        "bird_dog_trunk_tol_deg",
        12.0,
        "deg",
        "coaching cue: trunk stays level; heuristic",
        heuristic=True,
    ),
    Threshold(
        "bird_dog_hold_s",
        2.0,
        "s",
        "Lower-back stretches before and after running (article): hold a few seconds",
        heuristic=True,
    ),
    # ---------------------------------------------------------------- exercise set-up and posture
    Threshold(
        "landmark_visibility_min",
        0.5,
        "visibility (0-1)",
        "MediaPipe Pose Landmarker default presence/tracking confidence (0.5)",
        why="a landmark seen less surely than this counts as hidden or out of frame",
    ),
    Threshold(
        "position_min_s",
        0.5,
        "s",
        "formcheck exercise state machine",
        why="a posture must last this long before it counts as getting into (or out "
        "of) position; 1-3 frames of a wrong posture from pose noise are ignored",
    ),
    Threshold(
        "lying_body_max_deg",
        35.0,
        "deg",
        "Winter 2009 segment lengths: a straight-arm plank lifts the shoulders by an "
        "arm (~0.33 H) over a shoulder-ankle length of ~0.78 H, about 25 deg; "
        "+10 deg for 2-D pose error (Van Hooren 2023)",
        why="shoulder-ankle line within this of horizontal = lying, propped or in a plank",
    ),
    Threshold(
        "upright_trunk_max_deg",
        45.0,
        "deg",
        "Warrener et al. 2021 (running trunk lean -2 to 25 deg); halfway to horizontal",
        why="trunk (hips to shoulders) within this of vertical = upright (standing, running)",
    ),
    Threshold(
        "knee_straight_min_deg",
        140.0,
        "deg",
        "plank and side plank legs are straight (~170-180 deg) less pose error; a glute "
        "bridge keeps the knees at about 60-120 deg (the coaching cue: knees bent, feet flat)",
        why="hip-knee-ankle angle at or above this = straight legs, below = bent",
    ),
    Threshold(
        "knee_above_hip_min_torso",
        0.1,
        "torso lengths",
        "coaching cue: glute bridge: lying on the back, knees bent, feet flat",
        why="in a bridge the knee is the high end of the shoulder-hip-knee line, above "
        "the hip at the bottom and the top; 0.1 torso (~5 cm) absorbs pose noise",
    ),
    Threshold(
        "supported_elbow_below_torso",
        0.2,
        "torso lengths",
        "Winter 2009: upper arm 0.186 H vs torso ~0.29 H, so a forearm plank holds the "
        "elbow ~0.6 torso below the shoulder; lying flat it is ~0",
        why="elbows this far below the shoulders = the body is propped on arms",
    ),
    Threshold(
        "side_view_max_width_ratio",
        0.45,
        "shoulder (or hip) width / torso length",
        "Winter 2009 proportions: shoulder width ~0.26 H, torso ~0.29 H; MediaPipe "
        "shoulders read ~0.6-0.7 torso face-on and ~0-0.3 side-on",
        why="wider than this = the camera sees the front or back, or looks along the "
        "body, i.e. more than ~40 deg from side-on",
    ),
    Threshold(
        "support_limb_max_deg",
        35.0,
        "deg",
        "coaching cue: bird dog: on all fours (hands under shoulders, knees under hips)",
        heuristic=True,
        why="a supporting arm or thigh within this of vertical; allows hands or knees "
        "a little forward or back plus pose error",
    ),
    Threshold(
        "side_plank_stack_max_deg",
        45.0,
        "deg",
        "Lower-back stretches before and after running (article), side plank: lying on one side, "
        "shoulders stacked",
        heuristic=True,
        why="the left-right shoulder line within this of vertical = side-lying",
    ),
    Threshold(
        "plank_upper_arm_max_deg",
        20.0,
        "deg",
        "coaching cue: plank with the elbows directly under the shoulder joints (Complete "
        "Chiropractic, 'Planks with hip extension'); + ~10 deg 2-D pose error (Van Hooren "
        "2023) + ~10 deg for elbows placed a little forward",
        heuristic=True,
        why="seen from a three-quarter view, a plank is recognised only with an upper arm "
        "(shoulder->elbow) within this of vertical: lying flat with the arms forward (a "
        "superman, a knee hug) can show elbows below the shoulders there too",
    ),
    Threshold(
        "classify_min_frac",
        0.3,
        "fraction of frames with a pose",
        "formcheck activity recognition",
        heuristic=True,
        why="an exercise posture seen in at least this share of frames names the clip, "
        "so a set is recognised even with walking in and out around it",
    ),
    # ---------------------------------------------------------------- exercise reps and holds
    Threshold(
        "rep_phase_min_s",
        0.15,
        "s",
        "formcheck rep state machine",
        why="a rep phase (top, bottom, limb lifted) must last this long to count: pose "
        "spikes last 1-2 frames (<= 0.07 s at 30 fps); a real top lasts > 0.3 s",
    ),
    Threshold(
        "bridge_top_band_deg",
        10.0,
        "deg",
        "2-D pose error floor of ~10 deg (module note; Van Hooren 2023)",
        why="the top of a rep is the time within this of the rep's highest angle; its "
        "length is the pause, and the top angle is the median there",
    ),
    Threshold(
        "movement_speed_frac",
        0.1,
        "fraction of the movement's peak speed",
        "kinematic onset/offset criterion (5-10 % of peak velocity is common in "
        "motor-control studies); heuristic",
        heuristic=True,
        why="a lowering starts and ends where the angle's speed crosses this share of "
        "its peak speed, so its slow start and finish count in its duration",
    ),
    Threshold(
        "speed_window_s",
        0.1,
        "s",
        "formcheck tempo measurement",
        why="angle speed is taken over this window (2-3 frames at 24-30 fps): it "
        "averages pose noise without blurring a 0.5 s movement",
    ),
    Threshold(
        "form_hysteresis_deg",
        3.0,
        "deg",
        "formcheck form labels; frame-to-frame pose noise ~2-3 deg",
        why="a flagged form label clears only this far back inside its limit, so noise "
        "at a limit does not flicker",
    ),
    Threshold(
        "bird_dog_raise_min_deg",
        45.0,
        "deg",
        "coaching cue: bird dog: extend one arm and the opposite leg",
        heuristic=True,
        why="an arm or thigh raised more than this from hanging straight down (halfway "
        "to horizontal) counts as lifted",
    ),
    Threshold(
        "hold_call_every_s",
        10.0,
        "s",
        "formcheck live cues",
        why="a running hold time is spoken this often (and at the target)",
    ),
    Threshold(
        "cue_min_gap_s",
        2.0,
        "s",
        "formcheck speech rate limit",
        why="one spoken message at a time: a short cue takes about 1.5-2 s to say",
    ),
)
