"""The history store: round trip, de-duplication, trends, export, and refusing bad files."""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
from pathlib import Path

import pytest

from formcheck.errors import StoreError
from formcheck.settings import Profile, Settings
from formcheck.store.checks import APPLICATION_ID
from formcheck.store.db import HistoryDB, save_analysis
from formcheck.store.schema import CURRENT_VERSION
from formcheck.store.values import resolve_db_path, settings_fingerprint
from tests.fixtures.store import make_report


def nan_to_none(x: object) -> object:
    return None if isinstance(x, float) and not math.isfinite(x) else x


# ---------------------------------------------------------------------------------------
def test_every_connection_has_the_durability_pragmas(db_path: Path) -> None:
    with HistoryDB(db_path) as db:
        conn = db._c()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_db_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMCHECK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FORMCHECK_DB", raising=False)
    assert resolve_db_path() == tmp_path / "home" / "history.sqlite3"
    monkeypatch.setenv("FORMCHECK_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_db_path() == tmp_path / "env.sqlite3"
    assert resolve_db_path(tmp_path / "cli.sqlite3") == tmp_path / "cli.sqlite3"


def test_full_report_round_trip(db_path: Path) -> None:
    report = make_report(3)
    settings = Settings(profile=Profile(height_cm=178.0), thresholds={"cadence_low_spm": 165.0})
    with HistoryDB(db_path) as db:
        sid = db.begin_session("auto", source_path=report.source.path, settings=settings)
        assert db.get_session(sid).status == "running"
        kept = db.save_report(
            sid, report, artefacts={"report_json": "/out/r.json", "annotated_video": "/out/a.mp4"}
        )
        assert kept == sid
    with HistoryDB(db_path) as db:  # a fresh connection reads what was committed
        rec = db.get_session(sid)
    assert rec.status == "complete" and rec.note == ""
    # metrics, findings, warnings: exactly equal (floats bit for bit)
    assert rec.metrics == report.metrics
    assert list(rec.metrics) == list(report.metrics)  # order kept
    assert rec.findings == report.findings
    assert rec.notices == report.warnings
    # per-step rows: equal except NaN, which SQLite/JSON store as NULL
    steps = report.tables["steps"]
    assert rec.tables["steps"].columns == steps.columns
    assert rec.tables["steps"].units == steps.units
    assert rec.tables["steps"].rows == tuple(tuple(nan_to_none(v) for v in r) for r in steps.rows)
    # the whole report (frames, events, plots) comes back as report.json had it
    assert rec.report_dict == report.to_dict()
    assert rec.report().to_dict() == report.to_dict()
    # session facts
    assert rec.activity == "run" and rec.activity_requested == "auto"
    assert rec.source_sha256 == report.source.sha256
    assert rec.source_path == report.source.path
    assert rec.view == "side-left" and rec.fps == 29.97
    assert rec.duration_s == 30.0 and rec.analysed_s == 30.0
    assert rec.frames_total == 899 and rec.frames_with_pose == 870
    assert rec.model_sha256 == report.pose.model_sha256
    assert rec.formcheck_version == "0.1.0" and rec.versions == report.versions
    assert rec.profile == {
        "height_cm": 178.0,
        "leg_length_cm": None,
        "treadmill_kmh": None,
        "capture_fps": None,
    }
    assert rec.settings["thresholds"] == {"cadence_low_spm": 165.0}
    assert rec.settings_fingerprint == settings_fingerprint(settings)
    assert rec.artefacts == {
        "landmark_cache": report.pose.cache_path,
        "report_json": "/out/r.json",
        "annotated_video": "/out/a.mp4",
    }


def test_save_is_one_transaction(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure half-way through a save leaves the earlier state, not half a report."""
    with HistoryDB(db_path) as db:
        sid = db.begin_session("run")
        real = db._upsert_artefact

        def broken(conn: sqlite3.Connection, s: int, kind: str, path: object) -> None:
            if kind == "boom":
                raise sqlite3.OperationalError("disk I/O error")
            real(conn, s, kind, path)

        monkeypatch.setattr(db, "_upsert_artefact", broken)
        with pytest.raises(StoreError):
            db.save_report(sid, make_report(1), artefacts={"report_json": "/a", "boom": "/b"})
        rec = db.get_session(sid)
        assert rec.status == "running"
        assert rec.metrics == {} and rec.findings == [] and rec.artefacts == {}
        assert rec.report_dict is None


def test_same_clip_same_settings_is_not_duplicated(db_path: Path) -> None:
    first = save_analysis(make_report(1, cadence=170.0), db_path, {"annotated_video": "/v1.mp4"})
    again = save_analysis(make_report(1, cadence=171.5), db_path, {"report_json": "/r2.json"})
    assert again == first
    with HistoryDB(db_path) as db:
        assert [s.id for s in db.list_sessions()] == [first]
        rec = db.get_session(first)
        assert rec.metrics["cadence_spm"].value == 171.5  # the re-analysis replaced it
        # files of the first run that the second did not replace are still listed
        assert rec.artefacts["annotated_video"] == "/v1.mp4"
        assert rec.artefacts["report_json"] == "/r2.json"


def test_other_settings_or_activity_or_clip_make_new_sessions(db_path: Path) -> None:
    a = save_analysis(make_report(1), db_path, settings=Settings())
    b = save_analysis(make_report(1), db_path, settings=Settings(profile=Profile(height_cm=170)))
    c = save_analysis(make_report(1, activity="plank"), db_path, settings=Settings())
    d = save_analysis(make_report(2), db_path, settings=Settings())
    assert len({a, b, c, d}) == 4
    # only the cache location differs: same results, same session
    e = save_analysis(make_report(1), db_path, settings=Settings(cache_dir=Path("/elsewhere")))
    assert e == a


def test_partial_reanalysis_never_replaces_a_complete_session(db_path: Path) -> None:
    full = save_analysis(make_report(1, cadence=170.0), db_path)
    again = save_analysis(make_report(1, partial=True, decoded_s=8.0, cadence=150.0), db_path)
    assert again == full
    with HistoryDB(db_path) as db:
        assert len(db.list_sessions()) == 1
        rec = db.get_session(full)
        assert rec.status == "complete" and rec.metrics["cadence_spm"].value == 170.0


def test_complete_reanalysis_replaces_a_partial_one(db_path: Path) -> None:
    part = save_analysis(make_report(1, partial=True, decoded_s=8.0), db_path)
    with HistoryDB(db_path) as db:
        assert db.get_session(part).status == "partial"
    full = save_analysis(make_report(1), db_path)
    assert full == part
    with HistoryDB(db_path) as db:
        assert len(db.list_sessions()) == 1
        rec = db.get_session(full)
        assert rec.status == "complete" and rec.analysed_s == 30.0


def test_list_filters_and_order(db_path: Path) -> None:
    ids = {}
    for k, (day, act) in enumerate(
        [("03", "run"), ("01", "run"), ("02", "plank"), ("05", "run")], start=1
    ):
        ids[day] = save_analysis(
            make_report(k, activity=act, created_at=f"2026-05-{day}T07:30:00+00:00"), db_path
        )
    with HistoryDB(db_path) as db:
        assert [s.id for s in db.list_sessions()] == [ids[d] for d in ("05", "03", "02", "01")]
        assert [s.id for s in db.list_sessions(activity="run")] == [
            ids[d] for d in ("05", "03", "01")
        ]
        since = [s.id for s in db.list_sessions(since="2026-05-02T00:00:00+00:00")]
        assert since == [ids[d] for d in ("05", "03", "02")]
        assert db.list_sessions(activity="bird-dog") == []
        s = db.list_sessions(activity="plank")[0]
        assert s.flags == 1 and s.status == "complete" and s.source_path == "/clips/run_3.mp4"


def test_trend_is_per_session_medians_in_time_order(db_path: Path) -> None:
    """Sessions saved out of order come back oldest first; recorded_at beats analysis time."""
    cadences = {"2026-05-03": 172.0, "2026-05-01": 165.0, "2026-05-02": 168.5}
    for k, (day, cad) in enumerate(cadences.items(), start=1):
        save_analysis(make_report(k, cadence=cad, created_at=f"{day}T07:30:00+00:00"), db_path)
    # analysed last, but filmed first
    save_analysis(
        make_report(9, cadence=160.0, created_at="2026-06-01T07:30:00+00:00"),
        db_path,
        recorded_at="2026-04-20T18:00:00+00:00",
    )
    save_analysis(make_report(10, activity="plank"), db_path)  # another activity
    with HistoryDB(db_path) as db:
        running = db.begin_session("run")  # an analysis in progress: not in the trend
        trend = db.trend(["cadence_spm", "vertical_ratio_pct"], activity="run")
        assert running not in [p.session_id for p in trend.points]
        assert [p.values["cadence_spm"] for p in trend.points] == [160.0, 165.0, 168.5, 172.0]
        assert [p.when[:10] for p in trend.points] == [
            "2026-04-20",
            "2026-05-01",
            "2026-05-02",
            "2026-05-03",
        ]
        assert all(p.values["vertical_ratio_pct"] is None for p in trend.points)
        assert trend.units == {"cadence_spm": "steps/min", "vertical_ratio_pct": "%"}
        assert trend.points[0].n["cadence_spm"] == 12
        cols = trend.to_columns()
        assert cols["cadence_spm"] == [160.0, 165.0, 168.5, 172.0]
        assert cols["session_id"] == [p.session_id for p in trend.points]
        # default metrics: every metric measured at least once, unmeasurable ones left out
        assert db.trend(activity="run").metrics == (
            "cadence_spm",
            "overstride_leg",
            "trunk_lean_deg",
            "ground_contact_ms",
        )


def test_trend_partial_sessions_and_unit_changes(db_path: Path) -> None:
    save_analysis(make_report(1, created_at="2026-05-01T07:00:00+00:00"), db_path)
    save_analysis(
        make_report(2, partial=True, decoded_s=9.0, created_at="2026-05-02T07:00:00+00:00"),
        db_path,
    )
    r3 = make_report(3, created_at="2026-05-03T07:00:00+00:00")
    r3.metrics["ground_contact_ms"] = r3.metrics["ground_contact_ms"].__class__(0.25, "s", n=3)
    save_analysis(r3, db_path)
    with HistoryDB(db_path) as db:
        t = db.trend(["ground_contact_ms"], activity="run")
        assert [p.status for p in t.points] == ["complete", "partial", "complete"]
        assert t.units["ground_contact_ms"] == "s"  # the newest session's unit
        assert [p.values["ground_contact_ms"] for p in t.points] == [None, None, 0.25]
        assert t.unit_mismatches == {"ground_contact_ms": 2}
        assert len(db.trend(["cadence_spm"], activity="run", include_partial=False).points) == 2


def _stored_records(db_path: Path) -> list:
    with HistoryDB(db_path) as db:
        return [db.get_session(s.id) for s in db.list_sessions(newest_first=False)]


def _fill(db_path: Path) -> None:
    for k in range(1, 4):
        save_analysis(
            make_report(k, created_at=f"2026-05-0{k}T07:30:00+00:00"),
            db_path,
            {"report_json": f"/out/{k}/report.json"},
            settings=Settings(profile=Profile(height_cm=170 + k)),
        )
    with HistoryDB(db_path) as db:
        sid = db.begin_session("bird-dog", created_at="2026-05-04T07:30:00+00:00")
        db.mark_partial(sid)  # a session with no results at all


def test_json_export_equals_what_was_stored(db_path: Path) -> None:
    _fill(db_path)
    with HistoryDB(db_path) as db:
        data = json.loads(db.export("json"))
    records = _stored_records(db_path)
    assert data["schema"] == "formcheck.history/1"
    assert [s["id"] for s in data["sessions"]] == [r.id for r in records]
    assert data["sessions"] == [json.loads(json.dumps(r.to_dict())) for r in records]
    # and it is the report itself, not a summary of it
    assert (
        data["sessions"][0]["report"]
        == make_report(1, created_at="2026-05-01T07:30:00+00:00").to_dict()
    )


def test_csv_export_equals_what_was_stored(db_path: Path) -> None:
    _fill(db_path)
    with HistoryDB(db_path) as db:
        text = db.export("csv")
        steps_text = db.export("csv", table="steps")
        findings_text = db.export("csv", table="findings")
    records = {r.id: r for r in _stored_records(db_path)}

    def num(s: str) -> float | None:
        return None if s == "" else float(s)

    rows = list(csv.DictReader(io.StringIO(text)))
    seen = set()
    for row in rows:
        rec = records[int(row["session_id"])]
        assert row["activity"] == rec.activity and row["status"] == rec.status
        assert row["when"] == rec.when
        if row["metric"] == "":
            assert rec.metrics == {}
            seen.add((rec.id, None))
            continue
        m = rec.metrics[row["metric"]]
        assert num(row["value"]) == m.value  # exact, no rounding
        assert num(row["spread"]) == m.spread
        assert num(row["left"]) == m.left and num(row["right"]) == m.right
        assert int(row["n"]) == m.n and row["unit"] == m.unit
        assert row["confidence"] == m.confidence and row["note"] == m.note
        assert row["metric_status"] == (m.status or "")
        seen.add((rec.id, row["metric"]))
    expected = {(r.id, n) for r in records.values() for n in r.metrics}
    expected |= {(r.id, None) for r in records.values() if not r.metrics}
    assert seen == expected

    cells = list(csv.DictReader(io.StringIO(steps_text)))
    for rec in records.values():
        for name, t in rec.tables.items():
            got = [c for c in cells if int(c["session_id"]) == rec.id and c["table"] == name]
            assert len(got) == len(t.rows) * len(t.columns)
            for c in got:
                v = t.rows[int(c["row"])][t.columns.index(c["column"])]
                assert c["value"] == ("" if v is None else (repr(v) if isinstance(v, float) else v))
    f_rows = list(csv.DictReader(io.StringIO(findings_text)))
    assert len(f_rows) == sum(len(r.findings) for r in records.values())
    for row in f_rows:
        f = records[int(row["session_id"])].findings[int(row["idx"])]
        assert row["cue"] == f.cue and row["status"] == f.status and row["message"] == f.message
        assert num(row["value"]) == f.value


def test_delete_removes_everything_of_that_session_only(db_path: Path) -> None:
    _fill(db_path)
    with HistoryDB(db_path) as db:
        gone = db.delete_session(2)
        assert gone.artefacts["report_json"] == "/out/2/report.json"
        assert [s.id for s in db.list_sessions(newest_first=False)] == [1, 3, 4]
        for table in ("metrics", "findings", "notices", "step_tables", "step_rows", "artefacts"):
            left = db._c().execute(f"SELECT count(*) FROM {table} WHERE session_id = 2")
            assert left.fetchone()[0] == 0, table
        assert db.get_session(1).metrics and db.get_session(3).tables
        with pytest.raises(StoreError) as err:
            db.get_session(2)
        assert err.value.code == "no_such_session"


def test_backup_uses_sqlite_and_is_complete(db_path: Path, tmp_path: Path) -> None:
    _fill(db_path)
    with HistoryDB(db_path) as db:
        out = db.backup(tmp_path / "backups" / "copy.sqlite3")
    with HistoryDB(out) as copy, HistoryDB(db_path) as orig:
        assert (
            json.loads(copy.export("json"))["sessions"]
            == json.loads(orig.export("json"))["sessions"]
        )
        assert len(copy.list_sessions()) == 4
    assert not list((tmp_path / "backups").glob("*.partial"))
