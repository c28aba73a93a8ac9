"""Frames made smaller right after decoding, for a consumer that needs no more pixels.

The pose pass does not gain from more pixels than its model looks at
(:data:`formcheck.pose.estimator.POSE_MAX_SIDE_PX`), while a 4K frame costs 25 MB
in BGR, again in RGB for the model, and again in the model's own copy, per pose
thread. :class:`~formcheck.video.reader.VideoReader` (``max_side=...``) gives
frames of at most :func:`fit_long_side`'s size: a video larger than that is
converted straight to it while decoding (:mod:`formcheck.video.shrunk`), a still
image is shrunk with :func:`shrink`, so what the pose pass holds does not grow
with the clip's resolution.
"""

from __future__ import annotations

import cv2
import numpy as np


def fit_long_side(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """Size (width, height) with the long side at most ``max_side``, aspect kept.

    The size itself when it already fits (or ``max_side`` is None or 0 or less):
    a frame is never enlarged. Otherwise the long side becomes ``max_side`` and the
    short side is rounded to the nearest pixel (at least 1).
    """
    long = max(width, height)
    if max_side is None or max_side <= 0 or long <= max_side:
        return width, height
    f = max_side / long
    if width >= height:
        return max_side, max(1, round(height * f))
    return max(1, round(width * f)), max_side


def shrink(image: np.ndarray, max_side: int | None) -> np.ndarray:
    """``image`` with its long side at most ``max_side`` (:func:`fit_long_side`),
    resized with ``INTER_AREA`` (averages the pixels it drops: no aliasing);
    the image itself when it already fits."""
    h, w = image.shape[:2]
    size = fit_long_side(w, h, max_side)
    if size == (w, h):
        return image
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)
