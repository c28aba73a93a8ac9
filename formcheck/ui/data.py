"""The pages' reads of the history database, each in its own short connection.
No Streamlit here. Store problems arrive as :class:`~formcheck.errors.StoreError`
(message + hint), shown as sentences.

Sessions are written by the use cases (:mod:`formcheck.pipeline.clip`, the live
session), never by the pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from formcheck.store.db import HistoryDB


def list_sessions(activity: str | None = None, db: Path | str | None = None) -> list[Any]:
    with HistoryDB(db) as hdb:
        return list(hdb.list_sessions(activity=activity or None))


def get_session(session_id: int, db: Path | str | None = None) -> Any:
    with HistoryDB(db) as hdb:
        return hdb.get_session(int(session_id))


def trend(
    activity: str | None, metrics: tuple[str, ...] | None, db: Path | str | None = None
) -> Any:
    with HistoryDB(db) as hdb:
        return hdb.trend(list(metrics) if metrics else None, activity=activity or None)


def delete_session(session_id: int, db: Path | str | None = None) -> Any:
    """Delete a session and the files formcheck made for it (a
    :class:`~formcheck.store.removal.Removed`)."""
    with HistoryDB(db) as hdb:
        return hdb.delete_session_and_files(int(session_id))


def user_routines(db: Path | str | None = None) -> list[Any]:
    """The routines the user built (:class:`formcheck.routines.Routine`)."""
    with HistoryDB(db) as hdb:
        return hdb.user_routines()


def routine_runs(limit: int = 20, db: Path | str | None = None) -> list[Any]:
    """The guided routines done, newest first (:class:`formcheck.store.routines.RoutineRun`)."""
    with HistoryDB(db) as hdb:
        return hdb.list_routine_runs(limit)


def routine_of_session(session_id: int, db: Path | str | None = None) -> Any:
    """The routine done a session's move belongs to and the step's index, or None."""
    with HistoryDB(db) as hdb:
        return hdb.routine_of_session(int(session_id))
