"""The live picture reads from across a room and holds still (issue 20, item 4).

The panel stays in one place and one size whatever it says and whether a cue is
shown (a box that moves or resizes each frame left offset copies of its text on
the streamed video), and the angle labels of the live picture are larger than the
annotated video's and on a solid box.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.render import annotate_live
from formcheck.render.body import AngleArcAnnotator
from formcheck.render.frame import FrameAnnotator
from formcheck.render.live_panel import draw_panel, panel_top_y
from formcheck.render.overlay import OverlayData
from formcheck.render.style import Scale
from formcheck.results import FrameState
from tests.unit.test_render import blank, standing

LEVEL = 200  # a light background: the panel's box is the dark area on it


def _panel_box(img: np.ndarray, top: int) -> tuple[int, int, int, int]:
    """Bounds (x0, y0, x1, y1) of the dark box from row ``top`` down."""
    dark = img[top:, :, :].max(axis=2) < 60
    ys, xs = np.nonzero(dark)
    return int(xs.min()), int(ys.min()) + top, int(xs.max()), int(ys.max()) + top


@pytest.mark.parametrize(("h", "w"), [(360, 640), (480, 640), (720, 1280), (640, 360)])
def test_the_panel_holds_still(h: int, w: int) -> None:
    top = panel_top_y(Scale.for_shape(h, w))
    boxes = {
        _panel_box(draw_panel(blank(h, w, LEVEL), head, ["phase: top"], cue=cue), top)
        for head, cue in (
            ("3 reps", None),
            ("13 reps", None),
            ("13 reps", "Hold the top for a second."),
            ("7 reps", "Push your hips up until shoulders, hips and knees line up."),
        )
    }
    assert len(boxes) == 1, boxes
    (box,) = boxes
    assert box[1] == top  # nothing of the cue banner reaches the panel


def _label(img: np.ndarray, without: np.ndarray) -> tuple[int, float]:
    """(pixels the label drew, the share of them that is pure black)."""
    drawn = np.any(img != without, axis=2)
    black = np.all(img == 0, axis=2)
    return int(drawn.sum()), float(black[drawn].mean())


def test_live_angle_labels_are_larger_and_solid() -> None:
    h, w = 480, 640
    xyzv = standing(h, w)
    name = "shoulder_hip_knee_left_deg"
    state = FrameState(3, 0.1, angles={name: 150.0})
    data = OverlayData.from_state(xyzv, state, arcs=(name,))
    no_label = FrameAnnotator((AngleArcAnnotator(label=False),))
    # the live picture: skeleton and labelled arc; the same without the label
    live = annotate_live(blank(h, w, LEVEL), xyzv, state, "glute-bridge")
    skeleton = annotate_live(blank(h, w, LEVEL), xyzv, FrameState(3, 0.1), "glute-bridge")
    live_n, live_black = _label(live, no_label.annotate(skeleton, data))
    # the annotated video's label
    video = FrameAnnotator((AngleArcAnnotator(),)).annotate(blank(h, w, LEVEL), data)
    video_n, video_black = _label(video, no_label.annotate(blank(h, w, LEVEL), data))
    assert live_n > 1.8 * video_n, (live_n, video_n)  # 1.5x the text height: 2.25x the area
    # a solid box (its pixels black) rather than one that lets the picture through
    assert live_black > 0.5 > video_black, (live_black, video_black)
