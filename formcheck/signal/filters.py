"""Gap filling and smoothing of landmark time series, in physical units.

All functions take samples along axis 0 with their timestamps ``t_s`` (seconds,
strictly increasing, not necessarily evenly spaced) and return a new array;
inputs are never modified. NaN marks a missing sample.

Why these defaults (see ``Settings``):

* **Gap filling** only across gaps up to ``max_gap_s`` = 0.2 s. A running step
  lasts 0.28-0.6 s (100-210 steps/min), so a longer fill could invent or hide a
  foot contact; longer gaps stay NaN and split the series (pitfalls.md: never
  interpolate across gaps of about 0.5 s or more).
* **Zero-phase low-pass** (Butterworth, forward-backward) keeps event timing:
  a causal filter delays peaks by about 1/(2*pi*fc) s, which would shift every
  contact. Cut-off 8 Hz for running: sagittal running kinematics carry little
  power above 6-10 Hz (Winter, *Biomechanics and Motor Control of Human
  Movement*, 4th ed., ch. 3 residual analysis).
* **Causal low-pass** (time-aware one-pole) for live use, where the future is
  not known; its lag (``1 / (2*pi*fc)``, whatever the frame rate) is stated in
  :class:`CausalLowpass`.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfiltfilt

#: Most samples x columns filtered in one call (128 KB of float64). The
#: forward-backward filter holds a few padded float64 copies of what it is given,
#: so a 10-minute clip's 99 landmark columns at once would need about 4 KB per
#: frame; in slices of columns the extra memory stays about 1 MB whatever the
#: length (a clip under 500 frames, e.g. a live window, is still one slice).
#: Every column is filtered on its own either way (same numbers).
BLOCK_ELEMENTS = 1 << 14


def nan_runs(valid: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges ``[start, stop)`` where ``valid`` (bool, shape (n,)) is True."""
    v = np.concatenate([[False], np.asarray(valid, bool), [False]])
    d = np.diff(v.astype(np.int8))
    starts = np.flatnonzero(d == 1)
    stops = np.flatnonzero(d == -1)
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def fill_gaps(x: np.ndarray, t_s: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Linearly interpolate NaN gaps no longer than ``max_gap_s``.

    Parameters
    ----------
    x : float ndarray, shape (n, ...)
        Samples along axis 0; each trailing column is filled on its own.
    t_s : float ndarray, shape (n,)
        Sample times in seconds.
    max_gap_s : float
        Longest gap filled, measured between the valid samples either side.
        Gaps at the start or end are never filled (no extrapolation).

    Returns
    -------
    ndarray, same shape as ``x``.
    """
    x = np.asarray(x, dtype=np.float64)
    t = np.asarray(t_s, dtype=np.float64)
    if x.shape[0] != t.shape[0]:
        raise ValueError("x and t_s need the same number of samples")
    out = x.copy()
    if x.shape[0] < 3:
        return out
    flat = out.reshape(x.shape[0], -1)
    for cols, bad in _mask_groups(~np.isfinite(flat)):
        if not bad.any() or bad.all():
            continue
        for start, stop in nan_runs(bad):
            if start == 0 or stop == len(bad):
                continue
            t0, t1 = t[start - 1], t[stop]
            if t1 - t0 > max_gap_s:
                continue
            w = ((t[start:stop] - t0) / (t1 - t0))[:, None]
            flat[start:stop, cols] = (1.0 - w) * flat[start - 1, cols] + w * flat[stop, cols]
    return out


def _mask_groups(mask: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Group the columns of a bool (n, k) mask that are identical.

    Landmark gaps are usually whole frames, so all columns share one pattern and
    are processed in one vectorised call. Returns (column indices, mask column).
    """
    groups: dict[bytes, list[int]] = {}
    for j in range(mask.shape[1]):
        groups.setdefault(mask[:, j].tobytes(), []).append(j)
    return [(np.asarray(cols), mask[:, cols[0]]) for cols in groups.values()]


def lowpass_zero_phase(
    x: np.ndarray, t_s: np.ndarray, cutoff_hz: float, order: int = 2
) -> np.ndarray:
    """Zero-phase Butterworth low-pass over each run of valid samples.

    Parameters
    ----------
    x : float ndarray, shape (n, ...)
    t_s : float ndarray, shape (n,)
        The sampling rate is taken as 1 / median interval (variable-rate clips
        vary by a few percent, which moves the cut-off by as much).
    cutoff_hz : float
        Cut-off of the Butterworth design (-3 dB of one pass). Run forward and
        backward, the response is the design's squared: gain
        ``1 / (1 + (tan(pi f / fs) / tan(pi fc / fs)) ** (2 * order))`` at frequency f,
        i.e. 0.5 (-6 dB) at ``cutoff_hz``, no phase shift at any frequency, and
        the two-pass -3 dB point lies at about 0.80 x ``cutoff_hz`` for order 2
        (Winter 2009, sec. 3.4.4.3, correction for multiple passes).
    order : int

    Returns
    -------
    ndarray, same shape. Runs too short for the filter's padding (3 x (2*order+1)
    samples) and cut-offs at or above Nyquist are returned unfiltered; NaN stays NaN.

    References
    ----------
    Winter DA (2009) Biomechanics and Motor Control of Human Movement, ch. 3.
    """
    x = np.asarray(x, dtype=np.float64)
    out = x.copy()
    t = np.asarray(t_s, dtype=np.float64)
    if x.shape[0] < 4:
        return out
    fs = 1.0 / float(np.median(np.diff(t)))
    if cutoff_hz <= 0 or cutoff_hz >= 0.5 * fs * 0.98:
        return out
    sos = butter(order, cutoff_hz, btype="low", fs=fs, output="sos")
    padlen = 3 * (2 * order + 1)
    flat = out.reshape(x.shape[0], -1)
    for cols, valid in _mask_groups(np.isfinite(flat)):
        for start, stop in nan_runs(valid):
            if stop - start <= padlen:
                continue
            k = max(1, BLOCK_ELEMENTS // (stop - start))
            for j in range(0, cols.size, k):
                c = cols[j : j + k]
                flat[start:stop, c] = sosfiltfilt(sos, flat[start:stop, c], axis=0, padlen=padlen)
    return out


def fill_and_lowpass(
    x: np.ndarray,
    t_s: np.ndarray,
    max_gap_s: float,
    cutoff_hz: float,
    n_smoothed: int | None = None,
    dtype: type = np.float32,
) -> np.ndarray:
    """:func:`fill_gaps`, then :func:`lowpass_zero_phase` of the first channels.

    Parameters
    ----------
    x : float ndarray, shape (n, points, channels)
        E.g. landmarks (frames, 33, 4): x, y, z, visibility.
    t_s : float ndarray, shape (n,), seconds.
    max_gap_s, cutoff_hz : as for :func:`fill_gaps` and :func:`lowpass_zero_phase`.
    n_smoothed : int, optional
        Low-pass only channels ``[:n_smoothed]`` (all when None); the others are
        gap-filled only (visibility).
    dtype : the returned array's dtype.

    Returns
    -------
    ndarray, shape of ``x``, ``dtype``: the same numbers as
    ``fill_gaps(x)`` followed by ``lowpass_zero_phase(...[..., :n_smoothed])``
    and ``astype(dtype)``, computed in float64 a few points at a time, so the
    float64 work copies stay about :data:`BLOCK_ELEMENTS` x channels values
    (a 10-minute clip's landmarks would need about 5 KB per frame at once).
    """
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"x must be (n, points, channels), got {x.shape}")
    out = np.empty(x.shape, dtype)
    n, m = x.shape[:2]
    k = max(1, BLOCK_ELEMENTS // max(n, 1))
    for j in range(0, m, k):
        part = fill_gaps(x[:, j : j + k], t_s, max_gap_s)
        part[..., :n_smoothed] = lowpass_zero_phase(part[..., :n_smoothed], t_s, cutoff_hz)
        out[:, j : j + k] = part
    return out


class CausalLowpass:
    """One-pole low-pass for live samples with irregular timing.

    ``alpha = dt / (tau + dt)`` per sample with ``tau = 1 / (2*pi*fc)`` (the RC
    filter, backward-Euler), so the lag in seconds does not depend on the frame
    rate: a steadily moving input (a ramp) is followed exactly ``tau`` seconds
    late whatever the intervals between samples (20 ms at 8 Hz); a slow
    oscillation is delayed by about ``tau`` (a 2.8 Hz one by 0.8-0.95 ``tau`` at
    30-120 fps). A NaN sample, or a gap longer than ``reset_after_s``, restarts
    the filter at the next valid value.
    """

    def __init__(self, cutoff_hz: float, reset_after_s: float = 0.5) -> None:
        if cutoff_hz <= 0:
            raise ValueError("cutoff_hz must be positive")
        self.cutoff_hz = cutoff_hz
        self.reset_after_s = reset_after_s
        self._y: np.ndarray | None = None
        self._t: float | None = None

    def update(self, t_s: float, x: np.ndarray) -> np.ndarray:
        """Feed one sample (any shape); return the filtered value, same shape."""
        x = np.asarray(x, dtype=np.float64)
        if self._y is None or self._t is None or t_s - self._t > self.reset_after_s:
            self._y = x.copy()
        else:
            dt = max(t_s - self._t, 1e-6)
            tau = 1.0 / (2.0 * np.pi * self.cutoff_hz)
            alpha = dt / (tau + dt)
            fresh = ~np.isfinite(self._y)
            y = np.where(fresh, x, self._y + alpha * (x - self._y))
            self._y = np.where(np.isfinite(x), y, np.nan)
        self._t = t_s
        return self._y.copy()
