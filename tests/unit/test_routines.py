"""The routines table and the routine runner, fed synthetic live updates (issue 22).

The updates follow the live conventions every move keeps: ``reps`` and ``reps_<side>``,
``hold_s`` and ``hold_s_<side>``, ``active_s`` (notes/common.md, "Live conventions").
"""

from __future__ import annotations

import math

import pytest

import formcheck.activities as activities
from formcheck.cues import words_routines as words
from formcheck.cues.words_exercises import POSITION_HOW
from formcheck.live import LiveUpdate
from formcheck.pipeline.routine import RoutineRunner, summary_line
from formcheck.results import FrameState
from formcheck.routines import ROUTINES, Dose, Routine, RoutineStep, get, hold, reps, slug, timed

FPS = 10.0


def upd(
    t: float, *, form: str | None = None, phase: str | None = "hold", **metrics: float
) -> LiveUpdate:
    st = FrameState(
        int(t * FPS),
        t,
        phase=phase,
        form=form,
        reps=int(metrics["reps"]) if "reps" in metrics else None,
        hold_s=metrics.get("hold_s"),
    )
    return LiveUpdate(st, metrics=dict(metrics))


def routine(*steps: RoutineStep) -> Routine:
    return Routine("test-routine", "Test routine", steps)


class Clock:
    """Synthetic frame times, 10 a second."""

    def __init__(self) -> None:
        self.t = 0.0

    def tick(self, s: float = 1 / FPS) -> float:
        self.t += s
        return self.t


# -- the table ---------------------------------------------------------------------------
def test_every_step_names_a_move_of_the_activity_table() -> None:
    """Every move of every built-in routine is an activity of the table (the new moves
    land with the other helpers' branches: deselect this test until they are merged)."""
    missing = {
        (r.name, s.activity)
        for r in ROUTINES
        for s in r.steps
        if s.activity not in activities.BY_NAME
    }
    assert not missing


def test_builtin_routines_are_the_articles() -> None:
    core = get("core-and-glute")
    assert [s.activity for s in core.steps] == ["glute-bridge", "plank", "bird-dog", "side-plank"]
    assert core.steps[0].dose == reps(15)
    assert core.steps[1].dose == hold(30)
    assert core.steps[2].dose.per == "side" and core.steps[3].dose.per == "side"
    warm = get("pre-run-warm-up")
    assert warm.steps[2].dose == reps(10, "direction")
    assert [s.dose.measure for s in warm.steps[-2:]] == ["active_s", "active_s"]
    cool = get("post-run-cool-down")
    assert all(s.dose.measure == "hold_s" for s in cool.steps)
    for r in ROUTINES:
        assert r.builtin and r.source and len({s.activity for s in r.steps}) == len(r.steps)
    with pytest.raises(ValueError, match="unknown routine"):
        get("nope")


