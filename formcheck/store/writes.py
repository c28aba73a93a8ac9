"""Writing sessions: start one (``running``), store progress, save a report, end,
delete, and mark sessions orphaned by a crash as partial.

Every public call is ONE transaction. Re-analysing the same clip (same sha256)
for the same activity with the same settings and model does not add a session:
the existing session (same id) gets the new results, unless the new run is
only partial and the stored one is more complete, in which case the stored one
is kept (:func:`formcheck.store.settle.settle`). A complete run also removes the empty partial
sessions of the same clip (killed before their first checkpoint).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store.connect import Connection
from formcheck.store.owner import owner_alive, owner_token
from formcheck.store.records import SessionRecord
from formcheck.store.routines import drop_session
from formcheck.store.settle import settle
from formcheck.store.tables import read_record, write_results
from formcheck.store.values import (
    compact_json,
    finite_or_none,
    now_utc,
    settings_fingerprint,
    settings_to_dict,
    to_utc_iso,
)

NOTE_CRASHED = (
    "The analysis stopped before it finished (formcheck was closed or crashed); "
    "what was saved until then is kept."
)
NOTE_INTERRUPTED = "Stopped before the end; this covers the part analysed."


class Writes(Connection):
    """The writing part of :class:`~formcheck.store.db.HistoryDB`."""

    def begin_session(
        self,
        activity: str = "auto",
        *,
        source_path: Path | str | None = None,
        source_sha256: str | None = None,
        source_kind: str | None = None,
        settings: Settings | None = None,
        created_at: str | datetime | None = None,
        recorded_at: str | datetime | date | None = None,
        frames_expected: int | None = None,
        duration_s: float | None = None,
        fps: float | None = None,
    ) -> int:
        """Create a ``running`` session at the start of an analysis; returns its id.

        ``activity`` may be "auto" until the report says which it was.
        ``settings`` (profile, thresholds, view ...) are stored and fingerprinted
        for de-duplication; ``recorded_at`` (when the clip was filmed, if known)
        orders the history instead of the analysis time.
        """
        with self._write("starting a session") as conn:
            return self._insert_session(
                conn,
                activity,
                source_path=source_path,
                source_sha256=source_sha256,
                source_kind=source_kind,
                settings=settings,
                created_at=created_at,
                recorded_at=recorded_at,
                frames_expected=frames_expected,
                duration_s=duration_s,
                fps=fps,
            )

    def _insert_session(
        self,
        conn: sqlite3.Connection,
        activity: str,
        *,
        source_path: Path | str | None = None,
        source_sha256: str | None = None,
        source_kind: str | None = None,
        settings: Settings | None = None,
        created_at: str | datetime | None = None,
        recorded_at: str | datetime | date | None = None,
        frames_expected: int | None = None,
        duration_s: float | None = None,
        fps: float | None = None,
    ) -> int:
        created = to_utc_iso(created_at) or now_utc()
        if source_kind is None and source_path is not None:
            source_kind = "video"
        cur = conn.execute(
            "INSERT INTO sessions (created_at, updated_at, recorded_at, activity, "
            "activity_requested, status, owner, source_kind, source_path, source_sha256, "
            "fps, duration_s, frames_expected, profile_json, settings_json, "
            "settings_fingerprint) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?)",
            (
                created,
                now_utc(),
                to_utc_iso(recorded_at),
                activity,
                activity,
                owner_token(),
                source_kind,
                None if source_path is None else str(source_path),
                source_sha256,
                finite_or_none(fps),
                finite_or_none(duration_s),
                frames_expected,
                None if settings is None else compact_json(dataclasses.asdict(settings.profile)),
                None if settings is None else compact_json(settings_to_dict(settings)),
                settings_fingerprint(settings),
            ),
        )
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def add_progress(
        self,
        session_id: int,
        *,
        analysed_s: float | None = None,
        frames_done: int | None = None,
        frames_expected: int | None = None,
        report: Report | None = None,
    ) -> bool:
        """Store how far a running analysis got, and optionally its results so far.

        ``report`` (e.g. built from a live analyzer's ``result()``) replaces the
        session's stored results; the status stays ``running``. Returns False
        (and changes nothing) when the session is no longer running.
        """
        with self._write("saving progress") as conn:
            row = self._require(conn, session_id)
            if row["status"] != "running":
                return False
            if report is not None:
                self._store_report(conn, int(session_id), report)
            conn.execute(
                "UPDATE sessions SET updated_at = ?, analysed_s = COALESCE(?, analysed_s), "
                "frames_done = COALESCE(?, frames_done), "
                "frames_expected = COALESCE(?, frames_expected) WHERE id = ?",
                (
                    now_utc(),
                    finite_or_none(analysed_s),
                    frames_done,
                    frames_expected,
                    int(session_id),
                ),
            )
            return True

    def save_report(
        self,
        session_id: int,
        report: Report,
        status: str | None = None,
        *,
        artefacts: Mapping[str, Path | str] | None = None,
        settings: Settings | None = None,
        recorded_at: str | datetime | date | None = None,
    ) -> int:
        """Save a finished (or interrupted) analysis in ONE transaction.

        status : "complete" or "partial"; default from ``report.partial``.
        artefacts : kind -> path of files written for it (also the landmark
            cache from ``report.pose.cache_path``, added automatically).
        settings : the settings used, if not given to :meth:`begin_session`.

        Returns the id the session is kept under: ``session_id``, or the id of
        an earlier session of the same clip, activity, settings and model,
        which gets these results (see the module docstring).
        """
        with self._write("saving the session") as conn:
            return self._save_in(
                conn, int(session_id), report, status, artefacts, settings, recorded_at
            )

    def _save_in(
        self,
        conn: sqlite3.Connection,
        sid: int,
        report: Report,
        status: str | None,
        artefacts: Mapping[str, Path | str] | None,
        settings: Settings | None,
        recorded_at: str | datetime | date | None,
    ) -> int:
        if status is None:
            status = "partial" if report.partial else "complete"
        if status not in ("complete", "partial"):
            raise ValueError(f"status must be 'complete' or 'partial', not {status!r}")
        note = NOTE_INTERRUPTED if status == "partial" else ""
        self._require(conn, sid)
        if settings is not None:
            conn.execute(
                "UPDATE sessions SET profile_json = ?, settings_json = ?, "
                "settings_fingerprint = ? WHERE id = ?",
                (
                    compact_json(dataclasses.asdict(settings.profile)),
                    compact_json(settings_to_dict(settings)),
                    settings_fingerprint(settings),
                    sid,
                ),
            )
        # when it was filmed: as given, else as the clip's own creation time says
        recorded_at = recorded_at if recorded_at is not None else report.source.recorded_at
        if recorded_at is not None:
            conn.execute(
                "UPDATE sessions SET recorded_at = ? WHERE id = ?",
                (to_utc_iso(recorded_at), sid),
            )
        self._store_report(conn, sid, report)
        for kind, path in (artefacts or {}).items():
            self._upsert_artefact(conn, sid, kind, path)
        return self._settle(conn, sid, status, note)

    def add_report(
        self,
        report: Report,
        *,
        artefacts: Mapping[str, Path | str] | None = None,
        settings: Settings | None = None,
        recorded_at: str | datetime | date | None = None,
        status: str | None = None,
    ) -> int:
        """Create a session and save ``report`` into it, all in ONE transaction.

        For a finished analysis that had no :meth:`begin_session`. Returns the id
        it is kept under (see :meth:`save_report`).
        """
        with self._write("saving the session") as conn:
            sid = self._insert_session(
                conn,
                report.activity_requested,
                source_path=report.source.path,
                source_sha256=report.source.sha256,
                source_kind=report.source.kind,
                settings=settings,
                created_at=report.created_at,
                recorded_at=recorded_at,
            )
            return self._save_in(conn, sid, report, status, artefacts, None, recorded_at)

    def finish(self, session_id: int) -> int:
        """Mark a running session complete with what it holds (results stored by
        :meth:`add_progress`); returns the id it is kept under."""
        with self._write("finishing the session") as conn:
            row = self._require(conn, session_id)
            if row["status"] != "running":
                return int(session_id)
            return self._settle(conn, int(session_id), "complete", "")

    def mark_partial(self, session_id: int, note: str = NOTE_INTERRUPTED) -> int:
        """Mark a running session partial (Ctrl-C, a camera that went away, an error),
        keeping what it holds; returns the id it is kept under."""
        with self._write("marking the session partial") as conn:
            row = self._require(conn, session_id)
            if row["status"] != "running":
                return int(session_id)
            return self._settle(conn, int(session_id), "partial", note)

    def discard_if_empty(self, session_id: int) -> bool:
        """Delete a running session that stored nothing yet (an analysis that
        failed at once); otherwise mark it partial. Returns True if deleted."""
        with self._write("discarding the session") as conn:
            row = self._require(conn, session_id)
            if row["status"] != "running":
                return False
            has = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM metrics WHERE session_id = ?) OR "
                "EXISTS (SELECT 1 FROM artefacts WHERE session_id = ?)",
                (int(session_id), int(session_id)),
            ).fetchone()[0]
            if has or row["report_zlib"] is not None:
                self._settle(conn, int(session_id), "partial", NOTE_INTERRUPTED)
                return False
            conn.execute("DELETE FROM sessions WHERE id = ?", (int(session_id),))
            return True

    def add_artefact(self, session_id: int, kind: str, path: Path | str) -> None:
        """Record a file written for a session (one path per kind; a new one replaces)."""
        with self._write("recording a file") as conn:
            self._require(conn, session_id)
            self._upsert_artefact(conn, int(session_id), kind, path)

    def delete_session(self, session_id: int) -> SessionRecord:
        """Delete a session and everything stored with it (a routine done says so); what
        was deleted. Its files are not touched: see
        :meth:`~formcheck.store.removal.Removal.delete_session_and_files`."""
        with self._write("deleting the session") as conn:
            rec = read_record(conn, int(session_id), self.path)
            drop_session(conn, int(session_id))
            return rec

    def recover_stale(self) -> list[int]:
        """Mark ``running`` sessions whose process is gone as ``partial``; their ids."""
        with self._read("looking for interrupted sessions") as conn:
            rows = conn.execute(
                "SELECT id, owner, updated_at FROM sessions WHERE status = 'running'"
            ).fetchall()
        stale = [int(r[0]) for r in rows if not owner_alive(r[1], r[2])]
        done: list[int] = []
        for sid in stale:
            with self._write("marking an interrupted session") as conn:
                row = conn.execute(
                    "SELECT status, owner, updated_at FROM sessions WHERE id = ?", (sid,)
                ).fetchone()
                if row is None or row[0] != "running" or owner_alive(row[1], row[2]):
                    continue
                done.append(self._settle(conn, sid, "partial", NOTE_CRASHED))
        return done

    # -- inside a transaction --------------------------------------------------------------
    def _store_report(self, conn: sqlite3.Connection, sid: int, report: Report) -> None:
        """Write a report's results into session ``sid`` (replacing earlier ones)."""
        write_results(conn, sid, report)
        if report.pose.cache_path:
            self._upsert_artefact(conn, sid, "landmark_cache", report.pose.cache_path)

    def _upsert_artefact(
        self, conn: sqlite3.Connection, sid: int, kind: str, path: Path | str
    ) -> None:
        conn.execute(
            "INSERT INTO artefacts (session_id, kind, path, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (session_id, kind) DO UPDATE SET path = excluded.path, "
            "created_at = excluded.created_at",
            (sid, str(kind), str(path), now_utc()),
        )

    def _settle(self, conn: sqlite3.Connection, sid: int, status: str, note: str) -> int:
        """End session ``sid`` as ``status`` (:func:`~formcheck.store.settle.settle`)."""
        return settle(conn, self._require(conn, sid), status, note)
