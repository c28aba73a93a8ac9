"""Opening a history file and the transactions every store operation runs in.

Every connection uses ``journal_mode=WAL``, ``synchronous=FULL``,
``busy_timeout`` (:data:`~formcheck.store.values.BUSY_TIMEOUT_MS`) and
``foreign_keys=ON``. A write is one short ``BEGIN IMMEDIATE`` transaction, so
two processes can write at once: the second waits for the first instead of
failing, and a crash rolls a half-done write back.

Opening is serialised between processes (:func:`opening_lock`): checking a file,
creating it, switching it to WAL and bringing its layout forward happen one
process at a time. Two processes that opened a new history at the same moment
would otherwise deadlock on the switch to WAL (SQLite answers one of them "busy"
at once, without waiting) or read the other's file half made.

:class:`Connection` is the base of :class:`~formcheck.store.db.HistoryDB`;
the writing, reading and export parts build on its :meth:`Connection._write`
and :meth:`Connection._read`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Self

from formcheck.errors import StoreError
from formcheck.io import private_mkdir
from formcheck.store.checks import (
    backup_old_layout,
    check_identity,
    check_version_readonly,
    check_writable_location,
    identity,
    migrate,
    precheck,
)
from formcheck.store.errors import hint_other_file, read_only_error, translate
from formcheck.store.tables import session_row
from formcheck.store.values import BUSY_TIMEOUT_MS, resolve_db_path


class Connection:
    """One history file, opened on first use (see :class:`~formcheck.store.db.HistoryDB`
    for the parameters). Calls are serialised by a lock, so one object may be
    shared between threads; it must not be used after ``fork()``."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        readonly: bool = False,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        backup_before_migrate: bool = True,
    ) -> None:
        self.path = resolve_db_path(path)
        self.readonly = readonly
        self.busy_timeout_ms = int(busy_timeout_ms)
        self.backup_before_migrate = backup_before_migrate
        self.last_backup: Path | None = None
        self.recovered: list[int] = []
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._lock = threading.RLock()

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def open(self) -> Self:
        """Open the file (creating or migrating it if needed)."""
        self._open_connection()
        return self

    def _open_connection(self) -> bool:
        """Check, connect and migrate; False if it was open already."""
        with self._lock:
            if self._conn is not None:
                return False
            with opening_lock(self.path, not self.readonly, self.busy_timeout_ms):
                precheck(self.path, self.busy_timeout_ms)
                if not self.readonly:
                    check_writable_location(self.path)
                conn = self._connect(readonly=self.readonly)
                try:
                    if self.readonly:
                        check_version_readonly(conn, self.path)
                    else:
                        if self.backup_before_migrate:
                            dest = backup_old_layout(conn, self.path)
                            if dest is not None:
                                self.last_backup = dest
                        migrate(conn, self.path)
                except BaseException:
                    conn.close()
                    raise
            self._conn, self._pid = conn, os.getpid()
        return True

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                if self._pid == os.getpid():
                    self._conn.close()
                self._conn = None

    def _connect(self, readonly: bool) -> sqlite3.Connection:
        p = self.path
        try:
            if readonly:
                conn = self._connect_ro()
            else:
                conn = sqlite3.connect(
                    str(p),
                    timeout=self.busy_timeout_ms / 1000,
                    isolation_level=None,
                    check_same_thread=False,
                )
        except sqlite3.Error as exc:
            raise translate(exc, p, "opening it") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
            conn.execute("PRAGMA foreign_keys = ON")
            if readonly:
                conn.execute("PRAGMA query_only = ON")
            else:
                # again on this connection, before the first write (WAL changes the
                # header): the read-only look may have been skipped (a hot WAL)
                check_identity(p, *identity(conn))
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StoreError(
                        f"The history database {p} cannot use write-ahead logging "
                        f"(journal mode stayed {mode!r}); it may be on a network drive.",
                        "Keep the history on a local disk. " + hint_other_file(),
                        code="store_cannot_open",
                    )
            conn.execute("PRAGMA synchronous = FULL")
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error):
                raise translate(exc, p, "opening it") from exc
            raise
        return conn

    def _connect_ro(self) -> sqlite3.Connection:
        """A read-only connection. A WAL database in a folder nobody may write to has
        no ``-shm`` file and cannot get one; it is then opened as immutable (fine on a
        read-only medium, where no one else can be writing)."""
        uri = self.path.resolve().as_uri()
        last: sqlite3.Error | None = None
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            conn = sqlite3.connect(
                uri + query,
                uri=True,
                timeout=self.busy_timeout_ms / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.Error as exc:
                conn.close()
                last = exc
                if not getattr(exc, "sqlite_errorname", "").startswith("SQLITE_CANTOPEN"):
                    break
        assert last is not None
        raise last

    # -- transactions --------------------------------------------------------------------
    def _c(self) -> sqlite3.Connection:
        if self._conn is None:
            self.open()
        if self._pid != os.getpid():
            raise StoreError(
                "A history connection was used in a child process.",
                "Open a new HistoryDB after fork().",
                code="store_error",
            )
        assert self._conn is not None
        return self._conn

    @contextlib.contextmanager
    def _write(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One short write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``)."""
        if self.readonly:
            raise read_only_error(self.path, "opened read-only")
        with self._lock:
            conn = self._c()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise translate(exc, self.path, doing) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise translate(exc, self.path, doing) from exc
                raise

    @contextlib.contextmanager
    def _read(self, doing: str) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs."""
        with self._lock:
            conn = self._c()
            try:
                conn.execute("BEGIN")
            except sqlite3.Error as exc:
                raise translate(exc, self.path, doing) from exc
            try:
                yield conn
            except sqlite3.Error as exc:
                raise translate(exc, self.path, doing) from exc
            finally:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("COMMIT")

    def _require(self, conn: sqlite3.Connection, session_id: int) -> sqlite3.Row:
        """The session's row (raises StoreError ``no_such_session``)."""
        return session_row(conn, session_id, self.path)


@contextlib.contextmanager
def opening_lock(path: Path, exclusive: bool, timeout_ms: int) -> Iterator[None]:
    """Hold the history folder's opening lock while ``path`` is checked, created or
    upgraded: exclusive to open for writing, shared to read.

    The lock is an advisory ``flock`` on the folder itself, so no file is added
    beside a history (or beside a file that turns out not to be one) and the
    database file's own locks, which SQLite keeps, are not touched. It is held
    for the milliseconds of opening, waited for up to ``timeout_ms``; after that,
    or where ``flock`` does not exist (Windows) or the folder cannot be made,
    opening goes on without it and SQLite's own locking answers as before.
    """
    try:
        import fcntl
    except ImportError:  # no flock (Windows)
        yield
        return
    try:
        if exclusive:  # a new history's folder (reading never makes one)
            private_mkdir(path.parent)
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # said by the checks that follow, with their own words
        yield
        return
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break  # another opening hangs: go on and let SQLite say "busy"
                time.sleep(0.01)
            except OSError:
                break  # a filesystem without flock
        yield
    finally:
        os.close(fd)  # releases the lock
