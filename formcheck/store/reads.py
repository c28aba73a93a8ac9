"""Reading the history: one session, the list, and metric trends over time.

Lists and trends are ordered by when the clip was recorded if known, else by
when its analysis started.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime

from formcheck.store.connect import Connection
from formcheck.store.records import SessionRecord, SessionSummary, Trend, TrendPoint
from formcheck.store.tables import read_record
from formcheck.store.values import to_utc_iso


def select_sessions(
    conn: sqlite3.Connection,
    activity: str | None,
    since: str | datetime | date | None,
    statuses: Sequence[str] | None,
    newest_first: bool,
    until: str | datetime | date | None = None,
) -> list[sqlite3.Row]:
    """The summary rows of the sessions that match, ordered by when."""
    where, args = [], []
    if activity:
        where.append("s.activity = ?")
        args.append(activity)
    if since is not None:
        where.append("COALESCE(s.recorded_at, s.created_at) >= ?")
        args.append(to_utc_iso(since))
    if until is not None:
        where.append("COALESCE(s.recorded_at, s.created_at) < ?")
        args.append(to_utc_iso(until))
    if statuses:
        where.append(f"s.status IN ({', '.join('?' * len(statuses))})")
        args.extend(statuses)
    order = "DESC" if newest_first else "ASC"
    conn.row_factory = sqlite3.Row
    return conn.execute(
        "SELECT s.id, s.created_at, s.recorded_at, COALESCE(s.recorded_at, s.created_at) "
        "AS at, s.activity, s.status, s.view, s.source_path, s.duration_s, s.analysed_s, "
        "s.note, (SELECT count(*) FROM findings f WHERE f.session_id = s.id AND "
        "f.status = 'flag') AS flags FROM sessions s"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + f" ORDER BY at {order}, s.id {order}",
        args,
    ).fetchall()


class Reads(Connection):
    """The reading part of :class:`~formcheck.store.db.HistoryDB`."""

    def get_session(self, session_id: int) -> SessionRecord:
        """Everything stored for one session (raises StoreError ``no_such_session``)."""
        with self._read("reading a session") as conn:
            return read_record(conn, int(session_id), self.path)

    def list_sessions(
        self,
        activity: str | None = None,
        since: str | datetime | date | None = None,
        *,
        until: str | datetime | date | None = None,
        status: str | Sequence[str] | None = None,
        newest_first: bool = True,
    ) -> list[SessionSummary]:
        """Sessions, newest first, optionally of one activity / since a time / by status."""
        statuses = [status] if isinstance(status, str) else status
        with self._read("listing sessions") as conn:
            rows = select_sessions(conn, activity, since, statuses, newest_first, until)
        return [
            SessionSummary(
                id=int(r["id"]),
                when=r["at"],
                created_at=r["created_at"],
                recorded_at=r["recorded_at"],
                activity=r["activity"],
                status=r["status"],
                view=r["view"],
                source_path=r["source_path"],
                duration_s=r["duration_s"],
                analysed_s=r["analysed_s"],
                flags=int(r["flags"]),
                note=r["note"] or "",
            )
            for r in rows
        ]

    def complete_reports(
        self,
        source_sha256: str,
        activity_requested: str,
        settings_fingerprint: str,
        model_sha256: str,
    ) -> list[str]:
        """Where the ``report_json`` of each complete analysis of this clip (content),
        requested activity, settings and model was written (a batch's resume check)."""
        with self._read("looking for earlier analyses") as conn:
            rows = conn.execute(
                "SELECT a.path FROM sessions s JOIN artefacts a ON a.session_id = s.id "
                "WHERE s.status = 'complete' AND s.source_sha256 = ? "
                "AND s.activity_requested = ? AND s.settings_fingerprint = ? "
                "AND s.model_sha256 = ? AND a.kind = 'report_json'",
                (source_sha256, activity_requested, settings_fingerprint, model_sha256),
            ).fetchall()
        return [str(r[0]) for r in rows]

    def trend(
        self,
        metric_names: Sequence[str] | None = None,
        activity: str | None = None,
        *,
        since: str | datetime | date | None = None,
        include_partial: bool = True,
    ) -> Trend:
        """Per-session medians of metrics over time, oldest first (the History page).

        Each session's value is its stored summary (the analyzer's median over
        that session's steps or reps). ``metric_names=None`` takes every metric
        measured in at least one matching session, in the order first seen.
        Running sessions are left out, and so are sessions with no metric stored
        (a run killed before its first checkpoint); partial ones unless
        ``include_partial`` is False (each point carries its status).
        """
        statuses = ["complete", "partial"] if include_partial else ["complete"]
        with self._read("reading the trend") as conn:
            sessions = select_sessions(conn, activity, since, statuses, newest_first=False)
            ids = [int(r["id"]) for r in sessions]
            per: dict[int, dict[str, tuple[float | None, str, float | None, int]]] = {
                i: {} for i in ids
            }
            order: list[str] = []
            conn.row_factory = None
            for chunk_start in range(0, len(ids), 500):
                chunk = ids[chunk_start : chunk_start + 500]
                for sid, name, value, unit, spread, n in conn.execute(
                    "SELECT session_id, name, value, unit, spread, n FROM metrics WHERE "
                    f"session_id IN ({', '.join('?' * len(chunk))}) ORDER BY rowid",
                    chunk,
                ):
                    per[int(sid)][name] = (value, unit, spread, int(n))
        # a session that stored no metric (killed before its first checkpoint) has
        # nothing to show: no all-n/a row
        sessions = [r for r in sessions if per[int(r["id"])]]
        ids = [int(r["id"]) for r in sessions]
        for sid in ids:
            for name, (value, *_rest) in per[sid].items():
                if value is not None and name not in order:
                    order.append(name)
        names = tuple(metric_names) if metric_names is not None else tuple(order)
        units: dict[str, str] = {}
        for name in names:
            for sid in reversed(ids):
                if name in per[sid]:
                    units[name] = per[sid][name][1]
                    break
        mismatches: dict[str, int] = {}
        points = []
        for r in sessions:
            sid = int(r["id"])
            values: dict[str, float | None] = {}
            spreads: dict[str, float | None] = {}
            ns: dict[str, int] = {}
            for name in names:
                got = per[sid].get(name)
                if got is None:
                    values[name], spreads[name], ns[name] = None, None, 0
                elif got[1] != units.get(name):
                    mismatches[name] = mismatches.get(name, 0) + 1
                    values[name], spreads[name], ns[name] = None, None, 0
                else:
                    values[name], spreads[name], ns[name] = got[0], got[2], got[3]
            points.append(TrendPoint(sid, r["at"], r["status"], values, spreads, ns))
        return Trend(activity, names, units, points, mismatches)
