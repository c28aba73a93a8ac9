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
import contextlib
import functools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from formcheck.video.reader import VideoInfo

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_videos" / "run_treadmill_male_side.mp4"
SHARED_CLIPS = Path(os.environ.get("FORMCHECK_SHARED", REPO.parent / "shared")) / "clips"

#: Clips with a known truth (MANIFEST.md of shared/clips): activity to analyse
#: them as, the metric to read, the truth and its tolerance in the metric's unit.
TRUTHS: dict[str, dict[str, object]] = {
    "run_treadmill_male_side.mp4": {
        "activity": "run",
        "metric": "cadence_spm",
        "truth": 168.9,
        "tolerance": 0.5,
        "unit": "steps/min",
    },
    "glute_bridge_side_darebee.mp4": {
        "activity": "glute-bridge",
        "metric": "reps",
        "truth": 5,
        "tolerance": 0,
        "unit": "reps",
    },
    "plank_forearm_side_mrpose.mp4": {
        "activity": "plank",
        "metric": "hold_s",
        "truth": 6.9,
        "tolerance": 0.5,
        "unit": "s",
    },
}

#: Clips timed on 1 vs 2 pose workers, interleaved: a short 7 s clip, a typical 12 s
#: one and a 25 s one.
AB_CLIPS = (
    "plank_forearm_side_mrpose.mp4",
    "run_treadmill_male_side.mp4",
    "run_road_front_istock_divvi.mp4",
)

#: Issue 9 targets: name -> (figure key, comparison, limit).
TARGETS: dict[str, tuple[str, str, float]] = {
    "analyze + export >= 0.8 x landmarker-only (analysis+drawing+writing < 20 % on top)": (
        "end_to_end_over_landmarker",
        ">=",
        0.8,
    ),
    "analyze + export on the default path (both cores) >= 0.8 x one-core landmarker-only": (
        "default_end_to_end_over_landmarker",
        ">=",
        0.8,
    ),
    "analyze alone >= 0.8 x landmarker-only (no drawing/writing)": (
        "analyze_over_landmarker",
        ">=",
        0.8,
    ),
    "one clip on 2 cores >= 1.7 x one core": ("parallel_speedup", ">=", 1.7),
    "live p95 latency < 60 ms at 640x480": ("live_p95_ms_640x480", "<", 60.0),
    "peak RSS < 600 MB (analysing process)": ("peak_rss_mb", "<", 600.0),
    "peak RSS flat with clip length (10 min / 10 s <= 1.2)": ("rss_long_over_short", "<=", 1.2),
    "2 batch workers >= 1.7 x 1": ("batch_scaling", ">=", 1.7),
}


def _activity(clip: Path) -> str:
    """The activity a clip is analysed as: its truth's, else recognised."""
    return str(TRUTHS.get(clip.name, {}).get("activity", "auto"))


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine() -> dict[str, object]:
    """Facts about this machine (CPU model, cores, memory, versions)."""
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem_gb = round(kb / 1024**2, 1)
    from formcheck.pipeline.analysis import versions

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions(),
        "load_at_start": _load(),
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


# ---------------------------------------------------------------------------------------
# per clip
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
        "load_before": _load(),
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
    row["load_after"] = _load()
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
        activity = _activity(c)
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
            pairs.append({**pair, "load": _load()})
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


# ---------------------------------------------------------------------------------------
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
        "load": _load(),
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
    res["load"] = _load()
    return res  # type: ignore[no-any-return]


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
        return [(str(c), _activity(c), str(cache_dir), pose_workers) for c in clips]

    out: dict[str, object] = {"clips": [c.name for c in clips], "load_before": _load()}
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
    out["load_after"] = _load()
    return out


# ---------------------------------------------------------------------------------------
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
    results["load_at_end"] = _load()
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
            progress(f"clip {c.name} (load {_load()})")
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
    results["load_at_end"] = _load()
    results["summary"] = summarize(results)
    if json_path is not None:
        write_json(results, json_path)
    return results


