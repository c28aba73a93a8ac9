"""Where to draw each named angle: which landmarks its arc spans.

The analyzers name their per-frame angles (``FrameState.angles``), e.g.
``"trunk_lean_deg"``, ``"shin_angle_left_deg"``, ``"knee_flexion_right_deg"``,
``"shoulder_hip_knee_deg"``, ``"shoulder_hip_ankle_deg"``. This module maps a
name to the geometry of its arc so the value the analyzer measured can be shown
where it was measured. The value drawn is always the analyzer's; the landmarks
only place the arc (nothing is re-measured here).

Geometry kinds (image y grows downward):

``joint`` (a, b, c)
    Arc at b between the segments b->a and b->c (e.g. shoulder-hip-knee).
``flexion`` (a, b, c)
    Arc at b between the extension of a->b past b (dashed) and b->c: the bend
    away from straight, as knee flexion is measured.
``tilt`` (lower, upper)
    Arc at ``lower`` between straight up (dashed) and lower->upper: a segment's
    tilt from vertical (trunk lean, shin angle, neck).
"""

from __future__ import annotations

from dataclasses import dataclass

from formcheck.pose.landmarks import Landmark

#: A point on the body: one landmark, or the midpoint of several.
PointRef = tuple[Landmark, ...]


@dataclass(frozen=True, slots=True)
class ArcSpec:
    """How to draw one angle. ``points`` are templates: ``"{S}"`` is the side."""

    kind: str  # "joint" | "flexion" | "tilt"
    points: tuple[tuple[str, ...], ...]
    short: str  # label shown next to the value ("knee", "trunk")
    sided: bool = True


def _both(name: str) -> tuple[str, ...]:
    return (f"LEFT_{name}", f"RIGHT_{name}")


#: Ordered (keywords, spec): the first spec whose keywords all occur in the name wins.
ARC_SPECS: tuple[tuple[tuple[str, ...], ArcSpec], ...] = (
    (("trunk",), ArcSpec("tilt", (_both("HIP"), _both("SHOULDER")), "trunk", sided=False)),
    (("lean",), ArcSpec("tilt", (_both("HIP"), _both("SHOULDER")), "trunk", sided=False)),
    (("shin",), ArcSpec("tilt", (("{S}_ANKLE",), ("{S}_KNEE",)), "shin")),
    (("knee", "flex"), ArcSpec("flexion", (("{S}_HIP",), ("{S}_KNEE",), ("{S}_ANKLE",)), "knee")),
    (
        ("hip", "knee", "ankle"),
        ArcSpec("joint", (("{S}_HIP",), ("{S}_KNEE",), ("{S}_ANKLE",)), "knee"),
    ),
    (
        ("shoulder", "hip", "knee"),
        ArcSpec("joint", (("{S}_SHOULDER",), ("{S}_HIP",), ("{S}_KNEE",)), "hip"),
    ),
    (("bridge",), ArcSpec("joint", (("{S}_SHOULDER",), ("{S}_HIP",), ("{S}_KNEE",)), "hip")),
    (
        ("shoulder", "hip", "ankle"),
        ArcSpec("joint", (("{S}_SHOULDER",), ("{S}_HIP",), ("{S}_ANKLE",)), "body"),
    ),
    (("hip", "line"), ArcSpec("joint", (("{S}_SHOULDER",), ("{S}_HIP",), ("{S}_ANKLE",)), "body")),
    (("body", "line"), ArcSpec("joint", (("{S}_SHOULDER",), ("{S}_HIP",), ("{S}_ANKLE",)), "body")),
    (("plank",), ArcSpec("joint", (("{S}_SHOULDER",), ("{S}_HIP",), ("{S}_ANKLE",)), "body")),
    (("neck",), ArcSpec("tilt", (("{S}_SHOULDER",), ("{S}_EAR",)), "neck")),
    (("head",), ArcSpec("tilt", (("{S}_SHOULDER",), ("{S}_EAR",)), "head")),
    # floor moves: the knee-to-chest march's hip flexion, the superman's body bow
    (("hip", "flex"), ArcSpec("flexion", (_both("SHOULDER"), ("{S}_HIP",), ("{S}_KNEE",)), "hip")),
    (
        ("bow",),
        ArcSpec("flexion", (_both("SHOULDER"), _both("HIP"), _both("ANKLE")), "body", sided=False),
    ),
)


def side_in_name(name: str) -> str | None:
    """``"left"``/``"right"`` when the angle's name says which side, else None."""
    parts = name.lower().replace("-", "_").split("_")
    if "left" in parts or "l" in parts:
        return "left"
    if "right" in parts or "r" in parts:
        return "right"
    return None


def arc_rule(name: str) -> tuple[int, ArcSpec] | None:
    """(index of the matching rule in :data:`ARC_SPECS`, its spec), or None."""
    low = name.lower()
    for i, (keywords, spec) in enumerate(ARC_SPECS):
        if all(k in low for k in keywords):
            return i, spec
    return None


def arc_spec(name: str) -> ArcSpec | None:
    """The arc geometry for an angle name, or None when it has no drawing."""
    rule = arc_rule(name)
    return None if rule is None else rule[1]


def resolve_points(spec: ArcSpec, side: str) -> tuple[PointRef, ...]:
    """Landmarks of each point of ``spec`` for a side (``"left"`` or ``"right"``)."""
    s = "LEFT" if side == "left" else "RIGHT"
    return tuple(tuple(Landmark[p.replace("{S}", s)] for p in ref) for ref in spec.points)


_UNIT_SUFFIX = {
    "deg": "°",
    "s": " s",
    "ms": " ms",
    "spm": " steps/min",
    "pct": " %",
    "leglen": " leg lengths",
    "cm": " cm",
    "torso": " torso lengths",
}


def pretty_name(name: str) -> tuple[str, str]:
    """``"knee_flexion_left_deg"`` -> (``"Knee flexion left"``, ``"°"``): label and unit."""
    parts = name.split("_")
    unit = ""
    if parts and parts[-1] in _UNIT_SUFFIX:
        unit = _UNIT_SUFFIX[parts.pop()]
    elif name.endswith("_leg_lengths"):
        parts = parts[:-2]
        unit = " leg lengths"
    label = " ".join(parts).strip() or name
    return label[:1].upper() + label[1:], unit
