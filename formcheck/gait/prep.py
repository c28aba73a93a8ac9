"""Smoothing of a running series: the same filters as :func:`formcheck.signal.clean_series`.

Only the image landmarks (x, y, z, visibility) are cleaned; the world landmarks,
which the running analysis does not read, are left out. Columns without gaps
(the usual case) are filtered in one call, which keeps a live window cheap;
columns with gaps go through :func:`formcheck.signal.lowpass_zero_phase`, run by
run, exactly as the shared cleaner does.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfiltfilt

from formcheck.pose.series import PoseSeries
from formcheck.signal import fill_gaps, lowpass_zero_phase

ORDER = 2


def smooth_series(series: PoseSeries, max_gap_s: float, cutoff_hz: float) -> PoseSeries:
    """Fill gaps up to ``max_gap_s`` and low-pass x, y, z at ``cutoff_hz`` (zero phase).

    Returns a new series (same frames and timestamps). Visibility is gap-filled,
    not smoothed. Frames in longer gaps stay NaN.
    """
    if series.n_frames < 4:
        return series
    xyzv = fill_gaps(series.xyzv, series.t_s, max_gap_s)
    coords = xyzv[..., :3].reshape(series.n_frames, -1)
    full = np.isfinite(coords).all(axis=0)
    fs = 1.0 / float(np.median(np.diff(series.t_s)))
    padlen = 3 * (2 * ORDER + 1)
    if 0 < cutoff_hz < 0.5 * fs * 0.98 and series.n_frames > padlen:
        sos = butter(ORDER, cutoff_hz, btype="low", fs=fs, output="sos")
        if full.any():
            coords[:, full] = sosfiltfilt(sos, coords[:, full], axis=0, padlen=padlen)
        if (~full).any():
            coords[:, ~full] = lowpass_zero_phase(coords[:, ~full], series.t_s, cutoff_hz, ORDER)
    xyzv[..., :3] = coords.reshape(series.n_frames, -1, 3)
    return PoseSeries(
        xyzv.astype(np.float32),
        series.t_s,
        series.width,
        series.height,
        series.world,
        series.frame_index,
    )
