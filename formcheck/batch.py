"""``formcheck analyze a.mp4 b.mp4 ... --jobs N``: several clips at once, a process each.

One clip after another, each clip's pose pass uses both cores of a 2-core machine
through two landmarker threads (:mod:`formcheck.pose.parallel`), but writing its
annotated video and report does not. Clips in their own processes (one pose thread
each) keep both cores busy for all of it. Measured on the benchmark machine with
four clips, analysis plus annotated video and report files (benchmarks/notes.md,
"Batch"): 9.3-9.6 clips a minute with two processes against 8.1-8.3 one after
another, 15-16 % faster. Each process holds its own copy of the model (about
430 MB), and a clip much longer than the rest ends the batch on one core, so the
command line keeps one clip at a time unless asked.

Clips are handed out longest first (so the longest does not start last), and their
results are printed in the order given, each as soon as it and every clip before it
are done. Ctrl-C reaches every process of the terminal's group: a clip being
analysed stops and keeps what it had (a partial history session), clips not started
are dropped, and the command ends with "stopped".
"""

from __future__ import annotations

import _thread
import argparse
import contextlib
import io
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from formcheck.errors import FormcheckError
from formcheck.report.model import Report
from formcheck.settings import Settings


@dataclass(frozen=True, slots=True)
class ClipOutcome:
    """How one clip of a batch went.

    output : what its analysis printed (the summary, where the files are).
    error : one line saying why it could not be analysed, or None.
    report : its report, or None (failed or stopped).
    stopped : Ctrl-C reached it while it was being analysed.
    """

    video: Path
    output: str
    error: str | None
    report: Report | None
    stopped: bool = False


def work_estimate(video: Path) -> float:
    """Relative cost of analysing ``video`` (frames, weighted by decoding their size);
    0 when it cannot be probed (it will fail at once with its own message)."""
    from formcheck.pose.parallel import DECODE_MS_PER_MPX, POSE_MS
    from formcheck.video.reader import probe

    try:
        info = probe(video)
    except FormcheckError:
        return 0.0
    frames = info.frame_count or (info.duration_s or 0.0) * (info.fps_nominal or 30.0)
    return frames * (POSE_MS + DECODE_MS_PER_MPX * info.width * info.height / 1e6)


def default_jobs() -> int:
    """``--jobs 0``: one process per usable core."""
    from formcheck.pose.parallel import usable_cores

    return usable_cores()


#: Most processes a batch uses (Windows refuses more than 61 in one pool).
MAX_JOBS = 61

#: Seconds a worker whose parent died gets to stop its clip (and save its part)
#: before it exits.
ORPHAN_GRACE_S = 30.0


def _idle_worker() -> None:
    # Between clips a worker ignores Ctrl-C (the parent decides what stops); while
    # it analyses one, Ctrl-C stops that clip cleanly (see _analyse).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, name="formcheck-orphan", daemon=True).start()


def _exit_with_parent() -> None:
    """If the parent dies (killed, terminal closed), stop the clip being analysed
    (it keeps its part, as after Ctrl-C) and exit instead of waiting forever."""
    parent = mp.parent_process()
    if parent is None:
        return
    parent.join()
    _thread.interrupt_main()  # nothing happens between clips (SIGINT ignored)
    time.sleep(ORPHAN_GRACE_S)
    os._exit(1)


def _analyse(video: Path, args: argparse.Namespace, settings: Settings) -> ClipOutcome:
    from formcheck.cli import _analyze_one

    printed = io.StringIO()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with contextlib.redirect_stdout(printed):
            report = _analyze_one(video, args, settings)
        return ClipOutcome(video, printed.getvalue(), None, report, was_stopped(report))
    except FormcheckError as exc:
        return ClipOutcome(video, printed.getvalue(), str(exc), None)
    except KeyboardInterrupt:
        return ClipOutcome(video, printed.getvalue(), None, None, stopped=True)
    except Exception as exc:  # a bug: say so for this clip, and go on with the others
        return ClipOutcome(
            video,
            printed.getvalue(),
            f"{video.name}: unexpected error ({type(exc).__name__}: {exc}). Analyse it on "
            "its own (without --jobs) to see where, and please report it.",
            None,
        )
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def was_stopped(report: Report) -> bool:
    """Ctrl-C ended this clip's analysis early (its report covers the part analysed)."""
    return any(n.code == "interrupted" for n in report.warnings)


