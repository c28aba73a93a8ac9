"""The running rhythm: dominant stride period and step frequency of a signal.

Signals are sampled at the clip's own (possibly irregular) timestamps; both
functions resample onto a uniform grid at the median frame interval first, so
a dropped frame or a variable frame rate does not bend the answer. Gaps are
filled linearly only for the analysis of the rhythm (never for a reported
metric).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Most frequencies x samples in one block of :func:`spectral_peak_hz`'s Fourier
#: sums (complex128: 256 KB; at least two frequencies a block). Larger blocks are
#: no faster; 256 frequencies of a 10-minute clip at once would hold about 8 KB
#: per frame.
DFT_BLOCK_ELEMENTS = 1 << 14


@dataclass(frozen=True, slots=True)
class Rhythm:
    """The dominant period of a (roughly) periodic signal.

    period_s : seconds per cycle (NaN when no rhythm was found).
    strength : normalised autocorrelation at that lag, in [-1, 1]; above about
        0.5 the signal clearly repeats.
    """

    period_s: float
    strength: float

    @property
    def found(self) -> bool:
        return bool(np.isfinite(self.period_s))


def uniform(t_s: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Resample ``x`` (shape (n,)) onto a uniform grid at the median interval.

    Returns (grid times, values, dt). NaN samples are bridged linearly; leading
    and trailing NaN are dropped.
    """
    t = np.asarray(t_s, float)
    x = np.asarray(x, float)
    ok = np.isfinite(x)
    if ok.sum() < 4:
        return np.zeros(0), np.zeros(0), np.nan
    dt = float(np.median(np.diff(t)))
    t0, t1 = t[ok][0], t[ok][-1]
    grid = np.arange(t0, t1 + 0.5 * dt, dt)
    return grid, np.interp(grid, t[ok], x[ok]), dt


def dominant_period(
    t_s: np.ndarray, x: np.ndarray, min_period_s: float, max_period_s: float
) -> Rhythm:
    """Dominant period of ``x`` from its autocorrelation.

    Parameters
    ----------
    t_s : float (n,) seconds; x : float (n,), NaN allowed.
    min_period_s, max_period_s : search range. At least two full cycles must fit
        in the signal for a period to count.

    Returns
    -------
    Rhythm. The shortest lag whose autocorrelation peak is within 90 % of the
    highest peak in range is chosen, so a multiple of the true period (which
    repeats just as well) is not taken instead of it. The peak lag is refined
    by parabolic interpolation (sub-sample).
    """
    _, v, dt = uniform(t_s, x)
    if v.size < 8 or not np.isfinite(dt) or dt <= 0:
        return Rhythm(np.nan, np.nan)
    v = v - np.mean(v)
    n = v.size
    max_period_s = min(max_period_s, (n * dt) / 2.0)
    lo = max(int(np.floor(min_period_s / dt)), 2)
    hi = int(np.ceil(max_period_s / dt))
    if hi <= lo + 2:
        return Rhythm(np.nan, np.nan)
    size = 1 << int(np.ceil(np.log2(2 * n)))
    f = np.fft.rfft(v, size)
    ac = np.fft.irfft(f * np.conj(f), size)[:n]
    if ac[0] <= 0:
        return Rhythm(np.nan, np.nan)
    # unbiased normalisation: each lag averages over n - lag products
    ac = ac / ac[0] * n / np.maximum(n - np.arange(n), 1)
    seg = ac[lo : hi + 1]
    peaks = [
        i
        for i in range(1, seg.size - 1)
        if seg[i] >= seg[i - 1] and seg[i] > seg[i + 1] and seg[i] > 0
    ]
    if not peaks:
        return Rhythm(np.nan, np.nan)
    best = max(seg[i] for i in peaks)
    k = next(i for i in peaks if seg[i] >= 0.9 * best)
    y0, y1, y2 = seg[k - 1], seg[k], seg[k + 1]
    den = y0 - 2 * y1 + y2
    off = 0.5 * (y0 - y2) / den if den < 0 else 0.0
    lag = (lo + k + float(np.clip(off, -0.5, 0.5))) * dt
    return Rhythm(lag, float(min(y1, 1.0)))


