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

import numpy as np

from formcheck.pose.series import PoseSeries
from formcheck.signal.filters import fill_and_lowpass


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
