"""Signal conditioning of pose series: gap filling and smoothing in physical units."""

from __future__ import annotations

import numpy as np

from formcheck.pose.series import PoseSeries
from formcheck.signal.filters import CausalLowpass, fill_gaps, lowpass_zero_phase, nan_runs


def clean_series(series: PoseSeries, max_gap_s: float, cutoff_hz: float) -> PoseSeries:
    """Fill short gaps, then smooth x, y, z with a zero-phase low-pass.

    Visibility is gap-filled but not smoothed. Frames in gaps longer than
    ``max_gap_s`` stay NaN. Returns a new series; the input is unchanged.
    """
    if series.n_frames < 4:
        return series
    xyzv = fill_gaps(series.xyzv, series.t_s, max_gap_s)
    xyzv[..., :3] = lowpass_zero_phase(xyzv[..., :3], series.t_s, cutoff_hz)
    world = fill_gaps(series.world, series.t_s, max_gap_s)
    world = lowpass_zero_phase(world, series.t_s, cutoff_hz)
    return PoseSeries(
        xyzv.astype(np.float32),
        series.t_s,
        series.width,
        series.height,
        world.astype(np.float32),
        series.frame_index,
    )


__all__ = ["CausalLowpass", "clean_series", "fill_gaps", "lowpass_zero_phase", "nan_runs"]
