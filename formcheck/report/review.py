"""Frame-by-frame review of a :class:`Report`: what happened at any frame, and where next.

Pure functions over the report (no video, no drawing): for a frame index, its
timestamp, landmarks, angles, the events near it and the findings active at
it; and navigation to the next or previous foot contact, rep or flagged
moment, so an app can scrub a clip and jump between the moments that matter.
:mod:`formcheck.report.review_overlay` turns the same facts into what
:mod:`formcheck.render` draws.

Frame indices here are *series* indices (``0 .. n_frames(report) - 1``), the
index of ``report.frames`` and of ``report.series``; ``source_frame`` gives the
decoded frame of the clip (they differ only when frames were dropped).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np

from formcheck.cues.judge import form_status
from formcheck.framestates import FrameStates
from formcheck.pose.landmarks import Landmark
from formcheck.render.overlay import (
    Timeline,
)
from formcheck.report.model import Report
from formcheck.results import Event, Finding, FrameState

#: Events within this time of a frame count as "near" it (seconds): about the
#: length of one running stance phase (~0.2-0.3 s), so a contact is near every
#: frame of its stance.
NEAR_WINDOW_S = 0.25
#: How long a cue stays on screen after the analyzer gave it (seconds): long
#: enough to read a few words.
CUE_SHOW_S = 2.0

CONTACT_KINDS = ("initial_contact",)


@dataclass(frozen=True, slots=True)
class FrameReview:
    """Everything known about one frame.

    index : series index. source_frame : decoded frame index in the clip.
    t_s : seconds from clip start. landmarks : float (33, 4) pixels (x, y, z,
    visibility) of the upright frame, or None when no pose was found.
    state : the analyzer's :class:`FrameState` (None if it keeps none).
    angles : name -> degrees (from ``state``). events_near : events within
    ``window_s``, nearest first. active_findings : flagged findings that apply
    at this frame (their key frame is near, or a near event names their cue).
    cue : the cue on screen at this frame (given within :data:`CUE_SHOW_S`).
    """

    index: int
    source_frame: int
    t_s: float
    landmarks: np.ndarray | None
    state: FrameState | None
    angles: dict[str, float]
    events_near: tuple[Event, ...]
    active_findings: tuple[Finding, ...]
    cue: str | None

    @property
    def has_pose(self) -> bool:
        return self.landmarks is not None


# ---------------------------------------------------------------------------------------
class _Index:
    """Lookups built once per report (the report is not changed during review).

    Nothing here is kept per frame beyond NumPy arrays: frame states are read from
    ``report.frames`` itself when state ``i`` sits at position ``i`` (what every
    analyzer gives; a dict only otherwise), and decoded frame numbers are found
    by binary search when they increase (a dict only otherwise).
    """

    def __init__(self, report: Report) -> None:
        series = report.series
        if series is not None:
            self.t_s = np.asarray(series.t_s, float)
            self.source = np.asarray(series.frame_index, np.int64)
        else:
            ts = [f.t_s for f in sorted(report.frames, key=lambda f: f.frame)]
            self.t_s = np.asarray(ts, float)
            self.source = np.arange(len(ts), dtype=np.int64)
        self.n = int(self.t_s.size)
        frames = report.frames
        columns = isinstance(frames, FrameStates)
        if columns:
            numbers = frames.frame
            self._by_position = bool(np.array_equal(numbers, np.arange(numbers.size)))
        else:
            self._by_position = all(f.frame == i for i, f in enumerate(frames))
        self._frames = frames
        self._states: dict[int, FrameState] = (
            {} if self._by_position else {f.frame: f for f in frames}
        )
        self.events = sorted(report.events, key=lambda e: (e.t_s, e.frame))
        self.event_t = [e.t_s for e in self.events]
        #: bool (n,): the frame's form label is not a good one (flagged form)
        self.bad = np.zeros(self.n, bool)
        if columns and self._by_position:
            # read from the columns: no state object per frame
            bad = frames.mask("form", _bad_form)[: self.n]
            self.bad[: bad.size] = bad
            self.cue_frames = np.flatnonzero(frames.mask("cue", bool)).tolist()
        else:
            pairs = enumerate(frames) if self._by_position else self._states.items()
            self.cue_frames = []
            for i, f in pairs:
                if f.cue:
                    self.cue_frames.append(i)
                if 0 <= i < self.n and _bad_form(f.form):
                    self.bad[i] = True
            self.cue_frames.sort()
        self.near_side = _clip_near_side(report)
        self._source_sorted = bool(np.all(np.diff(self.source) > 0))
        self._source_to_index: dict[int, int] = (
            {} if self._source_sorted else {int(s): i for i, s in enumerate(self.source)}
        )
        self.rep_no: dict[int, int] = {}
        counts: dict[str, int] = {}
        for e in self.events:
            if e.kind.startswith("rep"):
                counts[e.kind] = counts.get(e.kind, 0) + 1
                self.rep_no[id(e)] = counts[e.kind]
        self.timeline = _build_timeline(self)

    def state(self, i: int) -> FrameState | None:
        """The analyzer's state at series frame ``i`` (None if it has none)."""
        if self._by_position:
            return self._frames[i] if 0 <= i < len(self._frames) else None
        return self._states.get(i)

    def index_of_source(self, source_frame: int) -> int | None:
        """Series index of a decoded frame number, None when it has none."""
        if not self._source_sorted:
            return self._source_to_index.get(source_frame)
        j = int(np.searchsorted(self.source, source_frame))
        return j if j < self.n and int(self.source[j]) == source_frame else None


