"""Benchmark figures of one clip: decoding, the pose pass, analysis and export, one core
against two (``python benchmarks/bench.py``)."""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from formcheck.video.reader import VideoInfo

from benchmarks.bench_setup import SAMPLE, TRUTHS, activity_of, load_avg


@contextlib.contextmanager
def _timer(out: dict[str, float], key: str) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        out[key] = out.get(key, 0.0) + time.perf_counter() - t0


def decode_only(
    path: Path, max_frames: int | None = None, info: VideoInfo | None = None
) -> dict[str, float]:
    """Frames/s of formcheck.video.VideoReader alone (the pipeline's physical limit).

    The clip is probed before the clock starts: probing is not decoding.
    """
    from formcheck.video.reader import VideoReader

    reader = VideoReader(path, info)
    n = 0
    t0 = time.perf_counter()
    for _ in reader:
        n += 1
        if max_frames and n >= max_frames:
            break
    dt = time.perf_counter() - t0
    return {"frames": n, "decode_s": dt, "decode_fps": n / dt if dt else float("nan")}


def pose_pass(
    path: Path, max_frames: int | None = None, info: VideoInfo | None = None
) -> tuple[dict[str, float], object]:
    """One single-process pose pass, decode and landmarker timed separately.

    Returns the timings and the PoseSeries. ``landmarker_fps`` counts only the
    time inside ``PoseEstimator.process`` (colour conversion, model, crowd check).
    """
    from formcheck.pose.estimator import PoseEstimator
    from formcheck.pose.series import PoseSeries
    from formcheck.video.reader import VideoReader

    reader = VideoReader(path, info)
    t: dict[str, float] = {}
    xyzv, world, ts = [], [], []
    with _timer(t, "init_s"):
        est = PoseEstimator()
    with est:
        it = iter(reader)
        while True:
            with _timer(t, "decode_s"):
                frame = next(it, None)
            if frame is None:
                break
            with _timer(t, "pose_s"):
                pose = est.process(frame.image, frame.t_s)
            xyzv.append(pose.xyzv)
            world.append(pose.world)
            ts.append(frame.t_s)
            if max_frames and len(ts) >= max_frames:
                break
    n = len(ts)
    t["frames"] = n
    t["landmarker_fps"] = n / t["pose_s"] if t.get("pose_s") else float("nan")
    t["pose_pass_fps"] = n / (t["pose_s"] + t["decode_s"]) if n else float("nan")
    info = reader.info
    series = PoseSeries(np.stack(xyzv), np.asarray(ts), info.width, info.height, np.stack(world))
    return t, series


def metric_like(report: object, name: str) -> float | None:
    """The value of metric ``name``, else of the shortest metric name containing it."""
    metrics = getattr(report, "metrics", {}) or {}
    keys = [name] if name in metrics else sorted((k for k in metrics if name in k), key=len)
    for key in keys:
        if metrics[key].value is not None:
            return float(metrics[key].value)
    return None


def timed_analyze(
    path: Path, activity: str, workers: int, cache_dir: Path
) -> tuple[dict[str, object], object | None]:
    """formcheck.analyze with the landmark cache OFF; wall time and the report."""
    from formcheck.errors import FormcheckError
    from formcheck.pipeline import analyze
    from formcheck.settings import Settings

    settings = Settings(cache_landmarks=False, pose_workers=workers, cache_dir=cache_dir)
    t0 = time.perf_counter()
    try:
        report = analyze(path, activity=activity, settings=settings)
        err = None
    except FormcheckError as exc:
        report, err = None, f"{type(exc).__name__}: {exc}"
    except (ImportError, NotImplementedError) as exc:  # an analyzer not written yet
        report, err = None, f"{type(exc).__name__}: {exc}"
    return {"analyze_s": time.perf_counter() - t0, "error": err}, report


def analysis_only(series: object, activity: str) -> dict[str, object]:
    """Time of signal + analysis (analyze_pose on landmarks already found)."""
    from formcheck.errors import FormcheckError
    from formcheck.pipeline import analyze_pose

    t0 = time.perf_counter()
    try:
        analyze_pose(series, activity)  # type: ignore[arg-type]
        err = None
    except (FormcheckError, ImportError, NotImplementedError) as exc:
        err = f"{type(exc).__name__}: {exc}"
    return {"analysis_s": time.perf_counter() - t0, "analysis_error": err}


