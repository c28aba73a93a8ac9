"""A guided routine on a live camera: one live set per move, the runner, the record.

:class:`RoutineSession` runs the moves of a :class:`~formcheck.routines.Routine` one
after another on one camera stream. Each move is an ordinary
:class:`~formcheck.pipeline.live.LiveSession` (pose -> the move's live analyzer ->
overlay) with its own history record, so every move is saved like any live set; the
:class:`~formcheck.pipeline.routine.RoutineRunner` reads each update of the move's
analyzer, and when the dose is met (or on :meth:`RoutineSession.skip`) the move's set is
finished and saved, the next move is announced (shown and said) and its analyzer takes
the next frame. At the end the routine's summary (each move: done / target, per side,
form notes, its history session) is saved as one ``routine_runs`` row.

History: one session per move plus one routine record naming them (the History page
lists both); a move never started leaves no session.
"""

from __future__ import annotations

import collections
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcheck.cues import words_routines as words
from formcheck.errors import FormcheckError
from formcheck.live import LiveAnalyzer, LiveUpdate
from formcheck.pipeline.live import LiveSession, new_analyzer, start_recording
from formcheck.pipeline.live_state import LiveOutcome, LiveSnapshot, SpokenCue
from formcheck.pipeline.routine import Advance, RoutineRunner, RoutineSummary
from formcheck.pose.pool import EstimateFn
from formcheck.render.style import Scale
from formcheck.render.text import put_text
from formcheck.results import ActivityResult
from formcheck.routines import Routine, RoutineStep
from formcheck.settings import Settings
from formcheck.store.db import HistoryDB

#: The routine's band at the foot of the picture (BGR): white on dark teal.
BAND_BGR = (90, 70, 20)


class _Watched:
    """A move's live analyzer that also hands every update to the routine runner.

    ``set_reps`` is the step's dose when it is a total of reps (the live session then
    says "That's the set" and stops counting there), else None (a per-side or timed
    dose: the analyzer's own set target is not the routine's).
    """

    def __init__(
        self, inner: LiveAnalyzer, step: RoutineStep, on_update: Callable[[LiveUpdate], None]
    ) -> None:
        self.inner = inner
        self.activity = inner.activity
        self._on_update = on_update
        d = step.dose
        self.set_reps = int(d.amount) if d.measure == "reps" and d.per == "total" else None

    def update(self, xyzv: np.ndarray, t_s: float, width: int, height: int) -> LiveUpdate:
        u = self.inner.update(xyzv, t_s, width, height)
        self._on_update(u)
        return u

    def result(self) -> ActivityResult:
        return self.inner.result()


@dataclass(slots=True)
class RoutineOutcome:
    """A routine ended: its summary, the record it was saved as (or why not)."""

    summary: RoutineSummary
    run_id: int | None = None
    store_error: str | None = None


@dataclass(frozen=True, slots=True)
class RoutineSnapshot:
    """What the routine page shows now (a copy)."""

    label: str
    index: int | None  # the move on now (None: not begun, or over)
    n_steps: int
    activity: str | None
    announcement: str
    progress: str
    live: LiveSnapshot | None
    finished: bool
    problems: tuple[str, ...] = ()
    measure: str | None = None  # the move's dose: "reps", "hold_s" or "active_s"
    total: float = 0.0  # counted toward it so far (reps, or seconds), all sides together


