"""The running analysis on synthetic runs whose answers are set: slow motion, profile,
views, trends, the result's content, two clips combined and refined contacts."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.gait.analysis import analyze_run
from formcheck.gait.core import run_core
from formcheck.settings import Profile, Settings
from tests.fixtures.synthetic_gait import run_series
from tests.unit.test_gait_synthetic import (
    cadence_tol,
    contact_tol,
    event_tol_s,
    matched,
    timing_errors,
)


def test_slow_motion_is_detected_from_physics_and_corrected_by_capture_rate() -> None:
    # filmed at 120 fps, played at 30: four times slower than the run
    run = run_series(cadence_spm=172, fps=120, slow_factor=4.0, duration_s=10, noise_px=0.5)
    r = analyze_run(run.series, Settings())
    assert any(n.code == "slow_motion" for n in r.notices)
    assert r.metrics["cadence_spm"].value is None
    assert "slow motion" in r.metrics["cadence_spm"].note
    # the physics estimate (uncertain by about 25 %) still lands near 4
    assert r.metrics["slow_motion_factor"].value == pytest.approx(4.0, rel=0.25)
    # posture needs no clock
    assert r.metrics["trunk_lean_deg"].value == pytest.approx(run.truth.trunk_lean_deg, abs=1.0)
    fixed = analyze_run(run.series, Settings(profile=Profile(capture_fps=120)))
    assert not any(n.code == "slow_motion" for n in fixed.notices)
    assert fixed.metrics["cadence_spm"].value == pytest.approx(172, abs=cadence_tol(172, 120, 10))
    ct = fixed.metrics["contact_time_ms"].value
    assert ct == pytest.approx(run.truth.contact_time_ms["left"] / 4.0, abs=2000 * 0.03)
    # event times stay on the clip's clock (for reviewing the video)
    ic = [e.t_s for e in fixed.events if e.kind == "initial_contact" and e.side == "left"]
    assert matched(np.array(ic), run.truth.ic_t_s["left"][1:-1], 4 * 0.03) >= 0.8 * (
        run.truth.ic_t_s["left"].size - 2
    )


def test_profile_gives_centimetres_and_vertical_ratio() -> None:
    run = run_series(cadence_spm=170, fps=60, bounce=0.09, noise_px=0.5)
    r = analyze_run(run.series, Settings(profile=Profile(height_cm=180, treadmill_kmh=10.8)))
    leg_cm = 0.491 * 180
    vo = r.metrics["vertical_oscillation_leg_lengths"].value
    assert r.metrics["vertical_oscillation_cm"].value == pytest.approx(vo * leg_cm, rel=1e-6)
    # 10.8 km/h = 3 m/s; step 60/170 s -> 1.059 m; 0.09 x 88.4 cm / 105.9 cm
    assert r.metrics["vertical_ratio_pct"].value == pytest.approx(
        100 * 0.09 * leg_cm / (300 * 60 / 170), rel=0.1
    )
    assert "vertical_ratio_pct" not in analyze_run(run.series, Settings()).metrics


def test_front_view_metrics_and_side_metrics_not_measurable() -> None:
    run = run_series(view="front", hip_drop_deg=9.0, arm_cross=True, step_width=0.12, fps=60)
    r = analyze_run(run.series, Settings())
    assert r.view == "front"
    m = r.metrics
    assert m["hip_drop_deg"].value == pytest.approx(9.0, abs=1.5)
    assert m["arm_crossing_frac"].value > 0.25
    assert m["step_width_leg_lengths"].value == pytest.approx(0.12, abs=0.03)
    assert m["cadence_spm"].value == pytest.approx(run.truth.cadence_spm, abs=1.0)
    for name in ("overstride_leg_lengths", "trunk_lean_deg", "foot_strike_angle_deg"):
        assert m[name].value is None
        assert "front view" in m[name].note
    f = {x.cue: x for x in r.findings}
    assert f["hip_drop"].status == "flag"
    assert f["arm_crossing"].status == "flag"
    assert f["overstride"].status == "not_measurable"
    calm = analyze_run(run_series(view="rear", fps=60).series, Settings())
    assert calm.view == "rear"
    c = {x.cue: x for x in calm.findings}
    assert c["hip_drop"].status == "ok" and c["arm_crossing"].status == "ok"


def test_side_view_says_front_metrics_are_not_measurable() -> None:
    r = analyze_run(run_series(fps=30).series, Settings())
    for name in ("arm_crossing_frac", "hip_drop_deg", "step_width_leg_lengths"):
        assert r.metrics[name].value is None
        assert "side view" in r.metrics[name].note


def test_view_override() -> None:
    run = run_series(fps=30, trunk_lean_deg=8)
    r = analyze_run(run.series, Settings(view="front"))
    assert r.view == "front"
    assert r.metrics["trunk_lean_deg"].value is None
    with pytest.raises(ValueError, match="unknown view"):
        analyze_run(run.series, Settings(view="sideways"))


def test_per_minute_trends_for_a_long_run() -> None:
    run = run_series(fps=24, duration_s=150, lean_drift_deg=5.0, noise_px=1.0, leg_px=200)
    r = analyze_run(run.series, Settings())
    table = r.tables["minutes"]
    assert len(table.rows) == 3  # 0-60, 60-120, 120-150 s
    slope = r.metrics["trunk_lean_trend_per_min"].value
    assert slope == pytest.approx(5.0 / 2.5, abs=0.2)
    assert "trunk_lean_deg_per_minute" in r.series


def test_result_has_events_frames_steps_and_plots() -> None:
    run = run_series(fps=30, duration_s=8)
    r = analyze_run(run.series, Settings())
    assert len(r.frames) == run.series.n_frames
    assert all(f.frame == i for i, f in enumerate(r.frames))
    assert "trunk_lean_deg" in r.frames[50].angles
    phases = {f.phase for f in r.frames}
    assert {"stance_left", "stance_right", "flight"} <= phases
    kinds = {(e.kind, e.side) for e in r.events}
    assert kinds == {
        ("initial_contact", "left"),
        ("initial_contact", "right"),
        ("toe_off", "left"),
        ("toe_off", "right"),
    }
    steps = r.tables["steps"]
    assert steps.columns[0] == "t_s" and len(steps.rows) >= 20
    for key in (
        "cadence_spm",
        "trunk_lean_deg",
        "hip_vertical_leg_lengths",
        "overstride_left_leg_lengths",
        "overstride_right_leg_lengths",
    ):
        t, v, unit = r.series[key]
        assert len(t) == len(v) and unit


def test_no_person_or_too_short_is_not_measurable() -> None:
    run = run_series(fps=30, duration_s=3)
    empty = run.series.take(slice(0, 5))
    r = analyze_run(empty, Settings())
    assert r.metrics["cadence_spm"].value is None
    assert r.metrics["cadence_spm"].note
    assert any(f.status == "not_measurable" for f in r.findings)


def test_left_and_right_clips_combine_into_one_report() -> None:
    from formcheck.gait.combine import combine_sides

    kw = dict(overstride=0.06, overstride_right=0.16, fps=60, noise_px=1.0)
    from_left = analyze_run(run_series(view="side-left", **kw).series, Settings())
    from_right = analyze_run(run_series(view="side-right", **kw).series, Settings())
    both = combine_sides(from_right, from_left)
    o = both.metrics["overstride_leg_lengths"]
    run = run_series(view="side-left", **kw)
    tol = contact_tol(run, "left", "overstride", 60, 0.01)
    assert o.left == pytest.approx(run.truth.overstride_leg_lengths["left"], abs=tol)
    assert o.right == pytest.approx(run.truth.overstride_leg_lengths["right"], abs=tol)
    assert both.metrics["cadence_spm"].value == pytest.approx(170, abs=0.5)
    assert "step_time_asymmetry_pct" in both.metrics
    with pytest.raises(ValueError):
        combine_sides(from_left, from_left)


def test_left_right_difference_for_per_leg_metrics() -> None:
    run = run_series(
        overstride=0.05, overstride_right=0.15, fps=120, noise_px=0.5, far_visibility=0.9
    )
    r = analyze_run(run.series, Settings())
    d = r.metrics["overstride_lr_difference_leg_lengths"]
    truth = run.truth.overstride_leg_lengths
    tol = contact_tol(run, "left", "overstride", 120, 0.01) + contact_tol(
        run, "right", "overstride", 120, 0.01
    )
    assert d.value == pytest.approx(truth["left"] - truth["right"], abs=tol)
    for name in (
        "shin_angle_lr_difference_deg",
        "knee_flexion_lr_difference_deg",
        "duty_factor_lr_difference_pct",
        "contact_time_asymmetry_pct",
    ):
        assert r.metrics[name].value is not None, name


@pytest.mark.parametrize(("fps", "cadence"), [(30, 170), (60, 150), (120, 210), (240, 180)])
def test_refined_contacts_when_both_feet_are_clearly_seen(fps: int, cadence: float) -> None:
    """Both feet clearly seen: contacts are refined on the less smoothed series (the
    path validated against force plates) and still land on the synthetic truth."""
    duration = 12.0
    run = run_series(
        cadence_spm=cadence,
        fps=fps,
        view="side-right",
        duration_s=duration,
        noise_px=1.0,
        far_visibility=0.95,
        seed=fps + int(cadence) + 1,
    )
    core = run_core(run.series, Settings())
    assert core.events.refined
    tol = event_tol_s(fps)
    for side in ("left", "right"):
        det = core.events.side(side).ic_t_s
        tr = run.truth.ic_t_s[side]
        tr = tr[(tr > 0.5) & (tr < duration - 0.5)]
        assert matched(det, tr, tol) == tr.size
        err = timing_errors(det, tr)
        assert np.median(np.abs(err)) <= max(0.015, 1.0 / fps)
        # no lag: the unrefined contacts read about 10 ms late against force plates (this
        # model's foot eases onto the ground, and the refined contact lands a few ms early)
        assert np.median(err) <= 0.003


def test_a_poorly_seen_far_foot_keeps_both_feet_on_the_event_series() -> None:
    run = run_series(cadence_spm=170, fps=60, view="side-right", far_visibility=0.6, seed=3)
    assert not run_core(run.series, Settings()).events.refined
