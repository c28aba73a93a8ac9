"""Every sentence formcheck writes about how a running clip was measured.

The running analysis (:mod:`formcheck.gait`) reports what it saw besides the
numbers: notices about the recording, a note on how a metric was measured, why
a metric is not measurable, why the camera view was read as it was. The words
are here; the analysis passes in the numbers. The findings (what to change) are
in :mod:`formcheck.cues.words_running`.
"""

from __future__ import annotations

# ---- notices about a running clip -------------------------------------------------------------


def notice_capture_rate(capture_fps: float, dt: float, factor: float) -> str:
    """The user gave the capture rate of a slow-motion clip (``dt``: the clip's frame step)."""
    return (
        f"Time base corrected: filmed at {capture_fps:g} fps and played at "
        f"{1 / dt:.3g} fps, so the clip runs {factor:.3g}x slower than the run."
    )


def notice_leg_swaps(n_frames: int) -> str:
    return (
        f"The pose model swapped the left and right legs in {n_frames} "
        "frame(s); formcheck relabelled them from how the legs move."
    )


def notice_slow_motion(factor: float, fps_est: float) -> str:
    return (
        f"This clip seems to play in slow motion, about {factor:.1f}x slower "
        f"than real time (filmed at roughly {fps_est:.0f} fps): the hips rise "
        "and fall far too slowly for gravity. Posture is measured; cadence and "
        "timings are not. To get them, give the phone's slow-motion rate (often 120 "
        "or 240 fps): formcheck analyze --capture-fps 240, or capture_fps in a settings "
        "file's [profile]."
    )


def run_not_upright(tilt_deg: float) -> tuple[str, str]:
    """A run whose trunk lies sideways in the picture (message, hint)."""
    return (
        f"The person lies sideways in the picture (the trunk is {tilt_deg:.0f} deg from "
        "upright in most frames), so this cannot be measured as a run.",
        "If the video plays sideways, turn it upright (a phone's gallery or any video "
        "editor can rotate it) and analyse it again; for a floor exercise, choose that "
        "exercise.",
    )


def notice_view_mixed(side_fraction: float) -> str:
    return (
        f"Only {side_fraction:.0%} of the frames look like a side view (the runner "
        "turned, or the camera moved); side-view numbers come from the whole clip."
    )


def notice_far_leg_hidden(n_frames: int) -> str:
    return (
        f"The far leg was hidden or drawn on top of the near leg in {n_frames} "
        "frame(s); no contact was read from those frames."
    )


def notice_cadence_check(cadence_spm: float, spectral_spm: float, tol_pct: float) -> str:
    return (
        f"Cadence from foot contacts ({cadence_spm:.1f} steps/min) and from the rhythm of the "
        f"hips' bounce ({spectral_spm:.1f}) differ by more than {tol_pct:.1f} %: some steps may "
        "have been missed or counted twice."
    )


def notice_no_steps(reason: str) -> str:
    return f"No steps could be measured: {reason}."


def notice_frame_rate(fps: float) -> str:
    return (
        f"Filmed at {fps:.0f} fps: one frame is {1000 / fps:.0f} ms and a foot's ground "
        "contact lasts only 7-10 frames, so contact time and duty factor are coarse "
        "(about one frame either way). 60 fps or more makes them reliable."
    )


def notice_ground_tilt(tilt_deg: float) -> str:
    return (
        f"The ground under the feet slopes {abs(tilt_deg):.0f} deg in the picture (camera "
        "tilted, or the treadmill not square to it). Foot angles are measured against "
        "the foot's own flat position, but trunk lean is measured from the picture's "
        "vertical: hold the camera level and square to the runner."
    )


NOTICE_COMBINED = (
    "Two clips combined: the left leg measured from the left side, the right leg from "
    "the right side, so neither leg is the hidden far one."
)

# ---- why no steps were found (a core's reason) ------------------------------------------------
REASON_FEW_LEG_FRAMES = "too few frames show the runner's legs"
REASON_NO_BODY = "no body in view"
REASON_NO_RHYTHM = "no running rhythm was found (is the whole body in view, running?)"

# ---- how the camera view was read (a view's reason) -------------------------------------------


def view_set_by_user(view: str) -> str:
    return f"set by the user ({view})"


def view_side(width_ratio: float, facing_left: bool) -> str:
    where = "image-left" if facing_left else "image-right"
    return f"shoulders overlap (median {width_ratio:.2f} torso lengths apart), runner faces {where}"


def view_front_rear(width_ratio: float, max_ratio: float, front: bool) -> str:
    return (
        f"shoulders {width_ratio:.2f} torso lengths apart (a side view shows at most "
        f"{max_ratio:.2f}); the {'face' if front else 'back'} is toward the camera"
    )


# ---- the slow-motion factor (a time scale's reason) -------------------------------------------
TIME_SCALE_WALKING = "the hips are highest at mid-stance (walking)"
TIME_SCALE_NO_BOUNCE = "no hip bounce found"
TIME_SCALE_NO_RHYTHM = "no step rhythm found"
TIME_SCALE_NO_FLIGHT = "no flight phase (feet overlap on the ground)"
TIME_SCALE_HOW = "hip bounce vs gravity"

# ---- why a metric is not measurable -----------------------------------------------------------
WHY_NO_STEP = "no step could be measured"
WHY_FEW_STEPS = "too few steps found"
WHY_WRISTS = "wrists not visible"
WHY_FEET_AT_CONTACT = "feet not visible at contact"
WHY_TRUNK = "trunk not found"
WHY_WAIST = "needs steps with both contact and toe-off seen, and the trunk"
WHY_FOOT_CONTACT = "no clean foot contact seen"
WHY_TOE_OFF = "no clean toe-off seen (feet hidden or blurred)"
WHY_BOTH_LEGS = "needs both legs' values"
WHY_DRIFT_STEPS = (
    "needs at least 9 steps, with enough of them in the first and last thirds of the "
    "clip to tell a change from step-to-step noise"
)


