"""An edited running clip: two stretches of one run joined at a hard cut, with a
piece of the run between them left out (not a whole number of strides), as an
editor trims a clip. The next shot's time is not the last one's, so no stride,
step or contact is timed across the cut, and each shot's strides are numbered on
their own (:func:`formcheck.gait.cadence.fit_cadence`).

Tolerance: the cadence is a stride fit per shot with one period; a frame's timing
error at the two ends of the shorter shot moves it by cadence / (fps x shot), plus
0.2 steps/min for pixel noise (as in ``test_gait_synthetic.cadence_tol``). Left
uncut, the same series reads 2-7 steps/min off (the strides across the cut are
counted as if no time had been left out).
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.pipeline.analysis import analyze_pose
from formcheck.pose.series import PoseSeries
from tests.fixtures.synthetic_gait import run_series

CADENCE = 170.0
FPS = 30.0
CUT_S = 8.0


def edited(series: PoseSeries, cut_s: float, left_out_s: float) -> PoseSeries:
    """``series`` with ``left_out_s`` seconds after ``cut_s`` removed and the rest
    moved back to follow on at ``cut_s`` (the edited clip's timeline)."""
    t = series.t_s
    keep = (t < cut_s) | (t >= cut_s + left_out_s)
    t2 = np.where(t >= cut_s + left_out_s, t - left_out_s, t)[keep]
    return PoseSeries(series.xyzv[keep], t2, series.width, series.height)


@pytest.mark.parametrize("left_out_s", [0.13, 0.5, 1.0])
def test_an_edited_run_keeps_its_cadence_and_times_no_step_across_the_cut(
    left_out_s: float,
) -> None:
    run = run_series(cadence_spm=CADENCE, fps=FPS, duration_s=18.0, noise_px=1.0, seed=4)
    clip = edited(run.series, CUT_S, left_out_s)
    report = analyze_pose(clip, "run", cuts_s=(CUT_S,))
    shortest = min(CUT_S, clip.duration_s - CUT_S)
    tol = CADENCE / (FPS * shortest) + 0.2
    assert report.metrics["cadence_spm"].value == pytest.approx(CADENCE, abs=tol)
    # the cadence line (windowed stride fits) stays with it on both sides of the cut
    _t, line, _u = report.plots["cadence_spm"]
    assert np.nanmax(np.abs(np.asarray(line, float) - CADENCE)) <= tol + 0.5
    # no step, stride or contact is timed from one shot into the next
    steps = report.tables["steps"]
    cols = {name: i for i, name in enumerate(steps.columns)}
    for row in steps.rows:
        t_ic, step_s = row[cols["t_s"]], row[cols["step_time_s"]]
        if step_s is not None and np.isfinite(step_s):
            assert not (t_ic - step_s < CUT_S <= t_ic), (t_ic, step_s)
        t_to, contact_ms = row[cols["toe_off_t_s"]], row[cols["contact_time_ms"]]
        if t_to is not None and t_ic < CUT_S <= t_to:
            assert contact_ms is None or not np.isfinite(contact_ms)
    assert "cadence_check" not in {w.code for w in report.warnings}


def zoomed(series: PoseSeries, cut_s: float, k: float) -> PoseSeries:
    """``series`` with everything from ``cut_s`` on ``k`` times the size in the picture
    (about its centre): a cut to a camera farther away (k < 1) or closer (k > 1)."""
    xyzv = series.xyzv.copy()
    later = series.t_s >= cut_s
    centre = np.array([series.width / 2, series.height / 2], np.float32)
    xyzv[later, :, :2] = centre + (xyzv[later, :, :2] - centre) * k
    xyzv[later, :, 2] *= k
    return PoseSeries(xyzv, series.t_s, series.width, series.height)


@pytest.mark.parametrize("k", [0.6, 1.5])
def test_a_cut_to_another_scale_changes_no_length_in_leg_lengths(k: float) -> None:
    """The same run, the second shot filmed from farther or closer: overstride and bounce
    (in leg lengths) are those of the run filmed at one scale, step by step. Without
    one scale per shot the leg length is a mixture of the two shots' and every length
    of both shots is off (by about 1/k - 1, 20-40 %, for the shot that is not
    measured at its own scale)."""
    run = run_series(cadence_spm=CADENCE, fps=FPS, duration_s=16.0, seed=5)
    same = analyze_pose(run.series, "run", cuts_s=(CUT_S,))
    cut = analyze_pose(zoomed(run.series, CUT_S, k), "run", cuts_s=(CUT_S,))
    for name in ("overstride_leg_lengths", "vertical_oscillation_leg_lengths"):
        a, b = same.metrics[name].value, cut.metrics[name].value
        assert a is not None and b is not None
        assert b == pytest.approx(a, rel=0.03), name
    rows = {name: i for i, name in enumerate(same.tables["steps"].columns)}
    over = rows["overstride_leg_lengths"]
    a = np.array([r[over] for r in same.tables["steps"].rows], float)
    b = np.array([r[over] for r in cut.tables["steps"].rows], float)
    assert a.shape == b.shape
    assert np.nanmax(np.abs(a - b)) < 0.005


def test_a_drift_whose_noise_cannot_be_told_says_so_without_infinity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A third with too few contacts to fit leaves the cadence drift's standard error
    infinite (as after a cut near the end): the drift is not measurable for want of
    steps, and no "inf" reaches the runner."""
    import formcheck.gait.side_metrics as side_metrics
    from formcheck.gait.summary import Drift

    def no_noise(*_a: object, **_k: object) -> Drift:
        return Drift(1.8, 0.0, False, 12, 3, (0.0, 4.0), (8.0, 12.0), float("inf"))

    monkeypatch.setattr(side_metrics, "cadence_drift", no_noise)
    report = analyze_pose(run_series(cadence_spm=CADENCE, fps=FPS).series, "run")
    m = report.metrics["cadence_drift_spm"]
    assert m.value is None
    assert "enough of them in the first and last thirds" in m.note
    assert "inf" not in m.note