def test_routine_round_trips_and_refuses_bad_data() -> None:
    for r in ROUTINES:
        back = Routine.from_dict(r.to_dict())
        assert back.steps == r.steps and back.label == r.label and not back.builtin
    with pytest.raises(ValueError):
        Dose(0, "reps")
    with pytest.raises(ValueError):
        Dose(math.nan, "hold_s")
    with pytest.raises(ValueError):
        Dose(5, "reps", "sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Routine("Bad Name", "x", (RoutineStep("plank", hold(5)),))
    with pytest.raises(ValueError):
        Routine("empty", "x", ())
    assert slug("  My Morning set! ") == "my-morning-set"
    assert slug("!!!") == "my-routine"
    assert slug("Core and glute") == "my-core-and-glute"  # never a built-in's name


# -- the runner ----------------------------------------------------------------------------
def test_reps_dose_met_then_next_move_announced() -> None:
    run = RoutineRunner(
        routine(RoutineStep("glute-bridge", reps(15)), RoutineStep("plank", hold(30)))
    )
    first = run.start()
    assert first.next_index == 0 and first.text.startswith("First: glute bridge, 15 reps.")
    assert POSITION_HOW["glute-bridge"][:20].lower() in first.text.lower()
    c = Clock()
    for n in range(15):
        adv = run.feed(upd(c.tick(), reps=n, phase="up"))
        assert adv is None, f"advanced at {n} reps"
    adv = run.feed(upd(c.tick(), reps=15))
    assert adv is not None and adv.finished == 0 and adv.next_index == 1 and not adv.skipped
    assert adv.text.startswith("Next: plank, 30 s.")
    assert POSITION_HOW["plank"][:20].lower() in adv.text.lower()
    assert run.current is not None and run.current.activity == "plank"


def test_per_side_dose_needs_both_sides_and_the_wrong_side_first_is_fine() -> None:
    run = RoutineRunner(routine(RoutineStep("bird-dog", reps(10, "side"))))
    run.start()
    c = Clock()
    for n in range(1, 11):  # the right side first, all ten
        assert run.feed(upd(c.tick(), reps=n, reps_right=n, reps_left=0)) is None
    assert "right 10/10" in run.progress_text() and "left 0/10" in run.progress_text()
    for n in range(1, 10):
        assert run.feed(upd(c.tick(), reps=10 + n, reps_right=10, reps_left=n)) is None
    adv = run.feed(upd(c.tick(), reps=20, reps_right=10, reps_left=10))
    assert adv is not None and adv.next_index is None
    assert adv.text == words.routine_done("Test routine")
    s = run.summary()
    assert s.complete and s.steps[0]["done"] == {"left": 10.0, "right": 10.0}


def test_per_side_dose_from_a_total_only_move_needs_twice_the_dose() -> None:
    run = RoutineRunner(routine(RoutineStep("bird-dog", reps(10, "side"))))
    run.start()
    c = Clock()
    for n in range(1, 20):
        assert run.feed(upd(c.tick(), reps=n)) is None
    assert "19/20 reps" in run.progress_text()
    assert run.feed(upd(c.tick(), reps=20)) is not None
    assert run.summary().lines() == ["Bird dog: 20/20 reps (done)"]


def test_hold_counts_time_in_position_only_when_the_person_leaves() -> None:
    """20 s held, 6 s away (no person: no numbers, then a clock at 0), 10 s held again:
    met at 30 s of holding, not at 30 s of clock."""
    run = RoutineRunner(routine(RoutineStep("plank", hold(30)), RoutineStep("bird-dog", reps(5))))
    run.start()
    c = Clock()
    h = 0.0
    for _ in range(200):  # 20 s
        h += 0.1
        assert run.feed(upd(c.tick(), hold_s=h, form="good")) is None
    for _ in range(30):  # away 3 s: nobody in view, no numbers
        assert run.feed(LiveUpdate(FrameState(0, c.tick(), phase="absent"))) is None
    for _ in range(30):  # back, setting up: the clock reads 0
        assert run.feed(upd(c.tick(), hold_s=0.0, phase="setup")) is None
    h = 0.0
    adv = None
    for _ in range(99):  # 9.9 s
        h += 0.1
        adv = run.feed(upd(c.tick(), hold_s=h, form="hips_sagging"))
        assert adv is None, f"advanced after {h:.1f} s of the second hold"
    for _ in range(3):
        h += 0.1
        adv = adv or run.feed(upd(c.tick(), hold_s=h, form="hips_sagging"))
    assert adv is not None and adv.finished == 0
    rec = run.summary().steps[0]
    assert rec["done"]["total"] == pytest.approx(30.0, abs=0.15)  # type: ignore[index]
    assert rec["form_s"]["hips_sagging"] == pytest.approx(10.0, abs=0.3)  # type: ignore[index]
    assert "good" not in rec["form_s"]  # type: ignore[operator]


def test_side_hold_per_side_from_named_clocks_and_from_side_down() -> None:
    run = RoutineRunner(
        routine(
            RoutineStep("side-plank", hold(5, "side")), RoutineStep("side-plank", hold(5, "side"))
        )
    )
    run.start()
    c = Clock()
    h = 0.0
    for _ in range(60):  # the left only: 6 s
        h += 0.1
        assert run.feed(upd(c.tick(), hold_s=h, hold_s_left=h)) is None
    h2 = 0.0
    adv = None
    for _ in range(52):
        h2 += 0.1
        adv = adv or run.feed(upd(c.tick(), hold_s=h2, hold_s_left=h, hold_s_right=h2))
    assert adv is not None and adv.next_index == 1
    # the side plank of today names its side only by side_down_left
    h = 0.0
    for _ in range(60):
        h += 0.1
        assert run.feed(upd(c.tick(), hold_s=h, side_down_left=1.0)) is None
    assert "left 5/5" in run.progress_text() and "right 0/5" in run.progress_text()
    for _ in range(30):  # a rest between sides
        assert run.feed(upd(c.tick(), hold_s=0.0, side_down_left=0.0)) is None
    h, adv = 0.0, None
    for _ in range(52):
        h += 0.1
        adv = adv or run.feed(upd(c.tick(), hold_s=h, side_down_left=0.0))
    assert adv is not None and adv.next_index is None


def test_timed_move_counts_seconds_moving() -> None:
    run = RoutineRunner(routine(RoutineStep("high-knees", timed(30))))
    first = run.start()
    assert first.text.startswith(f"First: {words.move_name('high-knees')}, 30 s.")
    c = Clock()
    adv = None
    for k in range(1, 500):
        # stands still 10 s in the middle: active_s does not rise
        active = min(k, 100) * 0.1 if k < 200 else (100 + k - 200) * 0.1
        adv = run.feed(upd(c.tick(), active_s=active, reps=k // 3))
        if adv:
            break
    assert adv is not None
    assert c.t == pytest.approx(40.0, abs=0.25)  # 30 s moving took 40 s


def test_skip_moves_on_and_the_summary_says_so() -> None:
    run = RoutineRunner(
        routine(
            RoutineStep("glute-bridge", reps(15)),
            RoutineStep("plank", hold(30)),
            RoutineStep("bird-dog", reps(10, "side")),
        )
    )
    assert run.skip() is None  # not started
    run.start()
    c = Clock()
    for n in range(1, 8):
        run.feed(upd(c.tick(), reps=n))
    adv = run.skip()
    assert adv is not None and adv.skipped and adv.next_index == 1 and "plank" in adv.text
    adv = run.skip()
    assert adv is not None and adv.next_index == 2
    for n in range(1, 11):
        run.feed(upd(c.tick(), reps=2 * n, reps_left=n, reps_right=n))
    assert run.finished
    assert run.skip() is None and run.feed(upd(c.tick(), reps=30)) is None
    s = run.summary()
    assert not s.complete and s.moves_done == 1
    assert [st["status"] for st in s.steps] == ["skipped", "skipped", "done"]
    lines = s.lines()
    assert lines[0].startswith("Glute bridge: 7/15 reps (skipped)")
    assert "left 10/10, right 10/10 reps (done)" in lines[2]


def test_a_rep_move_keeps_its_count_when_the_person_leaves() -> None:
    run = RoutineRunner(routine(RoutineStep("glute-bridge", reps(5))))
    run.start()
    c = Clock()
    for n in (1, 2, 3):
        run.feed(upd(c.tick(), reps=n))
    for _ in range(50):  # away: the state has no count and there are no numbers
        run.feed(LiveUpdate(FrameState(0, c.tick(), phase="absent")))
    assert "3/5 reps" in run.progress_text()
    run.feed(upd(c.tick(), reps=4))
    assert run.feed(upd(c.tick(), reps=5)) is not None


def test_summary_before_the_end_and_notes() -> None:
    run = RoutineRunner(
        routine(RoutineStep("glute-bridge", reps(3)), RoutineStep("plank", hold(5)))
    )
    run.start()
    c = Clock()
    for n in (1, 2, 3):
        run.feed(upd(c.tick(), reps=n))
    run.add_notes(0, ["Lift the hips higher."], session_id=12)
    run.add_notes(0, ["Lift the hips higher."])
    s = run.summary()
    assert not s.complete
    assert s.steps[0]["session_id"] == 12 and s.steps[0]["notes"] == ["Lift the hips higher."]
    assert s.steps[1]["status"] == "running"
    assert "Lift the hips higher." in summary_line(s.steps[0])
    assert s.to_dict()["steps"][1]["status"] == "running"  # type: ignore[index]
