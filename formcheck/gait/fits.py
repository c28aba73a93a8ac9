"""Curve fitting for gait events: peaks, hinges and knots in time series. Pure NumPy.

Times in seconds; series of shape (n,), NaN samples left out of every fit.
"""

from __future__ import annotations

import numpy as np


def parabolic_peak(t: np.ndarray, y: np.ndarray, i: int) -> float:
    """Sub-sample time of the extremum at sample i (parabola through i-1, i, i+1)."""
    if i <= 0 or i >= len(y) - 1 or not np.all(np.isfinite(y[i - 1 : i + 2])):
        return float(t[i])
    tt = t[i - 1 : i + 2] - t[i]
    a, b, _ = np.polyfit(tt, y[i - 1 : i + 2], 2)
    if a == 0:
        return float(t[i])
    off = -b / (2 * a)
    return float(t[i] + np.clip(off, tt[0], tt[2]))


def find_peaks_time(
    t_s: np.ndarray, x: np.ndarray, min_sep_s: float, min_prominence: float
) -> np.ndarray:
    """Indices of local maxima of ``x`` at least ``min_sep_s`` apart.

    Greedy by height: the highest peak wins within ``min_sep_s``. A peak must
    rise ``min_prominence`` above the lowest value within ``min_sep_s`` on
    each side. NaN samples are never peaks.
    """
    n = x.size
    if n < 3:
        return np.zeros(0, int)
    xf = np.where(np.isfinite(x), x, -np.inf)
    cand = np.flatnonzero((xf[1:-1] >= xf[:-2]) & (xf[1:-1] > xf[2:]) & np.isfinite(x[1:-1])) + 1
    if cand.size == 0:
        return cand
    keep: list[int] = []
    for i in cand[np.argsort(-xf[cand], kind="stable")]:
        if any(abs(t_s[i] - t_s[j]) < min_sep_s for j in keep):
            continue
        lo = np.searchsorted(t_s, t_s[i] - min_sep_s)
        hi = np.searchsorted(t_s, t_s[i] + min_sep_s, side="right")
        left = x[lo : i + 1]
        right = x[i:hi]
        if not (np.isfinite(left).sum() > 1 and np.isfinite(right).sum() > 1):
            continue
        prom = x[i] - max(np.nanmin(left), np.nanmin(right))
        if prom >= min_prominence:
            keep.append(int(i))
    return np.array(sorted(keep), int)


def hinge_time(t: np.ndarray, d: np.ndarray, t_lo: float, t_hi: float, before: bool) -> float:
    """Corner time of a hinge fitted to a deviation ``d`` (shape (n,)) over ``t``.

    ``before``: d = c + s * max(0, tc - t) (deviating before tc, flat after);
    otherwise d = c + s * max(0, t - tc). ``tc`` is searched on a fine grid in
    [t_lo, t_hi]; c and s > 0 by least squares. NaN when nothing fits.
    """
    ok = np.isfinite(d)
    t, d = t[ok], d[ok]
    if t.size < 3 or not t_hi > t_lo:
        return float("nan")
    tc = np.linspace(t_lo, t_hi, 41)[:, None]
    ramp = np.maximum(0.0, tc - t[None, :]) if before else np.maximum(0.0, t[None, :] - tc)
    usable = (np.count_nonzero(ramp, axis=1) >= 1) & (np.count_nonzero(ramp == 0, axis=1) >= 1)
    rm = ramp.mean(axis=1, keepdims=True)
    dm = d.mean()
    var = np.sum((ramp - rm) ** 2, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.sum((ramp - rm) * (d - dm)[None, :], axis=1) / var
    icpt = dm - slope * rm[:, 0]
    sse = np.sum((icpt[:, None] + slope[:, None] * ramp - d[None, :]) ** 2, axis=1)
    sse = np.where(usable & (var > 0) & (slope > 0), sse, np.inf)
    if not np.isfinite(sse).any():
        return float("nan")
    return float(tc[int(np.argmin(sse)), 0])


def knot(t: np.ndarray, d: np.ndarray, t_lo: float, t_hi: float) -> float:
    """Knot of a continuous two-slope line fitted to a shrinking distance ``d`` over ``t``.

    d = c + s1 * min(0, t - tc) + s2 * max(0, t - tc) by least squares, tc on a fine
    grid in [t_lo, t_hi], the slope rising at the knot (s1 < s2: a distance closing
    fast, then slowly). NaN when nothing fits.
    """
    ok = np.isfinite(d)
    t, d = t[ok], d[ok]
    if t.size < 4 or not t_hi > t_lo:
        return float("nan")
    best, best_t = np.inf, float("nan")
    for tc in np.linspace(t_lo, t_hi, 61):
        a = np.minimum(0.0, t - tc)
        b = np.maximum(0.0, t - tc)
        if np.count_nonzero(a) < 2 or np.count_nonzero(b) < 2:
            continue
        x = np.stack([np.ones_like(t), a, b], axis=1)
        coef, *_ = np.linalg.lstsq(x, d, rcond=None)
        if not coef[1] < coef[2]:
            continue
        sse = float(np.sum((x @ coef - d) ** 2))
        if sse < best:
            best, best_t = sse, float(tc)
    return best_t
