"""What a reader yields (:class:`Frame`) and what it records while decoding (:class:`DecodeLog`).

Shared by :mod:`formcheck.video.reader` (OpenCV's decoding) and
:mod:`formcheck.video.shrunk` (PyAV's, for frames shrunk as they are converted).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: A jump between two decoded frames longer than this many nominal frame
#: intervals is reported as a damaged range (frames lost in decoding), on both
#: decoding paths (OpenCV's and the shrunk PyAV one).
GAP_FRAMES = 3.0


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded frame. image: uint8 (height, width, 3) BGR, upright; None only
    for frames a reader was asked to skip (``VideoReader(skip_before_s=...)``)."""

    index: int
    t_s: float
    image: np.ndarray  # None for skipped frames (see above)


@dataclass(slots=True)
class DecodeLog:
    """What happened while decoding; filled in as frames are read.

    damaged : (start_s, end_s) ranges where frames could not be decoded.
    ended_at_s : time of the last frame decoded.
    timestamps_fixed : frames whose timestamp did not increase and was nudged.
    """

    frames: int = 0
    failed_reads: int = 0
    damaged: list[tuple[float, float]] = field(default_factory=list)
    ended_at_s: float | None = None
    timestamps_fixed: int = 0
    stopped_early: bool = False
    #: index and time of the first frame decoded: 0 unless the reader started at
    #: a key frame in the middle (``VideoReader(index=...)``); ``frames`` counts
    #: from there
    first_index: int = 0
    started_at_s: float = 0.0
    #: the seek to a key frame landed where it could not be checked (or after the
    #: frames wanted), so the clip was decoded from its start instead
    seek_missed: bool = False

    def add_damage(self, start_s: float, end_s: float) -> None:
        """Record a damaged range, merged with the previous one when they touch."""
        if self.damaged and start_s <= self.damaged[-1][1] + 1e-6:
            self.damaged[-1] = (self.damaged[-1][0], max(end_s, self.damaged[-1][1]))
        else:
            self.damaged.append((start_s, end_s))
