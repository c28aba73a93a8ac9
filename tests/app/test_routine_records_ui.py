"""The user's own routines renamed and deleted in the builder; routine records on the
History page after a move's session is deleted, and deleted themselves (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from formcheck.cues import words_routines as rw
from formcheck.routines import Routine, RoutineStep, hold, reps
from formcheck.store.db import HistoryDB, save_analysis
from tests.fixtures.store import make_report

TIMEOUT_S = 120


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "history.sqlite3"
    monkeypatch.setenv("FORMCHECK_DB", str(path))
    return path


def md(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_rename_and_delete_my_routine_in_the_builder(db: Path) -> None:
    with HistoryDB(db) as h:
        h.save_user_routine(Routine("my-set", "My set", (RoutineStep("plank", hold(20)),)))
        h.save_user_routine(Routine("evening", "Evening", (RoutineStep("bird-dog", reps(5)),)))
    at = AppTest.from_string(
        "from formcheck.ui import routine_build\nroutine_build.builder()\n",
        default_timeout=TIMEOUT_S,
    ).run()
    assert not at.exception
    at.selectbox(key="fc_build_delete").select("my-set").run()
    at.text_input(key="fc_build_rename_my-set").input("Evening").run()
    at.button(key="fc_build_rename_go").click().run()  # taken: said, nothing changed
    assert any("already have a routine called 'Evening'" in e.value for e in at.error)
    at.text_input(key="fc_build_rename_my-set").input("Morning core").run()
    at.button(key="fc_build_rename_go").click().run()
    assert not at.exception
    assert any("Morning core" in s.value for s in at.success)
    with HistoryDB(db) as h:
        assert sorted(r.name for r in h.user_routines()) == ["evening", "morning-core"]
    at.selectbox(key="fc_build_delete").select("evening").run()
    at.button(key="fc_build_delete_go").click().run()
    assert not at.exception
    with HistoryDB(db) as h:
        assert [r.label for r in h.user_routines()] == ["Morning core"]


def test_history_page_after_a_moves_session_is_deleted_and_deleting_the_record(
    db: Path,
) -> None:
    sid = save_analysis(make_report(1, activity="plank"), db)
    other = save_analysis(make_report(2, activity="plank"), db)
    step = {"activity": "plank", "amount": 30.0, "measure": "hold_s", "per": "total",
            "done": {"total": 30.0}, "total": 30.0, "status": "done", "met": True,
            "form_s": {}, "notes": [], "session_id": sid, "split": False}  # fmt: skip
    with HistoryDB(db) as h:
        rid = h.add_routine_run({"name": "x", "label": "Core", "steps": [step]}, complete=True)
    page = "from formcheck.ui import history\nhistory.page()\n"
    at = AppTest.from_string(page, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    at.selectbox(key="fc_del_pick").select(sid).run()
    at.checkbox(key="fc_del_sure").check().run()
    at.button(key="fc_del_go").click().run()
    assert not at.exception
    assert any("It was Core (routine record 1), move 1 of 1: plank" in x.value for x in at.success)
    assert f"Plank: 30/30 s (done); {rw.SESSION_DELETED}" in md(at)
    with HistoryDB(db) as h:
        assert [s.id for s in h.list_sessions()] == [other]
        assert h.get_routine_run(rid).summary["steps"][0]["session_deleted"] is True  # type: ignore[index]
        h.delete_session(other)
    # no session left: the routine record is still shown, and can be deleted
    at = AppTest.from_string(page, default_timeout=TIMEOUT_S).run()
    assert f"Plank: 30/30 s (done); {rw.SESSION_DELETED}" in md(at)
    at.checkbox(key=f"fc_run_del_sure_{rid}").check().run()
    at.button(key=f"fc_run_del_{rid}").click().run()
    assert not at.exception
    assert any(rw.RUN_DELETED.format(rid=rid) in s.value for s in at.success)
    with HistoryDB(db) as h:
        assert h.list_routine_runs() == []
