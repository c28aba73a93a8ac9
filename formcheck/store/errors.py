"""The store's problems as :class:`~formcheck.errors.StoreError`: a sentence and a hint.

:func:`translate` turns an sqlite3 or OS error into the one a user can act on
(locked, read-only, damaged, cannot open, disk full).
"""

from __future__ import annotations

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


def translate(exc: BaseException, path: Path, doing: str) -> StoreError:
    """A clear :class:`StoreError` for an sqlite3/OS error met while ``doing``."""
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
    if name.startswith("SQLITE_FULL") or "disk is full" in low:
        return StoreError(
            f"The disk holding {path} is full; the session could not be saved.",
            "Free some space and analyse again (the report files were written).",
            code="store_full",
        )
    if isinstance(exc, PermissionError):
        return read_only_error(path, msg)
    return StoreError(
        f"The history database {path} failed while {doing}: {msg}.",
        "Try again; if it keeps failing, back up the file and report the problem.",
        code="store_error",
    )
