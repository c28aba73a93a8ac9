"""Pose estimators lent to live streams and batch clips: one pool per process, reused.

Pose estimators are expensive to create (the model loads in ~0.5 s) and not
thread-safe, so an :class:`EstimatorPool` lends each live stream (or each clip of
a batch worker) its own estimator and takes it back at the end.

A batch worker's pool forgets the person between clips (``forget_person``): the
tracker would otherwise look for the previous clip's person where it last saw
them (measured: up to 363 px off over the whole next clip). One frame with nobody
in it drops the track; after it, a clip's landmarks were those of a fresh
landmarker but for a fading trace of the landmark filter (the glute-bridge clip
after the plank clip: at most 0.6 px on frames 1-42 of 232, identical from then on;
MediaPipe offers no reset short of a new landmarker).
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

EstimateFn = Callable[[np.ndarray, float], object]
"""(image_bgr, t_s) -> an object with ``xyzv`` (33, 4) and ``found``."""


# -----------------------------------------------------------------------------------------
class EstimatorLease:
    """One pose estimator lent to one stream. ``process`` keeps timestamps increasing.

    MediaPipe's VIDEO mode needs strictly increasing timestamps for the whole
    life of a landmarker, but each live session starts its clock at 0; the
    lease adds an offset so a reused estimator never sees time go backwards.
    """

    def __init__(self, pool: EstimatorPool, estimator: object, offset_s: float) -> None:
        self._pool = pool
        self.estimator = estimator
        self.offset_s = offset_s
        self.last_s = offset_s
        self._nudged_before = _nudged(estimator)

    @property
    def timestamps_nudged(self) -> int:
        """Timestamps the estimator nudged forward during this lease."""
        return _nudged(self.estimator) - self._nudged_before

    def process(self, image_bgr: np.ndarray, t_s: float) -> object:
        t = self.offset_s + t_s
        self.last_s = max(self.last_s, t)
        return self.estimator.process(image_bgr, t)  # type: ignore[attr-defined]

    def release(self) -> None:
        self._pool.release(self)


class EstimatorPool:
    """Pose estimators shared by every live stream of this process (thread-safe).

    Parameters
    ----------
    model_path : a PoseLandmarker bundle; None = the shipped full model.
    factory : ``model_path -> estimator`` (tests pass fakes); defaults to
        :class:`formcheck.pose.estimator.PoseEstimator` without the crowd check
        (a second model every half second would stall the live picture).
    forget_person : a reused estimator first sees one empty frame, so it forgets
        the person of its previous lease (a batch's clips; see the module docstring).
    """

    def __init__(
        self,
        model_path: Path | None = None,
        factory: Callable[[Path | None], object] | None = None,
        forget_person: bool = False,
    ) -> None:
        self.model_path = model_path
        self.forget_person = forget_person
        self._factory = factory or _default_estimator
        self._free: list[tuple[object, float]] = []
        self._lock = threading.Lock()
        self._warming = False
        self.created = 0

    def acquire(self) -> EstimatorLease:
        with self._lock:
            reused = self._free.pop() if self._free else None
        if reused is not None:
            est, last_s = reused
            # whole seconds: each frame's millisecond rounds as in a fresh estimator's
            offset_s = math.ceil(last_s) + 2.0
            if self.forget_person:
                est.process(np.zeros((256, 256, 3), np.uint8), offset_s - 1.0)  # type: ignore[attr-defined]
            return EstimatorLease(self, est, offset_s)
        est = self._factory(self.model_path)  # slow: outside the lock
        with self._lock:
            self.created += 1
        return EstimatorLease(self, est, 0.0)

    def prewarm(self) -> None:
        """Load one estimator in the background if none exists yet (START is then quick)."""

        def load() -> None:
            with contextlib.suppress(Exception):  # START will report the problem
                self.acquire().release()

        with self._lock:
            if self.created or self._free or self._warming:
                return
            self._warming = True
        threading.Thread(target=load, name="formcheck-pose-prewarm", daemon=True).start()

    def release(self, lease: EstimatorLease) -> None:
        with self._lock:
            self._free.append((lease.estimator, lease.last_s))

    def close(self) -> None:
        with self._lock:
            for est, _ in self._free:
                with contextlib.suppress(Exception):
                    est.close()  # type: ignore[attr-defined]
            self._free.clear()


def _nudged(estimator: object) -> int:
    return int(getattr(estimator, "timestamps_nudged", 0))


def _default_estimator(model_path: Path | None) -> object:
    from formcheck.pose.estimator import PoseEstimator

    return PoseEstimator(model_path, crowd_check_every_s=0.0)
