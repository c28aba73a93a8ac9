"""Counted warm-up moves and the squat on generated sets whose answers are set here.

Tolerances (why): a rep's time is dated to frames at both ends and the causal
4 Hz smoothing widens a pulse by about a frame at each: 2 frames + 0.04 s (as the
bird dog's holds). The twist reads its angle from the shoulders' width through an
arccos, flat near facing forward, so the smoothed width comes back inside the
``in`` level later: 0.1 s more. Counts and sides are exact.
"""

from __future__ import annotations

import pytest

from formcheck import activities
from formcheck.cues.thresholds import value
from formcheck.exercises.moves import DynamicMoveAnalyzer
from formcheck.settings import Settings
from tests.fixtures import synthetic_body as sb
from tests.fixtures import synthetic_warmup as sw
from tests.fixtures.synthetic_warmup import Reps

FPS = 30.0
T_TOL = 2 / FPS + 0.04
EXTRA_TOL = {"standing-twist": 0.1}
MOVES = list(sw.BUILDERS)


def _rows(res):  # type: ignore[no-untyped-def]
    t = res.tables["reps"]
    return [dict(zip(t.columns, r, strict=True)) for r in t.rows]


def _finding(res, cue):  # type: ignore[no-untyped-def]
    return next(f for f in res.findings if f.cue == cue)


@pytest.mark.parametrize("name", MOVES)
def test_good_sets_are_counted_per_side_with_their_tempo(name: str) -> None:
    series, truth = sw.BUILDERS[name]()
    res = activities.get(name).analyze(series, Settings())
    spec = activities.get(name).live(Settings()).spec  # type: ignore[attr-defined]
    rows = _rows(res)
    assert res.metrics["reps"].value == truth.reps
    assert [r["side"] for r in rows] == truth.sides
    for side in spec.sides:
        assert res.metrics[f"reps_{side}"].value == truth.count(side)
    if set(spec.sides) == {"left", "right"}:
        assert (res.metrics["reps"].left, res.metrics["reps"].right) == (
            truth.count("left"),
            truth.count("right"),
        )
    for row, rep_s in zip(rows, truth.rep_s, strict=True):
        assert row["rep_s"] == pytest.approx(rep_s, abs=T_TOL + EXTRA_TOL.get(name, 0.0))
        assert row["form"] == "good"
    assert _finding(res, "move_form").status == "ok"
    assert all(f.status != "flag" for f in res.findings)
    assert res.view == activities.get(name).view
    assert not res.notices


FAULTS = [
    ("jumping-jacks", lambda: sw.jumping_jacks(feet_abd_deg=3.0), "feet not wide"),
    (
        "high-knees",
        lambda: sw.high_knees(
            Reps(n=12, every_s=0.4, up_s=0.15, hold_s=0.12, sides=("left", "right")),
            thigh_top_deg=75.0,
        ),
        "knee low",
    ),
    ("butt-kicks", lambda: sw.butt_kicks(kick_deg=110.0), "heel low"),
    ("standing-twist", lambda: sw.standing_twist(hips_deg=35.0), "hips turning"),
    ("leg-swing-front", lambda: sw.leg_swings(trunk_deg=30.0), "trunk leaning"),
    (
        "leg-swing-side",
        lambda: sw.leg_swings(view="front", forward_deg=45.0, back_deg=15.0, trunk_deg=30.0),
        "trunk leaning",
    ),
    ("squat", lambda: sw.squats(knees_in_deg=25.0), "knees in"),
    ("arm-circles", lambda: sw.arm_circles(elbow_deg=40.0), "arms bent"),
    ("lunge-twist", lambda: sw.lunges(shin_deg=45.0), "knee past toes"),
]


