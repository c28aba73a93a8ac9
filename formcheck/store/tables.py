"""How one session lies in the tables: its ``sessions`` row, a report's results
written into the result tables, and all of it read back as a
:class:`~formcheck.store.records.SessionRecord`.

Functions here take an open connection and run inside the caller's transaction.
"""

from __future__ import annotations

import json
import math
import sqlite3
import zlib
from pathlib import Path
from typing import Any

from formcheck.cues.words_training import cited
from formcheck.errors import StoreError
from formcheck.report.model import Report
from formcheck.results import Finding, Metric, Notice, Stretch, Table
from formcheck.store.errors import damaged_error
from formcheck.store.records import SessionRecord
from formcheck.store.values import compact_json, finite_or_none, json_cell, now_utc

SESSION_COLS = (
    "id, created_at, updated_at, recorded_at, activity, activity_requested, status, note, "
    "source_kind, source_path, source_sha256, source_size_bytes, view, fps, duration_s, "
    "analysed_s, frames_total, frames_with_pose, frames_done, frames_expected, profile_json, "
    "settings_json, settings_fingerprint, formcheck_version, model_sha256, versions_json, "
    "report_zlib, owner"
)

#: The tables holding a session's results, replaced whole when new results come.
RESULT_TABLES = ("metrics", "findings", "notices", "step_tables")


def session_row(conn: sqlite3.Connection, session_id: int, path: Path) -> sqlite3.Row:
    """The session's row (raises StoreError ``no_such_session``); ``path`` for the message."""
    conn.row_factory = sqlite3.Row
    row = conn.execute(
        f"SELECT {SESSION_COLS} FROM sessions WHERE id = ?", (int(session_id),)
    ).fetchone()
    if row is None:
        raise StoreError(
            f"There is no session {session_id} in {path}.",
            "List the sessions with `formcheck history`.",
            code="no_such_session",
        )
    return row


def write_results(conn: sqlite3.Connection, sid: int, report: Report) -> None:
    """Write a report's results into session ``sid`` (replacing earlier ones).

    The landmark cache's path is an artefact; the caller records it.
    """
    src, pose = report.source, report.pose
    analysed = src.seconds_analysed  # a partial report's analysed stretches together
    # compressed piece by piece: the same bytes as compressing the whole JSON at
    # once, without holding a 10-minute run's text (about 1 KB a frame) in memory
    co = zlib.compressobj(6)
    parts = report.json_parts(None, (",", ":"))
    blob = b"".join(co.compress(t.encode("utf-8")) for t in parts) + co.flush()
    real = finite_or_none
    conn.execute(
        "UPDATE sessions SET updated_at = ?, activity = ?, activity_requested = ?, view = ?, "
        "source_kind = ?, source_path = COALESCE(?, source_path), "
        "source_sha256 = COALESCE(?, source_sha256), source_size_bytes = ?, "
        "fps = COALESCE(?, fps), duration_s = COALESCE(?, duration_s), "
        "analysed_s = COALESCE(?, analysed_s), frames_total = ?, frames_with_pose = ?, "
        "formcheck_version = ?, model_sha256 = ?, versions_json = ?, report_zlib = ? "
        "WHERE id = ?",
        (
            now_utc(),
            report.activity,
            report.activity_requested,
            report.view,
            src.kind,
            src.path,
            src.sha256,
            src.size_bytes,
            real(src.fps),
            real(src.duration_s),
            real(analysed),
            pose.frames_total,
            pose.frames_with_pose,
            report.versions.get("formcheck"),
            pose.model_sha256,
            compact_json(report.versions),
            blob,
            sid,
        ),
    )
    for table in RESULT_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (sid,))
    conn.executemany(
        "INSERT INTO metrics (session_id, name, value, unit, spread, n, left_value, "
        "right_value, confidence, note, status, stretch_json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                sid,
                name,
                real(m.value),
                m.unit,
                real(m.spread),
                int(m.n),
                real(m.left),
                real(m.right),
                m.confidence,
                m.note,
                m.status,
                _stretch_json(m.stretch),
            )
            for name, m in report.metrics.items()
        ],
    )
    conn.executemany(
        "INSERT INTO findings (session_id, idx, cue, status, metric, value, unit, target, "
        "message, source, priority, heuristic, frame, ranges_json, stretch_json) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                sid,
                i,
                f.cue,
                f.status,
                f.metric,
                real(f.value),
                f.unit,
                f.target,
                f.message,
                f.source,
                int(f.priority),
                int(bool(f.heuristic)),
                f.frame,
                compact_json([[real(a), real(b)] for a, b in f.ranges_s]),
                _stretch_json(f.stretch),
            )
            for i, f in enumerate(report.findings)
        ],
    )
    conn.executemany(
        "INSERT INTO notices (session_id, idx, code, message, ranges_json) VALUES (?, ?, ?, ?, ?)",
        [
            (sid, i, w.code, w.message, compact_json([[real(a), real(b)] for a, b in w.ranges_s]))
            for i, w in enumerate(report.warnings)
        ],
    )
    for name, t in report.tables.items():
        conn.execute(
            "INSERT INTO step_tables (session_id, name, columns_json, units_json) "
            "VALUES (?, ?, ?, ?)",
            (sid, name, compact_json(list(t.columns)), compact_json(list(t.units))),
        )
        conn.executemany(
            "INSERT INTO step_rows (session_id, table_name, idx, values_json) VALUES (?, ?, ?, ?)",
            [(sid, name, i, compact_json([json_cell(v) for v in r])) for i, r in enumerate(t.rows)],
        )


