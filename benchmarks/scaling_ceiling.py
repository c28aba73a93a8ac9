"""How far two landmarkers can scale on this machine: the ceiling of "one clip on 2 cores".

Two measurements, each mode in a fresh process, the modes interleaved so that a load
change on a shared machine hits all of them:

1. **The model alone** on frames decoded beforehand (nothing else runs): one
   landmarker, two landmarkers in two threads of one process (how
   ``formcheck/pose/parallel.py`` runs them), and two landmarkers in two processes.
   The throughput of two over one is the most any split of one clip can reach.
2. **The analysis** (``formcheck.analyze``, cache off) with 1 and 2 pose workers:
   wall time, CPU time over wall time (cores kept busy), and the time a frame spends
   in ``PoseEstimator.process``, which shows how much slower the model runs while
   the clip is being decoded beside it.

Usage: ``python benchmarks/scaling_ceiling.py [CLIP] [--repeats 4] [--frames 300]``
(results: ``benchmarks/notes.md``).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import threading
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "sample_videos" / "run_treadmill_male_side.mp4"

#: Seconds to wait for a measuring process (a crashed one would otherwise hang the
#: script; ``queue.Empty`` is raised instead).
TIMEOUT_S = 600


def _frames(clip: str, n: int) -> list:
    import cv2

    cap = cv2.VideoCapture(clip)
    frames = []
    while len(frames) < n:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    return frames


def _run(est: object, frames: list, barrier: object, out: list) -> None:
    """One landmarker over the frames (the crowd check off: it is the same work in
    every mode); ms a frame after a first, untimed frame."""
    est.process(frames[0], 0.0)  # type: ignore[attr-defined]
    barrier.wait()  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    for k, frame in enumerate(frames[1:], start=1):
        est.process(frame, k / 30.0)  # type: ignore[attr-defined]
    out.append((time.perf_counter() - t0) / (len(frames) - 1) * 1000.0)


def _model_in_threads(clip: str, n_frames: int, landmarkers: int, q: object) -> None:
    from formcheck.pose.estimator import PoseEstimator

    frames = _frames(clip, n_frames)
    ests = [PoseEstimator(crowd_check_every_s=1e9) for _ in range(landmarkers)]
    barrier = threading.Barrier(landmarkers)
    out: list[float] = []
    threads = [threading.Thread(target=_run, args=(e, frames, barrier, out)) for e in ests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in ests:
        e.close()
    q.put(out)  # type: ignore[attr-defined]


def _model_in_process(clip: str, n_frames: int, barrier: object, q: object) -> None:
    from formcheck.pose.estimator import PoseEstimator

    frames = _frames(clip, n_frames)
    out: list[float] = []
    with PoseEstimator(crowd_check_every_s=1e9) as est:
        _run(est, frames, barrier, out)
    q.put(out)  # type: ignore[attr-defined]


def model_alone(clip: str, n_frames: int, mode: str) -> list[float]:
    """ms a frame of each landmarker in ``mode``: one, threads, processes."""
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    if mode == "processes":
        barrier = ctx.Barrier(2)
        procs = [
            ctx.Process(target=_model_in_process, args=(clip, n_frames, barrier, q))
            for _ in range(2)
        ]
    else:
        n = 1 if mode == "one" else 2
        procs = [ctx.Process(target=_model_in_threads, args=(clip, n_frames, n, q))]
    for p in procs:
        p.start()
    ms = [m for _ in procs for m in q.get(timeout=TIMEOUT_S)]
    for p in procs:
        p.join()
    return ms


def _analysis(clip: str, workers: int, q: object) -> None:
    os.environ.setdefault("GLOG_minloglevel", "2")
    import tempfile

    from formcheck.pipeline import analyze
    from formcheck.pose import estimator
    from formcheck.settings import Settings

    in_process: list[float] = []
    original = estimator.PoseEstimator.process

    def timed(self: object, *args: object, **kwargs: object) -> object:
        t0 = time.perf_counter()
        try:
            return original(self, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            in_process.append(time.perf_counter() - t0)

    estimator.PoseEstimator.process = timed  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(cache_landmarks=False, pose_workers=workers, cache_dir=Path(tmp))
        analyze(Path(clip), activity="auto", settings=settings)  # warm: imports, first model
        in_process.clear()
        c0, t0 = os.times(), time.perf_counter()
        analyze(Path(clip), activity="auto", settings=settings)
        wall, c1 = time.perf_counter() - t0, os.times()
    cpu = (c1.user - c0.user) + (c1.system - c0.system)
    q.put((wall, cpu / wall, 1000.0 * statistics.fmean(in_process)))  # type: ignore[attr-defined]


def analysis(clip: str, workers: int) -> tuple[float, float, float]:
    """(wall s, cores busy, ms a frame in PoseEstimator.process) of one analysis."""
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_analysis, args=(clip, workers, q))
    p.start()
    out = q.get(timeout=TIMEOUT_S)
    p.join()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("clip", nargs="?", default=str(SAMPLE))
    ap.add_argument("--repeats", type=int, default=4)
    ap.add_argument("--frames", type=int, default=300)
    a = ap.parse_args()
    os.environ.setdefault("GLOG_minloglevel", "2")

    per_frame: dict[str, list[float]] = {"one": [], "threads": [], "processes": []}
    for r in range(a.repeats):
        order = ["one", "threads", "processes"]
        for mode in order if r % 2 == 0 else order[::-1]:
            ms = model_alone(a.clip, a.frames, mode)
            per_frame[mode].append(statistics.fmean(ms))
            print(f"model alone, {mode:9}: {', '.join(f'{m:.1f}' for m in ms)} ms a frame")
    one = statistics.median(per_frame["one"])
    for mode in ("threads", "processes"):
        two = statistics.median(per_frame[mode])
        print(
            f"  two landmarkers in {mode}: {2 * one / two:.2f}x one "
            f"(medians {two:.1f} vs {one:.1f} ms a frame)"
        )

    rows: dict[int, list[tuple[float, float, float]]] = {1: [], 2: []}
    for r in range(a.repeats):
        for w in (1, 2) if r % 2 == 0 else (2, 1):
            rows[w].append(analysis(a.clip, w))
            wall, cores, ms = rows[w][-1]
            print(
                f"analysis, {w} pose worker(s): {wall:.2f} s, {cores:.2f} cores busy, "
                f"{ms:.1f} ms a frame in process()"
            )
    ratios = [o[0] / t[0] for o, t in zip(rows[1], rows[2], strict=True)]
    print(f"  analysis 2 vs 1 workers: median {statistics.median(ratios):.2f}x")
    for w in (1, 2):
        cores = statistics.median(r[1] for r in rows[w])
        ms = statistics.median(r[2] for r in rows[w])
        print(f"  {w} worker(s): {cores:.2f} cores busy, {ms:.1f} ms a frame in process()")


if __name__ == "__main__":
    main()
