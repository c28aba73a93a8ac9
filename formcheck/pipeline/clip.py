"""Analyse one clip: the use case the command line, the batch and the Review page share.

:func:`analyse_clip` runs, in this order and nowhere else:

1. a ``running`` history session (so a crash or a kill leaves a partial session,
   never nothing), checkpointed as the pose pass goes;
2. the analysis (:func:`formcheck.pipeline.analysis.analyze`);
3. ``report.json`` (and a copy where asked), written before anything that can
   fail for reasons of its own, so the numbers are kept whatever follows;
4. the export pass: HTML report, annotated video, key frames
   (:func:`formcheck.pipeline.export.export_artifacts`); when it fails the
   analysis is kept and the outcome says what is missing (an annotated video that
   does not fit on the disk: which file, what it needs, what is free; the HTML
   report and key frames are still written); after a stop only the HTML report
   (no video, no key frames: nothing is decoded again);
5. the history session saved as complete; a stopped pass's session is saved as
   partial at once, before step 4 (its HTML report is added to it when written).

It prints nothing: what happened comes back as a :class:`ClipOutcome`, and each
caller shows it in its own way.

Cancellation: a ``KeyboardInterrupt`` (Ctrl-C) during the pose pass, or ``stop``
being set by another thread, ends the pass early; the report then covers the part
analysed (``partial``): report.json is written and the session saved as partial at
once, then an HTML report without pictures (no video: nothing is decoded again). Anything that ends
the call from outside (a Streamlit rerun, a ``KeyboardInterrupt`` after the pass)
marks the history session partial and propagates.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from formcheck.cues import words_files
from formcheck.errors import FormcheckError, StoreError
from formcheck.pipeline.analysis import analyze
from formcheck.pipeline.export import export_artifacts
from formcheck.pipeline.landmarks import ProgressFn
from formcheck.pose.pool import EstimatorPool
from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store.recording import AnalysisRecording


@dataclass(frozen=True, slots=True)
class ClipJob:
    """What to do with one clip.

    video : the clip (or a photo of a hold).
    activity : an activity name of :mod:`formcheck.activities`, or ``"auto"``.
    out_dir : folder for ``report.json``, ``report.html``, ``annotated.mp4`` and
        ``keyframes/`` (created).
    json_copy : also write the JSON report here.
    draw_video : write the annotated video (key frames and the HTML are written
        either way).
    save : add the analysis to the history.
    db : the history file (None: ``$FORMCHECK_DB`` or the data folder).
    show_bars : let the export pass draw its own progress bar on stderr.
    """

    video: Path
    activity: str
    out_dir: Path
    json_copy: Path | None = None
    draw_video: bool = True
    save: bool = True
    db: Path | None = None
    show_bars: bool = False


@dataclass(slots=True)
class ClipOutcome:
    """How one clip went.

    report : the analysis, or None when the clip could not be analysed.
    error : why it could not be analysed (what happened and what to do), or None.
    artefacts : kind -> path of every file written (``report_json``,
        ``report_html``, ``annotated_video``, ``keyframe_<name>``, ``json``).
    export_errors : files that could not be written, in words (the analysis is kept,
        and ``report.json`` whenever its folder can be written).
    session_id : the history session it was saved as, or None.
    store_errors : what went wrong with the history (the analysis goes on).
    stopped : the pass was stopped before the end of the clip (Ctrl-C or ``stop``).
    """

    video: Path
    report: Report | None = None
    error: FormcheckError | None = None
    artefacts: dict[str, Path] = field(default_factory=dict)
    export_errors: list[str] = field(default_factory=list)
    session_id: int | None = None
    store_errors: list[str] = field(default_factory=list)
    stopped: bool = False


@dataclass(frozen=True, slots=True)
class ClipCallbacks:
    """How a caller follows one clip analysed in its own process (each optional; see
    :func:`analyse_clip` for when each is called)."""

    progress: ProgressFn | None = None
    on_stage: Callable[[str], None] | None = None
    on_store_error: Callable[[str], None] | None = None


def was_stopped(report: Report) -> bool:
    """The pass was stopped before the clip's end (the report covers the part analysed)."""
    return any(n.code == "interrupted" for n in report.warnings)


