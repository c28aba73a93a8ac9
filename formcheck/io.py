"""File writing that never leaves a half-written file that looks complete, and
folders and files for the user only.

Everything formcheck creates (the data folder, the history database, uploads,
reports, caches) is for the user only: folders 0o700, files 0o600, whatever the
umask (created with that mode, then chmod-ed, since a umask can only take bits
away). Folders and files that already exist keep their modes.

A clip is shown to the user by :func:`clip_label` (its own name for a copy inside
the data folder, never the stored path).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from formcheck.settings import data_dir

#: Modes of the folders and files formcheck creates.
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_mkdir(folder: Path | str) -> Path:
    """Create ``folder`` and its missing parents, each for the user only (0o700);
    like ``mkdir(parents=True, exist_ok=True)``, existing folders left as they are."""
    folder = Path(folder)
    missing: list[Path] = []
    p = folder
    while not p.is_dir() and p.parent != p:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            os.mkdir(d, PRIVATE_DIR)
        except FileExistsError:
            if not d.is_dir():
                raise
            continue  # made meanwhile by someone else: left as it is
        os.chmod(d, PRIVATE_DIR)
    return folder


def folder_blocker(folder: Path | str) -> tuple[Path, bool] | None:
    """What stops files being written into ``folder`` (made later if missing), or None.

    The folder, or its nearest parent that exists, must be a folder this user can write
    into: (that path, True) when it is a file, (that path, False) when it cannot be
    written (permissions, a read-only disk). Nothing is created.
    """
    p = Path(folder).absolute()
    while not p.exists() and p.parent != p:
        p = p.parent
    if not p.is_dir():
        return p, True
    if not os.access(p, os.W_OK | os.X_OK):
        return p, False
    return None


def create_private_file(path: Path | str) -> bool:
    """Create an empty file for the user only (0o600) unless it exists; whether it did."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    os.close(fd)
    os.chmod(path, PRIVATE_FILE)
    return True


def atomic_write(path: Path, write: Callable[[Path], None], temp: Path | None = None) -> Path:
    """Write ``path`` through a temporary file in the same folder, then rename.

    ``write(tmp_path)`` produces the content. The temporary file is fsynced and
    renamed over ``path`` with :func:`os.replace`, then the folder is fsynced, so a
    crash leaves either the old file or the new one, never a torn one. ``temp``: the
    temporary file's path (beside ``path``), for a caller that must find a killed
    writer's leftover again; by default a fresh hidden name.
    """
    path = Path(path)
    private_mkdir(path.parent)
    if temp is None:
        # mkstemp makes the file 0o600, which os.replace keeps
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        tmp = Path(tmp_name)
    else:
        tmp = Path(temp)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """Write text (UTF-8) atomically; see :func:`atomic_write`."""
    return atomic_write(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def file_size(path: Path) -> int:
    """The file's size in bytes; 0 when it cannot be read (missing, no permission)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def clip_name(path: str | Path) -> str:
    """The name the user gave a clip: its file name, less the time prefix that app
    uploads stored before formcheck 0.1.2 carry (``20260501-073000-run.mp4``)."""
    return re.sub(r"^\d{8}-\d{6}-", "", Path(path).name)


def clip_label(path: str | Path | None, missing: str = "-") -> str:
    """A clip as shown to the user: a clip of the user's by its path, one inside
    formcheck's data folder (an app upload) by its name only, so no internal folder
    or stored name is ever shown."""
    if not path:
        return missing
    p = Path(path)
    try:
        inside = p.resolve().is_relative_to(data_dir().resolve())
    except OSError:
        inside = False
    return clip_name(p) if inside else str(p)
