"""The shared exercise engine: debounced states, the hold clock, the speech limiter,
posture labels and activity recognition, on inputs whose answers are set here."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.exercises.classify import classify_activity
from formcheck.exercises.engine import most_common
from formcheck.exercises.posture import PostureLimits, measure
from formcheck.exercises.timing import CueLimiter, Debounce, HoldClock, time_runs
from tests.fixtures import synthetic_exercises as X

FPS = 30.0


# ---------------------------------------------------------------------------------------
# Debounce
def test_debounce_needs_the_minimum_duration_and_dates_the_change_back() -> None:
    d = Debounce("a", 0.5)
    t = np.arange(0, 2, 1 / FPS)
    changed_at = []
    for k, ts in enumerate(t):
        cand = "b" if ts >= 1.0 else "a"
        if d.update(cand, float(ts), k):
            changed_at.append(k)
    # confirmed 0.5 s after the change began, dated to its first frame (t = 1.0 s)
    assert len(changed_at) == 1
    assert t[changed_at[0]] == pytest.approx(1.5, abs=1 / FPS)
    assert d.since_s == pytest.approx(1.0, abs=1 / FPS)


def test_debounce_ignores_blips_shorter_than_the_minimum() -> None:
    d = Debounce("a", 0.5)
    n_changes = 0
    for k, ts in enumerate(np.arange(0, 5, 1 / FPS)):
        # "b" for 0.4 s out of every second: never 0.5 s in a row
        cand = "b" if (ts % 1.0) < 0.4 else "a"
        n_changes += d.update(cand, float(ts), k)
    assert n_changes == 0
    assert d.state == "a"


def test_debounce_none_means_no_information_and_cancels_a_pending_change() -> None:
    d = Debounce("a", 0.3)
    assert not d.update("b", 0.0)
    assert not d.update(None, 0.2)  # no information: the pending "b" is dropped
    assert not d.update("b", 0.4)
    assert not d.update("b", 0.6)
    assert d.update("b", 0.7)


def test_debounce_first_state_also_needs_the_minimum_but_is_dated_to_the_start() -> None:
    d = Debounce(None, 0.5)
    assert not d.update("x", 0.0, 0)
    assert not d.update("y", 0.1, 1)  # flicker at the start
    assert not d.update("y", 0.5, 5)
    assert d.update("y", 0.6, 6)
    assert d.since_frame == 0  # nothing before "y" lasted long enough to count


# ---------------------------------------------------------------------------------------
# HoldClock
def _run_clock(ok: list[bool], dt: float = 1 / FPS) -> HoldClock:
    c = HoldClock(0.5, 0.5)
    for k, o in enumerate(ok):
        c.update(o, k * dt, k)
    return c


def test_hold_clock_times_holds_from_their_first_good_frame_to_the_break() -> None:
    n = int(20 * FPS)
    ok = [True] * n
    for k in range(int(8 * FPS), int(11 * FPS)):  # broken 8-11 s
        ok[k] = False
    c = _run_clock(ok)
    segs = c.all_segments()
    assert len(segs) == 2
    # dated to frames, so each end is exact to one frame interval
    assert segs[0].duration_s == pytest.approx(8.0, abs=1 / FPS)
    assert segs[1].duration_s == pytest.approx(20 - 11 - 1 / FPS, abs=1 / FPS)


def test_hold_clock_short_breaks_do_not_split_a_hold_and_the_display_stands_still() -> None:
    c = HoldClock(0.5, 0.5)
    shown = []
    for k in range(int(6 * FPS)):
        t = k / FPS
        bad = 3.0 <= t < 3.3  # 0.3 s wobble: under the 0.5 s break minimum
        c.update(not bad, t, k)
        shown.append(c.current_s(t))
    assert len(c.all_segments()) == 1
    assert np.all(np.diff(shown) >= -1e-9)  # never goes backwards on screen


def test_hold_clock_never_starts_on_a_single_frame() -> None:
    c = HoldClock(0.5, 0.5)
    assert c.update(True, 0.0, 0) == []
    assert c.all_segments() == []


# ---------------------------------------------------------------------------------------
# CueLimiter
def test_cue_limiter_one_message_at_a_time_by_priority_and_no_repeats() -> None:
    c = CueLimiter(repeat_s=6.0, min_gap_s=2.0)
    said = []
    for k in range(int(20 * FPS)):
        t = k / FPS
        c.offer("sag", "hips", 20, t)  # a state cue, true the whole time
        if k % int(3 * FPS) == 0:
            c.offer(f"rep{k}", "count", 60, t, ttl_s=1.0)
        text = c.pop(t)
        if text:
            said.append((t, text))
    times = [t for t, _ in said]
    assert np.all(np.diff(times) >= 2.0 - 1e-9)  # gap between messages
    sag = [t for t, x in said if x == "hips"]
    assert np.all(np.diff(sag) >= 6.0 - 1e-9)  # not repeated every frame
    assert said[0] == (0.0, "hips")  # the higher priority first
    assert any(x == "count" for _, x in said)  # lower priority still gets its turn


# ---------------------------------------------------------------------------------------
def test_time_runs_keeps_only_runs_long_enough() -> None:
    t = list(np.arange(0, 3, 0.1))
    flags = [0.5 <= x < 0.7 or 1.0 <= x < 2.0 for x in t]
    runs = time_runs(flags, t, 0.5)
    assert len(runs) == 1
    assert runs[0][0] == pytest.approx(1.0)
    assert time_runs([True], [4.0], 0.5) == [(4.0, 4.0)]  # one frame: a photo


# ---------------------------------------------------------------------------------------
# posture labels and activity recognition
LIM = PostureLimits.from_thresholds()


def _label(frame: np.ndarray, needed: tuple[str, ...] = ("shoulder", "hip", "ankle")) -> str:
    return measure(
        frame[:, :2].astype(float), frame[:, 3].astype(float), X.W, X.H, LIM, needed
    ).label


@pytest.mark.parametrize(
    ("frame", "label"),
    [
        (X.bridge_pose(130.0), "supine_knees_bent"),
        (X.bridge_pose(178.0), "supine_knees_bent"),
        (X.plank_pose(0.0), "prone_straight"),
        (X.plank_pose(20.0), "prone_straight"),
        (X.plank_pose(0.0, kneeling=True), "lying_other"),
        (X.side_plank_pose(0.0), "side_lying"),
        (X.bird_dog_pose(None, 0.0), "all_fours"),
        (X.bird_dog_pose("left", 1.0), "all_fours"),
        (X.bird_dog_pose("right", 1.0), "all_fours"),
        (X.upright_pose(0.3), "upright"),
    ],
)
def test_posture_labels(frame: np.ndarray, label: str) -> None:
    assert _label(frame) == label


def test_no_pose_is_absent() -> None:
    nan = np.full((33, 4), np.nan)
    assert _label(nan) == "absent"


@pytest.mark.parametrize(
    ("build", "activity"),
    [
        (lambda: X.bridge_series(3)[0], "glute-bridge"),
        (lambda: X.plank_series(((6.0, 0.0),))[0], "plank"),
        (lambda: X.side_plank_series(((6.0, 0.0),))[0], "side-plank"),
        (lambda: X.side_plank_series(((6.0, 0.0),), side="right")[0], "side-plank"),
        (lambda: X.bird_dog_series()[0], "bird-dog"),
        (lambda: X.upright_series(6.0), "run"),
    ],
)
def test_auto_recognises_each_activity(build, activity: str) -> None:  # type: ignore[no-untyped-def]
    got, reason, _ = classify_activity(build())
    assert got == activity, reason
    assert reason


def test_auto_finds_a_set_with_walking_in_and_out_around_it() -> None:
    up = X.upright_series(3.0)
    br, _ = X.bridge_series(3)
    xyzv = np.concatenate([up.xyzv, br.xyzv, up.xyzv])
    t = np.arange(len(xyzv)) / FPS
    s = X.PoseSeries(xyzv, t, X.W, X.H)
    assert classify_activity(s)[0] == "glute-bridge"


def test_cue_limiter_a_newer_count_replaces_a_waiting_one() -> None:
    c = CueLimiter(repeat_s=6.0, min_gap_s=2.0)
    c.offer("form", "lower slowly", 40, 0.0)
    assert c.pop(0.0) == "lower slowly"
    c.offer("rep3", "3", 60, 0.5, ttl_s=4.0, group="count")
    c.offer("rep4", "4", 60, 1.5, ttl_s=4.0, group="count")
    assert c.pop(1.9) is None  # still inside the gap after the last message
    assert c.pop(2.0) == "4"  # "3" is out of date: not said late
    assert c.pop(4.5) is None


def test_the_most_common_label_breaks_ties_the_same_way_every_run() -> None:
    """A tie goes to the label seen first (a set's order changes with each run's
    string hashing, so ``max(set(...))`` could name either)."""
    assert most_common(["right", "left", "left", "right"]) == "right"
    assert most_common(["left", "right", "right", "left"]) == "left"
    assert most_common(["side", "front", "front"]) == "front"
