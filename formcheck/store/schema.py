"""The history database schema and its forward migrations.

The schema version lives in ``PRAGMA user_version``. A new database is created
directly at :data:`CURRENT_VERSION` from :data:`CURRENT_SCHEMA`; an older one is
brought forward by running :data:`MIGRATIONS` ``[v]`` for every ``v`` from its
version up to the current one, all in one transaction (SQLite's DDL is
transactional, so a failed migration leaves the file as it was). The tests
build databases at every earlier version from frozen copies of their DDL and
check that migrating them gives exactly the schema a new database gets.

Versions
--------
1 : sessions, metrics, findings (formcheck 0.1 development store).
2 : capture notices, per-step/rep tables, artefact paths, the settings used
    (JSON and fingerprint), the full report (zlib-compressed JSON), and a unique
    index so the same clip analysed with the same settings is stored once.
3 : crash safety: ``status`` ('running' | 'complete' | 'partial'), the process
    that owns a running session, progress (seconds/frames analysed), when the
    clip was recorded; uniqueness now applies to finished sessions only, so a
    re-analysis can run beside the session it will replace.
4 : each metric's status against its target (``good`` / ``watch`` / ``work_on``, as
    :func:`formcheck.cues.judge.judge` gave it when analysed; NULL before).
5 : findings keep their time ranges and worst stretch, metrics their worst stretch.
6 : guided routines: ``routine_runs`` (one row per routine done: its summary as JSON,
    naming the history session of each move) and ``routines`` (the user's own).

Conventions: times are ISO 8601 UTC text (``2026-05-01T07:30:00+00:00``), so
they sort as text; seconds in ``*_s`` columns; NaN is stored as NULL.
"""

from __future__ import annotations

#: The version a database has after :func:`formcheck.store.db.HistoryDB` opened it.
CURRENT_VERSION = 6

#: Statuses of a session row.
STATUSES = ("running", "complete", "partial")

CURRENT_SCHEMA = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    activity TEXT NOT NULL,
    source_path TEXT,
    source_sha256 TEXT,
    view TEXT,
    fps REAL,
    duration_s REAL,
    profile_json TEXT,
    formcheck_version TEXT,
    model_sha256 TEXT,
    activity_requested TEXT NOT NULL DEFAULT 'auto',
    source_kind TEXT,
    source_size_bytes INTEGER,
    settings_json TEXT,
    settings_fingerprint TEXT,
    versions_json TEXT,
    report_zlib BLOB,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'complete', 'partial')),
    updated_at TEXT,
    recorded_at TEXT,
    analysed_s REAL,
    frames_total INTEGER,
    frames_with_pose INTEGER,
    frames_done INTEGER,
    frames_expected INTEGER,
    owner TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_created ON sessions(created_at);
CREATE INDEX sessions_activity ON sessions(activity, created_at);
CREATE UNIQUE INDEX sessions_same_analysis
    ON sessions(source_sha256, activity, settings_fingerprint, model_sha256)
    WHERE status != 'running';
CREATE INDEX sessions_running ON sessions(status) WHERE status = 'running';

CREATE TABLE metrics (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value REAL,
    unit TEXT NOT NULL,
    spread REAL,
    n INTEGER NOT NULL DEFAULT 0,
    left_value REAL,
    right_value REAL,
    confidence TEXT,
    note TEXT NOT NULL DEFAULT '',
    status TEXT,
    stretch_json TEXT,
    PRIMARY KEY (session_id, name)
);

CREATE TABLE findings (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    cue TEXT NOT NULL,
    status TEXT NOT NULL,
    metric TEXT,
    value REAL,
    unit TEXT,
    target TEXT,
    message TEXT,
    source TEXT,
    priority INTEGER NOT NULL DEFAULT 50,
    heuristic INTEGER NOT NULL DEFAULT 0,
    frame INTEGER,
    ranges_json TEXT NOT NULL DEFAULT '[]',
    stretch_json TEXT,
    PRIMARY KEY (session_id, idx)
);

CREATE TABLE notices (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    ranges_json TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (session_id, idx)
);

CREATE TABLE step_tables (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    columns_json TEXT NOT NULL,
    units_json TEXT NOT NULL,
    PRIMARY KEY (session_id, name)
);

CREATE TABLE step_rows (
    session_id INTEGER NOT NULL,
    table_name TEXT NOT NULL,
    idx INTEGER NOT NULL,
    values_json TEXT NOT NULL,
    PRIMARY KEY (session_id, table_name, idx),
    FOREIGN KEY (session_id, table_name)
        REFERENCES step_tables(session_id, name) ON DELETE CASCADE
);

CREATE TABLE artefacts (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (session_id, kind)
);

CREATE TABLE routine_runs (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('complete', 'partial')),
    summary_json TEXT NOT NULL
);
CREATE INDEX routine_runs_created ON routine_runs(created_at);

