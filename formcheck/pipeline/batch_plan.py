"""A batch's plan: which clips, where each one's results go, and which are done already.

Three pure steps (no analysis, no executor) that :mod:`formcheck.pipeline.batch_run`
runs before the clips:

1. :func:`discover`: the videos named by the arguments (files, folders, globs),
   each once, never from inside the batch's own output folder;
2. :func:`plan`: one output folder per clip, from its path relative to the clips'
   common folder (``a/IMG_0001.mp4`` -> ``OUT/a/IMG_0001_mp4/``), so two clips
   with the same name in different folders (or ``x.mp4`` beside ``x.mov``) never
   share a folder, and a clip keeps its folder when others are added to the batch;
3. :func:`resume_decision`: whether a clip must be analysed, from its folder's
   status file (:class:`ClipMark`) and the history: a clip is done when its
   ``report.json`` is in its folder and the status file or the history says it was
   analysed completely from the same content (sha256), model, settings and
   requested activity (:class:`ClipKey`).
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from formcheck.io import atomic_write_text

#: File suffixes a folder or glob contributes (any file named on its own is tried).
VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi")

#: Each clip's status file in its output folder.
MARK_NAME = "batch-clip.json"

#: Failures that are not the clip's own (a worker that died, a bug): tried again.
RETRY_CODES = frozenset({"worker_lost", "unexpected_error"})


@dataclass(frozen=True, slots=True)
class BatchClip:
    """One clip of a batch.

    video : the clip, absolute.
    rel : its path relative to the clips' common folder, with ``/`` (the summary's
        name for it).
    out_dir : its own output folder, absolute.
    """

    video: Path
    rel: str
    out_dir: Path


@dataclass(frozen=True, slots=True)
class ClipKey:
    """What makes two analyses the same: the clip's content, the model, the settings
    that change results, and the activity asked for."""

    sha256: str
    model_sha256: str
    settings_fingerprint: str
    activity: str


@dataclass(slots=True)
class ClipMark:
    """A clip's status file (``batch-clip.json``), written after each outcome.

    status : ``ok`` or ``failed`` (a stopped clip leaves none: it runs again).
    key : what it was analysed as. size_bytes, mtime_ns : the file when its sha256
        was taken (unchanged: the sha256 is not taken again).
    row : its summary row (see :mod:`formcheck.pipeline.batch_summary`).
    code : the error code of a failure.
    """

    status: str
    key: ClipKey
    size_bytes: int
    mtime_ns: int
    row: dict[str, Any] = field(default_factory=dict)
    code: str | None = None

    def save(self, folder: Path) -> None:
        atomic_write_text(folder / MARK_NAME, json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, folder: Path) -> ClipMark | None:
        """The status file of ``folder``, or None (missing or unreadable)."""
        try:
            raw = json.loads((folder / MARK_NAME).read_text())
            return cls(
                status=str(raw["status"]),
                key=ClipKey(**raw["key"]),
                size_bytes=int(raw["size_bytes"]),
                mtime_ns=int(raw["mtime_ns"]),
                row=dict(raw.get("row") or {}),
                code=raw.get("code"),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None


# ---------------------------------------------------------------------------------------
def _has_magic(text: str) -> bool:
    return glob.has_magic(text)


def _is_inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and (path == folder or folder in path.parents)


def _absolute(path: Path) -> Path:
    """Absolute and normalised, but symbolic links kept as named (a folder of links
    to clips keeps its own names and layout)."""
    return Path(os.path.abspath(path))


def discover(
    inputs: Sequence[str | Path], recursive: bool = False, exclude: Path | None = None
) -> tuple[list[Path], list[str]]:
    """The videos named by ``inputs``, absolute, each once, in a stable order.

    inputs : files (any suffix: the analysis says if it cannot read one), folders
        (their files with a :data:`VIDEO_SUFFIXES` suffix, any case; their sub-folders
        too with ``recursive``) and globs (``**`` reaches into sub-folders with
        ``recursive``).
    exclude : a folder never looked into (the batch's output folder: its annotated
        videos are not clips).

    Returns
    -------
    (videos, unmatched) : the videos sorted by path (absolute; links not followed,
        so a folder of links keeps its names); the inputs that named nothing.
    """
    exclude = _absolute(exclude) if exclude is not None else None
    found: dict[Path, None] = {}
    unmatched: list[str] = []
    for item in inputs:
        text = str(item)
        paths = (
            [Path(p) for p in glob.glob(text, recursive=recursive)]
            if _has_magic(text)
            else [Path(text)]
        )
        matched = False
        for p in paths:
            if p.is_dir():
                inside = dict.fromkeys(_videos_in(p, recursive, exclude))
                found.update(inside)
                matched = matched or bool(inside)
            elif p.is_file() or p.is_symlink():
                a = _absolute(p)
                if not _is_inside(a, exclude) and (
                    not _has_magic(text) or a.suffix.lower() in VIDEO_SUFFIXES
                ):
                    found[a] = None
                    matched = True
        if not matched:
            unmatched.append(text)
    return sorted(found), unmatched


def _videos_in(folder: Path, recursive: bool, exclude: Path | None) -> Iterable[Path]:
    folder = _absolute(folder)
    if _is_inside(folder, exclude):
        return
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(
            d for d in dirs if recursive and not d.startswith(".") and here / d != exclude
        )
        for name in sorted(files):
            if Path(name).suffix.lower() in VIDEO_SUFFIXES and not name.startswith("."):
                yield here / name


def folder_name(rel: Path) -> Path:
    """A clip's output folder under the batch's, from its relative path: the stem and
    the suffix joined (``a/IMG_0001.mp4`` -> ``a/IMG_0001_mp4``), so ``x.mp4`` and
    ``x.mov`` never share one."""
    suffix = rel.suffix.lower().lstrip(".")
    name = f"{rel.stem}_{suffix}" if suffix else rel.name
    return rel.parent / name


def plan(videos: Sequence[Path], out: Path) -> list[BatchClip]:
    """One :class:`BatchClip` per video, its folder under ``out`` (see the module
    docstring). Two folders that differ only in letter case (one folder on macOS
    and Windows) get the clip's full relative path's sha256 prefix appended."""
    if not videos:
        return []
    videos = [_absolute(Path(v)) for v in videos]
    root = Path(os.path.commonpath([v.parent for v in videos]))
    out = _absolute(out)
    rels = [v.relative_to(root) for v in videos]
    folders = [folder_name(r) for r in rels]
    seen: dict[str, int] = {}
    for f in folders:
        seen[str(f).casefold()] = seen.get(str(f).casefold(), 0) + 1
    clips = []
    for v, r, f in zip(videos, rels, folders, strict=True):
        if seen[str(f).casefold()] > 1:
            f = f.with_name(f"{f.name}_{hashlib.sha256(r.as_posix().encode()).hexdigest()[:8]}")
        clips.append(BatchClip(v, r.as_posix(), out / f))
    return clips


# ---------------------------------------------------------------------------------------
def resume_decision(
    report_json_exists: bool,
    mark: ClipMark | None,
    key: ClipKey | None,
    in_history: bool,
) -> str:
    """What to do with a clip when the batch starts (again).

    report_json_exists : its folder holds ``report.json``.
    mark : its status file, or None.
    key : what it would be analysed as now (None: not worked out, because nothing
        in its folder could match).
    in_history : the history holds a complete analysis with ``key`` whose
        ``report.json`` is this folder's.

    Returns
    -------
    ``"done"`` (analysed with the same key: skipped), ``"failed"`` (failed with the
    same key for a reason of its own: not tried again, its reason kept) or
    ``"run"``.
    """
    if key is None:
        return "run"
    same = mark is not None and mark.key == key
    if same and mark is not None and mark.status == "failed" and mark.code not in RETRY_CODES:
        return "failed"
    if report_json_exists and ((same and mark is not None and mark.status == "ok") or in_history):
        return "done"
    return "run"
