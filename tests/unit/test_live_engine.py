"""The live engine (formcheck.pipeline.live) with fake pose estimators and analyzers.

What is checked: frames flow pose -> analyzer -> overlay; cues are handed to
the page once each; failures in the frame path are counted, drawn, and stop
analysis after the limit (never a silent echo); the finished session becomes
a Report marked partial when asked; estimators are reused with increasing time.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from formcheck.live import LiveUpdate
from formcheck.pipeline.live import LiveSession
from formcheck.pipeline.live_state import headline_text
from formcheck.pose.pool import EstimatorPool
from formcheck.results import ActivityResult, Event, FrameState, Metric


class CountingAnalyzer:
    """Counts a rep every 5 frames and gives a cue on rep 2; can be told to fail."""

    activity = "glute-bridge"

    def __init__(self, fail_from: int | None = None) -> None:
        self.n = 0
        self.reps = 0
        self.fail_from = fail_from
        self.seen_t: list[float] = []

    def update(self, xyzv: np.ndarray, t_s: float, width: int, height: int) -> LiveUpdate:
        if self.fail_from is not None and self.n >= self.fail_from:
            raise ValueError("bad landmarks")
        self.n += 1
        self.seen_t.append(t_s)
        events: tuple[Event, ...] = ()
        cue = None
        if self.n % 5 == 0:
            self.reps += 1
            events = (Event("rep_top", t_s, self.n - 1),)
            if self.reps == 2:
                cue = "pause at the top"
        state = FrameState(
            frame=self.n - 1, t_s=t_s, phase="up", reps=self.reps, angles={"x_deg": 1}
        )
        return LiveUpdate(state, events, cue, {"reps": float(self.reps)})

    def result(self) -> ActivityResult:
        return ActivityResult(
            activity=self.activity,
            view="side-left",
            metrics={"reps": Metric(float(self.reps), "reps", n=self.reps)},
        )


def fake_pose(image: np.ndarray, t_s: float) -> SimpleNamespace:
    xyzv = np.zeros((33, 4), np.float32)
    xyzv[:, 0] = np.linspace(10, 50, 33)
    xyzv[:, 1] = np.linspace(10, 40, 33)
    xyzv[:, 3] = 1.0
    return SimpleNamespace(xyzv=xyzv, found=True)


def frame(i: int) -> np.ndarray:
    return np.full((60, 80, 3), i % 200, np.uint8)


def test_frames_reps_cues_and_report() -> None:
    an = CountingAnalyzer()
    s = LiveSession("glute-bridge", estimate=fake_pose, analyzer=an)
    outs = [s.process(frame(i), 100.0 + i / 30) for i in range(12)]
    snap = s.snapshot()
    assert snap.frames == 12 and snap.frames_with_pose == 12
    assert snap.reps == 2
    # The session clock starts at its first frame and follows the frame times.
    assert an.seen_t[0] == 0.0
    assert snap.t_s == pytest.approx(11 / 30)
    # Overlay drawn on a copy: input untouched, output changed.
    assert not np.array_equal(outs[-1], frame(11))
    cues = s.take_cues()
    assert [c.text for c in cues] == ["pause at the top"]
    assert s.take_cues() == []  # each cue once
    assert snap.cue == "pause at the top"
    assert headline_text(snap)[0] == "2 reps"
    outcome = s.finish(partial=True, reason="camera lost")
    assert outcome.error is None
    rep = outcome.report
    assert rep.partial is True
    assert rep.source.kind == "webcam" and rep.source.frames == 12
    assert rep.metric_value("reps") == 2
    assert any(w.code == "partial" for w in rep.warnings)


class JudgedRunAnalyzer:
    """Live running numbers with the statuses the analyzer judged them by."""

    activity = "run"

    def update(self, xyzv: np.ndarray, t_s: float, width: int, height: int) -> LiveUpdate:
        state = FrameState(frame=0, t_s=t_s)
        metrics = {"cadence_spm": 165.0, "trunk_lean_deg": 18.0}
        return LiveUpdate(state, (), None, metrics, statuses={"trunk_lean_deg": "watch"})

    def result(self) -> ActivityResult:
        return ActivityResult(activity=self.activity, view="side-left")


def test_the_page_and_the_picture_show_the_analyzers_status() -> None:
    """The session passes the analyzer's statuses on unchanged (pages never judge)."""
    s = LiveSession("run", estimate=fake_pose, analyzer=JudgedRunAnalyzer())
    s.process(frame(0), 0.0)
    snap = s.snapshot()
    assert snap.statuses == {"trunk_lean_deg": "watch"}
    headline, lines = headline_text(snap)
    assert headline == "165.0 spm"
    assert lines == ["Trunk lean 18.0 deg (watch)"]


