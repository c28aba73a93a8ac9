"""A guided routine on a live stream (formcheck.pipeline.routine_live), with a fake pose
estimator and scripted analyzers: moves switch when their dose is met, each move is saved
as a live set, the announcements are said, Next skips, and the routine record names the
moves' sessions."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np

from formcheck.cues import words_routines as words
from formcheck.live import LiveUpdate
from formcheck.pipeline.routine_live import RoutineSession
from formcheck.results import ActivityResult, FrameState, Metric
from formcheck.routines import Routine, RoutineStep, hold, reps
from formcheck.settings import Settings
from formcheck.store.db import HistoryDB

FPS = 10


class Scripted:
    """A rep every 5 frames (reps moves) or the hold clock (holds), from its first frame."""

    def __init__(self, activity: str, settings: Settings) -> None:
        self.activity = activity
        self.n = 0
        self.t0: float | None = None
        self.hold = activity in ("plank", "side-plank")
        self.set_reps = 99  # the analyzer's own target: the routine's dose replaces it

    def update(self, xyzv: np.ndarray, t_s: float, width: int, height: int) -> LiveUpdate:
        self.n += 1
        if self.hold:
            st = FrameState(self.n, t_s, phase="hold", hold_s=self.n / FPS)
            return LiveUpdate(st, metrics={"hold_s": self.n / FPS})
        r = self.n // 5
        return LiveUpdate(FrameState(self.n, t_s, phase="up", reps=r), metrics={"reps": float(r)})

    def result(self) -> ActivityResult:
        m = (
            {"hold_s": Metric(self.n / FPS, "s")}
            if self.hold
            else {"reps": Metric(float(self.n // 5), "reps")}
        )
        return ActivityResult(activity=self.activity, view="side-left", metrics=m)


def fake_pose(image: np.ndarray, t_s: float) -> SimpleNamespace:
    xyzv = np.zeros((33, 4), np.float32)
    xyzv[:, 0] = np.linspace(10, 50, 33)
    xyzv[:, 1] = np.linspace(10, 40, 33)
    xyzv[:, 3] = 1.0
    return SimpleNamespace(xyzv=xyzv)


def frame() -> np.ndarray:
    return np.full((120, 160, 3), 90, np.uint8)


ROUTINE = Routine(
    "three-moves",
    "Three moves",
    (
        RoutineStep("glute-bridge", reps(3)),
        RoutineStep("plank", hold(2)),
        RoutineStep("bird-dog", reps(2)),
    ),
)


def run(sess: RoutineSession, frames: int, t0: float = 0.0) -> list[str]:
    said = []
    for i in range(frames):
        sess.process(frame(), t0 + i / FPS)
        said += [c.text for c in sess.take_cues()]
    return said


def test_a_routine_runs_move_after_move_and_is_saved(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    released = []
    sess = RoutineSession(
        ROUTINE,
        estimate=fake_pose,
        on_release=lambda: released.append(1),
        db=db,
        analyzers=Scripted,
    )
    said = run(sess, 16)  # 3 reps at frame 15
    assert said[0].startswith("First: glute bridge, 3 reps.")
    assert any(s.startswith("Next: plank, 2 s.") for s in said)
    snap = sess.routine_snapshot()
    assert snap.index == 1 and snap.activity == "plank" and "Next: plank" in snap.announcement
    said = run(sess, 60, t0=2.0)
    assert any(s.startswith("Next: bird dog, 2 reps.") for s in said)
    assert said[-1] == words.routine_done("Three moves")
    assert sess.finished and released == [1]
    out = sess.outcome
    assert out is not None and out.run_id is not None and out.store_error is None
    assert out.summary.complete
    steps = out.summary.steps
    assert [s["done"] for s in steps] == [{"total": 3.0}, {"total": 2.0}, {"total": 2.0}]
    with HistoryDB(db) as h:
        sessions = h.list_sessions(newest_first=False)
        assert [s.activity for s in sessions] == ["glute-bridge", "plank", "bird-dog"]
        assert [s.status for s in sessions] == ["complete"] * 3
        rec = h.get_routine_run(out.run_id)
        assert rec.status == "complete" and rec.session_ids == [s.id for s in sessions]
    # after the end, frames still come back (with the band), nothing more is counted
    assert run(sess, 5, t0=20.0) == []
    assert sess.finish().partial is False


def test_next_skips_and_stop_keeps_the_move_on_as_it_got(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    sess = RoutineSession(ROUTINE, estimate=fake_pose, db=db, analyzers=Scripted)
    run(sess, 7)  # one rep
    assert sess.skip()
    said = [c.text for c in sess.take_cues()]
    assert any(s.startswith("Next: plank") for s in said)
    run(sess, 5, t0=1.0)  # half a second of plank
    sess.finish(partial=True, reason="stopped")
    out = sess.outcome
    assert out is not None and not out.summary.complete
    assert [s["status"] for s in out.summary.steps] == ["skipped", "stopped", "pending"]
    lines = out.summary.lines()
    assert (
        "1/3 reps (skipped)" in lines[0] and "(stopped)" in lines[1] and "(not reached)" in lines[2]
    )
    with HistoryDB(db) as h:
        sessions = h.list_sessions(newest_first=False)
        assert [(s.activity, s.status) for s in sessions] == [
            ("glute-bridge", "partial"),
            ("plank", "partial"),
        ]
        assert h.get_routine_run(out.run_id).status == "partial"  # type: ignore[arg-type]
    assert not sess.skip()


def test_a_move_formcheck_cannot_coach_is_said_and_skipped(tmp_path: Path) -> None:
    """A routine naming a move not in this formcheck's table (an older install, a routine
    saved by a newer one): the move is skipped with a note, the others run, nothing raises."""
    r = Routine(
        "with-unknown",
        "With an unknown move",
        (RoutineStep("no-such-move", reps(3)), RoutineStep("glute-bridge", reps(2))),
    )

    def make(activity: str, settings: Settings) -> Scripted:
        from formcheck.pipeline.live import new_analyzer

        if activity == "no-such-move":
            new_analyzer(activity, settings)  # raises FormcheckError, as the real one does
        return Scripted(activity, settings)

    sess = RoutineSession(r, estimate=fake_pose, db=tmp_path / "h.sqlite3", analyzers=make)
    said = run(sess, 12)
    assert sess.routine_snapshot().problems and "no-such-move" in sess.problems[0]
    assert any(s.startswith("Next: glute bridge, 2 reps.") for s in said)
    assert sess.finished and sess.outcome is not None
    first, second = sess.outcome.summary.steps
    assert first["status"] == "skipped" and first["notes"] == [words.MOVE_NOT_AVAILABLE]
    assert second["status"] == "done"
