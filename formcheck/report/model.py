"""The `Report`: everything one analysis found, and its JSON form.

``Report.to_dict()`` is the machine-readable report (``"schema":
"formcheck.report/1"``); the CLI writes it as ``report.json``, the HTML
report and the app read the same object.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from formcheck.cues.words import NOT_MEDICAL_ADVICE
from formcheck.cues.words_training import training_context
from formcheck.framestates import FrameStates
from formcheck.io import atomic_write
from formcheck.pose.series import PoseSeries
from formcheck.results import (
    ActivityResult,
    Event,
    Finding,
    FrameState,
    Metric,
    Notice,
    Table,
    _num,
)

SCHEMA = "formcheck.report/1"


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Facts about the analysed clip (or ``kind="landmarks"`` for analyze_pose input).

    duration_s : what the container states; decoded_s : up to the last frame
    actually decoded (shorter when the file is truncated). analysed_s : for a
    stopped (partial) analysis, the seconds of video actually analysed: the
    length of the analysed stretches together (two parallel segments stopped
    early leave a hole between them, so this is less than ``decoded_s``); None
    when everything up to ``decoded_s`` was analysed. recorded_at : when the
    clip was filmed (UTC ISO 8601, from the file's creation time), if known.
    """

    kind: str
    path: str | None = None
    sha256: str | None = None
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    duration_s: float | None = None
    decoded_s: float | None = None
    frames: int | None = None
    rotation_deg: int = 0
    vfr: bool = False
    is_image: bool = False
    codec: str | None = None
    recorded_at: str | None = None
    analysed_s: float | None = None

    @property
    def seconds_analysed(self) -> float | None:
        """Seconds of video analysed: ``analysed_s``, else ``decoded_s``, else ``duration_s``."""
        for s in (self.analysed_s, self.decoded_s, self.duration_s):
            if s is not None:
                return s
        return None

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "path": self.path,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "width": self.width,
            "height": self.height,
            "fps": _num(self.fps),
            "duration_s": _num(self.duration_s),
            "decoded_s": _num(self.decoded_s),
            "analysed_s": _num(self.analysed_s),
            "frames": self.frames,
            "rotation_deg": self.rotation_deg,
            "vfr": self.vfr,
            "is_image": self.is_image,
            "codec": self.codec,
            "recorded_at": self.recorded_at,
        }


@dataclass(frozen=True, slots=True)
class PoseInfo:
    """How the landmarks were obtained."""

    frames_total: int
    frames_with_pose: int
    model_sha256: str | None = None
    from_cache: bool = False
    cache_path: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "frames_total": self.frames_total,
            "frames_with_pose": self.frames_with_pose,
            "model_sha256": self.model_sha256,
            "from_cache": self.from_cache,
            "cache_path": self.cache_path,
        }


