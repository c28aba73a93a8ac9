"""A batch of clips: one after another, or several at once in processes (``--jobs N``).

:func:`analyse_batch` gives one :class:`~formcheck.pipeline.clip.ClipOutcome` per
clip, in the order given, each from :func:`~formcheck.pipeline.clip.analyse_clip`
(the same use case as a single clip). It prints nothing; the caller shows outcomes
and progress.

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
analysed stops and keeps what it had (a partial history session), and clips not
started come out as stopped.
"""

from __future__ import annotations

import _thread
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from formcheck.errors import FormcheckError
from formcheck.pipeline.clip import ClipCallbacks, ClipJob, ClipOutcome, analyse_clip
from formcheck.settings import Settings

ClipsDoneFn = Callable[[int, int], None]
"""clips_done(done, total): called as clips finish."""


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
    threading.Thread(target=exit_with_parent, name="formcheck-orphan", daemon=True).start()


def exit_with_parent() -> None:
    """If the parent dies (killed, terminal closed), stop the clip being analysed
    (it keeps its part, as after Ctrl-C) and exit instead of waiting forever.

    Run in a daemon thread of a worker process (this module's pool and
    :class:`formcheck.pipeline.executors.LocalExecutor`'s)."""
    parent = mp.parent_process()
    if parent is None:
        return
    parent.join()
    _thread.interrupt_main()  # nothing happens between clips (SIGINT ignored)
    time.sleep(ORPHAN_GRACE_S)
    os._exit(1)


def _analyse(job: ClipJob, settings: Settings) -> ClipOutcome:
    """One clip in a worker process: Ctrl-C stops it cleanly (it keeps its part)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return analyse_clip(job, settings)
    except KeyboardInterrupt:
        return ClipOutcome(job.video, stopped=True)
    except Exception as exc:  # a bug: say so for this clip, and go on with the others
        return ClipOutcome(
            job.video,
            error=FormcheckError(
                f"{job.video.name}: unexpected error ({type(exc).__name__}: {exc}).",
                "Analyse it on its own (without --jobs) to see where, and please report it.",
                code="unexpected_error",
            ),
        )
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _lost(video: Path) -> ClipOutcome:
    return ClipOutcome(
        video,
        error=FormcheckError(
            f"{video.name}: the process analysing it stopped unexpectedly (out of memory?).",
            "Analyse it again on its own (without --jobs).",
            code="worker_lost",
        ),
    )


def _outcome(future: Future[ClipOutcome], video: Path) -> ClipOutcome:
    try:
        return future.result()
    except BrokenProcessPool:
        return _lost(video)


def analyse_batch(
    clips: list[ClipJob],
    settings: Settings,
    jobs: int = 1,
    follow: Callable[[ClipJob], ClipCallbacks] | None = None,
    clips_done: ClipsDoneFn | None = None,
) -> Iterator[ClipOutcome]:
    """Each clip analysed, written and saved; outcomes in the order of ``clips``.

    With ``jobs`` > 1 and several clips, clips run in ``jobs`` processes (one pose
    thread each; see the module docstring), else one after another in this process,
    each with both cores. ``follow(job)`` gives the callbacks (progress, stage, history
    problems) of a clip analysed in this process; clips in worker processes report
    only through their outcome.

    One after another, a clip stopped by Ctrl-C ends the batch (the rest are not
    started, and not given). In processes, see :func:`_in_processes`.
    """
    if jobs > 1 and len(clips) > 1:
        yield from _in_processes(clips, settings, jobs, clips_done)
        return
    for n, job in enumerate(clips, start=1):
        cb = follow(job) if follow is not None else ClipCallbacks()
        outcome = analyse_clip(
            job,
            settings,
            progress=cb.progress,
            on_store_error=cb.on_store_error,
            on_stage=cb.on_stage,
        )
        if clips_done is not None:
            clips_done(n, len(clips))
        yield outcome
        if outcome.stopped:
            return  # Ctrl-C stopped this clip: the batch ends with it


def _in_processes(
    clips: list[ClipJob], settings: Settings, jobs: int, clips_done: ClipsDoneFn | None
) -> Iterator[ClipOutcome]:
    """Each clip of ``clips`` analysed in one of ``jobs`` processes (one pose thread
    each); outcomes in the order of ``clips``.

    A clip is handed to a process only when one is free. After Ctrl-C (in this
    process, or a clip that came back stopped) no further clip starts, the clips
    running finish their part, and every outcome is still given: a clip never
    started comes out as stopped. If a process dies, its clip and the clips not
    started yet come out as lost (an error each).
    """
    clips = [replace(job, show_bars=False) for job in clips]  # no bars from workers
    if settings.pose_workers == 0:
        settings = settings.replace(pose_workers=1)  # a core per clip
    jobs = max(1, min(jobs, len(clips), MAX_JOBS))
    todo = sorted(range(len(clips)), key=lambda i: -work_estimate(clips[i].video))
    finished = 0
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
                futures[i] = pool.submit(_analyse, clips[i], settings)
                running.add(futures[i])
                return
            except BrokenProcessPool:
                broken = True
        futures[i] = Future()
        futures[i].set_exception(BrokenProcessPool())

    def collect() -> None:
        """Wait for a clip to finish; start the next unless stopping."""
        nonlocal stopping, finished
        try:
            done, still = wait(running, return_when=FIRST_COMPLETED)
        except KeyboardInterrupt:
            stopping = True  # the running clips got it too: they stop and report
            return
        running.intersection_update(still)
        finished += len(done)
        if clips_done is not None:
            clips_done(finished, len(clips))
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
        for i, job in enumerate(clips):
            while not (i in futures and futures[i].done()):
                if i not in futures and (stopping or not running):
                    break
                collect()
            if i in futures:
                yield _outcome(futures[i], job.video)
            else:
                yield ClipOutcome(job.video, stopped=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
