"""History while an analysis runs: progress, interrupts, partial and stale sessions, and
what the store leaves on disk."""

from __future__ import annotations

import os
import socket
import sqlite3
from pathlib import Path

import pytest

from formcheck.errors import StoreError
from formcheck.store import owner
from formcheck.store.db import HistoryDB, save_analysis
from formcheck.store.recording import AnalysisRecording
from formcheck.store.schema import CURRENT_VERSION
from formcheck.store.values import now_utc
from formcheck.store.writes import NOTE_CRASHED
from tests.fixtures.store import make_report


# ---------------------------------------------------------------------------------------
# running sessions: progress, Ctrl-C, failures
def test_progress_then_interrupt_keeps_partial_results(db_path: Path) -> None:
    with HistoryDB(db_path) as db:
        sid = db.begin_session("plank", source_path="/clips/p.mp4")
        assert db.add_progress(sid, analysed_s=4.0, frames_done=120, frames_expected=300)
        rec = db.get_session(sid)
        assert (rec.status, rec.analysed_s, rec.frames_done, rec.frames_expected) == (
            "running",
            4.0,
            120,
            300,
        )
        partial = make_report(5, activity="plank", partial=True, decoded_s=6.0)
        db.add_progress(sid, analysed_s=6.0, report=partial)
        db.mark_partial(sid)
        rec = db.get_session(sid)
        assert rec.status == "partial" and rec.note
        assert rec.metrics == partial.metrics and rec.analysed_s == 6.0
        assert not db.add_progress(sid, analysed_s=9.0)  # no longer running
        assert db.get_session(sid).analysed_s == 6.0


def test_recording_marks_partial_on_keyboard_interrupt(db_path: Path) -> None:
    recording = AnalysisRecording(db_path, "run", source_path="/clips/x.mp4", min_interval_s=0)
    with pytest.raises(KeyboardInterrupt), recording as rec:
        rec.wrap()(100, 900, 3.3)
        rec.update(make_report(4, partial=True, decoded_s=3.3))
        raise KeyboardInterrupt
    with HistoryDB(db_path) as db:
        rec2 = db.get_session(rec.session_id)
    assert rec2.status == "partial"
    assert rec2.analysed_s == 3.3 and rec2.frames_done == 100
    assert rec2.metrics["cadence_spm"].value == make_report(4).metrics["cadence_spm"].value


def test_recording_removes_an_empty_session_when_the_analysis_fails(db_path: Path) -> None:
    from formcheck.errors import NoPersonError

    with pytest.raises(NoPersonError), AnalysisRecording(db_path, "run") as rec:
        raise NoPersonError("nobody", code="no_person")
    with HistoryDB(db_path) as db:
        assert db.list_sessions() == []
    assert rec.session_id is not None


def test_recording_saves_into_its_session(db_path: Path) -> None:
    with AnalysisRecording(db_path, "auto", source_path="/clips/run_2.mp4") as rec:
        started = rec.session_id
        kept = rec.save(make_report(2), {"report_json": "/o/r.json"})
    assert kept == started
    with HistoryDB(db_path) as db:
        assert db.get_session(kept).status == "complete"
        assert len(db.list_sessions()) == 1


def test_a_live_running_session_is_not_marked_partial(db_path: Path) -> None:
    with HistoryDB(db_path) as db:
        sid = db.begin_session("run")
    with HistoryDB(db_path) as other:  # this process is alive: its session is still running
        assert other.recovered == []
        assert other.get_session(sid).status == "running"


def test_stale_session_of_a_dead_process_is_marked_partial(db_path: Path) -> None:
    with HistoryDB(db_path) as db:
        sid = db.begin_session("run")
        db.add_progress(sid, report=make_report(1, partial=True, decoded_s=5.0))
        # pretend the owner was a process that no longer exists
        db._c().execute(
            "UPDATE sessions SET owner = ? WHERE id = ?",
            (f"{socket.gethostname()}:{2**22 + 12345}:1", sid),
        )
    with HistoryDB(db_path) as db:
        assert db.recovered == [sid]
        rec = db.get_session(sid)
        assert rec.status == "partial" and rec.note == NOTE_CRASHED
        assert rec.metrics == make_report(1).metrics


def test_owner_with_a_reused_pid_is_not_alive() -> None:
    me = owner.owner_token()
    host, pid, start = me.rsplit(":", 2)
    assert owner.owner_alive(me, None)
    if start:  # /proc available: a different start time means another process
        assert not owner.owner_alive(f"{host}:{pid}:{int(start) + 1}", None)
    assert not owner.owner_alive(None, None)
    assert owner.owner_alive("otherhost:1:1", now_utc())  # cannot check: recent
    assert not owner.owner_alive("otherhost:1:1", "2020-01-01T00:00:00+00:00")


# ---------------------------------------------------------------------------------------
# files that must be refused and left alone
def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("random bytes", lambda good: os.urandom(8192)),
        ("truncated header", lambda good: good[:60]),
        ("text file", lambda good: b"cadence,170\n" * 50),
        ("damaged schema page", lambda good: good[:100] + os.urandom(len(good) - 100)),
        # header and schema sound, one data page in the middle overwritten
        ("damaged data page", lambda good: good[: 4096 * 4] + os.urandom(4096) + good[4096 * 5 :]),
    ],
)
def test_damaged_file_is_refused_and_untouched(tmp_path: Path, name: str, make: object) -> None:
    good_path = tmp_path / "good" / "history.sqlite3"
    for k in range(1, 6):
        save_analysis(make_report(k), good_path)
    good = good_path.read_bytes()
    assert len(good) >= 4096 * 8 and sqlite3.connect(good_path).execute(
        "PRAGMA page_size"
    ).fetchone() == (4096,)
    folder = tmp_path / "bad"
    folder.mkdir()
    bad = folder / "history.sqlite3"
    bad.write_bytes(make(good))  # type: ignore[operator]
    before = _snapshot(folder)
    for attempt in (
        lambda: HistoryDB(bad).open(),
        lambda: save_analysis(make_report(2), bad),
        lambda: HistoryDB(bad, readonly=True).open(),
    ):
        with pytest.raises(StoreError) as err:
            attempt()
        assert err.value.code == "store_damaged", name
        assert str(bad) in str(err.value) and "not changed it" in str(err.value)
        assert err.value.hint
    assert _snapshot(folder) == before  # same bytes, and no -wal/-shm/backup created


