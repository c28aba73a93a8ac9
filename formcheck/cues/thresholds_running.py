"""Running thresholds: cadence, overstride, posture, bounce, contact, symmetry and
drift, front view, detection and capture.

Part of the one threshold table, :data:`formcheck.cues.thresholds.THRESHOLDS`
(see that module for the conventions); entries here, lookups there.
"""

from __future__ import annotations

from formcheck.cues.threshold import Threshold

RUNNING: tuple[Threshold, ...] = (
    # ---------------------------------------------------------------- running: cadence
    Threshold(
        "cadence_low_spm",
        170,
        "steps/min",
        "Causes of lower-back pain in runners (article) (170-180 target); "
        "Lieberman et al. 2015 J Exp Biol 218:3406 (most economical ~170 at 3 m/s)",
        why="below the articles' target range; cadence depends on height and speed "
        "(Dallam 2005), so it is a default, not a universal rule",
    ),
    Threshold(
        "cadence_high_spm", 180, "steps/min", "Causes of lower-back pain in runners (article)"
    ),
    Threshold(
        "cadence_tolerance_pct",
        2.5,
        "%",
        "Heiderscheit et al. 2011 Med Sci Sports Exerc 43:296 (step rate raised in 5 % "
        "steps; +5 % is the smallest increase that measurably lowered hip and knee loading)",
        why="half the smallest step-rate increase prescribed: a shortfall below the target "
        "that rounds to no prescription is 'watch', not 'work on'",
    ),
    Threshold(
        "cadence_min_plausible_spm",
        100,
        "steps/min",
        "issue #4 (runners 100-210)",
        why="lowest step rate the event detector searches for",
    ),
    Threshold("cadence_max_plausible_spm", 210, "steps/min", "issue #4 (runners 100-210)"),
    Threshold(
        "step_rate_max_spm",
        300,
        "steps/min",
        "Mero A, Komi PV, Gregor RJ (1992) Biomechanics of sprint running, Sports Med "
        "13:376-392 (elite sprinters' step rate peaks at about 5 steps/s)",
        why="a single step shorter than 60/300 = 0.2 s is faster than any sprinter: a doubled "
        "contact, left out of the per-step cadence",
    ),
    Threshold(
        "step_time_outlier_frac",
        0.4,
        "fraction of the local median step time",
        "Nakayama Y, Kudo K, Ohtsuki T (2010) Variability and fluctuation in running gait "
        "cycle of trained runners and non-runners, Gait Posture 31:331-335 (stride-to-stride "
        "variability of a few percent)",
        why="natural step-to-step variation is a few percent, and two frames of timing error at "
        "25 fps are 80 ms of a 350 ms step (23 %); a missed contact makes a step about twice as "
        "long (+100 %) and a doubled one splits it: a step more than 40 % from the median of "
        "its neighbours is left out of the per-step cadence",
    ),
    # ---------------------------------------------------------------- running: overstride
    Threshold(
        "overstride_ok_leglen",
        0.08,
        "leg lengths",
        "running-biomechanics literature (one open-source tool: 8 % good / 15 % warn); "
        "Wille et al. 2014; Lieberman 2015",
        heuristic=True,
        why="foot landing ahead of the hip predicts braking; no validated cut-off",
    ),
    Threshold(
        "overstride_flag_leglen",
        0.15,
        "leg lengths",
        "running-biomechanics literature (one open-source tool: 15 % warn)",
        heuristic=True,
    ),
    Threshold(
        "shin_angle_flag_deg",
        12.0,
        "deg",
        "Souza 2016 Phys Med Rehabil Clin N Am 27:217 (near-vertical shin at loading)",
        heuristic=True,
        why="no validated number exists; 12 deg is about the 2-D pose error (5-8 deg, "
        "Van Hooren 2023) plus a margin, so only a clearly reaching shin is flagged",
    ),
    Threshold(
        "knee_flexion_ic_low_deg",
        15.0,
        "deg",
        "running-biomechanics literature (15-25 deg at initial contact, to re-check); Souza 2016",
        heuristic=True,
        why="a nearly straight knee at contact absorbs shock poorly",
    ),
    # ---------------------------------------------------------------- running: posture
    Threshold(
        "trunk_lean_min_deg",
        -2.0,
        "deg",
        "Warrener et al. 2021 Human Movement Science (self-selected -2 to 25 deg)",
        why="leaning back beyond the normal range",
    ),
    Threshold(
        "trunk_lean_max_deg",
        25.0,
        "deg",
        "Warrener et al. 2021 (self-selected -2 to 25 deg); Causes of lower-back pain in runners "
        "(article) + Running with back pain: form tips (article): run tall",
    ),
    Threshold(
        "trunk_lean_good_max_deg",
        12.0,
        "deg",
        "running-biomechanics literature (one tool's 5-12 deg band)",
        heuristic=True,
        why="mentioned, not flagged: above it the report suggests running taller",
    ),
    Threshold(
        "head_forward_flag_deg",
        20.0,
        "deg",
        "Running with back pain: form tips (article): chest up, shoulders back; heuristic",
        heuristic=True,
        why="neck (shoulder->ear) tilted this much more forward than the trunk "
        "means the head pokes ahead of the shoulders; about 2x the pose error",
    ),
    Threshold(
        "waist_bend_flag_deg",
        10.0,
        "deg",
        "Running with back pain: form tips (article) + Causes of lower-back pain in runners "
        "(article): run tall, not hunched, lean from the ankles, not the waist; "
        "Teng & Powers 2014 J Orthop Sports Phys Ther 44:785 (trunk flexion self-selected "
        "7.3 +- 3.6 deg, asked to flex 14.1 +- 4.8 deg); Van Hooren et al. 2023 (2-D error)",
        heuristic=True,
        why="trunk (hip->shoulder) flexed this far forward of the stance leg's line (ankle->"
        "hip at mid-stance): 0 is ankle, hip and shoulder in one line, i.e. a lean from the "
        "ankles however large; the mid-stance leg leans about 8-9 deg forward, so 10 deg "
        "past it is a trunk near 18-19 deg, beyond the deliberately flexed running posture "
        "of Teng & Powers; no tighter than the ~10 deg floor the pose error sets",
    ),
    Threshold(
        "sustained_window_s",
        2.0,
        "s",
        "formcheck (issue 19: a long stretch of bad form must not be averaged away); "
        "Causes of lower-back pain in runners (article): form fades with fatigue",
        heuristic=True,
        why="posture, overstride and cadence are also judged on their median over a moving "
        "window this long, flagged where it stays past the flag for a window's length: "
        "about 3 strides (6 steps) at 170-180 steps/min, so one step, a glance down or a "
        "landmark glitch cannot make a stretch (a median ignores up to half its window), "
        "while a few seconds of bad form is found whole with its time range",
    ),
    # ---------------------------------------------------------------- running: bounce
    Threshold(
        "bounce_flag_leglen",
        0.12,
        "leg lengths",
        "running-biomechanics literature (one tool: 12 % good, 18 % warn); "
        "Causes of lower-back pain in runners (article): bouncing",
        heuristic=True,
        why="flag the top of the normal range, as the coaching cue asks",
    ),
    Threshold(
        "vertical_ratio_flag_pct",
        8.6,
        "%",
        "Garmin vertical-ratio zones (green up to 8.6 %), running-biomechanics literature",
        heuristic=True,
    ),
    # ---------------------------------------------------------------- running: contact
    Threshold(
        "contact_time_flag_ms",
        308.0,
        "ms",
        "Garmin ground-contact-time zones (red > 308 ms), running-biomechanics literature",
        heuristic=True,
        why="coarse at 30 fps (one frame = 33 ms)",
    ),
    Threshold(
        "footstrike_rearfoot_deg",
        8.0,
        "deg",
        "Altman AR, Davis IS (2012) Gait Posture 35:298-300 (above 8.0 deg: rearfoot)",
        why="their cut-offs map the strike angle (foot against its standing angle) onto the "
        "thirds of the strike index (Cavanagh & Lafortune 1980); formcheck's reference is the "
        "foot flat in mid-stance (a video has no standing trial); benchmarks/ACCURACY.md "
        "compares its angle and classes with the standing-referenced ones",
    ),
    Threshold(
        "footstrike_forefoot_deg",
        -1.6,
        "deg",
        "Altman AR, Davis IS (2012) Gait Posture 35:298-300 (below -1.6 deg: forefoot)",
        why="see footstrike_rearfoot_deg",
    ),
    # ---------------------------------------------------------------- running: symmetry, drift
    Threshold(
        "asymmetry_flag_pct",
        10.0,
        "%",
        "common 10 % symmetry-index cut-off (e.g. Zifchock et al. 2008)",
        heuristic=True,
    ),
    Threshold(
        "drift_trunk_lean_deg",
        3.0,
        "deg",
        "Causes of lower-back pain in runners (article): form fades with fatigue; heuristic",
        heuristic=True,
        why="only flagged when also larger than the noise between steps",
    ),
    Threshold(
        "drift_cadence_spm",
        3.0,
        "steps/min",
        "Causes of lower-back pain in runners (article); heuristic",
        heuristic=True,
    ),
    Threshold(
        "drift_overstride_leglen",
        0.03,
        "leg lengths",
        "Causes of lower-back pain in runners (article); heuristic",
        heuristic=True,
    ),
    # ---------------------------------------------------------------- running: front view
    Threshold(
        "arm_cross_flag_frac",
        0.25,
        "fraction of frames",
        "Running with back pain: form tips (article): arms front-to-back; heuristic",
        heuristic=True,
        why="a wrist past the body midline in more than a quarter of frames",
    ),
    Threshold(
        "hip_drop_flag_deg",
        7.0,
        "deg",
        "Bramah et al. 2018 Am J Sports Med 46:3023 (injured runners ~7.5 vs 4.6 deg)",
    ),
    # ---------------------------------------------------------------- running: detection, capture
    Threshold(
        "run_upright_max_tilt_deg",
        60.0,
        "deg",
        "Warrener et al. 2021 (self-selected trunk lean -2 to 25 deg)",
        why="a trunk tilted more than this from the picture's vertical in most frames is "
        "over twice the steepest running lean and nearer lying (90 deg) than running: the "
        "person lies in the picture (a phone video turned sideways, a floor exercise)",
    ),
    Threshold(
        "view_side_max_oblique_deg",
        30.0,
        "deg",
        "formcheck view detection; perspective: a fore-aft distance seen this far off "
        "square shrinks to cos 30 = 87 %",
        why="a camera turned more than this from the runner's side is not a side view; "
        "seen square-on the shoulders are 0.9 torso lengths apart (Winter 2009 Table 4.1), "
        "so side = shoulders at most 0.9 sin(30 deg) = 0.45 torso lengths apart",
    ),
    Threshold(
        "foot_stance_tol_leglen",
        0.03,
        "leg lengths",
        "formcheck contact detection (formcheck.gait.events)",
        why="a heel or toe within this distance of its stance line is on the ground: about "
        "2.7 cm for a 0.9 m leg, above foot-landmark jitter after smoothing (about 1 % of "
        "leg length for the near foot) and far below a foot's travel in one swing frame",
    ),
    Threshold(
        "clear_visibility",
        0.8,
        "0-1",
        "formcheck visibility levels (MediaPipe landmark visibility)",
        why="a landmark this visible is clearly seen: a step counts as high confidence "
        "(formcheck.gait.steps), both legs give the leg length at the body's mid-plane "
        "(formcheck.kinematics), and contacts are refined on the less smoothed series only "
        "when both feet are (formcheck.gait.events); MediaPipe reports 0.9-1 for a leg in "
        "full view and about 0.5-0.6 for one hidden at times",
    ),
    Threshold(
        "leg_pair_max_difference",
        0.10,
        "fraction",
        "formcheck leg length (formcheck.kinematics); pinhole perspective",
        why="the two legs' image lengths may differ by this much and still be averaged: "
        "perspective alone makes the near leg 3-7 % longer than the far one (hips 0.2 m apart, "
        "camera 1.5-3 m away); more means one leg is mis-drawn",
    ),
    Threshold(
        "contact_cutoff_max_fs_fraction",
        1.0 / 3.0,
        "x frame rate",
        "Butterworth response, formcheck.signal.filters (Winter 2009, sec. 3.4.4)",
        why="the contact series is low-passed at twice the event cut-off, but at most at "
        "this fraction of the frame rate: there a two-pass 2nd-order filter is at -6 dB and "
        "below -40 dB from 0.45 x the frame rate, so frame-to-frame jitter is removed, while "
        "twice 8 Hz at 30 fps would lie above Nyquist and filter nothing",
    ),
    Threshold(
        "far_leg_copy_leglen",
        0.06,
        "leg lengths",
        "formcheck far-leg guard (formcheck.gait.legs); google-ai-edge/mediapipe#3496",
        why="heel, ankle and toe of the two feet closer than this on average means the pose "
        "model drew the hidden far foot on the near one (real feet passing each other are "
        "0.1-0.5 leg lengths apart, one being in swing)",
    ),
    Threshold(
        "foot_min_visibility",
        0.5,
        "visibility (0-1)",
        "MediaPipe Pose Landmarker model card (visibility = likelihood the point is in view); "
        "google-ai-edge/mediapipe#3496, #4969 (far foot misplaced on treadmills)",
        why="a step whose foot landmarks are less visible than this is left out of the "
        "summaries (kept in the step table, marked low confidence)",
    ),
    Threshold(
        "slowmo_min_factor",
        1.5,
        "x real time",
        "formcheck physics check: hip bounce vs gravity (see formcheck.gait.timebase)",
        why="real-time clips measure 1 x within about 25 %; the slowest common slow-motion "
        "setting is 2 x (60 fps played at 30), so the cut sits between them",
    ),
    Threshold(
        "cadence_check_tol_pct",
        3.0,
        "%",
        "formcheck consistency check",
        why="cadence from contacts and from the dominant bounce frequency must agree this "
        "well (widened by the spectral resolution 1/duration of short clips), else some "
        "steps were missed or doubled and the report says so",
    ),
    Threshold(
        "drift_noise_z",
        2.0,
        "standard errors",
        "two-sample comparison of the first and last third of the steps (about 95 %)",
        why="a drift is only called real when larger than this many standard errors of "
        "the difference between the two parts' means",
    ),
    Threshold(
        "trend_min_duration_s",
        120.0,
        "s",
        "issue #4 (per-minute trends over 10-30 minute runs)",
        why="per-minute trends need at least two whole minutes",
    ),
)
