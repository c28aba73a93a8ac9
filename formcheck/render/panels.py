"""Annotators of events and text: event markers, the timeline strip, the corner
panel and the cue banner (corner text starts below the banner).

Each annotator has its style set in ``__init__`` and one method,
``annotate(frame, data) -> frame``, which draws on ``frame`` (a copy the caller
owns: uint8 BGR, shape (height, width, 3)) and returns it. Sizes come from the
frame's size (:class:`~formcheck.render.style.Scale`), so the same annotator
reads well on a 720x1280 portrait phone clip and a 480x360 one. They draw
only: every number shown is read from :class:`~formcheck.render.overlay.OverlayData`.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from formcheck.cues.format import fmt_shown
from formcheck.cues.judge import form_status
from formcheck.render.angles import pretty_name
from formcheck.render.body import to_px
from formcheck.render.overlay import Mark, OverlayData
from formcheck.render.style import ARC_BGR, BLACK, CONTACT_BGR, SIDE_BGR, STATUS_BGR, WHITE, Scale
from formcheck.render.text import fill_rect, put_text, text_size


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
        banner_y = corner_top_y(sc, data)
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
        c = to_px(m.xy)
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
            status = form_status(data.form) or "good"
            lines.append((data.form.replace("_", " "), STATUS_BGR[status], True))
        elif data.phase:
            lines.append((data.phase.replace("_", " "), (220, 220, 220), False))
        shown = 0
        for name, value in data.angles.items():
            if shown >= self.max_angles or value is None or not math.isfinite(value):
                continue
            label, unit = pretty_name(name)
            lines.append((f"{label} {fmt_shown(value, unit)}", ARC_BGR, False))
            shown += 1
        px = sc.font_px
        pad = max(3, px // 3)
        sizes = [text_size(t, px, b) for t, _, b in lines]
        w = max(s[0] for s in sizes) + 2 * pad
        h = sum(s[1] for s in sizes) + 2 * pad
        x, y = sc.margin_px, corner_top_y(sc, data)
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


def corner_top_y(sc: Scale, data: OverlayData) -> int:
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
