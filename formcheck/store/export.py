"""The history out of the database: as CSV or JSON text, or as a backup file."""

from __future__ import annotations

import contextlib
import csv
import glob
import io
import json
import os
import re
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from formcheck.errors import StoreError
from formcheck.io import atomic_write
from formcheck.store.connect import Connection
from formcheck.store.errors import translate
from formcheck.store.reads import select_sessions
from formcheck.store.records import SessionRecord, metric_to_dict
from formcheck.store.routine_export import ROUTINE_TABLES, runs_of, write_json_arrays
from formcheck.store.routine_export import write_csv as write_routines_csv
from formcheck.store.tables import read_record
from formcheck.store.values import csv_cell, now_utc, to_utc_iso

EXPORT_SCHEMA = "formcheck.history/1"

EXPORT_TABLES = ("metrics", "sessions", "findings", "steps", *ROUTINE_TABLES)


class Export(Connection):
    """The export and backup part of :class:`~formcheck.store.db.HistoryDB`."""

    def export(
        self,
        format: str = "csv",
        *,
        table: str = "metrics",
        activity: str | None = None,
        since: str | datetime | date | None = None,
    ) -> str:
        """The history as text, oldest session first (see :meth:`write_export`)."""
        buf = io.StringIO()
        self.write_export(buf, format, table=table, activity=activity, since=since)
        return buf.getvalue()

    def write_export(
        self,
        out: TextIO,
        format: str = "csv",
        *,
        table: str = "metrics",
        activity: str | None = None,
        since: str | datetime | date | None = None,
    ) -> int:
        """Write the history to ``out``, oldest session first, one session at a time
        (memory does not grow with the history); the number of sessions written.

        format "json" : ``{"schema": "formcheck.history/1", "sessions": [...],
            "routine_runs": [...], "routines": [...]}`` with everything stored
            (:meth:`SessionRecord.to_dict`; the guided routines done and the user's
            own routines: :mod:`formcheck.store.routine_export`).
        format "csv" : one table, chosen by ``table``: "metrics" (one row per
            session and metric), "sessions", "findings", "steps" (one row per
            per-step/rep table cell), "routine_runs" (one row per routine done, move
            and side) or "routines" (the user's own, one row per move). Numbers are
            written exactly (``repr``). ``activity`` and ``since`` choose the routines
            done too (those with a move of ``activity``).
        """
        if format not in ("csv", "json"):
            raise ValueError(f"format must be 'csv' or 'json', not {format!r}")
        if table not in EXPORT_TABLES:
            raise ValueError(f"table must be one of {', '.join(EXPORT_TABLES)}, not {table!r}")
        with self._read("exporting") as conn:
            ids = [
                int(r["id"])
                for r in select_sessions(conn, activity, since, None, newest_first=False)
            ]
            records = (read_record(conn, sid, self.path) for sid in ids)
            runs = runs_of(conn, activity, to_utc_iso(since))
            if format == "csv" and table in ROUTINE_TABLES:
                return write_routines_csv(conn, runs, table, out)
            if format == "csv":
                write_csv(records, table, out)
                return len(ids)
            # the layout of json.dumps(..., indent=1) of the whole, a session at a time
            head = {"schema": EXPORT_SCHEMA, "exported_at": now_utc(), "database": str(self.path)}
            out.write("{\n")
            for k, v in head.items():
                out.write(f" {json.dumps(k)}: {json.dumps(v)},\n")
            out.write(' "sessions": [')
            for i, r in enumerate(records):
                text = json.dumps(r.to_dict(), indent=1, allow_nan=False)
                out.write(("," if i else "") + "\n  " + text.replace("\n", "\n  "))
            out.write("\n ]" if ids else "]")
            write_json_arrays(conn, runs, out)
            out.write("\n}")
            return len(ids)

    def export_to(
        self,
        dest: Path | str,
        format: str = "csv",
        *,
        table: str = "metrics",
        activity: str | None = None,
        since: str | datetime | date | None = None,
    ) -> int:
        """:meth:`write_export` into the file ``dest``; the number of sessions written.

        Written to a hidden temporary file beside ``dest`` and renamed when complete,
        so ``dest`` is never half-written. The temporary file is removed on any
        failure; one left by an export that was killed (nothing can clean up after
        SIGKILL) is removed by the next export to ``dest``.
        """
        dest = Path(dest).expanduser()
        if dest.parent.is_dir():
            remove_stale_partials(dest)
        n = 0

        def write(tmp: Path) -> None:
            nonlocal n
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                n = self.write_export(fh, format, table=table, activity=activity, since=since)

        atomic_write(dest, write, temp=_partial_path(dest, os.getpid()))
        return n

    def backup(self, dest: Path | str) -> Path:
        """A consistent copy of the database at ``dest`` via SQLite's backup API.

        Written to a temporary file beside ``dest`` and renamed, so an
        interrupted backup never looks complete. Refuses to overwrite the
        database itself.
        """
        dest = Path(dest).expanduser()
        if dest.exists() and dest.resolve() == self.path.resolve():
            raise StoreError(
                "The backup would overwrite the history itself.",
                "Choose another file name for the backup.",
                code="store_error",
            )

        def write(tmp: Path) -> None:
            tmp.unlink(missing_ok=True)
            target = sqlite3.connect(str(tmp))
            try:
                with self._lock:
                    self._c().backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()

        try:
            return atomic_write(dest, write)
        except (sqlite3.Error, OSError) as exc:
            raise translate(exc, dest, "writing a backup", self._bytes_on_disk()) from exc

    def _bytes_on_disk(self) -> int | None:
        """The database's size with its write-ahead log (what a backup needs, about)."""
        try:
            wal = self.path.with_name(self.path.name + "-wal")
            return self.path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
        except OSError:
            return None


