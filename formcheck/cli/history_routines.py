"""``formcheck history routines``, ``history routine ID``, ``history delete-routine ID``:
the guided routines done, and which routine a listed or shown session's move belongs to.

Argument parsing and printing only; the routines done are :mod:`formcheck.store.routines`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import formcheck.activities as activities
from formcheck.cli.common import confirm_delete
from formcheck.cli.history_text import print_table, summary_row
from formcheck.cues import words_routines as rw
from formcheck.cues.format import local_time
from formcheck.pipeline.routine import summary_line
from formcheck.store.db import HistoryDB
from formcheck.store.records import SessionSummary
from formcheck.store.routines import RoutineRun

ACTIONS = ("routines", "routine", "delete-routine")


def register(sub: argparse._SubParsersAction, positive_id: Callable[[str], int]) -> None:  # type: ignore[type-arg]
    """Add the routine actions to ``formcheck history``'s sub-commands."""
    ls = sub.add_parser("routines", help="list the guided routines done, newest first")
    ls.add_argument("--db", type=Path, default=argparse.SUPPRESS)
    ls.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    show = sub.add_parser(
        "routine", help="one routine done: its moves (done/target, form notes) and sessions"
    )
    show.add_argument("id", type=positive_id, help="routine record id (`history routines`)")
    show.add_argument("--db", type=Path, default=argparse.SUPPRESS)
    show.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    de = sub.add_parser(
        "delete-routine",
        help="delete one routine record (asks first; its moves' sessions stay)",
    )
    de.add_argument("id", type=positive_id)
    de.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    de.add_argument("--db", type=Path, default=argparse.SUPPRESS)


def run(db: HistoryDB, action: str, args: argparse.Namespace, out: TextIO) -> int:
    """Run one of :data:`ACTIONS` on an open history; the exit code."""
    if action == "routines":
        return _list(db, args, out)
    if action == "routine":
        return _show(db, args, out)
    return _delete(db, args, out)


# -- what a run is, in words --------------------------------------------------------------------
def _line(step: dict[str, object]) -> str:
    try:
        return summary_line(step)
    except (KeyError, TypeError, ValueError):  # a damaged step: its move, as stored
        return str(step.get("activity", "?"))


def step_text(run: RoutineRun, index: int) -> str:
    """Which routine and step a session belongs to, in words."""
    steps = run.steps
    move = str(steps[index].get("activity", "?")) if index < len(steps) else "?"
    return rw.step_of_routine(
        run.label, run.id, index, len(steps), activities.plain_label(move).lower()
    )


def routine_column(sessions: list[SessionSummary], db: HistoryDB) -> list[str] | None:
    """The ``history list`` ROUTINE cells ("R3 2/7"), or None when no listed session is a
    routine's move."""
    steps = db.routine_steps_by_session()
    if not any(s.id in steps for s in sessions):
        return None
    cells = []
    for s in sessions:
        if s.id in steps:
            run, i = steps[s.id]
            cells.append(f"R{run.id} {i + 1}/{len(run.steps)}")
        else:
            cells.append("-")
    return cells


def routine_of(db: HistoryDB, session_id: int) -> dict[str, object] | None:
    """A shown session's routine (for ``history show``): run id, label, step, text."""
    found = db.routine_of_session(session_id)
    if found is None:
        return None
    run, i = found
    return {"routine_run_id": run.id, "name": run.name, "label": run.label, "step": i + 1,
            "text": step_text(run, i)}  # fmt: skip


# -- the actions --------------------------------------------------------------------------------
def _list(db: HistoryDB, args: argparse.Namespace, out: TextIO) -> int:
    runs = db.list_routine_runs(None)
    if getattr(args, "json", False):
        print(json.dumps([r.to_dict() for r in runs], indent=1), file=out)
        return 0
    if not runs:
        print(f"{rw.HISTORY_NONE} ({db.path})", file=out)
        return 0
    rows = [["ID", "WHEN", "ROUTINE", "STATUS", "MOVES DONE", "SESSIONS"]]
    for r in runs:
        done, n = r.moves_done, len(r.steps)
        sessions = ", ".join(f"#{i}" for i in r.session_ids) or "-"
        rows.append([str(r.id), local_time(r.created_at), r.label, r.status, f"{done}/{n}",
                     sessions])  # fmt: skip
    print_table(rows, out)
    print(f"\n{len(runs)} routine(s) done in {db.path}; `formcheck history routine ID` "
          "shows one.", file=out)  # fmt: skip
    return 0


def _show(db: HistoryDB, args: argparse.Namespace, out: TextIO) -> int:
    run = db.get_routine_run(args.id)
    by_id = {s.id: s for s in db.list_sessions(newest_first=False)}
    sessions = [by_id[sid] for sid in run.session_ids if sid in by_id]
    if getattr(args, "json", False):
        d = run.to_dict()
        d["sessions"] = [s.to_dict() for s in sessions]
        print(json.dumps(d, indent=1, allow_nan=False), file=out)
        return 0
    done, n = run.moves_done, len(run.steps)
    print(f"Routine record {run.id}: {rw.routine_record_title(run.label, done, n)}, "
          f"{run.status}", file=out)  # fmt: skip
    print(f"  when       {local_time(run.created_at)}", file=out)
    print("\nMoves:", file=out)
    for i, s in enumerate(run.steps, 1):
        sid = s.get("session_id")
        where = f"  [session {sid}]" if sid is not None else ""
        print(f"  {i}. {_line(s)}{where}", file=out)
    if sessions:
        print("\nThe moves' sessions (`formcheck history show ID`):", file=out)
        rows = [["ID", "WHEN", "ACTIVITY", "STATUS", "VIEW", "ANALYSED", "FLAGS", "CLIP"]]
        print_table(rows + [summary_row(s) for s in sessions], out)
    return 0


def _delete(db: HistoryDB, args: argparse.Namespace, out: TextIO) -> int:
    run = db.get_routine_run(args.id)
    what = f"routine record {run.id} ({run.label}, {local_time(run.created_at)}, {run.status})"
    if not args.yes:
        question = (f"Delete {what}? Its moves' sessions stay in the history. This cannot "
                    "be undone. [y/N] ")  # fmt: skip
        refused = confirm_delete(what, question, out)
        if refused is not None:
            return refused
    db.delete_routine_run(run.id)
    print(rw.RUN_DELETED.format(rid=run.id), file=out)
    return 0
