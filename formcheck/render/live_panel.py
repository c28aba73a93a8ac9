"""The live heads-up panel: a big count or cadence, a few small lines, a warning, the cue.

Drawing only: the words and numbers come from the live session
(:mod:`formcheck.pipeline.live`). It is drawn with the annotated video's own pieces
(:mod:`formcheck.render.text`'s boxes and text, :class:`~formcheck.render.panels.CueAnnotator`
for the cue banner), so the live picture and the annotated video look alike.
"""

from __future__ import annotations

import numpy as np

from formcheck.render import annotate_live
from formcheck.render.overlay import OverlayData
from formcheck.render.panels import CueAnnotator, corner_top_y
from formcheck.render.style import BLACK, WHITE, Scale
from formcheck.render.text import fill_rect, put_text, text_size
from formcheck.results import FrameState

#: Red band behind a warning (BGR).
WARNING_BGR = (20, 20, 170)
#: Small lines' colour (BGR): a little softer than the headline.
LINE_BGR = (235, 235, 235)
#: Opacity of the panel's box: nearly solid, so the text stays sharp over a moving
#: body and through the video encoder (a see-through box left ghost copies of text).
PANEL_ALPHA = 0.85
#: The panel's text is this much larger than the annotated video's (read from 2-3 m).
PANEL_SCALE = 1.25
#: The panel is at least this share of the frame's width, so it does not change size
#: with each number (a box that jumps leaves offset copies of its text on the video).
PANEL_MIN_W = 0.3
#: Room kept above the panel for the cue banner, in banner lines: the panel stays in
#: one place whether a cue is shown or not.
CUE_LINES_KEPT = 2

_CUE = CueAnnotator()


def draw_panel(
    image: np.ndarray,
    headline: str,
    lines: list[str],
    cue: str | None = None,
    warning: str | None = None,
) -> np.ndarray:
    """The heads-up panel on ``image`` (uint8 BGR, drawn in place and returned).

    headline : the big text ("3 reps", "171 spm", "12 s hold").
    lines : small lines under it. cue : the coaching cue of the moment (a banner
    across the top, as in the annotated video). warning : a red band under the panel.
    Sizes follow the frame (:class:`~formcheck.render.style.Scale`), so it reads on
    480x360 and 1920x1080 alike.
    """
    sc = Scale.for_shape(*image.shape[:2])
    if cue:
        _CUE.annotate(image, OverlayData(frame=0, t_s=0.0, cue=cue))
    big, small = round(sc.big_px * PANEL_SCALE), round(sc.font_px * PANEL_SCALE)
    rows = [(headline, big, WHITE, True), *((t, small, LINE_BGR, False) for t in lines)]
    pad = max(3, small // 3)
    sizes = [text_size(t, px, bold) for t, px, _, bold in rows]
    widest = max(max(s[0] for s in sizes) + 2 * pad, round(PANEL_MIN_W * sc.width))
    w = min(widest, sc.width - 2 * sc.margin_px)
    h = sum(s[1] for s in sizes) + 2 * pad
    x, y = sc.margin_px, panel_top_y(sc)
    fill_rect(image, x, y, x + w, y + h, BLACK, PANEL_ALPHA)
    yy = y + pad
    for (t, px, color, bold), (_, th) in zip(rows, sizes, strict=True):
        put_text(image, t, (x + pad, yy), px, color, bold=bold, bg=None, pad=0, keep_inside=False)
        yy += th
    if warning:
        put_text(image, warning, (x, y + h + pad), sc.small_px, WHITE, bg=WARNING_BGR, bg_alpha=1.0)
    return image


def panel_top_y(sc: Scale) -> int:
    """Where the panel starts: below room for a cue banner of :data:`CUE_LINES_KEPT`
    lines, shown or not."""
    one_line = corner_top_y(sc, OverlayData(frame=0, t_s=0.0, cue="Mm"))
    return one_line + (CUE_LINES_KEPT - 1) * text_size("Mm", sc.big_px, True)[1]


def draw_pose(
    image: np.ndarray, xyzv: np.ndarray, state: FrameState | None, activity: str
) -> np.ndarray:
    """Skeleton and angle arcs by :func:`formcheck.render.annotate_live`, so the live
    picture matches the annotated video. Drawn in place; returns ``image``."""
    return annotate_live(image, xyzv, state, activity)