@pytest.mark.parametrize(("name", "build", "fault"), FAULTS, ids=[f[0] for f in FAULTS])
def test_each_moves_form_fault_is_caught_on_every_rep(name: str, build, fault: str) -> None:  # type: ignore[no-untyped-def]
    series, truth = build()
    a = activities.get(name).live(Settings())
    events, spoken = [], []
    for k in range(series.n_frames):
        up = a.update(series.xyzv[k], float(series.t_s[k]), series.width, series.height)
        events += [e for e in up.events if e.kind == "rep"]
        spoken += [up.cue] if up.cue else []
    res = a.result()
    rows = _rows(res)
    assert len(rows) == truth.reps
    assert {r["form"] for r in rows} == {fault}
    assert _finding(res, "move_form").status == "flag"
    # live: every rep event carries the fault, and the fault's cue is said
    assert len(events) == truth.reps and {e.label for e in events} == {a.spec.fault}  # type: ignore[attr-defined]
    from formcheck.cues.words_exercises import LIVE

    assert LIVE[f"{name}_{a.spec.fault}"] in spoken  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "build"),
    [
        (
            "leg-swing-front",
            lambda: sw.leg_swings(Reps(n=6, every_s=0.8, up_s=0.3, hold_s=0.0, sides=("left",))),
        ),
        (
            "standing-twist",
            lambda: sw.standing_twist(
                Reps(n=6, every_s=0.6, up_s=0.2, hold_s=0.0, sides=("left", "right"))
            ),
        ),
    ],
)
def test_flung_reps_are_counted_and_flagged(name: str, build) -> None:  # type: ignore[no-untyped-def]
    series, truth = build()
    res = activities.get(name).analyze(series, Settings())
    rows = _rows(res)
    assert len(rows) == truth.reps
    assert all(r["rep_s"] < value("move_flung_max_s") for r in rows)
    assert {r["form"] for r in rows} == {"too fast"}
    assert _finding(res, "move_tempo").status == "flag"


def test_turning_the_whole_body_is_not_a_twist() -> None:
    series, _ = sw.standing_twist(twist_deg=60.0, hips_deg=55.0)
    assert activities.get("standing-twist").analyze(series, Settings()).metrics["reps"].value == 0


def test_controlled_tempo_is_not_flagged() -> None:
    series, _ = sw.leg_swings()
    res = activities.get("leg-swing-front").analyze(series, Settings())
    assert _finding(res, "move_tempo").status == "ok"
    assert res.metrics["rep_s"].value > value("move_flung_max_s")


@pytest.mark.parametrize("name", MOVES)
def test_pixel_noise_changes_no_count(name: str) -> None:
    series, truth = sw.BUILDERS[name]()
    noisy = sb.with_noise(series, sigma_px=2.0, seed=7)
    res = activities.get(name).analyze(noisy, Settings())
    assert res.metrics["reps"].value == truth.reps
    assert [r["side"] for r in _rows(res)] == truth.sides


@pytest.mark.parametrize(("top_deg", "reps"), [(128.0, 10), (112.0, 0)])
def test_jacks_hovering_near_the_out_level_count_once_or_not_at_all(
    top_deg: float, reps: int
) -> None:
    """Arms raised to just past the open level (120 deg) or just short of it, with pixel
    noise: each jack counts once, or none does; never two for one."""
    series, _ = sw.jumping_jacks(
        Reps(n=10, every_s=1.2, up_s=0.3, hold_s=0.4), arms_top_deg=top_deg
    )
    res = activities.get("jumping-jacks").analyze(sb.with_noise(series, 3.0, seed=1), Settings())
    assert res.metrics["reps"].value == reps


def test_a_person_leaving_mid_set_loses_only_the_reps_out_of_view() -> None:
    reps = Reps(n=10, every_s=1.0, up_s=0.3, hold_s=0.1)
    series, truth = sw.jumping_jacks(reps)
    starts = reps.starts()
    # gone from just after the 4th jack's start to after the 6th jack: reps 4-6 unseen
    gone = (starts[3] + 0.2, starts[5] + 0.95)
    res = activities.get("jumping-jacks").analyze(sb.with_absence(series, [gone]), Settings())
    rows = _rows(res)
    assert res.metrics["reps"].value == truth.reps - 3
    assert all(r["start_s"] >= gone[1] or r["start_s"] + r["rep_s"] <= gone[0] for r in rows)
    assert "person_absent" in {n.code for n in res.notices}


