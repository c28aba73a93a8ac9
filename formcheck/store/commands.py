"""``formcheck history``: list, show, export, delete, back up and trend saved sessions.

Also the two calls ``formcheck analyze`` uses to save into the history:
:func:`begin_from_cli` (a session that exists from the start of the analysis,
so Ctrl-C or a crash keeps a partial session) and :func:`save_from_cli`.
Problems with the history never stop an analysis: they are printed as one
line on stderr and the report files are written anyway.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from formcheck.errors import FormcheckError, StoreError
from formcheck.io import atomic_write_text
from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store.db import EXPORT_TABLES, HistoryDB, resolve_db_path, to_utc_iso
from formcheck.store.recording import AnalysisRecording
from formcheck.store.records import SessionRecord, SessionSummary
from formcheck.store.schema import STATUSES

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
  formcheck history backup ~/formcheck-backup.sqlite3
"""


# ---------------------------------------------------------------------------------------
# for `formcheck analyze`
def _warn(prefix: str) -> Any:
    def show(exc: StoreError) -> None:
        print(f"formcheck: {prefix}: {exc}", file=sys.stderr)

    return show


def begin_from_cli(
    video: Path | str | None,
    activity: str,
    db_path: Path | str | None,
    settings: Settings | None = None,
) -> AnalysisRecording:
    """Start a ``running`` history session for one clip; never raises.

    Use it as a context manager around the analysis, pass ``rec.wrap(progress)``
    as the progress callback, and finish with :func:`save_from_cli` (with
    ``recording=rec``). Ctrl-C inside the block marks the session partial; a
    :class:`FormcheckError` before saving removes the empty session.
    """
    rec = AnalysisRecording(
        db_path,
        activity,
        source_path=None if video is None else str(video),
        settings=settings,
        on_error=_warn("history (the analysis goes on)"),
    )
    return rec.start()


def save_from_cli(
    report: Report,
    db_path: Path | str | None,
    artefacts: Mapping[str, Path | str] | None = None,
    *,
    settings: Settings | None = None,
    recording: AnalysisRecording | None = None,
) -> int | None:
    """Save an analysis to the history; the session id, or None (message on stderr).

    artefacts : kind -> path of files written (report JSON/HTML, annotated video...).
    settings : the settings used; with them, re-analysing a clip with other
        settings makes a new session instead of replacing the earlier one.
    recording : the :func:`begin_from_cli` object of this analysis, if any.
    """
    if recording is None:
        recording = AnalysisRecording(db_path, report.activity_requested, settings=settings)
    recording.on_error = _warn("not saved to history")
    try:
        return recording.save(report, artefacts, settings=settings)
    finally:
        recording.close()


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

    exp = sub.add_parser("export", help="write the history as CSV or JSON")
    exp.add_argument("--format", choices=("csv", "json"), required=True)
    exp.add_argument(
        "--table",
        choices=EXPORT_TABLES,
        default="metrics",
        help="which CSV table: metrics (default; one row per session and metric), "
        "sessions, findings, steps (per-step/rep values)",
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
    if action == "show":
        print(
            f"formcheck: There is no session {args.id}: no history yet at {path}.", file=sys.stderr
        )
        return 1
    if action == "export":
        if args.format == "json":
            text = json.dumps({"schema": "formcheck.history/1", "sessions": []}, indent=1)
        else:
            text = ""
        return _emit(text, args.out, out, 0)
    if getattr(args, "json", False):
        print("[]", file=out)
        return 0
    print(f"No sessions yet (no history file at {path}).", file=out)
    return 0


def _local(iso: str | None) -> str:
    if not iso:
        return "-"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _secs(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f} s"


def _table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip(), file=out)


def _filters_text(args: argparse.Namespace) -> str:
    parts = []
    if getattr(args, "activity", None):
        parts.append(f"activity {args.activity}")
    if getattr(args, "since", None):
        parts.append(f"since {_local(args.since)}")
    if getattr(args, "status", None):
        parts.append(f"status {args.status}")
    return f" ({', '.join(parts)})" if parts else ""


def _list(db: HistoryDB, args: argparse.Namespace, out: TextIO) -> int:
    sessions = db.list_sessions(
        activity=getattr(args, "activity", None),
        since=getattr(args, "since", None),
        status=getattr(args, "status", None),
    )
    if getattr(args, "json", False):
        print(json.dumps([s.to_dict() for s in sessions], indent=1), file=out)
        return 0
    if not sessions:
        print(f"No sessions in {db.path}{_filters_text(args)}.", file=out)
        return 0
    rows = [["ID", "WHEN", "ACTIVITY", "STATUS", "VIEW", "ANALYSED", "FLAGS", "CLIP"]]
    rows += [_summary_row(s) for s in sessions]
    _table(rows, out)
    print(f"\n{len(sessions)} session(s) in {db.path}{_filters_text(args)}", file=out)
    return 0


def _summary_row(s: SessionSummary) -> list[str]:
    return [
        str(s.id),
        _local(s.when),
        s.activity,
        s.status,
        s.view or "-",
        _secs(s.analysed_s),
        str(s.flags),
        Path(s.source_path).name if s.source_path else "-",
    ]


def _fmt(x: float | None, unit: str = "") -> str:
    if x is None:
        return "n/a"
    s = f"{x:.2f}" if abs(x) < 1 else f"{x:.1f}"
    return f"{s} {unit}".strip()


