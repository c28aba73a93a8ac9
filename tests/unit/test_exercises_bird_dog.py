"""Bird dog on generated sets whose reaches, holds and angles are set here.

Tolerances (why): hold times are dated to frames at both ends and the causal
4 Hz smoothing delays each by about a frame: 2 frames + 0.04 s. Reach angles are
drawn exactly, and the median over the hold is taken while they are still, but
a hold's edges include part of the raise: 1.5 deg.
"""

from __future__ import annotations

import pytest

from formcheck.activities import make_live_analyzer
from formcheck.exercises import bird_dog
from formcheck.settings import Settings
from tests.fixtures import synthetic_exercises as X
from tests.fixtures.synthetic_exercises import Reach

FPS = 30.0
T_TOL = 2 / FPS + 0.04


def _rows(res):  # type: ignore[no-untyped-def]
    t = res.tables["reps"]
    return [dict(zip(t.columns, r, strict=True)) for r in t.rows]


def _finding(res, cue):  # type: ignore[no-untyped-def]
    return next(f for f in res.findings if f.cue == cue)


def test_alternating_reaches_are_counted_per_side_with_their_holds() -> None:
    series, truth = X.bird_dog_series(fps=FPS)
    res = bird_dog.analyze(series, Settings())
    m = res.metrics["reps"]
    assert m.value == 4 and m.left == 2 and m.right == 2
    rows = _rows(res)
    assert [r["side"] for r in rows] == truth.sides
    for row, hold in zip(rows, truth.holds_s, strict=True):
        assert row["hold_s"] == pytest.approx(hold, abs=T_TOL)
        assert row["arm_deg"] == pytest.approx(0.0, abs=1.5)
        assert row["leg_deg"] == pytest.approx(0.0, abs=1.5)
        assert row["flags"] == ""
    for cue in ("bird_dog_alternate", "bird_dog_hold", "bird_dog_reach", "bird_dog_trunk"):
        assert _finding(res, cue).status == "ok"
    phases = {f.phase for f in res.frames}
    assert {"neutral", "reach_left", "reach_right"} <= phases
    assert {f.form for f in res.frames if f.phase.startswith("reach")} == {"good"}
    assert not res.notices


def test_short_holds_are_flagged() -> None:
    series, truth = X.bird_dog_series([Reach("left", hold_s=0.3), Reach("right", hold_s=0.3)])
    res = bird_dog.analyze(series, Settings())
    rows = _rows(res)
    assert len(rows) == 2
    assert all("short_hold" in r["flags"] for r in rows)
    assert rows[0]["hold_s"] == pytest.approx(truth.holds_s[0], abs=T_TOL)
    assert _finding(res, "bird_dog_hold").status == "flag"


def test_limbs_below_level_are_flagged() -> None:
    reaches = [Reach("left", arm_elev_deg=-35.0, leg_elev_deg=-30.0), Reach("right")]
    series, _ = X.bird_dog_series(reaches)
    res = bird_dog.analyze(series, Settings())
    first, second = _rows(res)
    assert first["arm_deg"] == pytest.approx(-35.0, abs=1.5)
    assert first["leg_deg"] == pytest.approx(-30.0, abs=1.5)
    assert "arm_not_level" in first["flags"] and "leg_not_level" in first["flags"]
    assert second["flags"] == ""
    assert any(f.form == "limbs_not_level" for f in res.frames)


def test_a_tilting_trunk_is_flagged() -> None:
    reaches = [Reach("left", trunk_delta_deg=20.0), Reach("right", trunk_delta_deg=20.0)]
    series, _ = X.bird_dog_series(reaches)
    res = bird_dog.analyze(series, Settings())
    for row in _rows(res):
        assert row["trunk_change_deg"] == pytest.approx(20.0, abs=1.5)
        assert "trunk_moving" in row["flags"]
    assert _finding(res, "bird_dog_trunk").status == "flag"


def test_the_same_side_twice_is_flagged() -> None:
    series, _ = X.bird_dog_series([Reach("left"), Reach("left"), Reach("right")])
    res = bird_dog.analyze(series, Settings())
    assert [r["side"] for r in _rows(res)] == ["left", "left", "right"]
    assert "same_side" in _rows(res)[1]["flags"]
    assert _finding(res, "bird_dog_alternate").status == "flag"


@pytest.mark.parametrize("seed", range(3))
def test_noise_does_not_add_or_lose_reaches(seed: int) -> None:
    series, truth = X.bird_dog_series()
    res = bird_dog.analyze(X.with_noise(series, 2.5, seed), Settings())
    assert [r["side"] for r in _rows(res)] == truth.sides


def test_a_person_leaving_mid_set() -> None:
    reaches = [Reach("left"), Reach("right", rest_s=4.0), Reach("left"), Reach("right")]
    series, truth = X.bird_dog_series(reaches)
    # reach 2 ends at 1.5 + (0.8+3+0.8+1.5) + (0.8+3+0.8) = 12.2 s; rest until 16.2 s
    res = bird_dog.analyze(X.with_absence(series, [(12.8, 15.0)]), Settings())
    assert [r["side"] for r in _rows(res)] == truth.sides
    assert "person_absent" in {n.code for n in res.notices}


def test_live_frame_by_frame_equals_the_whole_clip() -> None:
    series, _ = X.bird_dog_series()
    live = make_live_analyzer("bird-dog")
    events = []
    for k in range(series.n_frames):
        up = live.update(series.xyzv[k], float(series.t_s[k]), series.width, series.height)
        events.extend(e for e in up.events if e.kind == "rep")
    batch = bird_dog.analyze(series, Settings())
    assert [e.side for e in events] == [r["side"] for r in _rows(batch)]
    assert live.result().tables["reps"].rows == batch.tables["reps"].rows
    # the live counts per reaching arm, as a routine's per-side dose reads them
    reps = batch.metrics["reps"]
    assert (up.metrics or {})["reps_left"] == reps.left
    assert (up.metrics or {})["reps_right"] == reps.right
    assert reps.left and reps.right


def test_an_upright_person_is_not_a_bird_dog() -> None:
    res = bird_dog.analyze(X.upright_series(6.0), Settings())
    assert res.metrics["reps"].value == 0
    assert "not_in_position" in {n.code for n in res.notices}
