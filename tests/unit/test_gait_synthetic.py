"""The running analysis recovers the answers set in a generated runner.

Every tolerance is derived from the metric and the capture, not fitted:

* Event timing: contacts are read to about 10-15 ms with the 8 Hz smoothing
  (BlazePose itself reaches 10-14 ms against motion capture, Young et al.
  2023). At low frame rates a stance is only 6-8 frames and the contact lies
  between two samples; with pixel noise on the 2-3 samples of the touch-down
  the fit can be off by up to 1.5 frame intervals. So every event must be
  within ``max(0.03 s, 1.5 / fps)`` and their median within ``max(0.03 s, 1 / fps)``
  (at 100 steps/min the foot's approach is slow and the contact corner soft).
* Cadence is a fit over all strides: a timing error of one frame at the two
  ends of a clip of D seconds moves it by at most cadence / (fps * D); we add
  0.2 steps/min for pixel noise.
* Values at contact (overstride, shin, knee, foot angle) change quickly around
  touch-down: their tolerance is how much the exact value changes when the
  contact time is off by ``EVENT_TOL_S`` (from the generator's continuous
  model), plus the smoothing's own blur (0.01 leg lengths, 2 deg).
* Trunk lean: 1 deg (no pose-model error in a synthetic series; 1 px noise on a
  180 px torso is 0.3 deg per frame, and the median is over hundreds).
* Vertical oscillation: a sinusoid sampled at fps misses its peak by at most
  1 - cos(pi f / fps) of the amplitude; 0.01 leg lengths covers it at 24 fps.
* Contact time: two event errors, 2 x EVENT_TOL_S.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.cues.judge import judge
from formcheck.gait.analysis import analyze_run
from formcheck.gait.core import run_core
from formcheck.gait.metrics import compute_metrics
from formcheck.settings import Settings
from tests.fixtures.synthetic_gait import run_series


def event_tol_s(fps: float) -> float:
    return max(0.03, 1.5 / fps)


def timing_errors(detected: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """For each truth event, the signed error of the nearest detection."""
    if detected.size == 0:
        return np.full(truth.size, np.inf)
    return np.array([detected[np.argmin(np.abs(detected - x))] - x for x in truth])


def cadence_tol(cadence: float, fps: float, duration_s: float) -> float:
    return cadence / (fps * duration_s) + 0.2


def contact_tol(run, side: str, key: str, fps: float, blur: float) -> float:
    """How much the exact contact value changes over the event-timing tolerance."""
    t = run.truth.ic_t_s[side]
    dt = event_tol_s(fps)
    lo, mid, hi = (run.truth.probe(t + d, side)[key] for d in (-dt, 0.0, dt))
    return float(np.max(np.maximum(np.abs(lo - mid), np.abs(hi - mid)))) + blur


def matched(detected: np.ndarray, truth: np.ndarray, tol: float) -> int:
    """How many truth events have a detected event within tol."""
    return int(sum(np.any(np.abs(detected - x) <= tol) for x in truth))


def near_median(core, values: np.ndarray, side: str) -> float:
    st = core.steps
    sel = (st.side == side) & st.good & np.isfinite(values)
    return float(np.median(values[sel]))


CASES = [
    (24, 170, "side-left"),
    (30, 100, "side-left"),
    (30, 150, "side-right"),
    (30, 210, "side-left"),
    (60, 170, "side-right"),
    (120, 100, "side-right"),
    (120, 210, "side-left"),
    (240, 140, "side-left"),
    (240, 210, "side-right"),
]


@pytest.mark.parametrize(("fps", "cadence", "view"), CASES)
def test_recovers_gait_across_rates_and_facing(fps: int, cadence: float, view: str) -> None:
    duration = 12.0
    run = run_series(
        cadence_spm=cadence,
        fps=fps,
        view=view,
        duration_s=duration,
        noise_px=1.0,
        far_foot_noise_px=2.0,
        seed=fps + int(cadence),
    )
    settings = Settings()
    core = run_core(run.series, settings)
    m = compute_metrics(core, settings)
    truth = run.truth
    assert core.view.view == view
    assert m["cadence_spm"].value == pytest.approx(
        truth.cadence_spm, abs=cadence_tol(cadence, fps, duration)
    )
    # every contact found once, on the right foot, in time; no extra ones
    tol = event_tol_s(fps)
    for side in ("left", "right"):
        det = core.events.side(side).ic_t_s
        tr = truth.ic_t_s[side]
        tr = tr[(tr > 0.5) & (tr < duration - 0.5)]  # the clip's ends may cut a stride
        assert matched(det, tr, tol) == tr.size
        assert np.median(np.abs(timing_errors(det, tr))) <= max(0.03, 1.0 / fps)
        assert det.size <= truth.ic_t_s[side].size
        to = core.events.side(side).to_t_s
        to_tr = truth.to_t_s[side]
        to_tr = to_tr[(to_tr > 0.7) & (to_tr < duration - 0.7)]
        assert matched(to[np.isfinite(to)], to_tr, tol) >= 0.8 * to_tr.size
    near = truth.near_side
    st = core.steps
    ct = near_median(core, st.contact_time_ms, near)
    assert ct == pytest.approx(truth.contact_time_ms[near], abs=2000 * tol)
    assert near_median(core, st.overstride, near) == pytest.approx(
        truth.overstride_leg_lengths[near], abs=contact_tol(run, near, "overstride", fps, 0.01)
    )
    assert near_median(core, st.shin_deg, near) == pytest.approx(
        truth.shin_angle_deg[near], abs=contact_tol(run, near, "shin", fps, 2.0)
    )
    assert near_median(core, st.knee_deg, near) == pytest.approx(
        truth.knee_flexion_deg[near], abs=contact_tol(run, near, "knee", fps, 2.0)
    )
    foot_tol = contact_tol(run, near, "foot", fps, 2.0)
    assert near_median(core, st.foot_angle_deg, near) == pytest.approx(
        truth.foot_strike_angle_deg, abs=foot_tol
    )
    assert m["trunk_lean_deg"].value == pytest.approx(truth.trunk_lean_deg, abs=1.0)
    assert m["vertical_oscillation_leg_lengths"].value == pytest.approx(
        truth.vertical_oscillation_leg_lengths, abs=0.01
    )
    # a real-time runner is never called slow motion
    assert m["slow_motion_factor"].value < 1.5
    assert all(n.code != "slow_motion" for n in core.notices)


def test_mirrored_clip_gives_the_same_answers() -> None:
    run = run_series(cadence_spm=165, fps=30, noise_px=1.0)
    a = compute_metrics(run_core(run.series, Settings()), Settings())
    b_core = run_core(run.series.mirrored(), Settings())
    b = compute_metrics(b_core, Settings())
    assert b_core.view.view == "side-right"
    for name, tol in (
        ("cadence_spm", 0.3),
        ("trunk_lean_deg", 0.5),
        ("overstride_leg_lengths", 0.01),
        ("vertical_oscillation_leg_lengths", 0.005),
    ):
        assert b[name].value == pytest.approx(a[name].value, abs=tol), name


def test_leg_swaps_are_relabelled() -> None:
    swaps = ((2.0, 2.15), (5.1, 5.2), (8.0, 8.3))
    run = run_series(cadence_spm=170, fps=60, swaps_s=swaps, noise_px=1.0)
    core = run_core(run.series, Settings())
    assert core.swapped.sum() >= 0.8 * run.truth.swapped_frames.sum()
    assert not np.any(core.swapped & ~_dilate(run.truth.swapped_frames, 2))
    tol = event_tol_s(60)
    for side in ("left", "right"):
        tr = run.truth.ic_t_s[side]
        tr = tr[(tr > 0.5) & (tr < 11.5)]
        assert matched(core.events.side(side).ic_t_s, tr, tol) == tr.size


def _dilate(mask: np.ndarray, k: int) -> np.ndarray:
    out = mask.copy()
    for s in range(1, k + 1):
        out[s:] |= mask[:-s]
        out[:-s] |= mask[s:]
    return out


def test_dropped_frames_and_gaps() -> None:
    run = run_series(
        cadence_spm=175,
        fps=30,
        duration_s=15,
        drop_frac=0.15,
        nan_ranges_s=((4.0, 4.1), (9.0, 10.2)),
        noise_px=1.0,
    )
    core = run_core(run.series, Settings())
    m = compute_metrics(core, Settings())
    assert m["cadence_spm"].value == pytest.approx(175, abs=cadence_tol(175, 30 * 0.85, 15))
    # nothing is invented inside the long gap (no pose at all there)
    for side in ("left", "right"):
        ic = core.events.side(side).ic_t_s
        assert not np.any((ic > 9.1) & (ic < 10.1))


def test_hidden_far_leg_keeps_cadence_and_drops_its_steps() -> None:
    run = run_series(cadence_spm=168, fps=30, duration_s=12, noise_px=1.0)
    xyzv = run.series.xyzv.copy()
    from formcheck.pose.landmarks import Landmark

    far = "RIGHT"  # side-left: the left leg is near
    hidden = (run.series.t_s > 3.0) & (run.series.t_s < 9.0)
    for p in ("KNEE", "ANKLE", "HEEL", "FOOT_INDEX"):
        xyzv[hidden, Landmark[f"{far}_{p}"]] = np.nan
    from formcheck.pose.series import PoseSeries

    s = PoseSeries(xyzv, run.series.t_s, run.series.width, run.series.height)
    core = run_core(s, Settings())
    m = compute_metrics(core, Settings())
    assert m["cadence_spm"].value == pytest.approx(168, abs=cadence_tol(168, 30, 12))
    right = core.events.right.ic_t_s
    assert not np.any((right > 3.3) & (right < 8.7))


def test_far_foot_copied_onto_near_foot_is_not_a_contact() -> None:
    from formcheck.pose.landmarks import Landmark
    from formcheck.pose.series import PoseSeries

    run = run_series(cadence_spm=170, fps=30, duration_s=12, noise_px=1.0, seed=3)
    xyzv = run.series.xyzv.copy()
    t = run.series.t_s
    # the model draws the far (right) foot on the near (left) one during the left stance
    copy = np.zeros(t.size, bool)
    for ic, to in zip(run.truth.ic_t_s["left"], run.truth.to_t_s["left"][1:], strict=False):
        copy |= (t >= ic) & (t <= to)
    for p in ("KNEE", "ANKLE", "HEEL", "FOOT_INDEX"):
        xyzv[copy, Landmark[f"RIGHT_{p}"]] = xyzv[copy, Landmark[f"LEFT_{p}"]] + 2.0
    s = PoseSeries(xyzv, t, run.series.width, run.series.height)
    core = run_core(s, Settings())
    assert core.copied.sum() >= 0.5 * copy.sum()
    right = core.events.right.ic_t_s
    for ic in run.truth.ic_t_s["left"]:
        assert not np.any(np.abs(right - ic) < 0.1)  # no right contact at a left contact
    m = compute_metrics(core, Settings())
    assert m["cadence_spm"].value == pytest.approx(170, abs=cadence_tol(170, 30, 12))


def test_low_cadence_gives_one_contact_per_step() -> None:
    """At 100 steps/min a long swing with a strong late retraction shows a second,
    smaller forward bump; it must not become a second contact."""
    run = run_series(cadence_spm=100, fps=60, duration_s=15, retraction=0.08, noise_px=1.0)
    core = run_core(run.series, Settings())
    for side in ("left", "right"):
        assert abs(core.events.side(side).n - run.truth.ic_t_s[side].size) <= 1


def test_overground_runner_crossing_the_frame() -> None:
    run = run_series(
        cadence_spm=178, fps=60, duration_s=6, overground_cross=True, width=1920, leg_px=150
    )
    core = run_core(run.series, Settings())
    m = compute_metrics(core, Settings())
    assert m["cadence_spm"].value == pytest.approx(178, abs=cadence_tol(178, 60, 6))
    near = run.truth.near_side
    assert near_median(core, core.steps.contact_time_ms, near) == pytest.approx(
        run.truth.contact_time_ms[near], abs=2000 * event_tol_s(60)
    )
    assert near_median(core, core.steps.overstride, near) == pytest.approx(
        run.truth.overstride_leg_lengths[near], abs=contact_tol(run, near, "overstride", 60, 0.01)
    )


@pytest.mark.parametrize(
    ("strike", "cls"), [(15.0, "rearfoot"), (3.0, "midfoot"), (-8, "forefoot")]
)
def test_foot_strike_class(strike: float, cls: str) -> None:
    run = run_series(strike_deg=strike, fps=120, noise_px=0.5)
    r = analyze_run(run.series, Settings())
    assert r.metrics[f"foot_strike_{cls}_pct"].value >= 80
    assert r.metrics["foot_strike_angle_deg"].value == pytest.approx(strike, abs=4.0)


def test_asymmetry_and_step_times() -> None:
    # both legs clearly seen: the asymmetry is flagged
    run = run_series(
        cadence_spm=170, fps=60, step_asymmetry=0.05, noise_px=0.5, far_visibility=0.95
    )
    r = analyze_run(run.series, Settings())
    st = r.metrics["step_time_s"]
    tol = event_tol_s(60)
    assert st.left == pytest.approx(run.truth.step_time_s["left"], abs=tol)
    assert st.right == pytest.approx(run.truth.step_time_s["right"], abs=tol)
    # (0.55 - 0.45) / 0.5 = 20 %; two step-time errors over a 0.35 s step
    assert r.metrics["step_time_asymmetry_pct"].value == pytest.approx(20.0, abs=200 * tol / 0.35)
    f = {x.cue: x for x in r.findings}
    assert f["step_time_asymmetry"].status == "flag"
    even = analyze_run(run_series(cadence_spm=170, fps=60, noise_px=0.5).series, Settings())
    assert {x.cue: x for x in even.findings}["step_time_asymmetry"].status == "ok"
    # the far leg half hidden (a side view's usual case): the same asymmetry is shown
    # to watch, with the far leg named, not flagged
    half = run_series(cadence_spm=170, fps=60, step_asymmetry=0.05, noise_px=0.5)
    rh = analyze_run(half.series, Settings())
    m = rh.metrics["step_time_asymmetry_pct"]
    assert m.value == pytest.approx(20.0, abs=200 * tol / 0.35)
    assert m.confidence == "medium" and "(far) leg" in m.note
    assert judge("run", "step_time_asymmetry_pct", m) == "watch"


def test_an_asymmetry_within_the_step_scatter_is_not_judged() -> None:
    """Step times scattered by 4 px of noise with no real difference between the legs:
    whatever the two medians give, they differ by less than their scatter, so the
    asymmetry has low confidence and is not flagged."""
    run = run_series(cadence_spm=170, fps=30, duration_s=6, noise_px=4.0, far_visibility=0.95)
    m = analyze_run(run.series, Settings()).metrics["step_time_asymmetry_pct"]
    assert m.confidence == "low" and "step-to-step scatter" in m.note


def test_fatigue_drift_is_found_and_judged_against_noise() -> None:
    # trunk lean 6 -> 14 deg, cadence 172 -> 160, overstride 0.06 -> 0.16 over 40 s
    run = run_series(
        cadence_spm=172,
        cadence_drift_spm=-12,
        trunk_lean_deg=6,
        lean_drift_deg=8,
        overstride=0.06,
        overstride_drift=0.10,
        fps=30,
        duration_s=40,
        noise_px=1.0,
    )
    r = analyze_run(run.series, Settings())
    m = r.metrics
    # thirds of a linear ramp: the means differ by 2/3 of the total change; a
    # third's mean is off by at most one step's change (sampling of the steps)
    assert m["trunk_lean_drift_deg"].value == pytest.approx(8 * 2 / 3, abs=1.0)
    assert m["cadence_drift_spm"].value == pytest.approx(-12 * 2 / 3, abs=2.0)
    assert m["overstride_drift_leg_lengths"].value == pytest.approx(0.10 * 2 / 3, abs=0.02)
    f = {x.cue: x for x in r.findings}
    assert f["drift_trunk_lean"].status == "flag"
    assert f["drift_cadence"].status == "flag"
    assert f["drift_overstride"].status == "flag"
    steady = analyze_run(run_series(fps=30, duration_s=40, noise_px=1.0).series, Settings())
    fs = {x.cue: x for x in steady.findings}
    assert all(fs[c].status == "ok" for c in ("drift_trunk_lean", "drift_cadence"))
    assert "within noise" in steady.metrics["trunk_lean_drift_deg"].note


def test_posture_cues_flag_what_was_set() -> None:
    bad = run_series(trunk_lean_deg=28, head_forward_deg=30, overstride=0.2, bounce=0.14, fps=60)
    r = analyze_run(bad.series, Settings())
    f = {x.cue: x for x in r.findings}
    for cue in ("trunk_lean", "head_forward", "overstride", "bounce"):
        assert f[cue].status == "flag", cue
    assert r.metrics["head_forward_deg"].value == pytest.approx(30, abs=1.5)
    good = analyze_run(run_series(trunk_lean_deg=6, overstride=0.04, fps=60).series, Settings())
    g = {x.cue: x for x in good.findings}
    for cue in ("trunk_lean", "head_forward", "overstride", "bounce"):
        assert g[cue].status == "ok", cue
    # most important first for a sore back: overstride before posture before arms
    order = [x.cue for x in r.findings]
    assert order.index("overstride") < order.index("trunk_lean") < order.index("arm_crossing")
