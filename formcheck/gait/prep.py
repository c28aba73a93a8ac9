"""Smoothing of a running series with the shared filters of :mod:`formcheck.signal`.

Only the image landmarks (x, y, z, visibility) are cleaned; the world landmarks,
which the running analysis does not read, are left out (that is the difference
from :func:`formcheck.signal.clean_series`). Columns sharing a gap pattern are
filtered in one vectorised call by the shared filters, which keeps a live window
cheap; a long clip is filtered a few landmarks at a time
(:func:`formcheck.signal.filters.fill_and_lowpass`), so its float64 work copies
do not grow with its length.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from formcheck.kinematics import leg_length_px
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries
from formcheck.signal.filters import fill_and_lowpass

#: Shots whose leg lengths differ by less than this (relative) are left as they are.
SAME_SCALE = 0.02
#: A shot with fewer frames with a pose than this has no leg length of its own.
MIN_SHOT_FRAMES = 10


def smooth_series(series: PoseSeries, max_gap_s: float, cutoff_hz: float) -> PoseSeries:
    """Fill gaps up to ``max_gap_s`` and low-pass x, y, z at ``cutoff_hz`` (zero phase).

    Returns a new series (same frames and timestamps). Visibility is gap-filled,
    not smoothed. Frames in longer gaps stay NaN.
    """
    if series.n_frames < 4:
        return series
    xyzv = fill_and_lowpass(series.xyzv, series.t_s, max_gap_s, cutoff_hz, 3, np.float32)
    return PoseSeries(
        xyzv,
        series.t_s,
        series.width,
        series.height,
        series.world,
        series.frame_index,
    )


def one_scale_per_shot(series: PoseSeries) -> PoseSeries:
    """An edited clip's shots brought to one image scale.

    A cut to a closer camera, or to a smaller or farther person, changes what a pixel
    is worth mid-clip, while the running lengths (overstride, bounce) are read over
    one leg length for the whole clip: without this, one shot's scale leaks into the
    other's numbers. Each shot's image landmarks (x, y, and z, which is in x's
    units) are scaled about that shot's median hip midpoint so that its leg length
    (:func:`formcheck.kinematics.leg_length_px`) is that of the shot with the most
    frames with a pose. Angles and times do not change. A clip of one shot, and a shot
    with too few poses to measure its leg, are left as they are.
    """
    if not series.cuts_s or series.n_frames == 0:
        return series
    t = series.t_s
    edges = (-np.inf, *series.cuts_s, np.inf)
    shots = [(t >= a) & (t < b) for a, b in pairwise(edges)]
    counts = [int((m & series.present).sum()) for m in shots]
    legs = [
        leg_length_px(PoseSeries(series.xyzv[m], t[m], series.width, series.height))
        if n >= MIN_SHOT_FRAMES
        else float("nan")
        for m, n in zip(shots, counts, strict=True)
    ]
    ref = legs[int(np.argmax(counts))]
    if not np.isfinite(ref):
        return series
    xyzv = series.xyzv.copy()
    hips = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    for m, leg in zip(shots, legs, strict=True):
        k = ref / leg if np.isfinite(leg) and leg > 0 else 1.0
        if abs(k - 1.0) < SAME_SCALE:
            continue
        centre = np.nanmedian(hips[m], axis=0)
        xyzv[m, :, :2] = centre + (xyzv[m, :, :2] - centre) * k
        xyzv[m, :, 2] *= k
    return PoseSeries(
        xyzv, t, series.width, series.height, series.world, series.frame_index, series.cuts_s
    )
