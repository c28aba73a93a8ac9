"""Landmarks of one clip on several cores: overlapping time segments, one landmarker each.

The pose model is the limit of the whole pipeline (about 16-20 ms a frame on one
core, decoding about 2 ms), and one landmarker uses one core. So the clip is cut
into ``workers`` consecutive time segments; segment 0 runs in this process and
every other segment in its own (spawned) process with its own
``PoseLandmarker``. Each later segment starts ``overlap_s`` seconds *before*
its cut, so that MediaPipe's tracker and landmark smoothing have settled by the
time its frames are kept; the frames of the overlap are compared with the
previous segment's (``ParallelLog.overlap_px``) and then dropped.

Every worker decodes its clip from the start (skipping the frames before its
segment without running the model) so that frame indices, timestamps and the
decode log are exactly those of a single pass: seeking in MP4 is not frame
exact. The cut points are placed so that each worker has about the same
amount of work (see :func:`plan_segments`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from formcheck.pose.series import PoseSeries
from formcheck.pose.track import CaptureLog, ProgressFn
from formcheck.video.reader import DecodeLog, VideoInfo, VideoReader

#: Seconds of video each later segment runs before its cut, so the tracker has
#: found the person and the landmark filter has settled. MediaPipe re-detects
#: the person on the first frame and its smoothing filter forgets in a few
#: frames; 0.5 s is 15 frames at 30 fps (the overlap test checks that the two
#: passes agree at the cut).
OVERLAP_S = 0.5

#: Clips shorter than this (seconds) are analysed in one process: starting a
#: second process with its own model (about 1-1.5 s) eats the gain.
MIN_PARALLEL_S = 4.0

#: Measured on the 2-core benchmark machine (benchmarks/RESULTS.md): decoding
#: costs about 2 ms a frame per megapixel and the landmarker about 17 ms a frame,
#: whatever the frame size (it resizes to its own input). Used only to balance
#: the work between segments.
DECODE_MS_PER_MPX = 2.0
POSE_MS = 17.0
#: Start-up of a worker process (imports and the model), milliseconds.
STARTUP_MS = 1300.0


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
    fallbacks : why a worker process failed (its segment was then redone in
        this process).
    """

    segments: list[Segment] = field(default_factory=list)
    overlap_px: list[float] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)


def default_workers() -> int:
    """Landmarker processes to use for one clip: the usable cores, at most 2.

    Two was the measured optimum on the 2-core benchmark machine; more
    processes than cores only add start-up and switching.
    """
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 1
    return max(1, min(2, n))


def plan_segments(
    duration_s: float,
    workers: int,
    mpx: float,
    overlap_s: float = OVERLAP_S,
    fps: float = 30.0,
) -> list[Segment]:
    """Cut ``[0, duration_s)`` into ``workers`` segments of about equal work.

    Worker ``i`` decodes from 0 to its end (cost ``d`` a frame) and runs the
    model from its start (cost ``p`` a frame); workers after the first also pay
    a start-up. The ends are chosen so that every worker's total is the same.

    Parameters
    ----------
    duration_s : clip length in seconds.
    workers : number of segments (>= 1).
    mpx : frame size in megapixels (decoding cost grows with it).
    overlap_s : seconds each later segment runs the model before its cut.
    fps : nominal frame rate (scales the per-frame costs against start-up).
    """
    if workers <= 1 or duration_s <= 0:
        return [Segment(0.0, 0.0, float("inf"))]
    d = DECODE_MS_PER_MPX * mpx * fps  # ms per second of video
    p = POSE_MS * fps

    def ends(cost_ms: float) -> list[float]:
        # worker i: e*d + (e - start)*p + startup = cost  ->  e
        out, prev = [], 0.0
        for i in range(workers):
            start = max(0.0, prev - overlap_s) if i else 0.0
            e = (cost_ms - (STARTUP_MS if i else 0.0) + start * p) / (d + p)
            out.append(max(e, prev))
            prev = out[-1]
        return out

    lo, hi = 0.0, duration_s * (d + p) + STARTUP_MS * workers
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
def run_segment(
    path: str,
    info: VideoInfo,
    model_path: str | None,
    crowd_check_every_s: float,
    seg: Segment,
    progress: ProgressFn | None = None,
) -> dict[str, object]:
    """Landmarks of one segment (frames with ``pose_from_s <= t < until_s``).

    Returns plain arrays and lists (cheap to send between processes): ``xyzv``
    (n, 33, 4), ``world`` (n, 33, 3), ``t_s`` (n,), ``frame_index`` (n,),
    ``crowd`` [(t_s, people)], ``levels`` [mean grey], ``nudged``, ``decode``
    (the DecodeLog, complete only for the last segment), ``interrupted``.
    """
    from formcheck.pose.estimator import PoseEstimator
    from formcheck.pose.track import estimate_video

    reader = VideoReader(path, info)
    with PoseEstimator(Path(model_path) if model_path else None, crowd_check_every_s) as est:
        series, log = estimate_video(
            reader,
            est,
            progress,
            pose_from_s=seg.pose_from_s,
            keep_from_s=seg.keep_from_s,
            until_s=seg.until_s,
        )
    return {
        "xyzv": series.xyzv,
        "world": series.world,
        "t_s": series.t_s,
        "frame_index": series.frame_index,
        "crowd": log.crowd_samples,
        "levels": log.levels,
        "nudged": log.timestamps_nudged,
        "decode": log.decode,
        "interrupted": log.interrupted,
    }


