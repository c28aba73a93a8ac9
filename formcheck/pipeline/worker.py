"""One batch worker: analyses clips one after another with a landmarker loaded once.

A :class:`ClipWorker` lives as long as its process (a local worker process, a Ray
actor). Its first clip loads the pose landmarker; every later clip reuses it
(:class:`formcheck.pose.pool.EstimatorPool`). Its :meth:`ClipWorker.analyse` is
:func:`~formcheck.pipeline.clip.analyse_clip` that never raises for one clip.
"""

from __future__ import annotations

import threading
from pathlib import Path

from formcheck.cues import words_batch
from formcheck.errors import FormcheckError
from formcheck.pipeline.clip import ClipJob, ClipOutcome, analyse_clip
from formcheck.pose.pool import EstimatorPool
from formcheck.settings import Settings


def lost_outcome(video: Path) -> ClipOutcome:
    """A clip whose worker (process, Ray actor or its machine) died under it."""
    return ClipOutcome(
        video, error=FormcheckError(*words_batch.worker_lost(video.name), code="worker_lost")
    )


def failed_outcome(video: Path, exc: BaseException) -> ClipOutcome:
    """A clip stopped by a bug (an exception outside its own analysis' errors)."""
    return ClipOutcome(
        video,
        error=FormcheckError(
            *words_batch.unexpected_error(video.name, exc), code="unexpected_error"
        ),
    )


class ClipWorker:
    """Analyses clips with ``settings``, one at a time, reusing its landmarker.

    Parameters
    ----------
    settings : the same for every clip of the batch (the driver's). A worker runs
        one landmarker thread per clip (``pose_workers`` 1): clips run side by side
        in workers instead.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings.replace(pose_workers=1)
        self.estimators = EstimatorPool(
            settings.model_path, factory=self._new_estimator, forget_person=True
        )

    def _new_estimator(self, model_path: Path | None) -> object:
        from formcheck.pose.estimator import PoseEstimator

        return PoseEstimator(model_path, self.settings.crowd_check_every_s)

    @property
    def landmarkers_made(self) -> int:
        """Landmarkers this worker loaded (1 after any number of clips)."""
        return self.estimators.created

    def analyse(self, job: ClipJob, stop: threading.Event | None = None) -> ClipOutcome:
        """``job`` analysed, written to ``job.out_dir`` and saved to ``job.db``.

        Never raises for the clip: an unusable clip or a bug comes back as
        ``outcome.error``; Ctrl-C (``KeyboardInterrupt``) or ``stop`` set by another
        thread stops it (``outcome.stopped``; the part analysed is kept). A clip
        stopped so early that its part cannot be analysed (nobody found yet, too
        short) is stopped too, not failed: it runs again next time.
        """
        try:
            outcome = analyse_clip(job, self.settings, stop=stop, estimators=self.estimators)
            if outcome.error is not None and stop is not None and stop.is_set():
                return ClipOutcome(job.video, stopped=True)
            return outcome
        except KeyboardInterrupt:
            return ClipOutcome(job.video, stopped=True)
        except Exception as exc:  # a bug: said for this clip; the batch goes on
            return failed_outcome(job.video, exc)

    def close(self) -> None:
        """Free the landmarker (idempotent)."""
        self.estimators.close()
