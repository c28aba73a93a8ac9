"""Checks before a history file is used, and bringing its layout up to date.

A file that is not an SQLite database, is damaged, belongs to another program
or was written by a newer formcheck is refused with a
:class:`~formcheck.errors.StoreError` before anything writes to it. Before a
schema migration the old file is backed up with ``VACUUM INTO`` (never a file
copy); the migration itself is one transaction.

formcheck's own file is recognised positively (:func:`check_identity`): it carries
:data:`APPLICATION_ID`, or it is an empty new database, or (a file from before the
id) it has application id 0, a user_version of 1-3 and exactly the tables and
columns formcheck had at that version (:data:`~formcheck.store.schema.OLD_LAYOUTS`).
Anything else, e.g. another program's file that happens to have a ``sessions``
table, is refused with code ``store_not_ours`` and left byte for byte as it was.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import formcheck.store.schema as schema
from formcheck.errors import StoreError
from formcheck.io import create_private_file, private_mkdir
from formcheck.store.errors import (
    damaged_error,
    hint_other_file,
    not_ours_error,
    read_only_error,
    translate,
    unreadable_error,
)

#: ``PRAGMA application_id`` of a formcheck history file ("FCHS").
APPLICATION_ID = 0x46434853

SQLITE_MAGIC = b"SQLite format 3\x00"

#: (path, size, mtime) of database files this process found sound, so the
#: integrity check runs once per version of the file, not on every open.
_CHECKED: set[tuple[str, int, int]] = set()


def precheck(p: Path, busy_timeout_ms: int) -> None:
    """Refuse a file that is not (or no longer) a formcheck history, before any write."""
    if p.is_dir():
        raise StoreError(
            f"The history path {p} is a folder, not a database file.",
            hint_other_file(),
            code="store_cannot_open",
        )
    try:
        size = p.stat().st_size
    except (FileNotFoundError, NotADirectoryError):
        return  # a new history; the folder is checked next
    except OSError as exc:
        raise unreadable_error(p, exc) from exc
    if size == 0:
        return  # an empty file holds nothing; SQLite treats it as a new database
    try:
        with open(p, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise unreadable_error(p, exc) from exc
    if not head.startswith(SQLITE_MAGIC):
        raise damaged_error(p, "it does not start with the SQLite header")
    if len(head) < 100:
        raise damaged_error(p, f"only {size} bytes, shorter than an SQLite header")
    # Read-only look inside: every page sound (quick_check, ~50 ms for a 10 MB
    # history), version not from the future, the file is formcheck's.
    st = p.stat()
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns)
    side = [Path(f"{p}{suffix}") for suffix in ("-wal", "-shm")]
    existed = [f.exists() for f in side]
    try:
        conn = sqlite3.connect(
            p.resolve().as_uri() + "?mode=ro",
            uri=True,
            timeout=busy_timeout_ms / 1000,
            isolation_level=None,
        )
    except sqlite3.Error as exc:
        raise translate(exc, p, "opening it") from exc
    try:
        try:
            conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
            version, app_id, layout, n_objects = identity(conn)
            if key not in _CHECKED:
                problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
                if problems != ["ok"]:
                    text = " ".join(" ".join(problems).split())
                    raise damaged_error(p, text.replace("*** in database main *** ", ""))
        except sqlite3.Error as exc:
            err = translate(exc, p, "checking it")
            if err.code in ("store_damaged", "store_locked", "store_not_ours"):
                raise err from exc
            return  # e.g. a hot WAL a read-only connection cannot replay: the rw open will
        finally:
            conn.close()
        check_identity(p, version, app_id, layout, n_objects)
    except StoreError as exc:
        if exc.code in ("store_damaged", "store_not_ours"):
            # the read-only look may have made an empty -wal and its -shm: remove
            # those (they did not exist before and hold nothing), never the file
            wal, shm = side
            if not existed[0] and wal.exists() and wal.stat().st_size == 0:
                wal.unlink(missing_ok=True)
                if not existed[1]:
                    shm.unlink(missing_ok=True)
        raise
    _CHECKED.add(key)


def identity(conn: sqlite3.Connection) -> tuple[int, int, dict[str, tuple[str, ...]], int]:
    """(user_version, application_id, table -> column names, number of schema objects)
    of a database, read without writing (SQLite's own ``sqlite_*`` tables left out)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    n_objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' "
            "ESCAPE '!' ORDER BY name"
        )
    ]
    layout = {
        n: tuple(r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?)", (n,)))
        for n in names
    }
    return version, app_id, layout, n_objects


def _foreign_detail(version: int, layout: dict[str, tuple[str, ...]]) -> str:
    names = sorted(layout)
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return (
        f"no formcheck application id, and its tables ({shown or 'none'}) are not those "
        f"of formcheck's layout version {version}"
    )


