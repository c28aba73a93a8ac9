"""``formcheck history``: list, show, export, delete, back up and trend saved sessions.

Argument parsing and printing only; the history itself is :mod:`formcheck.store`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

import formcheck.cli.history_routines as history_routines
from formcheck.cli.common import confirm_delete
from formcheck.cli.history_text import format_session, print_table, summary_row
from formcheck.cues import words
from formcheck.cues import words_routines as rw
from formcheck.cues.format import fmt, local_time
from formcheck.errors import FormcheckError, StoreError
from formcheck.io import atomic_write_text, clip_name
from formcheck.store.db import HistoryDB
from formcheck.store.export import EXPORT_SCHEMA, EXPORT_TABLES
from formcheck.store.schema import STATUSES
from formcheck.store.values import resolve_db_path, to_utc_iso

HISTORY_HELP = """\
Your saved sessions (every analysis is saved unless `analyze --no-save`).

The history is one SQLite file: --db PATH, else $FORMCHECK_DB, else
history.sqlite3 in formcheck's data folder. It never leaves this machine.

examples:
  formcheck history                          list sessions, newest first
  formcheck history --activity run --since 2026-01-01
  formcheck history show 12
  formcheck history trend --activity run     per-session medians over time
  formcheck history export --format csv --out history.csv
  formcheck history delete 12
  formcheck history routines                 the guided routines done
  formcheck history routine 3                one routine done: its moves and sessions
  formcheck history backup ~/formcheck-backup.sqlite3
"""


# ---------------------------------------------------------------------------------------
# argument parsing
_REL = re.compile(r"^\s*(\d+)\s*([dw])\s*$", re.IGNORECASE)


def parse_since(text: str) -> str:
    """``2026-05-01`` (local midnight), an ISO date-time, ``30d`` or ``4w`` -> ISO UTC."""
    m = _REL.match(text)
    try:
        if m:
            days = int(m.group(1)) * (7 if m.group(2).lower() == "w" else 1)
            return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
        iso = to_utc_iso(text)
    except (ValueError, OverflowError) as exc:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: use YYYY-MM-DD, an ISO date-time, or e.g. 30d / 4w"
        ) from exc
    assert iso is not None
    return iso


def _positive_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a session id (a positive number)")
    return value


def _add_filters(p: argparse.ArgumentParser, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    p.add_argument(
        "--db", type=Path, default=default, help="history file (default: $FORMCHECK_DB or data dir)"
    )
    p.add_argument("--activity", default=default, help="only this activity (e.g. run)")
    p.add_argument(
        "--since",
        type=parse_since,
        default=default,
        metavar="DATE",
        help="only sessions from DATE on (YYYY-MM-DD, or 30d / 4w ago)",
    )


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Add ``history`` (and its actions) to the ``formcheck`` sub-commands."""
    p = subparsers.add_parser(
        "history",
        help="list, show, export or delete your saved sessions",
        description=HISTORY_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_filters(p, top=True)
    p.add_argument("--status", choices=STATUSES, default=None, help="only sessions in this state")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run, history_command="list")
    sub = p.add_subparsers(dest="history_command", metavar="ACTION")

    ls = sub.add_parser("list", help="list sessions, newest first (the default)")
    _add_filters(ls, top=False)
    ls.add_argument("--status", choices=STATUSES, default=argparse.SUPPRESS)
    ls.add_argument("--json", action="store_true", default=argparse.SUPPRESS)

    show = sub.add_parser("show", help="everything stored for one session")
    show.add_argument("id", type=_positive_id, help="session id (from `formcheck history`)")
    show.add_argument("--db", type=Path, default=argparse.SUPPRESS)
    show.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="all of it as JSON"
    )
    show.add_argument(
        "--files", action="store_true", help="list where its report, video and frames are"
    )

    exp = sub.add_parser("export", help="write the history as CSV or JSON")
    exp.add_argument("--format", choices=("csv", "json"), required=True)
    exp.add_argument(
        "--table",
        choices=EXPORT_TABLES,
        default="metrics",
        help="which CSV table: metrics (default; one row per session and metric), "
        "sessions, findings, steps (per-step/rep values), routine_runs (routines done, "
        "a row per move and side), routines (your own, a row per move)",
    )
    exp.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")
    _add_filters(exp, top=False)

    de = sub.add_parser("delete", help="delete one session (asks first)")
    de.add_argument("id", type=_positive_id)
    de.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    de.add_argument("--db", type=Path, default=argparse.SUPPRESS)

    bk = sub.add_parser("backup", help="copy the history safely (SQLite backup API)")
    bk.add_argument("out", type=Path, help="backup file to write")
    bk.add_argument("--db", type=Path, default=argparse.SUPPRESS)

    tr = sub.add_parser("trend", help="per-session medians of metrics over time, oldest first")
    _add_filters(tr, top=False)
    tr.add_argument(
        "--metric", action="append", default=None, help="a metric name (repeatable; default all)"
    )
    tr.add_argument("--complete-only", action="store_true", help="leave out partial sessions")
    tr.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    history_routines.register(sub, _positive_id)
    return p


