"""Guided routines in the history: the routines done and the user's own routines.

A routine done is one ``routine_runs`` row: its summary as JSON (each move: done and
target, per side, its status, form notes, and the history session id of the move's
own live set, which is saved like any live set). A user's own routine is one
``routines`` row (:meth:`formcheck.routines.Routine.to_dict` as JSON).
Schema version 6 (:mod:`formcheck.store.schema`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from formcheck.errors import StoreError
from formcheck.routines import Routine
from formcheck.store.connect import Connection
from formcheck.store.values import compact_json, now_utc


@dataclass(frozen=True, slots=True)
class RoutineRun:
    """A routine done, as stored (``summary``: see
    :meth:`formcheck.pipeline.routine.RoutineSummary.to_dict`)."""

    id: int
    created_at: str
    name: str
    label: str
    status: str
    summary: dict[str, object]

    @property
    def session_ids(self) -> list[int]:
        """The history sessions of its moves (moves never started have none)."""
        steps = self.summary.get("steps") or []
        return [int(s["session_id"]) for s in steps if s.get("session_id") is not None]  # type: ignore[union-attr]


class Routines(Connection):
    """The routine part of :class:`~formcheck.store.db.HistoryDB`."""

    def add_routine_run(self, summary: dict[str, object], complete: bool) -> int:
        """Save a routine done (one transaction); its id."""
        with self._write("saving the routine") as conn:
            cur = conn.execute(
                "INSERT INTO routine_runs (created_at, name, label, status, summary_json) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    now_utc(),
                    str(summary.get("name", "")),
                    str(summary.get("label", "")),
                    "complete" if complete else "partial",
                    compact_json(summary),
                ),
            )
            return int(cur.lastrowid or 0)

    def list_routine_runs(self, limit: int = 50) -> list[RoutineRun]:
        """Routines done, newest first."""
        with self._read("reading the routines done") as conn:
            rows = conn.execute(
                "SELECT id, created_at, name, label, status, summary_json FROM routine_runs "
                "ORDER BY created_at DESC, id DESC LIMIT ?",
                (int(limit),),
            ).fetchall()
        return [RoutineRun(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]

    def get_routine_run(self, run_id: int) -> RoutineRun:
        with self._read("reading a routine done") as conn:
            r = conn.execute(
                "SELECT id, created_at, name, label, status, summary_json FROM routine_runs "
                "WHERE id = ?",
                (int(run_id),),
            ).fetchone()
        if r is None:
            raise StoreError(
                f"There is no routine record {run_id} in the history.",
                "List the routines done in the History page.",
                code="no_such_session",
            )
        return RoutineRun(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]))

    def save_user_routine(self, routine: Routine) -> None:
        """Keep a routine the user built (one of the same name is replaced)."""
        d = routine.to_dict()
        with self._write("saving your routine") as conn:
            conn.execute(
                "INSERT INTO routines (name, label, steps_json, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET label = excluded.label, "
                "steps_json = excluded.steps_json",
                (routine.name, routine.label, compact_json(d["steps"]), now_utc()),
            )

    def user_routines(self) -> list[Routine]:
        """The user's own routines, oldest first (a row that is not a routine is left out)."""
        with self._read("reading your routines") as conn:
            rows = conn.execute(
                "SELECT name, label, steps_json FROM routines ORDER BY created_at, name"
            ).fetchall()
        out = []
        for name, label, steps in rows:
            try:
                out.append(
                    Routine.from_dict({"name": name, "label": label, "steps": json.loads(steps)})
                )
            except (ValueError, KeyError, TypeError):
                continue
        return out

    def delete_user_routine(self, name: str) -> bool:
        """Forget a routine the user built; whether there was one."""
        with self._write("deleting your routine") as conn:
            return conn.execute("DELETE FROM routines WHERE name = ?", (name,)).rowcount > 0
