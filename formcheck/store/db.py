"""`HistoryDB`: every analysed session kept in one SQLite file, safely.

How it keeps data (see shared/docs/pitfalls.md, "Losing saved history"):

- every connection uses ``journal_mode=WAL``, ``synchronous=FULL``,
  ``busy_timeout=5000`` and ``foreign_keys=ON``;
- every write is one short ``BEGIN IMMEDIATE`` transaction, so two processes
  (the app and a CLI batch) can write at once: the second waits for the first
  instead of failing, and a crash rolls a half-done write back;
- a session row is created with status ``running`` when an analysis *starts*;
  progress and partial results are stored as they come; the final report is
  saved in one transaction as ``complete`` or ``partial``. If the process dies,
  the next open finds the ``running`` row whose process is gone and marks it
  ``partial``, keeping what was stored;
- a file that is not an SQLite database, is damaged, or was written by a newer
  formcheck is refused with a :class:`~formcheck.errors.StoreError` and never
  written to. Before a schema migration the old file is backed up with
  ``VACUUM INTO`` (never a file copy).

Re-analysing the same clip (same sha256) for the same activity with the same
settings and model does not add a session: the existing session (same id) gets
the new results, unless the new run is only partial and the stored one is more
complete, in which case the stored one is kept.

The class is put together from one part per job:

- :mod:`~formcheck.store.connect` opening, pragmas, transactions (with the file
  checks and migrations of :mod:`~formcheck.store.checks`);
- :mod:`~formcheck.store.writes` starting, progressing, saving, ending sessions;
- :mod:`~formcheck.store.reads` one session, the list, trends;
- :mod:`~formcheck.store.export` CSV/JSON export and backups;
- :mod:`~formcheck.store.removal` deleting a session with the files formcheck made for it;
- :mod:`~formcheck.store.routines` the guided routines done and the user's own routines.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Self

from formcheck.errors import StoreError
from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store.export import Export
from formcheck.store.reads import Reads
from formcheck.store.removal import Removal
from formcheck.store.routines import Routines
from formcheck.store.writes import Writes


class HistoryDB(Writes, Reads, Export, Removal, Routines):
    """The session history.

    Parameters
    ----------
    path : Path, optional
        The database file; default :func:`~formcheck.store.values.resolve_db_path`
        (``$FORMCHECK_DB`` or ``<data dir>/history.sqlite3``). Created on first use.
    readonly : bool
        Open for reading only (``mode=ro``): no migration, no repair of stale
        sessions. For a history on a read-only medium.
    busy_timeout_ms : int
        How long to wait for another writer (default 5000 ms).
    backup_before_migrate : bool
        Copy a file of an older layout aside before upgrading it (default True).

    Use as a context manager, or call :meth:`open` / :meth:`close`. Methods
    open the file on first use. One object may be shared between threads
    (calls are serialised); it must not be used after ``fork()``.

    Raises
    ------
    StoreError
        With code ``store_damaged`` (not SQLite, damaged), ``store_not_ours``
        (another program's database, left untouched), ``store_too_new``,
        ``store_locked``, ``store_read_only``, ``store_cannot_open``, ``no_such_session`` ...
    """

    def open(self) -> Self:
        """Open (creating or migrating the file if needed) and repair stale sessions."""
        if not self._open_connection() or self.readonly:
            return self
        try:
            self.recovered = self.recover_stale()
        except StoreError as exc:
            if exc.code != "store_locked":  # busy: the next open will do it
                self.close()
                raise
        return self


def save_analysis(
    report: Report,
    db_path: Path | str | None = None,
    artefacts: Mapping[str, Path | str] | None = None,
    *,
    settings: Settings | None = None,
    session_id: int | None = None,
    recorded_at: str | datetime | date | None = None,
) -> int:
    """Save one analysis to the history (for the CLI and the app); returns the session id.

    With ``session_id`` (from :meth:`HistoryDB.begin_session` at the start of
    the analysis) that session gets the results; without it a session is made
    and saved in one go. Status is "partial" when ``report.partial``.
    Raises :class:`StoreError` when the history cannot be written.
    """
    with HistoryDB(db_path) as db:
        if session_id is None:
            return db.add_report(
                report, artefacts=artefacts, settings=settings, recorded_at=recorded_at
            )
        return db.save_report(
            session_id, report, artefacts=artefacts, settings=settings, recorded_at=recorded_at
        )