@pytest.mark.parametrize("name", ["high-knees", "standing-twist", "hip-circles"])
def test_live_frame_by_frame_equals_batch_and_publishes_the_counts(name: str) -> None:
    series, truth = sw.BUILDERS[name]()
    act = activities.get(name)
    live = act.live(Settings())
    assert isinstance(live, DynamicMoveAnalyzer)
    events = []
    for k in range(series.n_frames):
        up = live.update(series.xyzv[k], float(series.t_s[k]), series.width, series.height)
        events += list(up.events)
    assert up.metrics is not None and up.state.reps == truth.reps
    assert up.metrics["reps"] == truth.reps
    for side in live.spec.sides:
        assert up.metrics[f"reps_{side}"] == truth.count(side)
    assert [e.side or "" for e in events if e.kind == "rep"] == truth.sides
    batch = act.analyze(series, Settings())
    assert live.result().tables["reps"].rows == batch.tables["reps"].rows


@pytest.mark.parametrize("name", ["high-knees", "butt-kicks"])
def test_timed_moves_time_the_moving(name: str) -> None:
    reps = Reps(n=20, every_s=0.4, up_s=0.15, hold_s=0.08, sides=("left", "right"))
    build = sw.high_knees if name == "high-knees" else sw.butt_kicks
    series, truth = build(reps)
    res = activities.get(name).analyze(series, Settings())
    starts = reps.starts()
    moving_s = starts[-1] + truth.rep_s[-1] - starts[0]  # first rep out to last rep back
    assert res.metrics["active_s"].value == pytest.approx(moving_s, abs=3 * T_TOL)
    assert _finding(res, "move_time").status == "ok"


@pytest.mark.parametrize("name", MOVES)
def test_each_move_is_recognised_and_no_other_move_claims_it(name: str) -> None:
    series, _ = sw.BUILDERS[name]()
    min_frac = value("classify_min_frac")
    s = Settings()
    assert activities.get(name).recognise(series, s) >= min_frac  # type: ignore[misc]
    for other in MOVES:
        if other != name:
            assert activities.get(other).recognise(series, s) < min_frac, other  # type: ignore[misc]
    assert activities.classify(series)[0] == name


@pytest.mark.parametrize("view", ["front", "side"])
def test_standing_still_is_no_move(view: str) -> None:
    still = sw.standing_still(6.0, view=view)
    for name in MOVES:
        act = activities.get(name)
        assert act.recognise(still, Settings()) == 0.0  # type: ignore[misc]
        assert act.analyze(still, Settings()).metrics["reps"].value == 0


def test_a_move_filmed_from_the_wrong_side_says_where_the_camera_goes() -> None:
    from formcheck.cues import words_warmup

    series, _ = sw.high_knees()  # side view; jumping jacks are filmed from the front
    a = activities.get("jumping-jacks").live(Settings())
    said = []
    for k in range(series.n_frames):
        up = a.update(series.xyzv[k], float(series.t_s[k]), series.width, series.height)
        said += [up.cue] if up.cue else []
    assert words_warmup.VIEW_CUE["front"] in said
    res = a.result()
    assert res.metrics["reps"].value == 0
    view = next(n for n in res.notices if n.code == "wrong_view")
    assert "facing the camera" in view.message


def test_a_half_rep_cut_by_leaving_is_not_counted_and_counting_resumes() -> None:
    """High knees, the person gone from the middle of a knee raise to after the next:
    the cut raise and the unseen one are not counted, and each leg's later raises are."""
    reps = Reps(n=16, every_s=0.5, up_s=0.15, hold_s=0.1, sides=("left", "right"))
    series, truth = sw.high_knees(reps)
    starts = reps.starts()
    gone = (starts[6] + 0.15, starts[7] + 0.45)  # leaves at the top of raise 7
    a = activities.get("high-knees").live(Settings())
    cut = sb.with_absence(series, [gone])
    for k in range(cut.n_frames):
        up = a.update(cut.xyzv[k], float(cut.t_s[k]), cut.width, cut.height)
    assert up.metrics is not None
    assert up.metrics["reps"] == truth.reps - 2
    assert up.metrics["reps_left"] + up.metrics["reps_right"] == truth.reps - 2
    assert "active_s" in up.metrics
    rows = _rows(a.result())
    assert all(r["start_s"] >= gone[1] or r["start_s"] + r["rep_s"] <= gone[0] for r in rows)