@dataclass(slots=True)
class Report:
    """One analysis. Build with :func:`formcheck.analyze` or :func:`formcheck.analyze_pose`.

    ``frames[i]`` is the analyzer's state at series frame ``i`` (form label,
    angles, phase): a list, or for an analysed clip a
    :class:`~formcheck.framestates.FrameStates` (the same states kept as
    columns); ``context`` holds training-habit lines (formcheck.cues.words);
    ``series`` holds the landmarks (not written to JSON; the landmark cache path is).
    """

    activity: str
    view: str
    source: SourceInfo
    pose: PoseInfo
    metrics: dict[str, Metric] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    frames: Sequence[FrameState] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    plots: dict[str, tuple[tuple[float, ...], tuple[float, ...], str]] = field(default_factory=dict)
    activity_requested: str = "auto"
    activity_reason: str = ""
    context: tuple[str, ...] = ()
    partial: bool = False
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    versions: dict[str, str] = field(default_factory=dict)
    series: PoseSeries | None = None

    @classmethod
    def from_result(
        cls,
        result: ActivityResult,
        source: SourceInfo,
        pose: PoseInfo,
        warnings: list[Notice],
        **kw: object,
    ) -> Report:
        return cls(
            activity=result.activity,
            view=result.view,
            source=source,
            pose=pose,
            metrics=dict(result.metrics),
            findings=sorted(result.findings, key=lambda f: (f.status != "flag", f.priority)),
            warnings=[*warnings, *result.notices],
            events=list(result.events),
            frames=(
                result.frames if isinstance(result.frames, FrameStates) else list(result.frames)
            ),
            tables=dict(result.tables),
            plots=dict(result.series),
            context=training_context(result.activity),
            **kw,  # type: ignore[arg-type]
        )

    def metric_value(self, name: str) -> float | None:
        m = self.metrics.get(name)
        return None if m is None else m.value

    def to_dict(self, include_frames: bool = True) -> dict[str, object]:
        d: dict[str, object] = {
            "schema": SCHEMA,
            "created_at": self.created_at,
            "versions": dict(self.versions),
            "source": self.source.to_dict(),
            "pose": self.pose.to_dict(),
            "activity": self.activity,
            "activity_requested": self.activity_requested,
            "activity_reason": self.activity_reason,
            "view": self.view,
            "partial": self.partial,
            "metrics": {k: m.to_dict() for k, m in self.metrics.items()},
            "findings": [f.to_dict() for f in self.findings],
            "warnings": [w.to_dict() for w in self.warnings],
            "events": [e.to_dict() for e in self.events],
            "tables": {k: t.to_dict() for k, t in self.tables.items()},
            "plots": {
                k: {"t_s": [_num(x) for x in t], "values": [_num(x) for x in v], "unit": u}
                for k, (t, v, u) in self.plots.items()
            },
            "context": list(self.context),
            "disclaimer": NOT_MEDICAL_ADVICE,
        }
        if include_frames:
            d["frames"] = [f.to_dict() for f in self.frames]
        return d

    def json_parts(
        self, indent: int | None = 1, separators: tuple[str, str] | None = None
    ) -> Iterator[str]:
        """The report JSON in pieces, for writing it out without holding it all.

        Joined, the pieces are exactly ``json.dumps(self.to_dict(), indent=indent,
        separators=separators, allow_nan=False)``; but the text of everything
        except the frames comes from the encoder as it goes, and each frame's dict
        and text are made one at a time, instead of the whole clip's at once (with
        ``indent``, :mod:`json` encodes in Python and holds every small piece of
        the text before joining it: about 2.8 KB per frame for a 10-minute run).
        E.g. the history could compress ``json_parts(None, (",", ":"))`` piece
        by piece instead of ``json.dumps(report.to_dict(), ...)`` at once.
        """
        return self._json_pieces(indent, separators, stream=True)

    def _json_pieces(
        self, indent: int | None, separators: tuple[str, str] | None, stream: bool
    ) -> Iterator[str]:
        kw: dict[str, object] = {"indent": indent, "separators": separators, "allow_nan": False}
        if indent is not None and not isinstance(indent, int):
            yield json.dumps(self.to_dict(), **kw)  # type: ignore[arg-type]
            return
        item, key = separators or ((", ", ": ") if indent is None else (",", ": "))
        if indent is None:
            nl1, nl2, close = "", "", "}"
        else:
            nl1, nl2, close = "\n" + " " * indent, "\n" + " " * (2 * indent), "\n}"
        head = self.to_dict(include_frames=False)
        # the head without its closing brace: "frames" goes last, as in to_dict
        if stream:
            tail = ""
            for chunk in json.JSONEncoder(**kw).iterencode(head):  # type: ignore[arg-type]
                tail += chunk
                if len(tail) > 4096:
                    yield tail[:-16]
                    tail = tail[-16:]
        else:
            tail = json.dumps(head, **kw)  # type: ignore[arg-type]
        if not tail.endswith(close):  # pragma: no cover - json always closes a dict so
            raise ValueError("unexpected JSON layout")
        yield tail[: -len(close)]
        del head
        yield f'{item}{nl1}"frames"{key}['
        for i, f in enumerate(self.frames):
            text = json.dumps(f.to_dict(), **kw)  # type: ignore[arg-type]
            # one nesting level deeper than json.dumps writes it (no raw newline
            # can occur inside a JSON string, so every newline is layout)
            yield ("" if i == 0 else item) + nl2 + text.replace("\n", nl2)
        yield (nl1 if self.frames else "") + "]" + close

    def to_json(self, indent: int | None = 1) -> str:
        return "".join(self._json_pieces(indent, None, stream=False))

    def save_json(self, path: Path) -> Path:
        """Write :meth:`to_json` to ``path`` atomically, piece by piece (see :meth:`json_parts`)."""

        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.writelines(self._json_pieces(1, None, stream=True))

        return atomic_write(Path(path), write)
