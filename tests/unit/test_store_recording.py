"""A history session's life: ``formcheck analyze``'s recording (store/cli_recording.py)
and a live set's (``LiveRecording``), both on store/recording.py's lifecycle."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.errors import StoreError
from formcheck.store import LiveRecording, cli_recording
from formcheck.store.db import HistoryDB
from tests.store_fixtures import make_report


# ---------------------------------------------------------------------------------------
# what `formcheck analyze` calls
def test_save_from_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.sqlite3"
    sid = cli_recording.save_from_cli(make_report(1), path, {"report_json": tmp_path / "r.json"})
    assert sid == 1 and capsys.readouterr().err == ""
    again = cli_recording.save_from_cli(make_report(1), path, {})
    assert again == 1  # same clip again: same session
    with HistoryDB(path) as db:
        assert db.get_session(1).artefacts["report_json"] == str(tmp_path / "r.json")


def test_begin_from_cli_then_ctrl_c(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    rec = cli_recording.begin_from_cli(Path("/clips/run.mp4"), "auto", path)
    assert rec.session_id is not None
    with pytest.raises(KeyboardInterrupt), rec:
        rec.wrap(None)(10, 900, 0.3)
        raise KeyboardInterrupt
    with HistoryDB(path) as db:
        s = db.get_session(rec.session_id)
    assert s.status == "partial" and s.source_path == "/clips/run.mp4"


def test_begin_from_cli_then_save(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.sqlite3"
    with cli_recording.begin_from_cli(Path("/clips/run_4.mp4"), "auto", path) as rec:
        sid = cli_recording.save_from_cli(
            make_report(4), path, {"report_json": "/o.json"}, recording=rec
        )
    assert sid == rec.session_id
    with HistoryDB(path) as db:
        assert db.get_session(sid).status == "complete"
        assert len(db.list_sessions()) == 1
    assert capsys.readouterr().err == ""


def test_begin_from_cli_with_an_unusable_history_does_not_stop_the_analysis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "h.sqlite3"
    bad.write_bytes(b"garbage" * 100)
    with cli_recording.begin_from_cli(Path("/clips/a.mp4"), "run", bad) as rec:
        rec.wrap(None)(1, 2, 0.1)
        assert cli_recording.save_from_cli(make_report(1), bad, {}, recording=rec) is None
    err = capsys.readouterr().err
    assert "history (the analysis goes on)" in err and "not saved to history" in err


# ---------------------------------------------------------------------------------------
# a live set (`formcheck live` and the Live page)
def test_live_set_from_start_to_stop(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    rec = LiveRecording("run", None, path)
    sid = rec.begin()
    assert not rec.due()  # the first progress write waits a full interval
    with HistoryDB(path) as db:
        s = db.get_session(sid)
        assert (s.status, s.source_kind) == ("running", "webcam")
    rec.min_interval_s = 0.0
    assert rec.due()
    rec.progress(make_report(1, partial=True, decoded_s=5.0), 5.0, 150)
    with HistoryDB(path) as db:
        s = db.get_session(sid)
        assert s.status == "running" and s.frames_done == 150 and s.metrics
    assert rec.finish(make_report(1), partial=False) == sid
    assert rec._db is None  # closed at the end
    with HistoryDB(path) as db:
        assert db.get_session(sid).status == "complete"


def test_live_set_that_stored_nothing_is_discarded(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    rec = LiveRecording("plank", db=path)
    rec.begin()
    assert rec.finish(None, True, "no person was seen") is None
    with HistoryDB(path) as db:
        assert db.list_sessions() == []


def test_live_set_without_a_final_report_keeps_its_progress(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    rec = LiveRecording("run", db=path)
    sid = rec.begin()
    rec.progress(make_report(2, partial=True, decoded_s=8.0), 8.0, 240)
    assert rec.finish(None, True, "the camera went away") == sid
    with HistoryDB(path) as db:
        s = db.get_session(sid)
    assert s.status == "partial" and s.analysed_s == 8.0


def test_live_set_raises_history_problems_for_its_caller(tmp_path: Path) -> None:
    bad = tmp_path / "h.sqlite3"
    bad.write_bytes(b"garbage" * 100)
    rec = LiveRecording("run", db=bad)
    with pytest.raises(StoreError):
        rec.begin()
    assert rec.session_id is None and not rec.due()
    rec.progress(make_report(1), 1.0, 30)  # nothing started: nothing to store
    assert rec.finish(make_report(1), partial=False) is None
