"""The seven cool-down stretches: where each one's body is in one frame, and its analyzer.

Each ``_locate_*`` reads one frame's :class:`~formcheck.exercises.posture.Posture`
(pixels, image y down; lengths in torso lengths, shoulder midpoint to hip midpoint)
and returns ``(side, angle)`` when the frame shows the stretch, else None. The side
is the stretched side (see ``words_stretches.SIDE_MEANS``); the angle is the
stretched joint's, the one watched for bouncing. The numbers are thresholds
(:mod:`formcheck.cues.thresholds_stretches`), each with its reasoning there.

* child's pose: knees fully bent with the shins on the floor, trunk folded onto the
  thighs (shoulder-hip-knee small), trunk near horizontal, shoulders not above the hips;
* seated forward fold: legs straight along the floor, trunk folded towards them,
  shoulders above the hips;
* supine spinal twist: lying, shoulders flat (narrow side-on) while the pelvis is
  turned (wide), knees bent; the stretched side is the upper hip's;
* lying knee hug: lying, a thigh pulled past vertical towards the chest with the knee
  bent and a hand at the knee or shin, and no ankle crossed over the other knee;
* kneeling hip-flexor stretch: trunk upright, the back knee on the floor (shin near
  horizontal, well below the front knee, at the front foot's level), front knee bent;
  the stretched side is the back leg's;
* figure-4: lying, one ankle crossed over the other knee (the stretched side);
* lying hamstring stretch: lying, one straight leg raised well above horizontal, the
  other not; the stretched side is the raised leg's.
"""

from __future__ import annotations

import math

from formcheck.exercises.engine import analyze_series
from formcheck.exercises.posture import Posture
from formcheck.exercises.posture_geometry import (
    SIDES,
    angle_at,
    dist,
    elevation,
    finite,
    from_horizontal,
)
from formcheck.exercises.stretch import (
    Found,
    StretchAnalyzer,
    StretchLimits,
    StretchSpec,
    hold_share,
)
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult
from formcheck.settings import Settings


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def _lying(p: Posture, lim: StretchLimits) -> bool:
    """Trunk (hip midpoint to shoulder midpoint) within the lying limit of horizontal."""
    return from_horizontal(p.mid("hip"), p.mid("shoulder")) <= lim.lying_deg


def _hip_deg(p: Posture, side: str) -> float:
    return angle_at(p.p(side, "shoulder"), p.p(side, "hip"), p.p(side, "knee"))


def _knee_deg(p: Posture, side: str) -> float:
    return angle_at(p.p(side, "hip"), p.p(side, "knee"), p.p(side, "ankle"))


def _locate_childs_pose(p: Posture, lim: StretchLimits) -> Found | None:
    s = p.near
    hip, knee = _hip_deg(p, s), _knee_deg(p, s)
    shin = from_horizontal(p.p(s, "knee"), p.p(s, "ankle"))
    if not (
        hip <= lim.childs_hip_deg
        and knee <= lim.kneel_knee_deg
        and shin <= lim.lying_deg
        and _lying(p, lim)
        and p.mid("shoulder")[1] >= p.mid("hip")[1]
    ):
        return None
    return None, hip


def _locate_forward_fold(p: Posture, lim: StretchLimits) -> Found | None:
    s = p.near
    hip, knee = _hip_deg(p, s), _knee_deg(p, s)
    legs = from_horizontal(p.p(s, "hip"), p.p(s, "ankle"))
    if not (
        knee >= lim.straight_knee_deg
        and legs <= lim.lying_deg
        and hip <= lim.fold_hip_deg
        and p.mid("shoulder")[1] < p.mid("hip")[1]
    ):
        return None
    return None, hip


def _locate_spinal_twist(p: Posture, lim: StretchLimits) -> Found | None:
    ls, rs = p.p("left", "shoulder"), p.p("right", "shoulder")
    lh, rh = p.p("left", "hip"), p.p("right", "hip")
    torso = p.torso_px
    if not (finite(ls, rs, lh, rh) and torso > 0 and _lying(p, lim)):
        return None
    flat = dist(ls, rs) / torso < lim.side_view_ratio
    turned = dist(lh, rh) / torso >= lim.twist_ratio
    if not (flat and turned and _knee_deg(p, p.near) < lim.straight_knee_deg):
        return None
    upper = "left" if lh[1] < rh[1] else "right"  # image y grows downward
    knees = ((p.p("left", "knee")[0] + p.p("right", "knee")[0]) / 2,
             (p.p("left", "knee")[1] + p.p("right", "knee")[1]) / 2)  # fmt: skip
    return upper, elevation(p.mid("hip"), knees)


def _crossed(p: Posture, lim: StretchLimits) -> str | None:
    """The leg whose ankle rests on the other knee (figure-4), if any."""
    best: tuple[float, str] | None = None
    for s in SIDES:
        d = dist(p.p(s, "ankle"), p.p(_other(s), "knee")) / p.torso_px
        bent = _knee_deg(p, s) < lim.straight_knee_deg
        if d <= lim.fig4_torso and bent and (best is None or d < best[0]):
            best = (d, s)
    return None if best is None else best[1]


