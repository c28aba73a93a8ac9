"""Plain-float geometry shared by the floor moves (:mod:`floor_warmup`,
:mod:`floor_strength`): where the head points, the body's lying positions, a
limb's angle in the body's own frame, and a resting baseline.

Conventions as :mod:`formcheck.exercises.posture`: pixels, image y down,
degrees, lengths in torso lengths; NaN in, NaN out (comparisons with NaN are
False, so a position with a missing point is not taken).
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections import deque
from typing import Any

from formcheck.cues.thresholds import value
from formcheck.exercises.posture import Posture, PostureLimits
from formcheck.exercises.posture_geometry import NAN, SIDES, Point, finite, from_horizontal, mid
from formcheck.pose.landmarks import Landmark

OTHER = {"left": "right", "right": "left"}

#: Resting frames a baseline is the median of: the last 0.5-1 s of rest (at 60-30
#: frames/s), so a rep is compared with the rest just before it.
REST_MEMORY = 30


def th(mem: dict[str, Any], name: str) -> float:
    """A threshold's value through the analyzer's lookup (``mem["th"]``: the user's
    overrides applied), or the table's value without one."""
    lookup = mem.get("th")
    return float(lookup(name)) if callable(lookup) else value(name)


def limits(mem: dict[str, Any]) -> PostureLimits:
    """The posture limits with the analyzer's threshold lookup (built once per analyzer)."""
    lim = mem.get("_limits")
    if not isinstance(lim, PostureLimits):
        names = {f.name: f.name for f in dataclasses.fields(PostureLimits)}
        names["visibility_min"] = "landmark_visibility_min"
        lim = mem["_limits"] = PostureLimits(**{k: th(mem, n) for k, n in names.items()})
    return lim


def head_dir(p: Posture) -> float:
    """+1 when the head (shoulder midpoint) is image-right of the hips, -1 otherwise."""
    return 1.0 if p.mid("shoulder")[0] >= p.mid("hip")[0] else -1.0


def turn_deg(u: Point, w: Point, fwd: float) -> float:
    """Signed angle from direction ``u`` to direction ``w``, degrees in (-180, 180].

    Seen with the head to image-right (``fwd`` = +1; mirrored for -1) and y up:
    + = ``w`` turned anticlockwise (upwards, when ``u`` points at the head).
    """
    ux, uy = u[0] * fwd, -u[1]
    wx, wy = w[0] * fwd, -w[1]
    if not (math.isfinite(ux + uy + wx + wy)) or (ux == uy == 0) or (wx == wy == 0):
        return NAN
    return math.degrees(math.atan2(ux * wy - uy * wx, ux * wx + uy * wy))


def vec(a: Point, b: Point) -> Point:
    return (b[0] - a[0], b[1] - a[1])


def from_up_toward(a: Point, b: Point, toward_x: float) -> float:
    """Angle of a->b from straight up, degrees, + towards image x-direction ``toward_x``
    (+1/-1), - the other way; 90 = level."""
    dx, dy = (b[0] - a[0]) * toward_x, b[1] - a[1]
    if not (math.isfinite(dx) and math.isfinite(dy)) or (dx == 0 and dy == 0):
        return NAN
    return math.degrees(math.atan2(dx, -dy))


def from_down_toward(a: Point, b: Point, toward_x: float) -> float:
    """Angle of a->b from straight down, degrees, + towards image x-direction
    ``toward_x``; 90 = level."""
    dx, dy = (b[0] - a[0]) * toward_x, b[1] - a[1]
    if not (math.isfinite(dx) and math.isfinite(dy)) or (dx == 0 and dy == 0):
        return NAN
    return math.degrees(math.atan2(dx, dy))


def ears(p: Posture) -> Point:
    """The ear midpoint, or the one ear seen."""
    left, right = p.p("left", "ear"), p.p("right", "ear")
    if finite(left, right):
        return mid(left, right)
    return left if finite(left) else right


def nose(p: Posture) -> Point:
    return p.pts[Landmark.NOSE]


def face_down(p: Posture) -> bool:
    """The nose lower in the picture than the ears (lying face down, or on all fours)."""
    return nose(p)[1] > ears(p)[1]


def face_up(p: Posture) -> bool:
    """The nose higher in the picture than the ears (lying on the back)."""
    return nose(p)[1] < ears(p)[1]


def trunk_level(p: Posture, lim: PostureLimits) -> bool:
    """The hip-shoulder line within ``lying_body_max_deg`` of horizontal."""
    return 90.0 - p.trunk_from_vertical_deg <= lim.lying_body_max_deg


def lying_on_side(p: Posture, lim: PostureLimits) -> bool:
    """Side-lying seen from the front: trunk level, shoulders and hips stacked."""
    hips = p.p("left", "hip"), p.p("right", "hip")
    hip_stack_v = 90.0 - from_horizontal(*hips)
    return (
        trunk_level(p, lim)
        and p.view == "front"
        and p.shoulder_stack_from_vertical_deg <= lim.side_plank_stack_max_deg
        and hip_stack_v <= lim.side_plank_stack_max_deg
    )


def top_side(p: Posture) -> str:
    """The side whose hip is higher in the picture (lying on the other side)."""
    return "left" if p.p("left", "hip")[1] <= p.p("right", "hip")[1] else "right"


def limbs_hanging(p: Posture, lim: PostureLimits, part: str, end: str) -> int:
    """How many limbs (``part`` -> ``end``: "shoulder" -> "wrist", "hip" -> "knee") hang
    within ``support_limb_max_deg`` of straight down."""
    n = 0
    for s in SIDES:
        a, b = p.p(s, part), p.p(s, end)
        if abs(from_down_toward(a, b, 1.0)) <= lim.support_limb_max_deg:
            n += 1
    return n


def propped(p: Posture, lim: PostureLimits) -> bool:
    """An upper arm (shoulder-elbow) within ``plank_upper_arm_max_deg`` of vertical: the
    body propped on an elbow or hand (a plank), not lying with the arms reaching."""
    return any(
        90.0 - from_horizontal(p.p(s, "shoulder"), p.p(s, "elbow")) <= lim.plank_upper_arm_max_deg
        for s in SIDES
    )


class Rest:
    """The median of a number over the latest stretch of resting frames (bounded memory).

    Each new stretch of rest (after a rep) starts afresh, so a rep is compared with
    the rest just before it, not with a rest before a change of camera angle.
    """

    def __init__(self) -> None:
        self.values: deque[float] = deque(maxlen=REST_MEMORY)
        self._was_resting = False

    def update(self, x: float, resting: bool) -> None:
        """Feed one measured frame: its number and whether it is resting."""
        if resting and not self._was_resting:
            self.values.clear()
        self._was_resting = resting
        if resting and math.isfinite(x):
            self.values.append(x)

    @property
    def value(self) -> float:
        return statistics.median(self.values) if self.values else NAN


def rest(mem: dict[str, Any], key: str) -> Rest:
    """The :class:`Rest` baseline ``key`` kept in a spec's memory."""
    r = mem.get(key)
    if not isinstance(r, Rest):
        r = mem[key] = Rest()
    return r
