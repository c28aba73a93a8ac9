"""One batch worker: analyses clips one after another with a landmarker loaded once.

A :class:`ClipWorker` lives as long as its process (a local worker process, a Ray
actor). Its first clip loads the pose landmarker; every later clip reuses it
(:class:`formcheck.pose.pool.EstimatorPool`). Its :meth:`ClipWorker.analyse` is
:func:`~formcheck.pipeline.clip.analyse_clip` that never raises for one clip.
"""

from __future__ import annotations

import threading

from formcheck.cues import words_batch
from formcheck.errors import FormcheckError
from formcheck.pipeline.clip import ClipJob, ClipOutcome, analyse_clip
from formcheck.settings import Settings


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
        self.analysed = 0

    def analyse(self, job: ClipJob, stop: threading.Event | None = None) -> ClipOutcome:
        """``job`` analysed, written to ``job.out_dir`` and saved to ``job.db``.

        Never raises for the clip: an unusable clip or a bug comes back as
        ``outcome.error``; Ctrl-C (``KeyboardInterrupt``) or ``stop`` set by another
        thread stops it (``outcome.stopped``; the part analysed is kept).
        """
        try:
            return analyse_clip(job, self.settings, stop=stop)
        except KeyboardInterrupt:
            return ClipOutcome(job.video, stopped=True)
        except Exception as exc:  # a bug: said for this clip; the batch goes on
            return ClipOutcome(
                job.video,
                error=FormcheckError(
                    *words_batch.unexpected_error(job.video.name, exc), code="unexpected_error"
                ),
            )
        finally:
            self.analysed += 1

    def close(self) -> None:
        """Free the landmarker (idempotent)."""
