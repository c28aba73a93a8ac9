"""Where the clips of a batch are analysed: the executor seam.

The batch use case (:mod:`formcheck.pipeline.batch_run`) decides *which* clips to
analyse and *where* their results go (one :class:`~formcheck.pipeline.clip.ClipJob`
each, with its own ``out_dir`` and the history ``db``); an :class:`Executor`
decides *where and how* they run. Two exist:

- :class:`LocalExecutor` (``--executor local``, the default): ``workers`` processes
  on this machine, each holding one :class:`~formcheck.pipeline.worker.ClipWorker`
  (the landmarker loaded once and reused for every clip it analyses);
- ``RayExecutor`` (``--executor ray [--address ADDR]``, in
  :mod:`formcheck.pipeline.executor_ray`, imported only when asked, Ray being the
  optional extra ``formcheck[cluster]``): Ray actors, each holding a
  :class:`~formcheck.pipeline.worker.ClipWorker`.

The contract every executor keeps
---------------------------------
``run(jobs, settings, stop)`` yields ``(index, outcome)`` pairs, ``index`` being
the job's position in ``jobs``:

- **as clips finish**, in any order, and **each index exactly once**;
- each ``outcome`` is what :func:`~formcheck.pipeline.clip.analyse_clip` gave for
  ``jobs[index]`` with ``settings`` (never raises for one clip: a bad clip, a bug
  or a lost worker comes back as ``outcome.error``, a stopped one with
  ``outcome.stopped``); the whole batch raises only when it cannot run at all
  (e.g. Ray missing or its cluster unreachable: a :class:`FormcheckError`);
- **when a pair is yielded, its results are where the driver expects them**: the
  files listed in ``outcome.artefacts`` exist under ``jobs[index].out_dir`` on the
  driver's file system, and the history session ``outcome.session_id`` is saved
  in the driver's ``jobs[index].db`` (an executor whose workers cannot reach them
  brings them back before yielding);
- ``stop`` (a :class:`threading.Event` the driver sets on Ctrl-C or SIGTERM):
  start no further clip, stop the clips running as Ctrl-C would (each keeps its
  part: a partial report and session, ``outcome.stopped``), yield them, then
  yield every clip never started as ``ClipOutcome(job.video, stopped=True)``,
  and return. The driver keeps reading until the iterator ends;
- closing the iterator early (``close()``, the driver dying) ends its workers:
  none goes on analysing for nobody.

The driver writes the batch's own files (per-clip status, summary); executors
write nothing else. ``settings`` is the same for every clip (it is part of what
makes a clip "already analysed": see :mod:`formcheck.pipeline.batch_run`).
"""

from __future__ import annotations

import _thread
import contextlib
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import util as mp_util
from typing import Protocol

from formcheck.cues import words_batch
from formcheck.errors import FormcheckError
from formcheck.pipeline.clip import ClipJob, ClipOutcome
from formcheck.pipeline.worker import ClipWorker, lost_outcome
from formcheck.settings import Settings

#: Executor names ``--executor`` takes.
EXECUTORS = ("local", "ray")

#: How often (seconds) the driver's wait wakes up to look at ``stop``.
POLL_S = 0.2

#: Most processes a local batch uses (Windows refuses more than 61 in one pool).
MAX_JOBS = 61

#: Seconds a worker whose parent died gets to stop its clip (and save its part)
#: before it exits.
ORPHAN_GRACE_S = 30.0


class Executor(Protocol):
    """Runs the clips of a batch (see the module docstring for the contract)."""

    def run(
        self, jobs: Sequence[ClipJob], settings: Settings, stop: threading.Event
    ) -> Iterator[tuple[int, ClipOutcome]]: ...


def make_executor(name: str, workers: int, address: str | None = None) -> Executor:
    """The executor called ``name`` (``"local"`` or ``"ray"``).

    workers : clips analysed at a time (0: one per usable core here; on Ray, one
        per CPU of the cluster).
    address : the Ray cluster (``ray start --head`` printed it; None: Ray's own
        default, ``RAY_ADDRESS`` or a local cluster). Only for ``"ray"``.

    Raises
    ------
    FormcheckError
        An unknown name, ``address`` given to the local executor, or Ray not
        installed.
    """
    if name == "local":
        if address is not None:
            raise FormcheckError(*words_batch.ADDRESS_WITHOUT_RAY, code="usage")
        return LocalExecutor(workers)
    if name == "ray":
        try:
            from formcheck.pipeline.executor_ray import RayExecutor  # the optional extra
        except ImportError as exc:  # Ray (or this build's Ray executor) is not installed
            raise FormcheckError(*words_batch.ray_missing(exc), code="ray_missing") from exc
        return RayExecutor(workers, address)
    raise FormcheckError(*words_batch.unknown_executor(name, EXECUTORS), code="usage")


# ---------------------------------------------------------------------------------------
# the local executor: worker processes, one ClipWorker each
class SharedStop:
    """The driver's stop as its worker processes see it: one byte of shared memory,
    set by the driver and polled by the workers, with no lock.

    Not a ``multiprocessing.Event``: its ``set()`` waits until every process waiting
    on it has woken, so a worker killed while waiting (the out-of-memory killer) would
    hang the driver for ever. Nothing waits on this one: the pose pass reads
    ``is_set()`` at each frame, as it reads a :class:`threading.Event`.
    """

    def __init__(self, ctx: mp.context.BaseContext) -> None:
        self._flag = ctx.RawValue("b", 0)

    def set(self) -> None:
        self._flag.value = 1

    def is_set(self) -> bool:
        return bool(self._flag.value)