_IMPORT_SNIPPET = """
import time
import formcheck.pipeline
t0 = time.perf_counter()
import formcheck.report.html
print(time.perf_counter() - t0)
"""


@functools.cache
def report_import_s() -> float:
    """Seconds a fresh process that has run an analysis spends importing the HTML
    report's modules (matplotlib mostly); measured once per benchmark run."""
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_SNIPPET], capture_output=True, text=True, check=False
    )
    try:
        return float(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return float("nan")


def export_timing(report: object, video: Path) -> dict[str, object]:
    """Drawing + video writing + report files, via formcheck.pipeline.export.

    Two exports: with the annotated video (drawing + writing + report files) and
    without (report files only); the difference is drawing + video writing.
    None (n/a) while the exporter is missing or fails.
    """
    try:
        from formcheck.pipeline import export
    except ImportError as exc:
        return {"export_s": None, "export_note": f"n/a: no formcheck.pipeline.export ({exc})"}
    out: dict[str, object] = {"export_s": None, "report_files_s": None, "draw_write_s": None}
    notes = []
    # Importing the HTML report's modules (matplotlib) happens once per process:
    # the export with video runs first and would count it as drawing, so the
    # bench process warms them up here and adds the import, timed in a fresh
    # process, once to the end-to-end figures.
    import formcheck.report.html  # noqa: F401

    out["report_import_s"] = report_import_s()
    with tempfile.TemporaryDirectory(prefix="formcheck-bench-") as tmp:
        for key, vid in (("export_s", video), ("report_files_s", None)):
            t0 = time.perf_counter()
            try:
                export.export_artifacts(report, Path(tmp) / key, video=vid, quiet=True)
                out[key] = time.perf_counter() - t0
            except Exception as exc:  # a failing exporter is a finding, not a crash
                notes.append(f"{key}: {type(exc).__name__}: {exc}"[:300])
    if out["export_s"] is not None and out["report_files_s"] is not None:
        out["draw_write_s"] = max(0.0, out["export_s"] - out["report_files_s"])  # type: ignore[operator]
    if notes:
        out["export_note"] = "n/a: " + "; ".join(notes)
    return out


def bench_clip(path: Path, cache_dir: Path, parallel: bool = True) -> dict[str, object]:
    """Every per-clip figure of the issue for one clip."""
    from formcheck.video.reader import probe

    info = probe(path)
    truth = TRUTHS.get(path.name)  # the bundled sample is the treadmill clip
    activity = str(truth["activity"]) if truth else "auto"
    row: dict[str, object] = {
        "clip": path.name + (" (bundled sample)" if path.resolve() == SAMPLE.resolve() else ""),
        "resolution": f"{info.width}x{info.height}",
        "fps": round(info.fps_nominal, 3),
        "duration_s": info.duration_s,
        "activity": activity,
        "load_before": load_avg(),
    }
    row.update(decode_only(path, info=info))
    stages, series = pose_pass(path, info=info)
    row.update({k: v for k, v in stages.items() if k != "frames"})
    row.update(analysis_only(series, activity))
    serial, report = timed_analyze(path, activity, 1, cache_dir)
    row["analyze_s"] = serial["analyze_s"]
    row["error"] = serial["error"]
    n = int(row["frames"])  # type: ignore[call-overload]
    row["analyze_fps"] = n / float(serial["analyze_s"])  # type: ignore[arg-type]
    row["analyze_over_decode"] = row["analyze_fps"] / row["decode_fps"]  # type: ignore[operator]
    row["analyze_over_landmarker"] = row["analyze_fps"] / row["landmarker_fps"]  # type: ignore[operator]
    row["realtime_factor"] = (info.duration_s or 0.0) / float(serial["analyze_s"])  # type: ignore[arg-type]
    if report is not None:
        row.update(export_timing(report, path))
    else:
        row.update({"export_s": None, "export_note": "n/a: analysis failed"})
    if isinstance(row.get("export_s"), float):
        end_to_end = (
            float(serial["analyze_s"]) + float(row["export_s"]) + float(row["report_import_s"])  # type: ignore[arg-type]
        )
        row["end_to_end_over_landmarker"] = n / end_to_end / row["landmarker_fps"]  # type: ignore[operator]
    if truth and report is not None:
        row["measured"] = metric_like(report, str(truth["metric"]))
    if parallel:
        par, preport = timed_analyze(path, activity, 2, cache_dir)
        row["analyze_2workers_s"] = par["analyze_s"]
        row["parallel_speedup"] = float(serial["analyze_s"]) / float(par["analyze_s"])  # type: ignore[arg-type]
        if isinstance(row.get("export_s"), float):
            # what a user of the default settings waits for: pose on both cores, then export
            wait = float(par["analyze_s"]) + float(row["export_s"]) + float(row["report_import_s"])  # type: ignore[arg-type]
            row["default_end_to_end_over_landmarker"] = n / wait / row["landmarker_fps"]  # type: ignore[operator]
        if truth and preport is not None:
            row["measured_2workers"] = metric_like(preport, str(truth["metric"]))
    row["load_after"] = load_avg()
    return row


@contextlib.contextmanager
def one_core() -> Iterator[bool]:
    """Run what is inside on one CPU (the calling thread's affinity, which every
    thread it starts inherits: FFmpeg's decoding threads, MediaPipe's). Yields
    False, and pins nothing, where affinity cannot be set or only one CPU is usable."""
    try:
        cpus = os.sched_getaffinity(0)
    except AttributeError:  # not Linux
        yield False
        return
    if len(cpus) < 2:
        yield False
        return
    os.sched_setaffinity(0, {min(cpus)})
    try:
        yield True
    finally:
        os.sched_setaffinity(0, cpus)


def parallel_ab(
    clips: list[Path], cache_dir: Path, repeats: int = 2, pinned: bool = False
) -> dict[str, object]:
    """One clip on 1 vs 2 pose workers, interleaved (1,2 then 2,1 ...) so that a load
    change on a shared machine hits both sides; the median of the paired ratios.

    ``pinned``: also one worker with the process held to one CPU (``one_s_pinned``,
    ``ratio_pinned``): unpinned, FFmpeg's frame threads decode ahead on the other
    core, so one worker already uses about 1.06 cores. The target is checked on
    the unpinned ratio, the stricter of the two.
    """
    pairs = []
    for c in clips:
        activity = activity_of(c)
        for i in range(repeats):
            t: dict[int, float] = {}
            order = [1, 2, 0] if i % 2 == 0 else [0, 2, 1]  # 0: one worker on one core
            for w in order if pinned else [w for w in order if w]:
                with one_core() if w == 0 else contextlib.nullcontext():
                    res = timed_analyze(c, activity, max(w, 1), cache_dir)[0]
                t[w] = float(res["analyze_s"])  # type: ignore[arg-type]
            pair = {"clip": c.name, "one_s": t[1], "two_s": t[2], "ratio": t[1] / t[2]}
            if 0 in t:
                pair.update(one_s_pinned=t[0], ratio_pinned=t[0] / t[2])
            pairs.append({**pair, "load": load_avg()})
    ratios = [p["ratio"] for p in pairs]
    pinned_ratios = [p["ratio_pinned"] for p in pairs if "ratio_pinned" in p]
    return {
        "pairs": pairs,
        "median_ratio": float(np.median(ratios)) if ratios else None,
        "median_ratio_pinned": float(np.median(pinned_ratios)) if pinned_ratios else None,
    }


def parallel_by_length(
    src: Path, lengths_s: tuple[float, ...], cache_dir: Path, folder: Path
) -> list[dict[str, object]]:
    """The 1 vs 2 pose workers pairs on ``src`` looped to each length (seconds):
    the same pictures, so only the length changes (the fixed costs of the second
    worker, its overlap and start-up, weigh less on a longer clip)."""
    rows = []
    for secs in lengths_s:
        sub = folder / f"loop{int(secs)}"
        sub.mkdir(parents=True, exist_ok=True)
        clip = make_long_clip(src, secs / 60.0, sub) if secs > 0 else src
        ab = parallel_ab([clip], cache_dir)
        rows.append({"seconds": secs, "clip": src.name, **ab})
        if clip != src:
            clip.unlink()
    return rows


def make_long_clip(src: Path, minutes: float, folder: Path) -> Path:
    """Loop ``src`` with ffmpeg (stream copy) into ``folder`` to about ``minutes`` long."""
    from formcheck.video.reader import probe

    dur = probe(src).duration_s or 10.0
    loops = max(0, int(np.ceil(minutes * 60 / dur)) - 1)
    out = folder / f"long_{src.stem}.mp4"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-stream_loop", str(loops), "-i", str(src),
            "-t", str(minutes * 60), "-c", "copy", "-an", str(out),
        ],
        check=True,
    )  # fmt: skip
    return out