def check_identity(
    p: Path, version: int, app_id: int, layout: dict[str, tuple[str, ...]], n_objects: int
) -> None:
    """Refuse anything that is not positively formcheck's (see the module docstring),
    a newer layout, or a formcheck layout without its tables."""
    if app_id not in (0, APPLICATION_ID):
        raise not_ours_error(p, f"its application id is {app_id:#x}, formcheck's is "
                             f"{APPLICATION_ID:#x}")  # fmt: skip
    if app_id == 0:
        if version == 0 and n_objects == 0:
            return  # a new, empty database
        if schema.OLD_LAYOUTS.get(version) != layout:
            raise not_ours_error(p, _foreign_detail(version, layout))
        return  # a formcheck file from before the application id
    if version > schema.CURRENT_VERSION:
        raise StoreError(
            f"The history database {p} was written by a newer formcheck (schema "
            f"version {version}; this formcheck knows up to {schema.CURRENT_VERSION}). "
            "formcheck has not changed it.",
            "Update formcheck to use this history. " + hint_other_file(),
            code="store_too_new",
        )
    if version == 0 and n_objects:
        raise damaged_error(p, "it has formcheck's id and no layout version, but holds tables")
    if version >= 1 and "sessions" not in layout:
        raise damaged_error(p, "it has no sessions table")


def check_writable_location(p: Path) -> None:
    """Create the folder if needed; refuse a folder or file nobody may write to. A new
    history file is created here, empty, for the user only (SQLite gives its -wal and
    -shm files the same mode)."""
    folder = p.parent
    try:
        private_mkdir(folder)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise read_only_error(p, f"cannot create the folder {folder}: {exc.strerror}") from exc
        raise StoreError(
            f"Cannot create the folder {folder} for the history database {p}: "
            f"{exc.strerror or exc}.",
            "Check the path. " + hint_other_file(),
            code="store_cannot_open",
        ) from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        # WAL needs the -wal and -shm files beside the database
        raise read_only_error(p, f"the folder {folder} is not writable")
    if p.exists() and not os.access(p, os.W_OK):
        raise read_only_error(p, "the file is not writable")
    try:
        create_private_file(p)
    except OSError as exc:
        raise translate(exc, p, "creating it") from exc


def check_version_readonly(conn: sqlite3.Connection, p: Path) -> None:
    """A read-only history must already have the current layout (it cannot be upgraded)."""
    try:
        version, app_id, layout, n_objects = identity(conn)
    except sqlite3.Error as exc:
        raise translate(exc, p, "reading it") from exc
    check_identity(p, version, app_id, layout, n_objects)
    if version < schema.CURRENT_VERSION:
        raise StoreError(
            f"The history database {p} has an older layout (version {version}) "
            "and is read-only here, so it cannot be upgraded.",
            "Open it once from a writable location to upgrade it.",
            code="store_needs_upgrade",
        )


def backup_old_layout(conn: sqlite3.Connection, p: Path) -> Path | None:
    """Copy a file of an older layout aside (``VACUUM INTO``) before it is migrated;
    the copy's path, or None when there is nothing to migrate."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if not 0 < version < schema.CURRENT_VERSION:
            return None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        # the pid keeps two processes upgrading the same file in the same
        # second from writing one backup name (VACUUM INTO needs a new file)
        dest = p.with_name(f"{p.name}.v{version}-backup-{stamp}-{os.getpid()}")
        if create_private_file(dest):  # VACUUM INTO fills an empty file, keeping its mode
            try:
                conn.execute("VACUUM INTO ?", (str(dest),))
            except BaseException:
                if dest.stat().st_size == 0:
                    dest.unlink()
                raise
        return dest
    except (sqlite3.Error, OSError) as exc:
        raise translate(exc, p, "upgrading its layout") from exc


def migrate(conn: sqlite3.Connection, p: Path) -> None:
    """Create the tables of a new file, or bring an older layout forward, in ONE
    transaction (a failed step leaves the file as it was)."""
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] == schema.CURRENT_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version, app_id, layout, n_objects = identity(conn)
            check_identity(p, version, app_id, layout, n_objects)
            if version == 0:
                for stmt in split_sql(schema.CURRENT_SCHEMA):
                    conn.execute(stmt)
            else:
                for step in range(version, schema.CURRENT_VERSION):
                    for stmt in split_sql(schema.MIGRATIONS[step]):
                        conn.execute(stmt)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION}")
            bad = conn.execute("PRAGMA foreign_key_check").fetchall()
            if bad:
                raise damaged_error(p, f"{len(bad)} rows break foreign keys")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise translate(exc, p, "upgrading its layout") from exc


def split_sql(script: str) -> list[str]:
    """Statements of a script, without :meth:`executescript` (which commits)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement: {buf!r}")
    return out
