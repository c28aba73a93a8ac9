"""Benchmark figures beyond one clip: live latency, peak memory, batch throughput
(``python benchmarks/bench.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    pass

from benchmarks.bench_clip import timed_analyze
from benchmarks.bench_setup import (
    activity_of,
    load_avg,
)


# live path
def live_latency(path: Path, size: tuple[int, int], frames: int) -> dict[str, object]:
    """Frame in -> overlay out: PoseEstimator.process + a live analyzer + a draw.

    Frames of ``path`` are decoded and resized to ``size`` first (the camera
    delivers frames, it does not decode); the latency is per frame, the
    sustained rate is frames over the whole loop.
    """
    import cv2

    from formcheck.pose.estimator import PoseEstimator
    from formcheck.video.reader import VideoReader

    w, h = size
    imgs, ts = [], []
    for f in VideoReader(path):
        imgs.append(cv2.resize(f.image, (w, h), interpolation=cv2.INTER_AREA))
        ts.append(f.t_s)
        if len(imgs) >= frames:
            break
    lat = []
    errors = 0
    with PoseEstimator(crowd_check_every_s=0) as est:
        est.process(imgs[0], 0.0)  # warm-up (the first inference builds the graph)
        step, note, session = _live_step(est, w, h)
        t_all = time.perf_counter()
        for img, t in zip(imgs, ts, strict=True):
            t0 = time.perf_counter()
            step(img, t + 1.0)
            lat.append(time.perf_counter() - t0)
        wall = time.perf_counter() - t_all
        if session is not None:
            errors = int(session.snapshot().errors)
    ms = np.asarray(lat) * 1000
    return {
        "size": f"{w}x{h}",
        "frames": len(lat),
        "p50_ms": float(np.percentile(ms, 50)),
        "p95_ms": float(np.percentile(ms, 95)),
        "sustained_fps": len(lat) / wall,
        "note": note,
        "frame_errors": errors,
        "load": load_avg(),
    }


def _live_step(est: object, w: int, h: int) -> tuple[Callable[..., object], str, object]:
    """The live frame path: formcheck.pipeline.live.LiveSession when a live running
    analyzer exists, else pose + the overlay's skeleton (noted in the output)."""
    from formcheck.errors import FormcheckError

    try:
        from formcheck.pipeline.live import LiveSession

        try:
            activity = "run"
            session = LiveSession(activity, estimate=est.process)  # type: ignore[attr-defined]
        except FormcheckError:
            activity = "glute-bridge"  # no live running analyzer yet: the exercise engine
            session = LiveSession(activity, estimate=est.process)  # type: ignore[attr-defined]
        note = f"LiveSession.process ({activity}): pose -> live analyzer -> overlay"
        return session.process, note, session
    except (ImportError, FormcheckError) as exc:
        from formcheck.render.live_panel import draw_pose

        def step(img: np.ndarray, t: float) -> object:
            pose = est.process(img, t)  # type: ignore[attr-defined]
            return draw_pose(img.copy(), pose.xyzv, None, "run")

        return step, f"pose + skeleton draw only (no live run analyzer yet: {exc})", None


# ---------------------------------------------------------------------------------------
# memory
_RSS_SNIPPET = """
import json, sys, time
from pathlib import Path
from formcheck.pipeline import analyze
from formcheck.settings import Settings

def vm(pid, key):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0

t0 = time.perf_counter()
s = Settings(cache_landmarks=False, pose_workers=int(sys.argv[2]), cache_dir=Path(sys.argv[3]))
r = analyze(sys.argv[1], activity="run", settings=s)
print(json.dumps({"rss_mb": vm("self", "VmHWM"),
                  "frames": r.source.frames, "wall_s": time.perf_counter() - t0}))
"""


def peak_rss(path: Path, workers: int, cache_dir: Path) -> dict[str, object]:
    """Peak RSS (MB) of a fresh process analysing ``path`` (pose threads included).

    The process's own peak is VmHWM (``ru_maxrss`` would inherit the forking
    parent's size on Linux).
    """
    env = dict(os.environ, GLOG_minloglevel="2")
    out = subprocess.run(
        [sys.executable, "-c", _RSS_SNIPPET, str(path), str(workers), str(cache_dir)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode != 0:
        return {"error": out.stderr[-800:]}
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["load"] = load_avg()
    return res  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------
# batch
def _batch_one(args: tuple[str, str, str, int]) -> float:
    path, activity, cache_dir, pose_workers = args
    os.environ.setdefault("GLOG_minloglevel", "2")
    t0 = time.perf_counter()
    timed_analyze(Path(path), activity, pose_workers, Path(cache_dir))
    return time.perf_counter() - t0


def batch(clips: list[Path], cache_dir: Path) -> dict[str, object]:
    """Clips per minute with 1 and 2 worker processes (each clip on one core), and
    with the clips one after another in one process on the default settings (both
    cores on each clip: what ``formcheck analyze a.mp4 b.mp4 ...`` does)."""
    import multiprocessing as mp

    def jobs(pose_workers: int) -> list[tuple[str, str, str, int]]:
        return [(str(c), activity_of(c), str(cache_dir), pose_workers) for c in clips]

    out: dict[str, object] = {"clips": [c.name for c in clips], "load_before": load_avg()}
    ctx = mp.get_context("spawn")
    for key, n, pose_workers in (("1", 1, 1), ("2", 2, 1), ("default", 1, 0)):
        todo = jobs(pose_workers)
        with ProcessPoolExecutor(n, mp_context=ctx) as pool:
            list(pool.map(_batch_one, todo[:n]))  # start-up and imports not counted
            t0 = time.perf_counter()
            list(pool.map(_batch_one, todo))
            wall = time.perf_counter() - t0
        out[f"clips_per_min_{key}"] = len(todo) / wall * 60
    out["batch_scaling"] = out["clips_per_min_2"] / out["clips_per_min_1"]  # type: ignore[operator]
    out["default_scaling"] = out["clips_per_min_default"] / out["clips_per_min_1"]  # type: ignore[operator]
    out["load_after"] = load_avg()
    return out
