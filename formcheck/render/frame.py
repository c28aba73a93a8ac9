"""All annotators of a frame, in drawing order (:class:`FrameAnnotator`).

An annotator is anything with ``annotate(frame, data) -> frame``
(:class:`Annotator`): the ones drawn on the body are in
:mod:`formcheck.render.body`, event markers and text in :mod:`formcheck.render.panels`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from formcheck.render.body import AngleArcAnnotator, HipPathAnnotator, SkeletonAnnotator
from formcheck.render.overlay import OverlayData
from formcheck.render.panels import (
    CueAnnotator,
    EventMarkerAnnotator,
    PanelAnnotator,
    TimelineAnnotator,
)


class Annotator(Protocol):
    def annotate(self, frame: np.ndarray, data: OverlayData) -> np.ndarray: ...


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
