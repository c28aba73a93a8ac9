"""A history session's life: a clip's analysis (``AnalysisRecording``) and a live
set's (``LiveRecording``), both on store/recording.py's lifecycle."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.errors import StoreError
from formcheck.store import AnalysisRecording, LiveRecording
from formcheck.store.db import HistoryDB
from tests.fixtures.store import make_report


# ---------------------------------------------------------------------------------------
# a clip's analysis (formcheck.pipeline.clip.analyse_clip drives it)
def test_a_saved_analysis_and_the_same_clip_again(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    rec = AnalysisRecording(path, "auto")
    sid = rec.save(make_report(1), {"report_json": tmp_path / "r.json"})
    assert sid == 1 and rec.error is None
    again = AnalysisRecording(path, "auto").save(make_report(1), {})
    assert again == 1  # same clip again: same session
    with HistoryDB(path) as db:
        assert db.get_session(1).artefacts["report_json"] == str(tmp_path / "r.json")


def test_ctrl_c_during_an_analysis_keeps_a_partial_session(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    rec = AnalysisRecording(path, "auto", source_path="/clips/run.mp4").start()
    assert rec.session_id is not None
    with pytest.raises(KeyboardInterrupt), rec:
        rec.wrap(None)(10, 900, 0.3)
        raise KeyboardInterrupt
    with HistoryDB(path) as db:
        s = db.get_session(rec.session_id)
    assert s.status == "partial" and s.source_path == "/clips/run.mp4"


def test_a_started_analysis_saved_is_one_complete_session(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with AnalysisRecording(path, "auto", source_path="/clips/run_4.mp4") as rec:
        sid = rec.save(make_report(4), {"report_json": "/o.json"})
    assert sid == rec.session_id
    with HistoryDB(path) as db:
        assert db.get_session(sid).status == "complete"
        assert len(db.list_sessions()) == 1


def test_an_unusable_history_does_not_stop_the_analysis(tmp_path: Path) -> None:
    bad = tmp_path / "h.sqlite3"
    bad.write_bytes(b"garbage" * 100)
    seen: list[StoreError] = []
    with AnalysisRecording(bad, "run", source_path="/clips/a.mp4", on_error=seen.append) as rec:
        rec.wrap(None)(1, 2, 0.1)
        assert rec.save(make_report(1), {}) is None
    assert len(seen) == 2 and all("damaged" in str(e) for e in seen)  # at start, at the save


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
