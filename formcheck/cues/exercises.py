"""What formcheck says about a strength-exercise set, in its own words.

Two kinds of text live here (nothing is measured here; the analyzers in
``formcheck.exercises`` pass their numbers in):

* live cues: short phrases to speak or show during the set (:data:`LIVE`);
* findings: each cue of ``shared/docs/cues.md`` checked against its target
  (``*_findings`` functions returning :class:`~formcheck.results.Finding`), and
  notices about the set-up (:data:`NOTICE`).

Priorities (lower = more important for a runner with a sore lower back): arching
or sagging that loads the low back first, then not reaching the line, then tempo,
then the dose. The dose (15 reps, a 30 s hold) is reported as progress, never as
a form fault: a clip may show part of a set.

Sources: cues.md [A0] warm-up (bridges 15 reps, 1 s pause), [A1] stretches
(side plank, bird dog), [A3] remedies (plank 30 s building up, bird dog), [A4]
causes (glute and core strength).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Callable, Sequence

from formcheck.cues.thresholds import THRESHOLDS
from formcheck.results import Finding

Th = Callable[[str], float]

EXERCISE_NAME: dict[str, str] = {
    "glute-bridge": "glute bridge",
    "plank": "plank",
    "side-plank": "side plank",
    "bird-dog": "bird dog",
}

POSITION_HOW: dict[str, str] = {
    "glute-bridge": "lying on your back with knees bent and feet flat, filmed from the side",
    "plank": "face down and propped on forearms or hands with straight legs, filmed from the side",
    "side-plank": "on one side, propped on a forearm or hand with the shoulders stacked, "
    "filmed from the front",
    "bird-dog": "on hands and knees, filmed from the side",
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
}


def _src(name: str) -> str:
    return THRESHOLDS[name].source


def _heur(*names: str) -> bool:
    return any(THRESHOLDS[n].heuristic for n in names)


def _median(xs: Sequence[float | None]) -> float | None:
    vals = [float(x) for x in xs if x is not None and math.isfinite(x)]
    return statistics.median(vals) if vals else None


def _none(cue: str, metric: str, unit: str, target: str, why: str, source: str) -> Finding:
    return Finding(cue, "not_measurable", metric, None, unit, target, why, source)


# ---------------------------------------------------------------------------------------
# glute bridge
def bridge_findings(
    top_deg: Sequence[float],
    pause_s: Sequence[float | None],
    lower_s: Sequence[float | None],
    key_frames: Sequence[int],
    th: Th,
) -> list[Finding]:
    """Findings for a glute-bridge set, one value per completed rep.

    top_deg : shoulder-hip-knee angle held at the top (180 = straight line,
        above 180 = hips pushed past the line). pause_s : time at the top.
    lower_s : time to lower (None when not measured). key_frames : a frame at
        each rep's top, for pictures.
    """
    n = len(top_deg)
    top_min, arch = th("bridge_top_min_deg"), 180.0 + th("bridge_arch_max_deg")
    pause_t, pause_min = th("bridge_pause_s"), th("bridge_pause_min_s")
    lower_min, set_reps = th("bridge_lower_min_s"), int(th("bridge_set_reps"))
    target_line = f"shoulder-hip-knee {top_min:.0f}-{arch:.0f} deg at the top (180 = straight)"
    if n == 0:
        why = "No complete rep was seen, so the top position and tempo could not be judged."
        return [
            _none(
                "bridge_top_line", "top_deg", "deg", target_line, why, _src("bridge_top_min_deg")
            ),
            _none(
                "bridge_pause",
                "pause_s",
                "s",
                f"about {pause_t:.0f} s",
                why,
                _src("bridge_pause_s"),
            ),
            Finding(
                "bridge_set",
                "ok",
                "reps",
                0,
                "reps",
                f"{set_reps} reps",
                f"No full rep counted yet; the target is a set of {set_reps}.",
                _src("bridge_set_reps"),
                priority=90,
            ),
        ]
    out: list[Finding] = []
    med_top = _median(top_deg)
    assert med_top is not None
    low = [i for i, v in enumerate(top_deg) if v < top_min]
    over = [i for i, v in enumerate(top_deg) if v > arch]

    def frame_of(idx: list[int]) -> int | None:
        return key_frames[idx[0]] if idx else (key_frames[0] if key_frames else None)

    if med_top < top_min:
        msg = (
            f"Hips stop short of a straight line: {med_top:.0f} deg at the top "
            f"({len(low)} of {n} reps under {top_min:.0f}). Drive the hips up until "
            "shoulders, hips and knees line up."
        )
        status = "flag"
    else:
        msg = f"Hips reach the shoulder-knee line at the top ({med_top:.0f} deg, median of {n})."
        if low:
            msg += f" {len(low)} rep(s) stopped short; see the rep table."
        status = "ok"
    out.append(
        Finding(
            "bridge_top_line",
            status,
            "top_deg",
            med_top,
            "deg",
            target_line,
            msg,
            _src("bridge_top_min_deg"),
            priority=20,
            frame=frame_of(low),
        )
    )
    if med_top > arch:
        msg = (
            f"The hips go past the straight line ({med_top:.0f} deg, {len(over)} of {n} reps): "
            "that arches the low back. Stop when shoulders, hips and knees are in line and "
            "squeeze the glutes instead."
        )
        status = "flag"
    else:
        msg = "No arching past the line at the top."
        if over:
            msg += f" {len(over)} rep(s) went past it; see the rep table."
        status = "ok"
    out.append(
        Finding(
            "bridge_arch",
            status,
            "top_deg",
            med_top,
            "deg",
            f"no more than {arch:.0f} deg (not past the line)",
            msg,
            _src("bridge_arch_max_deg"),
            priority=10,
            heuristic=_heur("bridge_arch_max_deg"),
            frame=frame_of(over),
        )
    )
    med_pause = _median(pause_s)
    if med_pause is not None:
        if med_pause < pause_min:
            msg = (
                f"Little or no pause at the top ({med_pause:.1f} s). Hold the top for about "
                f"{pause_t:.0f} s before lowering."
            )
            status = "flag"
        else:
            msg = f"Pause at the top: {med_pause:.1f} s (target about {pause_t:.0f} s)."
            status = "ok"
        out.append(
            Finding(
                "bridge_pause",
                status,
                "pause_s",
                med_pause,
                "s",
                f"about {pause_t:.0f} s (at least {pause_min:.1f} s)",
                msg,
                _src("bridge_pause_s"),
                priority=40,
                heuristic=_heur("bridge_pause_min_s"),
            )
        )
    med_lower = _median(lower_s)
    if med_lower is None:
        out.append(
            _none(
                "bridge_lowering",
                "lower_s",
                "s",
                f"at least {lower_min:.1f} s",
                "The lowering of the last rep was not seen.",
                _src("bridge_lower_min_s"),
            )
        )
    else:
        if med_lower < lower_min:
            msg = (
                f"The hips come down quickly ({med_lower:.1f} s). Lower with control, "
                f"taking at least {lower_min:.1f} s."
            )
            status = "flag"
        else:
            msg = f"Controlled lowering ({med_lower:.1f} s)."
            status = "ok"
        out.append(
            Finding(
                "bridge_lowering",
                status,
                "lower_s",
                med_lower,
                "s",
                f"at least {lower_min:.1f} s",
                msg,
                _src("bridge_lower_min_s"),
                priority=45,
                heuristic=_heur("bridge_lower_min_s"),
            )
        )
    if n >= set_reps:
        msg = f"{n} reps: a full set (target {set_reps})."
    else:
        msg = f"{n} reps counted; build up to a set of {set_reps}."
    out.append(
        Finding(
            "bridge_set",
            "ok",
            "reps",
            n,
            "reps",
            f"{set_reps} reps",
            msg,
            _src("bridge_set_reps"),
            priority=90,
        )
    )
    return out


# ---------------------------------------------------------------------------------------
# plank and side plank
def hold_findings(
    activity: str,
    hold_s: float | None,
    longest_s: float | None,
    deviation_deg: float | None,
    frac_sagging: float | None,
    frac_piked: float | None,
    key_frame: int | None,
    th: Th,
    photo: bool = False,
) -> list[Finding]:
    """Findings for a plank or side plank.

    deviation_deg : median signed deviation of the hips from the shoulder-ankle
        line while in position (+ = hips below the line, sagging; - = above,
        piked). frac_* : share of in-position time with that form label.
    photo : a single still image: judged as one frame, no hold time.
    """
    side = activity == "side-plank"
    tol = th("side_plank_line_tol_deg" if side else "plank_line_tol_deg")
    tol_name = "side_plank_line_tol_deg" if side else "plank_line_tol_deg"
    target = f"hips within {tol:.0f} deg of the shoulder-ankle line"
    out: list[Finding] = []
    if deviation_deg is None:
        out.append(
            _none(
                "hip_line",
                "hip_deviation_deg",
                "deg",
                target,
                "The body was never seen in position, so the line could not be judged.",
                _src(tol_name),
            )
        )
    else:
        sag = frac_sagging or 0.0
        pike = frac_piked or 0.0
        where = "" if photo else f" ({sag:.0%} of the time sagging, {pike:.0%} piked)"
        if deviation_deg > tol or (not photo and sag > 0.5):
            msg = (
                f"Hips sag {deviation_deg:.0f} deg below the shoulder-ankle line{where}. "
                "Lift them and brace so the body is one straight line."
            )
            status = "flag"
        elif deviation_deg < -tol or (not photo and pike > 0.5):
            msg = (
                f"Hips are piked {-deviation_deg:.0f} deg above the line{where}. "
                "Lower them until shoulders, hips and ankles line up."
            )
            status = "flag"
        else:
            msg = (
                f"Straight body line: hips {abs(deviation_deg):.0f} deg "
                f"{'below' if deviation_deg > 0 else 'above'} the shoulder-ankle line"
            )
            msg += "." if photo else f" (median){where}."
            status = "ok"
        out.append(
            Finding(
                "hip_line",
                status,
                "hip_deviation_deg",
                deviation_deg,
                "deg",
                target,
                msg,
                _src(tol_name),
                priority=10,
                frame=key_frame,
            )
        )
    target_s = th("plank_hold_target_s")
    if deviation_deg is None and not photo:
        out.append(
            _none(
                "hold_time",
                "hold_s",
                "s",
                f"{target_s:.0f} s" if not side else "hold in line",
                "No hold: the body was never seen in position.",
                _src("plank_hold_target_s"),
            )
        )
    elif photo:
        out.append(
            _none(
                "hold_time",
                "hold_s",
                "s",
                f"{target_s:.0f} s",
                "A photo shows one moment, so there is no hold time.",
                _src("plank_hold_target_s"),
            )
        )
    elif not side:
        longest = longest_s or 0.0
        if longest >= target_s:
            msg = f"Longest good hold {longest:.0f} s: the {target_s:.0f} s target is reached."
        else:
            msg = (
                f"Longest good hold {longest:.0f} s (total {hold_s or 0.0:.0f} s); "
                f"build up towards {target_s:.0f} s over the coming sessions."
            )
        out.append(
            Finding(
                "hold_time",
                "ok",
                "longest_hold_s",
                longest,
                "s",
                f"{target_s:.0f} s, building up",
                msg,
                _src("plank_hold_target_s"),
                priority=90,
            )
        )
    else:
        longest = longest_s or 0.0
        out.append(
            Finding(
                "hold_time",
                "ok",
                "longest_hold_s",
                longest,
                "s",
                "hold in line",
                f"Longest hold in line {longest:.0f} s (total {hold_s or 0.0:.0f} s).",
                "cues.md [A1] side plank: hold",
                priority=90,
            )
        )
    return out


# ---------------------------------------------------------------------------------------
# bird dog
def bird_dog_findings(
    sides: Sequence[str],
    hold_s: Sequence[float],
    arm_deg: Sequence[float],
    leg_deg: Sequence[float],
    trunk_change_deg: Sequence[float],
    key_frames: Sequence[int],
    th: Th,
) -> list[Finding]:
    """Findings for a bird-dog set, one value per rep (one reach of one side).

    sides : "left"/"right" = which arm reached (with the opposite leg).
    arm_deg, leg_deg : signed angle above horizontal of the reaching arm
        (shoulder-wrist) and leg (hip-ankle) during the hold (median).
    trunk_change_deg : largest change of the trunk's tilt from the all-fours start.
    """
    n = len(sides)
    limb_tol, trunk_tol = th("bird_dog_limb_tol_deg"), th("bird_dog_trunk_tol_deg")
    hold_t = th("bird_dog_hold_s")
    if n == 0:
        why = "No reach of an arm and the opposite leg was seen."
        return [
            _none(
                "bird_dog_reach",
                "arm_deg",
                "deg",
                f"within {limb_tol:.0f} deg of horizontal",
                why,
                _src("bird_dog_limb_tol_deg"),
            ),
            _none("bird_dog_hold", "hold_s", "s", f"{hold_t:.0f} s", why, _src("bird_dog_hold_s")),
        ]
    out: list[Finding] = []
    n_left = sum(1 for s in sides if s == "left")
    n_right = n - n_left
    same = sum(1 for a, b in itertools.pairwise(sides) if a == b)
    if same == 0 and n >= 2:
        msg = f"Sides alternate: {n_left} reach(es) with the left arm, {n_right} with the right."
        status = "ok"
    elif n < 2:
        msg = f"One reach ({sides[0]} arm); alternate sides each rep."
        status = "ok"
    else:
        msg = (
            f"{n_left} left / {n_right} right, with {same} repeat(s) of the same side in a "
            "row: switch sides each rep."
        )
        status = "flag"
    out.append(
        Finding(
            "bird_dog_alternate",
            status,
            "reps",
            n,
            "reps",
            "alternate sides",
            msg,
            "cues.md [A1][A3] bird dog: switch sides",
            priority=60,
        )
    )
    med_hold = _median(hold_s)
    assert med_hold is not None
    short = sum(1 for h in hold_s if h < hold_t)
    status = "flag" if med_hold < hold_t else "ok"
    msg = (
        f"Each reach held {med_hold:.1f} s (median); hold about {hold_t:.0f} s."
        if status == "flag"
        else f"Reaches held {med_hold:.1f} s (median)."
    )
    if short and status == "ok":
        msg += f" {short} reach(es) were shorter."
    out.append(
        Finding(
            "bird_dog_hold",
            status,
            "hold_s",
            med_hold,
            "s",
            f"at least {hold_t:.0f} s",
            msg,
            _src("bird_dog_hold_s"),
            priority=40,
            heuristic=_heur("bird_dog_hold_s"),
        )
    )
    med_arm, med_leg = _median(arm_deg), _median(leg_deg)
    worst = max((abs(v) for v in (med_arm, med_leg) if v is not None), default=None)
    if worst is None:
        out.append(
            _none(
                "bird_dog_reach",
                "arm_deg",
                "deg",
                "",
                "Limb angles not seen.",
                _src("bird_dog_limb_tol_deg"),
            )
        )
    else:
        off = worst > limb_tol
        msg = f"Arm {med_arm:+.0f} deg and leg {med_leg:+.0f} deg from horizontal. " + (
            "Reach them out long and level with the back." if off else "Near level: good."
        )
        out.append(
            Finding(
                "bird_dog_reach",
                "flag" if off else "ok",
                "arm_deg",
                med_arm,
                "deg",
                f"arm and leg within {limb_tol:.0f} deg of horizontal",
                msg,
                _src("bird_dog_limb_tol_deg"),
                priority=30,
                heuristic=_heur("bird_dog_limb_tol_deg"),
                frame=key_frames[0] if key_frames else None,
            )
        )
    med_trunk = _median(trunk_change_deg)
    if med_trunk is not None:
        off = med_trunk > trunk_tol
        msg = (
            f"The trunk tilts {med_trunk:.0f} deg during the reach: keep the back still and "
            "level (no twisting or sagging)."
            if off
            else f"Trunk stays level (moves {med_trunk:.0f} deg)."
        )
        out.append(
            Finding(
                "bird_dog_trunk",
                "flag" if off else "ok",
                "trunk_change_deg",
                med_trunk,
                "deg",
                f"within {trunk_tol:.0f} deg of the start",
                msg,
                _src("bird_dog_trunk_tol_deg"),
                priority=20,
                heuristic=_heur("bird_dog_trunk_tol_deg"),
            )
        )
    return out
