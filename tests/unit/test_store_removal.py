"""Deleting a session removes the files formcheck made for it inside its data folder
(never a clip of the user's elsewhere), and says what went; the data folder and its
files are for the user only."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from formcheck.errors import VideoError
from formcheck.render.video import AnnotatedVideoWriter
from formcheck.settings import data_dir
from formcheck.store.db import HistoryDB, save_analysis
from formcheck.store.values import resolve_db_path
from formcheck.ui import clips
from formcheck.ui.data import delete_session
from tests.fixtures.store import make_report
from tests.fixtures.store_schemas import SCHEMA_V3
from tests.unit.test_store_cli import history


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "home" / "formcheck"
    monkeypatch.setenv("FORMCHECK_HOME", str(h))
    monkeypatch.delenv("FORMCHECK_DB", raising=False)
    return h


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _write(path: Path, data: bytes = b"x" * 100) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _session(k: int, clip: Path, out: Path, cache: Path | None, db: Path) -> tuple[int, dict]:
    """A saved session of ``clip`` with its files written into ``out``."""
    report = make_report(k)
    report = dataclasses.replace(
        report,
        source=dataclasses.replace(report.source, path=str(clip)),
        pose=dataclasses.replace(report.pose, cache_path=str(cache) if cache else None),
    )
    files = {
        "report_json": _write(out / "report.json"),
        "report_html": _write(out / "report.html"),
        "annotated_video": _write(out / "annotated.mp4"),
        "keyframe_contact": _write(out / "keyframes" / "contact_t1.00s.jpg"),
    }
    return save_analysis(report, db, files), files


def test_delete_removes_the_session_s_files_in_the_data_folder_only(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = resolve_db_path()
    # an app session: upload copy, report folder and landmark cache in the data folder
    upload = _write(home / "uploads" / "20260501-073000-run.mp4", b"video of me" * 50)
    cache = _write(home / "cache" / "landmarks" / "abc-def-c0.npz")
    cache_meta = _write(cache.with_suffix(".json"))
    sid, files = _session(1, upload, home / "reports" / "run-1234abcd", cache, db)
    # a CLI session of the user's own clip, its report folder outside the data folder
    mine = _write(tmp_path / "clips" / "my run.mp4", b"my own clip" * 50)
    before = _sha(mine)
    sid2, files2 = _session(2, mine, tmp_path / "clips" / "my run-formcheck", None, db)

    assert history("delete", str(sid), "--yes") == 0
    out = capsys.readouterr().out
    for p in [upload, cache, cache_meta, *files.values()]:
        assert not p.exists(), p
        assert str(p) in out, p  # the message lists what was removed
    assert "uploaded clip" in out and "annotated video" in out and "landmark cache" in out
    assert not (home / "reports" / "run-1234abcd").exists()  # its emptied folder too
    assert (home / "reports").is_dir() and (home / "uploads").is_dir()
    assert db.exists()

    assert history("delete", str(sid2), "--yes") == 0
    out = capsys.readouterr().out
    assert mine.exists() and _sha(mine) == before  # the user's clip is never touched
    assert all(p.exists() for p in files2.values())  # nor files outside the data folder
    assert str(mine) in out and "Left in place" in out and "yours" in out
    with HistoryDB(db) as hdb:
        assert hdb.list_sessions() == []


def test_files_another_session_uses_are_kept(home: Path) -> None:
    """The same upload analysed for two activities shares its upload and report folder."""
    db = resolve_db_path()
    upload = _write(home / "uploads" / "20260501-073000-run.mp4")
    out = home / "reports" / "run-1234abcd"
    first, files = _session(1, upload, out, None, db)
    report = dataclasses.replace(
        make_report(2, activity="plank"),
        source=dataclasses.replace(make_report(2).source, path=str(upload)),
    )
    save_analysis(report, db, {"report_json": files["report_json"]})
    gone = delete_session(first)  # the app's delete action
    assert upload.exists() and files["report_json"].exists()
    assert {p for _, p, why in gone.kept if why == "shared"} == {upload, files["report_json"]}
    assert {p for _, p in gone.removed} == {
        files["report_html"],
        files["annotated_video"],
        files["keyframe_contact"],
    }


def test_a_link_out_of_the_data_folder_is_not_followed(home: Path, tmp_path: Path) -> None:
    db = resolve_db_path()
    mine = _write(tmp_path / "elsewhere" / "clip.mp4")
    link = home / "uploads" / "20260501-073000-clip.mp4"
    link.parent.mkdir(parents=True)
    link.symlink_to(mine)
    sid, _ = _session(1, link, home / "reports" / "x", None, db)
    gone = delete_session(sid)
    assert mine.exists() and (mine, "yours") in {(p.resolve(), w) for _, p, w in gone.kept}


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_the_data_folder_and_its_files_are_for_the_user_only(home: Path, umask_022: None) -> None:
    assert not home.exists()
    db = resolve_db_path()
    save_analysis(make_report(1), db)
    assert _mode(data_dir()) == 0o700 and _mode(home.parent) == 0o700  # both created here
    for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if f.exists():
            assert _mode(f) == 0o600, f
    assert _mode(db) == 0o600
    # an upload copy
    with pytest.raises(VideoError):  # not a video: refused and removed, the folder stays
        clips.store_upload(io.BytesIO(b"not a video"), "x.mp4", 1 << 20)
    assert _mode(clips.uploads_dir()) == 0o700
    # the annotated video of a report folder
    video = clips.reports_dir() / "run-1234abcd" / "annotated.mp4"
    with AnnotatedVideoWriter(video, 64, 48, 30.0) as w:
        for i in range(5):
            w.write(np.full((48, 64, 3), 40 * i, np.uint8), i / 30)
    assert _mode(video) == 0o600
    assert _mode(video.parent) == 0o700 and _mode(clips.reports_dir()) == 0o700


def test_an_upgrade_backup_is_for_the_user_only(home: Path, umask_022: None) -> None:
    import sqlite3

    home.mkdir(parents=True)
    db = home / "history.sqlite3"
    c = sqlite3.connect(db)
    c.executescript(SCHEMA_V3)
    c.close()
    with HistoryDB(db) as hdb:
        backup = hdb.last_backup
    assert backup is not None and _mode(backup) == 0o600
