"""The batch use case: every clip of some folders analysed once, resumably.

:func:`run_batch`

1. finds the videos and plans one output folder per clip
   (:mod:`formcheck.pipeline.batch_plan`);
2. decides for each clip whether it is done already: analysed completely with
   the same content (sha256), model, settings and requested activity, as its
   folder's status file or the history says (its sha256 is taken again only when
   the file's size or modification time changed); done clips are skipped, clips
   that failed for a reason of their own are not tried again;
3. hands the others to an executor (:mod:`formcheck.pipeline.executors`), longest
   file first, and after each clip writes its status file and rewrites
   ``summary.csv`` / ``summary.html`` (:mod:`formcheck.pipeline.batch_summary`)
   and appends a line to ``batch-log.jsonl``.

So after Ctrl-C, a kill or a crash, the same command goes on where it stopped: a
clip is analysed again only if its analysis never completed (a stopped clip keeps
a partial report and history session until then). Settings are the same for
every clip: one landmarker thread per clip (``pose_workers`` 1), clips side by side
in the executor's workers, so ``--workers`` does not change what "the same
settings" means.

It prints nothing: ``on_plan`` and ``on_clip`` tell the caller.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from formcheck.errors import FormcheckError, StoreError
from formcheck.io import file_size
from formcheck.pipeline.batch_plan import (
    BatchClip,
    ClipKey,
    ClipMark,
    discover,
    plan,
    resume_decision,
)
from formcheck.pipeline.batch_summary import (
    SummaryRow,
    report_fields,
    report_link,
    write_summary,
)
from formcheck.pipeline.clip import ClipJob, ClipOutcome
from formcheck.pipeline.executors import Executor
from formcheck.pose.model import file_sha256, verify_model
from formcheck.report.model import SourceInfo
from formcheck.settings import Settings
from formcheck.store.db import HistoryDB
from formcheck.store.values import settings_fingerprint

LOG_NAME = "batch-log.jsonl"

PlanFn = Callable[[list[SummaryRow], int], None]
"""on_plan(rows, to_run): the rows as decided before any clip runs."""
ClipFn = Callable[[SummaryRow, ClipOutcome], None]
"""on_clip(row, outcome): a clip the executor finished (in finishing order)."""


@dataclass(slots=True)
class BatchResult:
    """How a batch went: its rows (in the plan's order), its summary files, whether it
    was stopped, the arguments that named nothing, and history problems."""

    rows: list[SummaryRow]
    csv_path: Path
    html_path: Path
    stopped: bool = False
    unmatched: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.rows)


def batch_settings(settings: Settings) -> Settings:
    """The settings every clip of a batch is analysed with (one landmarker thread)."""
    return settings.replace(pose_workers=1)


class _Keys:
    """The :class:`ClipKey` of a clip now, its sha256 reused while the file is unchanged."""

    def __init__(self, settings: Settings, activity: str) -> None:
        self.model_sha = verify_model(settings.model_path).sha256  # a bad model: stop now
        self.fingerprint = settings_fingerprint(settings)
        self.activity = activity

    def key(
        self, video: Path, mark: ClipMark | None, analysed: SourceInfo | None = None
    ) -> tuple[ClipKey, int, int] | None:
        """(key, size in bytes, modification time in ns) of ``video`` now; None when it
        cannot be read. Its sha256 is the status file's (``mark``) while the file's size
        and time are unchanged, else the analysis' (``analysed``, the report's source)
        while its size is, else taken again."""
        try:
            st = video.stat()
            same_file = mark is not None and (mark.size_bytes, mark.mtime_ns) == (
                st.st_size,
                st.st_mtime_ns,
            )
            if same_file and mark is not None:
                sha = mark.key.sha256
            elif analysed is not None and analysed.sha256 and analysed.size_bytes == st.st_size:
                sha = analysed.sha256  # hashed by the analysis moments ago
            else:
                sha = file_sha256(video)
        except OSError:
            return None
        key = ClipKey(sha, self.model_sha, self.fingerprint, self.activity)
        return key, st.st_size, st.st_mtime_ns


def _in_history(db: HistoryDB | None, key: ClipKey, report_json: Path, problems: list[str]) -> bool:
    if db is None:
        return False
    try:
        found = db.complete_reports(
            key.sha256, key.activity, key.settings_fingerprint, key.model_sha256
        )
    except StoreError as exc:
        problems.append(str(exc))
        return False
    return str(report_json) in found


def _row_from_report_json(clip: BatchClip, out: Path, status: str) -> SummaryRow:
    row = SummaryRow(clip.rel, status, report=report_link(clip.out_dir, out))
    try:
        report = json.loads((clip.out_dir / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return row
    row.activity, row.metrics, row.top_finding = report_fields(report)
    return row


def _decide(
    clip: BatchClip, out: Path, keys: _Keys, db: HistoryDB | None, problems: list[str]
) -> tuple[str, SummaryRow]:
    """What to do with ``clip`` now, and its row (see :func:`resume_decision`)."""
    mark = ClipMark.load(clip.out_dir)
    report_json = clip.out_dir / "report.json"
    has_report = report_json.is_file()
    got = keys.key(clip.video, mark) if (has_report or mark is not None) else None
    key = got[0] if got is not None else None
    history = key is not None and has_report and _in_history(db, key, report_json, problems)
    decision = resume_decision(has_report, mark, key, history)
    if decision == "failed" and mark is not None:
        return decision, SummaryRow.from_json({**mark.row, "status": "failed"})
    if decision == "done":
        if mark is not None and mark.key == key and mark.row:
            row = SummaryRow.from_json(mark.row)
            row.status = "skipped-already-done"
            return decision, row
        row = _row_from_report_json(clip, out, "skipped-already-done")
        if got is not None:  # only the history knew: the status file saves work next time
            with contextlib.suppress(OSError):
                ClipMark("ok", got[0], got[1], got[2], row.to_json()).save(clip.out_dir)
        return decision, row
    return decision, SummaryRow(clip.rel)


def _row_for(clip: BatchClip, out: Path, outcome: ClipOutcome) -> SummaryRow:
    """The summary row of a clip the executor gave back."""
    row = SummaryRow(clip.rel, session=outcome.session_id)
    if outcome.error is not None:
        row.status, row.reason = "failed", str(outcome.error)
        return row
    row.status = "stopped" if outcome.stopped or outcome.report is None else "ok"
    if outcome.report is not None:
        report = outcome.report.to_dict(include_frames=False)
        row.activity, row.metrics, row.top_finding = report_fields(report)
        row.report = report_link(clip.out_dir, out)
    row.reason = "; ".join([*outcome.export_errors, *outcome.store_errors])
    return row


def _mark(clip: BatchClip, keys: _Keys, row: SummaryRow, outcome: ClipOutcome) -> None:
    """The clip's status file after its outcome (a stopped clip gets none: it runs again)."""
    path = clip.out_dir
    if row.status not in ("ok", "failed"):
        with contextlib.suppress(OSError):
            (path / "batch-clip.json").unlink(missing_ok=True)
        return
    got = keys.key(clip.video, None, outcome.report.source if outcome.report else None)
    if got is None:
        return  # the clip cannot be read any more: nothing to key it by
    code = outcome.error.code if outcome.error is not None else None
    with contextlib.suppress(OSError):
        ClipMark(row.status, got[0], got[1], got[2], row.to_json(), code).save(path)