def test_errors_are_counted_shown_and_stop_analysis() -> None:
    an = CountingAnalyzer(fail_from=3)
    s = LiveSession("glute-bridge", estimate=fake_pose, analyzer=an, max_errors=4)
    outs = [s.process(frame(i), i / 30) for i in range(10)]
    snap = s.snapshot()
    assert snap.errors == 4  # stopped at the limit; later frames not analysed
    assert snap.stopped
    assert "ValueError: bad landmarks" in snap.last_error
    # The picture is never a silent echo: it carries the error panel.
    assert not np.array_equal(outs[-1], frame(9))
    assert an.n == 3
    outcome = s.finish()
    assert outcome.partial  # a stopped analysis is partial
    assert any(w.code == "live_errors" for w in outcome.report.warnings)


def test_nobody_seen_saves_nothing() -> None:
    def nobody(image: np.ndarray, t_s: float) -> SimpleNamespace:
        return SimpleNamespace(xyzv=np.full((33, 4), np.nan, np.float32), found=False)

    s = LiveSession("glute-bridge", estimate=nobody, analyzer=CountingAnalyzer())
    for i in range(5):
        s.process(frame(i), i / 30)
    out = s.finish()
    assert out.report is None and "Nobody" in out.error


def test_non_increasing_timestamps_are_nudged() -> None:
    an = CountingAnalyzer()
    s = LiveSession("glute-bridge", estimate=fake_pose, analyzer=an)
    for t in (0.0, 0.1, 0.1, 0.05, 0.2):
        s.process(frame(0), t)
    assert np.all(np.diff(an.seen_t) > 0)


def test_pool_reuses_estimators_with_increasing_time() -> None:
    made = []

    class Est:
        def __init__(self) -> None:
            self.times: list[float] = []
            made.append(self)

        def process(self, image: np.ndarray, t_s: float) -> SimpleNamespace:
            self.times.append(t_s)
            return fake_pose(image, t_s)

    pool = EstimatorPool(factory=lambda p: Est())
    a = pool.acquire()
    for t in (0.0, 1.0, 2.0):
        a.process(frame(0), t)
    b = pool.acquire()  # a is still in use: a second estimator
    a.release()
    c = pool.acquire()  # reuses a's estimator, continuing its clock
    c.process(frame(0), 0.0)
    assert pool.created == 2 and c.estimator is made[0] and b.estimator is made[1]
    assert np.all(np.diff(made[0].times) > 0)


class ForgettingRunAnalyzer(JudgedRunAnalyzer):
    """A window that first judges the lean, then finds no lean at all."""

    def __init__(self) -> None:
        self.n = 0

    def update(self, xyzv: np.ndarray, t_s: float, width: int, height: int) -> LiveUpdate:
        self.n += 1
        if self.n == 1:
            return super().update(xyzv, t_s, width, height)
        return LiveUpdate(FrameState(frame=1, t_s=t_s), (), None, {"window_s": 11.0}, statuses={})


def test_a_status_never_outlives_its_number() -> None:
    s = LiveSession("run", estimate=fake_pose, analyzer=ForgettingRunAnalyzer())
    s.process(frame(0), 0.0)
    assert s.snapshot().statuses == {"trunk_lean_deg": "watch"}
    s.process(frame(1), 0.1)
    snap = s.snapshot()
    assert "trunk_lean_deg" not in snap.metrics and snap.statuses == {}
