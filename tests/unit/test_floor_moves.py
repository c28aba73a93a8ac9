"""The floor moves (cat-cow, knee-to-chest, dead bug, clamshell, donkey kick, superman,
side-lying leg lift) on stick figures whose answers are set by the profile
(tests/fixtures/synthetic_floor.py): reps per side, tempo, each move's form fault,
noise near the thresholds, a person leaving mid-set, and no move counting another's.
"""

from __future__ import annotations

import pytest

from formcheck import activities
from formcheck.cues.thresholds import value
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult
from formcheck.settings import Settings
from tests.fixtures import synthetic_floor as sf
from tests.fixtures.synthetic_body import with_absence, with_noise
from tests.fixtures.synthetic_warmup import standing_still

FLOOR = ("cat-cow", "knee-to-chest", "dead-bug", "clamshell", "donkey-kick", "superman",
         "side-leg-lift")  # fmt: skip
L, R = "left", "right"


def _run(name: str, s: PoseSeries) -> ActivityResult:
    return activities.get(name).analyze(s, Settings())


def _reps(res: ActivityResult) -> int:
    return int(res.metrics["reps"].value or 0)


def _side(res: ActivityResult, side: str) -> int:
    return int(res.metrics[f"reps_{side}"].value or 0)


def _labels(res: ActivityResult) -> list[str]:
    return [e.label or "" for e in res.events if e.kind == "rep"]


#: name -> (series, total reps, {side: reps}) set by the profile
def _sets() -> dict[str, tuple[PoseSeries, int, dict[str, int]]]:
    return {
        "cat-cow": (sf.cat_cow(3), 3, {}),
        "knee-to-chest": (sf.knee_to_chest([1, 3, 5, 7, 9], [L, R, L, R, L]), 5, {L: 3, R: 2}),
        "dead-bug": (sf.dead_bug([1, 3.5, 6], [L, R, L]), 3, {L: 2, R: 1}),
        "donkey-kick": (sf.donkey_kick([1, 3, 5], [L, L, R]), 3, {L: 2, R: 1}),
        "superman": (sf.superman([1, 4, 7, 10]), 4, {}),
        # lying on the left side: the right leg is on top
        "clamshell": (sf.clamshell([1, 3, 5]), 3, {L: 0, R: 3}),
        "side-leg-lift": (sf.side_leg_lift([1, 3, 5, 7]), 4, {L: 0, R: 4}),
    }


@pytest.fixture(scope="module")
def sets() -> dict[str, tuple[PoseSeries, int, dict[str, int]]]:
    return _sets()


@pytest.mark.parametrize("name", FLOOR)
def test_reps_per_side_good_form(name: str, sets) -> None:  # type: ignore[no-untyped-def]
    s, n, per_side = sets[name]
    res = _run(name, s)
    assert _reps(res) == n
    for side, k in per_side.items():
        assert _side(res, side) == k
    assert _labels(res) == ["good"] * n  # set at a good size and a controlled pace
    assert not [x for x in res.notices if x.code == "not_in_position"]


@pytest.mark.parametrize("name", FLOOR)
def test_live_frame_by_frame_gives_the_batch_counts(name: str, sets) -> None:  # type: ignore[no-untyped-def]
    s, n, per_side = sets[name]
    live = activities.make_live_analyzer(name)
    last: dict[str, float] = {}
    counted = 0
    for k in range(s.n_frames):
        up = live.update(s.xyzv[k], float(s.t_s[k]), s.width, s.height)
        counted += sum(1 for e in up.events if e.kind == "rep")
        last = up.metrics or last
    assert counted == last["reps"] == n
    for side, k in per_side.items():
        assert last[f"reps_{side}"] == k


@pytest.mark.parametrize("name", FLOOR)
def test_mirrored_counts_the_same_reps_with_the_sides_swapped(name: str, sets) -> None:  # type: ignore[no-untyped-def]
    s, n, per_side = sets[name]
    res = _run(name, s.mirrored())
    assert _reps(res) == n
    for side, k in per_side.items():
        assert _side(res, {L: R, R: L}[side]) == k


