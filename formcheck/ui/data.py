"""The app's and ``formcheck live``'s link to the history database. No Streamlit here.

A thin layer over :class:`formcheck.store.HistoryDB` so pages and the CLI
save and read sessions the same way. Store problems arrive as
:class:`~formcheck.errors.StoreError` (message + hint), shown as sentences.

Live sets are recorded as they go by
:class:`formcheck.store.recording.LiveRecording` (the same session lifecycle
as a clip analysis).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from formcheck.errors import StoreError
from formcheck.report.model import Report
from formcheck.settings import Settings


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