def summarize(results: dict[str, object]) -> dict[str, object]:
    """Headline figures (medians over clips) and each target met / not met."""
    rows = [r for r in results.get("clips", []) if isinstance(r, dict)]  # type: ignore[union-attr]

    def med(key: str) -> float | None:
        vals = [float(r[key]) for r in rows if isinstance(r.get(key), int | float)]
        return float(np.median(vals)) if vals else None

    fig: dict[str, float | None] = {
        "analyze_over_landmarker": med("analyze_over_landmarker"),
        "end_to_end_over_landmarker": med("end_to_end_over_landmarker"),
        "default_end_to_end_over_landmarker": med("default_end_to_end_over_landmarker"),
        "analyze_over_decode": med("analyze_over_decode"),
        "parallel_speedup": med("parallel_speedup"),
        "parallel_speedup_single_shots": med("parallel_speedup"),
        "realtime_factor": med("realtime_factor"),
    }
    ab = results.get("parallel_ab")
    if isinstance(ab, dict) and ab.get("median_ratio") is not None:
        fig["parallel_speedup"] = ab["median_ratio"]
    for lv in results.get("live", []) or []:  # type: ignore[union-attr]
        if lv.get("size") == "640x480":
            fig["live_p95_ms_640x480"] = lv["p95_ms"]
    mem = results.get("memory")
    if (
        isinstance(mem, dict)
        and "rss_mb" in mem.get("long", {})
        and "rss_mb" in mem.get("short", {})
    ):
        lo, sh = mem["long"], mem["short"]
        fig["peak_rss_mb"] = max(lo["rss_mb"], sh["rss_mb"])
        fig["rss_long_over_short"] = lo["rss_mb"] / sh["rss_mb"]
    b = results.get("batch")
    if isinstance(b, dict):
        fig["batch_scaling"] = b.get("batch_scaling")
    targets = {}
    for name, (key, op, limit) in TARGETS.items():
        v = fig.get(key)
        if v is None:
            targets[name] = {"value": None, "met": None}
        else:
            ok = v >= limit if op == ">=" else v < limit if op == "<" else v <= limit
            targets[name] = {"value": round(v, 3), "met": bool(ok)}
    return {"figures": fig, "targets": targets}


def write_json(results: dict[str, object], path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, default=_jsonable))
    return path


def _jsonable(x: object) -> object:
    if isinstance(x, np.generic):
        return x.item()
    return str(x)


# ---------------------------------------------------------------------------------------
def _f(x: object, nd: int = 1) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, int | float):
        return f"{x:.{nd}f}"
    return str(x)


