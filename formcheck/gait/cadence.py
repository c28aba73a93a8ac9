"""Cadence from contact events, checked against the dominant step frequency.

Cadence is not the median of per-step rates: at 30 fps a step of about
0.35 s is 10 or 11 frames, so single-step cadences jump between 164 and 180
steps/min. Instead every foot's cycle anchors (one per stride, sub-frame) are
numbered along their foot's sequence (a missed stride, e.g. while the far foot
was hidden, is bridged by counting how many stride periods the gap spans), and
one stride period is fitted to all of them by least squares, with one offset
per foot and per continuous stretch. Timing jitter of single events then
averages out over the clip instead of adding up.

References
----------
Heiderscheit BC et al. (2011) Med Sci Sports Exerc 43:296 (step rate);
Lieberman DE et al. (2015) J Exp Biol 218:3406.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class CadenceFit:
    """A cadence estimate from event times.

    cadence_spm : steps per minute (2 x strides); NaN if fewer than 3 usable events.
    stride_s : fitted stride period, seconds.
    n_strides : strides spanned by the events used.
    residual_s : RMS timing residual of the events about the fit, seconds.
    """

    cadence_spm: float
    stride_s: float
    n_strides: int
    residual_s: float


def _index_sequence(t: np.ndarray, period: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split sorted event times into stretches and number the strides in each."""
    if t.size == 0:
        return []
    out = []
    start = 0
    idx = [0]
    for i in range(1, t.size):
        gap = t[i] - t[i - 1]
        k = round(gap / period)
        if k < 1 or gap > 3.5 * period:
            out.append((t[start:i], np.array(idx, float)))
            start, idx = i, [0]
            continue
        idx.append(idx[-1] + k)
    out.append((t[start:], np.array(idx, float)))
    return out


def fit_cadence(times_by_foot: list[np.ndarray], period_guess_s: float) -> CadenceFit:
    """Fit one stride period to per-foot event sequences.

    Parameters
    ----------
    times_by_foot : per foot, sorted event times in seconds (one event per
        stride, e.g. the cycle anchors or the initial contacts).
    period_guess_s : the clip's stride period from its rhythm, used only to
        number the strides across gaps.

    Returns
    -------
    CadenceFit. Events more than 0.2 strides off the fit are dropped and the
    fit repeated (twice at most).
    """
    nan = CadenceFit(float("nan"), float("nan"), 0, float("nan"))
    if not np.isfinite(period_guess_s) or period_guess_s <= 0:
        return nan
    groups = []
    for t in times_by_foot:
        t = np.sort(np.asarray(t, float)[np.isfinite(t)])
        groups += [g for g in _index_sequence(t, period_guess_s) if g[0].size >= 2]
    if not groups:
        return nan
    masks = [np.ones(g[0].size, bool) for g in groups]
    period = period_guess_s
    resid = float("nan")
    for _ in range(3):
        rows_t, rows_k, rows_g = [], [], []
        for gi, ((t, k), m) in enumerate(zip(groups, masks, strict=True)):
            if m.sum() < 2:
                continue
            rows_t.append(t[m])
            rows_k.append(k[m])
            rows_g.append(np.full(int(m.sum()), gi))
        if not rows_t:
            return nan
        tt = np.concatenate(rows_t)
        kk = np.concatenate(rows_k)
        gg = np.concatenate(rows_g)
        ug = np.unique(gg)
        design = np.zeros((tt.size, ug.size + 1))
        design[:, 0] = kk
        for j, g in enumerate(ug):
            design[gg == g, j + 1] = 1.0
        coef, *_ = np.linalg.lstsq(design, tt, rcond=None)
        period = float(coef[0])
        if not np.isfinite(period) or period <= 0:
            return nan
        res = tt - design @ coef
        resid = float(np.sqrt(np.mean(res**2)))
        changed = False
        for gi, ((t, k), m) in enumerate(zip(groups, masks, strict=True)):
            j = np.flatnonzero(ug == gi)
            if j.size == 0:
                continue
            pred = coef[0] * k + coef[j[0] + 1]
            new = np.abs(t - pred) <= 0.2 * period
            if not np.array_equal(new, m):
                masks[gi] = new
                changed = True
        if not changed:
            break
    n_strides = int(
        sum((k[m].max() - k[m].min()) for (t, k), m in zip(groups, masks, strict=True) if m.sum())
    )
    if n_strides < 2:
        return nan
    return CadenceFit(120.0 / period, period, n_strides, resid)
