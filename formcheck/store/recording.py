"""One history-session lifecycle for clip analyses and live sets.

A session row is created (status ``running``) when the recording starts; the
results so far are stored as they come (at most every ``min_interval_s``
seconds, so transactions stay rare and short); the end saves the report in
ONE transaction, or marks the session partial (Ctrl-C, a lost camera), or
deletes it if nothing was stored (an analysis that failed at once). If the
process is killed, the next open of the history marks the session partial.

:class:`Recording` is that lifecycle; two ways of meeting history problems sit
on it:

- :class:`AnalysisRecording` (``formcheck analyze`` and the app's Review page)
  never stops an analysis: the first :class:`StoreError` is passed to
  ``on_error`` and the recording stops writing::

      with AnalysisRecording(db_path, "run", source_path=clip, settings=s) as rec:
          report = formcheck.analyze(clip, "run", s, progress=rec.wrap(show_progress))
          rec.save(report, artefacts)

  Leaving the block by Ctrl-C (``KeyboardInterrupt``) marks the session
  ``partial``; leaving it by another exception before ``save`` deletes the
  session if nothing was stored yet, otherwise marks it partial.
- :class:`LiveRecording` (``formcheck live`` and the app's Live page) raises
  :class:`StoreError` for its callers to show; a failed progress write is
  retried at the next interval.

A clip's recording is started and saved by :func:`formcheck.pipeline.clip.analyse_clip`
(the command line, the batch and the Review page); a live set's by the live paths.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from formcheck.errors import StoreError
from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store.db import HistoryDB
from formcheck.store.writes import NOTE_INTERRUPTED

ProgressFn = Callable[[int, int | None, float], None]

#: Live results are written to history at most this often (seconds): short
#: transactions, and at most this much of a set lost if the machine dies.
PROGRESS_EVERY_S = 10.0


class Recording:
    """A ``running`` history session from start to end (see the module docstring).

    The steps raise :class:`StoreError`; the subclasses decide what to do with it.
    """

    def __init__(
        self,
        db_path: Path | str | None,
        activity: str,
        *,
        source_path: Path | str | None = None,
        source_kind: str | None = None,
        settings: Settings | None = None,
        recorded_at: str | datetime | date | None = None,
        min_interval_s: float,
    ) -> None:
        self.db_path = db_path
        self.activity = activity
        self.source_path = source_path
        self.source_kind = source_kind
        self.settings = settings
        self.recorded_at = recorded_at
        self.min_interval_s = float(min_interval_s)
        self.session_id: int | None = None
        self.saved_id: int | None = None
        self._db: HistoryDB | None = None
        self._last_write = -float("inf")

    def _open(self) -> HistoryDB:
        if self._db is None:
            self._db = HistoryDB(self.db_path).open()
        return self._db

    def _begin(self) -> int:
        """Create the ``running`` session."""
        self.session_id = self._open().begin_session(
            self.activity,
            source_path=self.source_path,
            source_kind=self.source_kind,
            settings=self.settings,
            recorded_at=self.recorded_at,
        )
        return self.session_id

    def _due(self) -> bool:
        """Whether ``min_interval_s`` has passed since the last progress write."""
        return time.monotonic() - self._last_write >= self.min_interval_s

    def _checkpoint(
        self,
        report: Report | None = None,
        *,
        analysed_s: float | None = None,
        frames_done: int | None = None,
        frames_expected: int | None = None,
    ) -> None:
        """Store how far it got (and the results so far); the session stays running."""
        assert self.session_id is not None
        self._last_write = time.monotonic()
        self._open().add_progress(
            self.session_id,
            analysed_s=analysed_s,
            frames_done=frames_done,
            frames_expected=frames_expected,
            report=report,
        )

    def _save(
        self,
        report: Report,
        status: str | None,
        artefacts: Mapping[str, Path | str] | None,
        settings: Settings | None,
    ) -> int:
        """Save the report in ONE transaction; the id it is kept under. Without a
        started session (the history was unusable at the start) one is made here."""
        db = self._open()
        if self.session_id is None:
            self.saved_id = db.add_report(
                report,
                artefacts=artefacts,
                settings=settings or self.settings,
                recorded_at=self.recorded_at,
                status=status,
            )
        else:
            self.saved_id = db.save_report(
                self.session_id, report, status, artefacts=artefacts, settings=settings
            )
        return self.saved_id

    def _mark_partial(self, note: str) -> int:
        """Keep what is stored, marked partial; the id it is kept under."""
        assert self.session_id is not None
        self.saved_id = self._open().mark_partial(self.session_id, note)
        return self.saved_id

    def _discard(self) -> bool:
        """Delete the session if it holds nothing (True), else mark it partial."""
        assert self.session_id is not None
        return self._open().discard_if_empty(self.session_id)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class AnalysisRecording(Recording):
    """A clip analysis in history; history problems never stop it.

    Parameters
    ----------
    db_path : Path, optional
        The history file (None: ``$FORMCHECK_DB`` or the data folder).
    activity : str
        As requested ("auto" is fine; the report sets the real one).
    source_path, source_kind, settings, recorded_at
        Passed to :meth:`HistoryDB.begin_session`.
    min_interval_s : float
        Least time between two progress writes (keeps transactions rare and short).
    on_error : callable, optional
        Called once with the first :class:`StoreError`.
    """

    def __init__(
        self,
        db_path: Path | str | None = None,
        activity: str = "auto",
        *,
        source_path: Path | str | None = None,
        source_kind: str | None = None,
        settings: Settings | None = None,
        recorded_at: str | datetime | date | None = None,
        min_interval_s: float = 2.0,
        on_error: Callable[[StoreError], None] | None = None,
    ) -> None:
        super().__init__(
            db_path,
            activity,
            source_path=source_path,
            source_kind=source_kind,
            settings=settings,
            recorded_at=recorded_at,
            min_interval_s=min_interval_s,
        )
        self.on_error = on_error
        self.error: StoreError | None = None
        self._ended = False  # failed() or interrupted() has closed the session's life

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> Self:
        """Create the ``running`` session (does nothing after an error)."""
        if self.session_id is not None or self.error is not None:
            return self
        try:
            self._begin()
        except StoreError as exc:
            self._fail(exc)
        return self

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Not saved by then: stopped from outside (Ctrl-C, an app's rerun: anything that
        is not an ``Exception``) keeps what was stored, marked partial; an error or no
        save at all removes a session that holds nothing."""
        try:
            if self.saved_id is None:
                if exc_type is not None and not issubclass(exc_type, Exception):
                    self.interrupted()
                else:
                    self.failed()
        finally:
            self.close()

    @property
    def active(self) -> bool:
        return (
            self._db is not None
            and self.session_id is not None
            and self.error is None
            and not self._ended
        )

    def _fail(self, exc: StoreError, always: bool = False) -> None:
        first = self.error is None
        self.error = exc
        if (first or always) and self.on_error is not None:
            self.on_error(exc)

    # -- during the analysis -------------------------------------------------------------
    def progress(self, frames_done: int, frames_expected: int | None, t_s: float) -> None:
        """A :data:`formcheck.pipeline.ProgressFn`: stores progress, at most every
        ``min_interval_s`` seconds."""
        if not self.active or not self._due():
            return
        try:
            self._checkpoint(
                analysed_s=t_s, frames_done=frames_done, frames_expected=frames_expected
            )
        except StoreError as exc:
            self._fail(exc)

    def wrap(self, fn: ProgressFn | None = None) -> ProgressFn:
        """A progress callback that calls ``fn`` (e.g. a progress bar) and stores progress."""

        def both(done: int, expected: int | None, t_s: float) -> None:
            if fn is not None:
                fn(done, expected, t_s)
            self.progress(done, expected, t_s)

        return both

    def update(self, report: Report, analysed_s: float | None = None) -> None:
        """Store results so far (e.g. a partial report); stays running."""
        if not self.active:
            return
        try:
            self._checkpoint(report, analysed_s=analysed_s)
        except StoreError as exc:
            self._fail(exc)

    # -- the end -------------------------------------------------------------------------
    def save(
        self,
        report: Report,
        artefacts: Mapping[str, Path | str] | None = None,
        settings: Settings | None = None,
        status: str | None = None,
    ) -> int | None:
        """Save the report in one transaction; the id it is kept under.

        Returns None when the history cannot be written (the error goes to
        ``on_error`` and stays in :attr:`error`). If the session could not be
        started (history unusable at the start), a fresh attempt is made here,
        so a briefly locked database does not lose the result.
        """
        try:
            self._save(report, status, artefacts, settings)
            self.error = None
        except StoreError as exc:
            self._fail(exc, always=True)
            return None
        return self.saved_id

    def add_files(self, artefacts: Mapping[str, Path | str]) -> None:
        """Record files written after :meth:`save` (a stopped analysis is saved before its
        HTML report is drawn); a history problem goes to ``on_error``."""
        if self.saved_id is None or not artefacts:
            return
        try:
            db = self._open()
            for kind, path in artefacts.items():
                db.add_artefact(self.saved_id, kind, path)
        except StoreError as exc:
            self._fail(exc, always=True)

    def interrupted(self, note: str = NOTE_INTERRUPTED) -> None:
        """Ctrl-C or a lost camera: keep what is stored, marked partial."""
        if not self.active:
            return
        self._ended = True
        try:
            self._mark_partial(note)
        except StoreError as exc:
            self._fail(exc)

    def failed(self) -> None:
        """The analysis failed: delete the session if it holds nothing, else mark it partial."""
        if not self.active:
            return
        self._ended = True
        try:
            self._discard()
        except StoreError as exc:
            self._fail(exc)


class LiveRecording(Recording):
    """A live set in history from START to STOP; callers show the :class:`StoreError`
    any step raises (a failed progress write is retried at the next interval)."""

    def __init__(
        self, activity: str, settings: Settings | None = None, db: Path | str | None = None
    ) -> None:
        super().__init__(
            db, activity, source_kind="webcam", settings=settings, min_interval_s=PROGRESS_EVERY_S
        )

    def begin(self) -> int:
        sid = self._begin()
        self._last_write = time.monotonic()
        return sid

    def due(self) -> bool:
        return self.session_id is not None and self._due()

    def progress(self, report: Report | None, analysed_s: float, frames: int) -> None:
        if self.session_id is None:
            return
        self._checkpoint(report, analysed_s=analysed_s, frames_done=frames)

    def finish(self, report: Report | None, partial: bool, note: str = "") -> int | None:
        """Save the final report (or mark partial / discard an empty session)."""
        if self.session_id is None:
            return None
        try:
            if report is not None:
                return self._save(report, "partial" if partial else "complete", None, None)
            if self._discard():
                return None
            return self._mark_partial(note or "live session ended")
        finally:
            self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            super().close()
        self._db = None
