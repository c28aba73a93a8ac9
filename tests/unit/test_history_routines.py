"""Guided routines in the command line history, the export and the deletes
(formcheck/cli/history_routines.py, store/routines.py, store/routine_export.py)."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest

from formcheck.cli import history as history_cli
from formcheck.errors import StoreError
from formcheck.pipeline.routine import summary_line
from formcheck.routines import Routine, RoutineStep, hold, reps
from formcheck.store.db import HistoryDB, save_analysis
from formcheck.ui import data
from tests.fixtures.store import make_report


def history(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="formcheck")
    history_cli.register(parser.add_subparsers())
    args = parser.parse_args(["history", *argv])
    return args.func(args)


def step(activity: str, sid: int | None, status: str = "done", **kw: object) -> dict:
    d = {"activity": activity, "amount": 10.0, "measure": "reps", "per": "total",
         "done": {"total": 10.0}, "total": 10.0, "status": status, "met": status == "done",
         "form_s": {}, "notes": [], "session_id": sid, "split": False}  # fmt: skip
    d.update(kw)
    return d


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """Sessions 1-11; routine record 1 names sessions 1 and 2 (moves 1 and 2 of 3),
    routine record 2 names session 11 only (its id holds a "1": not session 1's)."""
    path = tmp_path / "history.sqlite3"
    for n, act in ((1, "glute-bridge"), (2, "plank"), (3, "run")):
        save_analysis(make_report(n, activity=act, created_at=f"2026-05-0{n}T07:00:00+00:00"), path)
    with HistoryDB(path) as db:
        for n in range(4, 11):  # sessions 4-10, then 11
            db.add_report(make_report(n, created_at="2026-05-05T07:00:00+00:00"))
        eleven = db.add_report(
            make_report(11, activity="plank", created_at="2026-05-06T07:00:00+00:00")
        )
        assert eleven == 11
        side = step("bird-dog", None, "skipped", per="side", done={"left": 10.0, "right": 4.0},
                    notes=["hips rotating for 3 s"], split=True)  # fmt: skip
        steps = [step("glute-bridge", 1), step("plank", 2, measure="hold_s"), side]
        summary = {"name": "core-and-glute", "label": "Core and glutes", "complete": False,
                   "steps": steps}  # fmt: skip
        assert db.add_routine_run(summary, complete=False) == 1
        other = {"name": "my-set", "label": "My set", "complete": True,
                 "steps": [step("plank", 11, measure="hold_s")]}  # fmt: skip
        assert db.add_routine_run(other, complete=True) == 2
        db.save_user_routine(Routine("my-set", "My set", (RoutineStep("plank", hold(20)),)))
    return path


# -- deleting a move's session keeps the routine records consistent ----------------------------
def test_deleting_a_moves_session_says_so_in_its_routine_record(filled: Path) -> None:
    with HistoryDB(filled) as db:
        db.delete_session_and_files(1, root=filled.parent)
        run = db.get_routine_run(1)
        first, second = run.summary["steps"][:2]  # type: ignore[index]
        assert first["session_id"] is None and first["session_deleted"] is True
        assert first["total"] == 10.0 and first["status"] == "done"  # what was done stays
        assert second["session_id"] == 2 and "session_deleted" not in second
        assert run.session_ids == [2]
        assert db.get_routine_run(2).session_ids == [11]  # another session's record untouched
        assert db.routine_of_session(1) is None and db.routine_of_session(2)[1] == 1  # type: ignore[index]
        # the other delete path (the API's), down to no session at all: the record stays
        db.delete_session(2)
        run = db.get_routine_run(1)
        assert run.session_ids == [] and run.summary["steps"][1]["session_deleted"] is True  # type: ignore[index]
    assert "deleted from the history" in summary_line(run.summary["steps"][0])  # type: ignore[index]


def test_the_apps_delete_keeps_routine_records_consistent(filled: Path) -> None:
    data.delete_session(11, db=filled)
    with HistoryDB(filled) as db:
        s = db.get_routine_run(2).summary["steps"][0]  # type: ignore[index]
    assert s["session_id"] is None and s["session_deleted"] is True


def test_a_routine_record_can_be_deleted_and_its_sessions_stay(filled: Path) -> None:
    with HistoryDB(filled) as db:
        gone = db.delete_routine_run(1)
        assert gone.label == "Core and glutes"
        assert [r.id for r in db.list_routine_runs()] == [2]
        assert {1, 2} <= {s.id for s in db.list_sessions()}
        with pytest.raises(StoreError):
            db.delete_routine_run(1)


# -- the command line ---------------------------------------------------------------------------
def test_history_lists_the_routine_of_each_session_and_the_routines_done(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert history("--db", str(filled)) == 0
    out = capsys.readouterr().out
    rows = {ln.split()[0]: ln for ln in out.splitlines() if ln[:1].isdigit() and "R" in ln[5:]}
    rows |= {ln.split()[0]: ln for ln in out.splitlines()[1:12]}
    assert "ROUTINE" in out.splitlines()[0]
    assert rows["1"].endswith("R1 1/3") and rows["2"].endswith("R1 2/3")
    assert rows["11"].endswith("R2 1/1") and rows["3"].rstrip().endswith("-")
    assert history("--db", str(filled), "--json") == 0
    listed = {d["id"]: d["routine"] for d in json.loads(capsys.readouterr().out)}
    assert listed[2] == "R1 2/3" and listed[3] is None
    assert history("routines", "--db", str(filled)) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith("1 "))
    assert "Core and glutes" in line and "partial" in line and "2/3" in line and "#1, #2" in line
    assert history("routines", "--db", str(filled), "--json") == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [2, 1]


def test_show_a_session_says_its_routine_and_move(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert history("show", "2", "--db", str(filled)) == 0
    out = capsys.readouterr().out
    assert "routine    Core and glutes (routine record 1), move 2 of 3: plank" in out
    assert history("show", "3", "--db", str(filled)) == 0
    assert "routine " not in capsys.readouterr().out
    assert history("show", "2", "--json", "--db", str(filled)) == 0
    shown = json.loads(capsys.readouterr().out)["routine"]
    assert shown["routine_run_id"] == 1 and shown["step"] == 2


def test_show_a_routine_done_with_its_moves_and_sessions(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert history("routine", "1", "--db", str(filled)) == 0
    out = capsys.readouterr().out
    assert out.startswith("Routine record 1: Core and glutes: 2 of 3 moves done, partial")
    assert "1. Glute bridge: 10/10 reps (done)  [session 1]" in out
    assert "3. Bird dog: left 10/10, right 4/10 reps (skipped); hips rotating for 3 s" in out
    sessions = out.split("The moves' sessions")[1].splitlines()[2:]
    assert [ln.split()[0] for ln in sessions] == ["1", "2"]
    assert history("delete", "1", "--yes", "--db", str(filled)) == 0
    assert "It was Core and glutes (routine record 1), move 1 of 3" in capsys.readouterr().out
    assert history("routine", "1", "--db", str(filled)) == 0
    out = capsys.readouterr().out
    assert "Glute bridge: 10/10 reps (done); its recorded set was deleted" in out
    assert "[session 1]" not in out
    assert history("routine", "1", "--json", "--db", str(filled)) == 0
    assert [s["id"] for s in json.loads(capsys.readouterr().out)["sessions"]] == [2]
    assert history("routine", "9", "--db", str(filled)) == 1
    assert "There is no routine record 9" in capsys.readouterr().err


def test_delete_a_routine_record_from_the_command_line(
    filled: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # not a terminal: must say --yes
    assert history("delete-routine", "1", "--db", str(filled)) == 2
    assert "--yes" in capsys.readouterr().err
    assert history("delete-routine", "1", "--yes", "--db", str(filled)) == 0
    assert "Routine record 1 deleted" in capsys.readouterr().out
    with HistoryDB(filled) as db:
        assert [r.id for r in db.list_routine_runs()] == [2]
        assert len(db.list_sessions()) == 11


# -- the export ---------------------------------------------------------------------------------
def test_json_export_holds_the_routines_done_and_my_routines(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert history("export", "--format", "json", "--db", str(filled)) == 0
    exported = json.loads(capsys.readouterr().out)
    with HistoryDB(filled) as db:
        assert exported["routine_runs"] == [db.get_routine_run(1).to_dict(),
                                            db.get_routine_run(2).to_dict()]  # fmt: skip
    assert [r["name"] for r in exported["routines"]] == ["my-set"]
    assert exported["routines"][0]["steps"][0]["activity"] == "plank"
    assert len(exported["sessions"]) == 11
    # filtered: only the routines done with a move of that activity
    assert history("export", "--format", "json", "--activity", "glute-bridge",
                   "--db", str(filled)) == 0  # fmt: skip
    assert [r["id"] for r in json.loads(capsys.readouterr().out)["routine_runs"]] == [1]


def test_csv_export_of_the_routines(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert history("export", "--format", "csv", "--table", "routine_runs", "--db", str(filled)) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    bird = [r for r in rows if r["activity"] == "bird-dog"]
    assert [(r["key"], r["done"]) for r in bird] == [("left", "10.0"), ("right", "4.0")]
    assert bird[0]["notes"] == "hips rotating for 3 s" and bird[0]["step_status"] == "skipped"
    assert {r["routine_run_id"] for r in rows} == {"1", "2"}
    assert history("export", "--format", "csv", "--table", "routines", "--db", str(filled)) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["routine"], r["activity"], r["amount"]) for r in rows] == [
        ("my-set", "plank", "20.0")
    ]
    dest = filled.parent / "runs.csv"
    assert history("export", "--format", "csv", "--table", "routine_runs", "--out", str(dest),
                   "--db", str(filled)) == 0  # fmt: skip
    assert "Wrote 2 routine(s)" in capsys.readouterr().err
    assert len(list(csv.DictReader(io.StringIO(dest.read_text())))) == 5  # 1+1+2 sides; 1


def test_export_of_an_empty_history_has_no_routines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert history("export", "--format", "json", "--db", str(tmp_path / "none.sqlite3")) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["routine_runs"] == [] and out["routines"] == []
    with HistoryDB(tmp_path / "h.sqlite3") as db:
        assert json.loads(db.export("json"))["routine_runs"] == []
    none = str(tmp_path / "none.sqlite3")
    assert history("routines", "--db", none) == 0
    assert "No guided routine done yet" in capsys.readouterr().out
    assert history("routine", "1", "--db", none) == 1
    assert "no routine record 1" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite3").exists()


# -- the user's own routines ----------------------------------------------------------------------
def test_rename_my_routine(filled: Path) -> None:
    with HistoryDB(filled) as db:
        db.save_user_routine(Routine("evening", "Evening", (RoutineStep("bird-dog", reps(5)),)))
        got = db.rename_user_routine("my-set", "Morning core")
        assert (got.name, got.label) == ("morning-core", "Morning core")
        assert sorted((r.name, r.label) for r in db.user_routines()) == [
            ("evening", "Evening"), ("morning-core", "Morning core")]  # fmt: skip
        mine = next(r for r in db.user_routines() if r.name == "morning-core")
        assert mine.steps == (RoutineStep("plank", hold(20)),)
        with pytest.raises(StoreError, match="already have a routine called 'Evening'"):
            db.rename_user_routine("morning-core", "evening")
        with pytest.raises(StoreError):
            db.rename_user_routine("nope", "Other")
        with pytest.raises(StoreError):
            db.rename_user_routine("evening", "  ")
        assert db.rename_user_routine("evening", "Evening set").name == "evening-set"
