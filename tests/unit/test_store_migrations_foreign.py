"""Histories that are not formcheck's: refused untouched; formcheck's own old files
recognised; the application id."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from formcheck.errors import StoreError
from formcheck.store import schema
from formcheck.store.checks import APPLICATION_ID
from formcheck.store.db import HistoryDB, save_analysis
from tests.fixtures.store import make_report
from tests.fixtures.store_schemas import SCHEMA_V1
from tests.unit.test_store_migrations import OLD_SCHEMAS, describe


def _files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def make_foreign(path: Path, version: int) -> None:
    """Another program's SQLite file (a web app's login store) that happens to have a
    ``sessions`` table and a user_version formcheck once used."""
    c = sqlite3.connect(path)
    c.executescript(
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER, token TEXT, "
        "created_at TEXT NOT NULL, expires_at TEXT);"
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);"
        "INSERT INTO users VALUES (1, 'ann');"
        "INSERT INTO sessions VALUES (1, 1, 'abc', '2026-01-01', '2026-02-01');"
        f"PRAGMA user_version = {version};"
    )
    c.commit()
    c.close()


@pytest.mark.parametrize("version", [1, 2, 3])
@pytest.mark.parametrize("shape", ["web app", "v1 sessions, other tables"])
def test_a_foreign_file_with_a_sessions_table_is_refused_untouched(
    tmp_path: Path, version: int, shape: str
) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    path = folder / "app.db"
    if shape == "web app":
        make_foreign(path, version)
    else:  # formcheck's v1 sessions table, but beside tables formcheck never had
        c = sqlite3.connect(path)
        c.executescript(SCHEMA_V1.replace("PRAGMA user_version = 1;", ""))
        c.executescript(f"CREATE TABLE playlists (id INTEGER); PRAGMA user_version = {version};")
        c.close()
    before = _files(folder)
    assert sorted(before) == ["app.db"]
    for attempt in (
        lambda: HistoryDB(path).open(),
        lambda: save_analysis(make_report(1), path),
        lambda: HistoryDB(path, readonly=True).open(),
        lambda: HistoryDB(path, backup_before_migrate=False).open(),
    ):
        with pytest.raises(StoreError) as err:
            attempt()
        assert err.value.code == "store_not_ours"
        msg = str(err.value)
        assert str(path) in msg and "not a formcheck history" in msg and "not changed it" in msg
        assert "--db" in err.value.hint and "FORMCHECK_DB" in err.value.hint
    # same bytes; no -wal, -shm or backup beside it; still a rollback-journal file
    assert _files(folder) == before
    c = sqlite3.connect(path)
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    c.close()


@pytest.mark.parametrize("version", sorted(schema.OLD_LAYOUTS))
def test_formcheck_s_own_old_files_are_recognised_by_their_tables(
    tmp_path: Path, version: int
) -> None:
    """Old formcheck files carry no application id: their exact tables and columns say
    they are formcheck's (schema.OLD_LAYOUTS must match the frozen DDL)."""
    old = tmp_path / "old.sqlite3"
    c = sqlite3.connect(old)
    c.executescript(OLD_SCHEMAS[version])
    c.close()
    assert describe(old)["application_id"] == 0
    with HistoryDB(old) as db:
        assert db.list_sessions() == []
    assert describe(old)["application_id"] == APPLICATION_ID
    assert describe(old)["user_version"] == schema.CURRENT_VERSION


def test_a_new_history_gets_formcheck_s_application_id(tmp_path: Path) -> None:
    path = tmp_path / "new" / "history.sqlite3"
    save_analysis(make_report(1), path)
    assert describe(path)["application_id"] == APPLICATION_ID == 0x46434853


def test_the_writing_connection_checks_the_owner_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even when the read-only look before opening is skipped (it gives way to a hot WAL
    it cannot replay), nothing switches another program's file to WAL."""
    import formcheck.store.connect as connect

    monkeypatch.setattr(connect, "precheck", lambda *a: None)
    path = tmp_path / "app.db"
    make_foreign(path, 2)
    before = _files(tmp_path)
    with pytest.raises(StoreError) as err:
        HistoryDB(path).open()
    assert err.value.code == "store_not_ours"
    assert _files(tmp_path) == before