@pytest.mark.parametrize("name", FLOOR)
def test_no_other_floor_move_counts_or_recognises_this_one(name: str, sets) -> None:  # type: ignore[no-untyped-def]
    s, _, _ = sets[name]
    min_frac = value("classify_min_frac")
    for other in FLOOR:
        if other == name:
            assert activities.get(other).recognise(s, Settings()) > 0  # type: ignore[misc]
            continue
        assert _reps(_run(other, s)) == 0, other
        assert activities.get(other).recognise(s, Settings()) < min_frac, other  # type: ignore[misc]


def test_standing_person_is_no_floor_move() -> None:
    for view in ("side", "front"):
        s = standing_still(6.0, view=view)
        for name in FLOOR:
            assert _reps(_run(name, s)) == 0
            assert activities.get(name).recognise(s, Settings()) == 0.0  # type: ignore[misc]


# ---- the form fault of each move, drawn into the figure --------------------------------
FAULTS = {
    "cat-cow": (lambda: sf.cat_cow(2, ext_deg=35.0, flex_deg=15.0), "short_range"),
    "knee-to-chest": (lambda: sf.knee_to_chest([1, 3], [L, R], hip_deg=100.0), "knee_low"),
    "dead-bug": (lambda: sf.dead_bug([1, 3.5], [L, R], trunk_tilt_deg=20.0), "back_lifting"),
    "clamshell": (lambda: sf.clamshell([1, 3], roll_deg=45.0), "pelvis_rolling"),
    "donkey-kick": (lambda: sf.donkey_kick([1, 3], [L, R], kick_deg=120.0), "back_arching"),
    "superman": (lambda: sf.superman([1, 4], lift_deg=15.0, chest_deg=30.0), "arching"),
    "side-leg-lift": (lambda: sf.side_leg_lift([1, 3], roll_deg=45.0), "pelvis_rolling"),
}


@pytest.mark.parametrize("name", FLOOR)
def test_form_fault_is_flagged_on_every_rep(name: str) -> None:
    build, fault = FAULTS[name]
    res = _run(name, build())
    assert _reps(res) == 2
    assert _labels(res) == [fault, fault]
    form = next(f for f in res.findings if f.cue == "move_form")
    assert form.status == "flag"


# ---- tempo ----------------------------------------------------------------------------
#: a rep out and back in well under the flung limit (its rising phase 0.4 of it)
_UP = 0.4 * value("move_flung_max_s")
FAST = {
    "cat-cow": lambda: sf.cat_cow(3, period_s=1.6),
    "knee-to-chest": lambda: sf.knee_to_chest([1, 2, 3], [L, R, L], up_s=_UP, hold_s=0.05),
    "dead-bug": lambda: sf.dead_bug([1, 2, 3], [L, R, L], up_s=_UP, hold_s=0.05),
    "clamshell": lambda: sf.clamshell([1, 2, 3], up_s=_UP, hold_s=0.05),
    "donkey-kick": lambda: sf.donkey_kick([1, 2, 3], [L, R, L], up_s=_UP, hold_s=0.05),
    "superman": lambda: sf.superman([1, 2, 3], up_s=_UP, hold_s=0.05),
    "side-leg-lift": lambda: sf.side_leg_lift([1, 2, 3], up_s=_UP, hold_s=0.05),
}


@pytest.mark.parametrize("name", FLOOR)
def test_rushed_reps_are_counted_and_flagged_too_fast(name: str) -> None:
    res = _run(name, FAST[name]())
    assert _reps(res) == 3
    assert _labels(res) == ["flung"] * 3
    tempo = next(f for f in res.findings if f.cue == "move_tempo")
    assert tempo.status == "flag"


# ---- noise near the thresholds: each rep counts once ----------------------------------
NEAR = {
    # each set a little past its out level, then pixel noise on every landmark
    "cat-cow": lambda: sf.cat_cow(3, ext_deg=16.0, flex_deg=16.0),
    "knee-to-chest": lambda: sf.knee_to_chest([1, 3, 5], [L, R, L], hip_deg=97.0),
    "dead-bug": lambda: sf.dead_bug([1, 3.5, 6], [L, R, L], reach=0.68),
    "clamshell": lambda: sf.clamshell([1, 3, 5], open_deg=18.0),
    "donkey-kick": lambda: sf.donkey_kick([1, 3, 5], [L, R, L], kick_deg=52.0),
    "superman": lambda: sf.superman([1, 4, 7], lift_deg=11.0),
    "side-leg-lift": lambda: sf.side_leg_lift([1, 3, 5], lift_deg=25.0),
}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("name", FLOOR)
def test_noise_near_the_thresholds_never_counts_twice(name: str, seed: int) -> None:
    s = with_noise(NEAR[name](), sigma_px=1.5, seed=seed)
    assert _reps(_run(name, s)) == 3


