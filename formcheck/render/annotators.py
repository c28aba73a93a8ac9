"""Annotators: small classes that draw one kind of overlay on a frame.

Each has its style set in ``__init__`` and one method,
``annotate(frame, data) -> frame``, which draws on ``frame`` (a copy the caller
owns: uint8 BGR, shape (height, width, 3)) and returns it. Sizes come from the
frame's size (:class:`~formcheck.render.style.Scale`), so the same annotator
reads well on a 720x1280 portrait phone clip and a 480x360 one. They draw
only: every number shown is read from :class:`OverlayData`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import cv2
import numpy as np

from formcheck.pose.landmarks import SKELETON, Landmark
from formcheck.render.angles import ArcSpec, arc_rule, pretty_name, resolve_points, side_in_name
from formcheck.render.overlay import (
    GOOD_FORMS,
    MIN_VISIBILITY,
    Mark,
    OverlayData,
    landmark_xy,
)
from formcheck.render.style import (
    ARC_BGR,
    BLACK,
    CONTACT_BGR,
    PATH_BGR,
    SIDE_BGR,
    STATUS_BGR,
    WHITE,
    Scale,
    dim,
)
from formcheck.render.text import fill_rect, put_text, text_size


class Annotator(Protocol):
    def annotate(self, frame: np.ndarray, data: OverlayData) -> np.ndarray: ...


def _int(v: float) -> str:
    """A value rounded to a whole number, without a "-0"."""
    s = f"{v:.0f}"
    return "0" if s == "-0" else s


def _pt(xy: tuple[float, float]) -> tuple[int, int]:
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
        cv2.line(img, _pt(a), _pt(b), BLACK, thickness + 2 * outline, cv2.LINE_AA)
    cv2.line(img, _pt(a), _pt(b), color, thickness, cv2.LINE_AA)


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
            _pt((ax + dx * s0, ay + dy * s0)),
            _pt((ax + dx * s1, ay + dy * s1)),
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
                    c = _pt(pts[lm])
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

    def __init__(self, color: tuple[int, int, int] = ARC_BGR, label: bool = True) -> None:
        self.color = color
        self.label = label

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
            text = f"{spec.short} {_int(value)}°"
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
        cv2.ellipse(img, _pt(v), (r, r), 0.0, start, stop, BLACK, thick + 2, cv2.LINE_AA)
        cv2.ellipse(img, _pt(v), (r, r), 0.0, start, stop, self.color, thick, cv2.LINE_AA)
        if not self.label:
            return
        mid = math.radians(a1 + diff / 2)
        tw, th = text_size(text, sc.small_px)
        pad = max(2, sc.small_px // 4)
        bw, bh = tw + 2 * pad, th + 2 * pad
        # try along the bisector, then the opposite way, further out each time
        for sign, k in ((1, 0), (1, 1), (-1, 0), (1, 2), (-1, 1), (1, 3)):
            dist = sign * (radius + sc.small_px * (0.9 + 1.3 * k))
            cx, cy = v[0] + math.cos(mid) * dist, v[1] + math.sin(mid) * dist
            box = (round(cx - bw / 2), round(cy - bh / 2), round(cx + bw / 2), round(cy + bh / 2))
            if not any(_overlap(box, b) for b in placed):
                break
        placed.append(box)
        put_text(img, text, (cx, cy), sc.small_px, self.color, anchor="cm", bg_alpha=0.65)


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
            cv2.circle(frame, _pt((last[0], last[1])), sc.joint_px, self.color, -1, cv2.LINE_AA)
        return frame


# ---------------------------------------------------------------------------------------
class EventMarkerAnnotator:
    """Markers for events near this frame: foot contacts, toe-offs, rep tops, holds.

    An initial contact is a magenta ring centred on the foot where it landed,
    labelled with the side; it stays ``show_s`` seconds after the contact. A
    toe-off is a small side-coloured triangle; a rep top a badge at the hip;
    other events a short line of text.
    """

    def __init__(self, show_s: float = 0.2, color: tuple[int, int, int] = CONTACT_BGR) -> None:
        self.show_s = show_s
        self.color = color

    def annotate(self, frame: np.ndarray, data: OverlayData) -> np.ndarray:
        sc = Scale.for_shape(*frame.shape[:2])
        banner_y = _top_y(sc, data)
        for m in data.marks:
            if m.dt_s < -1e-9 or m.dt_s > self.show_s:
                continue
            if m.kind == "initial_contact":
                self._contact(frame, sc, m)
            elif m.kind == "toe_off":
                self._toe_off(frame, sc, m)
            elif m.kind.startswith("rep") and m.xy is not None:
                text = m.label or m.kind.replace("_", " ")
                put_text(
                    frame,
                    text,
                    (m.xy[0], m.xy[1] - 3.2 * sc.font_px),
                    sc.font_px,
                    WHITE,
                    bold=True,
                    anchor="cb",
                    bg=STATUS_BGR["ok"],
                    bg_alpha=0.85,
                )
            else:
                text = m.label or m.kind.replace("_", " ").capitalize()
                box = put_text(
                    frame,
                    text,
                    (sc.width - sc.margin_px, banner_y),
                    sc.font_px,
                    WHITE,
                    anchor="rt",
                    bg_alpha=0.7,
                )
                banner_y = box[3] + sc.margin_px // 2
        return frame

    def _contact(self, img: np.ndarray, sc: Scale, m: Mark) -> None:
        if m.xy is None:
            return
        r = max(6, round(16 * sc.unit))
        c = _pt(m.xy)
        cv2.circle(img, c, r, BLACK, sc.line_px + 2, cv2.LINE_AA)
        cv2.circle(img, c, r, self.color, sc.line_px, cv2.LINE_AA)
        cv2.circle(img, c, max(2, sc.joint_px // 2 + 1), self.color, -1, cv2.LINE_AA)
        side = (m.side or "")[:1].upper()
        text = f"{side} contact" if side else "contact"
        if m.label:
            text += f" {m.label}"
        color = SIDE_BGR.get(m.side or "", WHITE)
        put_text(
            img,
            text,
            (m.xy[0], m.xy[1] + r + sc.line_px + 2),
            sc.small_px,
            color,
            bold=True,
            anchor="ct",
            bg_alpha=0.75,
        )

    def _toe_off(self, img: np.ndarray, sc: Scale, m: Mark) -> None:
        if m.xy is None:
            return
        s = max(4, round(10 * sc.unit))
        x, y = m.xy
        tri = np.array([[x, y - s], [x - s, y + s * 0.7], [x + s, y + s * 0.7]], np.float64)
        color = SIDE_BGR.get(m.side or "", WHITE)
        cv2.fillConvexPoly(img, np.round(tri).astype(np.int32), color, cv2.LINE_AA)
        cv2.polylines(img, [np.round(tri).astype(np.int32)], True, BLACK, 1, cv2.LINE_AA)


# ---------------------------------------------------------------------------------------
class TimelineAnnotator:
    """A strip along the bottom: the whole clip, its events and where we are.

    Contacts are ticks above the line (left foot) or below it (right foot),
    rep tops full-height white ticks, flagged ranges red bands; a white
    playhead marks this frame.
    """

    def __init__(self, alpha: float = 0.6) -> None:
        self.alpha = alpha

    def annotate(self, frame: np.ndarray, data: OverlayData) -> np.ndarray:
        tl = data.timeline
        if tl is None or not tl.t1_s > tl.t0_s:
            return frame
        sc = Scale.for_shape(*frame.shape[:2])
        h = max(14, round(sc.small_px * 1.6))
        y0 = sc.height - h - sc.margin_px // 2
        x0, x1 = sc.margin_px, sc.width - sc.margin_px
        fill_rect(frame, x0, y0, x1, y0 + h, BLACK, self.alpha)
        span = tl.t1_s - tl.t0_s

        def x_of(t: float) -> int:
            return round(x0 + (x1 - x0) * min(max((t - tl.t0_s) / span, 0.0), 1.0))

        for a, b in tl.flags_s:
            fill_rect(
                frame, x_of(a), y0, max(x_of(b), x_of(a) + 1), y0 + h, STATUS_BGR["flag"], 0.6
            )
        mid = y0 + h // 2
        cv2.line(frame, (x0, mid), (x1, mid), (150, 150, 150), 1, cv2.LINE_AA)
        for t, kind, side in tl.ticks:
            x = x_of(t)
            if kind == "initial_contact":
                ya, yb = (y0 + 2, mid) if side != "right" else (mid, y0 + h - 2)
                cv2.line(
                    frame,
                    (x, ya),
                    (x, yb),
                    SIDE_BGR.get(side or "", WHITE),
                    max(1, sc.line_px - 1),
                    cv2.LINE_AA,
                )
            elif kind.startswith("rep"):
                cv2.line(
                    frame, (x, y0 + 1), (x, y0 + h - 1), WHITE, max(1, sc.line_px), cv2.LINE_AA
                )
            elif kind != "toe_off":
                cv2.line(
                    frame, (x, y0 + h // 4), (x, y0 + 3 * h // 4), (200, 200, 200), 1, cv2.LINE_AA
                )
        xp = x_of(data.t_s)
        cv2.line(frame, (xp, y0 - 3), (xp, y0 + h + 2), BLACK, sc.line_px + 2, cv2.LINE_AA)
        cv2.line(frame, (xp, y0 - 3), (xp, y0 + h + 2), WHITE, sc.line_px, cv2.LINE_AA)
        return frame


# ---------------------------------------------------------------------------------------
def _fmt_value(v: float, unit: str) -> str:
    if unit.strip() in ("steps/min", "ms"):
        return f"{_int(v)}{unit}"
    if unit.strip() in ("leg lengths",):
        return f"{v:.2f}{unit}"
    return f"{_int(v)}{unit}" if abs(v) >= 10 or unit == "°" else f"{v:.1f}{unit}"


class PanelAnnotator:
    """A panel in the top-left corner: time, phase or form, reps, hold, angles.

    max_angles : at most this many angles are listed (the first ones given).
    """

    def __init__(self, max_angles: int = 4, alpha: float = 0.6) -> None:
        self.max_angles = max_angles
        self.alpha = alpha

    def annotate(self, frame: np.ndarray, data: OverlayData) -> np.ndarray:
        sc = Scale.for_shape(*frame.shape[:2])
        lines: list[tuple[str, tuple[int, int, int], bool]] = []
        head = f"{data.t_s:6.2f} s"
        if data.title:
            head = f"{data.title}  {head.strip()}"
        lines.append((head, WHITE, True))
        if data.reps is not None:
            lines.append((f"Reps {data.reps}", WHITE, True))
        if data.hold_s is not None:
            lines.append((f"Hold {data.hold_s:.1f} s", WHITE, True))
        if data.form:
            ok = data.form in GOOD_FORMS
            lines.append((data.form.replace("_", " "), STATUS_BGR["ok" if ok else "flag"], True))
        elif data.phase:
            lines.append((data.phase.replace("_", " "), (220, 220, 220), False))
        shown = 0
        for name, value in data.angles.items():
            if shown >= self.max_angles or value is None or not math.isfinite(value):
                continue
            label, unit = pretty_name(name)
            lines.append((f"{label} {_fmt_value(value, unit)}", ARC_BGR, False))
            shown += 1
        px = sc.font_px
        pad = max(3, px // 3)
        sizes = [text_size(t, px, b) for t, _, b in lines]
        w = max(s[0] for s in sizes) + 2 * pad
        h = sum(s[1] for s in sizes) + 2 * pad
        x, y = sc.margin_px, _top_y(sc, data)
        w = min(w, sc.width - 2 * sc.margin_px)
        fill_rect(frame, x, y, x + w, y + h, BLACK, self.alpha)
        yy = y + pad
        for (t, color, bold), (_, th) in zip(lines, sizes, strict=True):
            put_text(
                frame, t, (x + pad, yy), px, color, bold=bold, bg=None, pad=0, keep_inside=False
            )
            yy += th
        return frame


class CueAnnotator:
    """The coaching cue of the moment, large, in a banner across the top."""

    def __init__(self, color: tuple[int, int, int] = (60, 220, 255), alpha: float = 0.8) -> None:
        self.color = color
        self.alpha = alpha

    def annotate(self, frame: np.ndarray, data: OverlayData) -> np.ndarray:
        if not data.cue:
            return frame
        sc = Scale.for_shape(*frame.shape[:2])
        lines, sizes, pad, w, h = _cue_layout(sc, data.cue)
        x0, y0 = (sc.width - w) // 2, sc.margin_px // 2
        fill_rect(frame, x0, y0, x0 + w, y0 + h, (30, 30, 30), self.alpha)
        cv2.rectangle(frame, (x0, y0), (x0 + w, y0 + h), self.color, max(1, sc.line_px - 1))
        yy = y0 + pad
        for t, (tw, th) in zip(lines, sizes, strict=True):
            put_text(
                frame,
                t,
                (x0 + (w - tw) // 2, yy),
                sc.big_px,
                self.color,
                bold=True,
                bg=None,
                pad=0,
                keep_inside=False,
            )
            yy += th
        return frame


def _cue_layout(sc: Scale, cue: str) -> tuple[list[str], list[tuple[int, int]], int, int, int]:
    """Lines, their sizes, padding, width and height of the cue banner."""
    px = sc.big_px
    lines = _wrap(cue, px, int(sc.width * 0.9))
    sizes = [text_size(t, px, True) for t in lines]
    pad = max(4, px // 3)
    w = max(s[0] for s in sizes) + 2 * pad
    h = sum(s[1] for s in sizes) + 2 * pad
    return lines, sizes, pad, w, h


def _top_y(sc: Scale, data: OverlayData) -> int:
    """Where corner text starts: below the cue banner when there is one."""
    if not data.cue:
        return sc.margin_px
    return sc.margin_px // 2 + _cue_layout(sc, data.cue)[4] + sc.margin_px // 2


def _wrap(text: str, px: int, max_w: int) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        trial = f"{cur} {w}".strip()
        if cur and text_size(trial, px, True)[0] > max_w:
            lines.append(cur)
            cur = w
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines or [text]


# ---------------------------------------------------------------------------------------
class FrameAnnotator:
    """All overlays in drawing order (path under skeleton, text on top)."""

    def __init__(self, annotators: Sequence[Annotator] | None = None) -> None:
        self.annotators: tuple[Annotator, ...] = tuple(
            annotators
            if annotators is not None
            else (
                HipPathAnnotator(),
                SkeletonAnnotator(),
                AngleArcAnnotator(),
                EventMarkerAnnotator(),
                TimelineAnnotator(),
                PanelAnnotator(),
                CueAnnotator(),
            )
        )

    def annotate(self, frame: np.ndarray, data: OverlayData) -> np.ndarray:
        for a in self.annotators:
            frame = a.annotate(frame, data)
        return frame
