"""The Ray executor: the clips of a batch analysed by Ray actors on a cluster.

``formcheck batch ... --executor ray [--address HOST:PORT]``. Ray is the optional
extra ``formcheck[cluster]``; this module is imported only when asked
(:func:`formcheck.pipeline.executors.make_executor`).

Each worker is a Ray **actor** (one CPU) holding a
:class:`~formcheck.pipeline.remote.RemoteClipWorker`, itself holding a
:class:`~formcheck.pipeline.worker.ClipWorker` whose landmarker is loaded once and
reused for every clip the actor analyses. The driver (this process) hands each idle
actor the next clip (an actor method call) and waits on the calls with
``ray.wait``: Ray does the scheduling, transport and fault detection; nothing here
is a scheduler, queue or protocol of its own.

Clips go to the workers by path when a worker sees the same file at the same path
(a shared file system; checked per clip by size and a fingerprint of the first and
last MiB), else as bytes (``ship="auto"``, the default; see
:mod:`formcheck.pipeline.remote`). Results come back as the report and its files,
and the driver writes them into the clip's out folder and saves the session in its
one history database, so the summary and ``formcheck history`` are the same as
after a local batch.

The contract is :class:`formcheck.pipeline.executors.Executor`'s: ``(index,
outcome)`` as clips finish, each once; ``stop`` stops the running clips (each keeps
its part) and yields the rest as stopped; closing the iterator kills the actors.
Run the batch on a machine of the cluster (the head is simplest): Ray's driver
joins the cluster through a node on its own machine.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from formcheck.cues import words_cluster
from formcheck.errors import FormcheckError
from formcheck.pipeline.clip import ClipJob, ClipOutcome
from formcheck.pipeline.remote import SHIP_MODES, RemoteClipWorker, describe, land
from formcheck.pipeline.worker import failed_outcome, lost_outcome
from formcheck.settings import Settings

#: How often (seconds) the driver's wait wakes up to look at ``stop``.
POLL_S = 0.2

#: Seconds the actors get to start (import formcheck, load the model) before the
#: batch says they cannot.
ACTOR_START_S = 300.0

#: Seconds to wait for a TCP answer from ``--address`` before calling it unreachable.
CONNECT_CHECK_S = 5.0


def import_ray() -> ModuleType:
    """``ray``, or a :class:`FormcheckError` saying how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise FormcheckError(*words_cluster.RAY_MISSING, code="ray_missing") from exc
    return ray


def check_reachable(address: str, timeout_s: float = CONNECT_CHECK_S) -> None:
    """A quick TCP look at ``HOST:PORT`` (Ray itself would wait a minute or more);
    :class:`FormcheckError` when nothing answers. Other forms (``auto``, ``ray://``)
    are left to Ray."""
    if address == "auto" or "://" in address:
        return
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise FormcheckError(
            *words_cluster.unreachable(address, "not HOST:PORT"), code="ray_unreachable"
        )
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s):
            pass
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        raise FormcheckError(
            *words_cluster.unreachable(address, detail), code="ray_unreachable"
        ) from exc


def _unreadable(video: Path, exc: OSError) -> ClipOutcome:
    return ClipOutcome(
        video,
        error=FormcheckError(*words_cluster.clip_unreadable(video.name, exc), code="unreadable"),
    )


