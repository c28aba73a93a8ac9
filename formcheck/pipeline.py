"""The Python API: ``analyze(path)`` for a clip, ``analyze_pose(series)`` for landmarks.

Wires the stages in one direction: video -> pose -> signal -> gait/exercises
(-> cues inside each analyzer) -> Report. Every user-facing problem raises
:class:`~formcheck.errors.FormcheckError`; warnings about the capture (gaps,
several people, damaged ranges, truncated file) go into ``Report.warnings``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from formcheck import activities
from formcheck.errors import FormcheckError, NoPersonError, VideoError, WrongSetupError
from formcheck.io import atomic_write_text
from formcheck.pose.identity import keep_one_person
from formcheck.pose.model import file_sha256, verify_model
from formcheck.pose.parallel import CheckpointFn
from formcheck.pose.series import PoseSeries
from formcheck.pose.track import DARK_MEAN_LEVEL, CaptureLog
from formcheck.report.model import PoseInfo, Report, SourceInfo
from formcheck.results import Notice
from formcheck.settings import Settings
from formcheck.signal.filters import nan_runs
from formcheck.video.reader import DecodeLog, VideoInfo, probe

#: A stretch of frames the tracker spent on someone else counts as another person
#: only from this long; shorter ones are false detections. Same bound as for pose
#: gaps that split a series (shared/docs/pitfalls.md: about 0.5 s).
MIN_OTHER_PERSON_S = 0.5

ProgressFn = Callable[[int, int | None, float], None]
"""progress(frames_done, frames_expected or None, t_s)."""


@functools.cache
def _versions() -> tuple[tuple[str, str], ...]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("formcheck", "mediapipe", "opencv-contrib-python", "numpy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "unknown"
    return tuple(out.items())


def versions() -> dict[str, str]:
    """Installed versions of formcheck and its main dependencies (looked up once)."""
    return dict(_versions())


def plausible_frame_count(info: VideoInfo) -> int | None:
    """The frame count if believable (0 < n < duration x 1000), else None."""
    n = info.frame_count
    if n is None or info.duration_s is None:
        return None
    return n if 0 < n < max(info.duration_s, 1e-3) * 1000 else None


# ---------------------------------------------------------------------------------------
# landmark cache
def _cache_paths(settings: Settings, clip_sha: str, model_sha: str) -> tuple[Path, Path]:
    """Cache files for this clip, model and crowd-check interval (it changes the log)."""
    crowd_ms = round(settings.crowd_check_every_s * 1000)
    stem = settings.cache_dir / "landmarks" / f"{clip_sha[:20]}-{model_sha[:12]}-c{crowd_ms}"
    return stem.with_suffix(".npz"), stem.with_suffix(".json")


def merge_ranges(
    ranges: tuple[tuple[float, float], ...] | list[tuple[float, float]], gap_s: float = 0.0
) -> tuple[tuple[float, float], ...]:
    """Sort (start, end) ranges in seconds and merge those that overlap or lie
    within ``gap_s`` of each other."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + gap_s:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def _save_cache(npz: Path, meta: Path, series: PoseSeries, log: CaptureLog) -> None:
    try:
        series.save_npz(npz)
        atomic_write_text(
            meta,
            json.dumps(
                {
                    "crowd_samples": log.crowd_samples,
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
) -> tuple[PoseSeries, CaptureLog, PoseInfo]:
    """Landmarks of a clip, from the cache when this clip and model were seen before.

    ``clip_sha256`` saves hashing the file again when the caller already has it.
    ``checkpoint(series)`` is called about every ``settings.checkpoint_every_s``
    seconds (wall time) with the landmarks found so far (see
    :func:`formcheck.pose.parallel.estimate_video_parallel`).
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


def capture_notices(
    info: VideoInfo | None, log: CaptureLog | None, series: PoseSeries, max_gap_s: float
) -> list[Notice]:
    """Warnings about the recording itself, each with its time ranges."""
    out: list[Notice] = []
    if info is not None and log is not None:
        d = log.decode
        if d.damaged:
            out.append(
                Notice(
                    "damaged",
                    f"Part of the video could not be decoded ({len(d.damaged)} damaged "
                    "range(s)); everything before and after was analysed.",
                    tuple(d.damaged),
                )
            )
        if (
            not info.is_image
            and info.duration_s
            and d.ended_at_s is not None
            and d.ended_at_s < info.duration_s - max(0.5, 3.0 / max(info.fps_nominal, 1))
        ):
            out.append(
                Notice(
                    "ended_early",
                    f"The file ends at {d.ended_at_s:.1f} s although its header says "
                    f"{info.duration_s:.1f} s (an incomplete copy or recording); the "
                    "part that exists was analysed.",
                    ((d.ended_at_s, info.duration_s),),
                )
            )
        if info.vfr:
            out.append(
                Notice(
                    "vfr",
                    "Variable frame rate: timings use each frame's own timestamp.",
                )
            )
        crowd = log.several_people_ranges()
        if crowd:
            out.append(
                Notice(
                    "several_people",
                    "Several people were in view; formcheck followed one person "
                    "(the one seen longest). Film with only the athlete in frame for "
                    "the most reliable numbers.",
                    tuple(crowd),
                )
            )
        if log.timestamps_nudged or d.timestamps_fixed:
            n = log.timestamps_nudged + d.timestamps_fixed
            out.append(
                Notice("timestamps", f"{n} frame timestamp(s) did not increase and were corrected.")
            )
        if log.interrupted:
            out.append(
                Notice("interrupted", "Analysis was stopped early; this covers the part analysed.")
            )
        if log.problems:
            out.append(
                Notice(
                    "pose_pass_problems",
                    "Something went wrong during the pose pass without spoiling the results "
                    f"(they are complete): {'; '.join(log.problems)[:300]}. If this repeats, "
                    "set pose_workers = 1 in the settings file.",
                )
            )
    gaps = pose_gaps(series, max_gap_s)
    if gaps:
        total = sum(b - a for a, b in gaps)
        out.append(
            Notice(
                "gaps",
                f"The person was not found for {total:.1f} s in {len(gaps)} stretch(es) "
                "(out of frame or hidden); those parts are left out, never filled in.",
                tuple(gaps),
            )
        )
    return out


def pose_gaps(series: PoseSeries, min_gap_s: float) -> list[tuple[float, float]]:
    """Time ranges (start, end) in seconds with no pose, longer than ``min_gap_s``."""
    if series.n_frames == 0:
        return []
    t = series.t_s
    dt = float(np.median(np.diff(t))) if series.n_frames > 1 else 0.0
    gaps = []
    for a, b in nan_runs(~series.present):
        start = t[a]
        end = t[b - 1] + dt
        if end - start > min_gap_s:
            gaps.append((float(start), float(end)))
    return gaps


def _no_person(series: PoseSeries, log: CaptureLog | None) -> NoPersonError:
    dark = ""
    if log is not None and log.mean_level is not None and log.mean_level < DARK_MEAN_LEVEL:
        dark = f" The picture is very dark (mean level {log.mean_level:.0f}/255)."
    return NoPersonError(
        f"No person was found in any of the {series.n_frames} frame(s) checked.{dark}",
        "Film the whole body, side-on, in good light, with the camera still.",
        code="no_person",
    )


# ---------------------------------------------------------------------------------------
def analyze_pose(
    series: PoseSeries,
    activity: str = "auto",
    settings: Settings | None = None,
    *,
    source: SourceInfo | None = None,
    pose: PoseInfo | None = None,
    warnings: list[Notice] | None = None,
) -> Report:
    """Analyse a landmark series (from any source) into a :class:`Report`.

    Parameters
    ----------
    series : PoseSeries
        Landmarks in MediaPipe's 33-point order, pixels, with real timestamps;
        see :meth:`PoseSeries.from_normalized` for exported landmarks.
    activity : "run", "glute-bridge", "plank", "side-plank", "bird-dog" or "auto".
    settings : Settings, optional
        Profile, thresholds overrides, view override, smoothing.
    """
    settings = settings or Settings()
    if activity not in activities.ACTIVITIES:
        raise FormcheckError(
            f"Unknown activity {activity!r}.",
            f"Choose one of: {', '.join(activities.ACTIVITIES)}.",
            code="bad_activity",
        )
    source = source or SourceInfo(
        kind="landmarks",
        width=series.width,
        height=series.height,
        frames=series.n_frames,
        duration_s=series.duration_s,
        decoded_s=series.duration_s,
    )
    pose = pose or PoseInfo(series.n_frames, int(series.present.sum()))
    if not series.present.any():
        raise _no_person(series, None)
    ident = keep_one_person(series)
    series = ident.series
    notices = list(warnings or [])
    # A stretch the tracker spent on "someone else" is another person only when it
    # lasts; a few frames are a false detection (e.g. a logo card), not a person.
    people = tuple(r for r in ident.dropped_ranges_s if r[1] - r[0] >= MIN_OTHER_PERSON_S)
    spurious = tuple(r for r in ident.dropped_ranges_s if r[1] - r[0] < MIN_OTHER_PERSON_S)
    if people:
        crowd = next((n for n in notices if n.code == "several_people"), None)
        ranges = merge_ranges([*(crowd.ranges_s if crowd else ()), *people], gap_s=0.5)
        notices = [n for n in notices if n.code != "several_people"]
        notices.append(
            Notice(
                "several_people",
                "Several people were in view and the tracker switched to someone else "
                "for a while; formcheck followed the person seen longest and left those "
                "frames out. Film with only the athlete in frame for the most reliable "
                "numbers.",
                ranges,
            )
        )
    if spurious:
        notices.append(
            Notice(
                "spurious_pose",
                f"{len(spurious)} brief false detection(s) (a pose found for a moment "
                "away from the person) were ignored.",
                spurious,
            )
        )
    chosen, reason = activity, "chosen by the user"
    if activity == "auto":
        chosen, reason = activities.classify(series, settings)
    min_s = activities.MIN_DURATION_S.get(chosen, 0.0)
    if series.n_frames > 1 and series.duration_s < min_s:
        raise VideoError(
            f"The clip is too short to analyse {chosen}: {series.duration_s:.1f} s of "
            f"video, at least {min_s:.1f} s needed.",
            "Record a longer clip (10-30 s of steady running, or a whole set).",
            code="too_short",
        )
    if series.n_frames == 1 and chosen not in activities.STILL_OK:
        raise WrongSetupError(
            f"A single photo cannot show {chosen}: it needs movement over time.",
            "Use a video clip; photos are accepted for plank and side plank holds.",
            code="still_image",
        )
    result = activities.get_analyzer(chosen)(series, settings)
    return Report.from_result(
        result,
        source,
        pose,
        notices,
        activity_requested=activity,
        activity_reason=reason,
        versions=versions(),
        series=series,
    )


ReportFn = Callable[[Report], None]


def not_analysed_ranges(
    series: PoseSeries, info: VideoInfo | None
) -> tuple[tuple[float, float], ...]:
    """Stretches of the clip (seconds) with no analysed frame: holes in the
    timestamps longer than three frame intervals, and the end after the last frame
    (an analysis stopped early, or parallel segments not finished yet)."""
    out: list[tuple[float, float]] = []
    t = series.t_s
    dt = float(np.median(np.diff(t))) if t.size > 1 else 0.0
    if t.size > 1:
        for i in np.flatnonzero(np.diff(t) > 3.0 * dt):
            out.append((float(t[i]), float(t[i + 1])))
    end = info.duration_s if info is not None else None
    # the last frame is shown for one frame interval: past that, frames were missed
    if t.size and end is not None and end - float(t[-1]) > max(1.5 * dt, 1e-3):
        out.append((float(t[-1]), float(end)))
    return tuple(out)


def _usable_pieces(series: PoseSeries, activity: str) -> PoseSeries:
    """The stretches of a stopped pass long enough to analyse on their own.

    A stopped two-segment pass holds two stretches with a hole between; a stretch
    shorter than the activity's minimum duration (:data:`activities.MIN_DURATION_S`,
    the longest of them for "auto") is dropped, because measuring across a hole
    from two short stretches is not a measurement (two 1.2 s stretches of the
    sample gave a cadence of 210 steps/min for its true 169). The longest stretch
    is always kept, so a too-short result is refused by :func:`analyze_pose` with
    its usual message.
    """
    idx = series.frame_index
    if idx.size < 2:
        return series
    cuts = np.flatnonzero(np.diff(idx) > 1) + 1
    if not cuts.size:
        return series
    min_s = (
        max(activities.MIN_DURATION_S.values())
        if activity == "auto"
        else activities.MIN_DURATION_S.get(activity, 0.0)
    )
    bounds = list(zip([0, *cuts], [*cuts, idx.size], strict=True))
    span = [float(series.t_s[b - 1] - series.t_s[a]) for a, b in bounds]
    keep = np.zeros(idx.size, bool)
    for (a, b), d in zip(bounds, span, strict=True):
        keep[a:b] = d >= min_s
    if not keep.any():
        a, b = bounds[int(np.argmax(span))]
        keep[a:b] = True
    return series if keep.all() else series.take(keep)


def _report(
    path: Path,
    info: VideoInfo,
    clip_sha: str,
    series: PoseSeries,
    log: CaptureLog | None,
    pose: PoseInfo,
    activity: str,
    settings: Settings,
) -> Report:
    """The report of a clip from its landmarks; ``log`` None for results so far."""
    decoded = log.decode.ended_at_s if log is not None else float(series.t_s[-1])
    source = SourceInfo(
        kind="image" if info.is_image else "video",
        path=str(path),
        sha256=clip_sha,
        size_bytes=info.size_bytes,
        width=info.width,
        height=info.height,
        fps=info.fps_nominal or None,
        duration_s=info.duration_s,
        decoded_s=decoded,
        frames=series.n_frames,
        rotation_deg=info.rotation_deg,
        vfr=info.vfr,
        is_image=info.is_image,
        codec=info.codec,
        recorded_at=info.recorded_at,
    )
    notices = capture_notices(info, log, series, settings.max_gap_s)
    stopped = log is None or log.interrupted
    if stopped:
        series = _usable_pieces(series, activity)
        holes = not_analysed_ranges(series, info)
        inner = sum(b - a for a, b in holes if b <= float(series.t_s[-1]))
        analysed_s = series.duration_s - inner
        notices = [n for n in notices if n.code not in ("interrupted", "ended_early")]
        notices.append(
            Notice(
                "interrupted",
                "The analysis stopped before the end of the clip; this covers the "
                f"{analysed_s:.0f} s analysed (not analysed: the ranges given). "
                "Analyse the clip again for the whole of it.",
                holes,
            )
        )
        pose = dataclasses.replace(
            pose, frames_total=series.n_frames, frames_with_pose=int(series.present.sum())
        )
        # frames between the segments reached so far: not analysed, so no pose
        series = series.with_skipped_frames_absent()
    report = analyze_pose(series, activity, settings, source=source, pose=pose, warnings=notices)
    report.partial = stopped
    if stopped:
        # the hole is "not analysed", not "nobody in view": drop absence notices there
        report.warnings = _outside_holes(report.warnings, holes, series)
    return report


#: Notices that say the person was not seen; inside a stretch the pass never
#: reached they would be wrong (nobody looked).
_ABSENCE_NOTICES = ("person_absent", "gaps")


def _outside_holes(
    notices: list[Notice], holes: tuple[tuple[float, float], ...], series: PoseSeries
) -> list[Notice]:
    """``notices`` without the absence ranges that lie within a not-analysed hole
    (give or take two frames); an absence notice left with no range is dropped."""
    dt = float(np.median(np.diff(series.t_s))) if series.n_frames > 1 else 0.0
    tol = 2.0 * dt

    def inside(r: tuple[float, float]) -> bool:
        return any(r[0] >= a - tol and r[1] <= b + tol for a, b in holes)

    out = []
    for n in notices:
        if n.code in _ABSENCE_NOTICES and n.ranges_s:
            kept = tuple(r for r in n.ranges_s if not inside(r))
            if not kept:
                continue
            n = dataclasses.replace(n, ranges_s=kept)
        out.append(n)
    return out


def analyze(
    path: Path | str,
    activity: str = "auto",
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
    checkpoint: ReportFn | None = None,
) -> Report:
    """Analyse a video clip (or a photo of a hold) into a :class:`Report`.

    Raises :class:`FormcheckError` for unusable input (missing, empty, not a
    video, incomplete recording, nobody in view, a photo for running ...).
    A damaged or truncated file is analysed for what decodes; the report's
    ``warnings`` say where.

    ``checkpoint(report)``, if given, receives a partial report (``partial`` set,
    an "interrupted" notice naming the stretches not analysed yet) of the
    landmarks found so far, about every ``settings.checkpoint_every_s`` seconds
    of a long analysis; the history saves it, so a killed process keeps it.
    Results so far that cannot be analysed yet (nobody found yet, too short)
    are skipped.
    """
    settings = settings or Settings()
    path = Path(path)
    info = probe(path)
    if info.is_image and activity not in activities.STILL_OK:
        raise WrongSetupError(
            f"{path.name} is a photo; {activity} needs a video to measure movement.",
            "Use a video clip; photos are accepted for plank and side plank holds.",
            code="still_image",
        )
    clip_sha = file_sha256(path)
    model_sha = verify_model(settings.model_path).sha256

    def so_far(series: PoseSeries) -> None:
        assert checkpoint is not None
        if not series.n_frames or not series.present.any():
            return
        pose = PoseInfo(series.n_frames, int(series.present.sum()), model_sha, False, None)
        try:
            partial = _report(path, info, clip_sha, series, None, pose, activity, settings)
        except FormcheckError:
            return  # not enough yet (too short, nobody found): wait for more
        checkpoint(partial)

    series, log, pose = estimate_landmarks(
        path, settings, progress, info, clip_sha, checkpoint=so_far if checkpoint else None
    )
    if series.n_frames == 0:
        raise VideoError(
            f"No frame of {path.name} could be decoded.",
            "The file is damaged; export or copy the clip again.",
            code="undecodable",
        )
    if not series.present.any():
        raise _no_person(series, log)
    return _report(path, info, clip_sha, series, log, pose, activity, settings)


def combine_side_views(first: Report, second: Report, settings: Settings | None = None) -> Report:
    """One running report from a clip filmed from the left and one from the right.

    From one side the far leg is partly hidden (google-ai-edge/mediapipe#3496,
    #4969), so each two-sided metric takes the left leg from the clip that sees
    it nearest and the right leg from the other (:func:`formcheck.gait.combine.combine_sides`);
    findings are re-judged from the combined metrics.

    Raises :class:`WrongSetupError` unless both are running reports, one from each side.
    """
    from formcheck.cues.running import running_findings
    from formcheck.gait.combine import combine_sides
    from formcheck.results import ActivityResult

    settings = settings or Settings()
    if first.activity != "run" or second.activity != "run":
        raise WrongSetupError(
            "Only running reports can be combined.",
            "Analyse both clips with --activity run.",
            code="combine_not_run",
        )
    parts = [
        ActivityResult(r.activity, r.view, metrics=dict(r.metrics), notices=list(r.warnings))
        for r in (first, second)
    ]
    try:
        result = combine_sides(*parts)
    except ValueError as exc:
        raise WrongSetupError(
            f"These clips cannot be combined: one must be filmed from the runner's left and "
            f"one from the right (got {first.view} and {second.view}).",
            "Film once from each side, at the same speed, and pass both clips.",
            code="combine_views",
        ) from exc
    result.findings = running_findings(result.metrics, settings.thresholds)
    source = SourceInfo(
        kind="combined",
        path=f"{first.source.path} + {second.source.path}",
        duration_s=sum(r.source.decoded_s or 0.0 for r in (first, second)),
        decoded_s=sum(r.source.decoded_s or 0.0 for r in (first, second)),
        frames=(first.source.frames or 0) + (second.source.frames or 0),
    )
    pose = PoseInfo(
        first.pose.frames_total + second.pose.frames_total,
        first.pose.frames_with_pose + second.pose.frames_with_pose,
        first.pose.model_sha256,
    )
    return Report.from_result(
        result,
        source,
        pose,
        [],
        activity_requested="run",
        activity_reason="two side views combined",
        versions=versions(),
    )
