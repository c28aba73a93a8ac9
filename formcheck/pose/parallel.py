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
which is how a long analysis saves checkpoints (``checkpoint`` below). One
segment's pass and the join are in :mod:`formcheck.pose.segments`; this module
plans the segments and runs them in threads.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from formcheck.pose.estimator import CrowdCheck
from formcheck.pose.pool import EstimatorPool
from formcheck.pose.segments import (
    ParallelLog,
    Segment,
    SegmentRun,
    align_indices,
    join_segments,
    joined_so_far,
    run_segment,
)
from formcheck.pose.series import PoseSeries
from formcheck.pose.track import CaptureLog, PoseAccumulator, ProgressFn
from formcheck.video.keyframes import FrameIndex, read_frame_index
from formcheck.video.reader import VideoInfo

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
    estimators: EstimatorPool | None = None,
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

    ``estimators`` (a batch worker's, with the same model and crowd check) lends the
    landmarker of a single pass (``workers`` 1) instead of making one.
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
        run_segment(
            *args,  # type: ignore[arg-type]
            runs[0],
            lambda done, t: tick(),
            stop,
            crowd,
            estimators=estimators if len(runs) == 1 else None,
        )
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
            elif align_indices(runs[i - 1], run):
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
    series, log = join_segments(runs, info, plog, interrupted)
    log.problems = [*plog.fallbacks, *plog.checkpoint_errors]
    return series, log, plog
