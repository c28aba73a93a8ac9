"""Plain-float geometry of one frame's landmarks for the posture recogniser: the
landmark of a body part on a side, angles at a joint, from and above horizontal,
distances and midpoints. Image y grows downward; degrees; NaN in, NaN out.
"""

from __future__ import annotations

import math

from formcheck.pose.landmarks import Landmark

SIDES = ("left", "right")

PARTS = {
    "left": {
        "shoulder": Landmark.LEFT_SHOULDER,
        "elbow": Landmark.LEFT_ELBOW,
        "wrist": Landmark.LEFT_WRIST,
        "hip": Landmark.LEFT_HIP,
        "knee": Landmark.LEFT_KNEE,
        "ankle": Landmark.LEFT_ANKLE,
        "ear": Landmark.LEFT_EAR,
    },
    "right": {
        "shoulder": Landmark.RIGHT_SHOULDER,
        "elbow": Landmark.RIGHT_ELBOW,
        "wrist": Landmark.RIGHT_WRIST,
        "hip": Landmark.RIGHT_HIP,
        "knee": Landmark.RIGHT_KNEE,
        "ankle": Landmark.RIGHT_ANKLE,
        "ear": Landmark.RIGHT_EAR,
    },
}

Point = tuple[float, float]
NAN = float("nan")


def landmark(side: str, part: str) -> Landmark:
    """The :class:`Landmark` of ``part`` ("hip", "knee" ...) on ``side`` ("left"/"right")."""
    return PARTS[side][part]


# ---------------------------------------------------------------------------------------
# scalar geometry (plain floats; NaN in, NaN out)
def angle_at(a: Point, b: Point, c: Point) -> float:
    """Unsigned angle a-b-c at b in degrees, [0, 180]; NaN if a segment has no length."""
    ux, uy = a[0] - b[0], a[1] - b[1]
    wx, wy = c[0] - b[0], c[1] - b[1]
    n = math.hypot(ux, uy) * math.hypot(wx, wy)
    if not n > 0:
        return NAN
    cos = max(-1.0, min(1.0, (ux * wx + uy * wy) / n))
    return math.degrees(math.acos(cos))


def from_horizontal(a: Point, b: Point) -> float:
    """Unsigned angle of the segment a->b from horizontal, degrees in [0, 90]."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if not (math.isfinite(dx) and math.isfinite(dy)) or (dx == 0 and dy == 0):
        return NAN
    return math.degrees(math.atan2(abs(dy), abs(dx)))


def from_down_deg(a: Point, b: Point) -> float:
    """Unsigned angle of the segment a->b from straight down (image y grows downward),
    degrees in [0, 180]: 0 hanging, 90 level, 180 straight up; NaN if unknown."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if not (math.isfinite(dx) and math.isfinite(dy)) or (dx == 0 and dy == 0):
        return NAN
    return math.degrees(math.atan2(abs(dx), dy))


def elevation(a: Point, b: Point) -> float:
    """Signed angle of a->b above horizontal, degrees in [-90, 90] (+ = b higher, y down)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if not (math.isfinite(dx) and math.isfinite(dy)) or (dx == 0 and dy == 0):
        return NAN
    return math.degrees(math.atan2(-dy, abs(dx)))


def dist(a: Point, b: Point) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def mid(a: Point, b: Point) -> Point:
    return (0.5 * (a[0] + b[0]), 0.5 * (a[1] + b[1]))


def finite(*ps: Point) -> bool:
    return all(math.isfinite(p[0]) and math.isfinite(p[1]) for p in ps)
