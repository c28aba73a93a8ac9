"""NaN-aware reductions that return NaN for all-NaN input without a warning."""

from __future__ import annotations

import warnings

import numpy as np


def nanmean(a: np.ndarray, axis: int | None = None) -> np.ndarray | float:
    """Like ``np.nanmean`` but silent: an all-NaN slice gives NaN."""
    a = np.asarray(a, float)
    ok = np.isfinite(a)
    n = ok.sum(axis=axis)
    s = np.where(ok, a, 0.0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = s / n
    return np.where(n > 0, out, np.nan) if np.ndim(out) else (float(out) if n else float("nan"))


def nanmedian(a: np.ndarray, axis: int | None = None) -> np.ndarray | float:
    """Like ``np.nanmedian`` but silent: an all-NaN slice gives NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(np.asarray(a, float), axis=axis)
