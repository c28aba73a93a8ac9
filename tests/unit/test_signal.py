"""Gap filling and smoothing on synthetic series whose answers are known.

The smoothing tests use a sine at 2.8 Hz: a runner at 168 steps/min makes 2.8
steps a second, so this is the frequency at which foot-contact timing lives.
Bounds are derived, not fitted:

* Zero-phase filter (Butterworth order 2, forward and backward): gain at f is
  ``1 / (1 + (tan(pi f/fs) / tan(pi fc/fs))**4)`` (squared design response, bilinear
  transform), phase exactly 0. The measured amplitude ratio may differ from
  that gain only by the least-squares error of the fit on noisy samples,
  ``sigma * sqrt(2/N)`` (about 0.4 % of A for sigma = 5 % of A and N >= 300): the
  bound 2 % of A is five times that. The phase bound 5 ms is a sixth of a frame
  at 30 fps; the noise moves the fitted phase by about 0.3 ms.
* Causal one-pole: a ramp lags by exactly ``tau = 1/(2 pi fc)`` for any sample
  intervals; a sine's phase delay follows the discrete transfer function
  ``alpha / (1 - (1 - alpha) z^-1)``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from formcheck.pose.series import PoseSeries
from formcheck.signal import CausalLowpass, clean_series, fill_gaps, lowpass_zero_phase, nan_runs

STEP_HZ = 2.8  # 168 steps/min
AMP = 40.0  # pixels: a hip bobbing up and down, an ankle moving back and forth
NOISE = 0.05 * AMP  # landmark jitter


def sine_fit(t: np.ndarray, x: np.ndarray, f_hz: float) -> tuple[float, float]:
    """Least-squares (amplitude, delay_s) of ``x ~ a sin(w (t - delay)) + c``."""
    w = 2 * np.pi * f_hz
    design = np.column_stack([np.sin(w * t), np.cos(w * t), np.ones_like(t)])
    (a, b, _), *_ = np.linalg.lstsq(design, x, rcond=None)
    amp = float(np.hypot(a, b))
    delay = float(-np.arctan2(b, a) / w)
    return amp, delay


def butter2_twopass_gain(f_hz: float, fc_hz: float, fs_hz: float) -> float:
    """Gain of the order-2 Butterworth run forward and backward (bilinear transform)."""
    r = np.tan(np.pi * f_hz / fs_hz) / np.tan(np.pi * fc_hz / fs_hz)
    return float(1.0 / (1.0 + r**4))


def noisy_sine(fs: float, seconds: float = 10.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * fs)) / fs + 0.37  # clips need not start at 0
    x = AMP * np.sin(2 * np.pi * STEP_HZ * t) + 300.0 + rng.normal(0, NOISE, t.size)
    return t, x


# ---------------------------------------------------------------------------------------
# gap filling
def test_short_gap_filled_linearly_long_gap_left_nan() -> None:
    t = np.arange(60) / 30.0
    x = 5.0 + 2.0 * t  # a straight line: linear fill must be exact
    y = x.copy()
    y[10:13] = np.nan  # 3 frames: valid samples 0.133 s apart -> filled (max 0.2 s)
    y[30:45] = np.nan  # 15 frames: 0.53 s -> left alone
    out = fill_gaps(y, t, max_gap_s=0.2)
    np.testing.assert_allclose(out[10:13], x[10:13], rtol=0, atol=1e-9)
    assert np.isnan(out[30:45]).all()
    np.testing.assert_array_equal(out[~np.isnan(y)], y[~np.isnan(y)])
    assert np.isnan(y[10:13]).all(), "the input must not be modified"


def test_gap_limit_is_in_seconds_not_frames() -> None:
    """The same 5-frame gap is short at 120 fps (0.05 s) and long at 10 fps (0.6 s)."""
    for fs, filled in ((120.0, True), (10.0, False)):
        t = np.arange(40) / fs
        y = np.sin(t)
        y[10:15] = np.nan
        out = fill_gaps(y, t, max_gap_s=0.2)
        assert np.isfinite(out[10:15]).all() == filled, fs


def test_gap_measured_on_real_timestamps() -> None:
    """Variable frame rate: the gap length comes from t_s, not from counting frames."""
    t = np.array([0.0, 0.03, 0.06, 0.09, 0.5, 0.53, 0.56, 0.59])  # 0.41 s jump in time
    y = np.array([1.0, 1.0, 1.0, np.nan, np.nan, 2.0, 2.0, 2.0])
    out = fill_gaps(y, t, max_gap_s=0.2)
    assert np.isnan(out[3:5]).all()  # 2 frames, but 0.5 s between valid samples


def test_edges_never_extrapolated() -> None:
    t = np.arange(20) / 30.0
    y = np.arange(20, dtype=float)
    y[:2] = np.nan
    y[-2:] = np.nan
    out = fill_gaps(y, t, max_gap_s=10.0)
    assert np.isnan(out[:2]).all() and np.isnan(out[-2:]).all()
    np.testing.assert_array_equal(out[2:-2], y[2:-2])


def test_fill_gaps_columns_independent() -> None:
    t = np.arange(10) / 30.0
    x = np.stack([np.arange(10.0), -np.arange(10.0)], axis=1)
    y = x.copy()
    y[4, 0] = np.nan
    y[2:9, 1] = np.nan  # 0.27 s: too long
    out = fill_gaps(y, t, 0.2)
    assert out[4, 0] == pytest.approx(4.0)
    assert np.isnan(out[2:9, 1]).all()


def test_empty_and_tiny_inputs() -> None:
    assert fill_gaps(np.zeros(0), np.zeros(0), 0.2).shape == (0,)
    assert lowpass_zero_phase(np.zeros((0, 3)), np.zeros(0), 8.0).shape == (0, 3)
    assert nan_runs(np.zeros(0, bool)) == []
    one = fill_gaps(np.array([np.nan]), np.array([0.0]), 0.2)
    assert np.isnan(one).all()
    with pytest.raises(ValueError):
        fill_gaps(np.zeros(3), np.zeros(4), 0.2)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    dts=hnp.arrays(np.float64, st.integers(0, 60), elements=st.floats(0.004, 0.1)),
    mask_seed=st.integers(0, 2**31 - 1),
    max_gap_s=st.floats(0.0, 0.6),
)
def test_fill_gaps_properties(dts: np.ndarray, mask_seed: int, max_gap_s: float) -> None:
    """For any timing and NaN pattern: valid samples kept, edges and long gaps left NaN,
    short interior gaps filled with values between their neighbours."""
    t = np.cumsum(dts)
    rng = np.random.default_rng(mask_seed)
    x = rng.normal(0, 10, t.size)
    y = x.copy()
    y[rng.random(t.size) < 0.4] = np.nan
    out = fill_gaps(y, t, max_gap_s)
    assert out.shape == y.shape
    valid = np.isfinite(y)
    np.testing.assert_array_equal(out[valid], y[valid])
    if t.size < 3:
        return
    for a, b in nan_runs(~valid):
        if a == 0 or b == t.size or t[b] - t[a - 1] > max_gap_s:
            assert np.isnan(out[a:b]).all()
        else:
            lo, hi = sorted((y[a - 1], y[b]))
            assert np.all((out[a:b] >= lo - 1e-9) & (out[a:b] <= hi + 1e-9))


# ---------------------------------------------------------------------------------------
# zero-phase smoothing
@pytest.mark.parametrize("fs", [30.0, 60.0, 120.0])
def test_zero_phase_keeps_phase_and_amplitude(fs: float) -> None:
    fc = 8.0  # Settings.run_cutoff_hz
    t, x = noisy_sine(fs)
    y = lowpass_zero_phase(x, t, fc)
    core = (t > t[0] + 1.0) & (t < t[-1] - 1.0)  # away from the filter's edge padding
    amp, delay = sine_fit(t[core], y[core], STEP_HZ)
    gain = butter2_twopass_gain(STEP_HZ, fc, fs)
    assert gain > 0.98  # 2.8 Hz is far below 8 Hz: the design keeps the amplitude (1.5 %)
    assert abs(amp / AMP - gain) < 0.02, (amp / AMP, gain)
    assert abs(delay) < 0.005, f"phase shift {delay * 1000:.2f} ms"
    # and it smooths: the residual noise is smaller than the input noise
    resid_in = x[core] - (AMP * np.sin(2 * np.pi * STEP_HZ * t[core]) + 300.0)
    resid_out = y[core] - (gain * AMP * np.sin(2 * np.pi * STEP_HZ * t[core]) + 300.0)
    assert resid_out.std() < 0.9 * resid_in.std()


@pytest.mark.parametrize("fs", [30.0, 60.0, 120.0])
def test_zero_phase_gain_at_cutoff_matches_butterworth(fs: float) -> None:
    """At f = fc the two-pass gain is 0.5 (the filter really is the documented one)."""
    fc = 4.0  # Settings.exercise_cutoff_hz
    t = np.arange(int(12 * fs)) / fs
    x = AMP * np.sin(2 * np.pi * fc * t)
    y = lowpass_zero_phase(x, t, fc)
    core = (t > 2.0) & (t < 10.0)
    amp, delay = sine_fit(t[core], y[core], fc)
    assert amp / AMP == pytest.approx(butter2_twopass_gain(fc, fc, fs), abs=0.01)
    assert amp / AMP == pytest.approx(0.5, abs=0.01)
    assert abs(delay) < 0.005


def test_zero_phase_keeps_peak_time() -> None:
    """An isolated event (a Gaussian bump, like a foot strike's vertical dip) keeps its time."""
    fs = 30.0
    t = np.arange(90) / fs
    peak_t = 1.517  # between frames on purpose
    x = 50.0 * np.exp(-0.5 * ((t - peak_t) / 0.06) ** 2)
    y = lowpass_zero_phase(x, t, 8.0)

    # parabolic interpolation of the peak, both signals
    def peak(v: np.ndarray) -> float:
        i = int(np.argmax(v))
        a, b, c = v[i - 1], v[i], v[i + 1]
        return float(t[i] + 0.5 * (a - c) / (a - 2 * b + c) / fs)

    assert abs(peak(y) - peak(x)) < 0.005


def test_zero_phase_nan_runs_filtered_separately() -> None:
    fs = 30.0
    t, x = noisy_sine(fs)
    x[100:130] = np.nan
    y = lowpass_zero_phase(x, t, 8.0)
    assert np.isnan(y[100:130]).all()
    assert np.isfinite(y[:100]).all() and np.isfinite(y[130:]).all()
    # a run shorter than the filter's padding is returned as it was
    short = np.full(t.size, np.nan)
    short[10:20] = x[10:20]
    np.testing.assert_array_equal(lowpass_zero_phase(short, t, 8.0)[10:20], x[10:20])


def test_zero_phase_cutoff_above_nyquist_returns_input() -> None:
    t, x = noisy_sine(20.0)
    np.testing.assert_array_equal(lowpass_zero_phase(x, t, 12.0), x)


@settings(max_examples=40, deadline=None)
@given(shift=st.floats(-1000.0, 1000.0), seed=st.integers(0, 1000))
def test_zero_phase_time_shift_invariant(shift: float, seed: int) -> None:
    """Where the clip starts in time does not change the smoothed values."""
    t, x = noisy_sine(30.0, seconds=3.0, seed=seed)
    np.testing.assert_allclose(
        lowpass_zero_phase(x, t + shift, 8.0), lowpass_zero_phase(x, t, 8.0), atol=1e-6
    )


def test_zero_phase_multichannel_shape() -> None:
    t, x = noisy_sine(30.0)
    xyz = np.stack([x, 2 * x, -x], axis=1)[:, None, :].repeat(33, axis=1)  # (n, 33, 3)
    y = lowpass_zero_phase(xyz, t, 8.0)
    assert y.shape == xyz.shape
    np.testing.assert_allclose(y[:, 5, 1], 2 * y[:, 5, 0], rtol=1e-9)


# ---------------------------------------------------------------------------------------
# causal smoothing (live)
def run_causal(f: CausalLowpass, t: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.array([float(f.update(float(ti), np.array(xi))) for ti, xi in zip(t, x, strict=True)])


@pytest.mark.parametrize("fs", [30.0, 60.0, 120.0])
def test_causal_ramp_lag_is_tau_at_any_frame_rate(fs: float) -> None:
    fc = 8.0
    tau = 1 / (2 * np.pi * fc)
    t = np.arange(int(3 * fs)) / fs
    v = 100.0  # px/s
    y = run_causal(CausalLowpass(fc), t, v * t)
    late = t > 1.0
    lag = (v * t[late] - y[late]) / v
    np.testing.assert_allclose(lag, tau, rtol=0.01)


@settings(max_examples=60, deadline=None)
@given(dts=hnp.arrays(np.float64, st.integers(80, 200), elements=st.floats(0.005, 0.05)))
def test_causal_ramp_lag_independent_of_sample_timing(dts: np.ndarray) -> None:
    """Jittery live frames (VFR): a steady motion is still followed exactly tau late."""
    fc = 8.0
    tau = 1 / (2 * np.pi * fc)
    t = np.cumsum(dts)
    y = run_causal(CausalLowpass(fc, reset_after_s=1.0), t, 50.0 * t)
    late = t > t[0] + 0.5
    if late.sum() < 5:
        return
    np.testing.assert_allclose((50.0 * t[late] - y[late]) / 50.0, tau, rtol=0.02)


@pytest.mark.parametrize("fs", [30.0, 60.0, 120.0])
def test_causal_sine_delay_matches_one_pole(fs: float) -> None:
    fc = 8.0
    tau = 1 / (2 * np.pi * fc)
    t, x = noisy_sine(fs)
    y = run_causal(CausalLowpass(fc), t, x)
    core = t > t[0] + 1.0
    amp, delay = sine_fit(t[core], y[core], STEP_HZ)
    # the discrete one-pole's response at 2.8 Hz
    alpha = (1 / fs) / (tau + 1 / fs)
    z = np.exp(-1j * 2 * np.pi * STEP_HZ / fs)
    h = alpha / (1 - (1 - alpha) * z)
    expected_delay = -np.angle(h) / (2 * np.pi * STEP_HZ)
    assert delay == pytest.approx(expected_delay, abs=0.001)
    assert 0.8 * tau < delay <= tau  # "about 1/(2 pi fc)", as documented
    assert amp / AMP == pytest.approx(abs(h), abs=0.02)


def test_causal_restarts_after_nan_and_long_gap() -> None:
    f = CausalLowpass(8.0, reset_after_s=0.5)
    f.update(0.0, np.array([0.0, 0.0]))
    f.update(0.033, np.array([10.0, 10.0]))
    out = f.update(0.066, np.array([np.nan, 10.0]))
    assert np.isnan(out[0]) and np.isfinite(out[1])
    out = f.update(0.1, np.array([7.0, 10.0]))
    assert out[0] == 7.0  # restarted at the next valid value, not blended with old data
    out = f.update(2.0, np.array([-3.0, -3.0]))  # 1.9 s later: a new start
    np.testing.assert_array_equal(out, [-3.0, -3.0])


def test_causal_rejects_bad_cutoff() -> None:
    with pytest.raises(ValueError):
        CausalLowpass(0.0)


# ---------------------------------------------------------------------------------------
# clean_series on a PoseSeries
def test_clean_series_fills_short_gaps_only_and_smooths() -> None:
    fs = 30.0
    t, x = noisy_sine(fs, seconds=4.0)
    xyzv = np.zeros((t.size, 33, 4), np.float32)
    xyzv[..., 0] = x[:, None]
    xyzv[..., 1] = 500.0
    xyzv[..., 3] = 0.9
    xyzv[20:23] = np.nan  # 0.13 s: filled
    xyzv[60:80] = np.nan  # 0.7 s: a person out of frame, left out
    s = PoseSeries(xyzv, t, 720, 1280)
    c = clean_series(s, max_gap_s=0.2, cutoff_hz=8.0)
    assert c.n_frames == s.n_frames
    assert c.present[20:23].all()
    assert not c.present[60:80].any()
    np.testing.assert_allclose(c.xyzv[~np.isnan(xyzv[:, 0, 3]), 0, 3], 0.9, rtol=1e-6)
    core = np.r_[30:55, 90:110]
    resid_in = xyzv[core, 0, 0] - (AMP * np.sin(2 * np.pi * STEP_HZ * t[core]) + 300)
    resid_out = c.xyzv[core, 0, 0] - (AMP * np.sin(2 * np.pi * STEP_HZ * t[core]) + 300)
    assert np.abs(resid_out).mean() < np.abs(resid_in).mean()
    assert np.isnan(s.xyzv[20:23]).all(), "the input series must not change"


def test_clean_series_tiny_series_unchanged() -> None:
    s = PoseSeries(np.ones((3, 33, 4)), np.array([0.0, 0.1, 0.2]), 10, 10)
    assert clean_series(s, 0.2, 8.0) is s
