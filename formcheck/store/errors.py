"""The store's problems as :class:`~formcheck.errors.StoreError`: a sentence and a hint.

:func:`translate` turns an sqlite3 or OS error into the one a user can act on
(locked, read-only, damaged, cannot open, disk full).
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from formcheck.errors import StoreError
from formcheck.store.values import BUSY_TIMEOUT_MS


def hint_other_file() -> str:
    return "Or choose another history file with --db PATH or the FORMCHECK_DB variable."


def damaged_error(path: Path, detail: str) -> StoreError:
    return StoreError(
        f"The history database {path} is damaged or is not a formcheck history file "
        f"({detail}). formcheck has not changed it.",
        "Restore it from a backup, or move it aside to start a new history "
        f"(`sqlite3 {path.name} .recover` may rescue its contents). " + hint_other_file(),
        code="store_damaged",
    )


def not_ours_error(path: Path, detail: str) -> StoreError:
    """Another program's SQLite file: refused before anything writes to it."""
    return StoreError(
        f"The file {path} is not a formcheck history: it is an SQLite database of "
        f"another program ({detail}). formcheck has not changed it.",
        "Leave it where it is and keep formcheck's history in another file: choose a new "
        "or existing formcheck history with --db PATH or the FORMCHECK_DB variable (or "
        "unset them for the default one).",
        code="store_not_ours",
    )


def read_only_error(path: Path, detail: str = "") -> StoreError:
    extra = f" ({detail})" if detail else ""
    return StoreError(
        f"Cannot write the history database {path}: the location is read-only{extra}.",
        "Check the folder's permissions, or keep the history somewhere writable. "
        + hint_other_file(),
        code="store_read_only",
    )


def unreadable_error(path: Path, exc: OSError) -> StoreError:
    return StoreError(
        f"Cannot read the history database {path}: {exc.strerror or exc}.",
        "Check the file's permissions. " + hint_other_file(),
        code="store_cannot_open",
    )


#: less free space than this on the disk turns SQLite's "disk I/O error" into "disk full"
#: (SQLite reports a write that found no room as an I/O error, not SQLITE_FULL)
NEARLY_FULL_BYTES = 1 << 20


def free_bytes(folder: Path) -> int | None:
    """Free space on the disk holding ``folder`` (None when it cannot be told)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n < 1e9 else f"{n / 1e9:.1f} GB"


def disk_full_error(path: Path, doing: str, needed: int | None = None) -> StoreError:
    """The disk holding ``path`` has no room left: where, how much is free (and needed)."""
    folder = path.parent
    free = free_bytes(folder)
    room = f"{_mb(free)} free" if free is not None else "no space left"
    if needed is not None:
        room += f", about {_mb(needed)} needed"
    if doing == "writing a backup":
        return StoreError(
            f"The backup {path} could not be written: the disk holding {folder} is full "
            f"({room}). The history itself is unchanged.",
            "Free some space there, or write the backup to another disk.",
            code="store_full",
        )
    return StoreError(
        f"The disk holding the history database {path} is full ({room} in {folder}), "
        f"so {doing} failed.",
        f"Free some space in {folder} and try again (the report files, if any, were written).",
        code="store_full",
    )


def _is_full(exc: BaseException, name: str, low: str, folder: Path) -> bool:
    if name.startswith("SQLITE_FULL") or "disk is full" in low:
        return True
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in low:
        free = free_bytes(folder)
        return free is not None and free < NEARLY_FULL_BYTES
    return False


def translate(exc: BaseException, path: Path, doing: str, needed: int | None = None) -> StoreError:
    """A clear :class:`StoreError` for an sqlite3/OS error met while ``doing``.

    ``needed``: the bytes the write needs, said when the disk is full.
    """
    if isinstance(exc, StoreError):
        return exc
    name = getattr(exc, "sqlite_errorname", "") or ""
    msg = str(exc)
    low = msg.lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in low or "busy" in low:
        return StoreError(
            f"The history database {path} is locked by another program: it stayed busy "
            f"for more than {BUSY_TIMEOUT_MS / 1000:.0f} s while {doing}. Nothing was changed.",
            "Close other programs using this file (another formcheck that is saving, a "
            "database browser) and try again. " + hint_other_file(),
            code="store_locked",
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in low or "read-only" in low:
        return read_only_error(path, msg)
    if (
        name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
        or "malformed" in low
        or ("not a database" in low)
    ):
        return damaged_error(path, msg)
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in low:
        return StoreError(
            f"Cannot open the history database {path} ({msg}).",
            "Check that its folder exists and is writable. " + hint_other_file(),
            code="store_cannot_open",
        )
    if _is_full(exc, name, low, path.parent):
        return disk_full_error(path, doing, needed)
    if isinstance(exc, PermissionError):
        return read_only_error(path, msg)
    return StoreError(
        f"The history database {path} failed while {doing}: {msg}.",
        "Try again; if it keeps failing, back up the file and report the problem.",
        code="store_error",
    )
