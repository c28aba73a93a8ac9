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


def timing_share(contact_ms: np.ndarray, diff: np.ndarray) -> dict[str, float | int]:
    """How much of a value-at-contact's error follows the contact's own timing.

    ``contact_ms``: formcheck's contact minus the force plate's, per step (ms);
    ``diff``: the value's error at that step (its unit). A least-squares line
    ``diff = per_ms * contact_ms + c`` is fitted; ``mae_without_timing`` is the mean
    absolute error of ``diff - per_ms * contact_ms``: what the value would show with
    its contact exactly on the force plate's, as far as the error is linear in the
    timing (the rest of the bias is kept). n, the whole ``mae``, ``per_ms`` (unit per ms of late
    contact) and ``timing_sd_ms`` (SD of the contact's error). Steps with a NaN in
    either array are left out; fewer than three leave everything NaN but n.
    """
    t = np.asarray(contact_ms, float)
    d = np.asarray(diff, float)
    ok = np.isfinite(t) & np.isfinite(d)
    t, d = t[ok], d[ok]
    nan = float("nan")
    if t.size < 3 or np.ptp(t) == 0:
        return {
            "n": int(t.size),
            "mae": nan,
            "per_ms": nan,
            "mae_without_timing": nan,
            "timing_sd_ms": nan,
        }
    slope, _ = np.polyfit(t, d, 1)
    left = d - slope * t
    return {
        "n": int(t.size),
        "mae": float(np.abs(d).mean()),
        "per_ms": float(slope),
        "mae_without_timing": float(np.abs(left).mean()),
        "timing_sd_ms": float(t.std(ddof=1)),
    }
