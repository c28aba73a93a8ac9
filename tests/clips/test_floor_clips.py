"""The floor moves on real clips against their known truths (shared/clips/MANIFEST.md,
read by tests/fixtures/truths.py), counts within one rep:

* cat_cow_trajnovd.mp4: 1 slow cycle, cow (back sagged, head up) then cat (back
  rounded): both ends of the range reached;
* dead_bug_lifeenherance.mp4: 4 reps alternating, 2 per side;
* superman_fitbod.mp4: 6 lifts (an oblique view, then a side view);
* the clips of running, the glute bridge and the plank: no floor move is counted
  or recognised (share under ``classify_min_frac``); the bird dog clip (also on all
  fours) is not taken for cat-cow.
"""

from __future__ import annotations

import itertools

import pytest

from formcheck import activities
from formcheck.cues.thresholds import value
from formcheck.settings import Settings
from tests.fixtures import truths

pytestmark = pytest.mark.clips

CAT_COW = "cat_cow_trajnovd.mp4"
DEAD_BUG = "dead_bug_lifeenherance.mp4"
SUPERMAN = "superman_fitbod.mp4"
BIRD_DOG = "bird_dog_fitbod.mp4"
#: (clip, the activity it is analysed as elsewhere in the clip tests: same memo entry)
OTHERS = (
    ("run_treadmill_male_side.mp4", "run"),
    ("glute_bridge_side_darebee.mp4", "glute-bridge"),
    ("plank_forearm_side_mrpose.mp4", "plank"),
)
FLOOR = ("cat-cow", "knee-to-chest", "dead-bug", "clamshell", "donkey-kick", "superman",
         "side-leg-lift")  # fmt: skip


def _count(clip: str) -> int:
    return int(truths.clip(clip).count.value)


def test_cat_cow_one_cycle_with_both_ends_reached(analyzed) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(CAT_COW, "cat-cow")
    assert abs(report.metrics["reps"].value - _count(CAT_COW)) <= 1
    assert report.metrics["reps"].value >= 1  # the one cycle is seen
    form = next(f for f in report.findings if f.cue == "move_form")
    assert form.status == "ok"  # flexion and extension both reached
    assert report.metrics["range_deg"].value >= value("cat_cow_range_min_deg")


def test_dead_bug_four_reps_two_per_side(analyzed) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(DEAD_BUG, "dead-bug")
    n = _count(DEAD_BUG)
    assert abs(report.metrics["reps"].value - n) <= 1
    for side in ("left", "right"):  # alternating: half on each side
        assert abs(report.metrics[f"reps_{side}"].value - n / 2) <= 1
    sides = [e.side for e in report.events if e.kind == "rep"]
    assert all(a != b for a, b in itertools.pairwise(sides))  # they alternate


def test_superman_six_lifts_across_both_views(analyzed) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(SUPERMAN, "superman")
    assert abs(report.metrics["reps"].value - _count(SUPERMAN)) <= 1


@pytest.mark.parametrize(("clip", "activity"), OTHERS)
def test_no_floor_move_on_running_bridge_or_plank(analyzed, clip: str, activity: str) -> None:  # type: ignore[no-untyped-def]
    series = analyzed(clip, activity).series
    min_frac = value("classify_min_frac")
    for name in FLOOR:
        a = activities.get(name)
        assert a.analyze(series, Settings()).metrics["reps"].value == 0, name
        assert a.recognise(series, Settings()) < min_frac, name  # type: ignore[misc]


def test_bird_dog_clip_is_not_taken_for_cat_cow(analyzed) -> None:  # type: ignore[no-untyped-def]
    series = analyzed(BIRD_DOG, "bird-dog").series
    assert activities.get("cat-cow").recognise(series, Settings()) < value("classify_min_frac")  # type: ignore[misc]
    assert activities.classify(series)[0] != "cat-cow"
