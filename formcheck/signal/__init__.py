"""Signal conditioning of pose series: gap filling and smoothing in physical units."""

from __future__ import annotations

import numpy as np

from formcheck.pose.series import PoseSeries
from formcheck.signal.filters import (
    CausalLowpass,
    fill_and_lowpass,
    fill_gaps,
    lowpass_zero_phase,
    nan_runs,
)


def clean_series(series: PoseSeries, max_gap_s: float, cutoff_hz: float) -> PoseSeries:
    """Fill short gaps, then smooth x, y, z with a zero-phase low-pass.

    Visibility is gap-filled but not smoothed. Frames in gaps longer than
    ``max_gap_s`` stay NaN. Returns a new series; the input is unchanged.
    """
    if series.n_frames < 4:
        return series
    xyzv = fill_and_lowpass(series.xyzv, series.t_s, max_gap_s, cutoff_hz, 3, np.float32)
    world = fill_and_lowpass(series.world, series.t_s, max_gap_s, cutoff_hz, None, np.float32)
    return PoseSeries(
        xyzv,
        series.t_s,
        series.width,
        series.height,
        world,
        series.frame_index,
    )


__all__ = [
    "CausalLowpass",
    "clean_series",
    "fill_and_lowpass",
    "fill_gaps",
    "lowpass_zero_phase",
    "nan_runs",
]
