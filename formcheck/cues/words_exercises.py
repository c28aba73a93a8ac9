"""Every sentence formcheck says about a strength-exercise set, in its own words.

Nothing is measured or judged here: the analyzers in ``formcheck.exercises``
and the finding tables in :mod:`formcheck.cues.exercises` pass in the numbers
and the status :func:`formcheck.cues.judge.judge` gave them.

* live cues: short phrases to speak or show during the set (:data:`LIVE`);
* notices about the set-up (:data:`NOTICE`, :data:`POSITION_HOW`, :data:`POSTURE_SEEN`);
* the findings' targets and messages (functions below).
"""

from __future__ import annotations

from formcheck.cues import words_floor, words_stretches, words_warmup
from formcheck.results import MetricStatus

EXERCISE_NAME: dict[str, str] = {
    "glute-bridge": "glute bridge",
    "plank": "plank",
    "side-plank": "side plank",
    "bird-dog": "bird dog",
    **words_stretches.EXERCISE_NAME,
    **words_warmup.EXERCISE_NAME,
    **words_floor.EXERCISE_NAME,
}

POSITION_HOW: dict[str, str] = {
    "glute-bridge": "lying on your back with knees bent and feet flat, filmed from the side",
    "plank": "face down and propped on forearms or hands with straight legs, filmed from the side",
    "side-plank": "on one side, propped on a forearm or hand with the shoulders stacked, "
    "filmed from the front",
    "bird-dog": "on hands and knees, filmed from the side",
    **words_stretches.POSITION_HOW,
    **words_warmup.POSITION_HOW,
    **words_floor.POSITION_HOW,
}

#: What the clip looked like instead (posture label -> sentence).
POSTURE_SEEN: dict[str, str] = {
    "upright": "Most of the clip shows someone upright (standing or moving): a "
    "different activity, or the set has not started.",
    "supine_knees_bent": "It looks more like a glute bridge.",
    "prone_straight": "It looks more like a plank.",
    "side_lying": "It looks more like a side plank.",
    "all_fours": "It looks more like a bird dog (on hands and knees).",
    "lying_other": "Someone is lying or kneeling, but not in this position.",
}

NOTICE: dict[str, str] = {
    "never_in_position": "No {name} position was found: formcheck looks for you {how}. {seen}",
    "not_in_position": "Part of the clip is not in the {name} position (getting ready, "
    "resting or moving); those parts are not counted.",
    "wrong_view_side": "The camera sees the front or back of the body, or looks along it; "
    "the {name} is judged side-on. Put the camera level with your hips, to your side.",
    "wrong_view_front": "The {name} is judged from the front: put the camera facing your "
    "chest so the line from shoulders to feet runs across the picture.",
    "out_of_frame": "Part of the body is outside the picture or hidden here; keep head to "
    "feet in view. These frames are not judged.",
    "person_absent": "Nobody was in view here; reps and hold time stop while you are out of view.",
    "line_not_judged": "Here the camera saw the {name} from a three-quarter angle, too far "
    "from side-on to judge the body line: the hold is timed, the line is not judged. Film "
    "side-on, level with your hips, to have it judged.",
    **words_stretches.NOTICE,
}