_WORKER: ClipWorker | None = None
_STOP: SharedStop | None = None  # the driver's stop, as seen in a worker


def _start_worker(settings: Settings, stop: SharedStop) -> None:
    """Initializer of a worker process: its ClipWorker (landmarker loaded at the first
    clip, then reused), Ctrl-C only while a clip is analysed, the driver's stop (read
    by the pose pass at every frame) and a watcher of the driver's death."""
    global _WORKER, _STOP
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # between clips the driver decides
    _WORKER = ClipWorker(settings)
    # a landmarker left open prints an ignored exception at exit (finalizers run in
    # a pool's process at its exit; atexit handlers do not)
    mp_util.Finalize(_WORKER, _WORKER.close, exitpriority=10)
    _STOP = stop
    threading.Thread(target=exit_with_parent, name="formcheck-orphan", daemon=True).start()


def exit_with_parent() -> None:
    """If the driver dies (killed, terminal closed), stop the clip being analysed (it
    keeps its part, as after Ctrl-C) and exit instead of waiting forever. Run in a
    daemon thread of a worker process."""
    parent = mp.parent_process()
    if parent is None:
        return
    parent.join()
    if _STOP is not None:
        _STOP.set()  # the pose pass ends at its next frame and the part is saved
    else:
        _thread.interrupt_main()  # nothing happens between clips (SIGINT ignored)
    time.sleep(ORPHAN_GRACE_S)
    os._exit(1)


def _analyse(job: ClipJob) -> ClipOutcome:
    """One clip in a worker process: Ctrl-C (the terminal's) or the driver's stop ends
    its pose pass early, and the part analysed is kept.

    The stop is read by the pose pass, never raised into this process: an interrupt
    arriving after the pass (while the part is analysed or saved) would lose it."""
    assert _WORKER is not None, "the worker process was not initialised"
    if _STOP is not None and _STOP.is_set():  # stopped before it began
        return ClipOutcome(job.video, stopped=True)
    interrupted = threading.Event()

    def on_sigint(signum: int, frame: object) -> None:
        # once: Ctrl-C pressed again would break the saving of the part
        if not interrupted.is_set():
            interrupted.set()
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_sigint)
    try:
        outcome = _WORKER.analyse(job, stop=_STOP)  # type: ignore[arg-type]
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if interrupted.is_set() and outcome.error is not None:  # too early to keep anything
        return ClipOutcome(job.video, stopped=True)
    return outcome


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ctrl-C ignored in the driver while a worker process may be started: the pool
    starts its processes when clips are submitted, and a spawned interpreter keeps an
    ignored SIGINT (a handler is not inherited), so a Ctrl-C pressed while a worker
    imports (seconds) cannot kill it half-made, with a traceback and every clip lost;
    the worker ignores it until a clip runs (:func:`_start_worker`). The driver's own
    handler is back as soon as the submit returns. Outside the main thread (where
    signals cannot be set) nothing is changed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


class LocalExecutor:
    """Clips in ``workers`` processes on this machine, each process with one
    :class:`ClipWorker` (the landmarker loaded once and reused for its clips).

    ``workers`` 0 means one per usable core. Clips are handed out in the order given
    (the batch puts the longest first), one per free process. A process that dies
    (out of memory) loses its clip (an error saying so) and the pool: the clips not
    started then come out as lost too, and the batch can be run again for them.
    """

    def __init__(self, workers: int = 0) -> None:
        from formcheck.pose.parallel import usable_cores

        self.workers = max(1, min(workers or usable_cores(), MAX_JOBS))

    def run(
        self, jobs: Sequence[ClipJob], settings: Settings, stop: threading.Event
    ) -> Iterator[tuple[int, ClipOutcome]]:
        if not jobs:
            return
        ctx = mp.get_context("spawn")
        worker_stop = SharedStop(ctx)
        n = min(self.workers, len(jobs))
        pool = ProcessPoolExecutor(
            n, mp_context=ctx, initializer=_start_worker, initargs=(settings, worker_stop)
        )
        todo = list(range(len(jobs)))
        running: dict[Future[ClipOutcome], int] = {}
        broken = False
        try:
            while todo or running:
                while todo and len(running) < n and not stop.is_set() and not broken:
                    i = todo.pop(0)
                    try:
                        with _sigint_ignored():  # a submit may start a process
                            running[pool.submit(_analyse, jobs[i])] = i
                    except BrokenProcessPool:
                        broken = True
                        todo.insert(0, i)
                if stop.is_set():
                    worker_stop.set()  # the running clips stop and keep their part
                if not running:
                    for i in todo:  # never started (stopped, or the pool broke)
                        video = jobs[i].video
                        yield i, lost_outcome(video) if broken else ClipOutcome(video, stopped=True)
                    return
                done, _ = wait(running, timeout=POLL_S, return_when=FIRST_COMPLETED)
                for f in done:
                    i = running.pop(f)
                    try:
                        outcome = f.result()
                    except BrokenProcessPool:
                        broken = True
                        outcome = lost_outcome(jobs[i].video)
                    yield i, outcome
        finally:
            worker_stop.set()  # closed early: the running clips stop too
            pool.shutdown(wait=True, cancel_futures=True)
