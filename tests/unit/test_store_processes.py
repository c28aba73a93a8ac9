"""The history across processes: a killed analysis, a kill during saves, two writers at
once, a writer holding the lock, and a read-only location."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from formcheck.errors import StoreError
from formcheck.store.db import HistoryDB, save_analysis
from formcheck.store.writes import NOTE_CRASHED
from tests.fixtures.processes import reaped, sigkill
from tests.fixtures.store import make_report
from tests.fixtures.store_worker import tag_sha

REPO = Path(__file__).resolve().parents[2]


def worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.fixtures.store_worker", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(proc: subprocess.Popen[str], prefix: str) -> str:
    """Read the worker's lines until one starts with ``prefix``."""
    assert proc.stdout is not None
    while True:
        line = proc.stdout.readline()
        if not line:
            err = proc.stderr.read() if proc.stderr else ""
            raise AssertionError(f"worker ended before {prefix!r}: {err}")
        if line.startswith(prefix):
            return line.strip()


def run_together(
    procs: dict[str, subprocess.Popen[str]], go: Path, timeout: float
) -> dict[str, tuple[str, str]]:
    """Wait until every worker is ready, create ``go`` (they all start at once) and
    return each one's (stdout, stderr); any still running at the end is killed."""
    try:
        for p in procs.values():
            wait_for(p, "ready")
        go.touch()
        return {tag: p.communicate(timeout=timeout) for tag, p in procs.items()}
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()


def integrity(path: Path) -> str:
    c = sqlite3.connect(path)
    try:
        return c.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        c.close()


def test_killed_analysis_leaves_a_partial_session_with_what_was_saved(db_path: Path) -> None:
    proc = worker("progress", str(db_path))
    with reaped(proc):
        sid = int(wait_for(proc, "ready").split()[1])
        # while the analysis runs, another program opening the history leaves it alone
        with HistoryDB(db_path) as db:
            assert db.recovered == []
            assert db.get_session(sid).status == "running"
        sigkill(proc)
    assert proc.returncode == -signal.SIGKILL
    assert integrity(db_path) == "ok"
    expected = make_report(7, partial=True, decoded_s=12.0, n_steps=5)
    with HistoryDB(db_path) as db:
        assert db.recovered == [sid]
        rec = db.get_session(sid)
    assert rec.status == "partial" and rec.note == NOTE_CRASHED
    assert rec.analysed_s == 12.0 and rec.frames_done == 360 and rec.frames_expected == 899
    assert rec.metrics == expected.metrics
    assert rec.findings == expected.findings
    assert rec.report_dict == expected.to_dict()
    assert rec.artefacts["report_json"] == "/out/long_run/report.json"
    assert rec.source_path == expected.source.path


def test_kill_during_saves_never_leaves_half_a_session(db_path: Path) -> None:
    """Killed at an arbitrary moment of a stream of saves: every session is either
    complete with all its results, or (the one being saved) partial with none."""
    proc = worker("churn", str(db_path))
    saved = []
    with reaped(proc):
        for _ in range(6):
            saved.append(int(wait_for(proc, "saved").split()[1]))
        sigkill(proc)
    assert integrity(db_path) == "ok"
    with HistoryDB(db_path) as db:
        sessions = db.list_sessions(newest_first=False)
        records = [db.get_session(s.id) for s in sessions]
    complete = [r for r in records if r.status == "complete"]
    assert set(saved) <= {r.id for r in complete}
    for r in complete:
        k = int(r.source_path.rsplit("_", 1)[1].split(".")[0])
        expected = make_report(k, sha=tag_sha("churn", k), n_steps=200)
        assert r.metrics == expected.metrics
        assert len(r.findings) == 3 and len(r.tables["steps"].rows) == 200
        assert r.report_dict == expected.to_dict()
    others = [r for r in records if r.status != "complete"]
    assert len(others) <= 1
    for r in others:
        assert r.status == "partial" and r.metrics == {} and r.report_dict is None


def test_two_writers_at_once_both_succeed(db_path: Path, tmp_path: Path) -> None:
    n = 25
    with HistoryDB(db_path):
        pass  # created up front so both writers start on the same file
    go = tmp_path / "go"
    procs = {tag: worker("write", str(db_path), tag, str(n), str(go)) for tag in ("app", "cli")}
    results = run_together(procs, go, timeout=300)  # both start writing at once
    for tag, (out, err) in results.items():
        assert procs[tag].returncode == 0, err
        assert out.strip().endswith("done")
        assert out.count("saved") == n
    assert integrity(db_path) == "ok"
    with HistoryDB(db_path) as db:
        sessions = db.list_sessions()
        assert len(sessions) == 2 * n
        assert {s.status for s in sessions} == {"complete"}
        by_sha = {db.get_session(s.id).source_sha256: db.get_session(s.id) for s in sessions}
    for tag in ("app", "cli"):
        for i in range(n):
            rec = by_sha[tag_sha(tag, i)]
            assert rec.metrics == make_report(i + 1).metrics
            assert rec.artefacts["report_json"] == f"/out/{tag}/{i}.json"