def _show(db: HistoryDB, args: argparse.Namespace, out: TextIO) -> int:
    rec = db.get_session(args.id)
    if getattr(args, "json", False):
        print(json.dumps(rec.to_dict(), indent=1, allow_nan=False), file=out)
        return 0
    for line in format_session(rec):
        print(line, file=out)
    return 0


def format_session(rec: SessionRecord) -> list[str]:
    """The ``history show`` text for one session."""
    lines = [f"Session {rec.id}: {rec.activity}, {rec.status}"]
    when = _local(rec.when) + (" (recorded)" if rec.recorded_at else "")
    lines.append(f"  when       {when}; analysed {_local(rec.created_at)}")
    if rec.source_path or rec.source_sha256:
        sha = f" (sha256 {rec.source_sha256[:12]})" if rec.source_sha256 else ""
        lines.append(f"  clip       {rec.source_path or '-'}{sha}")
    facts = [f"view {rec.view or '-'}"]
    if rec.fps:
        facts.append(f"{rec.fps:.3g} fps")
    if rec.duration_s is not None:
        facts.append(f"{rec.duration_s:.1f} s long")
    if rec.analysed_s is not None:
        facts.append(f"{rec.analysed_s:.1f} s analysed")
    if rec.frames_total:
        facts.append(f"pose in {rec.frames_with_pose}/{rec.frames_total} frames")
    lines.append("  capture    " + ", ".join(facts))
    lines.append(
        f"  versions   formcheck {rec.formcheck_version or '?'}, model "
        f"{(rec.model_sha256 or '?')[:12]}"
    )
    if rec.profile:
        prof = ", ".join(f"{k} {v}" for k, v in rec.profile.items() if v is not None)
        lines.append(f"  profile    {prof or 'none given'}")
    if rec.note:
        lines.append(f"  note       {rec.note}")
    if rec.findings:
        lines += ["", "Findings (most important first):"]
        mark = {"flag": "!!", "ok": "ok", "not_measurable": "--"}
        for f in rec.findings:
            val = "" if f.value is None else f" [{_fmt(f.value, f.unit)}]"
            lines.append(f"  {mark.get(f.status, '  ')} {f.cue}: {f.message}{val}")
            lines.append(f"       target {f.target}; source {f.source}")
    if rec.metrics:
        lines += ["", "Measurements:"]
        width = max(len(k) for k in rec.metrics)
        for name, m in rec.metrics.items():
            if m.value is None:
                text = "n/a" + (f" ({m.note})" if m.note else "")
            else:
                text = _fmt(m.value)
                if m.spread is not None:
                    text += f" ±{_fmt(m.spread)}"
                text += f" {m.unit}"
                if m.left is not None or m.right is not None:
                    text += f"  (L {_fmt(m.left)} / R {_fmt(m.right)})"
                text += f"  n={m.n}"
                if m.confidence not in ("high", ""):
                    text += f"  [{m.confidence} confidence]"
            lines.append(f"  {name.ljust(width)}  {text}")
    for name, t in rec.tables.items():
        lines += ["", f"Table {name}: {len(t.rows)} rows; columns {', '.join(t.columns)}"]
    if rec.notices:
        lines += ["", "About this recording:"]
        lines += [f"  - {n.message}" for n in rec.notices]
    if rec.artefacts:
        lines += ["", "Files:"]
        width = max(len(k) for k in rec.artefacts)
        lines += [f"  {k.ljust(width)}  {p}" for k, p in rec.artefacts.items()]
    return lines


def _emit(text: str, dest: Path | None, out: TextIO, n: int) -> int:
    if dest is None:
        out.write(text)
        return 0
    try:
        atomic_write_text(dest, text)
    except OSError as exc:
        raise StoreError(
            f"Cannot write {dest}: {exc.strerror or exc}.",
            "Choose another --out path.",
            code="export_failed",
        ) from exc
    print(f"Wrote {n} session(s) to {dest}", file=sys.stderr)
    return 0


def _export(db: HistoryDB, args: argparse.Namespace, out: TextIO) -> int:
    activity = getattr(args, "activity", None)
    since = getattr(args, "since", None)
    text = db.export(args.format, table=args.table, activity=activity, since=since)
    n = len(db.list_sessions(activity=activity, since=since))
    return _emit(text, args.out, out, n)


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
            [str(p.session_id), _local(p.when), p.status]
            + [_fmt(p.values.get(m)) for m in trend.metrics]
        )
    _table(rows, out)
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
            f"session {rec.id} ({rec.activity}, {_local(rec.when)}, "
            f"{Path(rec.source_path).name if rec.source_path else 'no clip'}, {rec.status})"
        )
        if not args.yes:
            if not sys.stdin or not sys.stdin.isatty():
                print(
                    f"formcheck: not deleting {what}: cannot ask for confirmation because "
                    "the input is not a terminal. Add --yes to delete it.",
                    file=sys.stderr,
                )
                return 2
            print(f"Delete {what}? This cannot be undone. [y/N] ", end="", file=out, flush=True)
            answer = sys.stdin.readline().strip().lower()
            if answer not in ("y", "yes"):
                print("Nothing deleted.", file=out)
                return 0
        db.delete_session(args.id)
    print(f"Deleted {what}.", file=out)
    if rec.artefacts:
        print("Its files were left in place:", file=out)
        for kind, p in rec.artefacts.items():
            print(f"  {kind}: {p}", file=out)
    return 0
