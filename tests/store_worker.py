"""A separate process that writes to the history, for the store's crash and concurrency tests.

Run as ``python -m tests.store_worker ACTION DB [ARGS]`` from the repository root.
Every action prints one line per milestone and flushes, so the test can wait
for a milestone and then kill the process.

Actions
-------
progress DB : begin a session, store partial results (the first 12 s of a
    30 s clip) and a file, print ``ready <id>``, then wait to be killed (a
    long analysis still running).
write DB TAG N GO : print ``ready``, wait until the file GO exists, then do N
    whole analyses (begin, progress, save with a file), printing ``saved <id>``
    each time and ``done`` at the end. Clip hashes are unique per TAG.
hold DB SECONDS GO : take the write lock (BEGIN IMMEDIATE), create the file GO,
    hold the lock SECONDS seconds, then commit and print ``released``.
churn DB : save analyses forever, printing ``saved <id>`` after each commit.
readonly DB : try to save (expected to fail) and to list the history; print
    one JSON line with what happened.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import sqlite3
import sys
import time
from pathlib import Path

from formcheck.errors import StoreError
from formcheck.store.db import HistoryDB
from tests.store_fixtures import make_report


def say(line: str) -> None:
    print(line, flush=True)


def tag_sha(tag: str, i: int) -> str:
    return hashlib.sha256(f"{tag}-{i}".encode()).hexdigest()


def progress(db_path: Path) -> None:
    with HistoryDB(db_path) as db:
        sid = db.begin_session("run", source_path="/clips/long_run.mp4")
        db.add_progress(sid, analysed_s=12.0, frames_done=360, frames_expected=899)
        partial = make_report(7, partial=True, decoded_s=12.0, n_steps=5)
        db.add_progress(sid, analysed_s=12.0, report=partial)
        db.add_artefact(sid, "report_json", "/out/long_run/report.json")
        say(f"ready {sid}")
        time.sleep(600)


def write(db_path: Path, tag: str, n: int, go: Path) -> None:
    with HistoryDB(db_path) as db:
        say("ready")
        while not go.exists():
            time.sleep(0.005)
        for i in range(n):
            report = make_report(
                i + 1, sha=tag_sha(tag, i), created_at=f"2026-05-01T07:{i:02d}:00+00:00"
            )
            sid = db.begin_session("auto", source_path=report.source.path)
            db.add_progress(sid, analysed_s=15.0, frames_done=450)
            sid = db.save_report(sid, report, artefacts={"report_json": f"/out/{tag}/{i}.json"})
            say(f"saved {sid}")
    say("done")


def hold(db_path: Path, seconds: float, go: Path) -> None:
    with HistoryDB(db_path):
        pass  # create / migrate it first
    conn = sqlite3.connect(str(db_path), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE sessions SET note = note WHERE 0")
    go.touch()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()
    say("released")


def churn(db_path: Path) -> None:
    with HistoryDB(db_path) as db:
        i = 0
        while True:
            i += 1
            report = make_report(i, sha=tag_sha("churn", i), n_steps=200)
            sid = db.begin_session("auto")
            sid = db.save_report(sid, report)
            say(f"saved {sid}")


def readonly(db_path: Path) -> None:
    out: dict[str, object] = {}
    try:
        with HistoryDB(db_path) as db:
            db.add_report(make_report(99, sha=tag_sha("ro", 0)))
        out["save"] = "ok"
    except StoreError as exc:
        out["save"] = exc.code
        out["save_message"] = str(exc)
    from formcheck.cli import history as history_cli

    parser = argparse.ArgumentParser(prog="formcheck")
    history_cli.register(parser.add_subparsers())
    args = parser.parse_args(["history", "--db", str(db_path)])
    buf = io.StringIO()
    err = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err):
        out["list_rc"] = args.func(args)
    out["list_out"] = buf.getvalue()
    out["list_err"] = err.getvalue()
    say(json.dumps(out))


def main(argv: list[str]) -> None:
    action, db = argv[0], Path(argv[1])
    if action == "progress":
        progress(db)
    elif action == "write":
        write(db, argv[2], int(argv[3]), Path(argv[4]))
    elif action == "hold":
        hold(db, float(argv[2]), Path(argv[3]))
    elif action == "churn":
        churn(db)
    elif action == "readonly":
        readonly(db)
    else:
        raise SystemExit(f"unknown action {action}")


if __name__ == "__main__":
    main(sys.argv[1:])
