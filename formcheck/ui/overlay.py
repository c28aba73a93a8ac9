"""Live overlays: skeleton, angles and a heads-up panel drawn on a frame copy.

Drawing only, no computation: the numbers come from the analyzer's
:class:`~formcheck.results.FrameState` / :class:`~formcheck.live.LiveUpdate`.
When ``formcheck.render`` provides its annotators they draw the skeleton and
the angle arcs (so the live picture matches the annotated video); this module
keeps a small fallback skeleton and always draws the live heads-up panel (rep
count / hold time / running numbers and the current cue), which only the live
paths need.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable

import cv2
import numpy as np

from formcheck.pose.landmarks import SKELETON, Landmark
from formcheck.results import FrameState

#: Landmarks less visible than this are not drawn (MediaPipe visibility, 0-1).
MIN_VISIBILITY = 0.5

NEAR = (60, 220, 255)  # BGR amber: the side nearer the camera
FAR = (200, 140, 60)  # BGR muted blue: the far side
CENTRE = (235, 235, 235)
CUE_BG = (20, 20, 170)  # red panel for a cue


def _near_side(xyzv: np.ndarray) -> str | None:
    """'left' or 'right': the side whose hip and shoulder have the smaller z (nearer)."""
    zl = np.nanmean(xyzv[[Landmark.LEFT_HIP, Landmark.LEFT_SHOULDER], 2])
    zr = np.nanmean(xyzv[[Landmark.RIGHT_HIP, Landmark.RIGHT_SHOULDER], 2])
    if not (np.isfinite(zl) and np.isfinite(zr)):
        return None
    return "left" if zl < zr else "right"


def draw_skeleton(image: np.ndarray, xyzv: np.ndarray) -> np.ndarray:
    """Draw the skeleton in place; near side amber, far side blue. Returns ``image``.

    xyzv : float (33, 4), pixels of ``image``; NaN = no person (nothing drawn).
    """
    if xyzv is None or not np.isfinite(xyzv[0, 0]):
        return image
    h, w = image.shape[:2]
    thick = max(2, round(min(h, w) / 180))
    near = _near_side(xyzv)
    for a, b, side in SKELETON:
        pa, pb = xyzv[a], xyzv[b]
        if min(pa[3], pb[3]) < MIN_VISIBILITY or not np.all(
            np.isfinite(pa[:2]) & np.isfinite(pb[:2])
        ):
            continue
        colour = CENTRE if side == "centre" else (NEAR if side == near or near is None else FAR)
        cv2.line(
            image,
            (int(pa[0]), int(pa[1])),
            (int(pb[0]), int(pb[1])),
            colour,
            thick if side != near else thick + 1,
            cv2.LINE_AA,
        )
    for lm in Landmark:
        p = xyzv[lm]
        if p[3] >= MIN_VISIBILITY and np.all(np.isfinite(p[:2])):
            cv2.circle(image, (int(p[0]), int(p[1])), thick + 1, (255, 255, 255), -1, cv2.LINE_AA)
    return image


def _text(
    image: np.ndarray,
    text: str,
    org: tuple[int, int],
    scale: float,
    colour: tuple[int, int, int] = (255, 255, 255),
    thick: int = 2,
) -> None:
    cv2.putText(
        image, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thick + 3, cv2.LINE_AA
    )
    cv2.putText(image, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thick, cv2.LINE_AA)


def draw_panel(
    image: np.ndarray,
    headline: str,
    lines: list[str],
    cue: str | None = None,
    warning: str | None = None,
) -> np.ndarray:
    """The heads-up panel: a big headline (reps / hold / cadence), small lines, the cue.

    Sizes scale with the frame so it reads on 480x360 and 1920x1080 alike.
    """
    h, w = image.shape[:2]
    s = min(h, w) / 360.0
    pad = int(8 * s)
    font = cv2.FONT_HERSHEY_SIMPLEX
    widths = [cv2.getTextSize(headline, font, 1.1 * s, max(2, int(2 * s)))[0][0]]
    widths += [cv2.getTextSize(t, font, 0.62 * s, max(1, int(s)))[0][0] for t in lines]
    box_w = int(min(w * 0.9, max(widths) + 2 * pad + 4))
    box_h = int((48 + 24 * len(lines)) * s)
    overlay = image.copy()
    cv2.rectangle(overlay, (0, 0), (box_w, box_h), (0, 0, 0), -1)
    cv2.addWeighted(overlay, 0.45, image, 0.55, 0, image)
    _text(image, headline, (pad, int(36 * s)), 1.1 * s, (255, 255, 255), max(2, int(2 * s)))
    for i, line in enumerate(lines):
        _text(image, line, (pad, int((64 + 24 * i) * s)), 0.62 * s, (235, 235, 235), max(1, int(s)))
    if cue:
        band = int(34 * s)
        cv2.rectangle(image, (0, h - band), (w, h), CUE_BG, -1)
        _text(image, cue, (pad, h - int(10 * s)), 0.7 * s, (255, 255, 255), max(1, int(2 * s)))
    if warning:
        band = int(26 * s)
        y0 = box_h + int(4 * s)
        cv2.rectangle(image, (0, y0), (w, y0 + band), (0, 0, 160), -1)
        _text(image, warning, (pad, y0 + int(18 * s)), 0.5 * s, (255, 255, 255), max(1, int(s)))
    return image


def _render_annotator() -> Callable[[np.ndarray, np.ndarray, FrameState, str], np.ndarray] | None:
    """formcheck.render's live drawing function, when that module provides one."""
    with contextlib.suppress(ImportError):
        render = importlib.import_module("formcheck.render")
        for name in ("annotate_live", "annotate_frame", "draw_frame"):
            fn = getattr(render, name, None)
            if callable(fn):
                return fn  # type: ignore[no-any-return]
    return None


def draw_pose(
    image: np.ndarray, xyzv: np.ndarray, state: FrameState | None, activity: str
) -> np.ndarray:
    """Skeleton and angles, by formcheck.render when available, else the fallback."""
    fn = _render_annotator()
    if fn is not None and state is not None:
        try:
            out = fn(image, xyzv, state, activity)
            if isinstance(out, np.ndarray):
                return out
        except TypeError:
            pass  # a different signature than expected: fall back
    return draw_skeleton(image, xyzv)