class RoutineSession:
    """A routine from the first frame to its end (see the module docstring).

    Quacks like a :class:`LiveSession` for the live page's controller: ``process``,
    ``snapshot``, ``take_cues``, ``save_progress``, ``finish`` and ``finished``.
    """

    def __init__(
        self,
        routine: Routine,
        settings: Settings | None = None,
        estimate: EstimateFn | None = None,
        on_release: Callable[[], None] | None = None,
        db: Path | str | None = None,
        record: bool = True,
        analyzers: Callable[[str, Settings], LiveAnalyzer] | None = None,
    ) -> None:
        self.routine = routine
        self.activity = routine.steps[0].activity
        self.settings = settings or Settings()
        self.runner = RoutineRunner(routine)
        self._estimate = estimate
        self._on_release = on_release
        self._db = db
        self._record = record
        self._make = analyzers or new_analyzer
        self._lock = threading.RLock()  # steps change under it (frames and the Next tap)
        self._cues: collections.deque[SpokenCue] = collections.deque(maxlen=30)
        self._serial = 0
        self._pending: Advance | None = None
        self.session: LiveSession | None = None
        self.announcement = ""
        self.finished = False
        self.outcome: RoutineOutcome | None = None
        self.store_errors: list[str] = []
        #: Moves that could not start (not in this formcheck's table), in words.
        self.problems: list[str] = []
        self._last_snap: LiveSnapshot | None = None

    # -- cues ----------------------------------------------------------------------------
    def _say(self, text: str, reps: int | None = None, interrupt: bool = False) -> None:
        self._serial += 1
        t = self._last_snap.t_s if self._last_snap else 0.0
        self._cues.append(SpokenCue(self._serial, t, text, reps, interrupt))

    def take_cues(self) -> list[SpokenCue]:
        """Cues given since the last call: the moves' own and the announcements. Only the
        announcements cut in (``interrupt``): a move's own end-of-set cue comes with the
        next move's announcement, which says the move is done."""
        with self._lock:
            if self.session is not None:
                for c in self.session.take_cues():
                    self._say(c.text, c.reps)
            out = list(self._cues)
            self._cues.clear()
        return out

    # -- steps ---------------------------------------------------------------------------
    def _on_update(self, update: LiveUpdate) -> None:
        adv = self.runner.feed(update)
        if adv is not None:
            self._pending = adv

    def _open_step(self) -> None:
        i = self.runner.index
        assert i is not None
        step = self.routine.steps[i]
        self.activity = step.activity
        analyzer = _Watched(self._make(step.activity, self.settings), step, self._on_update)
        rec = None
        if self._record:
            rec, problem = start_recording(step.activity, self.settings, self._db)
            if problem is not None:
                self.store_errors.append(problem)
        self.session = LiveSession(
            step.activity, self.settings, estimate=self._estimate, analyzer=analyzer, recording=rec
        )

    def _close_step(self, index: int, partial: bool, reason: str) -> None:
        sess, self.session = self.session, None
        if sess is None:
            return
        for c in sess.take_cues():  # said before the move ended: still to be said
            self._say(c.text, c.reps)
        out = sess.finish(partial=partial, reason=reason)
        if out.store_error:
            self.store_errors.append(out.store_error)
        notes = []
        if out.report is not None:
            notes = [f.message for f in out.report.findings if f.status == "flag" and f.message]
        self.runner.add_notes(index, notes, out.session_id)

    def _apply(self, adv: Advance) -> None:
        """Act on the runner's move: save the move that ended, announce and open the next."""
        if adv.finished is not None:
            self._close_step(
                adv.finished, partial=adv.skipped, reason="skipped" if adv.skipped else "done"
            )
        self.announcement = adv.text
        self._say(adv.text, interrupt=True)
        if adv.next_index is None:
            self._end_routine()
            return
        try:
            self._open_step()
        except FormcheckError as exc:  # a move this formcheck cannot coach: said, skipped
            self.problems.append(str(exc))
            self.runner.add_notes(adv.next_index, [words.MOVE_NOT_AVAILABLE])
            nxt = self.runner.skip()
            if nxt is not None:
                self._apply(nxt)

    def skip(self) -> bool:
        """The "next" tap: end the move now, go on. False when there is nothing to skip."""
        with self._lock:
            if self.finished:
                return False
            if not self.runner.started:
                self._apply(self.runner.start())
            adv = self.runner.skip()
            if adv is None:
                return False
            self._apply(adv)
            return True

    # -- the frame path ------------------------------------------------------------------
    def process(self, image_bgr: np.ndarray, t_s: float | None = None) -> np.ndarray:
        """The current move's analysis of one frame, with the routine's band. Never raises
        (a move's failures are the live session's to catch and show)."""
        with self._lock:
            if not self.runner.started:
                self._apply(self.runner.start())
            sess = self.session
            if sess is None:  # the routine is over
                out = image_bgr.copy()
                self._band(out, self.announcement)
                return out
            out = sess.process(image_bgr, t_s)
            self._last_snap = sess.snapshot()
            adv, self._pending = self._pending, None
            if adv is not None:
                self._apply(adv)
            self._band(out, self._band_text())
            return out

    def _band_text(self) -> str:
        i = self.runner.index
        if i is None:
            return self.announcement
        step = self.routine.steps[i]
        label = words.move_name(step.activity)
        return f"{i + 1}/{len(self.routine.steps)} {label}: {self.runner.progress_text()}"

    @staticmethod
    def _band(image: np.ndarray, text: str) -> None:
        if not text:
            return
        sc = Scale.for_shape(*image.shape[:2])
        h = image.shape[0]
        put_text(image, text, (sc.margin_px, h - sc.margin_px), sc.font_px, (255, 255, 255),
                 bold=True, bg=BAND_BGR, bg_alpha=0.9, anchor="lb")  # fmt: skip

    # -- the page side -------------------------------------------------------------------
    def routine_snapshot(self) -> RoutineSnapshot:
        with self._lock:
            i = self.runner.index
            sess = self.session
            return RoutineSnapshot(
                self.routine.label,
                i,
                len(self.routine.steps),
                self.routine.steps[i].activity if i is not None else None,
                self.announcement,
                self.runner.progress_text(),
                sess.snapshot() if sess is not None else self._last_snap,
                self.finished,
                tuple(self.problems),
                self.routine.steps[i].dose.measure if i is not None else None,
                self.runner.records[i].total if i is not None else 0.0,
            )

    def snapshot(self) -> LiveSnapshot:
        """The current move's live snapshot (the last one after the end)."""
        sess = self.session
        if sess is not None:
            return sess.snapshot()
        return self._last_snap or LiveSnapshot(activity=self.activity)

    def save_progress(self) -> str | None:
        sess = self.session
        return sess.save_progress() if sess is not None else None

    def _end_routine(self, partial: bool = False, reason: str = "stopped") -> RoutineOutcome:
        if self.outcome is not None:
            return self.outcome
        i = self.runner.index
        if i is not None:  # stopped before the end: the move on now is kept as it is
            self._close_step(i, partial=True, reason=reason)
            self.runner.stop()
        self.finished = True
        if self._on_release is not None:
            with contextlib.suppress(Exception):
                self._on_release()
        summary = self.runner.summary()
        outcome = RoutineOutcome(summary)
        if self._record and self.runner.started:
            try:
                with HistoryDB(self._db) as db:
                    outcome.run_id = db.add_routine_run(summary.to_dict(), summary.complete)
            except FormcheckError as exc:
                outcome.store_error = str(exc)
        self.outcome = outcome
        return outcome

    def finish(self, partial: bool = False, reason: str = "stopped") -> LiveOutcome:
        """End the routine (STOP, or the camera lost) and save it; the routine's outcome is
        in :attr:`outcome`. Returns a LiveOutcome for the live page's controller."""
        with self._lock:
            out = self._end_routine(partial, reason)
        snap = self.snapshot()
        return LiveOutcome(None, not out.summary.complete, reason, snap.frames,
                           error=None, session_id=None, store_error=out.store_error)  # fmt: skip


# -- the user's own routines (the app's builder) ----------------------------------------------
def save_user_routine(routine: Routine, db: Path | str | None = None) -> None:
    """Keep a routine the user built in the history (StoreError when it cannot)."""
    with HistoryDB(db) as h:
        h.save_user_routine(routine)


def delete_user_routine(name: str, db: Path | str | None = None) -> bool:
    """Forget a routine the user built; whether there was one."""
    with HistoryDB(db) as h:
        return h.delete_user_routine(name)


def rename_user_routine(name: str, label: str, db: Path | str | None = None) -> Routine:
    """Give a routine the user built a new name (StoreError when it is taken)."""
    with HistoryDB(db) as h:
        return h.rename_user_routine(name, label)


def delete_routine_run(run_id: int, db: Path | str | None = None) -> None:
    """Delete a routine record (its moves' sessions stay in the history)."""
    with HistoryDB(db) as h:
        h.delete_routine_run(run_id)
