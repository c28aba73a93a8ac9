"""Smoothing of a running series with the shared filters of :mod:`formcheck.signal`.

Only the image landmarks (x, y, z, visibility) are cleaned; the world landmarks,
which the running analysis does not read, are left out (that is the difference
from :func:`formcheck.signal.clean_series`). Columns sharing a gap pattern are
filtered in one vectorised call by the shared filters, which keeps a live window
cheap.
"""

from __future__ import annotations

import numpy as np

from formcheck.pose.series import PoseSeries
from formcheck.signal import fill_gaps, lowpass_zero_phase


def smooth_series(series: PoseSeries, max_gap_s: float, cutoff_hz: float) -> PoseSeries:
    """Fill gaps up to ``max_gap_s`` and low-pass x, y, z at ``cutoff_hz`` (zero phase).

    Returns a new series (same frames and timestamps). Visibility is gap-filled,
    not smoothed. Frames in longer gaps stay NaN.
    """
    if series.n_frames < 4:
        return series
    xyzv = fill_gaps(series.xyzv, series.t_s, max_gap_s)
    xyzv[..., :3] = lowpass_zero_phase(xyzv[..., :3], series.t_s, cutoff_hz)
    return PoseSeries(
        xyzv.astype(np.float32),
        series.t_s,
        series.width,
        series.height,
        series.world,
        series.frame_index,
    )
