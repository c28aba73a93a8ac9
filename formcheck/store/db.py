"""`HistoryDB`: every analysed session kept in one SQLite file, safely.

How it keeps data (see shared/docs/pitfalls.md, "Losing saved history"):

- every connection uses ``journal_mode=WAL``, ``synchronous=FULL``,
  ``busy_timeout=5000`` and ``foreign_keys=ON``;
- every write is one short ``BEGIN IMMEDIATE`` transaction, so two processes
  (the app and a CLI batch) can write at once: the second waits for the first
  instead of failing, and a crash rolls a half-done write back;
- a session row is created with status ``running`` when an analysis *starts*;
  progress and partial results are stored as they come; the final report is
  saved in one transaction as ``complete`` or ``partial``. If the process dies,
  the next open finds the ``running`` row whose process is gone and marks it
  ``partial``, keeping what was stored;
- a file that is not an SQLite database, is damaged, or was written by a newer
  formcheck is refused with a :class:`~formcheck.errors.StoreError` and never
  written to. Before a schema migration the old file is backed up with
  ``VACUUM INTO`` (never a file copy).

Re-analysing the same clip (same sha256) for the same activity with the same
settings and model does not add a session: the existing session (same id) gets
the new results, unless the new run is only partial and the stored one is more
complete, in which case the stored one is kept.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import errno
import hashlib
import io
import json
import math
import os
import socket
import sqlite3
import threading
import zlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from formcheck.errors import StoreError
from formcheck.report.model import Report
from formcheck.results import Finding, Metric, Notice, Table
from formcheck.settings import Settings, data_dir
from formcheck.store import schema
from formcheck.store.records import (
    SessionRecord,
    SessionSummary,
    Trend,
    TrendPoint,
    metric_to_dict,
)

DB_FILENAME = "history.sqlite3"

#: Milliseconds a connection waits for another writer before giving up.
BUSY_TIMEOUT_MS = 5000

#: ``PRAGMA application_id`` of a formcheck history file ("FCHS").
APPLICATION_ID = 0x46434853

#: A running session owned by a process on *another* host (a shared folder)
#: cannot be checked for liveness; it counts as stale after this long without
#: progress. Same on systems where process liveness cannot be checked.
STALE_UNCHECKABLE_S = 12 * 3600

SQLITE_MAGIC = b"SQLite format 3\x00"

#: (path, size, mtime) of database files this process found sound, so the
#: integrity check runs once per version of the file, not on every open.
_CHECKED: set[tuple[str, int, int]] = set()

EXPORT_SCHEMA = "formcheck.history/1"

EXPORT_TABLES = ("metrics", "sessions", "findings", "steps")

NOTE_CRASHED = (
    "The analysis stopped before it finished (formcheck was closed or crashed); "
    "what was saved until then is kept."
)
NOTE_INTERRUPTED = "Stopped before the end; this covers the part analysed."


# ---------------------------------------------------------------------------------------
# small helpers
def resolve_db_path(path: Path | str | None = None) -> Path:
    """The database file: ``path`` (``--db``), else ``$FORMCHECK_DB``, else the data folder."""
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    env = os.environ.get("FORMCHECK_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILENAME


def now_utc() -> str:
    """Now as ISO 8601 UTC with seconds (the store's time format)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def to_utc_iso(value: str | datetime | date | None) -> str | None:
    """Normalise a time to the store's format (ISO 8601 UTC, seconds).

    A date means local midnight; a time without a zone is local time.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip())
    elif not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.astimezone()  # local time
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _real(x: object) -> float | None:
    """A float for SQLite: None, NaN and infinities become NULL."""
    if x is None:
        return None
    f = float(x)  # type: ignore[arg-type]
    return f if math.isfinite(f) else None


def _cell(v: object) -> object:
    """A table cell for JSON: text as is, numbers finite or None."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    return _real(v)


def _json(obj: object) -> str:
    return json.dumps(obj, allow_nan=False, separators=(",", ":"), sort_keys=False)


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """The settings as JSON-ready data (paths as text)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(settings):
        v = getattr(settings, f.name)
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            v = dataclasses.asdict(v)
        elif isinstance(v, Path):
            v = str(v)
        elif isinstance(v, dict):
            v = dict(sorted(v.items()))
        out[f.name] = v
    return out


#: Settings that do not change results (where caches go) or are compared by
#: content elsewhere (the model, by its sha256 in the de-duplication key).
_FINGERPRINT_SKIP = frozenset({"cache_dir", "cache_landmarks", "model_path"})


def settings_fingerprint(settings: Settings | None) -> str:
    """sha256 of the settings that change results (profile, thresholds, view, filters).

    ``None`` (settings unknown) has its own fixed fingerprint, so re-saving the
    same analysis without settings still de-duplicates.
    """
    data = (
        None
        if settings is None
        else {k: v for k, v in settings_to_dict(settings).items() if k not in _FINGERPRINT_SKIP}
    )
    text = json.dumps({"settings": data}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _split_sql(script: str) -> list[str]:
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


# ---------------------------------------------------------------------------------------
# who owns a running session
def _proc_info(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks) of a process from /proc, or None without /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return ("gone", "") if os.path.isdir("/proc/self") else None
    except OSError:
        return None
    rest = data[data.rindex(b")") + 2 :].split()
    return rest[0].decode(), rest[19].decode()


def owner_token() -> str:
    """``host:pid:start`` of this process (start from /proc when available)."""
    info = _proc_info(os.getpid())
    start = info[1] if info else ""
    return f"{socket.gethostname()}:{os.getpid()}:{start}"


def _age_s(iso: str | None) -> float:
    if not iso:
        return math.inf
    try:
        return (datetime.now(UTC) - datetime.fromisoformat(iso)).total_seconds()
    except ValueError:
        return math.inf


def owner_alive(token: str | None, updated_at: str | None) -> bool:
    """Whether the process that owns a running session may still be working on it."""
    if not token:
        return False
    try:
        host, pid_s, start = token.rsplit(":", 2)
        pid = int(pid_s)
    except ValueError:
        return False
    if host != socket.gethostname():
        return _age_s(updated_at) < STALE_UNCHECKABLE_S
    info = _proc_info(pid)
    if info is not None:
        state, started = info
        if state in ("gone", "Z", "X"):
            return False
        return not start or started == start  # a different start: the pid was reused
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT on Windows
        return _age_s(updated_at) < STALE_UNCHECKABLE_S
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


# ---------------------------------------------------------------------------------------
# errors
def _hint_other_file() -> str:
    return "Or choose another history file with --db PATH or the FORMCHECK_DB variable."


def damaged_error(path: Path, detail: str) -> StoreError:
    return StoreError(
        f"The history database {path} is damaged or is not a formcheck history file "
        f"({detail}). formcheck has not changed it.",
        "Restore it from a backup, or move it aside to start a new history "
        f"(`sqlite3 {path.name} .recover` may rescue its contents). " + _hint_other_file(),
        code="store_damaged",
    )


def read_only_error(path: Path, detail: str = "") -> StoreError:
    extra = f" ({detail})" if detail else ""
    return StoreError(
        f"Cannot write the history database {path}: the location is read-only{extra}.",
        "Check the folder's permissions, or keep the history somewhere writable. "
        + _hint_other_file(),
        code="store_read_only",
    )


def _unreadable(path: Path, exc: OSError) -> StoreError:
    return StoreError(
        f"Cannot read the history database {path}: {exc.strerror or exc}.",
        "Check the file's permissions. " + _hint_other_file(),
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
            "database browser) and try again. " + _hint_other_file(),
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
            "Check that its folder exists and is writable. " + _hint_other_file(),
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


# ---------------------------------------------------------------------------------------
_SESSION_COLS = (
    "id, created_at, updated_at, recorded_at, activity, activity_requested, status, note, "
    "source_kind, source_path, source_sha256, source_size_bytes, view, fps, duration_s, "
    "analysed_s, frames_total, frames_with_pose, frames_done, frames_expected, profile_json, "
    "settings_json, settings_fingerprint, formcheck_version, model_sha256, versions_json, "
    "report_zlib, owner"
)


class HistoryDB:
    """The session history.

    Parameters
    ----------
    path : Path, optional
        The database file; default :func:`resolve_db_path` (``$FORMCHECK_DB`` or
        ``<data dir>/history.sqlite3``). Created on first use.
    readonly : bool
        Open for reading only (``mode=ro``): no migration, no repair of stale
        sessions. For a history on a read-only medium.
    busy_timeout_ms : int
        How long to wait for another writer (default 5000 ms).

    Use as a context manager, or call :meth:`open` / :meth:`close`. Methods
    open the file on first use. One object may be shared between threads
    (calls are serialised); it must not be used after ``fork()``.

    Raises
    ------
    StoreError
        With code ``store_damaged`` (not SQLite, damaged, not formcheck's),
        ``store_too_new``, ``store_locked``, ``store_read_only``,
        ``store_cannot_open``, ``no_such_session`` ...
    """

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

    # -- opening -------------------------------------------------------------------------
    def __enter__(self) -> HistoryDB:
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

    def open(self) -> HistoryDB:
        """Open (creating or migrating the file if needed) and repair stale sessions."""
        with self._lock:
            if self._conn is not None:
                return self
            self._precheck()
            if not self.readonly:
                self._check_writable_location()
            conn = self._connect(readonly=self.readonly)
            try:
                if self.readonly:
                    self._check_version_readonly(conn)
                else:
                    self._migrate(conn)
            except BaseException:
                conn.close()
                raise
            self._conn, self._pid = conn, os.getpid()
        if not self.readonly:
            try:
                self.recovered = self.recover_stale()
            except StoreError as exc:
                if exc.code != "store_locked":  # busy: the next open will do it
                    self.close()
                    raise
        return self

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                if self._pid == os.getpid():
                    self._conn.close()
                self._conn = None

    def _precheck(self) -> None:
        """Refuse a file that is not (or no longer) a formcheck history, before any write."""
        p = self.path
        if p.is_dir():
            raise StoreError(
                f"The history path {p} is a folder, not a database file.",
                _hint_other_file(),
                code="store_cannot_open",
            )
        try:
            size = p.stat().st_size
        except (FileNotFoundError, NotADirectoryError):
            return  # a new history; the folder is checked next
        except OSError as exc:
            raise _unreadable(p, exc) from exc
        if size == 0:
            return  # an empty file holds nothing; SQLite treats it as a new database
        try:
            with open(p, "rb") as fh:
                head = fh.read(100)
        except OSError as exc:
            raise _unreadable(p, exc) from exc
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
                timeout=self.busy_timeout_ms / 1000,
                isolation_level=None,
            )
        except sqlite3.Error as exc:
            raise translate(exc, p, "opening it") from exc
        try:
            try:
                conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
                if key not in _CHECKED:
                    problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
                    if problems != ["ok"]:
                        text = " ".join(" ".join(problems).split())
                        raise damaged_error(p, text.replace("*** in database main *** ", ""))
            except sqlite3.Error as exc:
                err = translate(exc, p, "checking it")
                if err.code in ("store_damaged", "store_locked"):
                    raise err from exc
                return  # e.g. a hot WAL a read-only connection cannot replay: the rw open will
            finally:
                conn.close()
            self._check_identity(version, app_id, tables)
        except StoreError as exc:
            if exc.code == "store_damaged":
                # the read-only look may have made an empty -wal and its -shm: remove
                # those (they did not exist before and hold nothing), never the file
                wal, shm = side
                if not existed[0] and wal.exists() and wal.stat().st_size == 0:
                    wal.unlink(missing_ok=True)
                    if not existed[1]:
                        shm.unlink(missing_ok=True)
            raise
        _CHECKED.add(key)

    def _check_identity(self, version: int, app_id: int, tables: set[str]) -> None:
        p = self.path
        if app_id not in (0, APPLICATION_ID):
            raise damaged_error(p, f"it belongs to another program (application id {app_id:#x})")
        if version > schema.CURRENT_VERSION:
            raise StoreError(
                f"The history database {p} was written by a newer formcheck (schema "
                f"version {version}; this formcheck knows up to {schema.CURRENT_VERSION}). "
                "formcheck has not changed it.",
                "Update formcheck to use this history. " + _hint_other_file(),
                code="store_too_new",
            )
        if version == 0 and tables:
            raise damaged_error(p, "it holds tables that are not formcheck's")
        if version >= 1 and "sessions" not in tables:
            raise damaged_error(p, "it has no sessions table")

    def _check_writable_location(self) -> None:
        p = self.path
        folder = p.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise read_only_error(
                    p, f"cannot create the folder {folder}: {exc.strerror}"
                ) from exc
            raise StoreError(
                f"Cannot create the folder {folder} for the history database {p}: "
                f"{exc.strerror or exc}.",
                "Check the path. " + _hint_other_file(),
                code="store_cannot_open",
            ) from exc
        if not os.access(folder, os.W_OK | os.X_OK):
            # WAL needs the -wal and -shm files beside the database
            raise read_only_error(p, f"the folder {folder} is not writable")
        if p.exists() and not os.access(p, os.W_OK):
            raise read_only_error(p, "the file is not writable")

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
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StoreError(
                        f"The history database {p} cannot use write-ahead logging "
                        f"(journal mode stayed {mode!r}); it may be on a network drive.",
                        "Keep the history on a local disk. " + _hint_other_file(),
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

    def _check_version_readonly(self, conn: sqlite3.Connection) -> None:
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.Error as exc:
            raise translate(exc, self.path, "reading it") from exc
        self._check_identity(version, app_id, tables)
        if version < schema.CURRENT_VERSION:
            raise StoreError(
                f"The history database {self.path} has an older layout (version {version}) "
                "and is read-only here, so it cannot be upgraded.",
                "Open it once from a writable location to upgrade it.",
                code="store_needs_upgrade",
            )

    def _migrate(self, conn: sqlite3.Connection) -> None:
        p = self.path
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == schema.CURRENT_VERSION:
                return
            if 0 < version < schema.CURRENT_VERSION and self.backup_before_migrate:
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                # the pid keeps two processes upgrading the same file in the same
                # second from writing one backup name (VACUUM INTO needs a new file)
                dest = p.with_name(f"{p.name}.v{version}-backup-{stamp}-{os.getpid()}")
                if not dest.exists():
                    conn.execute("VACUUM INTO ?", (str(dest),))
                self.last_backup = dest
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
                self._check_identity(version, app_id, tables)
                if version == 0:
                    for stmt in _split_sql(schema.CURRENT_SCHEMA):
                        conn.execute(stmt)
                else:
                    for step in range(version, schema.CURRENT_VERSION):
                        for stmt in _split_sql(schema.MIGRATIONS[step]):
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
        conn.row_factory = sqlite3.Row
        row = conn.execute(
            f"SELECT {_SESSION_COLS} FROM sessions WHERE id = ?", (int(session_id),)
        ).fetchone()
        if row is None:
            raise StoreError(
                f"There is no session {session_id} in {self.path}.",
                "List the sessions with `formcheck history`.",
                code="no_such_session",
            )
        return row

    # -- writing -------------------------------------------------------------------------
    def begin_session(
        self,
        activity: str = "auto",
        *,
        source_path: Path | str | None = None,
        source_sha256: str | None = None,
        source_kind: str | None = None,
        settings: Settings | None = None,
        created_at: str | datetime | None = None,
        recorded_at: str | datetime | date | None = None,
        frames_expected: int | None = None,
        duration_s: float | None = None,
        fps: float | None = None,
    ) -> int:
        """Create a ``running`` session at the start of an analysis; returns its id.

        ``activity`` may be "auto" until the report says which it was.
        ``settings`` (profile, thresholds, view ...) are stored and fingerprinted
        for de-duplication; ``recorded_at`` (when the clip was filmed, if known)
        orders the history instead of the analysis time.
        """
        with self._write("starting a session") as conn:
            return self._insert_session(
                conn,
                activity,
                source_path=source_path,
                source_sha256=source_sha256,
                source_kind=source_kind,
                settings=settings,
                created_at=created_at,
                recorded_at=recorded_at,
                frames_expected=frames_expected,
                duration_s=duration_s,
                fps=fps,
            )

    def _insert_session(
        self,
        conn: sqlite3.Connection,
        activity: str,
        *,
        source_path: Path | str | None = None,
        source_sha256: str | None = None,
        source_kind: str | None = None,
        settings: Settings | None = None,
        created_at: str | datetime | None = None,
        recorded_at: str | datetime | date | None = None,
        frames_expected: int | None = None,
        duration_s: float | None = None,
        fps: float | None = None,
    ) -> int:
        created = to_utc_iso(created_at) or now_utc()
        if source_kind is None and source_path is not None:
            source_kind = "video"
        cur = conn.execute(
            "INSERT INTO sessions (created_at, updated_at, recorded_at, activity, "
            "activity_requested, status, owner, source_kind, source_path, source_sha256, "
            "fps, duration_s, frames_expected, profile_json, settings_json, "
            "settings_fingerprint) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?)",
            (
                created,
                now_utc(),
                to_utc_iso(recorded_at),
                activity,
                activity,
                owner_token(),
                source_kind,
                None if source_path is None else str(source_path),
                source_sha256,
                _real(fps),
                _real(duration_s),
                frames_expected,
                None if settings is None else _json(dataclasses.asdict(settings.profile)),
                None if settings is None else _json(settings_to_dict(settings)),
                settings_fingerprint(settings),
            ),
        )
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def add_progress(
        self,
        session_id: int,
        *,
        analysed_s: float | None = None,
        frames_done: int | None = None,
        frames_expected: int | None = None,
        report: Report | None = None,
    ) -> bool:
        """Store how far a running analysis got, and optionally its results so far.

        ``report`` (e.g. built from a live analyzer's ``result()``) replaces the
        session's stored results; the status stays ``running``. Returns False
        (and changes nothing) when the session is no longer running.
        """
        with self._write("saving progress") as conn:
            row = self._require(conn, session_id)
            if row["status"] != "running":
                return False
            if report is not None:
                self._store_report(conn, int(session_id), report)
            conn.execute(
                "UPDATE sessions SET updated_at = ?, analysed_s = COALESCE(?, analysed_s), "
                "frames_done = COALESCE(?, frames_done), "
                "frames_expected = COALESCE(?, frames_expected) WHERE id = ?",
                (now_utc(), _real(analysed_s), frames_done, frames_expected, int(session_id)),
            )
            return True

    def save_report(
        self,
        session_id: int,
        report: Report,
        status: str | None = None,
        *,
        artefacts: Mapping[str, Path | str] | None = None,
        settings: Settings | None = None,
        recorded_at: str | datetime | date | None = None,
    ) -> int:
        """Save a finished (or interrupted) analysis in ONE transaction.

        status : "complete" or "partial"; default from ``report.partial``.
        artefacts : kind -> path of files written for it (also the landmark
            cache from ``report.pose.cache_path``, added automatically).
        settings : the settings used, if not given to :meth:`begin_session`.

        Returns the id the session is kept under: ``session_id``, or the id of
        an earlier session of the same clip, activity, settings and model,
        which gets these results (see the module docstring).
        """
        with self._write("saving the session") as conn:
            return self._save_in(
                conn, int(session_id), report, status, artefacts, settings, recorded_at
            )

    def _save_in(
        self,
        conn: sqlite3.Connection,
        sid: int,
        report: Report,
        status: str | None,
        artefacts: Mapping[str, Path | str] | None,
        settings: Settings | None,
        recorded_at: str | datetime | date | None,
    ) -> int:
        if status is None:
            status = "partial" if report.partial else "complete"
        if status not in ("complete", "partial"):
            raise ValueError(f"status must be 'complete' or 'partial', not {status!r}")
        note = NOTE_INTERRUPTED if status == "partial" else ""
        self._require(conn, sid)
        if settings is not None:
            conn.execute(
                "UPDATE sessions SET profile_json = ?, settings_json = ?, "
                "settings_fingerprint = ? WHERE id = ?",
                (
                    _json(dataclasses.asdict(settings.profile)),
                    _json(settings_to_dict(settings)),
                    settings_fingerprint(settings),
                    sid,
                ),
            )
        # when it was filmed: as given, else as the clip's own creation time says
        recorded_at = recorded_at if recorded_at is not None else report.source.recorded_at
        if recorded_at is not None:
            conn.execute(
                "UPDATE sessions SET recorded_at = ? WHERE id = ?",
                (to_utc_iso(recorded_at), sid),
            )
        self._store_report(conn, sid, report)
        for kind, path in (artefacts or {}).items():
            self._upsert_artefact(conn, sid, kind, path)
        return self._settle(conn, sid, status, note)

    def add_report(
        self,
        report: Report,
        *,
        artefacts: Mapping[str, Path | str] | None = None,
        settings: Settings | None = None,
        recorded_at: str | datetime | date | None = None,
        status: str | None = None,
    ) -> int:
        """Create a session and save ``report`` into it, all in ONE transaction.

        For a finished analysis that had no :meth:`begin_session`. Returns the id
        it is kept under (see :meth:`save_report`).
        """
        with self._write("saving the session") as conn:
            sid = self._insert_session(
                conn,
                report.activity_requested,
                source_path=report.source.path,
                source_sha256=report.source.sha256,
                source_kind=report.source.kind,
                settings=settings,
                created_at=report.created_at,
                recorded_at=recorded_at,
            )
            return self._save_in(conn, sid, report, status, artefacts, None, recorded_at)

    def finish(self, session_id: int) -> int:
        """Mark a running session complete with what it holds (results stored by
        :meth:`add_progress`); returns the id it is kept under."""
        with self._write("finishing the session") as conn:
            row = self._require(conn, session_id)
            if row["status"] != "running":
                return int(session_id)
            return self._settle(conn, int(session_id), "complete", "")

    def mark_partial(self, session_id: int, note: str = NOTE_INTERRUPTED) -> int:
        """Mark a running session partial (Ctrl-C, a camera that went away, an error),
        keeping what it holds; returns the id it is kept under."""
        with self._write("marking the session partial") as conn:
            row = self._require(conn, session_id)
            if row["status"] != "running":
                return int(session_id)
            return self._settle(conn, int(session_id), "partial", note)

    def discard_if_empty(self, session_id: int) -> bool:
        """Delete a running session that stored nothing yet (an analysis that
        failed at once); otherwise mark it partial. Returns True if deleted."""
        with self._write("discarding the session") as conn:
            row = self._require(conn, session_id)
            if row["status"] != "running":
                return False
            has = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM metrics WHERE session_id = ?) OR "
                "EXISTS (SELECT 1 FROM artefacts WHERE session_id = ?)",
                (int(session_id), int(session_id)),
            ).fetchone()[0]
            if has or row["report_zlib"] is not None:
                self._settle(conn, int(session_id), "partial", NOTE_INTERRUPTED)
                return False
            conn.execute("DELETE FROM sessions WHERE id = ?", (int(session_id),))
            return True

    def add_artefact(self, session_id: int, kind: str, path: Path | str) -> None:
        """Record a file written for a session (one path per kind; a new one replaces)."""
        with self._write("recording a file") as conn:
            self._require(conn, session_id)
            self._upsert_artefact(conn, int(session_id), kind, path)

    def delete_session(self, session_id: int) -> SessionRecord:
        """Delete a session and everything stored with it; returns what was deleted.

        The files it lists (reports, videos) are not touched.
        """
        with self._write("deleting the session") as conn:
            rec = self._record(conn, int(session_id))
            conn.execute("DELETE FROM sessions WHERE id = ?", (int(session_id),))
            return rec

    def recover_stale(self) -> list[int]:
        """Mark ``running`` sessions whose process is gone as ``partial``; their ids."""
        with self._read("looking for interrupted sessions") as conn:
            rows = conn.execute(
                "SELECT id, owner, updated_at FROM sessions WHERE status = 'running'"
            ).fetchall()
        stale = [int(r[0]) for r in rows if not owner_alive(r[1], r[2])]
        done: list[int] = []
        for sid in stale:
            with self._write("marking an interrupted session") as conn:
                row = conn.execute(
                    "SELECT status, owner, updated_at FROM sessions WHERE id = ?", (sid,)
                ).fetchone()
                if row is None or row[0] != "running" or owner_alive(row[1], row[2]):
                    continue
                done.append(self._settle(conn, sid, "partial", NOTE_CRASHED))
        return done

    def _upsert_artefact(
        self, conn: sqlite3.Connection, sid: int, kind: str, path: Path | str
    ) -> None:
        conn.execute(
            "INSERT INTO artefacts (session_id, kind, path, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (session_id, kind) DO UPDATE SET path = excluded.path, "
            "created_at = excluded.created_at",
            (sid, str(kind), str(path), now_utc()),
        )

    def _store_report(self, conn: sqlite3.Connection, sid: int, report: Report) -> None:
        """Write a report's results into session ``sid`` (replacing earlier ones)."""
        src, pose = report.source, report.pose
        analysed = src.decoded_s if src.decoded_s is not None else src.duration_s
        # compressed piece by piece: the same bytes as compressing the whole JSON at
        # once, without holding a 10-minute run's text (about 1 KB a frame) in memory
        co = zlib.compressobj(6)
        parts = report.json_parts(None, (",", ":"))
        blob = b"".join(co.compress(t.encode("utf-8")) for t in parts) + co.flush()
        conn.execute(
            "UPDATE sessions SET updated_at = ?, activity = ?, activity_requested = ?, view = ?, "
            "source_kind = ?, source_path = COALESCE(?, source_path), "
            "source_sha256 = COALESCE(?, source_sha256), source_size_bytes = ?, "
            "fps = COALESCE(?, fps), duration_s = COALESCE(?, duration_s), "
            "analysed_s = COALESCE(?, analysed_s), frames_total = ?, frames_with_pose = ?, "
            "formcheck_version = ?, model_sha256 = ?, versions_json = ?, report_zlib = ? "
            "WHERE id = ?",
            (
                now_utc(),
                report.activity,
                report.activity_requested,
                report.view,
                src.kind,
                src.path,
                src.sha256,
                src.size_bytes,
                _real(src.fps),
                _real(src.duration_s),
                _real(analysed),
                pose.frames_total,
                pose.frames_with_pose,
                report.versions.get("formcheck"),
                pose.model_sha256,
                _json(report.versions),
                blob,
                sid,
            ),
        )
        for table in ("metrics", "findings", "notices", "step_tables"):
            conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (sid,))
        conn.executemany(
            "INSERT INTO metrics (session_id, name, value, unit, spread, n, left_value, "
            "right_value, confidence, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sid,
                    name,
                    _real(m.value),
                    m.unit,
                    _real(m.spread),
                    int(m.n),
                    _real(m.left),
                    _real(m.right),
                    m.confidence,
                    m.note,
                )
                for name, m in report.metrics.items()
            ],
        )
        conn.executemany(
            "INSERT INTO findings (session_id, idx, cue, status, metric, value, unit, target, "
            "message, source, priority, heuristic, frame) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sid,
                    i,
                    f.cue,
                    f.status,
                    f.metric,
                    _real(f.value),
                    f.unit,
                    f.target,
                    f.message,
                    f.source,
                    int(f.priority),
                    int(bool(f.heuristic)),
                    f.frame,
                )
                for i, f in enumerate(report.findings)
            ],
        )
        conn.executemany(
            "INSERT INTO notices (session_id, idx, code, message, ranges_json) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (sid, i, w.code, w.message, _json([[_real(a), _real(b)] for a, b in w.ranges_s]))
                for i, w in enumerate(report.warnings)
            ],
        )
        for name, t in report.tables.items():
            conn.execute(
                "INSERT INTO step_tables (session_id, name, columns_json, units_json) "
                "VALUES (?, ?, ?, ?)",
                (sid, name, _json(list(t.columns)), _json(list(t.units))),
            )
            conn.executemany(
                "INSERT INTO step_rows (session_id, table_name, idx, values_json) "
                "VALUES (?, ?, ?, ?)",
                [(sid, name, i, _json([_cell(v) for v in r])) for i, r in enumerate(t.rows)],
            )
        if pose.cache_path:
            self._upsert_artefact(conn, sid, "landmark_cache", pose.cache_path)

    def _settle(self, conn: sqlite3.Connection, sid: int, status: str, note: str) -> int:
        """End session ``sid`` as ``status``, merging it with an earlier analysis of the
        same clip/activity/settings/model. Runs inside the caller's transaction."""
        row = self._require(conn, sid)
        dup = None
        if row["source_sha256"] and row["model_sha256"] and row["settings_fingerprint"]:
            dup = conn.execute(
                "SELECT id, status, analysed_s, created_at, recorded_at FROM sessions "
                "WHERE source_sha256 = ? AND activity = ? AND settings_fingerprint = ? "
                "AND model_sha256 = ? AND status != 'running' AND id != ?",
                (
                    row["source_sha256"],
                    row["activity"],
                    row["settings_fingerprint"],
                    row["model_sha256"],
                    sid,
                ),
            ).fetchone()
        if dup is None:
            conn.execute(
                "UPDATE sessions SET status = ?, note = ?, owner = NULL, updated_at = ? "
                "WHERE id = ?",
                (status, note, now_utc(), sid),
            )
            return sid

        def rank(st: str, analysed: float | None) -> tuple[bool, float]:
            return (st == "complete", analysed or 0.0)

        old_id = int(dup["id"])
        if rank(status, row["analysed_s"]) < rank(dup["status"], dup["analysed_s"]):
            # the stored analysis covers more: keep it, drop this one
            conn.execute("DELETE FROM sessions WHERE id = ?", (sid,))
            return old_id
        # this analysis replaces the stored one, under the stored id
        conn.execute(
            "UPDATE artefacts SET session_id = ? WHERE session_id = ? AND kind NOT IN "
            "(SELECT kind FROM artefacts WHERE session_id = ?)",
            (sid, old_id, sid),
        )
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.execute("DELETE FROM sessions WHERE id = ?", (old_id,))
        conn.execute(
            "UPDATE sessions SET id = ?, status = ?, note = ?, owner = NULL, updated_at = ?, "
            "created_at = ?, recorded_at = COALESCE(recorded_at, ?) WHERE id = ?",
            (old_id, status, note, now_utc(), dup["created_at"], dup["recorded_at"], sid),
        )
        for table in ("metrics", "findings", "notices", "step_tables", "step_rows", "artefacts"):
            conn.execute(f"UPDATE {table} SET session_id = ? WHERE session_id = ?", (old_id, sid))
        return old_id

    # -- reading -------------------------------------------------------------------------
    def _record(self, conn: sqlite3.Connection, sid: int) -> SessionRecord:
        row = self._require(conn, sid)
        conn.row_factory = None
        metrics = {
            r[0]: Metric(
                value=r[1],
                unit=r[2],
                spread=r[3],
                n=int(r[4]),
                left=r[5],
                right=r[6],
                confidence=r[7] if r[7] is not None else "high",
                note=r[8] or "",
            )
            for r in conn.execute(
                "SELECT name, value, unit, spread, n, left_value, right_value, confidence, note "
                "FROM metrics WHERE session_id = ? ORDER BY rowid",
                (sid,),
            )
        }
        findings = [
            Finding(
                cue=r[0],
                status=r[1],
                metric=r[2],
                value=r[3],
                unit=r[4] or "",
                target=r[5] or "",
                message=r[6] or "",
                source=r[7] or "",
                priority=int(r[8]),
                heuristic=bool(r[9]),
                frame=r[10],
            )
            for r in conn.execute(
                "SELECT cue, status, metric, value, unit, target, message, source, priority, "
                "heuristic, frame FROM findings WHERE session_id = ? ORDER BY idx",
                (sid,),
            )
        ]
        notices = [
            Notice(
                code=r[0],
                message=r[1],
                ranges_s=tuple(
                    (math.nan if a is None else a, math.nan if b is None else b)
                    for a, b in json.loads(r[2])
                ),
            )
            for r in conn.execute(
                "SELECT code, message, ranges_json FROM notices WHERE session_id = ? ORDER BY idx",
                (sid,),
            )
        ]
        tables: dict[str, Table] = {}
        for name, cols, units in conn.execute(
            "SELECT name, columns_json, units_json FROM step_tables WHERE session_id = ? "
            "ORDER BY rowid",
            (sid,),
        ).fetchall():
            rows = tuple(
                tuple(json.loads(r[0]))
                for r in conn.execute(
                    "SELECT values_json FROM step_rows WHERE session_id = ? AND table_name = ? "
                    "ORDER BY idx",
                    (sid, name),
                )
            )
            tables[name] = Table(tuple(json.loads(cols)), tuple(json.loads(units)), rows)
        artefacts = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT kind, path FROM artefacts WHERE session_id = ? ORDER BY id", (sid,)
            )
        }
        blob = row["report_zlib"]
        report_dict = None
        if blob is not None:
            try:
                report_dict = json.loads(zlib.decompress(blob).decode("utf-8"))
            except (zlib.error, ValueError) as exc:
                raise damaged_error(self.path, f"session {sid}'s stored report: {exc}") from exc

        def loads(text: str | None) -> Any:
            return None if text is None else json.loads(text)

        return SessionRecord(
            id=int(row["id"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            recorded_at=row["recorded_at"],
            activity=row["activity"],
            activity_requested=row["activity_requested"],
            status=row["status"],
            note=row["note"] or "",
            source_kind=row["source_kind"],
            source_path=row["source_path"],
            source_sha256=row["source_sha256"],
            source_size_bytes=row["source_size_bytes"],
            view=row["view"],
            fps=row["fps"],
            duration_s=row["duration_s"],
            analysed_s=row["analysed_s"],
            frames_total=row["frames_total"],
            frames_with_pose=row["frames_with_pose"],
            frames_done=row["frames_done"],
            frames_expected=row["frames_expected"],
            profile=loads(row["profile_json"]),
            settings=loads(row["settings_json"]),
            settings_fingerprint=row["settings_fingerprint"],
            formcheck_version=row["formcheck_version"],
            model_sha256=row["model_sha256"],
            versions=loads(row["versions_json"]) or {},
            metrics=metrics,
            findings=findings,
            notices=notices,
            tables=tables,
            artefacts=artefacts,
            report_dict=report_dict,
        )

    def get_session(self, session_id: int) -> SessionRecord:
        """Everything stored for one session (raises StoreError ``no_such_session``)."""
        with self._read("reading a session") as conn:
            return self._record(conn, int(session_id))

    def _select_ids(
        self,
        conn: sqlite3.Connection,
        activity: str | None,
        since: str | datetime | date | None,
        statuses: Sequence[str] | None,
        newest_first: bool,
        until: str | datetime | date | None = None,
    ) -> list[sqlite3.Row]:
        where, args = [], []
        if activity:
            where.append("s.activity = ?")
            args.append(activity)
        if since is not None:
            where.append("COALESCE(s.recorded_at, s.created_at) >= ?")
            args.append(to_utc_iso(since))
        if until is not None:
            where.append("COALESCE(s.recorded_at, s.created_at) < ?")
            args.append(to_utc_iso(until))
        if statuses:
            where.append(f"s.status IN ({', '.join('?' * len(statuses))})")
            args.extend(statuses)
        order = "DESC" if newest_first else "ASC"
        conn.row_factory = sqlite3.Row
        return conn.execute(
            "SELECT s.id, s.created_at, s.recorded_at, COALESCE(s.recorded_at, s.created_at) "
            "AS at, s.activity, s.status, s.view, s.source_path, s.duration_s, s.analysed_s, "
            "s.note, (SELECT count(*) FROM findings f WHERE f.session_id = s.id AND "
            "f.status = 'flag') AS flags FROM sessions s"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + f" ORDER BY at {order}, s.id {order}",
            args,
        ).fetchall()

    def list_sessions(
        self,
        activity: str | None = None,
        since: str | datetime | date | None = None,
        *,
        until: str | datetime | date | None = None,
        status: str | Sequence[str] | None = None,
        newest_first: bool = True,
    ) -> list[SessionSummary]:
        """Sessions, newest first, optionally of one activity / since a time / by status."""
        statuses = [status] if isinstance(status, str) else status
        with self._read("listing sessions") as conn:
            rows = self._select_ids(conn, activity, since, statuses, newest_first, until)
        return [
            SessionSummary(
                id=int(r["id"]),
                when=r["at"],
                created_at=r["created_at"],
                recorded_at=r["recorded_at"],
                activity=r["activity"],
                status=r["status"],
                view=r["view"],
                source_path=r["source_path"],
                duration_s=r["duration_s"],
                analysed_s=r["analysed_s"],
                flags=int(r["flags"]),
                note=r["note"] or "",
            )
            for r in rows
        ]

    def trend(
        self,
        metric_names: Sequence[str] | None = None,
        activity: str | None = None,
        *,
        since: str | datetime | date | None = None,
        include_partial: bool = True,
    ) -> Trend:
        """Per-session medians of metrics over time, oldest first (the History page).

        Each session's value is its stored summary (the analyzer's median over
        that session's steps or reps). ``metric_names=None`` takes every metric
        measured in at least one matching session, in the order first seen.
        Running sessions are left out; partial ones unless ``include_partial``
        is False (each point carries its status).
        """
        statuses = ["complete", "partial"] if include_partial else ["complete"]
        with self._read("reading the trend") as conn:
            sessions = self._select_ids(conn, activity, since, statuses, newest_first=False)
            ids = [int(r["id"]) for r in sessions]
            per: dict[int, dict[str, tuple[float | None, str, float | None, int]]] = {
                i: {} for i in ids
            }
            order: list[str] = []
            conn.row_factory = None
            for chunk_start in range(0, len(ids), 500):
                chunk = ids[chunk_start : chunk_start + 500]
                for sid, name, value, unit, spread, n in conn.execute(
                    "SELECT session_id, name, value, unit, spread, n FROM metrics WHERE "
                    f"session_id IN ({', '.join('?' * len(chunk))}) ORDER BY rowid",
                    chunk,
                ):
                    per[int(sid)][name] = (value, unit, spread, int(n))
        for sid in ids:
            for name, (value, *_rest) in per[sid].items():
                if value is not None and name not in order:
                    order.append(name)
        names = tuple(metric_names) if metric_names is not None else tuple(order)
        units: dict[str, str] = {}
        for name in names:
            for sid in reversed(ids):
                if name in per[sid]:
                    units[name] = per[sid][name][1]
                    break
        mismatches: dict[str, int] = {}
        points = []
        for r in sessions:
            sid = int(r["id"])
            values: dict[str, float | None] = {}
            spreads: dict[str, float | None] = {}
            ns: dict[str, int] = {}
            for name in names:
                got = per[sid].get(name)
                if got is None:
                    values[name], spreads[name], ns[name] = None, None, 0
                elif got[1] != units.get(name):
                    mismatches[name] = mismatches.get(name, 0) + 1
                    values[name], spreads[name], ns[name] = None, None, 0
                else:
                    values[name], spreads[name], ns[name] = got[0], got[2], got[3]
            points.append(TrendPoint(sid, r["at"], r["status"], values, spreads, ns))
        return Trend(activity, names, units, points, mismatches)

    # -- export and backup ---------------------------------------------------------------
    def export(
        self,
        format: str = "csv",
        *,
        table: str = "metrics",
        activity: str | None = None,
        since: str | datetime | date | None = None,
    ) -> str:
        """The history as text, oldest session first.

        format "json" : ``{"schema": "formcheck.history/1", "sessions": [...]}``
            with everything stored (:meth:`SessionRecord.to_dict`).
        format "csv" : one table, chosen by ``table``: "metrics" (one row per
            session and metric), "sessions", "findings" or "steps" (one row per
            per-step/rep table cell). Numbers are written exactly (``repr``).
        """
        if format not in ("csv", "json"):
            raise ValueError(f"format must be 'csv' or 'json', not {format!r}")
        if table not in EXPORT_TABLES:
            raise ValueError(f"table must be one of {', '.join(EXPORT_TABLES)}, not {table!r}")
        with self._read("exporting") as conn:
            rows = self._select_ids(conn, activity, since, None, newest_first=False)
            records = [self._record(conn, int(r["id"])) for r in rows]
        if format == "json":
            return json.dumps(
                {
                    "schema": EXPORT_SCHEMA,
                    "exported_at": now_utc(),
                    "database": str(self.path),
                    "sessions": [r.to_dict() for r in records],
                },
                indent=1,
                allow_nan=False,
            )
        return _to_csv(records, table)

    def backup(self, dest: Path | str) -> Path:
        """A consistent copy of the database at ``dest`` via SQLite's backup API.

        Written to a temporary file beside ``dest`` and renamed, so an
        interrupted backup never looks complete. Refuses to overwrite the
        database itself.
        """
        dest = Path(dest).expanduser()
        if dest.exists() and dest.resolve() == self.path.resolve():
            raise StoreError(
                "The backup would overwrite the history itself.",
                "Choose another file name for the backup.",
                code="store_error",
            )
        from formcheck.io import atomic_write

        def write(tmp: Path) -> None:
            tmp.unlink(missing_ok=True)
            target = sqlite3.connect(str(tmp))
            try:
                with self._lock:
                    self._c().backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()

        try:
            return atomic_write(dest, write)
        except (sqlite3.Error, OSError) as exc:
            raise translate(exc, dest, "writing a backup") from exc


# ---------------------------------------------------------------------------------------
def _num_text(x: object) -> object:
    """CSV cell: None -> empty, floats exactly (repr), others as they are."""
    if x is None:
        return ""
    if isinstance(x, float):
        return repr(x)
    return x


_SESSION_CSV = (
    "session_id",
    "when",
    "created_at",
    "recorded_at",
    "activity",
    "status",
    "view",
    "source_path",
    "source_sha256",
    "fps",
    "duration_s",
    "analysed_s",
    "settings_fingerprint",
    "formcheck_version",
    "model_sha256",
)


def _session_cells(r: SessionRecord) -> list[object]:
    return [
        r.id,
        r.when,
        r.created_at,
        r.recorded_at,
        r.activity,
        r.status,
        r.view,
        r.source_path,
        r.source_sha256,
        r.fps,
        r.duration_s,
        r.analysed_s,
        r.settings_fingerprint,
        r.formcheck_version,
        r.model_sha256,
    ]


def _to_csv(records: Sequence[SessionRecord], table: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if table == "sessions":
        w.writerow([*_SESSION_CSV, "note", "profile_json", "metrics", "flags"])
        for r in records:
            flags = sum(f.status == "flag" for f in r.findings)
            w.writerow(
                _num_text(c)
                for c in [
                    *_session_cells(r),
                    r.note,
                    None if r.profile is None else json.dumps(r.profile, sort_keys=True),
                    len(r.metrics),
                    flags,
                ]
            )
    elif table == "metrics":
        cols = ["metric", "value", "unit", "spread", "n", "left", "right", "confidence", "note"]
        w.writerow([*_SESSION_CSV, *cols])
        for r in records:
            if not r.metrics:
                w.writerow(_num_text(c) for c in [*_session_cells(r)] + [None] * len(cols))
            for name, m in r.metrics.items():
                md = metric_to_dict(m)
                w.writerow(
                    _num_text(c) for c in [*_session_cells(r), name, *(md[k] for k in cols[1:])]
                )
    elif table == "findings":
        cols = [
            "idx",
            "cue",
            "status",
            "metric",
            "value",
            "unit",
            "target",
            "message",
            "source",
            "priority",
            "heuristic",
            "frame",
        ]
        w.writerow(["session_id", "when", "activity", *cols])
        for r in records:
            for i, f in enumerate(r.findings):
                d = f.to_dict()
                d["value"] = f.value  # exact, not rounded
                w.writerow(
                    _num_text(c) for c in [r.id, r.when, r.activity, i, *(d[k] for k in cols[1:])]
                )
    else:  # steps
        w.writerow(["session_id", "when", "activity", "table", "row", "column", "unit", "value"])
        for r in records:
            for name, t in r.tables.items():
                for i, row in enumerate(t.rows):
                    for col, unit, v in zip(t.columns, t.units, row, strict=True):
                        w.writerow(
                            _num_text(c) for c in [r.id, r.when, r.activity, name, i, col, unit, v]
                        )
    return buf.getvalue()


# ---------------------------------------------------------------------------------------
def save_analysis(
    report: Report,
    db_path: Path | str | None = None,
    artefacts: Mapping[str, Path | str] | None = None,
    *,
    settings: Settings | None = None,
    session_id: int | None = None,
    recorded_at: str | datetime | date | None = None,
) -> int:
    """Save one analysis to the history (for the CLI and the app); returns the session id.

    With ``session_id`` (from :meth:`HistoryDB.begin_session` at the start of
    the analysis) that session gets the results; without it a session is made
    and saved in one go. Status is "partial" when ``report.partial``.
    Raises :class:`StoreError` when the history cannot be written.
    """
    with HistoryDB(db_path) as db:
        if session_id is None:
            return db.add_report(
                report, artefacts=artefacts, settings=settings, recorded_at=recorded_at
            )
        return db.save_report(
            session_id, report, artefacts=artefacts, settings=settings, recorded_at=recorded_at
        )
