"""Guided routines in the history (schema version 6): routines done, the user's own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from formcheck.errors import StoreError
from formcheck.routines import Routine, RoutineStep, hold, reps
from formcheck.store.db import HistoryDB


def test_a_routine_done_is_kept_with_its_moves(tmp_path: Path) -> None:
    db_path = tmp_path / "h.sqlite3"
    summary = {
        "name": "core-and-glute",
        "label": "Core and glutes",
        "complete": False,
        "steps": [
            {"activity": "glute-bridge", "status": "done", "session_id": 3, "done": {"total": 15}},
            {"activity": "plank", "status": "skipped", "session_id": None, "done": {"total": 4}},
        ],
    }
    with HistoryDB(db_path) as db:
        rid = db.add_routine_run(summary, complete=False)
        second = db.add_routine_run({**summary, "complete": True}, complete=True)
    with HistoryDB(db_path) as db:
        runs = db.list_routine_runs()
        assert [r.id for r in runs] == [second, rid]
        got = db.get_routine_run(rid)
        assert got.status == "partial" and got.label == "Core and glutes"
        assert got.summary == summary and got.session_ids == [3]
        with pytest.raises(StoreError):
            db.get_routine_run(999)


def test_user_routines_are_saved_replaced_and_deleted(tmp_path: Path) -> None:
    db_path = tmp_path / "h.sqlite3"
    mine = Routine(
        "my-set",
        "My set",
        (RoutineStep("plank", hold(20)), RoutineStep("bird-dog", reps(6, "side"))),
    )
    with HistoryDB(db_path) as db:
        assert db.user_routines() == []
        db.save_user_routine(mine)
        db.save_user_routine(Routine("other", "Other", (RoutineStep("plank", hold(10)),)))
    with HistoryDB(db_path) as db:
        got = db.user_routines()
        assert [r.name for r in got] == ["my-set", "other"]
        assert got[0].steps == mine.steps and got[0].label == "My set" and not got[0].builtin
        db.save_user_routine(Routine("my-set", "My set again", (RoutineStep("plank", hold(40)),)))
        got = db.user_routines()
        assert got[0].label == "My set again" and got[0].steps[0].dose == hold(40)
        assert db.delete_user_routine("other") and not db.delete_user_routine("other")
        assert [r.name for r in db.user_routines()] == ["my-set"]
    # a damaged row is left out, not an error
    c = sqlite3.connect(db_path)
    c.execute("INSERT INTO routines VALUES ('bad', 'Bad', '[{\"activity\": 1}]', 'x')")
    c.commit()
    c.close()
    with HistoryDB(db_path) as db:
        assert [r.name for r in db.user_routines()] == ["my-set"]
