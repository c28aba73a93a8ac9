"""Hand-built reports and frozen old schemas for the history-store tests.

The reports use every field of the result types (two-sided metrics, a metric
that could not be measured, NaN cells, per-step tables with text, warnings with
time ranges, frames with angles, plots) so a round trip that drops or rounds
anything shows. Nothing here runs the pose model.

``SCHEMA_V1`` and ``SCHEMA_V2`` are frozen copies of the DDL formcheck's
history had at those versions. They must never be edited: the migration tests
build old databases from them and check they migrate to exactly the schema a
new database gets.
"""

from __future__ import annotations

import math

from formcheck.report.model import PoseInfo, Report, SourceInfo
from formcheck.results import Event, Finding, FrameState, Metric, Notice, Table

VERSIONS = {
    "formcheck": "0.1.0",
    "mediapipe": "1.2.2",
    "opencv-contrib-python": "5.0.0.93",
    "numpy": "2.1.0",
}
MODEL_SHA = "a" * 64


def clip_sha(k: int) -> str:
    return f"{k:064x}"


def make_report(
    k: int = 1,
    *,
    activity: str = "run",
    partial: bool = False,
    sha: str | None = None,
    created_at: str = "2026-05-01T07:30:00+00:00",
    decoded_s: float = 30.0,
    n_steps: int = 12,
    cadence: float | None = None,
) -> Report:
    """A full running report whose numbers depend on ``k`` (so sessions differ).

    ``cadence`` sets cadence_spm (default 160 + k + 1/3, a value with many digits).
    """
    cad = 160.0 + k + 1.0 / 3.0 if cadence is None else cadence
    t_steps = [0.35 * i + 0.1 * k for i in range(n_steps)]
    metrics = {
        "cadence_spm": Metric(cad, "steps/min", spread=1.25 + k / 7, n=n_steps, confidence="high"),
        "overstride_leg": Metric(
            0.123456789 * k, "leg lengths", spread=0.01, n=n_steps, left=0.11, right=0.137
        ),
        "trunk_lean_deg": Metric(6.0 + math.pi / k, "deg", spread=None, n=n_steps),
        "vertical_ratio_pct": Metric(
            None, "%", confidence="none", note="needs the treadmill speed"
        ),
        "ground_contact_ms": Metric(245.5, "ms", n=n_steps, left=240.0, right=251.0, note="x"),
    }
    findings = [
        Finding(
            "overstride",
            "flag",
            "overstride_leg",
            0.123456789 * k,
            "leg lengths",
            "< 0.10 leg lengths",
            "Your foot lands ahead of your hips; aim to land closer under you.",
            "cues.md A2; Lieberman 2015",
            priority=10,
            heuristic=False,
            frame=42 + k,
        ),
        Finding(
            "cadence",
            "ok",
            "cadence_spm",
            cad,
            "steps/min",
            "170-180 steps/min",
            "Cadence is in the usual range.",
            "cues.md A4",
            priority=30,
        ),
        Finding(
            "vertical_ratio",
            "not_measurable",
            "vertical_ratio_pct",
            None,
            "%",
            "< 8 %",
            "Give the treadmill speed to measure this.",
            "cues.md A7",
            priority=60,
            heuristic=True,
        ),
    ]
    warnings = [
        Notice(
            "gaps", "The person was not found for 0.4 s.", ((3.0, 3.25), (10.5, 10.65 + k / 100))
        ),
        Notice("vfr", "Variable frame rate: timings use each frame's own timestamp."),
    ]
    events = [
        Event("initial_contact", t, 10 * i, side="left" if i % 2 else "right", value=0.01 * i)
        for i, t in enumerate(t_steps)
    ]
    frames = [
        FrameState(
            i,
            i / 30.0,
            phase="stance_left" if i % 2 else "flight",
            form=None if i % 3 else "good",
            angles={"trunk_lean_deg": 6.0 + i / 10, "knee_flex_deg": math.nan if i == 2 else 20.5},
            cue="Land under your hips" if i == 4 else None,
        )
        for i in range(8)
    ]
    steps = Table(
        ("step", "side", "t_s", "contact_ms", "overstride_leg"),
        ("", "", "s", "ms", "leg lengths"),
        tuple(
            (
                float(i),
                "left" if i % 2 else "right",
                t,
                240.0 + i * 1.1,
                None if i == 3 else (math.nan if i == 5 else 0.1 + i / 300),
            )
            for i, t in enumerate(t_steps)
        ),
    )
    source = SourceInfo(
        kind="video",
        path=f"/clips/run_{k}.mp4",
        sha256=sha if sha is not None else clip_sha(k),
        size_bytes=1_869_047 + k,
        width=1080,
        height=1920,
        fps=29.97,
        duration_s=30.0,
        decoded_s=decoded_s,
        frames=899,
        rotation_deg=90,
        vfr=True,
        codec="h264",
    )
    pose = PoseInfo(899, 870, MODEL_SHA, from_cache=False, cache_path=f"/cache/lm_{k}.npz")
    return Report(
        activity=activity,
        view="side-left",
        source=source,
        pose=pose,
        metrics=metrics,
        findings=findings,
        warnings=warnings,
        events=events,
        frames=frames,
        tables={"steps": steps},
        plots={"cadence_spm": ((0.0, 1.0, 2.0), (170.0, math.nan, 171.5), "steps/min")},
        activity_requested="auto",
        activity_reason="upright, feet alternating",
        partial=partial,
        created_at=created_at,
        versions=dict(VERSIONS),
    )


# ---------------------------------------------------------------------------------------
# Frozen DDL of earlier schema versions. NEVER EDIT (see the module docstring).
SCHEMA_V1 = """
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
    model_sha256 TEXT
);
CREATE INDEX sessions_created ON sessions(created_at);
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
    PRIMARY KEY (session_id, idx)
);
PRAGMA user_version = 1;
"""

SCHEMA_V2 = """
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
    report_zlib BLOB
);
CREATE INDEX sessions_created ON sessions(created_at);
CREATE INDEX sessions_activity ON sessions(activity, created_at);
CREATE UNIQUE INDEX sessions_same_analysis
    ON sessions(source_sha256, activity, settings_fingerprint, model_sha256);
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
PRAGMA user_version = 2;
"""