def _lost(video: Path) -> ClipOutcome:
    return ClipOutcome(
        video,
        "",
        f"{video.name}: the process analysing it stopped unexpectedly (out of memory?). "
        "Analyse it again on its own (without --jobs).",
        None,
    )


def _outcome(future: Future[ClipOutcome], video: Path) -> ClipOutcome:
    try:
        return future.result()
    except BrokenProcessPool:
        return _lost(video)


def analyse_clips(
    videos: list[Path], args: argparse.Namespace, settings: Settings, jobs: int
) -> Iterator[ClipOutcome]:
    """Each clip of ``videos`` analysed by ``formcheck analyze`` in one of ``jobs``
    processes (one pose thread each); outcomes in the order of ``videos``.

    A clip is handed to a process only when one is free. After Ctrl-C (in this
    process, or a clip that came back stopped) no further clip starts, the clips
    running finish their part, and every outcome is still given: a clip never
    started comes out as stopped. If a process dies, its clip and the clips not
    started yet come out as lost (an error each).
    """
    args = argparse.Namespace(**{**vars(args), "progress": False})  # no bars from workers
    if settings.pose_workers == 0:
        settings = settings.replace(pose_workers=1)  # a core per clip
    jobs = max(1, min(jobs, len(videos), MAX_JOBS))
    todo = sorted(range(len(videos)), key=lambda i: -work_estimate(videos[i]))
    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(
            total=len(videos),
            desc=f"{len(videos)} clips, {jobs} at a time",
            unit="clip",
            file=sys.stderr,
            leave=False,
            disable=None,  # no bar when stderr is not a terminal (logs, scripts)
        )
    pool = ProcessPoolExecutor(jobs, mp_context=mp.get_context("spawn"), initializer=_idle_worker)
    futures: dict[int, Future[ClipOutcome]] = {}
    running: set[Future[ClipOutcome]] = set()
    stopping = False  # Ctrl-C: start nothing more
    broken = False  # a process died: the pool takes nothing more

    def start_next() -> None:
        nonlocal broken
        i = todo.pop(0)
        if not broken:
            try:
                futures[i] = pool.submit(_analyse, videos[i], args, settings)
                running.add(futures[i])
                return
            except BrokenProcessPool:
                broken = True
        futures[i] = Future()
        futures[i].set_exception(BrokenProcessPool())

    def collect() -> None:
        """Wait for a clip to finish; start the next unless stopping."""
        nonlocal stopping
        try:
            done, still = wait(running, return_when=FIRST_COMPLETED)
        except KeyboardInterrupt:
            stopping = True  # the running clips got it too: they stop and report
            return
        running.intersection_update(still)
        if bar is not None:
            bar.update(len(done))
        for f in done:
            if f.exception() is None and f.result().stopped:
                stopping = True
        while todo and not stopping and len(running) < jobs:
            start_next()

    try:
        # The processes start with the first clips, with Ctrl-C ignored (a spawned
        # interpreter keeps an ignored SIGINT): one pressed while they start up
        # cannot break them half-made.
        ignoring = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            while todo and len(running) < jobs:
                start_next()
        finally:
            signal.signal(signal.SIGINT, ignoring)
        for i, video in enumerate(videos):
            while not (i in futures and futures[i].done()):
                if i not in futures and (stopping or not running):
                    break
                collect()
            if bar is not None:
                bar.clear()  # the caller prints next
            if i in futures:
                yield _outcome(futures[i], video)
            else:
                yield ClipOutcome(video, "", None, None, stopped=True)
            if bar is not None:
                bar.refresh()
    finally:
        if bar is not None:
            bar.close()
        pool.shutdown(wait=True, cancel_futures=True)
