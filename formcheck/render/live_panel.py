"""The live heads-up panel, drawn on a frame: big count or cadence, small lines, the cue.

Drawing only, no computation: the numbers come from the analyzer's
:class:`~formcheck.results.FrameState` / :class:`~formcheck.live.LiveUpdate`.
``formcheck.render`` draws the skeleton and the angle arcs (so the live
picture matches the annotated video); this module adds the live heads-up panel
(rep count / hold time / running numbers and the current cue), which only the
live paths need.
"""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.render import annotate_live
from formcheck.results import FrameState

CUE_BG = (20, 20, 170)  # red panel for a cue


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
    # darken the panel's box only (a 45 % black blend = scaling by 0.55), not a
    # copy of the whole frame per frame
    image[: box_h + 1, : box_w + 1] = cv2.convertScaleAbs(
        image[: box_h + 1, : box_w + 1], alpha=0.55
    )
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


def draw_pose(
    image: np.ndarray, xyzv: np.ndarray, state: FrameState | None, activity: str
) -> np.ndarray:
    """Skeleton and angle arcs by :func:`formcheck.render.annotate_live`, so the live
    picture matches the annotated video. Drawn in place; returns ``image``."""
    return annotate_live(image, xyzv, state, activity)
