"""One segment of a parallel pose pass, and the joining of the segments' passes.

:func:`run_segment` runs one time segment (:class:`Segment`) of a clip through its
own landmarker (made when its first frame needs it) into a :class:`SegmentRun`.
:func:`align_indices` gives a segment that started decoding at a key frame the
frame indices of a single pass (checked on the frames it shares with the segment
before), and :func:`join_segments` makes one series and one capture log of all of
them (:func:`joined_so_far` for the landmarks found so far). How the clip is cut
and the segments are run in threads: :mod:`formcheck.pose.parallel`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from formcheck.pose.estimator import POSE_MAX_SIDE_PX, CrowdCheck, FramePose, PoseEstimator
from formcheck.pose.pool import EstimatorLease, EstimatorPool
from formcheck.pose.series import PoseSeries
from formcheck.pose.track import CaptureLog, PoseAccumulator, ProgressFn
from formcheck.video.keyframes import FrameIndex
from formcheck.video.reader import DecodeLog, VideoInfo, VideoReader


@dataclass(frozen=True, slots=True)
class Segment:
    """One worker's share of the clip (seconds): frames with ``keep_from_s <= t <
    until_s`` are kept; the model already runs from ``pose_from_s``."""

    pose_from_s: float
    keep_from_s: float
    until_s: float


@dataclass(slots=True)
class ParallelLog:
    """How a parallel pass went.

    segments : the plan that was run.
    overlap_px : per cut, the median distance (pixels) between the two passes'
        landmarks over the last half of the overlap (NaN if nobody was found
        there). Small values mean the cut is seamless.
    fallbacks : why a worker thread failed (its segment was then redone in
        the calling thread).
    redecoded : segments whose frames, decoded from a key frame, did not line
        up with the previous segment's (they were decoded again from the start).
    decode_from_s : per segment, where its decoding started (seconds; 0 is the
        clip's start, later is a key frame; NaN if it never ran).
    checkpoint_errors : why a checkpoint failed (the first failure ends the
        checkpoints of this pass; the pass itself goes on).
    """

    segments: list[Segment] = field(default_factory=list)
    overlap_px: list[float] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)
    redecoded: list[int] = field(default_factory=list)
    decode_from_s: list[float] = field(default_factory=list)
    checkpoint_errors: list[str] = field(default_factory=list)


class _MadeAtFirstFrame:
    """A :class:`PoseEstimator` made when the first frame needs it.

    A later segment first decodes its way to its start (from a key frame, or from
    the clip's start when key frames are far apart: 0.3 s on the sample). Its
    landmarker is made after that, and the shared crowd check's at its first count
    (:class:`CrowdCheck`), so this decoding runs beside the first segment's
    landmarker creation. Before, all three landmarkers were made one after the
    other before any segment started (0.3 s, one core idle); this saved 3.5 % of
    the sample's two-worker analysis (``benchmarks/notes.md``).
    """

    def __init__(self, make: Callable[[], PoseEstimator]) -> None:
        self._make = make
        self._est: PoseEstimator | None = None

    @property
    def timestamps_nudged(self) -> int:
        return self._est.timestamps_nudged if self._est is not None else 0

    def process(self, image_bgr: np.ndarray, t_s: float) -> FramePose:
        if self._est is None:
            self._est = self._make()
        return self._est.process(image_bgr, t_s)

    def close(self) -> None:
        if self._est is not None:
            self._est.close()


class _Lent:
    """An estimator lent by a pool at the first frame, given back by :meth:`close`."""

    def __init__(self, pool: EstimatorPool) -> None:
        self._pool = pool
        self._lease: EstimatorLease | None = None

    @property
    def timestamps_nudged(self) -> int:
        return self._lease.timestamps_nudged if self._lease is not None else 0

    def process(self, image_bgr: np.ndarray, t_s: float) -> FramePose:
        if self._lease is None:
            self._lease = self._pool.acquire()
        return self._lease.process(image_bgr, t_s)  # type: ignore[return-value]

    def close(self) -> None:
        if self._lease is not None:
            self._lease.release()


class SegmentRun:
    """One segment's pose pass: its plan, the landmarks so far, and how it ended.

    ``done`` counts the frames of its own span through the model and ``done_s`` the
    seconds of video they cover (for progress; the overlap before the span is not
    counted, so the segments' counts add up to the clip's); ``error`` holds what
    stopped a worker thread (its segment is then redone in the calling thread).
    """

    def __init__(self, seg: Segment, info: VideoInfo) -> None:
        self.seg = seg
        self.acc = PoseAccumulator(info.width, info.height)
        self.log: CaptureLog | None = None
        self.done = 0
        self.done_s = 0.0
        self.error: BaseException | None = None
        self.finished = threading.Event()

    def kept(self) -> PoseSeries:
        """The frames of this segment's own span found so far."""
        return self.acc.snapshot(self.seg.keep_from_s)


def run_segment(
    path: str,
    info: VideoInfo,
    model_path: str | None,
    crowd_check_every_s: float,
    run: SegmentRun,
    progress: ProgressFn | None = None,
    stop: threading.Event | None = None,
    crowd: CrowdCheck | None = None,
    index: FrameIndex | None = None,
    estimators: EstimatorPool | None = None,
) -> None:
    """Landmarks of one segment (frames with ``pose_from_s <= t < until_s``) into ``run``.

    ``crowd``: a crowd check shared with the other segments (else its own).
    ``index``: the clip's packet times, to start decoding at the key frame before
    the segment (else from the clip's start).
    ``estimators``: lends an estimator already loaded (a batch worker's, made with
    the same model and crowd check), given back at the end; else one is made.
    """
    from formcheck.pose.track import estimate_video

    seg = run.seg

    def count(done: int, t_s: float) -> None:
        if t_s >= seg.keep_from_s:
            run.done += 1
            run.done_s = t_s - seg.keep_from_s
        if progress is not None:
            progress(run.done, t_s)

    reader = VideoReader(
        path, info, skip_before_s=seg.pose_from_s, index=index, max_side=POSE_MAX_SIDE_PX
    )
    est: _MadeAtFirstFrame | _Lent = (
        _Lent(estimators)
        if estimators is not None
        else _MadeAtFirstFrame(
            lambda: PoseEstimator(
                Path(model_path) if model_path else None, crowd_check_every_s, crowd=crowd
            )
        )
    )
    try:
        _, run.log = estimate_video(
            reader,
            est,
            count,
            pose_from_s=seg.pose_from_s,
            keep_from_s=seg.keep_from_s,
            until_s=seg.until_s,
            stop=stop,
            acc=run.acc,
        )
    finally:
        est.close()


def joined_so_far(runs: list[SegmentRun]) -> PoseSeries:
    """Every segment's kept frames so far, in time order (one series; empty if none)."""
    parts = [r.kept() for r in runs]
    parts = [s for s in parts if s.n_frames]
    if not parts:
        first = runs[0].acc
        return PoseSeries.empty(first.width, first.height)
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    return PoseSeries(
        np.concatenate([s.xyzv for s in parts]),
        np.concatenate([s.t_s for s in parts]),
        first.width,
        first.height,
        np.concatenate([s.world for s in parts]),
        np.concatenate([s.frame_index for s in parts]),
    )


def _overlap_px(prev: PoseSeries, nxt: PoseSeries, seg: Segment) -> float:
    """Median landmark distance (px) of two passes over the last half of an overlap."""
    mid = seg.keep_from_s - 0.5 * (seg.keep_from_s - seg.pose_from_s)
    common, ia, ib = np.intersect1d(prev.t_s, nxt.t_s, return_indices=True)
    sel = common >= mid
    if not sel.any():
        return float("nan")
    a = prev.xyzv[ia[sel], :, :2]
    b = nxt.xyzv[ib[sel], :, :2]
    dist = np.linalg.norm(a - b, axis=-1)
    dist = dist[np.isfinite(dist)]
    return float(np.median(dist)) if dist.size else float("nan")


def join_segments(
    runs: list[SegmentRun], info: VideoInfo, plog: ParallelLog, interrupted: bool
) -> tuple[PoseSeries, CaptureLog]:
    """One series and one capture log from the segments' passes."""
    log = CaptureLog()
    levels: list[float] = []
    for i, run in enumerate(runs):
        if i and run.log is not None and runs[i - 1].log is not None:
            if interrupted:  # a complete pass was aligned as its workers ended
                align_indices(runs[i - 1], run)
            prev, this = runs[i - 1].acc.snapshot(), run.acc.snapshot()
            plog.overlap_px.append(_overlap_px(prev, this, run.seg))
        if run.log is None:  # never ran (interrupted before, or its worker failed)
            interrupted = True
            continue
        log.crowd_samples.extend(run.log.crowd_samples)
        log.cut_scores.extend(run.log.cut_scores)
        levels.extend(run.log.levels)
        log.timestamps_nudged += run.log.timestamps_nudged
        interrupted = interrupted or run.log.interrupted or run.error is not None
    log.interrupted = interrupted
    log.decode = _merged_decode(runs)
    plog.decode_from_s = [r.log.decode.started_at_s if r.log else float("nan") for r in runs]
    log.mean_level = float(np.mean(levels)) if levels else None
    series = joined_so_far(runs)
    if not series.n_frames:
        return PoseSeries.empty(info.width, info.height), log
    return series, log


def align_indices(prev: SegmentRun, run: SegmentRun) -> bool:
    """Give ``run``'s frames the indices of a single pass; False if that cannot be checked.

    A segment that started decoding at a key frame numbered its frames by their
    rank among the clip's packets; a single pass counts decoded frames, which
    differ when frames before the key frame failed to decode. The frames both
    segments decoded (the overlap) carry ``prev``'s indices, counted from the
    clip's start (or already aligned): their difference must be one constant,
    which is then added to ``run``'s indices. A segment decoded from the start
    needs nothing.
    """
    if run.log is None or run.log.decode.started_at_s <= 0.0:  # from the clip's start
        return True
    a, b = prev.acc.snapshot(), run.acc.snapshot()
    common, ia, ib = np.intersect1d(a.t_s, b.t_s, return_indices=True)
    if not common.size:
        return False
    offset = a.frame_index[ia] - b.frame_index[ib]
    if np.any(offset != offset[0]):
        return False
    if offset[0]:
        run.acc.shift_index(int(offset[0]))
        run.log.decode.first_index += int(offset[0])
    return True


def _merged_decode(runs: list[SegmentRun]) -> DecodeLog:
    """One decode log for the clip from the segments' (in order, aligned).

    A segment decoded from the start covers everything before it and replaces the
    log so far; one that started at a key frame continues it: frames counted to its
    end, damaged ranges joined, its end taken. Its failed reads and timestamp fixes
    are added, so damage inside an overlap is counted by both readers.
    """
    out = DecodeLog()
    for run in runs:
        if run.log is None:
            continue
        d = run.log.decode
        frames = d.first_index + d.frames
        if frames < out.frames:  # stopped before the segment before did (interrupted)
            continue
        if d.started_at_s <= 0.0:  # decoded from the clip's start
            out = replace(d, damaged=list(d.damaged))
            continue
        spans = sorted([*out.damaged, *d.damaged])
        out.damaged = []
        for start, end in spans:
            out.add_damage(start, end)
        out.frames = frames
        out.failed_reads += d.failed_reads
        out.timestamps_fixed += d.timestamps_fixed
        out.ended_at_s, out.stopped_early = d.ended_at_s, d.stopped_early
        out.seek_missed = out.seek_missed or d.seek_missed
    return out
