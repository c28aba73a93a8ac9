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

In processes the clips run on the batch command's own local executor
(:class:`formcheck.pipeline.executors.LocalExecutor`, one landmarker per process,
loaded once): the same engine as ``formcheck batch``. Clips are handed out longest
first (so the longest does not start last), and their results are given in the order
given, each as soon as it and every clip before it are done. Ctrl-C reaches every
process of the terminal's group: a clip being analysed stops and keeps what it had
(a partial history session), and clips not started come out as stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from formcheck.errors import FormcheckError
from formcheck.pipeline.clip import ClipCallbacks, ClipJob, ClipOutcome, analyse_clip
from formcheck.pipeline.executors import LocalExecutor
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


def in_processes(clips: int, jobs: int) -> bool:
    """Whether :func:`analyse_batch` runs ``clips`` clips in processes with ``jobs``."""
    return jobs > 1 and clips > 1


def analyse_batch(
    clips: list[ClipJob],
    settings: Settings,
    jobs: int = 1,
    follow: Callable[[ClipJob], ClipCallbacks] | None = None,
    clips_done: ClipsDoneFn | None = None,
    stop: threading.Event | None = None,
) -> Iterator[ClipOutcome]:
    """Each clip analysed, written and saved; outcomes in the order of ``clips``.

    With ``jobs`` > 1 and several clips, clips run in ``jobs`` processes (one pose
    thread each; see the module docstring), else one after another in this process,
    each with both cores. ``follow(job)`` gives the callbacks (progress, stage, history
    problems) of a clip analysed in this process; clips in worker processes report
    only through their outcome.

    One after another, a clip stopped by Ctrl-C ends the batch (the rest are not
    started, and not given). In processes, Ctrl-C must set ``stop`` instead of
    raising (the caller's signal handler, :func:`formcheck.cli.common.stop_on_signals`),
    so that the outcomes of the clips running still come back: see
    :func:`_in_processes`.
    """
    if in_processes(len(clips), jobs):
        yield from _in_processes(clips, settings, jobs, clips_done, stop or threading.Event())
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
    clips: list[ClipJob],
    settings: Settings,
    jobs: int,
    clips_done: ClipsDoneFn | None,
    stop: threading.Event,
) -> Iterator[ClipOutcome]:
    """Each clip of ``clips`` analysed by the batch's own local executor
    (:class:`~formcheck.pipeline.executors.LocalExecutor`: ``jobs`` processes, one pose
    thread and one landmarker each), handed out longest first; outcomes in the order
    of ``clips``, each as soon as it and every clip before it are done.

    After ``stop`` is set (the caller's Ctrl-C), or a clip comes back stopped, no
    further clip starts, the clips running finish their part, and every outcome is
    still given: a clip never started comes out as stopped. If a process dies, its
    clip and the clips not started yet come out as lost (an error each).
    """
    clips = [replace(job, show_bars=False) for job in clips]  # no bars from workers
    order = sorted(range(len(clips)), key=lambda i: -work_estimate(clips[i].video))
    ready: dict[int, ClipOutcome] = {}
    given = 0
    runs = LocalExecutor(jobs).run([clips[i] for i in order], settings, stop)
    try:
        for k, outcome in runs:
            ready[order[k]] = outcome
            if outcome.stopped:
                stop.set()  # one clip stopped (its process got Ctrl-C): start no more
            if clips_done is not None:
                clips_done(len(ready), len(clips))
            while given in ready:
                yield ready.pop(given)
                given += 1
    finally:
        runs.close()  # closed early: the processes end, none goes on for nobody
