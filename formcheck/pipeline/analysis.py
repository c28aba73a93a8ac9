"""The Python API: ``analyze(path)`` for a clip, ``analyze_pose(series)`` for landmarks.

Wires the stages in one direction: video -> pose -> signal -> gait/exercises
(-> cues inside each analyzer) -> Report. Every user-facing problem raises
:class:`~formcheck.errors.FormcheckError`; warnings about the capture (gaps,
several people, damaged ranges, truncated file) go into ``Report.warnings``.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

import formcheck.activities as activities
from formcheck.cues import words, words_batch
from formcheck.cues.thresholds import with_overrides
from formcheck.errors import FormcheckError, VideoError, WrongSetupError
from formcheck.gait.timebase import capture_factor
from formcheck.pipeline.landmarks import ProgressFn, estimate_landmarks
from formcheck.pipeline.notices import (
    MIN_OTHER_PERSON_S,
    capture_notices,
    merge_ranges,
    no_person,
    not_analysed_ranges,
    outside_holes,
    shots_notice,
)
from formcheck.pipeline.upright import check_upright_run
from formcheck.pose.identity import keep_one_person_per_shot
from formcheck.pose.model import file_sha256, verify_model
from formcheck.pose.pool import EstimatorPool
from formcheck.pose.series import PoseSeries
from formcheck.pose.shots import settle_after_cuts, shot_cuts
from formcheck.pose.track import CaptureLog
from formcheck.report.model import PoseInfo, Report, SourceInfo
from formcheck.results import Notice
from formcheck.settings import Settings
from formcheck.video.reader import VideoInfo, probe


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


# ---------------------------------------------------------------------------------------
def analyze_pose(
    series: PoseSeries,
    activity: str = "auto",
    settings: Settings | None = None,
    *,
    source: SourceInfo | None = None,
    pose: PoseInfo | None = None,
    warnings: list[Notice] | None = None,
    cuts_s: tuple[float, ...] = (),
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
    cuts_s : times (seconds) where the shots of an edited clip start
        (:func:`formcheck.pose.shots.shot_cuts`); each shot is then its own
        stretch (person tracking starts again, the cut is a gap) and the report
        lists the shots.
    """
    settings = settings or Settings()
    try:
        with_overrides(settings.thresholds)
    except ValueError as exc:
        raise FormcheckError(
            f"The settings name a threshold formcheck does not have ({exc}).",
            "Check the [thresholds] names in your settings file against formcheck.example.toml.",
            code="bad_settings",
        ) from exc
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
        raise no_person(series, None)
    ident = keep_one_person_per_shot(series, cuts_s)
    series = settle_after_cuts(ident.series, cuts_s)
    notices = list(warnings or [])
    shots = shots_notice(series, cuts_s)
    if shots is not None:
        notices.append(shots)
    # A stretch the tracker spent on "someone else" is another person only when it
    # lasts; a few frames are a false detection (e.g. a logo card), not a person.
    people = tuple(r for r in ident.dropped_ranges_s if r[1] - r[0] >= MIN_OTHER_PERSON_S)
    spurious = tuple(r for r in ident.dropped_ranges_s if r[1] - r[0] < MIN_OTHER_PERSON_S)
    if people:
        crowd = next((n for n in notices if n.code == "several_people"), None)
        ranges = merge_ranges([*(crowd.ranges_s if crowd else ()), *people], gap_s=0.5)
        notices = [n for n in notices if n.code != "several_people"]
        left_out_s = sum(b - a for a, b in people)
        notices.append(Notice("several_people", words.notice_tracker_switched(left_out_s), ranges))
    if spurious:
        notices.append(Notice("spurious_pose", words.notice_spurious(len(spurious)), spurious))
    chosen, reason = activity, "chosen by the user"
    if activity == "auto":
        chosen, reason = activities.classify(series, settings)
    min_s = activities.min_duration_s(chosen)
    name = activities.plain_label(chosen).lower()  # as the user reads it
    # the real time a slow-motion run covers (the capture rate rescales running only)
    running = activities.get(chosen).kind == "run"
    slowed = capture_factor(settings.profile.capture_fps, series.t_s) if running else 1.0
    real_s = series.duration_s / slowed
    if series.n_frames > 1 and real_s < min_s:
        what = (
            f"{series.duration_s:.1f} s of video filmed at {settings.profile.capture_fps:g} "
            f"fps is {real_s:.1f} s of real time"
            if slowed != 1.0
            else f"{series.duration_s:.1f} s of video"
        )
        raise VideoError(
            f"The clip is too short to analyse {name}: {what}, at least {min_s:.1f} s needed.",
            "Record a longer clip (10-30 s of steady running, or a whole set).",
            code="too_short",
        )
    if series.n_frames == 1 and not activities.still_ok(chosen) and source.is_image:
        raise WrongSetupError(
            f"A single photo cannot show {name}: it needs movement over time.",
            "Use a video clip; photos are accepted for plank and side plank holds.",
            code="still_image",
        )
    if series.n_frames == 1 and not activities.still_ok(chosen):
        raise VideoError(
            f"The clip is too short to analyse {name}: it holds one frame.",
            f"Film at least {min_s:g} s of {name} "
            "(10-30 s of steady running, or a whole set, is best).",
            code="one_frame",
        )
    if running:
        check_upright_run(series, settings.thresholds)
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