def _locate_knee_hug(p: Posture, lim: StretchLimits) -> Found | None:
    if not _lying(p, lim) or _crossed(p, lim) is not None:
        return None
    best: Found | None = None
    for s in SIDES:
        hip = _hip_deg(p, s)
        if not (hip <= lim.hug_hip_deg and _knee_deg(p, s) < lim.straight_knee_deg):
            continue
        kn, an = p.p(s, "knee"), p.p(s, "ankle")
        shin = ((kn[0] + an[0]) / 2, (kn[1] + an[1]) / 2)
        reach = min(min(dist(p.p(w, "wrist"), kn), dist(p.p(w, "wrist"), shin)) for w in SIDES)
        if reach / p.torso_px <= lim.hug_hand_torso and (best is None or hip < best[1]):
            best = (s, hip)
    return best


def _locate_hip_flexor(p: Posture, lim: StretchLimits) -> Found | None:
    if not p.trunk_from_vertical_deg <= lim.upright_deg:
        return None
    torso = p.torso_px
    for back in SIDES:
        front = _other(back)
        bk, ba = p.p(back, "knee"), p.p(back, "ankle")
        fk, fa, hp = p.p(front, "knee"), p.p(front, "ankle"), p.p(back, "hip")
        if not finite(bk, ba, fk, fa, hp):
            continue
        if not (
            from_horizontal(bk, ba) <= lim.lying_deg
            and (bk[1] - fk[1]) / torso >= lim.kneel_drop_torso
            and bk[1] >= fa[1] - lim.kneel_drop_torso * torso
            and _knee_deg(p, front) < lim.straight_knee_deg
            and (fa[0] - hp[0]) * (bk[0] - hp[0]) < 0  # front foot ahead, back knee behind
        ):
            continue
        # the back thigh's angle behind the trunk line, + = hip extended (the stretch):
        # the thigh's tilt behind vertical less the trunk's lean forward, degrees
        sh = p.mid("shoulder")
        facing = 1.0 if fa[0] > hp[0] else -1.0
        trunk = math.atan2(facing * (sh[0] - hp[0]), hp[1] - sh[1])
        thigh = math.atan2(facing * (hp[0] - bk[0]), bk[1] - hp[1])
        return back, math.degrees(thigh - trunk)
    return None


def _locate_figure_4(p: Posture, lim: StretchLimits) -> Found | None:
    if not _lying(p, lim):
        return None
    s = _crossed(p, lim)
    return None if s is None else (s, _hip_deg(p, s))


def _locate_hamstring(p: Posture, lim: StretchLimits) -> Found | None:
    if not _lying(p, lim):
        return None
    up = []
    for s in SIDES:
        rise = elevation(p.p(s, "hip"), p.p(s, "ankle"))
        if rise >= lim.raise_deg:
            up.append(s)
    if len(up) != 1 or not _knee_deg(p, up[0]) >= lim.straight_knee_deg:
        return None
    return up[0], _hip_deg(p, up[0])


SPECS: dict[str, StretchSpec] = {
    s.name: s
    for s in (
        StretchSpec("childs-pose", False, "stretch_hold_min_s", "shoulder_hip_knee",
                    _locate_childs_pose),
        StretchSpec("forward-fold", False, "stretch_hold_min_s", "shoulder_hip_knee",
                    _locate_forward_fold),
        StretchSpec("spinal-twist", True, "stretch_hold_min_s", "thigh_elevation",
                    _locate_spinal_twist),
        StretchSpec("knee-hug", False, "stretch_hold_min_s", "shoulder_hip_knee",
                    _locate_knee_hug),
        StretchSpec("hip-flexor-stretch", True, "stretch_hold_side_s", "hip_extension",
                    _locate_hip_flexor),
        StretchSpec("figure-4", True, "stretch_hold_side_s", "shoulder_hip_knee",
                    _locate_figure_4),
        StretchSpec("hamstring-stretch", True, "stretch_hold_side_s", "shoulder_hip_knee",
                    _locate_hamstring),
    )
}  # fmt: skip


class ChildsPoseAnalyzer(StretchAnalyzer):
    activity = "childs-pose"
    spec = SPECS[activity]


class ForwardFoldAnalyzer(StretchAnalyzer):
    activity = "forward-fold"
    spec = SPECS[activity]


class SpinalTwistAnalyzer(StretchAnalyzer):
    activity = "spinal-twist"
    spec = SPECS[activity]


class KneeHugAnalyzer(StretchAnalyzer):
    activity = "knee-hug"
    spec = SPECS[activity]


class HipFlexorStretchAnalyzer(StretchAnalyzer):
    activity = "hip-flexor-stretch"
    spec = SPECS[activity]


class Figure4Analyzer(StretchAnalyzer):
    activity = "figure-4"
    spec = SPECS[activity]


class HamstringStretchAnalyzer(StretchAnalyzer):
    activity = "hamstring-stretch"
    spec = SPECS[activity]


ANALYZERS: dict[str, type[StretchAnalyzer]] = {
    c.activity: c
    for c in (
        ChildsPoseAnalyzer,
        ForwardFoldAnalyzer,
        SpinalTwistAnalyzer,
        KneeHugAnalyzer,
        HipFlexorStretchAnalyzer,
        Figure4Analyzer,
        HamstringStretchAnalyzer,
    )
}


def analyze(name: str, series: PoseSeries, settings: Settings) -> ActivityResult:
    """Batch entry: feed every frame to the stretch's analyzer."""
    return analyze_series(ANALYZERS[name](settings), series)


def recognise(name: str, series: PoseSeries, settings: Settings) -> float:
    """Share of the frames with a pose held in this stretch (see ``Activity.recognise``)."""
    return hold_share(ANALYZERS[name](settings), series)
