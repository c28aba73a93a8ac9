"""A clip analysed on another machine: what goes there, what comes back, and landing it.

The Ray executor (:mod:`formcheck.pipeline.executor_ray`) runs a
:class:`RemoteClipWorker` in each Ray actor; this module imports Ray only to name the
node an actor runs on, so it runs and tests like any other code.

1. The driver describes the clip (:func:`describe`): its path here, its size and a
   fingerprint of its first and last MiB.
2. The worker (:meth:`RemoteClipWorker.analyse`) reads the clip **in place** when
   the same path holds the same file on its machine (a shared file system: NFS,
   SMB, the same disk), else answers ``need_bytes`` and the driver sends the clip's
   bytes instead (written to a temporary folder there, under the clip's own name).
3. The worker analyses it with its :class:`~formcheck.pipeline.worker.ClipWorker`
   (the landmarker loaded once), writing into a temporary folder and **not** saving
   to history (the history is the driver's file), and sends back a
   :class:`RemoteResult`: the report and every file it wrote, as bytes.
4. The driver lands the result (:func:`land`): the files go into the clip's own
   out folder, ``report.json`` is written from the report (it names the clip by its
   path on the driver's machine), and the session is saved in the driver's one
   history database, as :func:`~formcheck.pipeline.clip.analyse_clip` does for a
   clip analysed here.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from formcheck.cues import words_files
from formcheck.errors import FormcheckError, StoreError
from formcheck.io import atomic_write
from formcheck.pipeline.clip import ClipJob, ClipOutcome, write_json
from formcheck.pipeline.worker import ClipWorker
from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store.recording import AnalysisRecording

#: Bytes read at each end of a clip for its fingerprint (a cheap "same file?").
FINGERPRINT_BYTES = 1 << 20

#: How a clip reaches a worker: ``auto`` (in place when the worker sees the same
#: file, else its bytes), ``path`` (always in place), ``bytes`` (always sent).
SHIP_MODES = ("auto", "path", "bytes")


@dataclass(frozen=True, slots=True)
class ClipSource:
    """A clip as the driver sees it.

    path : its path on the driver's machine. size_bytes : its size.
    fingerprint : sha256 of its first and last :data:`FINGERPRINT_BYTES` and size.
    """

    path: str
    size_bytes: int
    fingerprint: str


@dataclass(slots=True)
class RemoteResult:
    """What a worker sends back for one clip.

    index : the job's position in the batch. need_bytes : the worker cannot read the
    clip in place (send its bytes). report, error, export_errors, stopped : as in
    :class:`~formcheck.pipeline.clip.ClipOutcome`. files : kind -> (path relative to
    the clip's out folder, content) for every file written. shipped : the clip came
    as bytes. worker : where it ran (host name and process id). settings : the
    settings the worker analysed with (saved with the session, as a local worker's).
    """

    index: int
    need_bytes: bool = False
    report: Report | None = None
    error: FormcheckError | None = None
    export_errors: list[str] = field(default_factory=list)
    stopped: bool = False
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    shipped: bool = False
    worker: str = ""
    settings: Settings | None = None


def fingerprint(path: Path | str) -> tuple[int, str]:
    """(size in bytes, sha256 of the size and the first and last MiB) of a file.

    Raises OSError when it cannot be read.
    """
    p = Path(path)
    size = p.stat().st_size
    h = hashlib.sha256(str(size).encode())
    with p.open("rb") as fh:
        h.update(fh.read(FINGERPRINT_BYTES))
        if size > FINGERPRINT_BYTES:
            fh.seek(max(FINGERPRINT_BYTES, size - FINGERPRINT_BYTES))
            h.update(fh.read(FINGERPRINT_BYTES))
    return size, h.hexdigest()


def describe(video: Path | str) -> ClipSource | None:
    """The driver's description of a clip; None when it cannot be read here (the
    worker then reports the clip's own error, as for a local run)."""
    try:
        size, digest = fingerprint(video)
    except OSError:
        return None
    return ClipSource(str(video), size, digest)


def readable_in_place(source: ClipSource) -> bool:
    """Whether this machine sees the same file at ``source.path``."""
    try:
        return fingerprint(source.path) == (source.size_bytes, source.fingerprint)
    except OSError:
        return False


class RemoteClipWorker:
    """The body of one Ray actor: a :class:`ClipWorker` plus shipping in and out.

    Parameters
    ----------
    settings : the batch's settings (the driver's).
    ship : one of :data:`SHIP_MODES`.
    prewarm : load the landmarker now, in the background (an actor is made to
        analyse; a test of the shipping need not load the model).
    """

    def __init__(self, settings: Settings, ship: str = "auto", prewarm: bool = True) -> None:
        self.worker = ClipWorker(settings)
        self.ship = ship
        self._stop = threading.Event()
        if prewarm:
            with contextlib.suppress(Exception):  # the first clip reports a model problem
                self.worker.estimators.prewarm()  # the landmarker loads while we wait

    def hello(self) -> dict[str, str]:
        """What the driver checks before the first clip: versions and where it runs."""
        import platform
        import sys

        from formcheck import __version__

        node = ""
        with contextlib.suppress(Exception):  # in a Ray actor: its node's id
            import ray

            node = ray.get_runtime_context().get_node_id()
        return {
            "formcheck": __version__,
            "python": ".".join(map(str, sys.version_info[:2])),
            "host": platform.node(),
            "node": node,
        }

    def stop(self) -> None:
        """Stop the clip being analysed as Ctrl-C would (it keeps its part)."""
        self._stop.set()

    def analyse(
        self, index: int, job: ClipJob, source: ClipSource | None, data: bytes | None = None
    ) -> RemoteResult:
        """Analyse ``job`` here (see the module docstring); never raises for the clip."""
        import os
        import platform

        where = f"{platform.node()}:{os.getpid()}"
        if self._stop.is_set():
            return RemoteResult(index, stopped=True, worker=where)
        in_place = data is None and (
            source is None
            or self.ship == "path"
            or (self.ship == "auto" and readable_in_place(source))
        )
        if data is None and not in_place:
            return RemoteResult(index, need_bytes=True, worker=where)
        tmp = Path(tempfile.mkdtemp(prefix="formcheck-remote-"))
        try:
            video = Path(job.video)
            if data is not None:
                video = tmp / "clip" / Path(job.video).name
                video.parent.mkdir()
                video.write_bytes(data)
            out = tmp / "out"
            here = replace(
                job, video=video, out_dir=out, json_copy=None, save=False, show_bars=False
            )
            outcome = self.worker.analyse(here, stop=self._stop)
            result = RemoteResult(
                index,
                report=outcome.report,
                error=outcome.error,
                export_errors=list(outcome.export_errors),
                stopped=outcome.stopped,
                shipped=data is not None,
                worker=where,
                settings=self.worker.settings,
            )
            for kind, path in outcome.artefacts.items():
                p = Path(path)
                with contextlib.suppress(ValueError, OSError):
                    result.files[kind] = (p.relative_to(out).as_posix(), p.read_bytes())
            if result.report is not None:
                result.report.source = replace(result.report.source, path=str(job.video))
            return result
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def close(self) -> None:
        self.worker.close()


def land(result: RemoteResult, job: ClipJob, settings: Settings) -> ClipOutcome:
    """A worker's result in the driver's out folder and history.

    The files go into ``job.out_dir`` (``report.json`` and the ``--json`` copy are
    written from the report); then, when ``job.save``, the session is saved in
    ``job.db`` (partial when the report is). Never raises: a file that cannot be
    written is said in ``outcome.export_errors``, a history problem in
    ``outcome.store_errors``.
    """
    outcome = ClipOutcome(
        Path(job.video),
        report=result.report,
        error=result.error,
        export_errors=list(result.export_errors),
        stopped=result.stopped,
    )
    report = result.report
    if report is None:
        return outcome
    out_dir = Path(job.out_dir)
    if write_json(job, report, outcome):  # report.json and the --json copy, as a local clip
        for kind, (rel, content) in result.files.items():
            if kind in ("report_json", "json"):
                continue
            try:
                outcome.artefacts[kind] = _write(out_dir / rel, content)
            except OSError as exc:
                outcome.export_errors.append(
                    words_files.files_not_written(rel, exc, job.save, str(out_dir))
                )
    if job.save:
        outcome.session_id = _save(job, result.settings or settings, report, outcome)
    return outcome


def _write(path: Path, content: bytes) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_bytes(content))


def _save(job: ClipJob, settings: Settings, report: Report, outcome: ClipOutcome) -> int | None:
    """The finished report as one history session (as a clip analysed here is saved)."""

    def store_error(exc: StoreError) -> None:
        outcome.store_errors.append(str(exc))

    rec = AnalysisRecording(
        job.db, job.activity, source_path=str(job.video), settings=settings, on_error=store_error
    )
    try:
        return rec.save(report, outcome.artefacts)
    finally:
        rec.close()
