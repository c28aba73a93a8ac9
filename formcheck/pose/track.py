"""Run the estimator over a whole clip, streaming, and note what was seen."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from formcheck.pose.estimator import FramePose
from formcheck.pose.landmarks import N_LANDMARKS
from formcheck.pose.series import PoseSeries
from formcheck.video.cuts import CutScorer
from formcheck.video.reader import DecodeLog, VideoReader


class FramePoser(Protocol):
    """What :func:`estimate_video` needs of an estimator (a
    :class:`~formcheck.pose.estimator.PoseEstimator`)."""

    @property
    def timestamps_nudged(self) -> int: ...

    def process(self, image_bgr: np.ndarray, t_s: float) -> FramePose: ...


#: Mean grey level (0-255) under which a clip is called dark in the
#: "nobody found" message.
DARK_MEAN_LEVEL = 40.0


@dataclass(slots=True)
class CaptureLog:
    """What the pose pass saw besides landmarks.

    crowd_samples : (t_s, people) for every frame the crowd check ran on.
    mean_level : mean grey level of sampled frames (0-255), for "too dark".
    levels : the sampled grey levels themselves (not cached; segments pool them).
    cut_scores : (t_s, change, change2) for every frame: how much the whole picture
        changed from the frame before and from the one before that
        (:mod:`formcheck.video.cuts`; NaN for a pass's first frames), from which
        the scene cuts of an edited clip are found.
    """

    crowd_samples: list[tuple[float, int]] = field(default_factory=list)
    mean_level: float | None = None
    levels: list[float] = field(default_factory=list)
    cut_scores: list[tuple[float, float, float]] = field(default_factory=list)
    timestamps_nudged: int = 0
    decode: DecodeLog = field(default_factory=DecodeLog)
    interrupted: bool = False
    #: what went wrong in the pose pass without stopping it (a pose thread redone
    #: in the calling thread, results so far that could not be saved)
    problems: list[str] = field(default_factory=list)

    def several_people_ranges(
        self, merge_s: float = 1.5, min_hits: int = 2
    ) -> list[tuple[float, float]]:
        """Time ranges where the crowd check counted more than one person.

        Empty unless at least ``min_hits`` samples saw several people: a single
        sample is not enough (on the one-runner treadmill clip the low-confidence
        check once found a phantom second pose in 120 samples).
        """
        if sum(1 for _, n in self.crowd_samples if n >= 2) < min_hits:
            return []
        out: list[tuple[float, float]] = []
        for t, n in self.crowd_samples:
            if n < 2:
                continue
            if out and t - out[-1][1] <= merge_s:
                out[-1] = (out[-1][0], t)
            else:
                out.append((t, t))
        return out


ProgressFn = Callable[[int, float], None]


class PoseAccumulator:
    """Landmarks of a pose pass as they come, readable while the pass goes on.

    Frames are written into preallocated float32 blocks of :data:`BLOCK` frames
    (33 x 7 floats, about 1 KB a frame, and no Python object per frame), never
    images. One thread appends (:meth:`add`); any thread may take a
    :meth:`snapshot` meanwhile: a frame is counted only once all of it is written.
    """

    BLOCK = 1024

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = int(width), int(height)
        self._xyzv: list[np.ndarray] = []
        self._world: list[np.ndarray] = []
        self._t_s: list[np.ndarray] = []
        self._index: list[np.ndarray] = []
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def add(self, t_s: float, index: int, xyzv: np.ndarray, world: np.ndarray) -> None:
        """One frame: pixel landmarks (33, 4) and world landmarks (33, 3)."""
        block, row = divmod(self._n, self.BLOCK)
        if block == len(self._t_s):
            self._xyzv.append(np.empty((self.BLOCK, N_LANDMARKS, 4), np.float32))
            self._world.append(np.empty((self.BLOCK, N_LANDMARKS, 3), np.float32))
            self._t_s.append(np.empty(self.BLOCK, np.float64))
            self._index.append(np.empty(self.BLOCK, np.int64))
        self._xyzv[block][row] = xyzv
        self._world[block][row] = world
        self._t_s[block][row] = t_s
        self._index[block][row] = index
        self._n += 1  # last: the count covers complete frames only

    def shift_index(self, offset: int) -> None:
        """Add ``offset`` to every frame index so far (a segment aligned to a
        single pass's numbering; call it while no thread adds frames)."""
        for block in self._index:
            block += offset

    def snapshot(self, keep_from_s: float = -np.inf) -> PoseSeries:
        """The frames so far with ``t >= keep_from_s``, as a :class:`PoseSeries`."""
        n = self._n

        def cat(blocks: list[np.ndarray]) -> np.ndarray:
            return np.concatenate(blocks[: -(-n // self.BLOCK)])[:n]

        if n == 0:
            return PoseSeries.empty(self.width, self.height)
        t = cat(self._t_s)
        first = int(np.searchsorted(t, keep_from_s, side="left"))
        if first >= n:
            return PoseSeries.empty(self.width, self.height)
        return PoseSeries(
            cat(self._xyzv)[first:],
            t[first:],
            self.width,
            self.height,
            cat(self._world)[first:],
            cat(self._index)[first:],
        )


def _in_clip_pixels(xyzv: np.ndarray, image: np.ndarray, acc: PoseAccumulator) -> np.ndarray:
    """Landmarks found on ``image`` in the pixels of the clip's own frame size
    (``acc``'s): a reader with ``max_side`` yields shrunk images, and the
    estimator gives pixels of the image it saw (x and z on x's scale, y on y's;
    per axis, so the short side's rounding does not shift anything)."""
    h, w = image.shape[:2]
    if (w, h) == (acc.width, acc.height):
        return xyzv
    fx, fy = acc.width / w, acc.height / h
    return xyzv * np.array([fx, fy, fx, 1.0], np.float32)


def estimate_video(
    reader: VideoReader,
    estimator: FramePoser,
    progress: ProgressFn | None = None,
    *,
    pose_from_s: float = 0.0,
    keep_from_s: float = 0.0,
    until_s: float = float("inf"),
    stop: threading.Event | None = None,
    acc: PoseAccumulator | None = None,
) -> tuple[PoseSeries, CaptureLog]:
    """Landmarks for the decoded frames of ``reader`` with ``pose_from_s <= t < until_s``.

    Frames are processed one at a time; only landmarks are kept (33 x 7 floats a
    frame), never images. Landmarks are in the pixels of the clip's size
    (``reader.info``), also when the reader shrinks its frames (``max_side``).
    ``progress(frames_done, t_s)`` is called per frame.
    Crowd samples and brightness are recorded from ``keep_from_s`` on (a parallel
    segment starts its pose pass early so the tracker has settled, but reports
    only its own span). Frames before ``pose_from_s`` are only demuxed and decoded,
    not converted (``VideoReader(skip_before_s=...)`` yields them without an image).

    A KeyboardInterrupt, or ``stop`` being set (by another thread), ends the pass
    and returns what was analysed so far with ``log.interrupted`` set. Pass ``acc``
    to read the landmarks while the pass runs (a checkpoint from another place).
    """
    if getattr(reader, "skip_before_s", 0.0) > max(pose_from_s, 0.0):
        raise ValueError(
            "the reader skips frames the pose pass needs (skip_before_s > pose_from_s)"
        )
    acc = acc if acc is not None else PoseAccumulator(reader.info.width, reader.info.height)
    log = CaptureLog()
    cuts = CutScorer()
    frames = iter(reader)
    try:
        for frame in frames:
            t = frame.t_s
            if t >= until_s:
                break
            if stop is not None and stop.is_set():
                log.interrupted = True
                break
            if t < pose_from_s:
                continue
            if frame.image is None:  # never silently drop a frame of the pass
                raise RuntimeError(f"frame {frame.index} at {t:.3f} s came without its image")
            pose = estimator.process(frame.image, t)
            acc.add(t, frame.index, _in_clip_pixels(pose.xyzv, frame.image, acc), pose.world)
            change, change2 = cuts.update(frame.image)
            if t >= keep_from_s:
                log.cut_scores.append((t, change, change2))
                if pose.people is not None:
                    log.crowd_samples.append((t, pose.people))
                if frame.index % 15 == 0:
                    log.levels.append(float(frame.image[::8, ::8].mean()))
            if progress is not None:
                progress(len(acc), t)
    except KeyboardInterrupt:
        log.interrupted = True
    finally:
        # release the VideoCapture now, on every path (not when the generator is
        # collected: a traceback kept by the caller would keep it open)
        close = getattr(frames, "close", None)
        if close is not None:
            close()
    log.decode = reader.log
    log.timestamps_nudged = estimator.timestamps_nudged
    log.mean_level = float(np.mean(log.levels)) if log.levels else None
    return acc.snapshot(), log
