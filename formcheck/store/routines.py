"""Guided routines in the history: the routines done and the user's own routines.

A routine done is one ``routine_runs`` row: its summary as JSON (each move: done and
target, per side, its status, form notes, and the history session id of the move's
own live set, which is saved like any live set). A user's own routine is one
``routines`` row (:meth:`formcheck.routines.Routine.to_dict` as JSON).
Schema version 6 (:mod:`formcheck.store.schema`).

Deleting a move's session (:func:`drop_session`, which every delete of a session goes
through) keeps the routines done consistent: the step no longer names the session and
says it was deleted (``"session_id": null, "session_deleted": true``). The routine done
itself is kept, even when all its moves' sessions are gone: its summary (done and target
per side, form notes) is its own record of what was done, and deleting a move's recorded
set does not undo it. A routine done is deleted on its own
(:meth:`Routines.delete_routine_run`); its moves' sessions stay (they are deleted as
sessions).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from formcheck.cues import words_routines as words
from formcheck.errors import StoreError
from formcheck.routines import Routine, slug
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
    def steps(self) -> list[dict[str, object]]:
        """Its moves as stored (:meth:`formcheck.pipeline.routine.StepRecord.to_dict`), the
        summary's own dicts; what is not a step in a damaged record is left out."""
        steps = self.summary.get("steps")
        return [s for s in steps if isinstance(s, dict)] if isinstance(steps, list) else []

    @property
    def moves_done(self) -> int:
        """Its moves whose dose was met (status ``"done"``)."""
        return sum(1 for s in self.steps if s.get("status") == "done")

    @property
    def session_ids(self) -> list[int]:
        """The history sessions of its moves (moves never started have none)."""
        return [int(s["session_id"]) for s in self.steps if s.get("session_id") is not None]  # type: ignore[call-overload]

    def step_of(self, session_id: int) -> int | None:
        """The index of the step whose move was recorded as ``session_id`` (None: none)."""
        for i, s in enumerate(self.steps):
            if s.get("session_id") is not None and int(s["session_id"]) == int(session_id):  # type: ignore[call-overload]
                return i
        return None

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data (the export, ``history routine --json``)."""
        return {
            "id": self.id,
            "created_at": self.created_at,
            "name": self.name,
            "label": self.label,
            "status": self.status,
            "summary": self.summary,
        }


_RUN_COLUMNS = "id, created_at, name, label, status, summary_json"


def _run(row: sqlite3.Row | tuple[object, ...]) -> RoutineRun:
    try:
        summary = json.loads(str(row[5]))
    except ValueError:
        summary = {}
    if not isinstance(summary, dict):
        summary = {}
    return RoutineRun(int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]), summary)  # type: ignore[call-overload]


def read_runs(conn: sqlite3.Connection, since: str | None = None) -> list[RoutineRun]:
    """Every routine done (from ``since`` on, ISO UTC text), oldest first."""
    rows = conn.execute(
        f"SELECT {_RUN_COLUMNS} FROM routine_runs WHERE (? IS NULL OR created_at >= ?) "
        "ORDER BY created_at, id",
        (since, since),
    ).fetchall()
    return [_run(r) for r in rows]


def drop_session(conn: sqlite3.Connection, session_id: int) -> list[int]:
    """Delete session ``session_id`` and say so in the routines done that name it (see
    the module docs). Runs inside the caller's write transaction; the ids of the
    routines done that were changed."""
    sid = int(session_id)
    conn.execute("DELETE FROM sessions WHERE id = ?", (sid,))
    changed = []
    rows = conn.execute(
        f"SELECT {_RUN_COLUMNS} FROM routine_runs WHERE summary_json LIKE ?", (f"%{sid}%",)
    ).fetchall()
    for row in rows:
        run = _run(row)
        if run.step_of(sid) is None:
            continue
        for step in run.steps:
            if step.get("session_id") is not None and int(step["session_id"]) == sid:
                step["session_id"] = None
                step["session_deleted"] = True
        conn.execute(
            "UPDATE routine_runs SET summary_json = ? WHERE id = ?",
            (compact_json(run.summary), run.id),
        )
        changed.append(run.id)
    return changed


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

    def list_routine_runs(self, limit: int | None = 50) -> list[RoutineRun]:
        """Routines done, newest first (``limit`` None: all of them)."""
        with self._read("reading the routines done") as conn:
            rows = conn.execute(
                f"SELECT {_RUN_COLUMNS} FROM routine_runs "
                "ORDER BY created_at DESC, id DESC LIMIT ?",
                (-1 if limit is None else int(limit),),
            ).fetchall()
        return [_run(r) for r in rows]

    def get_routine_run(self, run_id: int) -> RoutineRun:
        with self._read("reading a routine done") as conn:
            r = conn.execute(
                f"SELECT {_RUN_COLUMNS} FROM routine_runs WHERE id = ?", (int(run_id),)
            ).fetchone()
        if r is None:
            raise _no_run(run_id)
        return _run(r)

    def routine_of_session(self, session_id: int) -> tuple[RoutineRun, int] | None:
        """The routine done that a session's move belongs to, and the step's index."""
        with self._read("reading the routines done") as conn:
            for run in read_runs(conn):
                i = run.step_of(session_id)
                if i is not None:
                    return run, i
        return None

    def routine_steps_by_session(self) -> dict[int, tuple[RoutineRun, int]]:
        """Every session that is a routine's move -> (the routine done, the step's index)."""
        out: dict[int, tuple[RoutineRun, int]] = {}
        with self._read("reading the routines done") as conn:
            for run in read_runs(conn):
                for sid in run.session_ids:
                    out[sid] = (run, run.step_of(sid) or 0)
        return out

    def delete_routine_run(self, run_id: int) -> RoutineRun:
        """Delete a routine done (its record only: its moves' sessions stay); what it was."""
        with self._write("deleting the routine record") as conn:
            r = conn.execute(
                f"SELECT {_RUN_COLUMNS} FROM routine_runs WHERE id = ?", (int(run_id),)
            ).fetchone()
            if r is None:
                raise _no_run(run_id)
            conn.execute("DELETE FROM routine_runs WHERE id = ?", (int(run_id),))
        return _run(r)

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

    def rename_user_routine(self, name: str, label: str) -> Routine:
        """Give one of the user's routines a new label (and the name made from it,
        :func:`formcheck.routines.slug`); the routine renamed. StoreError when there is
        no such routine or another of the user's routines has that name."""
        label = label.strip()
        if not label:
            raise StoreError(words.RENAME_EMPTY, words.RENAME_HINT, code="routine_name")
        new = slug(label)
        with self._write("renaming your routine") as conn:
            row = conn.execute("SELECT steps_json FROM routines WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise StoreError(
                    words.no_such_routine(name), words.RENAME_HINT, code="no_such_routine"
                )
            taken = conn.execute(
                "SELECT label FROM routines WHERE name = ? AND name != ?", (new, name)
            ).fetchone()
            if taken is not None:
                raise StoreError(
                    words.routine_name_taken(str(taken[0])), words.RENAME_HINT, code="routine_name"
                )
            conn.execute(
                "UPDATE routines SET name = ?, label = ? WHERE name = ?", (new, label, name)
            )
            steps = json.loads(row[0])
        return Routine.from_dict({"name": new, "label": label, "steps": steps})

    def delete_user_routine(self, name: str) -> bool:
        """Forget a routine the user built; whether there was one."""
        with self._write("deleting your routine") as conn:
            return conn.execute("DELETE FROM routines WHERE name = ?", (name,)).rowcount > 0


def _no_run(run_id: int) -> StoreError:
    return StoreError(words.no_such_run(run_id), words.NO_SUCH_RUN_HINT, code="no_such_session")