#: Short live cues (spoken or shown). Rep counts and times are formatted in.
LIVE: dict[str, str] = {
    "absent": "I can't see you. Come back into view.",
    "out_of_frame": "Move so your whole body is in the picture.",
    "view_side": "Turn side-on to the camera.",
    "view_front": "Face the camera for the side plank.",
    "setup_glute-bridge": "Lie on your back, knees bent, feet flat.",
    "setup_plank": "Get into your plank: forearms down, legs long.",
    "setup_side-plank": "Prop up on one forearm, body in one line.",
    "setup_bird-dog": "Start on hands and knees.",
    "rep": "{n}",
    "set_done": "{n}. That's the set.",
    "bridge_arch": "Stop at a straight line; don't arch your back.",
    "bridge_low": "Push your hips up until shoulders, hips and knees line up.",
    "bridge_pause": "Hold the top for a second.",
    "bridge_lower": "Lower slowly.",
    "hold_start": "Good position. Hold.",
    "hold_break": "Hold paused.",
    "hold_time": "{s} seconds.",
    "hold_target": "{s} seconds: target reached.",
    "hips_sagging": "Lift your hips into a straight line.",
    "hips_piked": "Lower your hips into line.",
    "side_hips_sagging": "Lift your hips; keep shoulders, hips and feet in line.",
    "side_hips_piked": "Bring your hips back into line.",
    "bird_dog_hold": "Hold it there.",
    "bird_dog_switch": "Good. Switch sides.",
    "bird_dog_same_side": "Switch to the other side.",
    "bird_dog_reach": "Reach arm and leg out long, level with your back.",
    "bird_dog_trunk": "Keep your back still and level.",
    "bird_dog_short": "Hold each reach a little longer.",
    "bird_dog_count": "{side} arm: {n}.",
    **words_stretches.LIVE,
    **words_warmup.LIVE,
    **words_floor.LIVE,
}


# ---- glute bridge -----------------------------------------------------------------------------
BRIDGE_NO_REP = "No complete rep was seen, so the top position and tempo could not be judged."
BRIDGE_LOWERING_NOT_SEEN = "The lowering of the last rep was not seen."


def bridge_line_target(top_min: float, arch: float) -> str:
    return f"shoulder-hip-knee {top_min:.0f}-{arch:.0f} deg at the top (180 = straight)"


def bridge_top_line(med: float, status: MetricStatus, n: int, n_low: int, top_min: float) -> str:
    if status == "work_on":
        return (
            f"Hips stop short of a straight line: {med:.0f} deg at the top "
            f"({n_low} of {n} reps under {top_min:.0f}). Drive the hips up until "
            "shoulders, hips and knees line up."
        )
    msg = f"Hips reach the shoulder-knee line at the top ({med:.0f} deg, median of {n})."
    if n_low:
        msg += f" {n_low} rep(s) stopped short; see the rep table."
    return msg


def bridge_arch_target(arch: float) -> str:
    return f"no more than {arch:.0f} deg (not past the line)"


def bridge_arch(med: float, status: MetricStatus, n: int, n_over: int) -> str:
    if status == "work_on":
        return (
            f"The hips go past the straight line ({med:.0f} deg, {n_over} of {n} reps): "
            "that arches the low back. Stop when shoulders, hips and knees are in line and "
            "squeeze the glutes instead."
        )
    msg = "No arching past the line at the top."
    if n_over:
        msg += f" {n_over} rep(s) went past it; see the rep table."
    return msg


def bridge_pause_target(pause_t: float, pause_min: float | None = None) -> str:
    if pause_min is None:
        return f"about {pause_t:.0f} s"
    return f"about {pause_t:.0f} s (at least {pause_min:.1f} s)"


def bridge_pause(med: float, status: MetricStatus, pause_t: float) -> str:
    if status == "work_on":
        return (
            f"Little or no pause at the top ({med:.1f} s). Hold the top for about "
            f"{pause_t:.0f} s before lowering."
        )
    return f"Pause at the top: {med:.1f} s (target about {pause_t:.0f} s)."


def bridge_lowering_target(lower_min: float) -> str:
    return f"at least {lower_min:.1f} s"


def bridge_lowering(med: float, status: MetricStatus, lower_min: float) -> str:
    if status == "work_on":
        return (
            f"The hips come down quickly ({med:.1f} s). Lower with control, "
            f"taking at least {lower_min:.1f} s."
        )
    return f"Controlled lowering ({med:.1f} s)."


def bridge_set(n: int, set_reps: int) -> str:
    if n == 0:
        return f"No full rep counted yet; the target is a set of {set_reps}."
    if n >= set_reps:
        return f"{n} reps: a full set (target {set_reps})."
    return f"{n} reps counted; build up to a set of {set_reps}."


