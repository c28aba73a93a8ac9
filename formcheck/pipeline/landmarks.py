"""Landmarks of a clip: the pose pass, with a cache keyed by clip, model and settings.

``estimate_landmarks`` is the one door from a video file to a :class:`PoseSeries`;
the clip use case (:mod:`formcheck.pipeline.clip`), the benchmarks and the tests
go through it.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable
from pathlib import Path

from formcheck.io import atomic_write_text
from formcheck.pose.estimator import POSE_MAX_SIDE_PX
from formcheck.pose.model import file_sha256, verify_model
from formcheck.pose.parallel import CheckpointFn
from formcheck.pose.pool import EstimatorPool
from formcheck.pose.series import PoseSeries
from formcheck.pose.track import CaptureLog
from formcheck.report.model import PoseInfo
from formcheck.settings import Settings
from formcheck.video.reader import DecodeLog, VideoInfo, probe

ProgressFn = Callable[[int, int | None, float], None]
"""progress(frames_done, frames_expected or None, t_s)."""


def plausible_frame_count(info: VideoInfo) -> int | None:
    """The frame count if believable (0 < n < duration x 1000), else None."""
    n = info.frame_count
    if n is None or info.duration_s is None:
        return None
    return n if 0 < n < max(info.duration_s, 1e-3) * 1000 else None


# ---------------------------------------------------------------------------------------
# landmark cache
def _cache_paths(settings: Settings, clip_sha: str, model_sha: str) -> tuple[Path, Path]:
    """Cache files for this clip, model, crowd-check interval (it changes the log) and the
    largest frame side the model is given (it changes the landmarks of large clips)."""
    crowd_ms = round(settings.crowd_check_every_s * 1000)
    stem = (
        settings.cache_dir
        / "landmarks"
        / f"{clip_sha[:20]}-{model_sha[:12]}-c{crowd_ms}-s{POSE_MAX_SIDE_PX}"
    )
    return stem.with_suffix(".npz"), stem.with_suffix(".json")


def _finite_or_none(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None  # JSON has no NaN


def _nan_if_none(x: float | None) -> float:
    return float("nan") if x is None else float(x)


def _save_cache(npz: Path, meta: Path, series: PoseSeries, log: CaptureLog) -> None:
    try:
        series.save_npz(npz)
        atomic_write_text(
            meta,
            json.dumps(
                {
                    "crowd_samples": log.crowd_samples,
                    "cut_scores": [
                        [t, _finite_or_none(c), _finite_or_none(c2)] for t, c, c2 in log.cut_scores
                    ],
                    "mean_level": log.mean_level,
                    "timestamps_nudged": log.timestamps_nudged,
                    "decode": {
                        "frames": log.decode.frames,
                        "failed_reads": log.decode.failed_reads,
                        "damaged": log.decode.damaged,
                        "ended_at_s": log.decode.ended_at_s,
                        "timestamps_fixed": log.decode.timestamps_fixed,
                        "stopped_early": log.decode.stopped_early,
                    },
                }
            ),
        )
    except OSError:
        pass  # a cache that cannot be written only costs time next run


def _load_cache(npz: Path, meta: Path) -> tuple[PoseSeries, CaptureLog] | None:
    if not (npz.is_file() and meta.is_file()):
        return None
    try:
        series = PoseSeries.load_npz(npz)
        m = json.loads(meta.read_text())
        d = m["decode"]
        log = CaptureLog(
            crowd_samples=[(float(t), int(n)) for t, n in m["crowd_samples"]],
            # an older formcheck kept one change score per frame: ValueError, run again
            cut_scores=[
                (float(t), _nan_if_none(c), _nan_if_none(c2)) for t, c, c2 in m["cut_scores"]
            ],
            mean_level=m["mean_level"],
            timestamps_nudged=m["timestamps_nudged"],
            decode=DecodeLog(
                frames=d["frames"],
                failed_reads=d["failed_reads"],
                damaged=[(float(a), float(b)) for a, b in d["damaged"]],
                ended_at_s=d["ended_at_s"],
                timestamps_fixed=d["timestamps_fixed"],
                stopped_early=d["stopped_early"],
            ),
        )
        return series, log
    except (OSError, ValueError, KeyError, TypeError):
        return None  # damaged cache: recompute


# ---------------------------------------------------------------------------------------
def estimate_landmarks(
    path: Path | str,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
    info: VideoInfo | None = None,
    clip_sha256: str | None = None,
    checkpoint: CheckpointFn | None = None,
    stop: threading.Event | None = None,
    estimators: EstimatorPool | None = None,
) -> tuple[PoseSeries, CaptureLog, PoseInfo]:
    """Landmarks of a clip, from the cache when this clip and model were seen before.

    ``clip_sha256`` saves hashing the file again when the caller already has it.
    ``checkpoint(series)`` is called about every ``settings.checkpoint_every_s``
    seconds (wall time) with the landmarks found so far (see
    :func:`formcheck.pose.parallel.estimate_video_parallel`). ``stop``, set by another
    thread, ends the pass early (the log says ``interrupted``, as after Ctrl-C).
    ``estimators`` lends a loaded landmarker (a batch worker's; made with
    ``settings``' model and crowd check) to a one-thread pass.
    """
    from formcheck.pose.parallel import MIN_PARALLEL_S, default_workers, estimate_video_parallel

    settings = settings or Settings()
    path = Path(path)
    info = info or probe(path)
    model = verify_model(settings.model_path)
    clip_sha = clip_sha256 or file_sha256(path)
    npz, meta = _cache_paths(settings, clip_sha, model.sha256)
    if settings.cache_landmarks:
        cached = _load_cache(npz, meta)
        if cached is not None:
            series, log = cached
            pose = PoseInfo(
                series.n_frames, int(series.present.sum()), model.sha256, True, str(npz)
            )
            return series, log, pose
    expected = plausible_frame_count(info)

    def on_frame(done: int, t_s: float) -> None:
        if progress is not None:
            progress(done, expected, t_s)

    workers = settings.pose_workers or default_workers()
    if info.is_image or (info.duration_s or 0.0) < MIN_PARALLEL_S:
        workers = 1
    series, log, _ = estimate_video_parallel(
        path,
        info,
        model.path,
        settings.crowd_check_every_s,
        workers,
        on_frame,
        checkpoint=checkpoint,
        checkpoint_every_s=settings.checkpoint_every_s,
        stop=stop,
        estimators=estimators,
    )
    if settings.cache_landmarks and not log.interrupted and series.n_frames:
        _save_cache(npz, meta, series, log)
    pose = PoseInfo(
        series.n_frames,
        int(series.present.sum()),
        model.sha256,
        False,
        str(npz) if settings.cache_landmarks else None,
    )
    return series, log, pose
