"""A busy computer on the live running page (issue 20, item 11), and what a saved
live session's numbers cover (items 6 and 12), in the live engine.

When frames come slower than the running numbers need (cues/thresholds.py
``live_run_min_fps``), the snapshot says so in plain words with the measured
rate, and a number the latest window could not give keeps its last good value
(shown greyed) instead of going blank. The wall clock is the test's own.
"""

from __future__ import annotations

import numpy as np
import pytest

import formcheck.pipeline.live as live_mod
from formcheck.cues import thresholds as th
from formcheck.cues import words
from formcheck.live import LiveUpdate
from formcheck.pipeline.live import LiveSession
from formcheck.pipeline.live_state import headline_text, session_numbers
from formcheck.report.model import PoseInfo, Report, SourceInfo
from formcheck.results import ActivityResult, FrameState, Metric
from tests.unit.test_live_engine import fake_pose, frame

NEED = th.value("live_run_min_fps")
GOOD = {"cadence_spm": 168.0, "trunk_lean_deg": 6.0, "overstride_leg_lengths": 0.1}


class DroppingRunAnalyzer:
    """A window that measures the three numbers for ``good`` frames, then none
    (too few frames to find steps), then, from ``back``, the cadence again."""

    activity = "run"

    def __init__(self, good: int, back: int | None = None) -> None:
        self.n, self.good, self.back = 0, good, back

    def update(self, xyzv: np.ndarray, t_s: float, width: int, height: int) -> LiveUpdate:
        self.n += 1
        state = FrameState(frame=self.n - 1, t_s=t_s)
        if self.n <= self.good:
            metrics = dict(GOOD, window_s=10.0)
        elif self.back is not None and self.n >= self.back:
            metrics = {"cadence_spm": 170.0, "window_s": 10.0}
        else:
            metrics = {"window_s": 10.0}
        return LiveUpdate(state, (), None, metrics, statuses={k: "good" for k in metrics})

    def result(self) -> ActivityResult:
        return ActivityResult(activity=self.activity, view="side-left")


class Clock:
    def __init__(self, step_s: float) -> None:
        self.t, self.step_s = 1000.0, step_s

    def __call__(self) -> float:
        self.t += self.step_s / 2  # process() reads the clock twice a frame
        return self.t


def _run(
    monkeypatch: pytest.MonkeyPatch, fps: float, n: int, analyzer: object, activity: str = "run"
) -> LiveSession:
    monkeypatch.setattr(live_mod.time, "monotonic", Clock(1.0 / fps))
    s = LiveSession(activity, estimate=fake_pose, analyzer=analyzer)  # type: ignore[arg-type]
    for i in range(n):
        s.process(frame(i), i / fps)
    return s


def test_a_slow_rate_is_said_and_the_last_good_values_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = _run(monkeypatch, 6.0, 20, DroppingRunAnalyzer(good=5))
    snap = s.snapshot()
    assert snap.fps == pytest.approx(6.0, rel=0.01)
    assert snap.busy == words.live_busy(snap.fps, NEED)
    assert "busy: 6 frames/s" in snap.busy and f"about {NEED:.0f}" in snap.busy
    # the window gave none of the three: each keeps its last good value, and no status
    assert not set(GOOD) & set(snap.metrics)
    assert snap.held == GOOD
    assert not set(GOOD) & set(snap.statuses)
    # the picture says the same as the page: the last good values, said to be so
    headline, lines = headline_text(snap)
    assert headline == "168.0 spm (last good value)"
    assert lines == [
        "Trunk lean 6.0 deg (last good value)",
        "Overstride 0.10 leg lengths (last good value)",
    ]


def test_a_number_back_from_the_window_is_no_longer_held(monkeypatch: pytest.MonkeyPatch) -> None:
    s = _run(monkeypatch, 6.0, 20, DroppingRunAnalyzer(good=5, back=15))
    snap = s.snapshot()
    assert snap.metrics["cadence_spm"] == 170.0
    assert snap.held == {"trunk_lean_deg": 6.0, "overstride_leg_lengths": 0.1}


def test_a_full_rate_is_not_called_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    s = _run(monkeypatch, 30.0, 40, DroppingRunAnalyzer(good=40))
    snap = s.snapshot()
    assert snap.fps == pytest.approx(30.0, rel=0.01)
    assert snap.busy is None and snap.held == {}


def test_the_first_frames_are_not_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rate from a few frames is noise (the model warms up): not said yet."""
    s = _run(monkeypatch, 6.0, live_mod.BUSY_MIN_FRAMES - 1, DroppingRunAnalyzer(good=40))
    assert s.snapshot().busy is None


def test_a_rep_counter_has_no_rate_to_meet(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.unit.test_live_engine import CountingAnalyzer

    s = _run(monkeypatch, 6.0, 20, CountingAnalyzer(), activity="glute-bridge")
    assert s.snapshot().busy is None


def run_report(duration_s: float = 125.0) -> Report:
    """A saved live run with its three running numbers (and more)."""
    metrics = {
        "cadence_spm": Metric(169.0, "steps/min", n=300),
        "trunk_lean_deg": Metric(5.4, "deg", n=300),
        "overstride_leg_lengths": Metric(0.12, "leg lengths", n=300),
        "contact_time_ms": Metric(250.0, "ms", n=300),
    }
    result = ActivityResult(activity="run", view="side-left", metrics=metrics)
    source = SourceInfo(kind="webcam", duration_s=duration_s, decoded_s=duration_s, frames=3000)
    return Report.from_result(result, source, PoseInfo(3000, 3000), [])


def test_a_saved_run_keeps_all_three_numbers() -> None:
    bits = session_numbers(run_report())
    assert bits == ["cadence 169.0 steps/min", "trunk lean 5.4 deg", "overstride 0.12 leg lengths"]


def test_what_each_number_covers_is_said() -> None:
    assert words.live_window(15.0) == "over the last 15 s"
    assert words.live_whole_session(125.0) == "over the whole session (2 min 5 s)"
    assert words.clip_whole(12.0) == "Numbers over the whole clip (12.0 s)."