def _stretch_json(st: Stretch | None) -> str | None:
    return None if st is None else compact_json(st.to_dict())


def _stretch(text: str | None) -> Stretch | None:
    return None if text is None else Stretch.from_dict(json.loads(text))


def _ranges(text: str | None) -> tuple[tuple[float, float], ...]:
    """Time ranges stored as JSON pairs (NULL for a value that was not finite)."""
    return tuple(
        (math.nan if a is None else a, math.nan if b is None else b)
        for a, b in json.loads(text or "[]")
    )


def read_record(conn: sqlite3.Connection, sid: int, path: Path) -> SessionRecord:
    """Everything stored for session ``sid``; ``path`` (the file) for error messages."""
    row = session_row(conn, sid, path)
    conn.row_factory = None
    # the metrics table's columns carry no validated uncertainty (no migration for it):
    # a record's metrics have accuracy None; the stored report (report_dict) keeps it
    metrics = {
        r[0]: Metric(
            value=r[1],
            unit=r[2],
            spread=r[3],
            n=int(r[4]),
            left=r[5],
            right=r[6],
            confidence=r[7] if r[7] is not None else "high",
            note=r[8] or "",
            status=r[9],
            stretch=_stretch(r[10]),
        )
        for r in conn.execute(
            "SELECT name, value, unit, spread, n, left_value, right_value, confidence, note, "
            "status, stretch_json FROM metrics WHERE session_id = ? ORDER BY rowid",
            (sid,),
        )
    }
    findings = [
        Finding(
            cue=r[0],
            status=r[1],
            metric=r[2],
            value=r[3],
            unit=r[4] or "",
            target=r[5] or "",
            message=r[6] or "",
            source=cited(r[7] or ""),  # older sessions name the notes file
            priority=int(r[8]),
            heuristic=bool(r[9]),
            frame=r[10],
            ranges_s=_ranges(r[11]),
            stretch=_stretch(r[12]),
        )
        for r in conn.execute(
            "SELECT cue, status, metric, value, unit, target, message, source, priority, "
            "heuristic, frame, ranges_json, stretch_json FROM findings WHERE session_id = ? "
            "ORDER BY idx",
            (sid,),
        )
    ]
    notices = [
        Notice(
            code=r[0],
            message=r[1],
            ranges_s=_ranges(r[2]),
        )
        for r in conn.execute(
            "SELECT code, message, ranges_json FROM notices WHERE session_id = ? ORDER BY idx",
            (sid,),
        )
    ]
    tables: dict[str, Table] = {}
    for name, cols, units in conn.execute(
        "SELECT name, columns_json, units_json FROM step_tables WHERE session_id = ? "
        "ORDER BY rowid",
        (sid,),
    ).fetchall():
        rows = tuple(
            tuple(json.loads(r[0]))
            for r in conn.execute(
                "SELECT values_json FROM step_rows WHERE session_id = ? AND table_name = ? "
                "ORDER BY idx",
                (sid, name),
            )
        )
        tables[name] = Table(tuple(json.loads(cols)), tuple(json.loads(units)), rows)
    artefacts = {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT kind, path FROM artefacts WHERE session_id = ? ORDER BY id", (sid,)
        )
    }
    blob = row["report_zlib"]
    report_dict = None
    if blob is not None:
        try:
            report_dict = json.loads(zlib.decompress(blob).decode("utf-8"))
        except (zlib.error, ValueError) as exc:
            raise damaged_error(path, f"session {sid}'s stored report: {exc}") from exc

    def loads(text: str | None) -> Any:
        return None if text is None else json.loads(text)

    return SessionRecord(
        id=int(row["id"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        recorded_at=row["recorded_at"],
        activity=row["activity"],
        activity_requested=row["activity_requested"],
        status=row["status"],
        note=row["note"] or "",
        source_kind=row["source_kind"],
        source_path=row["source_path"],
        source_sha256=row["source_sha256"],
        source_size_bytes=row["source_size_bytes"],
        view=row["view"],
        fps=row["fps"],
        duration_s=row["duration_s"],
        analysed_s=row["analysed_s"],
        frames_total=row["frames_total"],
        frames_with_pose=row["frames_with_pose"],
        frames_done=row["frames_done"],
        frames_expected=row["frames_expected"],
        profile=loads(row["profile_json"]),
        settings=loads(row["settings_json"]),
        settings_fingerprint=row["settings_fingerprint"],
        formcheck_version=row["formcheck_version"],
        model_sha256=row["model_sha256"],
        versions=loads(row["versions_json"]) or {},
        metrics=metrics,
        findings=findings,
        notices=notices,
        tables=tables,
        artefacts=artefacts,
        report_dict=report_dict,
    )