def analyse_clip(
    job: ClipJob,
    settings: Settings,
    progress: ProgressFn | None = None,
    stop: threading.Event | None = None,
    on_store_error: Callable[[str], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
    estimators: EstimatorPool | None = None,
) -> ClipOutcome:
    """Analyse ``job.video``, write its results into ``job.out_dir``, save it to history.

    Parameters
    ----------
    job : what to analyse and where the results go.
    settings : the analysis settings (model, smoothing, profile, thresholds).
    progress : ``progress(frames_done, frames_expected or None, t_s)`` during the
        pose pass (called from the calling thread).
    stop : set from another thread to stop the pose pass early (the part analysed
        is kept, as after Ctrl-C).
    on_store_error : called with each history problem as it happens (the CLI
        prints it at once; the outcome lists them too).
    on_stage : called with ``"export"`` when the pose pass and analysis are done
        and the files are being drawn and written (a page says so).
    estimators : a loaded landmarker to reuse (a batch worker's,
        :class:`formcheck.pipeline.worker.ClipWorker`), for a one-thread pose pass.

    Returns
    -------
    ClipOutcome
        Never raises a :class:`FormcheckError`: an unusable clip comes back with
        ``error`` set.
    """
    outcome = ClipOutcome(Path(job.video))

    def store_error(exc: StoreError) -> None:
        outcome.store_errors.append(str(exc))
        if on_store_error is not None:
            on_store_error(str(exc))

    rec = (
        AnalysisRecording(
            job.db,
            job.activity,
            source_path=str(job.video),
            settings=settings,
            on_error=store_error,
        )
        if job.save
        else None
    )
    # the recording's own exit ends the session when the call does not save it: an
    # error removes a session that holds nothing, a stop (Ctrl-C, an app's rerun)
    # keeps what was checkpointed, marked partial
    with rec if rec is not None else contextlib.nullcontext():
        try:
            report = analyze(
                job.video,
                job.activity,
                settings,
                progress=rec.wrap(progress) if rec is not None else progress,
                checkpoint=rec.update if rec is not None else None,
                stop=stop,
                estimators=estimators,
            )
        except FormcheckError as exc:  # an unusable clip: said in the outcome
            outcome.error = exc
            # stopped before anything could be kept: the batch ends here too
            outcome.stopped = exc.code == "stopped_too_soon"
            return outcome
        outcome.report = report
        outcome.stopped = was_stopped(report)
        if on_stage is not None:
            on_stage("export")
        # each step never raises an Exception: a failure is said in the outcome
        folder_ok = write_json(job, report, outcome)
        if outcome.stopped and rec is not None:  # stop means stop: saved before the HTML
            outcome.session_id = rec.save(report, outcome.artefacts)
        saved = set(outcome.artefacts)
        if folder_ok:  # else (full disk, no permission) the export would fail too
            _export(job, report, outcome)
        if rec is not None:
            if outcome.stopped:
                rec.add_files({k: p for k, p in outcome.artefacts.items() if k not in saved})
            else:
                outcome.session_id = rec.save(report, outcome.artefacts)
        return outcome


def write_json(job: ClipJob, report: Report, outcome: ClipOutcome) -> bool:
    """report.json first (the numbers are kept whatever follows), then the ``--json``
    copy; each failure is said in ``outcome.export_errors``. False when report.json
    could not be written."""
    out_dir = Path(job.out_dir)
    try:
        outcome.artefacts["report_json"] = report.save_json(out_dir / "report.json")
    except OSError as exc:
        outcome.export_errors.append(
            words_files.files_not_written("report.json", exc, job.save, str(out_dir))
        )
        return False
    if job.json_copy is not None:
        try:
            outcome.artefacts["json"] = report.save_json(job.json_copy)
        except OSError as exc:
            outcome.export_errors.append(
                words_files.files_not_written(str(job.json_copy), exc, job.save)
            )
    return True


def _export(job: ClipJob, report: Report, outcome: ClipOutcome) -> None:
    """The HTML report, annotated video and key frames; a failure is said in
    ``outcome.export_errors``. The analysis itself is never lost to a file that fails."""
    out_dir = Path(job.out_dir)
    try:
        outcome.artefacts.update(
            export_artifacts(
                report,
                out_dir,
                video=Path(job.video) if job.draw_video else None,
                quiet=not job.show_bars,
                problems=outcome.export_errors,  # a video that does not fit: said here
                pictures=not outcome.stopped,  # stop means stop: no decoding again
            )
        )
    except Exception as exc:  # keep the analysis; say what is missing
        outcome.export_errors.append(
            words_files.files_not_written(
                "The annotated video and HTML report", exc, job.save, str(out_dir)
            )
        )
