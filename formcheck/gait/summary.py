"""Summaries of per-step values: median and spread, sides, drift, per-minute trends.

* Every summary is the median over steps with its spread (half the
  interquartile range, only from 4 steps up) and the per-side medians.
* Asymmetry of a two-sided timing metric is the symmetry index
  ``|L - R| / mean(L, R)`` in percent (Robinson et al. 1987); for angles and
  distances, whose mean can be near zero, the plain difference L - R is given.
* Fatigue drift compares the first and the last third of the steps: the
  difference of means, and whether it exceeds ``drift_noise_z`` standard
  errors of that difference (Welch), i.e. more than step-to-step noise.
* Per-minute trends (runs of at least ``trend_min_duration_s``): median and
  spread per minute, and the least-squares slope per minute of the step
  values over the whole run.

References
----------
Robinson RO, Herzog W, Nigg BM (1987) Use of force platform variables to
quantify the effects of chiropractic manipulation on gait symmetry. J
Manipulative Physiol Ther 10:172-176.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.cues import words_running_notes as words
from formcheck.results import Metric


def _finite(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, float)
    return x[np.isfinite(x)]


def spread(x: np.ndarray) -> float | None:
    """Half the interquartile range of the finite values (None below 4 values)."""
    v = _finite(x)
    if v.size < 4:
        return None
    q1, q3 = np.percentile(v, [25, 75])
    return float(0.5 * (q3 - q1))


def median_or_none(x: np.ndarray) -> float | None:
    v = _finite(x)
    return float(np.median(v)) if v.size else None


def summarise(
    values: np.ndarray,
    unit: str,
    sides: np.ndarray | None = None,
    confidence: str = "high",
    note: str = "",
    value: float | None = None,
) -> Metric:
    """A :class:`Metric` from per-step values (NaN = not measured).

    ``value`` replaces the median when the summary is computed otherwise
    (cadence is fitted, not a median of step rates).
    """
    v = np.asarray(values, float)
    fin = np.isfinite(v)
    n = int(fin.sum())
    if n == 0:
        return Metric(None, unit, confidence="none", note=note or words.WHY_NO_STEP)
    left = right = None
    if sides is not None:
        left = median_or_none(v[(sides == "left") & fin])
        right = median_or_none(v[(sides == "right") & fin])
    med = float(np.median(v[fin])) if value is None else value
    return Metric(med, unit, spread(v), n, left, right, confidence, note)


def symmetry_index_pct(left: float | None, right: float | None) -> float | None:
    """|L - R| / mean(L, R) x 100, or None if a side is missing or the mean is ~0."""
    if left is None or right is None:
        return None
    m = 0.5 * (abs(left) + abs(right))
    if m <= 1e-12:
        return None
    return float(abs(left - right) / m * 100.0)


#: Standard error of a median over that of a mean, for normal scatter (sqrt(pi / 2)).
MEDIAN_SE_FACTOR = 1.2533
#: Each leg needs this many steps before the two legs' difference is tested.
MIN_STEPS_PER_SIDE = 3


def sides_differ(values: np.ndarray, sides: np.ndarray, z_cut: float) -> bool | None:
    """Do the left and right medians of per-step ``values`` differ by more than
    ``z_cut`` standard errors of their difference (each median's SE taken as
    :data:`MEDIAN_SE_FACTOR` x SD / sqrt(n))? None when a leg has fewer than
    :data:`MIN_STEPS_PER_SIDE` finite values. The same two-sample test as a drift's."""
    v = np.asarray(values, float)
    fin = np.isfinite(v)
    parts = [v[fin & (sides == side)] for side in ("left", "right")]
    if min(p.size for p in parts) < MIN_STEPS_PER_SIDE:
        return None
    se = float(np.hypot(*(MEDIAN_SE_FACTOR * p.std(ddof=1) / np.sqrt(p.size) for p in parts)))
    gap = abs(float(np.median(parts[0]) - np.median(parts[1])))
    return gap > z_cut * se if se > 0 else gap > 0


@dataclass(frozen=True, slots=True)
class Drift:
    """Change from the first third to the last third of the steps.

    change : last minus first (the metric's unit). z : change over its standard
    error ``se``. beyond_noise : |z| above the noise cut. n_first, n_last : steps used.
    """

    change: float
    z: float
    beyond_noise: bool
    n_first: int
    n_last: int
    t_first: tuple[float, float]
    t_last: tuple[float, float]
    se: float = float("nan")


def drift(t_s: np.ndarray, values: np.ndarray, z_cut: float) -> Drift | None:
    """Fatigue drift of a per-step metric (None with fewer than 3 steps per third)."""
    t = np.asarray(t_s, float)
    v = np.asarray(values, float)
    ok = np.isfinite(t) & np.isfinite(v)
    t, v = t[ok], v[ok]
    if t.size < 9:
        return None
    order = np.argsort(t)
    t, v = t[order], v[order]
    k = t.size // 3
    a, b = v[:k], v[-k:]
    se = np.sqrt(np.var(a, ddof=1) / a.size + np.var(b, ddof=1) / b.size)
    change = float(b.mean() - a.mean())
    z = change / se if se > 0 else (np.inf if change else 0.0)
    return Drift(
        change,
        float(z),
        bool(abs(z) > z_cut),
        int(a.size),
        int(b.size),
        (float(t[0]), float(t[k - 1])),
        (float(t[-k]), float(t[-1])),
        float(se),
    )


@dataclass(frozen=True, slots=True)
class Trend:
    """Per-minute summary of one metric.

    minute_start_s : start of each minute (s); median, spread, n per minute;
    slope_per_min : least-squares change per minute over all steps.
    """

    minute_start_s: tuple[float, ...]
    median: tuple[float | None, ...]
    spread: tuple[float | None, ...]
    n: tuple[int, ...]
    slope_per_min: float | None


def per_minute(t_s: np.ndarray, values: np.ndarray, t0_s: float, t1_s: float) -> Trend:
    """Median and spread of a per-step metric for each whole or part minute."""
    t = np.asarray(t_s, float)
    v = np.asarray(values, float)
    ok = np.isfinite(t) & np.isfinite(v)
    starts = np.arange(t0_s, t1_s, 60.0)
    meds, sprs, ns = [], [], []
    for a in starts:
        sel = ok & (t >= a) & (t < a + 60.0)
        meds.append(median_or_none(v[sel]))
        sprs.append(spread(v[sel]))
        ns.append(int(sel.sum()))
    slope = None
    if ok.sum() >= 6 and np.ptp(t[ok]) > 60.0:
        slope = float(np.polyfit(t[ok] / 60.0, v[ok], 1)[0])
    return Trend(tuple(float(s) for s in starts), tuple(meds), tuple(sprs), tuple(ns), slope)