def _log(out: Path, **entry: object) -> None:
    """One line of ``batch-log.jsonl`` (every clip outcome of every run, appended)."""
    entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), **entry}
    with contextlib.suppress(OSError), open(out / LOG_NAME, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")


def run_batch(
    inputs: Sequence[str | Path],
    out: Path,
    settings: Settings,
    executor: Executor,
    *,
    activity: str = "auto",
    recursive: bool = False,
    draw_video: bool = True,
    db: Path | None = None,
    stop: threading.Event | None = None,
    on_plan: PlanFn | None = None,
    on_clip: ClipFn | None = None,
) -> BatchResult:
    """Analyse every video named by ``inputs`` not done already; results under ``out``.

    Raises :class:`FormcheckError` when there is no video at all, the model is
    unusable, or the executor cannot run (e.g. Ray missing). One bad clip never
    does: it is a ``failed`` row with its reason. ``stop`` (set on Ctrl-C) stops
    the clips running (they keep their part) and starts no more.
    """
    from formcheck.cues import words_batch

    stop = stop if stop is not None else threading.Event()
    settings = batch_settings(settings)
    out = Path(os.path.abspath(out))
    videos, unmatched = discover(inputs, recursive, exclude=out)
    if not videos:
        raise FormcheckError(*words_batch.nothing_found([str(i) for i in inputs]), code="no_clips")
    keys = _Keys(settings, activity)
    clips = plan(videos, out)
    problems: list[str] = []
    try:
        history: HistoryDB | None = HistoryDB(db).open()
    except StoreError as exc:  # the analyses will say it again, each for its clip
        problems.append(str(exc))
        history = None
    rows: list[SummaryRow] = []
    todo: list[int] = []
    try:
        for i, clip in enumerate(clips):
            decision, row = _decide(clip, out, keys, history, problems)
            rows.append(row)
            if decision == "run":
                todo.append(i)
    finally:
        if history is not None:
            history.close()
    todo.sort(key=lambda i: -file_size(clips[i].video))  # the longest does not start last
    csv_path, html_path = write_summary(out, rows)
    _log(out, event="start", clips=len(clips), to_run=len(todo))
    if on_plan is not None:
        on_plan(rows, len(todo))
    jobs = [
        ClipJob(clips[i].video, activity, clips[i].out_dir, draw_video=draw_video, db=db)
        for i in todo
    ]
    stopped = False
    outcomes = executor.run(jobs, settings, stop)
    try:
        for j, outcome in outcomes:
            i = todo[j]
            if outcome.error is not None and stop.is_set():
                # a clip stopped too early to keep anything fails as "too short" or
                # "nobody found": stopped, not failed (it runs again next time)
                outcome = ClipOutcome(outcome.video, stopped=True)
            row = rows[i] = _row_for(clips[i], out, outcome)
            stopped = stopped or row.status == "stopped"
            _mark(clips[i], keys, row, outcome)
            write_summary(out, rows)
            _log(out, event="clip", clip=row.clip, status=row.status, reason=row.reason)
            if on_clip is not None:
                on_clip(row, outcome)
    except KeyboardInterrupt:  # no handler set by the caller: stop here
        stopped = True
    finally:
        close = getattr(outcomes, "close", None)
        if close is not None:
            close()  # ends the executor's workers if we leave early
    for row in rows:
        if row.status == "pending":
            row.status, stopped = "stopped", True
    write_summary(out, rows)
    _log(out, event="end", stopped=stopped)
    return BatchResult(rows, csv_path, html_path, stopped or stop.is_set(), unmatched, problems)
