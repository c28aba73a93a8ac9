"""Forward migrations: every earlier schema version upgrades to exactly the current one,
keeping its data, atomically, after a backup."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from formcheck.errors import StoreError
from formcheck.settings import Settings
from formcheck.store import schema
from formcheck.store.checks import APPLICATION_ID
from formcheck.store.db import HistoryDB, save_analysis
from formcheck.store.values import settings_fingerprint
from tests.fixtures.store import MODEL_SHA, clip_sha, make_report
from tests.fixtures.store_schemas import SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4
from tests.fixtures.store_v5 import SCHEMA_V5

REPO = Path(__file__).resolve().parents[2]

OLD_SCHEMAS = {1: SCHEMA_V1, 2: SCHEMA_V2, 3: SCHEMA_V3, 4: SCHEMA_V4, 5: SCHEMA_V5}


def test_every_older_version_has_a_frozen_schema() -> None:
    assert sorted(OLD_SCHEMAS) == list(range(1, schema.CURRENT_VERSION))


def describe(path: Path) -> dict[str, object]:
    """Everything about a schema that matters: columns (order, type, NOT NULL,
    default, key), foreign keys, indexes (columns, unique, partial WHERE)."""
    c = sqlite3.connect(path)
    out: dict[str, object] = {
        "user_version": c.execute("PRAGMA user_version").fetchone()[0],
        "application_id": c.execute("PRAGMA application_id").fetchone()[0],
    }
    for name, kind, sql in c.execute(
        "SELECT name, type, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall():
        if kind == "table":
            out[name] = {
                "columns": c.execute(f"PRAGMA table_info({name})").fetchall(),
                "foreign_keys": sorted(c.execute(f"PRAGMA foreign_key_list({name})").fetchall()),
                "indexes": sorted(
                    (r[2], r[3], tuple(x[2] for x in c.execute(f"PRAGMA index_info('{r[1]}')")))
                    for r in c.execute(f"PRAGMA index_list({name})").fetchall()
                ),
            }
        else:
            out[name] = (kind, " ".join(sql.replace("(", " ( ").replace(")", " ) ").split()))
    c.close()
    return out


def make_v1(path: Path) -> None:
    """A version-1 history as formcheck 0.1 wrote it: two finished sessions."""
    c = sqlite3.connect(path)
    c.executescript(SCHEMA_V1)
    c.execute("PRAGMA journal_mode = WAL")
    c.execute(
        "INSERT INTO sessions VALUES (1, '2026-01-05T07:00:00+00:00', 'run', '/clips/jan.mp4', "
        f"'{clip_sha(1)}', 'side-left', 30.0, 42.5, '{{\"height_cm\": 178}}', '0.0.9', "
        f"'{MODEL_SHA}')"
    )
    c.execute(
        "INSERT INTO sessions VALUES (2, '2026-01-12T07:00:00+00:00', 'glute-bridge', "
        "'/clips/br.mp4', NULL, 'side-right', 60.0, 20.0, NULL, '0.0.9', NULL)"
    )
    c.executemany(
        "INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (1, "cadence_spm", 166.25, "steps/min", 1.5, 40, None, None, "high"),
            (1, "overstride_leg", 0.131, "leg lengths", 0.02, 40, 0.12, 0.142, "medium"),
            (2, "reps", 10.0, "reps", None, 10, None, None, "high"),
        ],
    )
    c.execute(
        "INSERT INTO findings VALUES (1, 0, 'cadence', 'flag', 'cadence_spm', 166.25, "
        "'steps/min', '170-180 steps/min', 'A little quicker.', 'cues.md A4')"
    )
    c.commit()
    c.close()


def make_v2(path: Path) -> dict[str, object]:
    """A version-2 history: one session with the full report, tables and files."""
    report = make_report(1, created_at="2026-03-01T07:00:00+00:00")
    c = sqlite3.connect(path)
    c.executescript(SCHEMA_V2)
    c.execute("PRAGMA journal_mode = WAL")
    c.execute(
        "INSERT INTO sessions (id, created_at, activity, source_path, source_sha256, view, fps, "
        "duration_s, profile_json, formcheck_version, model_sha256, activity_requested, "
        "source_kind, source_size_bytes, settings_json, settings_fingerprint, versions_json, "
        "report_zlib) VALUES (1, ?, 'run', ?, ?, 'side-left', 29.97, 30.0, '{}', '0.1.0', ?, "
        "'auto', 'video', 1869048, '{}', ?, ?, ?)",
        (
            report.created_at,
            report.source.path,
            report.source.sha256,
            MODEL_SHA,
            settings_fingerprint(Settings()),
            json.dumps(report.versions),
            zlib.compress(json.dumps(report.to_dict()).encode()),
        ),
    )
    for name, m in report.metrics.items():
        c.execute(
            "INSERT INTO metrics VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (name, m.value, m.unit, m.spread, m.n, m.left, m.right, m.confidence, m.note),
        )
    for i, f in enumerate(report.findings):
        c.execute(
            "INSERT INTO findings VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (i, f.cue, f.status, f.metric, f.value, f.unit, f.target, f.message, f.source,
             f.priority, int(f.heuristic), f.frame),
        )  # fmt: skip
    c.execute("INSERT INTO notices VALUES (1, 0, 'vfr', 'Variable frame rate.', '[]')")
    c.execute("INSERT INTO step_tables VALUES (1, 'steps', '[\"t_s\"]', '[\"s\"]')")
    c.execute("INSERT INTO step_rows VALUES (1, 'steps', 0, '[0.5]')")
    c.execute("INSERT INTO step_rows VALUES (1, 'steps', 1, '[0.85]')")
    c.execute(
        "INSERT INTO artefacts VALUES (1, 1, 'report_json', '/out/mar/report.json', "
        "'2026-03-01T07:01:00+00:00')"
    )
    c.commit()
    c.close()
    return {"report": report}


def make_v3(path: Path) -> None:
    """A version-3 history (before metrics had a status): one finished session."""
    c = sqlite3.connect(path)
    c.executescript(SCHEMA_V3)
    c.execute(
        "INSERT INTO sessions (id, created_at, activity, status, updated_at) "
        "VALUES (1, '2026-06-01T07:00:00+00:00', 'run', 'complete', "
        "'2026-06-01T07:00:00+00:00')"
    )
    c.execute(
        "INSERT INTO metrics (session_id, name, value, unit, n) "
        "VALUES (1, 'cadence_spm', 171.0, 'steps/min', 30)"
    )
    c.commit()
    c.close()


def make_v4(path: Path) -> None:
    """A version-4 history (before findings kept their stretches): one session with a
    flagged finding."""
    c = sqlite3.connect(path)
    c.executescript(SCHEMA_V4)
    c.execute(
        "INSERT INTO sessions (id, created_at, activity, status, updated_at) "
        "VALUES (1, '2026-11-01T07:00:00+00:00', 'run', 'complete', "
        "'2026-11-01T07:00:00+00:00')"
    )
    c.execute(
        "INSERT INTO findings (session_id, idx, cue, status, metric, value, unit, message) "
        "VALUES (1, 0, 'trunk_lean', 'flag', 'trunk_lean_deg', 21.0, 'deg', 'Lean.')"
    )
    c.commit()
    c.close()


def make_v5(path: Path) -> None:
    """A version-5 history (before guided routines): one live bridge set."""
    c = sqlite3.connect(path)
    c.executescript(SCHEMA_V5)
    c.execute(
        "INSERT INTO sessions (id, created_at, activity, status, updated_at, source_kind) "
        "VALUES (1, '2026-12-01T07:00:00+00:00', 'glute-bridge', 'complete', "
        "'2026-12-01T07:00:00+00:00', 'webcam')"
    )
    c.commit()
    c.close()


def fresh_schema(tmp_path: Path) -> dict[str, object]:
    fresh = tmp_path / "fresh.sqlite3"
    with HistoryDB(fresh):
        pass
    return describe(fresh)


@pytest.mark.parametrize("version", sorted(OLD_SCHEMAS))
def test_old_version_migrates_to_exactly_the_current_schema(tmp_path: Path, version: int) -> None:
    old = tmp_path / f"v{version}.sqlite3"
    {1: make_v1, 2: make_v2, 3: make_v3, 4: make_v4, 5: make_v5}[version](old)
    assert describe(old)["user_version"] == version
    with HistoryDB(old) as db:
        assert db.last_backup is not None
    assert describe(old) == fresh_schema(tmp_path)
    assert describe(old)["user_version"] == schema.CURRENT_VERSION
    assert describe(old)["application_id"] == APPLICATION_ID
    # the status CHECK constraint exists after migration too
    c = sqlite3.connect(old)
    with pytest.raises(sqlite3.IntegrityError):
        c.execute("UPDATE sessions SET status = 'lost' WHERE id = 1")
    c.close()
    with HistoryDB(old) as db:  # opening again changes nothing
        assert db.last_backup is None
    assert describe(old)["user_version"] == schema.CURRENT_VERSION


def test_v1_data_survives_and_is_usable(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_v1(path)
    with HistoryDB(path) as db:
        backup = db.last_backup
        sessions = db.list_sessions(newest_first=False)
        assert [(s.id, s.activity, s.status) for s in sessions] == [
            (1, "run", "complete"),
            (2, "glute-bridge", "complete"),
        ]
        rec = db.get_session(1)
        assert rec.when == "2026-01-05T07:00:00+00:00"
        assert rec.analysed_s == 42.5 and rec.duration_s == 42.5 and rec.fps == 30.0
        assert rec.profile == {"height_cm": 178}
        assert rec.metrics["cadence_spm"].value == 166.25
        assert rec.metrics["overstride_leg"].left == 0.12
        assert rec.metrics["overstride_leg"].confidence == "medium"
        assert rec.findings[0].cue == "cadence" and rec.findings[0].priority == 50
        assert rec.report_dict is None and rec.report() is None  # v1 kept no full report
        assert rec.activity_requested == "run" and rec.source_kind == "video"
        # the old sessions take part in trends with the new ones
        new = save_analysis(
            make_report(5, cadence=171.0, created_at="2026-02-01T07:00:00+00:00"), path
        )
        t = db.trend(["cadence_spm"], activity="run")
        assert [(p.session_id, p.values["cadence_spm"]) for p in t.points] == [
            (1, 166.25),
            (new, 171.0),
        ]
    # the backup is the untouched version-1 file, made with VACUUM INTO
    assert backup is not None and backup.name.startswith("history.sqlite3.v1-backup-")
    assert describe(backup)["user_version"] == 1
    c = sqlite3.connect(backup)
    assert c.execute("SELECT count(*) FROM metrics").fetchone()[0] == 3
    c.close()


def test_v2_data_survives_and_deduplicates_with_new_saves(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    report = make_v2(path)["report"]
    with HistoryDB(path) as db:
        rec = db.get_session(1)
        assert rec.status == "complete"
        # a version-2 file never held statuses: they come back as None
        stored = {k: dataclasses.replace(m, status=None) for k, m in report.metrics.items()}  # type: ignore[attr-defined]
        assert rec.metrics == stored
        assert rec.report_dict == report.to_dict()  # type: ignore[attr-defined]
        assert rec.tables["steps"].rows == ((0.5,), (0.85,))
        assert rec.artefacts == {"report_json": "/out/mar/report.json"}
    # re-analysing the same clip with the same settings updates session 1
    again = save_analysis(make_report(1, cadence=175.0), path, settings=Settings())
    assert again == 1
    with HistoryDB(path) as db:
        assert len(db.list_sessions()) == 1
        rec = db.get_session(1)
        assert rec.metrics["cadence_spm"].value == 175.0
        assert rec.created_at == "2026-03-01T07:00:00+00:00"  # first analysed then


def test_v3_metrics_come_through_without_a_status(tmp_path: Path) -> None:
    old = tmp_path / "v3.sqlite3"
    make_v3(old)
    with HistoryDB(old) as db:
        m = db.get_session(1).metrics["cadence_spm"]
    assert m.value == 171.0 and m.status is None


def test_a_failed_migration_leaves_the_old_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    make_v1(path)
    before = describe(path)
    broken = dict(schema.MIGRATIONS)
    broken[2] = schema.MIGRATIONS[2] + "\nINSERT INTO no_such_table VALUES (1);\n"
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    with pytest.raises(StoreError):
        HistoryDB(path).open()
    assert describe(path) == before  # step 1->2 was rolled back with the failed step 2->3
    monkeypatch.undo()
    with HistoryDB(path) as db:
        assert len(db.list_sessions()) == 2


def test_two_processes_opening_an_old_file_at_once(tmp_path: Path) -> None:
    """Both upgrade-and-write at the same moment; the migration runs once, both succeed."""
    path = tmp_path / "history.sqlite3"
    make_v1(path)
    go = tmp_path / "go"
    go.touch()  # no waiting: both open (and migrate) as soon as they start
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.fixtures.store_worker",
                "write",
                str(path),
                tag,
                "5",
                str(go),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.strip().endswith("done")
    assert describe(path) == fresh_schema(tmp_path)
    with HistoryDB(path) as db:
        assert len(db.list_sessions()) == 2 + 10
        assert db.get_session(1).metrics["cadence_spm"].value == 166.25