def _bad_form(form: str | None) -> bool:
    """A form label that is flagged (not None and not a good one)."""
    return form_status(form) == "work_on"


_CACHE: dict[int, tuple[Report, int, _Index]] = {}


def _index(report: Report) -> _Index:
    key = id(report)
    stamp = len(report.frames) + 7919 * len(report.events)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is report and hit[1] == stamp:
        return hit[2]
    idx = _Index(report)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[key] = (report, stamp, idx)
    return idx


def _clip_near_side(report: Report) -> str | None:
    """The side nearer the camera over the whole clip (median depth difference)."""
    s = report.series
    if s is None or s.n_frames == 0:
        return None
    left = [Landmark.LEFT_HIP, Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE]
    right = [Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE]
    d = s.xyzv[:, left, 2].mean(axis=1) - s.xyzv[:, right, 2].mean(axis=1)
    d = d[np.isfinite(d)]
    if d.size == 0:
        return None
    return "left" if float(np.median(d)) <= 0 else "right"


# ---------------------------------------------------------------------------------------
def n_frames(report: Report) -> int:
    """Number of frames that can be reviewed."""
    return _index(report).n


def _check(report: Report, i: int) -> _Index:
    idx = _index(report)
    if not 0 <= i < idx.n:
        raise IndexError(f"frame {i} outside 0..{idx.n - 1}")
    return idx


def frame_time(report: Report, i: int) -> float:
    """Timestamp of frame ``i`` in seconds."""
    return float(_check(report, i).t_s[i])


def index_at_time(report: Report, t_s: float) -> int:
    """The frame shown at time ``t_s`` (the nearest one); 0 for an empty report."""
    idx = _index(report)
    if idx.n == 0:
        return 0
    j = int(np.searchsorted(idx.t_s, t_s))
    if j <= 0:
        return 0
    if j >= idx.n:
        return idx.n - 1
    return j if idx.t_s[j] - t_s < t_s - idx.t_s[j - 1] else j - 1


def index_of_source_frame(report: Report, source_frame: int) -> int | None:
    """Series index of a decoded frame of the clip, None when it has none."""
    return _index(report).index_of_source(int(source_frame))


def events_near(
    report: Report, i: int, window_s: float = NEAR_WINDOW_S, kinds: tuple[str, ...] | None = None
) -> tuple[Event, ...]:
    """Events within ``window_s`` of frame ``i``, nearest first."""
    idx = _check(report, i)
    t = idx.t_s[i]
    lo = bisect_left(idx.event_t, t - window_s - 1e-9)
    hi = bisect_right(idx.event_t, t + window_s + 1e-9)
    found = [e for e in idx.events[lo:hi] if kinds is None or e.kind in kinds]
    return tuple(sorted(found, key=lambda e: (abs(e.t_s - t), e.t_s)))


def cue_at(report: Report, i: int, show_s: float = CUE_SHOW_S) -> str | None:
    """The cue on screen at frame ``i``: the latest given at or before it, within ``show_s``."""
    idx = _check(report, i)
    j = bisect_right(idx.cue_frames, i) - 1
    while j >= 0:
        k = idx.cue_frames[j]
        if k < idx.n and idx.t_s[i] - idx.t_s[k] <= show_s + 1e-9:
            st = idx.state(k)
            return st.cue if st is not None else None
        break
    return None