#: :func:`spectral_peak_hz` first scans every ``COARSE_EVERY``-th frequency of its fine
#: grid (1/(20 T) apart for a clip of T seconds, so 1/(4 T) apart), then the fine grid
#: within two coarse steps of the ``COARSE_PEAKS`` highest coarse peaks. A sinusoid's
#: peak is about 1/T wide (|sinc|), so half a coarse step from its top it keeps
#: sinc(pi/8) = 97 % of its height: the true top is always next to one of the
#: highest coarse points unless two peaks differ by less than 3 %, and then the
#: next ones are refined too. The full fine grid grows with the square of the clip
#: length (3.5 s of a 5 s analysis of a 10-minute run); this is about 4x cheaper.
COARSE_EVERY = 5
COARSE_PEAKS = 3


def _dft_amplitudes(t: np.ndarray, x: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    """|sum x exp(-2 pi i f t)| for each frequency, in bounded blocks."""
    amp = np.empty(freqs.size)
    # frequencies in blocks of a power of two rows (at most 256), so the complex
    # (rows, samples) work arrays stay about DFT_BLOCK_ELEMENTS values; a block of
    # one row would take another BLAS path (other rounding), so a last single
    # frequency is computed with the one before it
    rows = 1 << max(1, min(8, int(np.log2(max(DFT_BLOCK_ELEMENTS // t.size, 2)))))
    for i0 in range(0, freqs.size, rows):
        i0 = max(min(i0, freqs.size - 2), 0)
        f = freqs[i0 : i0 + rows]
        amp[i0 : i0 + rows] = np.abs(np.exp(-2j * np.pi * f[:, None] * t[None, :]) @ x)
    return amp


def spectral_peak_hz(t_s: np.ndarray, x: np.ndarray, f_lo_hz: float, f_hi_hz: float) -> float:
    """Frequency of the largest Fourier amplitude of ``x`` in [f_lo, f_hi], in Hz.

    A fine-grid discrete Fourier transform at the actual timestamps (no
    resampling), so the resolution is not limited to 1 / duration bins; searched
    coarse-then-fine (see :data:`COARSE_EVERY`). NaN samples are skipped; the mean
    and a linear trend are removed first.
    """
    t = np.asarray(t_s, float)
    x = np.asarray(x, float)
    ok = np.isfinite(x)
    if ok.sum() < 8 or f_hi_hz <= f_lo_hz:
        return float("nan")
    t, x = t[ok], x[ok]
    x = x - np.polyval(np.polyfit(t - t[0], x, 1), t - t[0])
    span = t[-1] - t[0]
    step = 1.0 / (span * 20.0)
    freqs = np.arange(f_lo_hz, f_hi_hz + step, step)
    if freqs.size <= 8 * COARSE_EVERY:
        return float(freqs[int(np.argmax(_dft_amplitudes(t, x, freqs)))])
    coarse = np.unique(np.r_[np.arange(0, freqs.size, COARSE_EVERY), freqs.size - 1])
    ca = _dft_amplitudes(t, x, freqs[coarse])
    padded = np.r_[-np.inf, ca, -np.inf]
    tops = np.flatnonzero((ca >= padded[:-2]) & (ca >= padded[2:]))
    tops = tops[np.argsort(ca[tops])[::-1][:COARSE_PEAKS]]
    reach = 2 * COARSE_EVERY
    near = np.unique(
        np.concatenate([np.arange(coarse[i] - reach, coarse[i] + reach + 1) for i in tops])
    )
    near = near[(near >= 0) & (near < freqs.size)]
    return float(freqs[near[int(np.argmax(_dft_amplitudes(t, x, freqs[near])))]])


def amplitude_at(t_s: np.ndarray, x: np.ndarray, freq_hz: float) -> float:
    """Amplitude of the ``freq_hz`` sinusoid in ``x`` (least squares, trend removed)."""
    t = np.asarray(t_s, float)
    x = np.asarray(x, float)
    ok = np.isfinite(x)
    if ok.sum() < 8 or not np.isfinite(freq_hz):
        return float("nan")
    t, x = t[ok] - t[ok][0], x[ok]
    w = 2 * np.pi * freq_hz
    design = np.stack([np.ones_like(t), t, np.cos(w * t), np.sin(w * t)], axis=1)
    coef, *_ = np.linalg.lstsq(design, x, rcond=None)
    return float(np.hypot(coef[2], coef[3]))