def format_table(results: dict[str, object]) -> str:
    """The human-readable table of a run."""
    m = results["machine"]  # type: ignore[index]
    lines = [
        f"formcheck bench ({results['mode']}) on {m['cpu']}, {m['cores']} cores, "  # type: ignore[index]
        f"{m['memory_gb']} GB; load {m['load_at_start']} -> {results.get('load_at_end')}",  # type: ignore[index]
        "",
        f"{'clip':36} {'frames':>6} {'size':>9} {'decode':>7} {'lmk':>6} {'analyze':>7} "
        f"{'an/dec':>6} {'an/lmk':>6} {'2cores':>6} {'e2e':>5} {'e2e2c':>5} {'rtf':>5} "
        f"{'dec_s':>6} {'pose_s':>6} {'anal_s':>6} {'report':>6} {'draw+w':>6} {'load':>5}",
    ]
    for r in results.get("clips", []):  # type: ignore[union-attr]
        lines.append(
            f"{r['clip'][:36]:36} {r['frames']:>6} {r.get('resolution', ''):>9} "
            f"{_f(r.get('decode_fps'), 0):>7} {_f(r.get('landmarker_fps'), 0):>6} "
            f"{_f(r.get('analyze_fps', r.get('pose_pass_fps')), 0):>7} "
            f"{_f(r.get('analyze_over_decode'), 3):>6} "
            f"{_f(r.get('analyze_over_landmarker'), 2):>6} "
            f"{_f(r.get('parallel_speedup'), 2):>6} "
            f"{_f(r.get('end_to_end_over_landmarker'), 2):>5} "
            f"{_f(r.get('default_end_to_end_over_landmarker'), 2):>5} "
            f"{_f(r.get('realtime_factor'), 2):>5} "
            f"{_f(r.get('decode_s'), 2):>6} {_f(r.get('pose_s'), 2):>6} "
            f"{_f(r.get('analysis_s'), 3):>6} "
            f"{_f(r.get('report_files_s'), 2):>6} {_f(r.get('draw_write_s'), 2):>6} "
            f"{_f((r.get('load_before') or [None])[0], 1):>5}"
        )
    lines.append(
        "(fps columns: frames/s; an/dec, an/lmk: analyze throughput over decode-only / "
        "landmarker-only; 2cores: speed-up with 2 pose threads; e2e / e2e2c: analyze + export\n"
        " (annotated video, report files) with 1 / 2 pose threads over landmarker-only on one\n"
        " core; rtf: clip s per wall s (1 thread);\n"
        " stage times in s: dec = decoding, pose = landmarker, anal = signal + analysis,\n"
        " report = report files, draw+w = drawing + video writing; load = 1-min load average)"
    )
    for lv in results.get("live", []) or []:  # type: ignore[union-attr]
        lines.append(
            f"live {lv['size']:>9}: p50 {lv['p50_ms']:.1f} ms, p95 {lv['p95_ms']:.1f} ms, "
            f"{lv['sustained_fps']:.1f} fps sustained ({lv['frames']} frames) {lv['note']}"
        )
    ab = results.get("parallel_ab")
    if isinstance(ab, dict):
        for p in ab["pairs"]:
            pin = (
                f"; 1 worker on 1 core {p['one_s_pinned']:.2f} s = {p['ratio_pinned']:.2f}x"
                if "ratio_pinned" in p
                else ""
            )
            lines.append(
                f"1 vs 2 pose workers {p['clip']}: {p['one_s']:.2f} s vs {p['two_s']:.2f} s "
                f"= {p['ratio']:.2f}x{pin} (load {p['load'][0]})"
            )
        lines.append(f"  median speed-up {_f(ab.get('median_ratio'), 2)}x")
        if ab.get("median_ratio_pinned") is not None:
            lines.append(
                f"  against one worker held to one core: {_f(ab['median_ratio_pinned'], 2)}x "
                "(not the target's figure: unpinned, one worker already uses ~1.06 cores)"
            )
    for row in results.get("parallel_by_length", []) or []:  # type: ignore[union-attr]
        pairs = ", ".join(f"{p['one_s']:.1f} vs {p['two_s']:.1f} s" for p in row["pairs"])
        lines.append(
            f"1 vs 2 pose workers, {row['clip']} looped to {row['seconds']:.0f} s: {pairs}, "
            f"median {_f(row.get('median_ratio'), 2)}x (not in the target's median)"
        )
    mem = results.get("memory")
    if isinstance(mem, dict):
        if mem.get("from_earlier_run"):
            e = mem["from_earlier_run"]
            lines.append(
                f"memory figures from the full run of {e.get('started_at')} "
                f"(load {e.get('load_at_start')}); this run skipped the long clip"
            )
        for k in ("short", "long"):
            v = mem.get(k, {})
            lines.append(
                f"memory {k:14}: peak RSS {_f(v.get('rss_mb'), 0)} MB, "
                f"{v.get('frames')} frames, {_f(v.get('wall_s'), 1)} s {v.get('error', '')}"
            )
    b = results.get("batch")
    if isinstance(b, dict):
        lines.append(
            f"batch ({len(b['clips'])} clips): {b['clips_per_min_1']:.1f} clips/min with 1 "
            f"worker, {b['clips_per_min_2']:.1f} with 2, scaling {b['batch_scaling']:.2f}x"
        )
        if b.get("clips_per_min_default") is not None:
            lines.append(
                f"  one after another on the default settings (both cores on each clip, "
                f"as `formcheck analyze a b c d`): {b['clips_per_min_default']:.1f} clips/min, "
                f"{b['default_scaling']:.2f}x 1 worker"
            )
    acc = [r for r in results.get("clips", []) if "measured" in r]  # type: ignore[union-attr]
    if acc:
        lines.append("accuracy:")
        for r in acc:
            t = TRUTHS[r["clip"].split(" ")[0]]
            v, v2 = r.get("measured"), r.get("measured_2workers")
            err = None if v is None else v - float(t["truth"])  # type: ignore[arg-type]
            lines.append(
                f"  {r['clip']:36} {t['metric']}: truth {t['truth']} ± {t['tolerance']} "
                f"{t['unit']}, measured {_f(v, 1)} (error {_f(err, 1)}), "
                f"with 2 workers {_f(v2, 1)}"
            )
    summ = results.get("summary")
    if isinstance(summ, dict):
        lines.append("targets:")
        for name, t in summ["targets"].items():
            met = "n/a" if t["met"] is None else ("met" if t["met"] else "NOT met")
            lines.append(f"  {name}: {_f(t['value'], 3)} -> {met}")
    return "\n".join(lines)


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
