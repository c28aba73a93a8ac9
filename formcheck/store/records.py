"""What the history store hands back: sessions, summaries and trends.

These are plain dataclasses read from the database; ``SessionRecord.report()``
rebuilds the :class:`~formcheck.report.model.Report` from its stored JSON (the
same JSON as ``report.json``), so the app can reopen an old session.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from formcheck.cues.words_training import cited
from formcheck.framestates import FrameStates
from formcheck.report.model import PoseInfo, Report, SourceInfo
from formcheck.results import (
    Accuracy,
    Event,
    Finding,
    FrameState,
    Metric,
    Notice,
    Stretch,
    Table,
)


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One line of the history list.

    when : ISO 8601 UTC; when the clip was recorded if known, else when the
        analysis started. Lists and trends are ordered by it.
    duration_s : the clip's duration; analysed_s : how much of it was analysed
        (less than duration_s for a partial session).
    flags : number of findings with status "flag".
    """

    id: int
    when: str
    created_at: str
    recorded_at: str | None
    activity: str
    status: str
    view: str | None
    source_path: str | None
    duration_s: float | None
    analysed_s: float | None
    flags: int
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "when": self.when,
            "created_at": self.created_at,
            "recorded_at": self.recorded_at,
            "activity": self.activity,
            "status": self.status,
            "view": self.view,
            "source_path": self.source_path,
            "duration_s": self.duration_s,
            "analysed_s": self.analysed_s,
            "flags": self.flags,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """Everything stored for one session.

    metrics, findings, notices, tables : as in the Report they came from
        (values exact; NaN comes back as None).
    artefacts : kind -> path of files written for this session ("report_json",
        "annotated_video", "landmark_cache" ...). The files may since have been
        moved or deleted; the paths are what was recorded.
    report_dict : the full ``Report.to_dict()`` (frames, events, plots), or None
        for sessions stored before schema version 2 or before any result came.
    profile, settings : the runner's profile and the settings used (None when
        unknown). settings_fingerprint identifies the settings for de-duplication.
    """

    id: int
    created_at: str
    updated_at: str | None
    recorded_at: str | None
    activity: str
    activity_requested: str
    status: str
    note: str
    source_kind: str | None
    source_path: str | None
    source_sha256: str | None
    source_size_bytes: int | None
    view: str | None
    fps: float | None
    duration_s: float | None
    analysed_s: float | None
    frames_total: int | None
    frames_with_pose: int | None
    frames_done: int | None
    frames_expected: int | None
    profile: dict[str, Any] | None
    settings: dict[str, Any] | None
    settings_fingerprint: str | None
    formcheck_version: str | None
    model_sha256: str | None
    versions: dict[str, str]
    metrics: dict[str, Metric] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    artefacts: dict[str, str] = field(default_factory=dict)
    report_dict: dict[str, Any] | None = None

    @property
    def when(self) -> str:
        return self.recorded_at or self.created_at

    def report(self) -> Report | None:
        """The stored Report (without landmarks), or None if none was stored."""
        return None if self.report_dict is None else report_from_dict(self.report_dict)

    def to_dict(self, include_report: bool = True) -> dict[str, Any]:
        """JSON-ready dict (the ``history export --format json`` entry)."""
        d: dict[str, Any] = {
            "id": self.id,
            "when": self.when,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "recorded_at": self.recorded_at,
            "activity": self.activity,
            "activity_requested": self.activity_requested,
            "status": self.status,
            "note": self.note,
            "source": {
                "kind": self.source_kind,
                "path": self.source_path,
                "sha256": self.source_sha256,
                "size_bytes": self.source_size_bytes,
            },
            "view": self.view,
            "fps": self.fps,
            "duration_s": self.duration_s,
            "analysed_s": self.analysed_s,
            "frames_total": self.frames_total,
            "frames_with_pose": self.frames_with_pose,
            "frames_done": self.frames_done,
            "frames_expected": self.frames_expected,
            "profile": self.profile,
            "settings": self.settings,
            "settings_fingerprint": self.settings_fingerprint,
            "formcheck_version": self.formcheck_version,
            "model_sha256": self.model_sha256,
            "versions": dict(self.versions),
            "metrics": {k: metric_to_dict(m) for k, m in self.metrics.items()},
            "findings": [f.to_dict() for f in self.findings],
            "notices": [n.to_dict() for n in self.notices],
            "tables": {k: t.to_dict() for k, t in self.tables.items()},
            "artefacts": dict(self.artefacts),
        }
        if include_report:
            d["report"] = self.report_dict
        return d


