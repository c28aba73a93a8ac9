"""Agreement statistics (Bland JM, Altman DG (1986) Lancet 327:307-310).

Differences are formcheck minus the reference, in the metric's unit.
"""

from __future__ import annotations

import numpy as np


def agreement(diff: np.ndarray) -> dict[str, float | int]:
    """n, bias (mean difference), sd, mean absolute error, 95 % limits of agreement
    (bias -/+ 1.96 SD) with the 95 % interval of each limit (``loa_ci``, +-), and the
    worst case (the difference largest in size, signed).
    NaN entries are left out; with fewer than two differences only n is meaningful.
    """
    d = np.asarray(diff, float)
    d = d[np.isfinite(d)]
    nan = float("nan")
    if d.size == 0:
        return {
            "n": 0,
            "bias": nan,
            "sd": nan,
            "mae": nan,
            "loa_low": nan,
            "loa_high": nan,
            "loa_ci": nan,
            "worst": nan,
        }
    bias = float(d.mean())
    sd = float(d.std(ddof=1)) if d.size > 1 else nan
    # the limits' own 95 % interval: SE of a limit ~ sqrt(3 / n) SD (Bland & Altman 1999,
    # Stat Methods Med Res 8:135-160), for independent differences
    half = 1.96 * np.sqrt(3.0 / d.size) * sd if d.size > 1 else nan
    return {
        "n": int(d.size),
        "bias": bias,
        "sd": sd,
        "mae": float(np.abs(d).mean()),
        "loa_low": bias - 1.96 * sd,
        "loa_high": bias + 1.96 * sd,
        "loa_ci": float(half),
        "worst": float(d[np.argmax(np.abs(d))]),
    }


def match_times(truth: np.ndarray, found: np.ndarray, tol_s: float) -> np.ndarray:
    """For each truth time, the index of the nearest ``found`` time within ``tol_s``, else -1.

    One-to-one: a found time claimed by a nearer truth is not reused.
    """
    out = np.full(truth.size, -1, int)
    if found.size == 0:
        return out
    pairs = sorted(
        (abs(float(found[j]) - float(t)), i, j)
        for i, t in enumerate(truth)
        for j in (int(np.argmin(np.abs(found - t))),)
    )
    used: set[int] = set()
    for dist, i, j in pairs:
        if dist <= tol_s and j not in used:
            out[i] = j
            used.add(j)
    return out
