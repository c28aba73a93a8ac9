"""What a report says about the recording itself: damage, gaps, several people, holes.

Pure functions of the probe, the capture log and the landmark series; the words
come from :mod:`formcheck.cues`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from formcheck.cues import words
from formcheck.errors import NoPersonError
from formcheck.pose.series import PoseSeries
from formcheck.pose.shots import shots
from formcheck.pose.track import DARK_MEAN_LEVEL, CaptureLog
from formcheck.results import Notice
from formcheck.signal.filters import nan_runs
from formcheck.video.reader import VideoInfo

#: A stretch of frames the tracker spent on someone else counts as another person
#: only from this long; shorter ones are false detections. Same bound as for pose
#: gaps that split a series (shared/docs/pitfalls.md: about 0.5 s).
MIN_OTHER_PERSON_S = 0.5


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


def capture_notices(
    info: VideoInfo | None, log: CaptureLog | None, series: PoseSeries, max_gap_s: float
) -> list[Notice]:
    """Warnings about the recording itself, each with its time ranges."""
    out: list[Notice] = []
    if info is not None and log is not None:
        d = log.decode
        if d.damaged:
            out.append(Notice("damaged", words.notice_damaged(len(d.damaged)), tuple(d.damaged)))
        if (
            not info.is_image
            and info.duration_s
            and d.ended_at_s is not None
            and d.ended_at_s < info.duration_s - max(0.5, 3.0 / max(info.fps_nominal, 1))
        ):
            out.append(
                Notice(
                    "ended_early",
                    words.notice_ended_early(d.ended_at_s, info.duration_s),
                    ((d.ended_at_s, info.duration_s),),
                )
            )
        if info.vfr:
            out.append(Notice("vfr", words.NOTICE_VFR))
        crowd = log.several_people_ranges()
        if crowd:
            out.append(Notice("several_people", words.NOTICE_SEVERAL_PEOPLE, tuple(crowd)))
        if log.timestamps_nudged or d.timestamps_fixed:
            n = log.timestamps_nudged + d.timestamps_fixed
            out.append(Notice("timestamps", words.notice_timestamps(n)))
        if log.interrupted:
            out.append(Notice("interrupted", words.NOTICE_INTERRUPTED))
        if log.problems:
            out.append(Notice("pose_pass_problems", words.notice_pose_problems(log.problems)))
    gaps = pose_gaps(series, max_gap_s)
    if gaps:
        total = sum(b - a for a, b in gaps)
        out.append(Notice("gaps", words.notice_gaps(total, len(gaps)), tuple(gaps)))
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


def shots_notice(series: PoseSeries, cuts_s: tuple[float, ...]) -> Notice | None:
    """The shots of an edited clip (``cuts_s``: where each new shot starts) with
    their time ranges; those in which nobody was found are named as not used.
    None for a clip of one shot."""
    if not cuts_s or series.n_frames == 0:
        return None
    t = series.t_s
    dt = float(np.median(np.diff(t))) if series.n_frames > 1 else 0.0
    ranges = shots(float(t[0]), float(t[-1]) + dt, cuts_s)
    if len(ranges) < 2:
        return None
    present = series.present
    unused = tuple(r for r in ranges if not present[(t >= r[0]) & (t < r[1])].any())
    return Notice("shots", words.notice_shots(ranges, unused), ranges)


def no_person(series: PoseSeries, log: CaptureLog | None) -> NoPersonError:
    dark = ""
    if log is not None and log.mean_level is not None and log.mean_level < DARK_MEAN_LEVEL:
        dark = f" The picture is very dark (mean level {log.mean_level:.0f}/255)."
    return NoPersonError(
        f"No person was found in any of the {series.n_frames} frame(s) checked.{dark}",
        "Film the whole body, side-on, in good light, with the camera still.",
        code="no_person",
    )


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


#: Notices that say the person was not seen; inside a stretch the pass never
#: reached they would be wrong (nobody looked).
_ABSENCE_NOTICES = ("person_absent", "gaps")


def outside_holes(
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
