"""Annotators drawn on the body: the skeleton, angle arcs and the hip path.

Each annotator has its style set in ``__init__`` and one method,
``annotate(frame, data) -> frame``, which draws on ``frame`` (a copy the caller
owns: uint8 BGR, shape (height, width, 3)) and returns it. Sizes come from the
frame's size (:class:`~formcheck.render.style.Scale`), so the same annotator
reads well on a 720x1280 portrait phone clip and a 480x360 one. They draw
only: every number shown is read from :class:`~formcheck.render.overlay.OverlayData`.

:class:`~formcheck.render.frame.FrameAnnotator` draws them all in order; the
text and markers on top are in :mod:`formcheck.render.panels`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from formcheck.pose.landmarks import SKELETON, Landmark
from formcheck.render.angles import ArcSpec, arc_rule, resolve_points, side_in_name
from formcheck.render.overlay import MIN_VISIBILITY, OverlayData, landmark_xy
from formcheck.render.style import ARC_BGR, BLACK, PATH_BGR, SIDE_BGR, Scale, dim
from formcheck.render.text import put_text, text_size


def whole(v: float) -> str:
    """A value rounded to a whole number, without a "-0"."""
    s = f"{v:.0f}"
    return "0" if s == "-0" else s


def to_px(xy: tuple[float, float]) -> tuple[int, int]:
    """A point in whole pixels (for OpenCV)."""
    return (round(xy[0]), round(xy[1]))


def _line(
    img: np.ndarray,
    a: tuple[float, float],
    b: tuple[float, float],
    color: tuple[int, int, int],
    thickness: int,
    outline: int = 0,
) -> None:
    if outline:
        cv2.line(img, to_px(a), to_px(b), BLACK, thickness + 2 * outline, cv2.LINE_AA)
    cv2.line(img, to_px(a), to_px(b), color, thickness, cv2.LINE_AA)


def _dashed(
    img: np.ndarray,
    a: tuple[float, float],
    b: tuple[float, float],
    color: tuple[int, int, int],
    thickness: int,
    dash: float,
) -> None:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length = math.hypot(dx, dy)
    if length < 1:
        return
    n = max(1, int(length // (2 * dash)))
    for i in range(n + 1):
        s0 = (2 * i * dash) / length
        s1 = min((2 * i + 1) * dash / length, 1.0)
        if s0 >= 1.0:
            break
        cv2.line(
            img,
            to_px((ax + dx * s0, ay + dy * s0)),
            to_px((ax + dx * s1, ay + dy * s1)),
            color,
            thickness,
            cv2.LINE_AA,
        )


# ---------------------------------------------------------------------------------------
class SkeletonAnnotator:
    """The skeleton, near side bright and thick, far side dim and thin.

    Left limbs are blue and right limbs orange (the report's colours); the side
    facing the camera (``data.near_side``) is drawn last, on top, with a dark
    outline, the far side underneath at half brightness. Points below
    ``min_visibility`` are left out rather than guessed.
    """

    def __init__(self, min_visibility: float = MIN_VISIBILITY, far_factor: float = 0.5) -> None:
        self.min_visibility = min_visibility
        self.far_factor = far_factor

    def annotate(self, frame: np.ndarray, data: OverlayData) -> np.ndarray:
        if data.xyzv is None:
            return frame
        sc = Scale.for_shape(*frame.shape[:2])
        xyzv = np.asarray(data.xyzv, np.float64)
        vis = xyzv[:, 3]
        seen = np.isfinite(xyzv[:, :2]).all(axis=1) & ~(vis < self.min_visibility)
        pts = [(float(x), float(y)) for x, y in xyzv[:, :2].tolist()]
        near = data.near_side
        far = {"left": "right", "right": "left"}.get(near or "")
        order = (far, "centre", near) if near else ("left", "right", "centre")
        for group in order:
            if group is None:
                continue
            is_far = group == far
            color = SIDE_BGR[group]
            thick = sc.line_px
            if is_far:
                color = dim(color, self.far_factor)
                thick = max(1, round(sc.line_px * 0.6))
            outline = 0 if is_far else max(1, thick // 3)
            for a, b in _EDGES[group]:
                if seen[a] and seen[b]:
                    _line(frame, pts[a], pts[b], color, thick, outline)
            r = sc.joint_px if not is_far else max(2, round(sc.joint_px * 0.6))
            for lm in _JOINTS.get(group, ()):
                if seen[lm]:
                    c = to_px(pts[lm])
                    cv2.circle(frame, c, r + 1, BLACK, -1, cv2.LINE_AA)
                    cv2.circle(frame, c, r, color, -1, cv2.LINE_AA)
        return frame


_EDGES: dict[str, tuple[tuple[int, int], ...]] = {
    g: tuple((int(a), int(b)) for a, b, gg in SKELETON if gg == g)
    for g in ("left", "right", "centre")
}
_JOINTS: dict[str, tuple[Landmark, ...]] = {
    side: tuple(
        Landmark[f"{side.upper()}_{n}"]
        for n in ("SHOULDER", "ELBOW", "WRIST", "HIP", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX")
    )
    for side in ("left", "right")
}
_JOINTS["centre"] = (Landmark.NOSE,)


# ---------------------------------------------------------------------------------------
class AngleArcAnnotator:
    """Angles drawn where they were measured: an arc and the analyzer's value.

    Names are mapped to landmarks by :func:`formcheck.render.angles.arc_spec`;
    names without a drawing are skipped (the panel lists them). Tilts get a
    dashed vertical reference, flexion a dashed extension of the upper segment.
    """

    def __init__(
        self,
        color: tuple[int, int, int] = ARC_BGR,
        label: bool = True,
        label_scale: float = 1.0,
        label_bg_alpha: float = 0.65,
    ) -> None:
        """label_scale : label text height as a multiple of the frame's small text
        (the live picture is read from across a room). label_bg_alpha : opacity of
        the box behind a label (1 = solid, the highest contrast)."""
        self.color = color
        self.label = label
        self.label_scale = label_scale
        self.label_bg_alpha = label_bg_alpha

    def annotate(self, frame: np.ndarray, data: OverlayData) -> np.ndarray:
        if data.xyzv is None or not data.arcs:
            return frame
        sc = Scale.for_shape(*frame.shape[:2])
        placed: list[tuple[int, int, int, int]] = []
        # one arc per place: two names drawn on the same landmarks (a joint angle
        # and its deviation from straight) keep the name closest to the geometry
        chosen: dict[tuple[object, ...], tuple[int, str, float, ArcSpec, str]] = {}
        for name, value in data.arcs.items():
            if value is None or not math.isfinite(value):
                continue
            rule = arc_rule(name)
            if rule is None:
                continue
            order, spec = rule
            side = side_in_name(name) or data.arc_sides.get(name) or data.near_side or "left"
            place = (spec.kind, spec.points, side if spec.sided else None)
            if place not in chosen or order < chosen[place][0]:
                chosen[place] = (order, name, value, spec, side)
        for _order, _name, value, spec, side in chosen.values():
            refs = resolve_points(spec, side)
            pts = [landmark_xy(data.xyzv, r, 0.0) for r in refs]
            if any(p is None for p in pts):
                continue
            line = spec.kind == "joint" and spec.short in ("body", "hip")
            text = f"{spec.short} {whole(value)}°"
            self._draw(frame, sc, spec.kind, pts, text, placed, line)  # type: ignore[arg-type]
        return frame

    def _draw(
        self,
        img: np.ndarray,
        sc: Scale,
        kind: str,
        pts: Sequence[tuple[float, float]],
        text: str,
        placed: list[tuple[int, int, int, int]],
        straight_ref: bool = False,
    ) -> None:
        if kind == "joint":
            v, p1, p2 = pts[1], pts[0], pts[2]
            d1 = (p1[0] - v[0], p1[1] - v[1])
            d2 = (p2[0] - v[0], p2[1] - v[1])
            seg = min(math.hypot(*d1), math.hypot(*d2))
            ref_seg = None
        elif kind == "flexion":
            v = pts[1]
            d1 = (pts[1][0] - pts[0][0], pts[1][1] - pts[0][1])
            d2 = (pts[2][0] - v[0], pts[2][1] - v[1])
            seg = min(math.hypot(*d1), math.hypot(*d2))
            ref_seg = d1
        else:  # tilt
            v = pts[0]
            d2 = (pts[1][0] - v[0], pts[1][1] - v[1])
            seg = math.hypot(*d2)
            d1 = (0.0, -1.0)
            ref_seg = (0.0, -seg)
        if seg < 4:
            return
        thick = max(1, sc.line_px)
        dash = 4 * sc.unit + 3
        if straight_ref:  # where a straight body line would run (a -> c)
            _dashed(img, pts[0], pts[2], self.color, max(1, thick - 1), dash)
        radius = max(3 * sc.joint_px, min(0.3 * seg, 45 * sc.unit))
        a1 = math.degrees(math.atan2(d1[1], d1[0]))
        a2 = math.degrees(math.atan2(d2[1], d2[0]))
        diff = (a2 - a1 + 540.0) % 360.0 - 180.0
        if ref_seg is not None:
            n = math.hypot(*ref_seg)
            end = (v[0] + ref_seg[0] / n * seg * 0.8, v[1] + ref_seg[1] / n * seg * 0.8)
            _dashed(img, v, end, self.color, max(1, thick - 1), dash)
        r = round(radius)
        start, stop = sorted((a1, a1 + diff))
        cv2.ellipse(img, to_px(v), (r, r), 0.0, start, stop, BLACK, thick + 2, cv2.LINE_AA)
        cv2.ellipse(img, to_px(v), (r, r), 0.0, start, stop, self.color, thick, cv2.LINE_AA)
        if not self.label:
            return
        mid = math.radians(a1 + diff / 2)
        px = max(sc.small_px, round(sc.small_px * self.label_scale))
        tw, th = text_size(text, px)
        pad = max(2, px // 4)
        bw, bh = tw + 2 * pad, th + 2 * pad
        # try along the bisector, then the opposite way, further out each time
        for sign, k in ((1, 0), (1, 1), (-1, 0), (1, 2), (-1, 1), (1, 3)):
            dist = sign * (radius + px * (0.9 + 1.3 * k))
            cx, cy = v[0] + math.cos(mid) * dist, v[1] + math.sin(mid) * dist
            box = (round(cx - bw / 2), round(cy - bh / 2), round(cx + bw / 2), round(cy + bh / 2))
            if not any(_overlap(box, b) for b in placed):
                break
        placed.append(box)
        put_text(img, text, (cx, cy), px, self.color, anchor="cm", bg_alpha=self.label_bg_alpha)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# ---------------------------------------------------------------------------------------
class HipPathAnnotator:
    """The recent path of the hip midpoint, fading from old (thin, dim) to now."""

    def __init__(self, color: tuple[int, int, int] = PATH_BGR) -> None:
        self.color = color

    def annotate(self, frame: np.ndarray, data: OverlayData) -> np.ndarray:
        path = data.hip_path
        if path is None or len(path) < 2:
            return frame
        sc = Scale.for_shape(*frame.shape[:2])
        n = len(path)
        ok = np.isfinite(path).all(axis=1)
        # three age bands (old -> new: thinner and dimmer -> full), one polyline call each
        for band in range(3):
            lo, hi = band * (n - 1) // 3, (band + 1) * (n - 1) // 3 + 1
            f = (band + 1) / 3
            thick = max(1, round(sc.line_px * (0.4 + 0.6 * f)))
            color = dim(self.color, 0.35 + 0.65 * f)
            runs, cur = [], []
            for k in range(lo, min(hi, n)):
                if ok[k]:
                    cur.append(path[k])
                elif cur:
                    runs.append(cur)
                    cur = []
            if cur:
                runs.append(cur)
            lines = [np.round(np.asarray(r)).astype(np.int32) for r in runs if len(r) > 1]
            if lines:
                cv2.polylines(frame, lines, False, color, thick, cv2.LINE_AA)
        last = path[-1]
        if np.isfinite(last).all():
            cv2.circle(frame, to_px((last[0], last[1])), sc.joint_px, self.color, -1, cv2.LINE_AA)
        return frame
