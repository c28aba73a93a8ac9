"""Clips per minute of ``formcheck batch``: 1 and 2 local workers and the Ray executor.

The same clips (the N smallest of ``../shared/clips``, landmark cache off, no
annotated video unless ``--video``) go through :func:`formcheck.pipeline.batch_run.run_batch`
three times, each into its own out folder and history:

- ``local x1``: one worker process (``--workers 1``);
- ``local x2``: two worker processes (``--workers 2``);
- ``ray``: the Ray executor with one actor per CPU, on a Ray started for the run on
  this machine (or on ``--address``'s cluster).

Wall time from the call to the last clip, start-up included (worker processes or
actors, each loading its landmarker once), as a user waits for it. Prints the
figures and the ratios to ``local x1``; asserts nothing about time.

Usage: ``python benchmarks/batch_throughput.py [--clips 4] [--video] [--address HOST:PORT]``
(about 3 minutes on 2 cores for 4 clips without video).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SHARED_CLIPS = Path(__file__).resolve().parents[2] / "shared" / "clips"


def smallest_clips(n: int) -> list[Path]:
    clips = sorted(SHARED_CLIPS.glob("*.mp4"), key=lambda p: p.stat().st_size)
    return clips[:n]


def clips_per_minute(name: str, executor: object, clips: list[Path], video: bool) -> float:
    """Run the batch; clips per minute of wall time (start-up included)."""
    from formcheck.pipeline.batch_run import run_batch
    from formcheck.settings import Settings

    with tempfile.TemporaryDirectory(prefix=f"fc-bench-{name.replace(' ', '')}-") as tmp:
        settings = Settings(cache_landmarks=False, cache_dir=Path(tmp) / "cache")
        t0 = time.perf_counter()
        result = run_batch(
            clips,
            Path(tmp) / "out",
            settings,
            executor,  # type: ignore[arg-type]
            draw_video=video,
            db=Path(tmp) / "history.db",
            stop=threading.Event(),
        )
        wall_s = time.perf_counter() - t0
    ok = result.count("ok")
    if ok != len(clips):
        print(f"  {name}: only {ok} of {len(clips)} clips ok", file=sys.stderr)
    return ok / wall_s * 60


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clips", type=int, default=4)
    ap.add_argument("--video", action="store_true", help="also write annotated videos")
    ap.add_argument("--address", default=None, help="a Ray cluster (default: one started here)")
    a = ap.parse_args()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing leaves the machine
    if a.address is None:  # the Ray started here: a token in the environment, not ~/.ray
        os.environ.setdefault("RAY_AUTH_MODE", "token")
        os.environ.setdefault("RAY_AUTH_TOKEN", secrets.token_hex(32))
    os.environ.setdefault("GLOG_minloglevel", "2")
    from formcheck.pipeline.executor_ray import RayExecutor
    from formcheck.pipeline.executors import LocalExecutor

    clips = smallest_clips(a.clips)
    print(f"{len(clips)} clips ({', '.join(c.name for c in clips)}); video: {a.video}")
    print(f"cores here: {os.cpu_count()}; load average at start: {os.getloadavg()[0]:.1f}")
    runs = [
        ("local x1", lambda: LocalExecutor(1)),
        ("local x2", lambda: LocalExecutor(2)),
        ("ray", lambda: RayExecutor(0, a.address)),
    ]
    got: dict[str, float] = {}
    for name, make in runs:
        executor = make()
        got[name] = clips_per_minute(name, executor, clips, a.video)
        workers = getattr(executor, "workers", None) or 1
        print(
            f"{name:<9} {got[name]:6.2f} clips/min  ({workers} workers, "
            f"{got[name] / workers:.2f} per worker core; load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    base = got["local x1"]
    print("ratios to local x1: " + ", ".join(f"{n} {v / base:.2f}x" for n, v in got.items()))


if __name__ == "__main__":
    main()