CREATE TABLE routines (
    name TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    steps_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""

#: ``MIGRATIONS[v]`` takes a database from version ``v`` to ``v + 1``.
MIGRATIONS: dict[int, str] = {
    1: """
ALTER TABLE sessions ADD COLUMN activity_requested TEXT NOT NULL DEFAULT 'auto';
ALTER TABLE sessions ADD COLUMN source_kind TEXT;
ALTER TABLE sessions ADD COLUMN source_size_bytes INTEGER;
ALTER TABLE sessions ADD COLUMN settings_json TEXT;
ALTER TABLE sessions ADD COLUMN settings_fingerprint TEXT;
ALTER TABLE sessions ADD COLUMN versions_json TEXT;
ALTER TABLE sessions ADD COLUMN report_zlib BLOB;
UPDATE sessions SET activity_requested = activity;
UPDATE sessions SET source_kind = 'video' WHERE source_path IS NOT NULL;
CREATE INDEX sessions_activity ON sessions(activity, created_at);
CREATE UNIQUE INDEX sessions_same_analysis
    ON sessions(source_sha256, activity, settings_fingerprint, model_sha256);

ALTER TABLE metrics ADD COLUMN note TEXT NOT NULL DEFAULT '';

ALTER TABLE findings ADD COLUMN priority INTEGER NOT NULL DEFAULT 50;
ALTER TABLE findings ADD COLUMN heuristic INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN frame INTEGER;

CREATE TABLE notices (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    ranges_json TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (session_id, idx)
);

CREATE TABLE step_tables (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    columns_json TEXT NOT NULL,
    units_json TEXT NOT NULL,
    PRIMARY KEY (session_id, name)
);

CREATE TABLE step_rows (
    session_id INTEGER NOT NULL,
    table_name TEXT NOT NULL,
    idx INTEGER NOT NULL,
    values_json TEXT NOT NULL,
    PRIMARY KEY (session_id, table_name, idx),
    FOREIGN KEY (session_id, table_name)
        REFERENCES step_tables(session_id, name) ON DELETE CASCADE
);

CREATE TABLE artefacts (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (session_id, kind)
);
""",
    2: """
ALTER TABLE sessions ADD COLUMN status TEXT NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'complete', 'partial'));
ALTER TABLE sessions ADD COLUMN updated_at TEXT;
ALTER TABLE sessions ADD COLUMN recorded_at TEXT;
ALTER TABLE sessions ADD COLUMN analysed_s REAL;
ALTER TABLE sessions ADD COLUMN frames_total INTEGER;
ALTER TABLE sessions ADD COLUMN frames_with_pose INTEGER;
ALTER TABLE sessions ADD COLUMN frames_done INTEGER;
ALTER TABLE sessions ADD COLUMN frames_expected INTEGER;
ALTER TABLE sessions ADD COLUMN owner TEXT;
ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT '';
-- before version 3 only finished analyses were stored
UPDATE sessions SET status = 'complete', updated_at = created_at, analysed_s = duration_s;
DROP INDEX sessions_same_analysis;
CREATE UNIQUE INDEX sessions_same_analysis
    ON sessions(source_sha256, activity, settings_fingerprint, model_sha256)
    WHERE status != 'running';
CREATE INDEX sessions_running ON sessions(status) WHERE status = 'running';
""",
    3: """
ALTER TABLE metrics ADD COLUMN status TEXT;
""",
    4: """
ALTER TABLE metrics ADD COLUMN stretch_json TEXT;
ALTER TABLE findings ADD COLUMN ranges_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE findings ADD COLUMN stretch_json TEXT;
""",
    5: """
CREATE TABLE routine_runs (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('complete', 'partial')),
    summary_json TEXT NOT NULL
);
CREATE INDEX routine_runs_created ON routine_runs(created_at);

CREATE TABLE routines (
    name TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    steps_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
""",
}

assert sorted(MIGRATIONS) == list(range(1, CURRENT_VERSION)), "one migration per version step"

# -- recognising formcheck's own files ---------------------------------------------------
# Later version-3 builds and every version since stamp ``PRAGMA application_id``
# (checks.APPLICATION_ID) on every file formcheck creates or migrates. Files from
# before that carry application id 0; they are recognised by their EXACT tables and
# columns (in order), which must be one of the layouts below (copied from the frozen
# DDL in tests/fixtures/store.py, and checked against it by the migration tests). Any
# other file with id 0 and user_version 1-3 (another program's database that happens
# to have a ``sessions`` table) is refused.
_V1 = {
    "sessions": "id created_at activity source_path source_sha256 view fps duration_s "
    "profile_json formcheck_version model_sha256",
    "metrics": "session_id name value unit spread n left_value right_value confidence",
    "findings": "session_id idx cue status metric value unit target message source",
}
_V2 = {
    "sessions": _V1["sessions"] + " activity_requested source_kind source_size_bytes "
    "settings_json settings_fingerprint versions_json report_zlib",
    "metrics": _V1["metrics"] + " note",
    "findings": _V1["findings"] + " priority heuristic frame",
    "notices": "session_id idx code message ranges_json",
    "step_tables": "session_id name columns_json units_json",
    "step_rows": "session_id table_name idx values_json",
    "artefacts": "id session_id kind path created_at",
}
_V3 = {
    **_V2,
    "sessions": _V2["sessions"] + " status updated_at recorded_at analysed_s frames_total "
    "frames_with_pose frames_done frames_expected owner note",
}

#: ``OLD_LAYOUTS[v]``: table -> column names of a formcheck file of version ``v`` written
#: before formcheck had an application id.
OLD_LAYOUTS: dict[int, dict[str, tuple[str, ...]]] = {
    v: {table: tuple(cols.split()) for table, cols in layout.items()}
    for v, layout in ((1, _V1), (2, _V2), (3, _V3))
}
