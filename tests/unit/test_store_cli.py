"""``formcheck history ...`` (formcheck/cli/history.py)."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest

from formcheck.cli import history as history_cli
from formcheck.store import AnalysisRecording
from formcheck.store.db import HistoryDB, save_analysis
from tests.fixtures.store import make_report


def history(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="formcheck")
    history_cli.register(parser.add_subparsers())
    args = parser.parse_args(["history", *argv])
    return args.func(args)


def listed_ids(out: str) -> list[str]:
    """Session ids of the table rows of `formcheck history` output."""
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("ID "))
    rows = []
    for ln in lines[start + 1 :]:
        if not ln.strip():
            break
        rows.append(ln.split()[0])
    return rows


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    save_analysis(
        make_report(1, created_at="2026-04-01T07:00:00+00:00"), path, {"report_json": "/o/1.json"}
    )
    save_analysis(make_report(2, activity="plank", created_at="2026-05-01T07:00:00+00:00"), path)
    save_analysis(make_report(3, created_at="2026-05-10T07:00:00+00:00", cadence=172.0), path)
    return path


def test_list_and_filters(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert history("--db", str(filled)) == 0
    out = capsys.readouterr().out
    assert listed_ids(out) == ["3", "2", "1"]  # newest first
    assert "run_1.mp4" in out and "3 session(s)" in out
    assert history("--db", str(filled), "--activity", "run", "--since", "2026-04-15") == 0
    out = capsys.readouterr().out
    assert listed_ids(out) == ["3"]
    assert "activity run" in out
    assert history("list", "--db", str(filled), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in data] == [3, 2, 1]
    assert data[0]["status"] == "complete" and data[0]["flags"] == 1


def test_db_from_environment_and_option_precedence(
    filled: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FORMCHECK_DB", str(filled))
    assert history("--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    other = tmp_path / "other.sqlite3"
    assert history("--db", str(other)) == 0  # --db wins over FORMCHECK_DB
    assert "No sessions yet" in capsys.readouterr().out
    assert not other.exists()  # reading an absent history creates nothing


def test_show_text_and_json(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert history("show", "1", "--db", str(filled)) == 0
    out = capsys.readouterr().out
    assert out.startswith("Session 1: run, complete")
    assert "cadence_spm" in out and "161.3" in out and "/o/1.json" not in out
    assert "add --files" in out  # where the files are, only when asked
    assert history("show", "1", "--files", "--db", str(filled)) == 0
    assert "/o/1.json" in capsys.readouterr().out
    assert "overstride" in out and "Table steps: 12 rows" in out
    cadence_line = next(line for line in out.splitlines() if "cadence_spm" in line)
    assert "work on" in cadence_line  # the status the analysis gave, as stored
    assert history("--db", str(filled), "show", "1", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    with HistoryDB(filled) as db:
        assert shown == json.loads(json.dumps(db.get_session(1).to_dict()))


def test_show_missing_session(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert history("show", "99", "--db", str(filled)) == 1
    assert "There is no session 99" in capsys.readouterr().err


def test_export_to_file_and_stdout(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exports" / "h.csv"
    assert history("export", "--format", "csv", "--out", str(out), "--db", str(filled)) == 0
    assert "Wrote 3 session(s)" in capsys.readouterr().err
    with HistoryDB(filled) as db:
        assert out.read_text() == db.export("csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert {r["session_id"] for r in rows} == {"1", "2", "3"}
    assert history("export", "--format", "json", "--activity", "plank", "--db", str(filled)) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in data["sessions"]] == [2]


def test_delete_refuses_without_a_terminal(
    filled: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # piped input, not a terminal
    assert history("delete", "2", "--db", str(filled)) == 2
    err = capsys.readouterr().err
    assert "not deleting session 2" in err and "--yes" in err
    with HistoryDB(filled) as db:
        assert len(db.list_sessions()) == 3


def test_delete_asks_on_a_terminal(
    filled: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", FakeTty("n\n"))
    assert history("delete", "2", "--db", str(filled)) == 0
    assert "Nothing deleted" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", FakeTty("y\n"))
    assert history("delete", "1", "--db", str(filled)) == 0
    out = capsys.readouterr().out
    assert "Delete session 1" in out and "Deleted session 1" in out
    assert "No files of it were in formcheck's data folder" in out  # /o/1.json: none
    with HistoryDB(filled) as db:
        assert [s.id for s in db.list_sessions()] == [3, 2]


def test_delete_with_yes(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert history("delete", "3", "--yes", "--db", str(filled)) == 0
    with HistoryDB(filled) as db:
        assert [s.id for s in db.list_sessions()] == [2, 1]
    assert history("delete", "3", "--yes", "--db", str(filled)) == 1
    assert "There is no session 3" in capsys.readouterr().err


def test_trend_command(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert history("trend", "--db", str(filled)) == 2  # two activities: must choose
    assert "--activity" in capsys.readouterr().err
    assert (
        history("trend", "--activity", "run", "--metric", "cadence_spm", "--db", str(filled)) == 0
    )
    out = capsys.readouterr().out
    rows = [ln.split() for ln in out.splitlines()[1:]]
    assert [r[0] for r in rows] == ["1", "3"]  # oldest first
    assert [r[-1] for r in rows] == ["161.3", "172.0"]


def test_backup_command(filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "bk.sqlite3"
    assert history("backup", str(dest), "--db", str(filled)) == 0
    assert "Backed up" in capsys.readouterr().out
    with HistoryDB(dest) as db:
        assert len(db.list_sessions()) == 3


def test_bad_arguments_are_usage_errors(filled: Path) -> None:
    with pytest.raises(SystemExit) as e:
        history("--since", "last tuesday", "--db", str(filled))
    assert e.value.code == 2
    with pytest.raises(SystemExit):
        history("show", "abc", "--db", str(filled))
    with pytest.raises(SystemExit):
        history("export", "--format", "xml", "--db", str(filled))


def test_damaged_history_is_reported_and_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "history.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    before = bad.read_bytes()
    assert history("--db", str(bad)) == 1
    err = capsys.readouterr().err
    assert err.startswith("formcheck: The history database") and "damaged" in err
    assert "Traceback" not in err
    assert AnalysisRecording(bad, "auto").save(make_report(1), {}) is None
    assert bad.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.sqlite3"]


def test_wired_into_the_formcheck_command(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = pytest.importorskip("formcheck.cli")
    assert cli.main(["history", "--db", str(filled), "show", "3"]) == 0
    assert "Session 3: run, complete" in capsys.readouterr().out