# ---- plank and side plank ---------------------------------------------------------------------
HOLD_NEVER_IN_POSITION = "The body was never seen in position, so the line could not be judged."
HOLD_NONE = "No hold: the body was never seen in position."
HOLD_PHOTO = "A photo shows one moment, so there is no hold time."
SIDE_HOLD_TARGET = "hold in line"
SIDE_HOLD_SOURCE = "Lower-back stretches before and after running (article): side plank: hold"


def hip_line_target(sag: float, pike: float) -> str:
    return (
        f"hips at most {sag:.0f} deg below the shoulder-ankle line (sagging) "
        f"and {pike:.0f} deg above it (piked)"
    )


HOLD_LINE_NOT_JUDGED = (
    "The camera was too far from side-on the whole time to judge the body line; "
    "the hold is timed, the line is not judged. Film side-on, level with your hips."
)


def hip_line(
    dev: float, status: MetricStatus, side: str | None, sag: float, pike: float, photo: bool
) -> str:
    """side : "sagging" or "piked" when flagged. dev : signed degrees, + = below the line."""
    where = "" if photo else f" ({sag:.0%} of the hold sagging, {pike:.0%} piked)"
    if status == "work_on" and side == "sagging":
        return (
            f"Hips sag {dev:+.0f} deg (below the shoulder-ankle line){where}. "
            "Lift them and brace so the body is one straight line: sagging arches the low back."
        )
    if status == "work_on":
        return (
            f"Hips are piked {dev:+.0f} deg (above the line){where}. "
            "Lower them until shoulders, hips and ankles line up."
        )
    msg = (
        f"Body line on target: hips {dev:+.0f} deg "
        f"({'below' if dev > 0 else 'above'} the shoulder-ankle line)"
    )
    return msg + ("." if photo else f" (median){where}.")


def side_on_floor(message: str, side: str) -> str:
    return f"{message} Side on the floor: {side}."


def hold_target(target_s: float, building: bool = False) -> str:
    return f"{target_s:.0f} s, building up" if building else f"{target_s:.0f} s"


def hold_shares(good_s: float, sag: float, pike: float, not_judged: float) -> str:
    """The form beside the hold time: '9 s in good form, hips sagging 20 %, piked 5 %'."""
    out = f"{good_s:.0f} s in good form, hips sagging {sag:.0%}, piked {pike:.0%}"
    if not_judged > 0.005:
        out += f", line not judged {not_judged:.0%} (camera not side-on)"
    return out


def plank_hold(
    hold: float, good_s: float, sag: float, pike: float, not_judged: float, target_s: float
) -> str:
    """hold : time in position (the hold), seconds; shares are of the hold time."""
    shares = hold_shares(good_s, sag, pike, not_judged)
    if hold >= target_s:
        return f"Held {hold:.0f} s in position ({shares}): the {target_s:.0f} s target is reached."
    return (
        f"Held {hold:.0f} s in position ({shares}); "
        f"build up towards {target_s:.0f} s over the coming sessions."
    )


def side_plank_hold(hold: float, good_s: float, sag: float, pike: float, not_judged: float) -> str:
    return f"Held {hold:.0f} s in position ({hold_shares(good_s, sag, pike, not_judged)})."


# ---- bird dog ---------------------------------------------------------------------------------
BIRD_DOG_NO_REACH = "No reach of an arm and the opposite leg was seen."
BIRD_DOG_LIMBS_NOT_SEEN = "Limb angles not seen."
BIRD_DOG_ALTERNATE_TARGET = "alternate sides"
BIRD_DOG_ALTERNATE_SOURCE = (
    "Lower-back stretches before and after running (article) + "
    "Fixing lower-back pain from running (article): bird dog: switch sides"
)


def limb_target(limb_tol: float, both: bool = True) -> str:
    if both:
        return f"arm and leg within {limb_tol:.0f} deg of horizontal"
    return f"within {limb_tol:.0f} deg of horizontal"


def bird_dog_alternate(n: int, n_left: int, same: int, first_side: str) -> str:
    if same == 0 and n >= 2:
        return (
            f"Sides alternate: {n_left} reach(es) with the left arm, {n - n_left} with the right."
        )
    if n < 2:
        return f"One reach ({first_side} arm); alternate sides each rep."
    return (
        f"{n_left} left / {n - n_left} right, with {same} repeat(s) of the same side in a "
        "row: switch sides each rep."
    )


