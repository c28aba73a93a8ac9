"""`python benchmarks/bench.py`: speed, memory and accuracy figures of this machine.

Prints a human table and writes JSON. Nothing here asserts a speed: the
figures are facts about one machine at one moment, so every run records the
machine and its load (``os.getloadavg``), and the ratios (measured within one
run) are what the targets of issue 9 are checked against.

``python benchmarks/bench.py --quick`` is the few-second smoke run CI uses (first frames
of the bundled sample); without --quick (or ``python benchmarks/run.py``) it
runs over ``../shared/clips`` and the bundled sample, whose
figures go to ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

from benchmarks.bench_clip import (
    analysis_only,
    bench_clip,
    decode_only,
    make_long_clip,
    metric_like,
    parallel_ab,
    parallel_by_length,
    pose_pass,
)
from benchmarks.bench_report import format_table, summarize, write_json
from benchmarks.bench_setup import (
    AB_CLIPS,
    SAMPLE,
    SHARED_CLIPS,
    TARGETS,
    TRUTHS,
    activity_of,
    load_avg,
    machine,
)
from benchmarks.bench_system import batch, live_latency, peak_rss

#: What other scripts and tests read from here (the pieces live in bench_*.py).
__all__ = [
    "TARGETS",
    "TRUTHS",
    "activity_of",
    "format_table",
    "full",
    "main",
    "metric_like",
    "quick",
    "summarize",
]


def quick(json_path: Path | None = None, clip: Path = SAMPLE) -> dict[str, object]:
    """The smoke run: the first 45 frames of the bundled sample through every stage."""
    results: dict[str, object] = {"mode": "quick", "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="formcheck-bench-") as tmp:
        dec = decode_only(clip, max_frames=90)
        stages, series = pose_pass(clip, max_frames=45)
        row: dict[str, object] = {"clip": clip.name, **dec}
        row["decode_frames"] = dec["frames"]
        row.update(stages)
        row.update(analysis_only(series, "run"))
        row["analyze_over_decode"] = row["pose_pass_fps"] / row["decode_fps"]  # type: ignore[operator]
        results["clips"] = [row]
        results["live"] = [live_latency(clip, (640, 480), 15)]
        del tmp
    results["load_at_end"] = load_avg()
    if json_path is not None:
        write_json(results, json_path)
    return results


def full(
    json_path: Path | None = None,
    clips: list[Path] | None = None,
    long_minutes: float = 10.0,
    batch_clips: int = 4,
    by_length: tuple[float, ...] = (60.0,),
    progress: Callable[[str], None] = lambda s: print(s, file=sys.stderr, flush=True),
) -> dict[str, object]:
    """The full benchmark (several minutes; 10+ with the 10-minute memory clip)."""
    if clips is None:
        clips = sorted(SHARED_CLIPS.glob("*.mp4")) if SHARED_CLIPS.is_dir() else []
        clips.append(SAMPLE)
    results: dict[str, object] = {"mode": "full", "machine": machine(), "clips": []}
    with tempfile.TemporaryDirectory(prefix="formcheck-bench-") as tmp_s:
        tmp = Path(tmp_s)
        for c in clips:
            progress(f"clip {c.name} (load {load_avg()})")
            results["clips"].append(bench_clip(c, tmp / "cache"))  # type: ignore[union-attr]
            if json_path is not None:
                write_json(results, json_path)
        ab = [c for c in clips if c.name in AB_CLIPS and c.parent == SHARED_CLIPS] or clips[:1]
        progress(f"one clip on 1 vs 2 cores, interleaved: {[c.name for c in ab]}")
        results["parallel_ab"] = parallel_ab(ab, tmp / "cache", pinned=True)
        if by_length:
            progress(f"1 vs 2 cores by clip length: the sample looped to {by_length} s")
            results["parallel_by_length"] = parallel_by_length(
                SAMPLE, by_length, tmp / "cache", tmp / "loops"
            )
        live_src = SHARED_CLIPS / "run_treadmill_male_side.mp4"
        live_src = live_src if live_src.is_file() else SAMPLE
        progress("live latency")
        results["live"] = [
            live_latency(live_src, (640, 480), 150),
            live_latency(live_src, (1280, 720), 150),
        ]
        if json_path is not None:
            results["summary"] = summarize(results)
            write_json(results, json_path)
        if batch_clips > 0:
            progress("batch")
            by_size = sorted(clips, key=lambda p: p.stat().st_size)
            results["batch"] = batch(by_size[:batch_clips], tmp / "cache")
        if json_path is not None:
            results["summary"] = summarize(results)
            write_json(results, json_path)
        if long_minutes > 0:
            progress(f"memory: 10 s clip and {long_minutes} min loop")
            short = SAMPLE
            long = make_long_clip(short, long_minutes, tmp)
            mem: dict[str, object] = {"short_clip": short.name, "long_minutes": long_minutes}
            # the default path (two pose threads on this machine) on both clips
            w = 0
            mem["short"] = peak_rss(short, w, tmp / "cache")
            mem["long"] = peak_rss(long, w, tmp / "cache")
            mem["pose_workers"] = "default (0: one per core, at most 2)"
            long.unlink()
            results["memory"] = mem
    results["load_at_end"] = load_avg()
    results["summary"] = summarize(results)
    if json_path is not None:
        write_json(results, json_path)
    return results


def cmd_bench(args: argparse.Namespace) -> int:
    os.environ.setdefault("GLOG_minloglevel", "2")
    if args.quick:
        res = quick(args.json)
    else:
        clips = [Path(c) for c in args.clips] if args.clips else None
        res = full(
            args.json,
            clips,
            args.long_minutes,
            args.batch_clips,
            tuple(x for x in args.by_length if x > 0),
        )
    print(format_table(res))
    if args.json is not None:
        print(f"json: {args.json}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """``python benchmarks/bench.py`` options."""
    p = argparse.ArgumentParser(
        prog="python benchmarks/bench.py",
        description="Measure decode, pose, analysis and export speed per clip, live latency, "
        "peak memory on a 10-minute clip, batch scaling and accuracy against known "
        "truths. --quick is a few-second smoke run on the bundled sample.",
    )
    p.add_argument("--quick", action="store_true", help="a few-second smoke run")
    p.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    p.add_argument(
        "--clips", nargs="*", default=None, help="clips (default: ../shared/clips + sample)"
    )
    p.add_argument("--long-minutes", type=float, default=10.0, help="memory clip length (0 = skip)")
    p.add_argument("--batch-clips", type=int, default=4, help="clips in the batch test (0 = skip)")
    p.add_argument(
        "--by-length",
        type=float,
        nargs="*",
        default=[60.0],
        help="also time 1 vs 2 pose workers on the sample looped to these lengths (s; none = skip)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv if argv is not None else sys.argv[1:])
    return int(cmd_bench(args))


if __name__ == "__main__":
    sys.exit(main())