class _Child:
    """A segment in its own Python process (``python -m formcheck.pose.parallel``).

    A plain subprocess, not multiprocessing: spawn would re-import the caller's
    ``__main__`` (a user script without a ``__main__`` guard would run again), and
    fork after MediaPipe has started threads can deadlock. Arguments go in as a
    pickle on stdin, the result comes back as a pickle file; the child prints
    one line per 10 frames so the parent can show progress.
    """

    def __init__(self, stem: Path, args: tuple[object, ...]) -> None:
        self.out = stem.with_suffix(".pkl")
        self.err = stem.with_suffix(".log")
        self.done = 0
        env = dict(os.environ, GLOG_minloglevel="2", PYTHONUNBUFFERED="1")
        # the child must import this same formcheck, installed or not
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        with open(self.err, "wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "formcheck.pose.parallel", str(self.out)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                env=env,
            )
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(pickle.dumps(args))
            self.proc.stdin.close()
        except OSError:
            self.stop()  # the child started but cannot take its work: do not leak it
            raise
        self._reader = threading.Thread(target=self._read_progress, daemon=True)
        self._reader.start()

    def _read_progress(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with contextlib.suppress(ValueError):
                self.done = int(line)

    def result(self) -> dict[str, object]:
        code = self.proc.wait()
        if code != 0 or not self.out.is_file():
            tail = self.err.read_text(errors="replace")[-2000:] if self.err.is_file() else ""
            raise RuntimeError(f"pose worker failed (exit {code}):\n{tail}")
        with open(self.out, "rb") as fh:
            return pickle.load(fh)  # type: ignore[no-any-return]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _worker_main(out: str) -> None:
    path, info, mpath, crowd, seg = pickle.loads(sys.stdin.buffer.read())

    def report(done: int, t_s: float) -> None:
        if done % 10 == 0:
            print(done, flush=True)

    result = run_segment(path, info, mpath, crowd, seg, report)
    tmp = out + ".part"
    with open(tmp, "wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, out)


def _overlap_px(prev: dict[str, object], nxt: dict[str, object], seg: Segment) -> float:
    """Median landmark distance (px) of two passes over the last half of an overlap."""
    t_a, t_b = prev["t_s"], nxt["t_s"]
    mid = seg.keep_from_s - 0.5 * (seg.keep_from_s - seg.pose_from_s)
    common, ia, ib = np.intersect1d(t_a, t_b, return_indices=True)  # type: ignore[call-overload]
    sel = common >= mid
    if not sel.any():
        return float("nan")
    a = prev["xyzv"][ia[sel], :, :2]  # type: ignore[index]
    b = nxt["xyzv"][ib[sel], :, :2]  # type: ignore[index]
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
) -> tuple[PoseSeries, CaptureLog, ParallelLog]:
    """Landmarks for every decoded frame, with ``workers`` landmarker processes.

    Same result type as :func:`formcheck.pose.track.estimate_video`; the frames,
    timestamps, frame indices and decode log are identical to a single pass,
    landmarks agree up to MediaPipe's tracker state at each cut (see
    ``ParallelLog.overlap_px``). Segment 0 runs in this process, so
    ``progress(frames_done, t_s)`` reports frames of all workers together.
    A KeyboardInterrupt stops every worker and returns the first segment's frames
    with ``log.interrupted`` set.
    """
    path = Path(path)
    duration = info.duration_s or 0.0
    fps = info.fps_nominal if info.fps_nominal > 0 else 30.0
    plan = plan_segments(duration, workers, info.width * info.height / 1e6, overlap_s, fps)
    plog = ParallelLog(plan)
    mpath = str(model_path) if model_path else None
    parts: list[dict[str, object]] = []
    interrupted = False
    if len(plan) == 1:
        parts.append(run_segment(str(path), info, mpath, crowd_check_every_s, plan[0], progress))
        return (*_join(parts, plan, info, plog, interrupted), plog)
    with tempfile.TemporaryDirectory(prefix="formcheck-pose-") as tmp:
        children: list[_Child | None] = []
        for i, seg in enumerate(plan[1:], start=1):
            try:
                args = (str(path), info, mpath, crowd_check_every_s, seg)
                children.append(_Child(Path(tmp) / f"seg{i}", args))
            except OSError:  # cannot start a process here: that segment runs in-process
                children.append(None)
        try:

            def mine(done: int, t_s: float) -> None:
                if progress is not None:
                    progress(done + sum(c.done for c in children if c is not None), t_s)

            first = run_segment(str(path), info, mpath, crowd_check_every_s, plan[0], mine)
            parts.append(first)
            if first["interrupted"]:
                interrupted = True
            else:
                for seg, child in zip(plan[1:], children, strict=True):
                    try:
                        if child is None:
                            raise RuntimeError("no worker process")
                        parts.append(child.result())
                    except RuntimeError as exc:
                        # a worker that failed is redone here: slower, never wrong
                        plog.fallbacks.append(str(exc)[:500])
                        parts.append(run_segment(str(path), info, mpath, crowd_check_every_s, seg))
        except KeyboardInterrupt:
            interrupted = True
        finally:
            for c in children:
                if c is not None:
                    c.stop()
    return (*_join(parts, plan, info, plog, interrupted), plog)


def _join(
    parts: list[dict[str, object]],
    plan: list[Segment],
    info: VideoInfo,
    plog: ParallelLog,
    interrupted: bool,
) -> tuple[PoseSeries, CaptureLog]:
    xyzv, world, t_s, fidx = [], [], [], []
    log = CaptureLog()
    levels: list[float] = []
    for i, part in enumerate(parts):
        seg = plan[i]
        if i:
            plog.overlap_px.append(_overlap_px(parts[i - 1], part, seg))
        keep = part["t_s"] >= seg.keep_from_s  # type: ignore[operator]
        xyzv.append(part["xyzv"][keep])  # type: ignore[index]
        world.append(part["world"][keep])  # type: ignore[index]
        t_s.append(part["t_s"][keep])  # type: ignore[index]
        fidx.append(part["frame_index"][keep])  # type: ignore[index]
        log.crowd_samples.extend(part["crowd"])  # type: ignore[arg-type]
        levels.extend(part["levels"])  # type: ignore[arg-type]
        log.timestamps_nudged += int(part["nudged"])  # type: ignore[call-overload]
        interrupted = interrupted or bool(part["interrupted"])
    log.interrupted = interrupted or len(parts) < len(plan)
    last: DecodeLog = parts[-1]["decode"]  # type: ignore[assignment]
    log.decode = last
    log.mean_level = float(np.mean(levels)) if levels else None
    if not parts or not sum(len(t) for t in t_s):
        return PoseSeries.empty(info.width, info.height), log
    series = PoseSeries(
        np.concatenate(xyzv),
        np.concatenate(t_s),
        info.width,
        info.height,
        np.concatenate(world),
        np.concatenate(fidx),
    )
    return series, log


if __name__ == "__main__":
    _worker_main(sys.argv[1])