class RayExecutor:
    """Clips on Ray actors, one CPU each (see the module docstring).

    Parameters
    ----------
    workers : actors to start (0: one per CPU of the cluster; never more than the
        cluster's CPUs or the clips).
    address : the cluster's ``HOST:PORT`` (``ray start --head`` printed it); None:
        Ray's own choice (``RAY_ADDRESS``, else a Ray started for this batch on
        this machine).
    ship : ``"auto"`` (in place when a worker sees the same file, else bytes),
        ``"path"`` or ``"bytes"`` (always).

    Raises
    ------
    FormcheckError
        Ray not installed, or nothing answering at ``address``.
    """

    def __init__(self, workers: int = 0, address: str | None = None, ship: str = "auto") -> None:
        if ship not in SHIP_MODES:
            raise ValueError(f"ship must be one of {SHIP_MODES}, got {ship!r}")
        self.ray = import_ray()
        if address is not None:
            check_reachable(address)
        self.address = address
        self.requested = max(0, workers)
        self.ship = ship
        self.workers: int | None = self.requested or None  # known once connected
        self.hosts: list[str] = []  # where the actors run (after run() started them)
        self.nodes: list[str] = []  # their Ray node ids

    # -- connecting --------------------------------------------------------------------
    def _connect(self) -> bool:
        """``ray.init`` unless already connected; True when this call connected."""
        ray = self.ray
        if ray.is_initialized():
            return False
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing leaves the machine
        try:
            ray.init(
                address=self.address,
                log_to_driver=False,  # the workers' own logs stay in the cluster's folder
                logging_level=logging.WARNING,
            )
        except Exception as exc:  # ConnectionError, RuntimeError, ValueError from Ray
            raise FormcheckError(
                *words_cluster.cannot_connect(self.address, f"{type(exc).__name__}: {exc}"),
                code="ray_unreachable",
            ) from exc
        return True

    def _start_actors(self, n_jobs: int, settings: Settings) -> list[Any]:
        """The actors, started and checked (formcheck importable, same version)."""
        ray = self.ray
        from formcheck import __version__

        cpus = int(ray.cluster_resources().get("CPU", 0))
        if cpus < 1:
            raise FormcheckError(*words_cluster.NO_CPUS, code="ray_no_cpus")
        n = max(1, min(self.requested or cpus, cpus, n_jobs))
        actor_class = ray.remote(
            num_cpus=1,
            max_concurrency=2,  # analyse() in one thread, stop() can reach it from another
            max_restarts=0,  # a lost actor loses its clip (said), never analyses it twice
            scheduling_strategy="SPREAD",  # across machines first
        )(RemoteClipWorker)
        actors = [actor_class.remote(settings, self.ship) for _ in range(n)]
        try:
            hellos = ray.get([a.hello.remote() for a in actors], timeout=ACTOR_START_S)
        except Exception as exc:  # GetTimeoutError, RayActorError (import failed), ...
            self._kill(actors)
            raise FormcheckError(
                *words_cluster.workers_not_ready(f"{type(exc).__name__}: {exc}"[:500]),
                code="ray_workers",
            ) from exc
        for hello in hellos:
            if hello["formcheck"] != __version__:
                self._kill(actors)
                raise FormcheckError(
                    *words_cluster.version_mismatch(hello["host"], hello["formcheck"], __version__),
                    code="ray_workers",
                )
        self.workers = n
        self.hosts = [h["host"] for h in hellos]
        self.nodes = [h["node"] for h in hellos]
        return actors

    def _kill(self, actors: list[Any]) -> None:
        """End the actors (one already gone is fine)."""
        for a in actors:
            with contextlib.suppress(Exception):
                self.ray.kill(a)

    # -- running -----------------------------------------------------------------------
    def run(
        self, jobs: Sequence[ClipJob], settings: Settings, stop: threading.Event
    ) -> Iterator[tuple[int, ClipOutcome]]:
        """``(index, outcome)`` as clips finish (see the module docstring).

        Raises :class:`FormcheckError` before the first clip when the cluster cannot
        be reached or its workers cannot start.
        """
        if not jobs:
            return
        ray = self.ray
        connected_here = self._connect()
        actors: list[Any] = []
        try:
            actors = self._start_actors(len(jobs), settings)
            yield from self._dispatch(actors, jobs, settings, stop)
        finally:
            self._kill(actors)  # closed early or done: no actor goes on for nobody
            if connected_here:
                ray.shutdown()

    def _dispatch(
        self,
        actors: list[Any],
        jobs: Sequence[ClipJob],
        settings: Settings,
        stop: threading.Event,
    ) -> Iterator[tuple[int, ClipOutcome]]:
        """Each idle actor gets the next clip; outcomes land here as calls finish."""
        ray = self.ray
        from ray.exceptions import RayActorError

        idle = list(actors)
        todo = list(range(len(jobs)))
        running: dict[Any, tuple[int, Any]] = {}
        stopping = False
        while todo or running:
            if stop.is_set() and not stopping:
                stopping = True
                for a in actors:  # the running clips stop as after Ctrl-C, keeping their part
                    with contextlib.suppress(Exception):
                        a.stop.remote()
            while todo and idle and not stopping:
                i = todo.pop(0)
                actor = idle.pop(0)
                source = describe(jobs[i].video)
                running[actor.analyse.remote(i, jobs[i], source)] = (i, actor)
            if not running:  # stopped, or every actor lost
                for i in todo:
                    video = Path(jobs[i].video)
                    yield i, ClipOutcome(video, stopped=True) if stopping else lost_outcome(video)
                return
            ready, _ = ray.wait(list(running), num_returns=1, timeout=POLL_S)
            for ref in ready:
                i, actor = running.pop(ref)
                video = Path(jobs[i].video)
                try:
                    result = ray.get(ref)
                except RayActorError:  # the actor's process or machine died
                    yield i, lost_outcome(video)
                    continue
                except Exception as exc:  # a bug outside the clip's own analysis
                    idle.append(actor)
                    yield i, failed_outcome(video, exc)
                    continue
                if result.need_bytes and not stopping:  # no shared file system there
                    try:
                        data = video.read_bytes()
                    except OSError as exc:
                        idle.append(actor)
                        yield i, _unreadable(video, exc)
                        continue
                    # with the bytes the worker reads no source: no second fingerprint
                    running[actor.analyse.remote(i, jobs[i], None, data)] = (i, actor)
                    continue
                idle.append(actor)
                if result.need_bytes:
                    yield i, ClipOutcome(video, stopped=True)
                    continue
                yield i, land(result, jobs[i], settings)