# ---------------------------------------------------------------------------------------
# running
def run(args: argparse.Namespace) -> int:
    """Run ``formcheck history ...``; the exit code (0 ok, 1 history problem, 2 usage)."""
    action = getattr(args, "history_command", None) or "list"
    path = resolve_db_path(getattr(args, "db", None))
    out = sys.stdout
    try:
        if action == "delete":
            return _delete(args, path, out)
        if action == "backup":
            with _open_for_reading(path) as db:
                dest = db.backup(args.out)
            print(f"Backed up {path} to {dest}", file=out)
            return 0
        if not path.exists():
            return _no_history(args, action, path, out)
        with _open_for_reading(path) as db:
            if action == "list":
                return _list(db, args, out)
            if action == "show":
                return _show(db, args, out)
            if action == "export":
                return _export(db, args, out)
            if action == "trend":
                return _trend(db, args, out)
            if action in history_routines.ACTIONS:
                return history_routines.run(db, action, args, out)
        raise AssertionError(f"unknown history action {action!r}")
    except FormcheckError as exc:
        print(f"formcheck: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `formcheck history | head`
        return 0


def _open_for_reading(path: Path) -> HistoryDB:
    """Open read-write (repairs stale sessions); on a read-only location, read-only."""
    try:
        return HistoryDB(path).open()
    except StoreError as exc:
        if exc.code != "store_read_only" or not path.exists():
            raise
    return HistoryDB(path, readonly=True).open()


def _no_history(args: argparse.Namespace, action: str, path: Path, out: TextIO) -> int:
    """Reading commands before anything was saved: say so, create nothing."""
    if action in ("show", "routine", "delete-routine"):
        what = "session" if action == "show" else "routine record"
        print(
            f"formcheck: There is no {what} {args.id}: no history yet at {path}.", file=sys.stderr
        )
        return 1
    if action == "export":
        if args.format == "json":
            empty = {"schema": EXPORT_SCHEMA, "sessions": [], "routine_runs": [], "routines": []}
            text = json.dumps(empty, indent=1)
        else:
            text = ""
        return _emit(text, args.out, out, 0)
    if getattr(args, "json", False):
        print("[]", file=out)
        return 0
    if action == "routines":
        print(f"{rw.HISTORY_NONE} (no history file at {path})", file=out)
        return 0
    print(f"No sessions yet (no history file at {path}).", file=out)
    return 0


def _filters_text(args: argparse.Namespace) -> str:
    parts = []
    if getattr(args, "activity", None):
        parts.append(f"activity {args.activity}")
    if getattr(args, "since", None):
        parts.append(f"since {local_time(args.since)}")
    if getattr(args, "status", None):
        parts.append(f"status {args.status}")
    return f" ({', '.join(parts)})" if parts else ""


def _list(db: HistoryDB, args: argparse.Namespace, out: TextIO) -> int:
    sessions = db.list_sessions(
        activity=getattr(args, "activity", None),
        since=getattr(args, "since", None),
        status=getattr(args, "status", None),
    )
    routine = history_routines.routine_column(sessions, db)
    if getattr(args, "json", False):
        dicts = [s.to_dict() for s in sessions]
        for d, cell in zip(dicts, routine or (), strict=False):
            d["routine"] = None if cell == "-" else cell
        print(json.dumps(dicts, indent=1), file=out)
        return 0
    if not sessions:
        print(f"No sessions in {db.path}{_filters_text(args)}.", file=out)
        return 0
    rows = [["ID", "WHEN", "ACTIVITY", "STATUS", "VIEW", "ANALYSED", "FLAGS", "CLIP"]]
    rows += [summary_row(s) for s in sessions]
    if routine is not None:  # R<routine record> <move>/<moves>: `history routine ID`
        rows = [[*r, c] for r, c in zip(rows, ["ROUTINE", *routine], strict=True)]
    print_table(rows, out)
    print(f"\n{len(sessions)} session(s) in {db.path}{_filters_text(args)}", file=out)
    if routine is not None:
        print("ROUTINE: routine record and move; `formcheck history routines` lists them.",
              file=out)  # fmt: skip
    return 0


def _show(db: HistoryDB, args: argparse.Namespace, out: TextIO) -> int:
    rec = db.get_session(args.id)
    routine = history_routines.routine_of(db, rec.id)
    if getattr(args, "json", False):
        d = rec.to_dict()
        if routine is not None:
            d["routine"] = routine
        print(json.dumps(d, indent=1, allow_nan=False), file=out)
        return 0
    for i, line in enumerate(format_session(rec, files=getattr(args, "files", False))):
        print(line, file=out)
        if i == 0 and routine is not None:
            print(f"  routine    {routine['text']}", file=out)
    return 0


def _emit(text: str, dest: Path | None, out: TextIO, n: int) -> int:
    if dest is None:
        out.write(text)
        return 0
    try:
        atomic_write_text(dest, text)
    except OSError as exc:
        raise _not_written(dest, exc) from exc
    print(f"Wrote {n} session(s) to {dest}", file=sys.stderr)
    return 0


def _not_written(dest: Path, exc: OSError) -> StoreError:
    """The error of an export file that could not be written."""
    return StoreError(
        f"Cannot write {dest}: {exc.strerror or exc}.",
        "Choose another --out path.",
        code="export_failed",
    )


def _export(db: HistoryDB, args: argparse.Namespace, out: TextIO) -> int:
    """Written a session at a time (memory does not grow with the history); into a
    file through a temporary one that a failure, or the next export, removes."""
    activity = getattr(args, "activity", None)
    since = getattr(args, "since", None)
    fmt, table = args.format, args.table
    if args.out is None:
        db.write_export(out, fmt, table=table, activity=activity, since=since)
        return 0
    try:
        n = db.export_to(args.out, fmt, table=table, activity=activity, since=since)
    except OSError as exc:
        raise _not_written(args.out, exc) from exc
    what = "routine(s)" if table in ("routine_runs", "routines") and fmt == "csv" else "session(s)"
    print(f"Wrote {n} {what} to {args.out}", file=sys.stderr)
    return 0


def _trend(db: HistoryDB, args: argparse.Namespace, out: TextIO) -> int:
    activity = getattr(args, "activity", None)
    if activity is None:
        acts = {s.activity for s in db.list_sessions(status=["complete", "partial"])}
        if len(acts) > 1:
            print(
                "formcheck: the history holds several activities "
                f"({', '.join(sorted(acts))}); choose one with --activity.",
                file=sys.stderr,
            )
            return 2
        activity = next(iter(acts), None)
    trend = db.trend(
        args.metric,
        activity,
        since=getattr(args, "since", None),
        include_partial=not args.complete_only,
    )
    if getattr(args, "json", False):
        print(json.dumps(trend.to_columns(), indent=1, allow_nan=False), file=out)
        return 0
    if not trend.points:
        print(f"No sessions to show{_filters_text(args)}.", file=out)
        return 0
    head = ["ID", "WHEN", "STATUS"] + [
        f"{m} ({trend.units[m]})" if m in trend.units else m for m in trend.metrics
    ]
    rows = [head]
    for p in trend.points:
        rows.append(
            [str(p.session_id), local_time(p.when), p.status]
            + [fmt(p.values.get(m), trend.units.get(m, "")) for m in trend.metrics]
        )
    print_table(rows, out)
    for name, k in trend.unit_mismatches.items():
        print(f"({k} value(s) of {name} in another unit left out)", file=out)
    return 0


def _delete(args: argparse.Namespace, path: Path, out: TextIO) -> int:
    if not path.exists():
        print(
            f"formcheck: There is no session {args.id}: no history yet at {path}.", file=sys.stderr
        )
        return 1
    with HistoryDB(path) as db:
        rec = db.get_session(args.id)
        what = (
            f"session {rec.id} ({rec.activity}, {local_time(rec.when)}, "
            f"{clip_name(rec.source_path) if rec.source_path else 'no clip'}, {rec.status})"
        )
        if not args.yes:
            question = (
                f"Delete {what}, with the files formcheck made for it (the uploaded clip, "
                "annotated video, reports, landmark cache)? This cannot be undone. [y/N] "
            )
            refused = confirm_delete(what, question, out)
            if refused is not None:
                return refused
        routine = history_routines.routine_of(db, args.id)
        gone = db.delete_session_and_files(args.id)
    print(f"Deleted {what}.", file=out)
    if routine is not None:
        print(rw.routine_record_kept(str(routine["text"])), file=out)
    for line in words.session_files_removed(gone.removed, gone.kept):
        print(line, file=out)
    return 0