def test_processes_making_a_new_history_at_once_all_save(tmp_path: Path) -> None:
    """Three processes (``analyze --jobs 3`` on a first run) open a history that does
    not exist yet at the same moment: each saves, none is told the file is locked or
    damaged (switching a new file to WAL at once deadlocked, and SQLite answered one
    of them "busy" without waiting)."""
    for trial in range(12):  # the race is a matter of milliseconds: several tries
        db = tmp_path / f"new{trial}" / "history.sqlite3"
        go = tmp_path / f"go{trial}"
        tags = ("a", "b", "c")
        procs = {tag: worker("first", str(db), tag, "2", str(go)) for tag in tags}
        results = run_together(procs, go, timeout=120)
        for tag, (out, err) in results.items():
            assert procs[tag].returncode == 0, err
            assert out.count("saved") == 2, (tag, out, err)
        assert integrity(db) == "ok"
        with HistoryDB(db) as h:
            assert len(h.list_sessions()) == 6


def test_a_writer_waits_for_another_that_holds_the_lock(db_path: Path, tmp_path: Path) -> None:
    """Another process holds the write lock for 1 s (less than the 5 s busy timeout):
    a save started meanwhile waits and succeeds instead of failing."""
    go = tmp_path / "go"
    holder = worker("hold", str(db_path), "1.0", str(go))
    try:
        while not go.exists():
            assert holder.poll() is None, holder.stderr.read() if holder.stderr else ""
        sid = save_analysis(make_report(1), db_path)
        out, err = holder.communicate(timeout=60)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert holder.returncode == 0, err
    assert "released" in out
    with HistoryDB(db_path) as db:
        assert db.get_session(sid).status == "complete"


def _can_bind_mount_read_only() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("mount"):
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp"],
        capture_output=True,
    )
    return probe.returncode == 0


def test_read_only_location_gets_a_clear_message(tmp_path: Path) -> None:
    """An existing history in a folder that cannot be written: saving fails with a
    clear message, listing still works (read-only), and the file is unchanged."""
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "history.sqlite3"
    save_analysis(make_report(1), path)
    before = path.read_bytes()
    cmd = [sys.executable, "-m", "tests.fixtures.store_worker", "readonly", str(path)]
    if os.geteuid() != 0:
        folder.chmod(0o555)
        path.chmod(0o444)
        try:
            proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
        finally:
            folder.chmod(0o755)
            path.chmod(0o644)
    elif _can_bind_mount_read_only():
        # root ignores permissions: make the folder a read-only mount in a private
        # mount namespace (nothing outside this process tree sees it)
        script = (
            f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && '
            + " ".join(f'"{c}"' for c in cmd)
        )
        proc = subprocess.run(
            ["unshare", "-m", "sh", "-c", script],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
    else:
        pytest.skip("running as root without mount namespaces: cannot make a read-only folder")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["save"] == "store_read_only", out
    assert "read-only" in out["save_message"] and str(path) in out["save_message"]
    assert out["list_rc"] == 0, out["list_err"]
    assert "run_1.mp4" in out["list_out"] and "1 session(s)" in out["list_out"]
    assert path.read_bytes() == before


def test_a_new_history_in_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as err:
        save_analysis(make_report(1), blocker / "sub" / "history.sqlite3")
    assert err.value.code == "store_cannot_open"
    assert f"Cannot create the folder {blocker / 'sub'}" in str(err.value)
    assert blocker.read_text() == "x"


def test_a_new_history_on_a_read_only_filesystem(tmp_path: Path) -> None:
    """A folder that cannot be created because its parent is read-only (EACCES/EROFS)."""
    if os.geteuid() != 0:
        parent = tmp_path / "locked"
        parent.mkdir()
        parent.chmod(0o555)
        try:
            with pytest.raises(StoreError) as err:
                save_analysis(make_report(1), parent / "sub" / "history.sqlite3")
        finally:
            parent.chmod(0o755)
        assert err.value.code == "store_read_only"
        return
    if not _can_bind_mount_read_only():
        pytest.skip("running as root without mount namespaces: cannot make a read-only folder")
    parent = tmp_path / "locked"
    parent.mkdir()
    code = (
        "from formcheck.store.db import save_analysis; from tests.fixtures.store import "
        "make_report; from formcheck.errors import StoreError\n"
        "try:\n"
        f"    save_analysis(make_report(1), '{parent}/sub/history.sqlite3')\n"
        "except StoreError as e:\n"
        "    print(e.code); print(e)\n"
    )
    script = (
        f'mount --bind "{parent}" "{parent}" && mount -o remount,bind,ro "{parent}" && '
        f'"{sys.executable}" -c "$0"'
    )
    proc = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    code_line, message = proc.stdout.splitlines()[:2]
    assert code_line == "store_read_only"
    assert "read-only" in message and "cannot create the folder" in message
    assert list(parent.iterdir()) == []