def active_findings(report: Report, i: int, window_s: float = NEAR_WINDOW_S) -> tuple[Finding, ...]:
    """Flagged findings that apply at frame ``i``.

    A finding applies when its key frame is within ``window_s`` of frame ``i``,
    or when an event near the frame carries the finding's cue as its label or
    kind (an analyzer marks e.g. an overstriding contact with label ``"overstride"``).
    """
    idx = _check(report, i)
    t = idx.t_s[i]
    near = events_near(report, i, window_s)
    tags = {e.label for e in near if e.label} | {e.kind for e in near}
    out = []
    for f in report.findings:
        if f.status != "flag":
            continue
        if (
            f.frame is not None and 0 <= f.frame < idx.n and abs(idx.t_s[f.frame] - t) <= window_s
        ) or f.cue in tags:
            out.append(f)
    return tuple(out)


def frame_review(report: Report, i: int, window_s: float = NEAR_WINDOW_S) -> FrameReview:
    """All facts about frame ``i`` (a series index)."""
    idx = _check(report, i)
    lms = None
    if report.series is not None:
        row = report.series.xyzv[i]
        if np.isfinite(row[:, :2]).any():
            lms = row.copy()
    state = idx.state(i)
    return FrameReview(
        index=i,
        source_frame=int(idx.source[i]),
        t_s=float(idx.t_s[i]),
        landmarks=lms,
        state=state,
        angles=dict(state.angles) if state else {},
        events_near=events_near(report, i, window_s),
        active_findings=active_findings(report, i, window_s),
        cue=cue_at(report, i),
    )


# ---------------------------------------------------------------------------------------
# navigation
def contact_frames(report: Report, side: str | None = None) -> list[int]:
    """Series indices of initial contacts (one side, or both), in time order."""
    return sorted(
        {
            e.frame
            for e in report.events
            if e.kind in CONTACT_KINDS and (side is None or e.side == side)
        }
    )


def rep_frames(report: Report) -> list[int]:
    """Series indices of rep tops (``rep_top`` events; any ``rep*`` event if none)."""
    tops = {e.frame for e in report.events if e.kind == "rep_top"}
    if not tops:
        tops = {e.frame for e in report.events if e.kind.startswith("rep")}
    return sorted(tops)


def flag_frames(report: Report) -> list[int]:
    """Series indices of flagged moments, in time order.

    These are: the key frame of each flagged finding and the start of each sustained
    stretch it names (``ranges_s``); the first frame of each stretch whose form label
    is not good; the frame where a correction is given (a cue while the form is
    flagged: "Good position. Hold." or a rep count is not one); and events whose kind
    says the form broke (``*break*``, ``*flag*``).
    """
    idx = _index(report)
    flagged = [f for f in report.findings if f.status == "flag"]
    out = {f.frame for f in flagged if f.frame is not None}
    out.update(index_at_time(report, a) for f in flagged for a, _ in f.ranges_s)
    # first frame of each stretch of flagged form
    out.update(np.flatnonzero(np.diff(idx.bad.astype(np.int8), prepend=0) == 1).tolist())
    out.update(i for i in idx.cue_frames if 0 <= i < idx.n and idx.bad[i])
    out.update(e.frame for e in report.events if "break" in e.kind or "flag" in e.kind)
    return sorted(i for i in out if 0 <= i < idx.n)


def _next(frames: list[int], i: int) -> int | None:
    j = bisect_right(frames, i)
    return frames[j] if j < len(frames) else None


def _prev(frames: list[int], i: int) -> int | None:
    j = bisect_left(frames, i) - 1
    return frames[j] if j >= 0 else None


def next_contact(report: Report, i: int, side: str | None = None) -> int | None:
    """The next initial contact after frame ``i`` (None at the end)."""
    return _next(contact_frames(report, side), i)


def prev_contact(report: Report, i: int, side: str | None = None) -> int | None:
    """The previous initial contact before frame ``i`` (None at the start)."""
    return _prev(contact_frames(report, side), i)


def next_rep(report: Report, i: int) -> int | None:
    return _next(rep_frames(report), i)


def prev_rep(report: Report, i: int) -> int | None:
    return _prev(rep_frames(report), i)


def next_flag(report: Report, i: int) -> int | None:
    return _next(flag_frames(report), i)


def prev_flag(report: Report, i: int) -> int | None:
    return _prev(flag_frames(report), i)


def _build_timeline(idx: _Index) -> Timeline | None:
    if idx.n < 2:
        return None
    flags: list[tuple[float, float]] = []
    start = None
    for i, bad in enumerate(idx.bad.tolist()):
        if bad and start is None:
            start = i
        if not bad and start is not None:
            flags.append((float(idx.t_s[start]), float(idx.t_s[i])))
            start = None
    if start is not None:
        flags.append((float(idx.t_s[start]), float(idx.t_s[-1])))
    return Timeline(
        float(idx.t_s[0]),
        float(idx.t_s[-1]),
        tuple((e.t_s, e.kind, e.side) for e in idx.events),
        tuple(flags),
    )
