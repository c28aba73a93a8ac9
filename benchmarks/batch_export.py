"""A batch as ``formcheck analyze`` runs it by default: analysis plus export.

``benchmarks/bench.py`` times batches of analysis only. This script adds the export the
command line does by default (annotated video, HTML report, key frames) and compares
one process with one pose thread, two such processes (``--jobs 2``), and one process
on the default settings (one clip at a time, two pose threads: the default batch).
Start-up is not counted: each pool analyses one clip per process first. Results:
``benchmarks/notes.md``, "Batch".

Usage: ``python benchmarks/batch_export.py [--clips N] [--rounds 2]`` (the N smallest
clips of ``../shared/clips``; about 3 minutes a round for 4).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks.bench

SHARED_CLIPS = Path(__file__).resolve().parents[2] / "shared" / "clips"


def _one(job: tuple[str, str, int, str]) -> float:
    """Analyse and export one clip (cache off); its wall time in seconds."""
    path, activity, pose_workers, out = job
    os.environ.setdefault("GLOG_minloglevel", "2")
    from formcheck.pipeline import analyze
    from formcheck.pipeline.export import export_artifacts
    from formcheck.settings import Settings

    settings = Settings(cache_landmarks=False, pose_workers=pose_workers)
    t0 = time.perf_counter()
    report = analyze(Path(path), activity=activity, settings=settings)
    export_artifacts(report, Path(out) / Path(path).stem, video=Path(path), quiet=True)
    return time.perf_counter() - t0


def clips_per_minute(clips: list[Path], processes: int, pose_workers: int, out: str) -> float:
    from benchmarks.bench_setup import activity_of

    jobs = [(str(c), activity_of(c), pose_workers, out) for c in clips]
    with ProcessPoolExecutor(processes, mp_context=mp.get_context("spawn")) as pool:
        list(pool.map(_one, jobs[:processes]))  # start-up and imports not counted
        t0 = time.perf_counter()
        list(pool.map(_one, jobs))
        return len(jobs) / (time.perf_counter() - t0) * 60


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clips", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    clips = sorted(SHARED_CLIPS.glob("*.mp4"), key=lambda p: p.stat().st_size)[: a.clips]
    print("clips:", ", ".join(c.name for c in clips))
    with tempfile.TemporaryDirectory(prefix="formcheck-batch-") as out:
        for r in range(a.rounds):
            one = clips_per_minute(clips, 1, 1, out)
            two = clips_per_minute(clips, 2, 1, out)
            default = clips_per_minute(clips, 1, 0, out)
            print(
                f"round {r + 1}: clips a minute: 1 process {one:.1f}, 2 processes {two:.1f} "
                f"({two / one:.2f}x), one at a time on the default settings {default:.1f} "
                f"({default / one:.2f}x); 2 processes over the default {two / default:.2f}x",
                flush=True,
            )


if __name__ == "__main__":
    main()
