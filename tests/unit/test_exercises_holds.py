"""Plank and side plank on generated holds whose line, breaks and side are set here.

Tolerances (why):
* hold times: a hold's start and end are dated to frames, and the causal 4 Hz
  smoothing delays a sudden change of the line by about one frame at 30 fps, so
  2 frames + 0.04 s;
* the hip deviation: the generated hips sit exactly on the set angle, so 0.5 deg.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import formcheck
from formcheck.exercises import plank, side_plank
from formcheck.settings import Settings
from tests.fixtures import synthetic_exercises as X

FPS = 30.0
T_TOL = 2 / FPS + 0.04


def _finding(res, cue):  # type: ignore[no-untyped-def]
    return next(f for f in res.findings if f.cue == cue)


def _codes(res) -> set[str]:  # type: ignore[no-untyped-def]
    return {n.code for n in res.notices}


def test_a_good_hold_is_timed_and_labelled_good_in_every_frame() -> None:
    series, truth = X.plank_series(((20.0, 0.0),), fps=FPS)
    res = plank.analyze(series, Settings())
    assert res.metrics["hold_s"].value == pytest.approx(truth.total_hold_s, abs=T_TOL)
    assert res.metrics["longest_hold_s"].value == pytest.approx(20.0, abs=T_TOL)
    assert res.metrics["holds"].value == 1
    assert [f.form for f in res.frames] == ["good"] * series.n_frames
    assert res.metrics["hip_line_deg"].value == pytest.approx(0.0, abs=0.5)
    assert res.metrics["shoulder_hip_ankle_deg"].value == pytest.approx(180.0, abs=0.5)
    assert _finding(res, "hip_line").status == "ok"
    # settled per-frame hold time runs from 0 at the first frame
    assert res.frames[0].hold_s == pytest.approx(0.0, abs=T_TOL)
    assert res.frames[-1].hold_s == pytest.approx(20.0, abs=T_TOL)
    assert not _codes(res)


@pytest.mark.parametrize(
    ("dev", "label"), [(17.0, "hips_sagging"), (-25.0, "hips_piked"), (14.0, "hips_sagging")]
)
def test_sagging_and_piked_holds_are_labelled_and_flagged(dev: float, label: str) -> None:
    series, _ = X.plank_series(((10.0, dev),), fps=FPS)
    res = plank.analyze(series, Settings())
    assert {f.form for f in res.frames} == {label}
    assert res.metrics["hip_line_deg"].value == pytest.approx(dev, abs=0.5)
    assert res.metrics[f"{label}_frac"].value == pytest.approx(1.0)
    assert _finding(res, "hip_line").status == "flag"
    # the hold is the time in position, whatever the form; none of it in good form
    assert res.metrics["hold_s"].value == pytest.approx(10.0, abs=T_TOL)
    assert res.metrics["good_form_s"].value == 0
    # the per-frame angles carry the signed deviation
    assert res.frames[100].angles["hip_line_deg"] == pytest.approx(dev, abs=0.5)


def test_a_hold_with_a_sag_in_the_middle_is_one_hold_with_its_form_shares() -> None:
    series, truth = X.plank_series(((8.0, 0.0), (3.0, 16.0), (9.0, 0.0)), fps=FPS)
    res = plank.analyze(series, Settings())
    rows = res.tables["holds"].rows
    assert len(rows) == 1
    duration = float(series.t_s[-1])
    assert res.metrics["hold_s"].value == pytest.approx(duration, abs=T_TOL)
    assert res.metrics["good_form_s"].value == pytest.approx(duration - 3.0, abs=2 * T_TOL)
    assert res.metrics["hips_sagging_frac"].value == pytest.approx(3.0 / duration, abs=0.01)
    assert res.metrics["longest_good_form_s"].value == pytest.approx(9.0, abs=2 * T_TOL)
    assert [e.kind for e in res.events if e.kind.startswith("hold")] == ["hold_start"]
    assert [e.kind for e in res.events if e.kind == "form_break"] == ["form_break"]
    # frame labels follow the set deviation, exactly except at the two changes
    want = truth.extra["label"]
    wrong = sum(1 for f, w in zip(res.frames, want, strict=True) if f.form != w)
    assert wrong <= 2 * 3  # up to 3 frames of smoothing lag per change
    assert _finding(res, "hip_line").status == "ok"  # mostly straight: 15 % sagging
    hold = _finding(res, "hold_time")
    assert hold.metric == "hold_s"
    assert "sagging 15%" in hold.message
    # the hold-by-hold table gives each hold's good-form time and fault shares
    table = res.tables["holds"]
    row = dict(zip(table.columns, rows[0], strict=True))
    assert row["good_form_s"] == pytest.approx(duration - 3.0, abs=2 * T_TOL)
    assert row["sagging_pct"] == pytest.approx(100 * 3.0 / duration, abs=1.0)
    assert row["piked_pct"] == 0


def test_getting_into_position_is_not_timed_and_gets_a_notice() -> None:
    series, truth = X.plank_series(((10.0, 0.0),), kneel_s=3.0, fps=FPS)
    res = plank.analyze(series, Settings())
    assert res.metrics["hold_s"].value == pytest.approx(truth.total_hold_s, abs=T_TOL)
    notice = next(n for n in res.notices if n.code == "not_in_position")
    assert notice.ranges_s[0][0] == pytest.approx(0.0)
    assert notice.ranges_s[0][1] == pytest.approx(3.0, abs=T_TOL)
    assert {f.phase for f in res.frames[: int(2.5 * FPS)]} == {"setup"}


def test_the_lift_off_the_floor_is_not_held() -> None:
    """Hips resting on the floor (23 deg below the line), lifted in steps of 0.15 s
    (18, 15, 12 deg: off the floor but not yet up to the line), then held in line
    for 10 s: the hold starts when the hips come up inside the sagging limit."""
    lift = ((1.0, 23.0), (0.15, 18.0), (0.15, 15.0), (0.15, 12.0))
    series, truth = X.plank_series((*lift, (10.0, 0.0)), fps=FPS)
    res = plank.analyze(series, Settings())
    up_at = sum(d for d, _ in lift)
    assert res.tables["holds"].rows[0][1] == pytest.approx(up_at, abs=T_TOL)
    assert res.metrics["hold_s"].value == pytest.approx(truth.total_hold_s, abs=T_TOL)
    # a hold that sags all along is timed from its first frame off the floor
    sag, _ = X.plank_series((*lift[:2], (10.0, 15.0)), fps=FPS)
    rows = plank.analyze(sag, Settings()).tables["holds"].rows
    assert rows[0][1] == pytest.approx(lift[0][0], abs=T_TOL)


@pytest.mark.parametrize("seed", range(3))
def test_noise_near_the_limit_does_not_flicker_or_break_the_hold(seed: int) -> None:
    """Hips 8 deg low (2 deg inside the 10 deg limit) with 3 px landmark noise, which
    pushes single frames past the limit: one unbroken hold, no flicker."""
    series, _ = X.plank_series(((20.0, 8.0),), fps=FPS)
    noisy = X.with_noise(series, 3.0, seed)
    res = plank.analyze(noisy, Settings())
    devs = np.array(res.series["hip_line_deg"][1])
    assert np.nanmax(devs) > 10.0  # the noise does cross the limit
    assert res.metrics["holds"].value == 1
    forms = [f.form for f in res.frames]
    changes = sum(1 for a, b in itertools.pairwise(forms) if a != b)
    assert changes == 0


def test_a_short_dropout_does_not_break_the_hold() -> None:
    series, _ = X.plank_series(((20.0, 0.0),), fps=FPS)
    res = plank.analyze(X.with_absence(series, [(9.0, 9.2)]), Settings())
    assert res.metrics["holds"].value == 1
    assert res.metrics["hold_s"].value == pytest.approx(20.0, abs=T_TOL)


def test_a_person_leaving_mid_hold_breaks_it() -> None:
    series, _ = X.plank_series(((20.0, 0.0),), fps=FPS)
    res = plank.analyze(X.with_absence(series, [(8.0, 11.0)]), Settings())
    assert res.metrics["holds"].value == 2
    assert res.metrics["longest_hold_s"].value == pytest.approx(9.0, abs=T_TOL)
    assert "person_absent" in _codes(res)


def test_feet_out_of_frame_are_not_judged_and_get_a_notice() -> None:
    series, _ = X.plank_series(((20.0, 0.0),), fps=FPS)
    res = plank.analyze(X.with_feet_out(series, [(8.0, 11.0)]), Settings())
    assert "out_of_frame" in _codes(res)
    assert res.metrics["holds"].value == 2
    assert {f.phase for f in res.frames if 8.1 < f.t_s < 10.9} == {"out_of_frame"}


def test_a_plank_seen_end_on_gets_a_wrong_view_notice() -> None:
    """Camera at the head: the body is foreshortened and both shoulders show."""
    series, _ = X.plank_series(((8.0, 0.0),), fps=FPS)
    xyzv = series.xyzv.copy()
    cx = 640.0
    xyzv[..., 0] = cx + 0.15 * (xyzv[..., 0] - cx)
    for lm in X.L:
        if lm.name.startswith("RIGHT"):
            xyzv[:, lm, 0] += 140.0
    res = plank.analyze(X.PoseSeries(xyzv, series.t_s, series.width, series.height), Settings())
    assert {"wrong_view", "not_in_position"} <= _codes(res)
    assert res.metrics["hold_s"].value == 0


def test_an_upright_person_is_not_a_plank() -> None:
    res = plank.analyze(X.upright_series(6.0), Settings())
    assert res.metrics["hold_s"].value == 0
    notice = next(n for n in res.notices if n.code == "not_in_position")
    assert "upright" in notice.message


@pytest.mark.parametrize(
    ("dev", "form", "status"), [(0.0, "good", "ok"), (17.0, "hips_sagging", "flag")]
)
def test_a_photo_of_a_plank_is_judged_as_one_frame(dev: float, form: str, status: str) -> None:
    photo = X.PoseSeries(X.plank_pose(dev)[None], np.zeros(1), X.W, X.H)
    report = formcheck.analyze_pose(photo, activity="plank")
    assert len(report.frames) == 1
    assert report.frames[0].form == form
    assert report.frames[0].angles["hip_line_deg"] == pytest.approx(dev, abs=0.5)
    assert next(f for f in report.findings if f.cue == "hip_line").status == status
    assert report.metrics["hold_s"].value is None  # a photo has no duration
    # and auto recognises the photo as a plank
    assert formcheck.analyze_pose(photo, activity="auto").activity == "plank"


# ---------------------------------------------------------------------------------------
# side plank
@pytest.mark.parametrize("side", ["left", "right"])
def test_side_plank_hold_and_which_side(side: str) -> None:
    series, truth = X.side_plank_series(((12.0, 0.0),), side=side, fps=FPS)
    res = side_plank.analyze(series, Settings())
    assert res.view == "front"
    assert res.metrics["hold_s"].value == pytest.approx(truth.total_hold_s, abs=T_TOL)
    m = res.metrics["hold_s"]
    assert (m.left if side == "left" else m.right) == pytest.approx(12.0, abs=T_TOL)
    assert (m.right if side == "left" else m.left) == 0
    assert res.tables["holds"].rows[0][4] == side
    assert res.metrics["side_left_frac"].value == (1.0 if side == "left" else 0.0)
    assert f"Side on the floor: {side}" in _finding(res, "hip_line").message
    assert {f.form for f in res.frames} == {"good"}


@pytest.mark.parametrize(("dev", "label"), [(18.0, "hips_sagging"), (-25.0, "hips_piked")])
def test_side_plank_hips_out_of_line(dev: float, label: str) -> None:
    series, _ = X.side_plank_series(((8.0, dev),), fps=FPS)
    res = side_plank.analyze(series, Settings())
    assert {f.form for f in res.frames} == {label}
    assert res.metrics["hip_line_deg"].value == pytest.approx(dev, abs=0.5)
    assert _finding(res, "hip_line").status == "flag"


def test_side_plank_with_a_sag_is_one_hold() -> None:
    series, _ = X.side_plank_series(((6.0, 0.0), (2.0, 16.0), (6.0, 0.0)), fps=FPS)
    res = side_plank.analyze(series, Settings())
    assert len(res.tables["holds"].rows) == 1
    assert res.metrics["hold_s"].value == pytest.approx(float(series.t_s[-1]), abs=T_TOL)
    assert res.metrics["good_form_s"].value == pytest.approx(12.0, abs=2 * T_TOL)


def test_a_plank_analysed_as_a_side_plank_gets_a_view_notice() -> None:
    series, _ = X.plank_series(((6.0, 0.0),), fps=FPS)
    res = side_plank.analyze(series, Settings())
    assert {"wrong_view", "not_in_position"} <= _codes(res)
    assert res.metrics["hold_s"].value == 0


def test_a_photo_of_a_side_plank() -> None:
    photo = X.PoseSeries(X.side_plank_pose(0.0)[None], np.zeros(1), X.W, X.H)
    report = formcheck.analyze_pose(photo, activity="side-plank")
    assert report.frames[0].form == "good"
    assert next(f for f in report.findings if f.cue == "hip_line").status == "ok"