def test_a_database_of_another_program_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.execute("INSERT INTO songs VALUES ('x')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(StoreError) as err:
        HistoryDB(other).open()
    assert err.value.code == "store_not_ours"
    assert other.read_bytes() == before


def test_a_newer_schema_is_refused_and_untouched(db_path: Path) -> None:
    save_analysis(make_report(1), db_path)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as err:
        HistoryDB(db_path).open()
    assert err.value.code == "store_too_new" and "newer formcheck" in str(err.value)
    assert db_path.read_bytes() == before


def test_an_empty_file_becomes_a_new_history(db_path: Path) -> None:
    db_path.write_bytes(b"")
    assert save_analysis(make_report(1), db_path) == 1


def test_locked_database_gets_a_clear_message(db_path: Path) -> None:
    save_analysis(make_report(1), db_path)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with HistoryDB(db_path, busy_timeout_ms=200) as db:
            assert len(db.list_sessions()) == 1  # WAL: reading still works
            with pytest.raises(StoreError) as err:
                db.begin_session("run")
        assert err.value.code == "store_locked"
        assert "locked by another program" in str(err.value)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with HistoryDB(db_path) as db:
        assert [s.id for s in db.list_sessions()] == [1]


def test_exclusively_locked_database_at_open(db_path: Path) -> None:
    save_analysis(make_report(1), db_path)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("PRAGMA locking_mode = EXCLUSIVE")
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as err:
            HistoryDB(db_path, busy_timeout_ms=200).open()
        assert err.value.code == "store_locked"
    finally:
        blocker.execute("COMMIT")
        blocker.close()


def test_folder_in_place_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "history.sqlite3").mkdir()
    with pytest.raises(StoreError) as err:
        HistoryDB(tmp_path / "history.sqlite3").open()
    assert "is a folder" in str(err.value)


def test_a_metrics_status_is_kept_in_the_history(tmp_path: Path) -> None:
    """The status the analysis gave a metric (cues.judge) is read back as it was saved:
    the history never judges again, with thresholds that may have changed since."""
    report = make_report(1)
    path = tmp_path / "h.sqlite3"
    sid = save_analysis(report, path)
    with HistoryDB(path) as db:
        got = db.get_session(sid).metrics
    assert {k: m.status for k, m in got.items()} == {k: m.status for k, m in report.metrics.items()}
    assert got["cadence_spm"].status == "work_on" and got["trunk_lean_deg"].status is None


def test_older_sources_read_back_with_the_articles_named(tmp_path: Path) -> None:
    """Sessions saved before sources named their articles cite the developers' notes
    file ("cues.md [A4]"), which users do not have: read back, they name the article."""
    import dataclasses

    report = make_report()
    old = [
        dataclasses.replace(f, source=s)
        for f, s in zip(
            report.findings,
            ("cues.md A2; Lieberman 2015", "cues.md [A4][A3]", "cues.md lit. notes"),
            strict=False,
        )
    ]
    report.findings = old
    with HistoryDB(tmp_path / "h.sqlite3") as db:
        rec = db.get_session(db.add_report(report))
    assert len(rec.findings) == 3
    shown = [f.source for f in rec.findings]
    assert shown[0] == "Running with back pain: form tips (article); Lieberman 2015"
    assert shown[1] == (
        "Causes of lower-back pain in runners (article); "
        "Fixing lower-back pain from running (article)"
    )
    assert shown[2] == "running-biomechanics literature"
    assert not any("cues.md" in s for s in shown)


def test_stretches_and_ranges_survive_the_tables(tmp_path: Path) -> None:
    """A session rebuilt from the table rows (history show, export) keeps each finding's
    time ranges and each finding's and metric's worst stretch (schema version 5)."""
    import dataclasses

    from formcheck.results import Stretch

    report = make_report()
    st = Stretch(21.5, (4.0, 8.5), 6.1, 2.0, ((4.0, 8.5), (10.0, 12.5)), 183)
    f0 = dataclasses.replace(report.findings[0], ranges_s=st.ranges_s, stretch=st)
    report.findings = [f0, *report.findings[1:]]
    name = next(iter(report.metrics))
    report.metrics[name] = dataclasses.replace(report.metrics[name], stretch=st)
    with HistoryDB(tmp_path / "h.sqlite3") as db:
        rec = db.get_session(db.add_report(report))  # findings and metrics from the rows
    assert rec.findings[0].ranges_s == ((4.0, 8.5), (10.0, 12.5))
    assert rec.findings[0].stretch == st
    assert rec.metrics[name].stretch == st
    assert rec.findings[1].ranges_s == () and rec.findings[1].stretch is None
    from formcheck.cli.history_text import format_session

    shown = "\n".join(format_session(rec))
    assert "sustained stretches past the flag: 4.0-8.5 s, 10.0-12.5 s" in shown