def _usable_pieces(series: PoseSeries, activity: str) -> PoseSeries:
    """The stretches of a stopped pass long enough to analyse on their own.

    A stopped two-segment pass holds two stretches with a hole between; a stretch
    shorter than the activity's minimum duration (:func:`activities.min_duration_s`,
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
    min_s = activities.min_duration_s(activity)
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
        # the stretches analysed together, not the span from the first to the last
        # frame (two parallel segments stopped early leave a hole between them)
        source = dataclasses.replace(source, analysed_s=analysed_s)
        notices = [n for n in notices if n.code not in ("interrupted", "ended_early")]
        notices.append(Notice("interrupted", words.notice_stopped(analysed_s), holes))
        pose = dataclasses.replace(
            pose, frames_total=series.n_frames, frames_with_pose=int(series.present.sum())
        )
        # frames between the segments reached so far: not analysed, so no pose
        series = series.with_skipped_frames_absent()
    cuts = shot_cuts(log.cut_scores, settings.thresholds) if log is not None else ()
    try:
        report = analyze_pose(
            series, activity, settings, source=source, pose=pose, warnings=notices, cuts_s=cuts
        )
    except FormcheckError as exc:
        if log is not None and log.interrupted:  # stopped too early: "stopped", not "record"
            why = exc.message.rstrip(".")
            pair = words_batch.stopped_too_soon(analysed_s, why)
            raise FormcheckError(*pair, code="stopped_too_soon") from exc
        raise
    report.partial = stopped
    if stopped:
        # the hole is "not analysed", not "nobody in view": drop absence notices there
        report.warnings = outside_holes(report.warnings, holes, series)
    return report


def analyze(
    path: Path | str,
    activity: str = "auto",
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
    checkpoint: ReportFn | None = None,
    stop: threading.Event | None = None,
    estimators: EstimatorPool | None = None,
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
    are skipped. ``stop``, set by another thread, ends the pose pass early: the
    report then covers the part analysed, as after Ctrl-C.
    """
    settings = settings or Settings()
    path = Path(path)
    info = probe(path)
    if info.is_image and not activities.still_ok(activity):
        raise WrongSetupError(
            f"{path.name} is a photo; {activities.plain_label(activity).lower()} needs a video "
            "to measure movement.",
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
        path,
        settings,
        progress,
        info,
        clip_sha,
        checkpoint=so_far if checkpoint else None,
        stop=stop,
        estimators=estimators,
    )
    if series.n_frames == 0:
        raise VideoError(
            f"No frame of {path.name} could be decoded.",
            "The file is damaged; export or copy the clip again.",
            code="undecodable",
        )
    if not series.present.any():
        raise no_person(series, log)
    return _report(path, info, clip_sha, series, log, pose, activity, settings)
