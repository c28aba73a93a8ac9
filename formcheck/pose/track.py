"""Run the estimator over a whole clip, streaming, and note what was seen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from formcheck.pose.estimator import PoseEstimator
from formcheck.pose.series import PoseSeries
from formcheck.video.reader import DecodeLog, VideoReader

#: Mean grey level (0-255) under which a clip is called dark in the
#: "nobody found" message.
DARK_MEAN_LEVEL = 40.0


@dataclass(slots=True)
class CaptureLog:
    """What the pose pass saw besides landmarks.

    crowd_samples : (t_s, people) for every frame the crowd check ran on.
    mean_level : mean grey level of sampled frames (0-255), for "too dark".
    levels : the sampled grey levels themselves (not cached; segments pool them).
    """

    crowd_samples: list[tuple[float, int]] = field(default_factory=list)
    mean_level: float | None = None
    levels: list[float] = field(default_factory=list)
    timestamps_nudged: int = 0
    decode: DecodeLog = field(default_factory=DecodeLog)
    interrupted: bool = False

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


def estimate_video(
    reader: VideoReader,
    estimator: PoseEstimator,
    progress: ProgressFn | None = None,
    *,
    pose_from_s: float = 0.0,
    keep_from_s: float = 0.0,
    until_s: float = float("inf"),
) -> tuple[PoseSeries, CaptureLog]:
    """Landmarks for the decoded frames of ``reader`` with ``pose_from_s <= t < until_s``.

    Frames are processed one at a time; only landmarks are kept (33 x 7 floats a
    frame), never images. ``progress(frames_done, t_s)`` is called per frame.
    Crowd samples and brightness are recorded from ``keep_from_s`` on (a parallel
    segment starts its pose pass early so the tracker has settled, but reports
    only its own span). A KeyboardInterrupt stops the pass and returns what was
    analysed so far with ``log.interrupted`` set.
    """
    xyzv: list[np.ndarray] = []
    world: list[np.ndarray] = []
    t_s: list[float] = []
    fidx: list[int] = []
    log = CaptureLog()
    try:
        for frame in reader:
            t = frame.t_s
            if t >= until_s:
                break
            if t < pose_from_s:
                continue
            pose = estimator.process(frame.image, t)
            xyzv.append(pose.xyzv)
            world.append(pose.world)
            t_s.append(t)
            fidx.append(frame.index)
            if t >= keep_from_s:
                if pose.people is not None:
                    log.crowd_samples.append((t, pose.people))
                if frame.index % 15 == 0:
                    log.levels.append(float(frame.image[::8, ::8].mean()))
            if progress is not None:
                progress(len(t_s), t)
    except KeyboardInterrupt:
        log.interrupted = True
    log.decode = reader.log
    log.timestamps_nudged = estimator.timestamps_nudged
    log.mean_level = float(np.mean(log.levels)) if log.levels else None
    info = reader.info
    if not t_s:
        return PoseSeries.empty(info.width, info.height), log
    series = PoseSeries(
        np.stack(xyzv),
        np.asarray(t_s),
        info.width,
        info.height,
        np.stack(world),
        np.asarray(fidx),
    )
    return series, log
