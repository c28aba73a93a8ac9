"""The routines in the history export: the routines done and the user's own routines.

JSON: two arrays after ``"sessions"``: ``"routine_runs"`` (each
:meth:`~formcheck.store.routines.RoutineRun.to_dict`, oldest first) and ``"routines"``
(each :meth:`formcheck.routines.Routine.to_dict`). CSV: the tables ``routine_runs`` (one
row per routine done, step and side) and ``routines`` (one row per step of the user's own
routines). Written a row at a time from the open read transaction of the export.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from typing import TextIO

from formcheck.store.routines import RoutineRun, read_runs
from formcheck.store.values import csv_cell

#: The CSV tables of the routines (the export's ``table``).
ROUTINE_TABLES = ("routine_runs", "routines")

_RUN_CSV = (
    "routine_run_id",
    "created_at",
    "routine",
    "label",
    "run_status",
    "step",
    "activity",
    "measure",
    "per",
    "amount",
    "key",
    "done",
    "step_status",
    "met",
    "session_id",
    "session_deleted",
    "notes",
)

_ROUTINE_CSV = ("routine", "label", "created_at", "step", "activity", "amount", "measure", "per")


def runs_of(conn: sqlite3.Connection, activity: str | None, since: str | None) -> list[RoutineRun]:
    """The routines done to export: from ``since`` on; with ``activity``, those with a
    move of that activity."""
    runs = read_runs(conn, since)
    if activity is None:
        return runs
    return [r for r in runs if any(s.get("activity") == activity for s in r.steps)]


def user_routine_rows(conn: sqlite3.Connection) -> Iterator[tuple[str, str, str, list[object]]]:
    """(name, label, created_at, steps) of the user's own routines, oldest first (a row
    whose steps are not JSON has no steps)."""
    for name, label, steps, created in conn.execute(
        "SELECT name, label, steps_json, created_at FROM routines ORDER BY created_at, name"
    ):
        try:
            parsed = json.loads(steps)
        except ValueError:
            parsed = []
        yield str(name), str(label), str(created), parsed if isinstance(parsed, list) else []


def write_json_arrays(conn: sqlite3.Connection, runs: list[RoutineRun], out: TextIO) -> None:
    """``,\\n "routine_runs": [...],\\n "routines": [...]`` in the layout of
    ``json.dumps(..., indent=1)`` of the whole export."""
    own = [
        {"name": n, "label": lab, "created_at": c, "steps": steps}
        for n, lab, c, steps in user_routine_rows(conn)
    ]
    for key, items in (("routine_runs", [r.to_dict() for r in runs]), ("routines", own)):
        out.write(f',\n "{key}": [')
        for i, item in enumerate(items):
            text = json.dumps(item, indent=1, allow_nan=False)
            out.write(("," if i else "") + "\n  " + text.replace("\n", "\n  "))
        out.write("\n ]" if items else "]")


def write_csv(conn: sqlite3.Connection, runs: list[RoutineRun], table: str, out: TextIO) -> int:
    """One of :data:`ROUTINE_TABLES` as CSV; the number of routines written."""
    w = csv.writer(out, lineterminator="\n")
    if table == "routines":
        w.writerow(_ROUTINE_CSV)
        n = 0
        for name, label, created, steps in user_routine_rows(conn):
            n += 1
            for i, s in enumerate(steps):
                d = s if isinstance(s, dict) else {}
                w.writerow(
                    csv_cell(c)
                    for c in (
                        name,
                        label,
                        created,
                        i + 1,
                        d.get("activity"),
                        d.get("amount"),
                        d.get("measure"),
                        d.get("per"),
                    )
                )
        return n
    w.writerow(_RUN_CSV)
    for r in runs:
        for i, s in enumerate(r.steps):
            done = s.get("done")
            sides = done.items() if isinstance(done, dict) and done else [("total", None)]
            notes = "; ".join(str(n) for n in s.get("notes") or ())  # type: ignore[attr-defined]
            for key, value in sides:
                w.writerow(
                    csv_cell(c)
                    for c in (
                        r.id,
                        r.created_at,
                        r.name,
                        r.label,
                        r.status,
                        i + 1,
                        s.get("activity"),
                        s.get("measure"),
                        s.get("per"),
                        s.get("amount"),
                        key,
                        value,
                        s.get("status"),
                        s.get("met"),
                        s.get("session_id"),
                        bool(s.get("session_deleted")),
                        notes,
                    )
                )
    return len(runs)
