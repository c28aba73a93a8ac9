"""Issue 19: the plank's asymmetric body-line band, the hold as time in position, and
the three-quarter view, on generated holds whose line and view are set here.

* the band: sagging (hips below the line, lumbar extension) is judged tighter
  than hips a little high (``plank_sag_max_deg`` 10 < ``plank_pike_max_deg`` 20).
  14 deg is past the sagging limit and inside the piking one, far from both
  (more than the 3 deg hysteresis and the 0.5 deg smoothing error);
* a three-quarter view: the generated side view turned 50 deg about the vertical
  (the body axis foreshortened by cos 50, the far side shifted by the shoulder
  width x sin 50), well past the ~40 deg of ``side_view_max_width_ratio``.

Tolerances: hold times as in test_exercises_holds (2 frames + 0.04 s).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.cues.judge import judge
from formcheck.cues.thresholds import THRESHOLDS
from formcheck.exercises import plank, side_plank
from formcheck.settings import Settings
from tests.fixtures import synthetic_exercises as X

FPS = 30.0
T_TOL = 2 / FPS + 0.04


def _finding(res, cue):  # type: ignore[no-untyped-def]
    return next(f for f in res.findings if f.cue == cue)


def _three_quarter(series: X.PoseSeries, yaw_deg: float = 50.0) -> X.PoseSeries:
    """The side view turned ``yaw_deg`` towards the camera (camera level with the body)."""
    xyzv = series.xyzv.copy()
    c = math.cos(math.radians(yaw_deg))
    s = math.sin(math.radians(yaw_deg))
    x0 = float(np.nanmedian(xyzv[:, X.L.LEFT_SHOULDER, 0]))
    torso = float(
        np.nanmedian(
            np.linalg.norm(xyzv[:, X.L.LEFT_SHOULDER, :2] - xyzv[:, X.L.LEFT_HIP, :2], axis=1)
        )
    )
    xyzv[..., 0] = x0 + c * (xyzv[..., 0] - x0)
    for lm in X.L:
        if lm.name.startswith("RIGHT"):
            xyzv[:, lm, 0] += 0.9 * torso * s  # shoulder width ~0.9 torso (Winter 2009)
            xyzv[:, lm, 3] = 0.9
    return X.PoseSeries(xyzv, series.t_s, series.width, series.height)


def test_the_band_is_asymmetric_with_named_sources() -> None:
    for prefix in ("plank", "side_plank"):
        sag = THRESHOLDS[f"{prefix}_sag_max_deg"]
        pike = THRESHOLDS[f"{prefix}_pike_max_deg"]
        assert sag.value < pike.value
        assert sag.source and pike.source
    assert judge("plank", "hip_line_deg", -14.0) == "good"
    assert judge("plank", "hip_line_deg", 14.0) == "work_on"
    assert judge("side-plank", "hip_line_deg", -14.0) == "good"
    assert judge("side-plank", "hip_line_deg", 14.0) == "work_on"


def test_hips_slightly_high_is_good_and_sagging_as_far_is_sagging() -> None:
    high, _ = X.plank_series(((10.0, -14.0),), fps=FPS)
    res = plank.analyze(high, Settings())
    assert {f.form for f in res.frames} == {"good"}
    assert res.metrics["hip_line_deg"].value == pytest.approx(-14.0, abs=0.5)
    line = _finding(res, "hip_line")
    assert line.status == "ok"
    assert "-14 deg" in line.message  # the signed degrees stay visible
    assert res.frames[100].angles["hip_line_deg"] == pytest.approx(-14.0, abs=0.5)

    low, _ = X.plank_series(((10.0, 14.0),), fps=FPS)
    res = plank.analyze(low, Settings())
    assert {f.form for f in res.frames} == {"hips_sagging"}
    line = _finding(res, "hip_line")
    assert line.status == "flag"
    assert "+14 deg" in line.message


@pytest.mark.parametrize("dev", [14.0, -30.0])
def test_the_hold_is_the_time_in_position_even_with_bad_form(dev: float) -> None:
    series, _ = X.plank_series(((10.0, dev),), fps=FPS)
    res = plank.analyze(series, Settings())
    duration = float(series.t_s[-1])
    assert res.metrics["hold_s"].value == pytest.approx(duration, abs=T_TOL)
    assert res.metrics["holds"].value == 1
    assert res.metrics["good_form_s"].value == 0
    label = "hips_sagging" if dev > 0 else "hips_piked"
    assert res.metrics[f"{label}_frac"].value == pytest.approx(1.0)
    hold = _finding(res, "hold_time")
    assert hold.value == pytest.approx(duration, abs=T_TOL)
    assert f"Held {duration:.0f} s in position" in hold.message
    # the live hold time runs too
    assert res.frames[-1].hold_s == pytest.approx(duration, abs=T_TOL)


def test_a_side_plank_hold_is_the_time_in_position_even_sagging() -> None:
    series, _ = X.side_plank_series(((8.0, 18.0),), fps=FPS)
    res = side_plank.analyze(series, Settings())
    assert res.metrics["hold_s"].value == pytest.approx(float(series.t_s[-1]), abs=T_TOL)
    assert res.metrics["hips_sagging_frac"].value == pytest.approx(1.0)


def test_a_three_quarter_view_is_timed_and_says_the_line_is_not_judged() -> None:
    side, _ = X.plank_series(((10.0, 0.0),), fps=FPS)
    res = plank.analyze(_three_quarter(side), Settings())
    duration = float(side.t_s[-1])
    assert res.metrics["hold_s"].value == pytest.approx(duration, abs=T_TOL)
    assert res.metrics["line_not_judged_frac"].value == pytest.approx(1.0)
    assert res.metrics["hip_line_deg"].value is None
    assert {f.form for f in res.frames} == {None}
    codes = {n.code for n in res.notices}
    assert "line_not_judged" in codes
    assert "not_in_position" not in codes
    line = _finding(res, "hip_line")
    assert line.status == "not_measurable"
    assert "side-on" in line.message


def test_a_clip_turning_from_three_quarter_to_side_is_one_hold_judged_side_on() -> None:
    """Like the demonstration clip: an oblique half, then a side half (a sag is
    shown only in the oblique half, where it cannot be judged)."""
    side, _ = X.plank_series(((5.0, 14.0), (5.0, -5.0)), fps=FPS)
    oblique = _three_quarter(side)
    cut = int(5.0 * FPS)
    xyzv = side.xyzv.copy()
    xyzv[:cut] = oblique.xyzv[:cut]
    res = plank.analyze(X.PoseSeries(xyzv, side.t_s, side.width, side.height), Settings())
    duration = float(side.t_s[-1])
    assert res.metrics["holds"].value == 1
    assert res.metrics["hold_s"].value == pytest.approx(duration, abs=T_TOL)
    assert res.metrics["line_not_judged_frac"].value == pytest.approx(0.5, abs=0.03)
    assert res.metrics["good_frac"].value == pytest.approx(0.5, abs=0.03)
    assert res.metrics["hip_line_deg"].value == pytest.approx(-5.0, abs=0.5)
    assert _finding(res, "hip_line").status == "ok"
    notice = next(n for n in res.notices if n.code == "line_not_judged")
    assert notice.ranges_s[0][1] == pytest.approx(5.0, abs=T_TOL)


def test_hips_down_on_the_floor_is_a_rest_between_holds_not_a_sagging_hold() -> None:
    """Hips 25 deg below the line (past ``plank_hips_down_deg``): resting on the floor."""
    series, _ = X.plank_series(((6.0, 0.0), (3.0, 25.0), (6.0, 0.0)), fps=FPS)
    res = plank.analyze(series, Settings())
    assert res.metrics["holds"].value == 2
    assert res.metrics["hold_s"].value == pytest.approx(float(series.t_s[-1]) - 3.0, abs=2 * T_TOL)
    assert res.metrics["hips_sagging_frac"].value == pytest.approx(0.0, abs=0.02)
    assert {f.form for f in res.frames if 6.3 < f.t_s < 8.7} == {None}
    assert _finding(res, "hip_line").status == "ok"


def test_lying_flat_with_the_arms_forward_seen_three_quarter_is_not_a_plank() -> None:
    """A superman or a knee hug seen obliquely can show the elbows below the shoulders;
    without an upper arm near vertical under the shoulder it is not a plank."""
    side, _ = X.plank_series(((8.0, 0.0),), fps=FPS)
    xyzv = _three_quarter(side).xyzv.copy()
    for sh, el in ((X.L.LEFT_SHOULDER, X.L.LEFT_ELBOW), (X.L.RIGHT_SHOULDER, X.L.RIGHT_ELBOW)):
        xyzv[:, el, 0] = xyzv[:, sh, 0] - 120.0  # reaching forward along the floor
        xyzv[:, el, 1] = xyzv[:, sh, 1] + 70.0
    res = plank.analyze(X.PoseSeries(xyzv, side.t_s, side.width, side.height), Settings())
    assert res.metrics["hold_s"].value == 0
    assert "not_in_position" in {n.code for n in res.notices}


def test_a_renamed_threshold_in_settings_says_what_replaced_it() -> None:
    from formcheck.cues.thresholds import with_overrides

    with pytest.raises(ValueError, match=r"plank_sag_max_deg .* plank_pike_max_deg"):
        with_overrides({"plank_line_tol_deg": 8.0})
    assert with_overrides({"plank_sag_max_deg": 8.0})["plank_sag_max_deg"].value == 8.0
