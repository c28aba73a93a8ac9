"""Per-frame body posture: the geometry every exercise and the activity classifier read.

One frame's landmarks in, one :class:`Posture` out, in plain Python floats so a
live frame costs microseconds. The posture *label* names the position a coach
would see at a glance:

``"upright"``
    trunk within ``upright_trunk_max_deg`` of vertical (standing, running, squatting).
``"supine_knees_bent"``
    glute bridge: shoulders and feet on the floor (shoulder-ankle line near
    horizontal), knees bent and higher than the hips.
``"prone_straight"``
    plank: body near horizontal, legs straight, propped on forearms or hands,
    seen from the side or from a three-quarter view.
``"side_lying"``
    side plank: body near horizontal, shoulders stacked one above the other
    (seen from the front or back), legs straight.
``"all_fours"``
    bird dog: trunk near horizontal over a supporting arm and thigh that are near
    vertical.
``"lying_other"``
    lying or propped, but none of the above.
``"absent"``
    no pose in this frame.

Conventions: pixels of the upright frame, image y grows downward; angles in
degrees; lengths in torso lengths (shoulder midpoint to hip midpoint) so they do
not depend on the distance to the camera. "Left"/"right" are the person's sides
as MediaPipe labels them.

References
----------
Winter DA (2009) Biomechanics and Motor Control of Human Movement, 4th ed.,
segment lengths as fractions of height (used for the thresholds' reasoning).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcheck.cues.thresholds import value
from formcheck.exercises.posture_geometry import (
    NAN,
    PARTS,
    SIDES,
    Point,
    angle_at,
    dist,
    finite,
    from_horizontal,
    mid,
)
from formcheck.pose.landmarks import Landmark


# ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PostureLimits:
    """The posture thresholds (degrees, torso lengths, visibility), read once per analyzer."""

    visibility_min: float
    lying_body_max_deg: float
    upright_trunk_max_deg: float
    knee_straight_min_deg: float
    knee_above_hip_min_torso: float
    supported_elbow_below_torso: float
    side_view_max_width_ratio: float
    support_limb_max_deg: float
    side_plank_stack_max_deg: float
    plank_upper_arm_max_deg: float

    @classmethod
    def from_thresholds(cls, overrides: dict[str, float] | None = None) -> PostureLimits:
        def v(name: str) -> float:
            return value(name, overrides)

        return cls(
            visibility_min=v("landmark_visibility_min"),
            lying_body_max_deg=v("lying_body_max_deg"),
            upright_trunk_max_deg=v("upright_trunk_max_deg"),
            knee_straight_min_deg=v("knee_straight_min_deg"),
            knee_above_hip_min_torso=v("knee_above_hip_min_torso"),
            supported_elbow_below_torso=v("supported_elbow_below_torso"),
            side_view_max_width_ratio=v("side_view_max_width_ratio"),
            support_limb_max_deg=v("support_limb_max_deg"),
            side_plank_stack_max_deg=v("side_plank_stack_max_deg"),
            plank_upper_arm_max_deg=v("plank_upper_arm_max_deg"),
        )


@dataclass(frozen=True, slots=True)
class Posture:
    """One frame's body geometry (see the module docstring for conventions).

    pts : landmark -> (x, y) pixels for the landmarks used here (NaN if unknown).
    vis : landmark -> visibility in [0, 1] (NaN if no pose).
    near : the side facing the camera in a side view (higher visibility).
    torso_px : shoulder-midpoint to hip-midpoint distance, pixels.
    trunk_from_vertical_deg : hip midpoint -> shoulder midpoint, unsigned, [0, 90].
    body_from_horizontal_deg : shoulder midpoint -> ankle midpoint, unsigned, [0, 90].
    width_ratio : the larger of shoulder and hip width over torso length (small
        side-on, large face-on or looking along the body).
    knee_deg : hip-knee-ankle angle of the near leg (180 = straight).
    knee_above_hip_torso : how far the near knee is above the near hip (+ = higher).
    elbow_below_shoulder_torso : near elbow below the near shoulder (+ = lower).
    thigh_from_vertical_deg, arm_from_vertical_deg : the most vertical thigh
        (hip->knee) and arm (shoulder->wrist) of the two sides.
    shoulder_stack_from_vertical_deg : left-right shoulder line from vertical.
    in_frame : every landmark in ``needed`` seen (visibility) and inside the image,
        on at least one side.
    label : see the module docstring.
    view : "side" (width_ratio under ``side_view_max_width_ratio``), "front" (the
        camera sees the front or back, or looks along the body) or "unknown".
    """

    present: bool
    pts: dict[Landmark, Point]
    vis: dict[Landmark, float]
    near: str
    torso_px: float
    trunk_from_vertical_deg: float
    body_from_horizontal_deg: float
    width_ratio: float
    knee_deg: float
    knee_above_hip_torso: float
    elbow_below_shoulder_torso: float
    thigh_from_vertical_deg: float
    arm_from_vertical_deg: float
    shoulder_stack_from_vertical_deg: float
    in_frame: bool
    label: str
    view: str

    def p(self, side: str, part: str) -> Point:
        return self.pts[PARTS[side][part]]

    def mid(self, part: str) -> Point:
        return mid(self.pts[PARTS["left"][part]], self.pts[PARTS["right"][part]])


_USED = (*tuple(lm for side in SIDES for lm in PARTS[side].values()), Landmark.NOSE)

ABSENT = Posture(
    present=False,
    pts={lm: (NAN, NAN) for lm in _USED},
    vis={lm: NAN for lm in _USED},
    near="left",
    torso_px=NAN,
    trunk_from_vertical_deg=NAN,
    body_from_horizontal_deg=NAN,
    width_ratio=NAN,
    knee_deg=NAN,
    knee_above_hip_torso=NAN,
    elbow_below_shoulder_torso=NAN,
    thigh_from_vertical_deg=NAN,
    arm_from_vertical_deg=NAN,
    shoulder_stack_from_vertical_deg=NAN,
    in_frame=False,
    label="absent",
    view="unknown",
)

#: Parts each exercise needs in view (on at least one side).
DEFAULT_NEEDED: tuple[str, ...] = ("shoulder", "hip", "knee", "ankle")


def _nanmin(a: float, b: float) -> float:
    if not math.isfinite(a):
        return b
    if not math.isfinite(b):
        return a
    return min(a, b)


def measure(
    xy: np.ndarray,
    vis: np.ndarray,
    width: int,
    height: int,
    limits: PostureLimits,
    needed: tuple[str, ...] = DEFAULT_NEEDED,
    prefer: str | None = None,
) -> Posture:
    """Posture of one frame.

    Parameters
    ----------
    xy : float ndarray, shape (33, 2)
        Landmark positions in pixels (y down); NaN = no pose.
    vis : float ndarray, shape (33,)
        Visibility in [0, 1].
    width, height : int
        Frame size in pixels (for the in-frame check).
    limits : PostureLimits
    needed : body parts that must be in view (on at least one side).
    prefer : keep this side as the near side unless the other is clearly better
        seen (visibility sum larger by 0.3), so the near side does not flicker.
    """
    xyl = xy.tolist()
    vl = vis.tolist()
    pts = {lm: (xyl[lm][0], xyl[lm][1]) for lm in _USED}
    vs = {lm: vl[lm] for lm in _USED}
    ls, rs = pts[Landmark.LEFT_SHOULDER], pts[Landmark.RIGHT_SHOULDER]
    lh, rh = pts[Landmark.LEFT_HIP], pts[Landmark.RIGHT_HIP]
    if not finite(ls, rs, lh, rh):
        return ABSENT
    sh, hp = mid(ls, rs), mid(lh, rh)
    torso = dist(sh, hp)
    if not torso > 0:
        return ABSENT

    def vsum(side: str) -> float:
        return sum(
            vs[PARTS[side][p]] if math.isfinite(vs[PARTS[side][p]]) else 0.0
            for p in ("shoulder", "hip", "knee", "ankle")
        )

    vl_, vr_ = vsum("left"), vsum("right")
    near = "left" if vl_ >= vr_ else "right"
    if prefer in SIDES and near != prefer:
        other = vr_ if prefer == "left" else vl_
        mine = vl_ if prefer == "left" else vr_
        if other - mine < 0.3:
            near = prefer

    # in frame: each needed part seen and inside the image on at least one side
    vmin = limits.visibility_min
    in_frame = True
    for part in needed:
        ok = False
        for side in SIDES:
            lm = PARTS[side][part]
            x, y = pts[lm]
            if vs[lm] >= vmin and 0.0 <= x <= width and 0.0 <= y <= height:
                ok = True
                break
        if not ok:
            in_frame = False
            break

    an = mid(pts[Landmark.LEFT_ANKLE], pts[Landmark.RIGHT_ANKLE])
    if not finite(an):
        an = pts[PARTS[near]["ankle"]]
    trunk_v = 90.0 - from_horizontal(hp, sh)
    body_h = from_horizontal(sh, an)
    width_ratio = max(dist(ls, rs), dist(lh, rh)) / torso
    nhip, nknee, nank = (pts[PARTS[near][p]] for p in ("hip", "knee", "ankle"))
    nsh, nel = pts[PARTS[near]["shoulder"]], pts[PARTS[near]["elbow"]]
    knee = angle_at(nhip, nknee, nank)
    knee_above = (nhip[1] - nknee[1]) / torso
    elbow_below = (nel[1] - nsh[1]) / torso
    thigh_v = NAN
    arm_v = NAN
    for side in SIDES:
        thigh_v = _nanmin(
            thigh_v, 90.0 - from_horizontal(pts[PARTS[side]["hip"]], pts[PARTS[side]["knee"]])
        )
        arm_v = _nanmin(
            arm_v, 90.0 - from_horizontal(pts[PARTS[side]["shoulder"]], pts[PARTS[side]["wrist"]])
        )
    stack_v = 90.0 - from_horizontal(ls, rs)

    label = _label(
        limits,
        trunk_v,
        body_h,
        width_ratio,
        knee,
        knee_above,
        elbow_below,
        thigh_v,
        arm_v,
        stack_v,
        pts,
        hp,
        sh,
    )
    return Posture(
        present=True,
        pts=pts,
        vis=vs,
        near=near,
        torso_px=torso,
        trunk_from_vertical_deg=trunk_v,
        body_from_horizontal_deg=body_h,
        width_ratio=width_ratio,
        knee_deg=knee,
        knee_above_hip_torso=knee_above,
        elbow_below_shoulder_torso=elbow_below,
        thigh_from_vertical_deg=thigh_v,
        arm_from_vertical_deg=arm_v,
        shoulder_stack_from_vertical_deg=stack_v,
        in_frame=in_frame,
        label=label,
        view="side" if width_ratio < limits.side_view_max_width_ratio else "front",
    )


def _label(
    lim: PostureLimits,
    trunk_v: float,
    body_h: float,
    width_ratio: float,
    knee: float,
    knee_above: float,
    elbow_below: float,
    thigh_v: float,
    arm_v: float,
    stack_v: float,
    pts: dict[Landmark, Point],
    hp: Point,
    sh: Point,
) -> str:
    """The posture label from the measured geometry (NaN comparisons are False)."""
    if trunk_v <= lim.upright_trunk_max_deg:
        return "upright"
    side_on = width_ratio < lim.side_view_max_width_ratio
    straight = knee >= lim.knee_straight_min_deg
    lying = body_h <= lim.lying_body_max_deg
    # side plank: shoulders stacked, seen face-on, body near horizontal, legs straight
    if (
        not side_on
        and stack_v <= lim.side_plank_stack_max_deg
        and lying
        and _legs_straight(pts, lim)
    ):
        return "side_lying"
    # all fours (checked before the plank, as a bird dog's reaching leg is straight):
    # trunk near horizontal over a near-vertical arm and thigh, with the lower knee
    # below the hips (one arm and the other leg may be lifted)
    low_knee_y = max(
        (pts[PARTS[s]["knee"]][1] for s in SIDES if math.isfinite(pts[PARTS[s]["knee"]][1])),
        default=NAN,
    )
    if (
        side_on
        and 90.0 - trunk_v <= lim.lying_body_max_deg
        and thigh_v <= lim.support_limb_max_deg
        and arm_v <= lim.support_limb_max_deg
        and low_knee_y > hp[1]
    ):
        return "all_fours"
    if (
        side_on
        and lying
        and knee < lim.knee_straight_min_deg
        and (knee_above >= lim.knee_above_hip_min_torso)
    ):
        return "supine_knees_bent"
    # plank: side-on, or from a three-quarter view with both legs straight (a bird dog's
    # bent supporting knee does not pass) and an upper arm near vertical under the
    # shoulder (lying flat with the arms forward does not pass); the line is judged
    # only side-on
    if (
        lying
        and straight
        and elbow_below >= lim.supported_elbow_below_torso
        and (side_on or (_legs_straight(pts, lim) and _propped(pts, lim)))
    ):
        return "prone_straight"
    return "lying_other"


def _legs_straight(pts: dict[Landmark, Point], lim: PostureLimits) -> bool:
    """Both legs' hip-knee-ankle angles at or above the straight-leg limit (front view)."""
    ok = 0
    for side in SIDES:
        k = angle_at(pts[PARTS[side]["hip"]], pts[PARTS[side]["knee"]], pts[PARTS[side]["ankle"]])
        if math.isfinite(k):
            if k < lim.knee_straight_min_deg:
                return False
            ok += 1
    return ok > 0


def _propped(pts: dict[Landmark, Point], lim: PostureLimits) -> bool:
    """An upper arm (shoulder->elbow) near vertical: the elbow under the shoulder. A
    level camera keeps verticals vertical whatever its angle round the body."""
    return any(
        90.0 - from_horizontal(pts[PARTS[s]["shoulder"]], pts[PARTS[s]["elbow"]])
        <= lim.plank_upper_arm_max_deg
        for s in SIDES
    )
