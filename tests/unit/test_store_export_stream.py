"""``formcheck history export`` of a large history (issue 21): written a session at
a time, and no hidden temporary file left behind by a failure or a kill."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from formcheck.cli import history as history_cli
from formcheck.results import FrameState
from formcheck.store.db import HistoryDB
from tests.fixtures.store import make_report

ROOT = Path(__file__).resolve().parents[2]
#: sessions in the generated history, and frames in each one's stored report
N_SESSIONS = 3000
N_FRAMES = 40
#: the export's own allocations may not grow with the history: far below what a
#: list of every session holds (tens of KB a session here, hundreds of MB in all)
PEAK_BYTES = 40e6


def fill_history(path: Path, n: int = N_SESSIONS, frames: int = N_FRAMES) -> None:
    """A history of ``n`` sessions: one saved through the store, copied in SQL."""
    report = make_report(1)
    states = [
        FrameState(
            i,
            i / 30,
            phase="flight",
            form="good",
            angles={"trunk_lean_deg": 6.0 + i / 7, "knee_flex_deg": 20.5 - i / 9},
        )
        for i in range(frames)
    ]
    with HistoryDB(path) as db:
        db.add_report(dataclasses.replace(report, frames=states))
    conn = sqlite3.connect(path)
    try:

        def cols(table: str, *skip: str) -> list[str]:
            info = conn.execute(f"PRAGMA table_info({table})").fetchall()
            return [r[1] for r in info if r[1] not in (*skip, "id")]

        copies = f"WITH RECURSIVE k(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM k WHERE i < {n})"
        with conn:
            c = cols("sessions", "source_sha256", "created_at")
            conn.execute(
                f"{copies} INSERT INTO sessions (id, source_sha256, created_at, {', '.join(c)}) "
                f"SELECT i, printf('%064x', i), printf('2026-05-01T07:%02d:%02d+00:00', "
                f"i / 60 % 60, i % 60), {', '.join(c)} FROM k, sessions WHERE id = 1"
            )
            for table in ("metrics", "findings", "notices", "step_tables", "step_rows"):
                c = cols(table, "session_id")
                conn.execute(
                    f"{copies} INSERT INTO {table} (session_id, {', '.join(c)}) "
                    f"SELECT i, {', '.join(c)} FROM k, {table} WHERE session_id = 1"
                )
    finally:
        conn.close()


@pytest.fixture(scope="module")
def big_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "history.sqlite3"
    fill_history(path)
    return path


def history(*argv: str) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="formcheck")
    history_cli.register(parser.add_subparsers())
    return parser.parse_args(["history", *argv]).func(parser.parse_args(["history", *argv]))


def strays(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_of_thousands_of_sessions_keeps_memory_flat(
    big_history: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"history.{fmt}"
    tracemalloc.start()
    try:
        assert history("export", "--format", fmt, "--out", str(out), "--db", str(big_history)) == 0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"peak {peak / 1e6:.0f} MB"
    if fmt == "json":
        data = json.loads(out.read_text())
        assert len(data["sessions"]) == N_SESSIONS
        assert len(data["sessions"][-1]["report"]["frames"]) == N_FRAMES
    else:
        lines = out.read_text().splitlines()
        assert len(lines) == 1 + N_SESSIONS * len(make_report(1).metrics)
    assert strays(tmp_path) == []


def test_a_failed_export_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The disk fills up halfway: an error naming the file, and nothing left behind."""
    db = tmp_path / "db" / "history.sqlite3"
    db.parent.mkdir()
    fill_history(db, n=50, frames=5)
    out = tmp_path / "out"
    out.mkdir()
    real = history_cli.HistoryDB.write_export
    written = []

    def full_disk(self, fh, *a, **k):  # type: ignore[no-untyped-def]
        fh.write("x" * 10_000)
        written.append(True)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(history_cli.HistoryDB, "write_export", full_disk)
    rc = history("export", "--format", "json", "--out", str(out / "h.json"), "--db", str(db))
    assert rc != 0 and written
    assert "h.json" in capsys.readouterr().err
    assert list(out.iterdir()) == []
    monkeypatch.setattr(history_cli.HistoryDB, "write_export", real)
    assert history("export", "--format", "json", "--out", str(out / "h.json"), "--db", str(db)) == 0
    assert [p.name for p in out.iterdir()] == ["h.json"]


def test_export_killed_midway_leaves_no_file_after_the_next_run(
    big_history: Path, tmp_path: Path
) -> None:
    """SIGKILL while the export is writing (its temporary file is growing): the
    next export removes what the killed one left and writes the whole file."""
    out = tmp_path / "history.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "formcheck.cli", "history", "export", "--format", "json"]
    proc = subprocess.Popen(
        [*cmd, "--out", str(out), "--db", str(big_history)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            growing = [p for p in tmp_path.iterdir() if p.name.startswith(".")]
            if growing and growing[0].stat().st_size > 100_000:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the export ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert strays(tmp_path), "the kill came while the temporary file was written"
    assert not out.exists()
    res = subprocess.run(
        [*cmd, "--out", str(out), "--db", str(big_history)], env=env, capture_output=True
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert strays(tmp_path) == []
    assert len(json.loads(out.read_text())["sessions"]) == N_SESSIONS
