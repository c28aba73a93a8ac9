"""The app's and ``formcheck live``'s link to the history database. No Streamlit here.

A thin layer over :class:`formcheck.store.HistoryDB` so pages and the CLI
save and read sessions the same way. Store problems arrive as
:class:`~formcheck.errors.StoreError` (message + hint), shown as sentences.

Live sessions are recorded as they go (:class:`LiveRecording`): the session
row is created at START (status ``running``), the results so far are stored
every :data:`PROGRESS_EVERY_S` seconds, and STOP saves the final report in one
transaction, so a crash or a camera that disappears keeps what was recorded
(marked partial).
"""

from __future__ import annotations

import contextlib
import importlib
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from formcheck.errors import StoreError
from formcheck.report.model import Report
from formcheck.settings import Settings

#: Live results are written to history at most this often (seconds): short
#: transactions, and at most this much of a set lost if the machine dies.
PROGRESS_EVERY_S = 10.0


def _history_db_class() -> Any:
    try:
        mod = importlib.import_module("formcheck.store")
        cls = getattr(mod, "HistoryDB", None)
        if cls is None:
            cls = importlib.import_module("formcheck.store.db").HistoryDB
        return cls
    except (ImportError, AttributeError) as exc:
        raise StoreError(
            "Session history is not available in this build of formcheck.",
            "Reinstall formcheck (scripts/install.sh); clip analysis still works.",
            code="store_missing",
        ) from exc


def history_available() -> bool:
    try:
        _history_db_class()
        return True
    except StoreError:
        return False


def open_db(db: Path | str | None = None) -> Any:
    """An open :class:`formcheck.store.HistoryDB` (``db`` > ``$FORMCHECK_DB`` > data folder)."""
    return _history_db_class()(db).open()


def save_report(
    report: Report,
    artefacts: Mapping[str, Path | str] | None = None,
    db: Path | str | None = None,
    settings: Settings | None = None,
) -> int:
    """Save one finished analysis in one transaction; the id it is kept under."""
    hdb = open_db(db)
    try:
        return int(
            hdb.add_report(
                report,
                artefacts={k: str(v) for k, v in (artefacts or {}).items()},
                settings=settings,
            )
        )
    finally:
        hdb.close()


def list_sessions(activity: str | None = None, db: Path | str | None = None) -> list[Any]:
    hdb = open_db(db)
    try:
        return list(hdb.list_sessions(activity=activity or None))
    finally:
        hdb.close()


def get_session(session_id: int, db: Path | str | None = None) -> Any:
    hdb = open_db(db)
    try:
        return hdb.get_session(int(session_id))
    finally:
        hdb.close()


def trend(
    activity: str | None, metrics: tuple[str, ...] | None, db: Path | str | None = None
) -> Any:
    hdb = open_db(db)
    try:
        return hdb.trend(list(metrics) if metrics else None, activity=activity or None)
    finally:
        hdb.close()


def delete_session(session_id: int, db: Path | str | None = None) -> Any:
    hdb = open_db(db)
    try:
        return hdb.delete_session(int(session_id))
    finally:
        hdb.close()


class LiveRecording:
    """A live session in history from START to STOP (see the module docstring).

    Every method swallows nothing: callers show :class:`StoreError` to the user;
    a failed progress write is retried at the next interval.
    """

    def __init__(
        self, activity: str, settings: Settings | None = None, db: Path | str | None = None
    ) -> None:
        self.activity = activity
        self.settings = settings
        self.db = db
        self.session_id: int | None = None
        self._last_progress = 0.0
        self._hdb: Any = None

    def _open(self) -> Any:
        if self._hdb is None:
            self._hdb = open_db(self.db)
        return self._hdb

    def begin(self) -> int:
        self.session_id = int(
            self._open().begin_session(self.activity, source_kind="webcam", settings=self.settings)
        )
        self._last_progress = time.monotonic()
        return self.session_id

    def due(self) -> bool:
        return (
            self.session_id is not None
            and time.monotonic() - self._last_progress >= PROGRESS_EVERY_S
        )

    def progress(self, report: Report | None, analysed_s: float, frames: int) -> None:
        if self.session_id is None:
            return
        self._last_progress = time.monotonic()
        self._open().add_progress(
            self.session_id, analysed_s=analysed_s, frames_done=frames, report=report
        )

    def finish(self, report: Report | None, partial: bool, note: str = "") -> int | None:
        """Save the final report (or mark partial / discard an empty session)."""
        if self.session_id is None:
            return None
        hdb = self._open()
        try:
            if report is not None:
                return int(
                    hdb.save_report(
                        self.session_id,
                        report,
                        "partial" if partial else "complete",
                        settings=self.settings,
                    )
                )
            if hdb.discard_if_empty(self.session_id):
                return None
            return int(hdb.mark_partial(self.session_id, note or "live session ended"))
        finally:
            self.close()

    def close(self) -> None:
        if self._hdb is not None:
            with contextlib.suppress(Exception):
                self._hdb.close()
            self._hdb = None
