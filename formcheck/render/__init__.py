"""Drawing on frames: skeleton, angle arcs, hip path, event markers, cue text; the video writer.

Draws only, computes nothing: every number comes from the analyzers, via
:class:`~formcheck.render.overlay.OverlayData`. Annotators are small classes
(style in ``__init__``, ``annotate(frame, data) -> frame``): the ones drawn on the body in
:mod:`formcheck.render.body`, markers and text in :mod:`formcheck.render.panels`, all of them
in order in :mod:`formcheck.render.frame`; :class:`~formcheck.render.video.AnnotatedVideoWriter`
writes browser-playable H.264 MP4.

:func:`annotate_live` is the entry point of the live paths (webcam app,
``formcheck live``): skeleton and angle arcs for one frame from the analyzer's
state, so the live picture matches the annotated video.
"""

from __future__ import annotations

import numpy as np

from formcheck.render.angles import arc_spec
from formcheck.render.body import AngleArcAnnotator, HipPathAnnotator, SkeletonAnnotator
from formcheck.render.frame import FrameAnnotator
from formcheck.render.overlay import Mark, OverlayData, Timeline
from formcheck.render.panels import (
    CueAnnotator,
    EventMarkerAnnotator,
    PanelAnnotator,
    TimelineAnnotator,
)
from formcheck.render.video import AnnotatedVideoWriter
from formcheck.results import FrameState

__all__ = [
    "AngleArcAnnotator",
    "AnnotatedVideoWriter",
    "CueAnnotator",
    "EventMarkerAnnotator",
    "FrameAnnotator",
    "HipPathAnnotator",
    "Mark",
    "OverlayData",
    "PanelAnnotator",
    "SkeletonAnnotator",
    "Timeline",
    "TimelineAnnotator",
    "annotate_live",
]

#: Angle labels on the live picture: half as large again as the annotated video's, on
#: a solid box, to be read from 2-3 m (the camera's distance) on a laptop screen.
LIVE_LABEL_SCALE = 1.5
_LIVE = FrameAnnotator(
    (SkeletonAnnotator(), AngleArcAnnotator(label_scale=LIVE_LABEL_SCALE, label_bg_alpha=1.0))
)


def annotate_live(
    image: np.ndarray, xyzv: np.ndarray | None, state: FrameState | None, activity: str
) -> np.ndarray:
    """Skeleton and angle arcs on ``image`` (uint8 BGR, drawn in place and returned).

    xyzv : float (33, 4) landmarks in pixels of ``image`` (NaN = no person).
    state : the live analyzer's state for this frame (its angles are drawn).
    activity : for running only trunk and head angles are drawn as arcs (the
    contact angles belong to contact moments, shown in the review); for
    exercises only joint angles (their segment tilts may be from the horizontal).
    """
    if xyzv is None or not np.isfinite(np.asarray(xyzv)[:, :2]).any():
        return image
    state = state or FrameState(frame=0, t_s=0.0)
    arcs = tuple(
        k
        for k in state.angles
        if (spec := arc_spec(k)) is not None
        and (
            spec.short in ("trunk", "head", "neck")
            if activity == "run"
            else spec.kind != "tilt"  # exercise tilts may be from the horizontal
        )
    )
    data = OverlayData.from_state(np.asarray(xyzv, np.float32), state, arcs=arcs)
    return _LIVE.annotate(image, data)
