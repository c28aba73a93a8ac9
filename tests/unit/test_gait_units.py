"""The running analysis's building blocks, on signals whose answers are known."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.cues import thresholds as th
from formcheck.cues.running import running_findings
from formcheck.cues.words_training import training_context
from formcheck.gait.cadence import fit_cadence, plausible_steps
from formcheck.gait.fits import find_peaks_time
from formcheck.gait.legs import apply_swaps, swap_states
from formcheck.gait.rhythm import amplitude_at, dominant_period, spectral_peak_hz
from formcheck.gait.summary import drift, per_minute, summarise, symmetry_index_pct
from formcheck.gait.timebase import estimate_time_scale, fundamental_accel_ratio, leg_length_m
from formcheck.gait.view import detect_view
from formcheck.results import Metric, not_measurable
from tests.fixtures.synthetic_gait import run_series

# ------------------------------------------------------------------------------- rhythm


@given(
    period=st.floats(0.55, 1.25),
    fps=st.sampled_from([24.0, 30.0, 60.0, 120.0]),
    phase=st.floats(0, 6.28),
)
@settings(max_examples=25, deadline=None)
def test_dominant_period_of_a_stride_like_signal(period: float, fps: float, phase: float) -> None:
    rng = np.random.default_rng(1)
    t = np.sort(rng.uniform(0, 12, int(12 * fps)))  # irregular timestamps
    x = np.sin(2 * np.pi * t / period + phase) + 0.3 * np.sin(6 * np.pi * t / period)
    r = dominant_period(t, x, 0.25, 6.0)
    # parabolic refinement: within a fifth of a sample interval
    assert r.period_s == pytest.approx(period, abs=0.2 * 12 / t.size + 1e-3)
    assert r.strength > 0.8


def test_dominant_period_prefers_the_fundamental_over_its_multiples() -> None:
    t = np.arange(0, 20, 1 / 30)
    x = np.sin(2 * np.pi * t / 0.7)
    assert dominant_period(t, x, 0.25, 5.0).period_s == pytest.approx(0.7, abs=0.01)


def test_spectral_peak_and_amplitude() -> None:
    t = np.arange(0, 12, 1 / 30)
    x = 0.04 * np.cos(2 * np.pi * 2.81 * t + 1.0) + 0.01 * t
    f = spectral_peak_hz(t, x, 1.5, 3.5)
    assert f == pytest.approx(2.81, abs=0.005)
    assert amplitude_at(t, x, 2.81) == pytest.approx(0.04, rel=0.01)


def test_peaks_keep_the_highest_within_the_separation() -> None:
    t = np.arange(0, 10, 1 / 60)
    x = np.sin(2 * np.pi * t) + 0.4 * np.sin(2 * np.pi * t * 2 + 1.2)  # bumpy, 1 s period
    peaks = find_peaks_time(t, x, 0.6, 0.25 * np.ptp(x))
    assert np.all(np.diff(t[peaks]) > 0.6)
    assert len(peaks) == pytest.approx(10, abs=1)


# ------------------------------------------------------------------------------- legs


def test_swap_states_find_injected_swaps_and_nothing_else() -> None:
    run = run_series(fps=30, swaps_s=((3.0, 3.2), (7.5, 7.6)), noise_px=1.0)
    sw = swap_states(run.series, 300.0)
    truth = run.truth.swapped_frames
    assert np.array_equal(sw, truth)
    fixed = apply_swaps(run.series, sw)
    assert not swap_states(fixed, 300.0).any()
    clean = run_series(fps=30, noise_px=1.0)
    assert not swap_states(clean.series, 300.0).any()


# ------------------------------------------------------------------------------- time base


def test_fundamental_acceleration_ratio_limits() -> None:
    assert fundamental_accel_ratio(0.5) == pytest.approx(math.pi / 2, rel=1e-3)
    assert fundamental_accel_ratio(1.0) == pytest.approx(2 / 3, abs=0.02)
    assert fundamental_accel_ratio(0.3) > fundamental_accel_ratio(0.7)


@given(k=st.floats(1.0, 16.0), beta=st.floats(0.4, 0.9))
@settings(max_examples=30, deadline=None)
def test_time_scale_recovers_slow_motion_factor(k: float, beta: float) -> None:
    leg_m = 0.85
    step_hz = 2.8
    # a real-time bounce consistent with gravity ...
    amp = fundamental_accel_ratio(beta) * 9.81 / leg_m / (2 * np.pi * step_hz) ** 2
    # ... played k times slower: same amplitude, k times lower frequency
    ts = estimate_time_scale(amp, step_hz / k, beta, leg_m)
    assert ts.factor == pytest.approx(k, rel=1e-3)


def test_time_scale_makes_no_claim_without_flight_or_bounce() -> None:
    assert not estimate_time_scale(0.05, 2.8, 1.0, 0.85).judged
    assert not estimate_time_scale(0.0, 2.8, 0.6, 0.85).judged
    assert not estimate_time_scale(0.05, float("nan"), 0.6, 0.85).judged


def test_leg_length_from_profile() -> None:
    assert leg_length_m(180, None) == (pytest.approx(0.491 * 1.8), True)
    assert leg_length_m(None, 95)[0] == pytest.approx(0.95 * 0.491 / 0.530)
    assert leg_length_m(None, None)[1] is False


# ------------------------------------------------------------------------------- cadence


def test_cadence_fit_bridges_missing_strides_and_rejects_outliers() -> None:
    period = 120 / 168.9
    rng = np.random.default_rng(0)
    left = np.arange(30) * period + 0.1 + rng.normal(0, 0.01, 30)
    right = np.arange(30) * period + 0.1 + period / 2 + rng.normal(0, 0.01, 30)
    left = np.delete(left, [5, 6, 17])  # far foot hidden for a while
    right[10] += 0.3  # one bad event
    fit = fit_cadence([left, right], 0.72)
    assert fit.cadence_spm == pytest.approx(168.9, abs=0.2)
    assert fit.n_strides >= 50


def test_cadence_fit_needs_events() -> None:
    assert math.isnan(fit_cadence([np.array([1.0])], 0.7).cadence_spm)
    assert math.isnan(fit_cadence([], float("nan")).cadence_spm)


# ------------------------------------------------------------------------------- summaries


def test_summarise_median_spread_and_sides() -> None:
    v = np.array([1.0, 2.0, 3.0, 4.0, np.nan, 10.0])
    sides = np.array(["left", "right", "left", "right", "left", "right"], object)
    m = summarise(v, "deg", sides)
    assert m.value == 3.0 and m.n == 5
    assert m.left == 2.0 and m.right == 4.0
    assert m.spread == pytest.approx(0.5 * (4.0 - 2.0))
    assert summarise(np.array([np.nan]), "deg").value is None


def test_symmetry_index() -> None:
    assert symmetry_index_pct(0.33, 0.37) == pytest.approx(100 * 0.04 / 0.35)
    assert symmetry_index_pct(None, 1.0) is None


def test_drift_against_noise() -> None:
    rng = np.random.default_rng(2)
    t = np.arange(60.0)
    steady = drift(t, 8 + rng.normal(0, 1.0, 60), 2.0)
    assert steady is not None and not steady.beyond_noise
    ramp = drift(t, 8 + 0.1 * t + rng.normal(0, 1.0, 60), 2.0)
    assert ramp is not None and ramp.beyond_noise
    assert ramp.change == pytest.approx(0.1 * 40, abs=1.2)
    assert drift(t[:5], t[:5], 2.0) is None


def test_per_minute_trend() -> None:
    t = np.arange(0, 180, 0.35)
    v = 170 - t / 60.0
    tr = per_minute(t, v, 0.0, 180.0)
    assert len(tr.minute_start_s) == 3
    assert tr.slope_per_min == pytest.approx(-1.0, abs=1e-6)
    assert tr.median[0] == pytest.approx(169.5, abs=0.01)


# ------------------------------------------------------------------------------- view


@pytest.mark.parametrize("view", ["side-left", "side-right", "front", "rear"])
def test_view_detection(view: str) -> None:
    v = detect_view(run_series(view=view, fps=30, duration_s=4).series)
    assert v.view == view
    if view.startswith("side"):
        assert v.near_side == ("left" if view == "side-left" else "right")


# ------------------------------------------------------------------------------- findings


def _metrics(**values: float) -> dict[str, Metric]:
    return {k: Metric(v, "") for k, v in values.items()}


def test_findings_follow_thresholds_and_overrides() -> None:
    m = _metrics(cadence_spm=165.0, overstride_leg_lengths=0.1, trunk_lean_deg=8.0)
    f = {x.cue: x for x in running_findings(m)}
    assert f["cadence"].status == "flag"
    assert f["overstride"].status == "ok"  # between 0.08 and 0.15: mentioned, not flagged
    assert f["trunk_lean"].status == "ok"
    f2 = {x.cue: x for x in running_findings(m, {"cadence_low_spm": 160.0})}
    assert f2["cadence"].status == "ok"
    assert f["overstride"].heuristic and not f["cadence"].heuristic
    assert "Causes of lower-back pain in runners" in f["cadence"].source  # the article by name
    assert f["cadence"].target.startswith("170-180")


def test_findings_not_measurable_carry_the_reason() -> None:
    m = {"trunk_lean_deg": not_measurable("deg", "this is a front view")}
    f = {x.cue: x for x in running_findings(m)}
    assert f["trunk_lean"].status == "not_measurable"
    assert "front view" in f["trunk_lean"].message
    assert f["cadence"].status == "not_measurable"


def test_heel_strike_flagged_only_with_overstriding() -> None:
    heel = 15.0
    ok = {
        x.cue: x
        for x in running_findings(_metrics(foot_strike_angle_deg=heel, overstride_leg_lengths=0.05))
    }
    bad = {
        x.cue: x
        for x in running_findings(_metrics(foot_strike_angle_deg=heel, overstride_leg_lengths=0.2))
    }
    assert ok["foot_strike"].status == "ok"
    assert bad["foot_strike"].status == "flag"


def test_findings_are_ordered_for_a_sore_back() -> None:
    cues = [x.cue for x in running_findings({})]
    assert cues.index("overstride") < cues.index("cadence") < cues.index("trunk_lean")
    assert cues.index("trunk_lean") < cues.index("arm_crossing") < cues.index("contact_time")


def test_training_context_and_disclaimer() -> None:
    text = " ".join(training_context("run"))
    assert "10 %" in text and "rest day" in text
    assert "physiotherapist" in text


def test_every_running_threshold_has_a_source() -> None:
    for name in (
        "foot_stance_tol_leglen",
        "slowmo_min_factor",
        "far_leg_copy_leglen",
        "view_side_max_oblique_deg",
        "drift_noise_z",
        "cadence_check_tol_pct",
    ):
        t = th.THRESHOLDS[name]
        assert t.source and t.unit


def test_low_confidence_asymmetry_is_not_flagged() -> None:
    sure = {"contact_time_asymmetry_pct": Metric(14.0, "%", confidence="high")}
    unsure = {"contact_time_asymmetry_pct": Metric(14.0, "%", confidence="low")}
    assert {f.cue: f for f in running_findings(sure)}["contact_time_asymmetry"].status == "flag"
    f = {f.cue: f for f in running_findings(unsure)}["contact_time_asymmetry"]
    assert f.status == "ok" and "cannot measure" in f.message


def test_coarse_then_fine_search_finds_the_full_grid_peak() -> None:
    """spectral_peak_hz scans a coarse grid and refines near its highest peaks; on
    noisy two-component signals with gaps it must pick the same frequency as the
    full fine grid (1/(20 T) apart)."""
    from formcheck.gait.rhythm import _dft_amplitudes

    rng = np.random.default_rng(7)
    for _ in range(60):
        dur, fps = rng.uniform(5, 40), rng.choice([24, 30, 60])
        t = np.arange(0, dur, 1 / fps)
        f0 = rng.uniform(2.3, 3.2)
        x = np.sin(2 * np.pi * f0 * t + rng.uniform(0, 6))
        x += rng.uniform(0, 1.2) * np.sin(2 * np.pi * 0.5 * f0 * t)
        x += rng.normal(0, rng.uniform(0.1, 1.5), t.size)
        x[rng.random(t.size) < 0.05] = np.nan
        lo, hi = 0.8 * f0, 1.25 * f0
        ok = np.isfinite(x)
        tt, xx = t[ok], x[ok]
        xx = xx - np.polyval(np.polyfit(tt - tt[0], xx, 1), tt - tt[0])
        step = 1.0 / ((tt[-1] - tt[0]) * 20.0)
        freqs = np.arange(lo, hi + step, step)
        full = freqs[int(np.argmax(_dft_amplitudes(tt, xx, freqs)))]
        assert spectral_peak_hz(t, x, lo, hi) == full


def test_stride_fit_skips_doubled_missed_and_other_foot_contacts() -> None:
    # 6 s at 170 steps/min: each foot's contact also read as the other foot's one frame
    # (40 ms) later at every 3rd step, a left contact missed and one doubled; the left
    # sequence starts with such a ghost (the fit on main gave 194 steps/min here)
    stride = 120.0 / 170.0
    left = np.arange(9) * stride
    right = left + stride / 2
    left_seen = np.sort(np.r_[np.delete(left, 4), right[::3] - stride + 0.04, left[6] + 0.04])
    right_seen = np.sort(np.r_[right, left[::3] + 0.04])
    fit = fit_cadence([left_seen, right_seen], stride * 1.03)
    assert fit.cadence_spm == pytest.approx(170.0, abs=0.1)
    assert fit.cadence_se_spm < 0.1


def test_impossible_steps_are_left_out() -> None:
    st = np.full(30, 60.0 / 170.0)
    st[5] = 0.04  # a doubled contact: 1500 steps/min
    st[12] = 2 * 60.0 / 170.0  # a missed one
    st[20] = 0.55 * 60.0 / 170.0  # a step split near its middle
    st[25] = np.nan
    ok = plausible_steps(st)
    assert not ok[[5, 12, 20, 25]].any()
    assert ok[np.setdiff1d(np.arange(30), [5, 12, 20, 25])].all()