def why_slow_motion(factor: float) -> str:
    return (
        f"the clip plays in slow motion (about {factor:.1f}x slower than real time); give "
        "the capture frame rate to measure timings"
    )


def why_side_view(view_reason: str) -> str:
    return (
        f"this is a side view ({view_reason}); arm crossing, hip drop and step width "
        "need the camera in front of or behind the runner"
    )


def why_front_view(view: str, view_reason: str) -> str:
    return (
        f"this is a {view} view ({view_reason}); overstride, shin and knee angles, "
        "trunk lean, head position, bounce, foot strike and contact time need a side "
        "view, because the forward direction points into the camera"
    )


# ---- how a metric was measured (its note) -----------------------------------------------------
NOTE_SLOW_MOTION = "from the hips' bounce against gravity (uncertain by about 25 %)"
NOTE_POSTURE_NO_STEPS = "per frame (no steps found)"
NOTE_ARM_CROSSING = "share of frames with a wrist past the body's midline (the worse arm)"
NOTE_HIP_DROP = "peak drop of the swing-leg side during each stance"
NOTE_STEP_WIDTH = "negative = the feet cross the midline"
NOTE_CADENCE_SPECTRAL = "hip bounce frequency (check)"
NOTE_STEP_TIME_FRONT = "from the cadence (front view)"
NOTE_POSTURE = (
    "2-D angle from one camera: about 5-8 deg of pose-model error (Van Hooren et al. 2023)"
)
NOTE_PER_FRAME = "; per frame"
NOTE_WAIST_BEND = (
    "trunk tilt minus the stance leg's (ankle to hip) at mid-stance: 0 = ankle, hip and "
    "shoulder in line (a lean from the ankles), positive = bent forward at the waist; "
    + NOTE_POSTURE
)
NOTE_CM_FROM_PROFILE = "leg lengths x your leg length from your profile"
NOTE_VERTICAL_RATIO_PROFILE = "from your height (or leg length) and the treadmill speed"
NOTE_VERTICAL_RATIO_BELT = "scaled by the belt speed seen under the feet and the treadmill speed"
NOTE_DUTY_SLOW_MOTION = "a ratio of two durations, so it does not depend on the clip's clock"
NOTE_LR_DIFFERENCE = "left minus right, from each side's median"
NOTE_SYMMETRY = "|left - right| / mean, from each side's median"
NOTE_SYMMETRY_NOISE = (
    f"{NOTE_SYMMETRY}; the legs differ by less than their step-to-step scatter in this "
    "clip (or too few steps per leg to tell), so it is not judged: film a longer run"
)
NOTE_TREND = "least-squares change per minute over the run"
NOTE_COMBINED_MEAN = "mean of the two clips"
NOTE_COMBINED_LEGS = "left leg from the left-side clip, right leg from the right-side clip"
NOTE_COMBINED_SYMMETRY = "each leg measured from its own side"

#: A foot-strike class in words.
FOOT_STRIKE_WORDS: dict[str, str] = {
    "rearfoot": "heel (rearfoot)",
    "midfoot": "mid-foot",
    "forefoot": "forefoot",
}


def note_cadence(n_strides: int, spectral_spm: float | None) -> str:
    """How cadence was fitted (``spectral_spm`` None: no dominant step frequency found)."""
    note = f"fitted to {n_strides} strides of contact times"
    if spectral_spm is not None:
        note += f"; dominant step frequency {spectral_spm:.1f} steps/min"
    return note


def note_far_leg_missing(far: str) -> str:
    return f"{far} (far) leg not measured: hidden behind the near leg"


def note_far_leg_uncertain(far: str, visibility: float) -> str:
    return (
        f"{far} (far) leg values are less certain (landmark visibility {visibility:.2f}); film the "
        "other side too and combine the two clips for both legs"
    )


def note_foot_strike(main: str, n_main: int, total: int) -> str:
    return f"mostly {FOOT_STRIKE_WORDS[main]}: {n_main} of {total} steps"


def note_contact_frames(fps: float, stance_frames: float) -> str:
    return (
        f"at {fps:.0f} fps one frame is {1000 / fps:.0f} ms and a stance is about "
        f"{stance_frames:.0f} frames, so contact time is uncertain by about one frame"
    )


#: How a drift's note says it exceeds the step-to-step noise; :mod:`formcheck.cues.judge`
#: reads the same words to call the drift something to work on.
BEYOND_NOISE = "more than noise"


def note_drift(beyond_noise: bool, z: float, fitted: bool = False) -> str:
    verdict = BEYOND_NOISE if beyond_noise else "within noise"
    what = (
        "cadence fitted to the contacts of the last third of the run minus the first third's"
        if fitted
        else "last third minus first third of the steps"
    )
    return f"{what}; {verdict} (z = {z:.1f})"


#: How a drift's note says the steps are too noisy to judge it (the finding says so).
CANNOT_JUDGE = "cannot judge"


def drift_number(x: float, unit: str) -> str:
    """A drift or its uncertainty in its unit, to the digits that unit needs."""
    return f"{x:.2f}" if unit == "leg lengths" else f"{x:.1f}"


def why_drift_noisy(change: float, half_width: float, flag_size: float, unit: str) -> str:
    sign = "+" if change >= 0 else "-"
    return (
        f"{CANNOT_JUDGE}: the steps vary too much in this clip to tell a change of "
        f"{flag_size:g} {unit} from noise (last third minus first: {sign}"
        f"{drift_number(abs(change), unit)} ± {drift_number(half_width, unit)} {unit})"
    )