def bird_dog_hold_target(hold_t: float, at_least: bool = True) -> str:
    return f"at least {hold_t:.0f} s" if at_least else f"{hold_t:.0f} s"


def bird_dog_hold(med: float, status: MetricStatus, hold_t: float, n_short: int) -> str:
    if status == "work_on":
        return f"Each reach held {med:.1f} s (median); hold about {hold_t:.0f} s."
    msg = f"Reaches held {med:.1f} s (median)."
    if n_short:
        msg += f" {n_short} reach(es) were shorter."
    return msg


def bird_dog_reach(arm: float | None, leg: float | None, status: MetricStatus) -> str:
    return f"Arm {arm:+.0f} deg and leg {leg:+.0f} deg from horizontal. " + (
        "Reach them out long and level with the back."
        if status == "work_on"
        else "Near level: good."
    )


def bird_dog_trunk_target(trunk_tol: float) -> str:
    return f"within {trunk_tol:.0f} deg of the start"


def bird_dog_trunk(med: float, status: MetricStatus) -> str:
    if status == "work_on":
        return (
            f"The trunk tilts {med:.0f} deg during the reach: keep the back still and "
            "level (no twisting or sagging)."
        )
    return f"Trunk stays level (moves {med:.0f} deg)."


# ---- how a set's numbers were measured, or why not --------------------------------------------
WHY_NO_COMPLETE_REP = "no complete rep"
WHY_LOWERING_NOT_SEEN = "lowering not seen"
WHY_PHOTO_NO_DURATION = "a photo has no duration"
WHY_NEVER_IN_POSITION = "never in position"
WHY_LINE_NOT_JUDGED = "camera not side-on: line not judged"
WHY_NO_REACH = "no reach seen"
NOTE_HOLD = "time in position, whatever the form (the form's shares are beside it)"
NOTE_GOOD_FORM = "time in position with the body line on target"
NOTE_LONGEST_GOOD = "longest stretch in position with the body line on target"
NOTE_HOLD_SHARE = "share of the hold time"
NOTE_HIP_DEVIATION = "+ = hips below the line (sagging)"
NOTE_SIDE_HOLD = "time in position; left/right = time with that side on the floor"
NOTE_SIDE_LEFT = "share of the time propped on the left side (left shoulder down)"
NOTE_BIRD_DOG_REPS = "left/right = the reaching arm"


def note_reps_target(set_reps: int) -> str:
    return f"target {set_reps}"


# ---- why a clip was recognised as an activity -------------------------------------------------
#: A posture label (:mod:`formcheck.exercises.posture`) in words.
POSTURE_WORDS: dict[str, str] = {
    "supine_knees_bent": "lying on the back with knees bent",
    "prone_straight": "face down, propped on forearms or hands, body straight",
    "side_lying": "on one side, propped up, shoulders stacked",
    "all_fours": "on hands and knees",
    "upright": "upright",
    "lying_other": "lying or kneeling in another position",
}
RECOGNISED_NO_POSE = "no pose found to recognise; running assumed"


def recognised_posture(label: str, frac: float) -> str:
    return f"{POSTURE_WORDS[label]} in {frac:.0%} of frames"


def recognised_upright(frac: float, moving_torso_per_s: float | None) -> str:
    how = f"upright in {frac:.0%} of frames"
    if moving_torso_per_s is not None:
        how += f", hips moving {moving_torso_per_s:.1f} torso lengths per second"
    return how


def recognised_move(label: str, frac: float) -> str:
    return f"{label} recognised in {frac:.0%} of frames"


def recognised_closest(label: str, frac: float) -> str:
    return f"closest posture: {POSTURE_WORDS[label]} ({frac:.0%} of frames)"


def recognised_none(common: str) -> str:
    return f"no exercise posture recognised (mostly {POSTURE_WORDS.get(common, common)})"