# ---- a person leaving mid-set ---------------------------------------------------------
LEAVE = {
    # (series, the time the person is away, reps left whole); cat-cow: away from the
    # second cycle's cat to its end, so its cow pairs with the third cycle's cat
    "cat-cow": (lambda: sf.cat_cow(3), (10.5, 13.0), 2),
    "knee-to-chest": (lambda: sf.knee_to_chest([1, 3, 5], [L, R, L]), (3.5, 5.0), 2),
    "dead-bug": (lambda: sf.dead_bug([1, 3.5, 6], [L, R, L]), (4.0, 5.5), 2),
    "clamshell": (lambda: sf.clamshell([1, 3, 5]), (3.5, 5.0), 2),
    "donkey-kick": (lambda: sf.donkey_kick([1, 3, 5], [L, R, L]), (3.5, 5.0), 2),
    "superman": (lambda: sf.superman([1, 4, 7]), (4.5, 6.0), 2),
    "side-leg-lift": (lambda: sf.side_leg_lift([1, 3, 5]), (3.5, 5.0), 2),
}


@pytest.mark.parametrize("name", FLOOR)
def test_leaving_mid_rep_drops_that_rep_and_says_so(name: str) -> None:
    build, away, n = LEAVE[name]
    res = _run(name, with_absence(build(), [away]))
    assert _reps(res) == n
    assert any(x.code == "person_absent" for x in res.notices)


def test_half_a_cat_cow_before_a_break_is_not_finished_after_it() -> None:
    """The cow end reached, then the person gone for 2 s, back for the cat end: no
    whole cycle was seen, so none is counted (the spec's memory goes with the break,
    as a counter's half rep does)."""
    # one cycle: cow at its top at 2.5 s, cat at its bottom at 5.5 s; away 3.5-5.0 s
    res = _run("cat-cow", with_absence(sf.cat_cow(1), [(3.5, 5.0)]))
    assert _reps(res) == 0
    assert _reps(_run("cat-cow", sf.cat_cow(1))) == 1


# ---- thresholds and words --------------------------------------------------------------
def test_every_floor_threshold_has_a_source_and_every_rule_a_threshold() -> None:
    from formcheck.cues.thresholds import THRESHOLDS
    from formcheck.cues.thresholds_floor import FLOOR as FLOOR_THRESHOLDS
    from formcheck.cues.thresholds_floor import JUDGED

    for t in FLOOR_THRESHOLDS:
        assert t.source and t.unit, t.name
        assert THRESHOLDS[t.name] is t
    for activity, _, side, name in JUDGED:
        assert activity in FLOOR and side in ("above", "below") and name in THRESHOLDS


@pytest.mark.parametrize("name", FLOOR)
def test_every_floor_move_has_its_live_words(name: str) -> None:
    from formcheck.cues import words_exercises, words_warmup
    from formcheck.exercises import floor_strength, floor_warmup

    spec = next(
        s
        for s in (*vars(floor_warmup).values(), *vars(floor_strength).values())
        if getattr(s, "name", None) == name and hasattr(s, "fault")
    )
    assert f"setup_{name}" in words_exercises.LIVE
    assert f"{name}_{spec.fault}" in words_exercises.LIVE
    assert name in words_warmup.FORM and spec.fault in words_warmup.FAULT


def test_a_threshold_override_reaches_the_counter() -> None:
    s = sf.superman([1, 4, 7])  # a bow of about 30 deg at the top
    assert _reps(activities.get("superman").analyze(s, Settings())) == 3
    high = Settings(thresholds={"superman_out_deg": 45.0})
    assert _reps(activities.get("superman").analyze(s, high)) == 0
    # a threshold a spec's own functions read (an end of the cat-cow's range)
    c = sf.cat_cow(2, ext_deg=35.0, flex_deg=45.0)
    assert _reps(activities.get("cat-cow").analyze(c, Settings())) == 2
    far = Settings(thresholds={"cat_cow_end_deg": 40.0})
    assert _reps(activities.get("cat-cow").analyze(c, far)) == 0
