"""Measured and rejected: two landmarkers on alternate frames of one decoder.

The parallel pose pass (``formcheck/pose/parallel.py``) cuts a clip into time
segments. This script measures the other way to put two landmarkers on one clip:
one decoder hands even frames to one landmarker and odd frames to another, each in
its own thread. No overlap, no second decoder, no imbalance at the end, so it does
no more work than one landmarker; but each tracker sees the person at half the
frame rate, and consecutive frames come from two independent trackers.

It prints wall and CPU time of a single pass and of the alternate-frame pass, how
far the landmarks moved, their frame-to-frame jitter (median second difference),
and every metric of the analysis on both series (results: ``benchmarks/notes.md``).

Usage: ``python benchmarks/alternate_frames.py CLIP [ACTIVITY]``
"""

from __future__ import annotations

import argparse
import queue
import resource
import threading
import time
from pathlib import Path

import numpy as np

from formcheck.pipeline import analyze_pose
from formcheck.pose.estimator import CrowdCheck, PoseEstimator
from formcheck.pose.series import PoseSeries
from formcheck.pose.track import PoseAccumulator, estimate_video
from formcheck.video.reader import VideoInfo, VideoReader, probe

#: Frames waiting for each landmarker (a few: frames are full-size images).
QUEUE_FRAMES = 3


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def single_pass(path: Path, info: VideoInfo) -> PoseSeries:
    with PoseEstimator() as est:
        series, _ = estimate_video(VideoReader(path, info), est)
    return series


def alternate_frames(path: Path, info: VideoInfo, workers: int = 2) -> PoseSeries:
    """Frame ``i`` goes to landmarker ``i % workers``; the crowd check is shared and
    staggered so that it runs every 0.5 s of video overall, as in a single pass."""
    crowd = CrowdCheck()
    ests = [PoseEstimator(crowd_check_every_s=0.5 * workers, crowd=crowd) for _ in range(workers)]
    for k, est in enumerate(ests):
        est._next_crowd_s = 0.5 * k  # staggered: one check every 0.5 s overall
    inboxes: list[queue.Queue] = [queue.Queue(maxsize=QUEUE_FRAMES) for _ in ests]
    found: dict[int, tuple[float, np.ndarray, np.ndarray]] = {}

    def work(k: int) -> None:
        while (item := inboxes[k].get()) is not None:
            index, t_s, image = item
            pose = ests[k].process(image, t_s)
            found[index] = (t_s, pose.xyzv, pose.world)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(workers)]
    for th in threads:
        th.start()
    try:
        for frame in VideoReader(path, info):
            inboxes[frame.index % workers].put((frame.index, frame.t_s, frame.image))
    finally:
        for box in inboxes:
            box.put(None)
        for th in threads:
            th.join()
        for est in ests:
            est.close()
        crowd.close()
    acc = PoseAccumulator(info.width, info.height)
    for index in sorted(found):
        t_s, xyzv, world = found[index]
        acc.add(t_s, index, xyzv, world)
    return acc.snapshot()


def jitter_px(series: PoseSeries) -> float:
    """Median frame-to-frame second difference of the landmarks (pixels)."""
    xy = series.xyzv[:, :, :2]
    return float(np.nanmedian(np.linalg.norm(xy[2:] - 2 * xy[1:-1] + xy[:-2], axis=-1)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("clip", type=Path)
    ap.add_argument("activity", nargs="?", default="auto")
    args = ap.parse_args()
    info = probe(args.clip)
    single_pass(args.clip, info)  # warm-up: imports and first model load
    series = {}
    for name, run in (("single", single_pass), ("alternate", alternate_frames)):
        c0, w0 = _cpu_s(), time.perf_counter()
        series[name] = run(args.clip, info)
        wall, cpu = time.perf_counter() - w0, _cpu_s() - c0
        print(f"{name:10s} wall {wall:5.2f} s  cpu {cpu:5.2f} s  cores {cpu / wall:.2f}")
    one, two = series["single"], series["alternate"]
    both = one.present & two.present
    dist = np.linalg.norm(one.xyzv[both, :, :2] - two.xyzv[both, :, :2], axis=-1)
    print(f"landmarks moved: median {float(np.median(dist)):.1f} px")
    print(f"jitter: single {jitter_px(one):.1f} px, alternate {jitter_px(two):.1f} px")
    reports = {name: analyze_pose(s, args.activity) for name, s in series.items()}
    print(f"{'metric':40s} {'single':>10s} {'alternate':>10s}")
    for key in sorted(reports["single"].metrics):
        values = [reports[name].metrics.get(key) for name in ("single", "alternate")]
        shown = [
            f"{m.value:10.3f}" if m is not None and isinstance(m.value, int | float) else " " * 10
            for m in values
        ]
        print(f"{key:40s} {shown[0]} {shown[1]}")


if __name__ == "__main__":
    main()
