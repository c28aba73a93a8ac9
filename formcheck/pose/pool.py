"""Pose estimators lent to live streams: one pool per process, reused between sessions.

Pose estimators are expensive to create (the model loads in ~0.5 s) and not
thread-safe, so an :class:`EstimatorPool` lends each live stream its own
estimator and takes it back at the end.
"""

from __future__ import annotations

import contextlib
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
    """

    def __init__(
        self, model_path: Path | None = None, factory: Callable[[Path | None], object] | None = None
    ) -> None:
        self.model_path = model_path
        self._factory = factory or _default_estimator
        self._free: list[tuple[object, float]] = []
        self._lock = threading.Lock()
        self._warming = False
        self.created = 0

    def acquire(self) -> EstimatorLease:
        with self._lock:
            if self._free:
                est, last_s = self._free.pop()
                return EstimatorLease(self, est, last_s + 1.0)
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


def _default_estimator(model_path: Path | None) -> object:
    from formcheck.pose.estimator import PoseEstimator

    return PoseEstimator(model_path, crowd_check_every_s=0.0)
