"""The executor seam's contract on the local executor, with files that fail at once
(no pose model is loaded): every clip given back exactly once, and a stop."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from formcheck.errors import FormcheckError
from formcheck.pipeline.clip import ClipJob
from formcheck.pipeline.executors import LocalExecutor, SharedStop, make_executor
from formcheck.settings import Settings


def _jobs(tmp_path: Path, n: int) -> list[ClipJob]:
    jobs = []
    for i in range(n):
        video = tmp_path / f"bad{i}.mp4"
        video.write_text("not a video")
        jobs.append(ClipJob(video, "auto", tmp_path / "out" / str(i), db=tmp_path / "h.db"))
    return jobs


def test_every_clip_comes_back_once_with_its_reason(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, 3)
    got = list(LocalExecutor(2).run(jobs, Settings(cache_dir=tmp_path), threading.Event()))
    assert sorted(i for i, _ in got) == [0, 1, 2]
    for i, outcome in got:
        assert outcome.video == jobs[i].video
        assert outcome.error is not None and outcome.error.code != "worker_lost"
        assert not outcome.stopped


def test_after_a_stop_the_clips_not_started_come_back_stopped(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, 3)
    stop = threading.Event()
    stop.set()
    got = dict(LocalExecutor(1).run(jobs, Settings(cache_dir=tmp_path), stop))
    assert sorted(got) == [0, 1, 2]
    assert all(o.stopped and o.error is None for o in got.values())


def test_nothing_to_run_gives_nothing(tmp_path: Path) -> None:
    assert list(LocalExecutor(2).run([], Settings(cache_dir=tmp_path), threading.Event())) == []


@pytest.mark.parametrize(("name", "address"), [("nope", None), ("local", "127.0.0.1:6379")])
def test_make_executor_refuses_what_it_cannot_do(name: str, address: str | None) -> None:
    with pytest.raises(FormcheckError) as err:
        make_executor(name, 1, address)
    assert err.value.code == "usage"


def test_the_local_executor_uses_every_core_by_default() -> None:
    from formcheck.pose.parallel import usable_cores

    assert LocalExecutor(0).workers == usable_cores()
    assert LocalExecutor(3).workers == 3


class _Est:
    """A fake estimator that records what it is given."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[int, ...], float]] = []
        self.timestamps_nudged = 0

    def process(self, image: object, t_s: float) -> object:
        self.calls.append((getattr(image, "shape", ()), t_s))
        return None


def test_a_reused_estimator_forgets_the_person_and_keeps_time_going_forward() -> None:
    """A batch worker's pool: made once; before its next clip one empty frame (the
    tracker drops the previous clip's person), and the clip's times shifted by whole
    seconds past everything it saw."""
    import numpy as np

    from formcheck.pose.pool import EstimatorPool

    made: list[_Est] = []

    def factory(_path: object) -> _Est:
        made.append(_Est())
        return made[-1]

    pool = EstimatorPool(factory=factory, forget_person=True)
    frame = np.ones((4, 4, 3), np.uint8)
    lease = pool.acquire()
    lease.process(frame, 0.0)
    lease.process(frame, 7.25)
    lease.release()
    lease = pool.acquire()
    lease.process(frame, 0.0)
    lease.release()
    assert len(made) == 1 and pool.created == 1
    times = [t for _, t in made[0].calls]
    assert times == [0.0, 7.25, 9.0, 10.0]  # the empty frame at 9 s, the clip from 10 s
    blank = made[0].calls[2][0]
    assert blank != frame.shape  # the empty frame is the pool's own
    assert lease.timestamps_nudged == 0
    plain = EstimatorPool(factory=lambda _p: _Est())  # live streams: no empty frame
    plain.acquire().release()
    plain.acquire().release()
    assert plain.created == 1


def _wait_on(stop: object, ready: object) -> None:
    """A worker's pose pass: reads the stop at each frame until it is set."""
    ready.put(os.getpid())  # type: ignore[attr-defined]
    while not stop.is_set():  # type: ignore[attr-defined]
        time.sleep(0.01)


@pytest.mark.skipif(not hasattr(os, "kill"), reason="needs os.kill")
def test_the_stop_reaches_workers_even_after_one_was_killed_reading_it() -> None:
    """A worker killed while it reads the stop (as the out-of-memory killer does) must
    not hang the driver when it sets the stop, and the workers alive must see it. (A
    multiprocessing Event's ``set()`` waited for every waiting process to wake, and a
    dead one never does; nothing waits on the shared stop, it is only read.)"""
    ctx = mp.get_context("spawn")
    stop = SharedStop(ctx)
    ready = ctx.SimpleQueue()
    dead = ctx.Process(target=_wait_on, args=(stop, ready))
    alive = ctx.Process(target=_wait_on, args=(stop, ready))
    dead.start()
    alive.start()
    try:
        ready.get()
        ready.get()
        time.sleep(1.0)  # both are waiting
        os.kill(dead.pid, signal.SIGKILL)  # type: ignore[arg-type]
        dead.join()
        setter = threading.Thread(target=stop.set, daemon=True)
        setter.start()
        setter.join(timeout=30)
        assert not setter.is_alive(), "setting the stop hung on the killed worker"
        alive.join(timeout=30)
        assert alive.exitcode == 0 and stop.is_set()
    finally:
        for p in (dead, alive):
            if p.is_alive():
                p.kill()


def _tell_sigint(q: mp.Queue) -> None:  # type: ignore[type-arg]
    q.put("ignored" if signal.getsignal(signal.SIGINT) is signal.SIG_IGN else "handled")


def test_a_worker_starts_with_ctrl_c_ignored_and_the_driver_keeps_its_handler() -> None:
    """The pool starts a worker process when a clip is submitted; it must start with
    Ctrl-C ignored (a spawned interpreter keeps an ignored SIGINT), or a Ctrl-C while it
    imports kills it with a traceback and loses every clip. The driver's own handler
    is back at once."""
    from formcheck.pipeline.executors import _sigint_ignored

    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    before = signal.getsignal(signal.SIGINT)
    with _sigint_ignored():
        child = ctx.Process(target=_tell_sigint, args=(q,))
        child.start()
    assert signal.getsignal(signal.SIGINT) is before
    assert q.get(timeout=60) == "ignored"
    child.join(timeout=60)
    plain = ctx.Process(target=_tell_sigint, args=(q,))  # without it: Python's handler
    plain.start()
    assert q.get(timeout=60) == "handled"
    plain.join(timeout=60)


def test_ctrl_c_while_formcheck_starts_is_a_plain_stop(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import formcheck.cli as cli

    def interrupted() -> None:
        raise KeyboardInterrupt  # as if pressed while the commands' modules import

    monkeypatch.setattr(cli, "build_parser", interrupted)
    assert cli.main(["history", "list"]) == 130
    assert capsys.readouterr().err.strip() == "formcheck: stopped."