# ---------------------------------------------------------------------------------------
_SESSION_CSV = (
    "session_id",
    "when",
    "created_at",
    "recorded_at",
    "activity",
    "status",
    "view",
    "source_path",
    "source_sha256",
    "fps",
    "duration_s",
    "analysed_s",
    "settings_fingerprint",
    "formcheck_version",
    "model_sha256",
)


def _session_cells(r: SessionRecord) -> list[object]:
    return [
        r.id,
        r.when,
        r.created_at,
        r.recorded_at,
        r.activity,
        r.status,
        r.view,
        r.source_path,
        r.source_sha256,
        r.fps,
        r.duration_s,
        r.analysed_s,
        r.settings_fingerprint,
        r.formcheck_version,
        r.model_sha256,
    ]


def to_csv(records: Iterable[SessionRecord], table: str) -> str:
    """One of :data:`EXPORT_TABLES` of ``records`` as CSV text."""
    buf = io.StringIO()
    write_csv(records, table, buf)
    return buf.getvalue()


def _partial_path(dest: Path, pid: int) -> Path:
    return dest.parent / f".{dest.name}.export-{pid}.partial"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


def remove_stale_partials(dest: Path) -> list[Path]:
    """Remove the hidden temporary files of exports to ``dest`` whose process is gone
    (killed: nothing could clean up after it); the files removed."""
    removed = []
    pattern = re.compile(rf"\.{re.escape(dest.name)}\.export-(\d+)\.partial")
    for p in dest.parent.glob(f".{glob.escape(dest.name)}.export-*.partial"):
        m = pattern.fullmatch(p.name)
        if m is None or (int(m[1]) != os.getpid() and _alive(int(m[1]))):
            continue
        with contextlib.suppress(OSError):
            p.unlink()
            removed.append(p)
    return removed


def write_csv(records: Iterable[SessionRecord], table: str, out: TextIO) -> None:
    """Write one of :data:`EXPORT_TABLES` of ``records`` to ``out``, a record at a time."""
    w = csv.writer(out, lineterminator="\n")
    if table == "sessions":
        w.writerow([*_SESSION_CSV, "note", "profile_json", "metrics", "flags"])
        for r in records:
            flags = sum(f.status == "flag" for f in r.findings)
            w.writerow(
                csv_cell(c)
                for c in [
                    *_session_cells(r),
                    r.note,
                    None if r.profile is None else json.dumps(r.profile, sort_keys=True),
                    len(r.metrics),
                    flags,
                ]
            )
    elif table == "metrics":
        cols = ["metric", "value", "unit", "spread", "n", "left", "right", "confidence", "note"]
        cols.append("status")  # the metric's status against its target (cues.judge)
        # the session's own status column comes first, so the metric's is named apart
        w.writerow([*_SESSION_CSV, *(c if c != "status" else "metric_status" for c in cols)])
        for r in records:
            if not r.metrics:
                w.writerow(csv_cell(c) for c in [*_session_cells(r)] + [None] * len(cols))
            for name, m in r.metrics.items():
                md = metric_to_dict(m)
                w.writerow(
                    csv_cell(c) for c in [*_session_cells(r), name, *(md[k] for k in cols[1:])]
                )
    elif table == "findings":
        cols = [
            "idx",
            "cue",
            "status",
            "metric",
            "value",
            "unit",
            "target",
            "message",
            "source",
            "priority",
            "heuristic",
            "frame",
        ]
        w.writerow(["session_id", "when", "activity", *cols])
        for r in records:
            for i, f in enumerate(r.findings):
                d = f.to_dict()
                d["value"] = f.value  # exact, not rounded
                w.writerow(
                    csv_cell(c) for c in [r.id, r.when, r.activity, i, *(d[k] for k in cols[1:])]
                )
    else:  # steps
        w.writerow(["session_id", "when", "activity", "table", "row", "column", "unit", "value"])
        for r in records:
            for name, t in r.tables.items():
                for i, row in enumerate(t.rows):
                    for col, unit, v in zip(t.columns, t.units, row, strict=True):
                        w.writerow(
                            csv_cell(c) for c in [r.id, r.when, r.activity, name, i, col, unit, v]
                        )