def metric_to_dict(m: Metric) -> dict[str, Any]:
    """All fields of a Metric, unrounded (the store keeps exact values)."""
    return {
        "value": m.value,
        "unit": m.unit,
        "spread": m.spread,
        "n": m.n,
        "left": m.left,
        "right": m.right,
        "confidence": m.confidence,
        "note": m.note,
        "status": m.status,
        "accuracy": None if m.accuracy is None else m.accuracy.to_dict(),
    }


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One session in a trend.

    values : metric name -> the session's summary value (the median over its
        steps/reps, as the analyzer reports it), None when not measured.
    spreads, n : the matching half-IQR and step/rep counts.
    """

    session_id: int
    when: str
    status: str
    values: dict[str, float | None]
    spreads: dict[str, float | None]
    n: dict[str, int]


@dataclass(frozen=True, slots=True)
class Trend:
    """Per-session medians of some metrics over time, oldest first.

    units : metric -> unit of the newest session that has it. Values stored
        in another unit (an older formcheck) are left out (None) and counted
        in ``unit_mismatches`` rather than mixed in.
    """

    activity: str | None
    metrics: tuple[str, ...]
    units: dict[str, str]
    points: list[TrendPoint]
    unit_mismatches: dict[str, int] = field(default_factory=dict)

    def to_columns(self) -> dict[str, list[Any]]:
        """Column form for charts: ``session_id``, ``when``, ``status`` and one list per metric."""
        cols: dict[str, list[Any]] = {
            "session_id": [p.session_id for p in self.points],
            "when": [p.when for p in self.points],
            "status": [p.status for p in self.points],
        }
        for name in self.metrics:
            cols[name] = [p.values.get(name) for p in self.points]
        return cols


# ---------------------------------------------------------------------------------------
# Report from its JSON form
def _f(x: object) -> float:
    """A stored plot value back to float (None was NaN)."""
    return math.nan if x is None else float(x)  # type: ignore[arg-type]


def metric_from_report_dict(d: dict[str, Any]) -> Metric:
    return Metric(
        value=d.get("value"),
        unit=d.get("unit", ""),
        spread=d.get("spread"),
        n=int(d.get("n", 0)),
        left=d.get("left"),
        right=d.get("right"),
        confidence=d.get("confidence", "high"),
        note=d.get("note", ""),
        status=d.get("status"),
        accuracy=Accuracy.from_dict(d["accuracy"]) if d.get("accuracy") else None,
        stretch=Stretch.from_dict(d["stretch"]) if d.get("stretch") else None,
    )


def notice_from_dict(d: dict[str, Any]) -> Notice:
    return Notice(
        code=d["code"],
        message=d["message"],
        ranges_s=tuple((_f(a), _f(b)) for a, b in d.get("ranges_s", [])),
    )


def table_from_dict(d: dict[str, Any]) -> Table:
    return Table(
        columns=tuple(d["columns"]),
        units=tuple(d["units"]),
        rows=tuple(tuple(r) for r in d["rows"]),
    )


def finding_from_dict(d: dict[str, Any]) -> Finding:
    return Finding(
        cue=d["cue"],
        status=d["status"],
        metric=d.get("metric"),
        value=d.get("value"),
        unit=d.get("unit", ""),
        target=d.get("target", ""),
        message=d.get("message", ""),
        source=cited(d.get("source", "")),  # older reports name the notes file
        priority=int(d.get("priority", 50)),
        heuristic=bool(d.get("heuristic", False)),
        frame=d.get("frame"),
        ranges_s=tuple((_f(a), _f(b)) for a, b in d.get("ranges_s", [])),
        stretch=Stretch.from_dict(d["stretch"]) if d.get("stretch") else None,
    )


def report_from_dict(d: dict[str, Any]) -> Report:
    """Rebuild a :class:`Report` from ``Report.to_dict()`` output (no landmarks).

    ``report_from_dict(r.to_dict()).to_dict() == r.to_dict()`` for any report.
    """
    src = dict(d["source"])
    pose = dict(d["pose"])
    return Report(
        activity=d["activity"],
        view=d["view"],
        source=SourceInfo(**src),
        pose=PoseInfo(**pose),
        metrics={k: metric_from_report_dict(m) for k, m in d.get("metrics", {}).items()},
        findings=[finding_from_dict(f) for f in d.get("findings", [])],
        warnings=[notice_from_dict(w) for w in d.get("warnings", [])],
        events=[
            Event(
                kind=e["kind"],
                t_s=_f(e["t_s"]),
                frame=int(e["frame"]),
                side=e.get("side"),
                value=e.get("value"),
                label=e.get("label", ""),
            )
            for e in d.get("events", [])
        ],
        # kept as columns, like the report of an analysis (formcheck.framestates)
        frames=FrameStates.from_states(
            FrameState(
                frame=int(f["frame"]),
                t_s=_f(f["t_s"]),
                phase=f.get("phase"),
                form=f.get("form"),
                angles={k: _f(v) for k, v in f.get("angles", {}).items()},
                cue=f.get("cue"),
                reps=f.get("reps"),
                hold_s=f.get("hold_s"),
            )
            for f in d.get("frames", [])
        ),
        tables={k: table_from_dict(t) for k, t in d.get("tables", {}).items()},
        plots={
            k: (tuple(_f(x) for x in p["t_s"]), tuple(_f(x) for x in p["values"]), p["unit"])
            for k, p in d.get("plots", {}).items()
        },
        activity_requested=d.get("activity_requested", "auto"),
        activity_reason=d.get("activity_reason", ""),
        context=tuple(d.get("context", ())),
        partial=bool(d.get("partial", False)),
        created_at=d["created_at"],
        versions=dict(d.get("versions", {})),
        series=None,
    )
