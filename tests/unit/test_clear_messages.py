"""Issue 21, item 8: inputs and disks that fail in ordinary ways get a sentence that names
the thing and says what to do: a file without read permission, a pipe, a link, a
one-frame video, a full disk under the history or a backup. Each bad situation is
built here (a FIFO, a patched ``open``, a patched ``shutil.disk_usage``, a writer that
raises ENOSPC).
"""

from __future__ import annotations

import builtins
import errno
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import formcheck
from formcheck.errors import StoreError, VideoError
from formcheck.store.db import HistoryDB
from formcheck.store.errors import translate
from formcheck.video import probe
from tests.fixtures.media import Media, ffmpeg
from tests.unit.test_bad_inputs import assert_cli_fails_cleanly, assert_one_clear_line, run_cli
from tests.unit.test_store_cli import filled, history  # noqa: F401  (fixture)


# ---------------------------------------------------------------------------------------
# the input file
def _deny_reading(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """``open(path)`` raises PermissionError, as for a user without read permission."""
    real_open = builtins.open

    def guarded(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | os.PathLike) and Path(file) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)


def test_unreadable_file_names_path_and_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clip = tmp_path / "locked run.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(2000))
    _deny_reading(monkeypatch, clip)
    for call in (probe, formcheck.analyze):
        with pytest.raises(VideoError) as exc:
            call(clip)
        assert exc.value.code == "unreadable_file"
        assert_one_clear_line(exc.value, "permission", "chmod")
        assert str(clip) in exc.value.message, "name the path"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_for_real_cli(tmp_path: Path) -> None:
    clip = tmp_path / "locked.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(2000))
    clip.chmod(0)
    line = assert_cli_fails_cleanly(run_cli(tmp_path, clip), "permission")
    assert "locked.mp4" in line


def test_fifo_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "stream.mp4"
    os.mkfifo(fifo)
    with pytest.raises(VideoError) as exc:
        probe(fifo)  # must not block on opening the pipe either
    assert exc.value.code == "not_regular_file"
    assert_one_clear_line(exc.value, "not a regular file", "video file")
    assert "empty" not in str(exc.value) and "0 bytes" not in str(exc.value)
    assert "stream.mp4" in str(exc.value)


@pytest.mark.parametrize(
    "url", ["https://example.com/videos/myrun.mp4", "http://192.168.1.20:8080/run.mov"]
)
def test_url_is_a_link_not_a_file(tmp_path: Path, url: str) -> None:
    with pytest.raises(VideoError) as exc:
        probe(url)
    assert exc.value.code == "is_link"
    assert_one_clear_line(exc.value, "not links", "download")
    assert "no file at" not in str(exc.value).lower()
    assert url in exc.value.message, "the link as typed"


def test_url_cli_one_line(tmp_path: Path) -> None:
    line = assert_cli_fails_cleanly(
        run_cli(tmp_path, "https://example.com/videos/myrun.mp4"), "not links", "download"
    )
    assert "http:/" not in line.replace("https:/", "") and "No file at" not in line


def test_windows_drive_path_is_not_a_link(tmp_path: Path) -> None:
    with pytest.raises(VideoError) as exc:
        probe("C:/Users/me/run.mp4")
    assert exc.value.code == "missing_file"


@pytest.mark.clips
def test_one_frame_video_is_too_short(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    media = Media.for_session(tmp_path_factory.getbasetemp())
    clip = tmp_path / "one_frame.mp4"
    ffmpeg(
        "-i", media.get("jpeg"), "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip
    )
    info = probe(clip)
    assert not info.is_image and info.frame_count == 1
    with pytest.raises(VideoError) as exc:
        formcheck.analyze(clip, activity="run")
    assert exc.value.code == "one_frame"
    assert_one_clear_line(exc.value, "too short", "one frame", "2.5 s")
    assert "photo" not in str(exc.value)


# ---------------------------------------------------------------------------------------
# the disk under the history
def _free(monkeypatch: pytest.MonkeyPatch, free: int) -> None:
    real = shutil.disk_usage

    def fake(folder: Any) -> Any:
        u = real(folder)
        return type(u)(u.total, u.total - free, free)

    monkeypatch.setattr(shutil, "disk_usage", fake)


def test_disk_io_error_with_no_free_space_is_disk_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "history.sqlite3"
    err = sqlite3.OperationalError("disk I/O error")
    _free(monkeypatch, 0)
    full = translate(err, db, "saving the session")
    assert full.code == "store_full"
    assert_one_clear_line(full, "full", "0.0 MB free", str(tmp_path), "free some space")
    assert "i/o" not in str(full).lower()
    # with room on the disk it stays an I/O failure, not a disk-full claim
    _free(monkeypatch, 50 << 30)
    assert translate(err, db, "saving the session").code != "store_full"


def test_backup_on_a_full_disk_says_backup(
    filled: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import formcheck.store.export as export

    def no_room(dest: Path, write: Any) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "atomic_write", no_room)
    _free(monkeypatch, 0)
    dest = tmp_path / "bk" / "backup.sqlite3"
    with HistoryDB(filled) as db, pytest.raises(StoreError) as exc:
        db.backup(dest)
    assert exc.value.code == "store_full"
    assert_one_clear_line(exc.value, "backup", "could not be written", "free", "needed")
    assert str(dest.parent) in str(exc.value)
    assert "session" not in str(exc.value)
    # the command says the same, in one line, exit 1
    assert history("backup", str(dest), "--db", str(filled)) == 1
    err = capsys.readouterr().err
    assert "backup" in err and "could not be written" in err and "session" not in err


def test_backup_sqlite_full_says_backup(
    filled: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite's own "database or disk is full" during a backup talks about the backup."""
    import formcheck.store.export as export

    def full(dest: Path, write: Any) -> Path:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(export, "atomic_write", full)
    with HistoryDB(filled) as db, pytest.raises(StoreError) as exc:
        db.backup(tmp_path / "backup.sqlite3")
    assert exc.value.code == "store_full"
    assert "backup" in exc.value.message and "session" not in str(exc.value)
