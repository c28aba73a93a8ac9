"""`AnalysisRecording`: one history session that follows an analysis from start to end.

Used by ``formcheck analyze`` and the app::

    with AnalysisRecording(db_path, "run", source_path=clip, settings=s) as rec:
        report = formcheck.analyze(clip, "run", s, progress=rec.wrap(show_progress))
        rec.save(report, artefacts)

The session row is created (status ``running``) when the recording starts;
progress is stored every ``min_interval_s`` seconds; ``save`` stores the report
in one transaction. Leaving the block by Ctrl-C (``KeyboardInterrupt``) marks
the session ``partial``; leaving it by another exception before ``save``
deletes the session if nothing was stored yet (a clip that could not be
analysed at all), otherwise marks it partial. If the process is killed, the
next open of the history marks the session partial.

History problems never stop an analysis: the first :class:`StoreError` is
passed to ``on_error`` (default: ignored), and the recording stops writing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from types import TracebackType

from formcheck.errors import StoreError
from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store.db import NOTE_INTERRUPTED, HistoryDB

ProgressFn = Callable[[int, int | None, float], None]


class AnalysisRecording:
    """A ``running`` history session for one analysis (see the module docstring).

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
        self.db_path = db_path
        self.activity = activity
        self.source_path = source_path
        self.source_kind = source_kind
        self.settings = settings
        self.recorded_at = recorded_at
        self.min_interval_s = float(min_interval_s)
        self.on_error = on_error
        self.session_id: int | None = None
        self.saved_id: int | None = None
        self.error: StoreError | None = None
        self._db: HistoryDB | None = None
        self._last_write = -float("inf")

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> AnalysisRecording:
        """Create the ``running`` session (does nothing after an error)."""
        if self.session_id is not None or self.error is not None:
            return self
        try:
            self._db = HistoryDB(self.db_path).open()
            self.session_id = self._db.begin_session(
                self.activity,
                source_path=self.source_path,
                source_kind=self.source_kind,
                settings=self.settings,
                recorded_at=self.recorded_at,
            )
        except StoreError as exc:
            self._fail(exc)
        return self

    def __enter__(self) -> AnalysisRecording:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self.saved_id is None:
                if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
                    self.interrupted()
                else:
                    self.failed()
        finally:
            self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def active(self) -> bool:
        return self._db is not None and self.session_id is not None and self.error is None

    def _fail(self, exc: StoreError, always: bool = False) -> None:
        first = self.error is None
        self.error = exc
        if (first or always) and self.on_error is not None:
            self.on_error(exc)

    # -- during the analysis -------------------------------------------------------------
    def progress(self, frames_done: int, frames_expected: int | None, t_s: float) -> None:
        """A :data:`formcheck.pipeline.ProgressFn`: stores progress, at most every
        ``min_interval_s`` seconds."""
        if not self.active:
            return
        now = time.monotonic()
        if now - self._last_write < self.min_interval_s:
            return
        self._last_write = now
        try:
            assert self._db is not None and self.session_id is not None
            self._db.add_progress(
                self.session_id,
                analysed_s=t_s,
                frames_done=frames_done,
                frames_expected=frames_expected,
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
        """Store results so far (e.g. a live analyzer's ``result()``); stays running."""
        if not self.active:
            return
        try:
            assert self._db is not None and self.session_id is not None
            self._db.add_progress(self.session_id, analysed_s=analysed_s, report=report)
            self._last_write = time.monotonic()
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
            if self._db is None:
                self._db = HistoryDB(self.db_path).open()
            if self.session_id is None:
                self.saved_id = self._db.add_report(
                    report,
                    artefacts=artefacts,
                    settings=settings or self.settings,
                    recorded_at=self.recorded_at,
                    status=status,
                )
            else:
                self.saved_id = self._db.save_report(
                    self.session_id,
                    report,
                    status,
                    artefacts=artefacts,
                    settings=settings,
                )
            self.error = None
        except StoreError as exc:
            self._fail(exc, always=True)
            return None
        return self.saved_id

    def interrupted(self, note: str = NOTE_INTERRUPTED) -> None:
        """Ctrl-C or a lost camera: keep what is stored, marked partial."""
        if not self.active:
            return
        try:
            assert self._db is not None and self.session_id is not None
            self.saved_id = self._db.mark_partial(self.session_id, note)
        except StoreError as exc:
            self._fail(exc)

    def failed(self) -> None:
        """The analysis failed: delete the session if it holds nothing, else mark it partial."""
        if not self.active:
            return
        try:
            assert self._db is not None and self.session_id is not None
            self._db.discard_if_empty(self.session_id)
        except StoreError as exc:
            self._fail(exc)
