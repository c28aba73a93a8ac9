"""Landmarks of one clip on several cores: overlapping time segments, one landmarker each.

The pose model is the limit of the whole pipeline (about 16-20 ms a frame on one
core, decoding about 2 ms), and one landmarker uses one core. So the clip is cut
into ``workers`` consecutive time segments, each run by its own ``PoseLandmarker``
in its own thread of this process: segment 0 in the calling thread, the others in
worker threads. Threads are enough because MediaPipe Tasks 1.2.x calls its C
library through ``ctypes.CDLL`` (the GIL is released for the whole inference), and
OpenCV releases it while decoding: two landmarkers in two threads ran 2.0x one on
this 2-core machine, against 1.36x for the worker *processes* used before (each
paid about 1.3 s to start Python, import MediaPipe and load the model, and held a
second copy of everything in memory).

Each later segment starts ``overlap_s`` seconds *before* its cut, so that
MediaPipe's tracker and landmark smoothing have settled by the time its frames
are kept; the frames of the overlap are compared with the previous segment's
(``ParallelLog.overlap_px``) and then dropped.

A later worker starts decoding at the last key frame before its segment (the
frames from there to its segment are grabbed without colour conversion and
without the model). OpenCV's seek is not frame exact, so where it lands is
checked against the clip's packet times (:mod:`formcheck.video.keyframes`),
which give the frame indices; the join then checks them against the previous
segment's indices for the frames both decoded and shifts them if frames before
the key frame failed to decode. A seek that cannot be checked, or a segment
whose frames do not line up with the previous one's, is decoded from the start
(as every worker did before; a clip with one key frame every 8 s, like the
sample, is decoded from the start anyway). So frame indices, timestamps and the
decode log are exactly those of a single pass. The cut points are placed so that
each worker has about the same amount of work (see :func:`plan_segments`).

The landmarks found so far can be read at any time (:class:`PoseAccumulator`),
which is how a long analysis saves checkpoints (``checkpoint`` below).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from formcheck.pose.estimator import CrowdCheck, FramePose, PoseEstimator
from formcheck.pose.series import PoseSeries
from formcheck.pose.track import CaptureLog, PoseAccumulator, ProgressFn
from formcheck.video.keyframes import FrameIndex, read_frame_index
from formcheck.video.reader import DecodeLog, VideoInfo, VideoReader

#: Seconds of video each later segment runs before its cut, so the tracker has
#: found the person and the landmark filter has settled. MediaPipe re-detects
#: the person on the first frame and its smoothing filter forgets in a few
#: frames; 0.5 s is 15 frames at 30 fps (the overlap test checks that the two
#: passes agree at the cut).
OVERLAP_S = 0.5

#: Measured on the 2-core benchmark machine (benchmarks/RESULTS.md): decoding
#: costs about 2 ms a frame per megapixel (1 ms when the frame is only grabbed,
#: not converted to BGR) and the landmarker about 17 ms a frame, whatever the
#: frame size (it resizes to its own input). Used only to balance the work
#: between segments.
DECODE_MS_PER_MPX = 2.0
GRAB_MS_PER_MPX = 1.0
POSE_MS = 17.0

#: Clips shorter than this (seconds) are analysed by one landmarker: below it the
#: second landmarker's creation (about 0.13 s), the 0.5 s overlap it must run
#: before its cut and the frames it decodes to reach it eat the gain (a 2 s clip
#: at 30 fps: 60 frames on one thread, 30 + 15 on each of two; why two workers
#: give about 1.6x even on long clips: benchmarks/notes.md).
MIN_PARALLEL_S = 2.0

#: A checkpoint callback gets the landmarks found so far (every segment's kept
#: frames, in time order; a gap where a segment has not reached yet).
CheckpointFn = Callable[[PoseSeries], None]


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


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity on Linux)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 1
    return max(1, n)


def default_workers() -> int:
    """Landmarker threads to use for one clip: the usable cores, at most 2.

    Two was the measured optimum on the 2-core benchmark machine; more
    landmarkers than cores only add start-up, memory and switching.
    """
    return min(2, usable_cores())


def plan_segments(
    duration_s: float,
    workers: int,
    mpx: float,
    overlap_s: float = OVERLAP_S,
    fps: float = 30.0,
    index: FrameIndex | None = None,
) -> list[Segment]:
    """Cut ``[0, duration_s)`` into ``workers`` segments of about equal work.

    Worker ``i`` grabs the frames from the last key frame before its start (cost
    ``g`` a frame; from 0 when ``index`` is not given), decodes and runs the
    model on the frames from its start to its end (cost ``d + p`` a frame). The
    ends are chosen so that every worker's total is the same. No start-up is
    counted: every segment makes its own landmarker when its first frame needs it
    (with 0.3 s for a later segment's start-up, the first finished 0.3 s after the
    second on the 6 s plank clip and the sample: 1 vs 2 threads 1.32x and 1.54x;
    without, they finish together, 1.44x and 1.61x).

    Parameters
    ----------
    duration_s : clip length in seconds.
    workers : number of segments (>= 1).
    mpx : frame size in megapixels (decoding cost grows with it).
    overlap_s : seconds each later segment runs the model before its cut.
    fps : nominal frame rate (per-frame costs per second of video).
    index : the clip's packet times, whose key frames are where a later worker's
        decoding can start.
    """
    if workers <= 1 or duration_s <= 0:
        return [Segment(0.0, 0.0, float("inf"))]
    g = GRAB_MS_PER_MPX * mpx * fps  # ms per second of video, per cost kind
    d = DECODE_MS_PER_MPX * mpx * fps
    p = POSE_MS * fps

    def key_before(t: float) -> float:
        return index.keyframe_before(t) if index is not None else 0.0

    def ends(cost_ms: float) -> list[float]:
        # worker i: (start - key)*g + (e - start)*(d + p) = cost  ->  e
        out, prev = [], 0.0
        for i in range(workers):
            start = max(0.0, prev - overlap_s) if i else 0.0
            e = (cost_ms - (start - key_before(start)) * g) / (d + p) + start
            out.append(max(e, prev))
            prev = out[-1]
        return out

    lo, hi = 0.0, duration_s * (d + p)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if ends(mid)[-1] < duration_s:
            lo = mid
        else:
            hi = mid
    cuts = ends(hi)[:-1]
    segs, start = [], 0.0
    for i, c in enumerate([*cuts, float("inf")]):
        pose_from = max(0.0, start - overlap_s) if i else 0.0
        segs.append(Segment(pose_from, start, c))
        start = c
    return segs


# ---------------------------------------------------------------------------------------
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
) -> None:
    """Landmarks of one segment (frames with ``pose_from_s <= t < until_s``) into ``run``.

    ``crowd``: a crowd check shared with the other segments (else its own).
    ``index``: the clip's packet times, to start decoding at the key frame before
    the segment (else from the clip's start).
    """
    from formcheck.pose.track import estimate_video

    seg = run.seg

    def count(done: int, t_s: float) -> None:
        if t_s >= seg.keep_from_s:
            run.done += 1
            run.done_s = t_s - seg.keep_from_s
        if progress is not None:
            progress(run.done, t_s)

    reader = VideoReader(path, info, skip_before_s=seg.pose_from_s, index=index)
    est = _MadeAtFirstFrame(
        lambda: PoseEstimator(
            Path(model_path) if model_path else None, crowd_check_every_s, crowd=crowd
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


class _Worker(threading.Thread):
    """A later segment in its own thread, with its own reader and landmarker."""

    def __init__(
        self,
        args: tuple[object, ...],
        run: SegmentRun,
        stop: threading.Event,
        crowd: CrowdCheck | None,
        index: FrameIndex | None,
    ) -> None:
        super().__init__(name="formcheck-pose", daemon=True)
        self._args, self.run_, self._stop_event, self._crowd = args, run, stop, crowd
        self._index = index

    def run(self) -> None:
        try:
            run_segment(
                *self._args,  # type: ignore[arg-type]
                self.run_,
                stop=self._stop_event,
                crowd=self._crowd,
                index=self._index,
            )
        except BaseException as exc:  # reported to the caller, who redoes the segment
            self.run_.error = exc
        finally:
            self.run_.finished.set()


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


def estimate_video_parallel(
    path: Path | str,
    info: VideoInfo,
    model_path: Path | None = None,
    crowd_check_every_s: float = 0.5,
    workers: int = 2,
    progress: ProgressFn | None = None,
    overlap_s: float = OVERLAP_S,
    checkpoint: CheckpointFn | None = None,
    checkpoint_every_s: float = 15.0,
    stop: threading.Event | None = None,
) -> tuple[PoseSeries, CaptureLog, ParallelLog]:
    """Landmarks for every decoded frame, with ``workers`` landmarkers in threads.

    Same result type as :func:`formcheck.pose.track.estimate_video`; the frames,
    timestamps, frame indices and decode log are identical to a single pass,
    landmarks agree up to MediaPipe's tracker state at each cut (see
    ``ParallelLog.overlap_px``). ``workers=1`` is a plain single pass.
    ``progress(frames_done, analysed_s)`` reports the frames of every segment's own
    span analysed so far, and the seconds of video they cover.

    ``checkpoint(series)`` is called from the calling thread about every
    ``checkpoint_every_s`` seconds of wall time (0 or less: never) with the
    landmarks found so far (:func:`joined_so_far`), so that a caller can save
    partial results that survive the process being killed. The interval grows
    so that checkpoints take at most about a tenth of the wall time (each one
    analyses everything so far). A checkpoint that raises an ``Exception`` does
    not stop the pass: the error goes to ``ParallelLog.checkpoint_errors`` and
    no further checkpoint is taken. Anything else it raises (``KeyboardInterrupt``,
    an app's rerun) propagates as from ``progress``.

    A KeyboardInterrupt, or ``stop`` being set by another thread, stops every
    worker and returns every frame analysed so far (each segment's, in time order)
    with ``log.interrupted`` set.
    """
    path = Path(path)
    duration = info.duration_s or 0.0
    fps = info.fps_nominal if info.fps_nominal > 0 else 30.0
    # the packet times (a demux, 5-30 ms): where later segments can start decoding
    index = read_frame_index(path) if workers > 1 else None
    mpx = info.width * info.height / 1e6
    plan = plan_segments(duration, workers, mpx, overlap_s, fps, index)
    plog = ParallelLog(plan)
    runs = [SegmentRun(seg, info) for seg in plan]
    args = (str(path), info, str(model_path) if model_path else None, crowd_check_every_s)
    stop = stop if stop is not None else threading.Event()
    if not checkpoint_every_s > 0:
        checkpoint = None
    next_checkpoint = time.monotonic() + checkpoint_every_s

    def tick() -> None:
        nonlocal next_checkpoint, checkpoint
        try:
            if progress is not None:
                progress(sum(r.done for r in runs), sum(r.done_s for r in runs))
            if checkpoint is not None and time.monotonic() >= next_checkpoint:
                began = time.monotonic()
                try:
                    checkpoint(joined_so_far(runs))
                except Exception as exc:  # saving results so far must not lose the rest
                    plog.checkpoint_errors.append(f"{type(exc).__name__}: {exc}"[:500])
                    checkpoint = None
                # never spend more than about a tenth of the time on checkpoints
                next_checkpoint = time.monotonic() + max(
                    checkpoint_every_s, 10.0 * (time.monotonic() - began)
                )
        except BaseException:
            stop.set()  # Ctrl-C or a rerun from a callback: workers stop now
            raise

    # one crowd check for every segment (stateless; saves a landmarker, ~75 MB);
    # its landmarker is made at its first count, by whichever segment gets there
    crowd = (
        CrowdCheck(Path(model_path) if model_path else None)
        if len(runs) > 1 and crowd_check_every_s > 0
        else None
    )
    threads = [_Worker(args, run, stop, crowd, index) for run in runs[1:]]
    interrupted = False
    try:
        for th in threads:
            th.start()
        run_segment(*args, runs[0], lambda done, t: tick(), stop, crowd)  # type: ignore[arg-type]
        # estimate_video turns a Ctrl-C into an interrupted log: pass it on
        interrupted = runs[0].log is not None and runs[0].log.interrupted
        for th in threads if not interrupted else ():
            while not th.run_.finished.wait(0.25):
                tick()
        for i, run in enumerate(runs[1:] if not interrupted else (), start=1):
            # a worker that failed is redone here, from the clip's start: slower,
            # never wrong; so is a segment whose frames do not line up with the
            # segment before's (in order: each is checked against a final one)
            if run.error is not None:
                plog.fallbacks.append(f"{type(run.error).__name__}: {run.error}"[:500])
            elif _align(runs[i - 1], run):
                continue
            else:
                plog.redecoded.append(i)
            run.error, run.done, run.done_s = None, 0, 0.0
            run.acc = PoseAccumulator(info.width, info.height)
            run_segment(*args, run, lambda done, t: tick(), stop, crowd)  # type: ignore[arg-type]
            interrupted = run.log is not None and run.log.interrupted
            if interrupted:
                break
        if not interrupted:
            tick()  # the last frames of a worker that ended between two ticks
    except KeyboardInterrupt:
        interrupted = True
    except BaseException:
        stop.set()  # e.g. an app rerun: workers stop now instead of finishing their part
        raise
    finally:
        if interrupted:
            stop.set()
        for th in threads:
            th.join()
        if crowd is not None:
            crowd.close()
    series, log = _join(runs, info, plog, interrupted)
    log.problems = [*plog.fallbacks, *plog.checkpoint_errors]
    return series, log, plog


def _join(
    runs: list[SegmentRun], info: VideoInfo, plog: ParallelLog, interrupted: bool
) -> tuple[PoseSeries, CaptureLog]:
    """One series and one capture log from the segments' passes."""
    log = CaptureLog()
    levels: list[float] = []
    for i, run in enumerate(runs):
        if i and run.log is not None and runs[i - 1].log is not None:
            if interrupted:  # a complete pass was aligned as its workers ended
                _align(runs[i - 1], run)
            prev, this = runs[i - 1].acc.snapshot(), run.acc.snapshot()
            plog.overlap_px.append(_overlap_px(prev, this, run.seg))
        if run.log is None:  # never ran (interrupted before, or its worker failed)
            interrupted = True
            continue
        log.crowd_samples.extend(run.log.crowd_samples)
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


def _align(prev: SegmentRun, run: SegmentRun) -> bool:
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
