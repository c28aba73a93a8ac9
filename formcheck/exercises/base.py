"""The engine shared by every exercise: one frame in, the coach's answer out.

An exercise analyzer (:class:`ExerciseAnalyzer` subclass) is fed one frame's
landmarks at a time (:meth:`ExerciseAnalyzer.update`) and answers at once with a
:class:`~formcheck.live.LiveUpdate`: the state now (phase, form label, angles,
reps, hold time), the events this frame completed, and at most one spoken cue.
A saved clip is analysed by feeding the *same* analyzer every frame
(:func:`analyze_series`), so a clip gives the same reps and holds live and in
batch by construction.

Building blocks, all time-based (seconds from the frames' own timestamps, never
frame counts):

* :class:`Debounce` - a state that changes only after a new value persisted a
  minimum time; thresholds with a gap between "enter" and "leave" (hysteresis)
  feed it, so noise at a threshold neither flickers nor double-counts.
* :class:`HoldClock` - hold timing: starts after the body has been in position
  for a minimum time (dated from when it got there), pauses when it breaks for a
  minimum time (dated from when it broke), keeps total and longest hold.
* :class:`CueLimiter` - speech rate limit: one message at a time, a minimum gap
  between messages, the same message not repeated within ``cue_repeat_s``, and
  the most important waiting message first.

The landmarks are smoothed causally (:class:`formcheck.signal.CausalLowpass` at
``Settings.exercise_cutoff_hz``, about 40 ms lag at 4 Hz), because the live path
cannot see the future; the batch path uses the same filter so both agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from formcheck.cues import exercises as cuetext
from formcheck.cues.thresholds import value
from formcheck.exercises.posture import DEFAULT_NEEDED, Posture, PostureLimits, measure
from formcheck.framestates import FrameStates
from formcheck.live import LiveUpdate
from formcheck.pose.landmarks import N_LANDMARKS
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult, Event, FrameState, Notice
from formcheck.settings import Settings
from formcheck.signal import CausalLowpass

# ---------------------------------------------------------------------------------------
# state helpers

#: Rounding allowance when comparing durations made of float timestamps (1 ns).
_EPS_S = 1e-9


class Debounce:
    """A discrete state that changes only after a new value has persisted ``min_s``.

    ``update(candidate, t_s, frame)`` proposes the value seen in this frame. The
    state switches once the same different value has been proposed continuously
    for at least ``min_s`` seconds; the switch is dated from the first frame of
    that run (``since_s`` / ``since_frame``), so durations are not shortened by
    the wait. A ``None`` candidate means no information (no pose, or inside a
    hysteresis band where the caller keeps the current value): it cancels a
    pending change.

    Starting from ``initial=None`` (nothing known yet) the first value also needs
    ``min_s``, and is dated back to the first frame with any candidate: nothing
    before it lasted long enough to count.
    """

    def __init__(self, initial: object, min_s: float) -> None:
        self.state = initial
        self.min_s = float(min_s)
        self.since_s: float | None = None
        self.since_frame: int | None = None
        self._pending: object = None
        self._pending_s: float | None = None
        self._pending_frame: int | None = None
        self._first: tuple[float, int] | None = None

    @property
    def pending_since_s(self) -> float | None:
        return self._pending_s

    def _clear(self) -> None:
        self._pending = None
        self._pending_s = None
        self._pending_frame = None

    def update(self, candidate: object, t_s: float, frame: int = -1) -> bool:
        """Propose ``candidate`` for this frame; True when the state changed now."""
        if candidate is not None and self.state is None and self._first is None:
            self._first = (t_s, frame)
        if candidate is None or candidate == self.state:
            self._clear()
            return False
        if self._pending_s is None or candidate != self._pending:
            self._pending, self._pending_s, self._pending_frame = candidate, t_s, frame
        if t_s - self._pending_s >= self.min_s - _EPS_S:
            if self.state is None and self._first is not None:
                self.since_s, self.since_frame = self._first
            else:
                self.since_s, self.since_frame = self._pending_s, self._pending_frame
            self.state = candidate
            self._first = None
            self._clear()
            return True
        return False

    def force(self, state: object, t_s: float | None = None, frame: int | None = None) -> None:
        """Set the state without waiting (e.g. reset after the person left)."""
        self.state, self.since_s, self.since_frame = state, t_s, frame
        self._first = None
        self._clear()


@dataclass(slots=True)
class HoldSegment:
    """One unbroken hold: seconds from clip start and series frame indices."""

    t0_s: float
    t1_s: float
    frame0: int
    frame1: int
    label: str = ""

    @property
    def duration_s(self) -> float:
        return self.t1_s - self.t0_s


class HoldClock:
    """Hold timing with a minimum time to start and a minimum break to stop.

    ``update(ok, t_s, frame)`` says whether this frame is "holding" (in position
    with acceptable form). A hold starts once ``ok`` has lasted ``start_min_s``
    and is dated from its first ok frame; it ends once ``not ok`` has lasted
    ``break_min_s`` and is dated to the first bad frame. While a break is still
    unconfirmed the displayed hold time stands still; if form comes back in time
    the hold simply continues. Returns the events ("hold_start"/"hold_break") the
    frame confirmed, each with the time it is dated to.
    """

    def __init__(self, start_min_s: float, break_min_s: float) -> None:
        self._state = Debounce(False, 0.0)
        self.start_min_s = float(start_min_s)
        self.break_min_s = float(break_min_s)
        self.holding = False
        self.segments: list[HoldSegment] = []
        self.closed_total_s = 0.0  # summed length of self.segments
        self._start: tuple[float, int] | None = None
        self._cand: tuple[float, int] | None = None
        self._last: tuple[float, int] | None = None
        self.label = ""

    def update(
        self, ok: bool, t_s: float, frame: int, label: str = ""
    ) -> list[tuple[str, float, int]]:
        out: list[tuple[str, float, int]] = []
        if not self.holding:
            if ok:
                if self._cand is None:
                    self._cand = (t_s, frame)
                if t_s - self._cand[0] >= self.start_min_s - _EPS_S:
                    self.holding = True
                    self._start = self._cand
                    self.label = label
                    self._cand = None
                    out.append(("hold_start", self._start[0], self._start[1]))
            else:
                self._cand = None
        else:
            if not ok:
                if self._cand is None:
                    self._cand = (t_s, frame)
                if t_s - self._cand[0] >= self.break_min_s - _EPS_S:
                    out.append(self._close(*self._cand))
            else:
                self._cand = None
        self._last = (t_s, frame)
        return out

    def _close(self, t_s: float, frame: int) -> tuple[str, float, int]:
        assert self._start is not None
        seg = HoldSegment(self._start[0], t_s, self._start[1], frame, self.label)
        self.segments.append(seg)
        self.closed_total_s += seg.duration_s
        self.holding = False
        self._start = None
        self._cand = None
        return ("hold_break", t_s, frame)

    def current_s(self, t_s: float) -> float:
        """Length of the hold in progress (standing still during an unconfirmed break)."""
        if not self.holding or self._start is None:
            return 0.0
        end = self._cand[0] if self._cand is not None else t_s
        return max(0.0, end - self._start[0])

    def total_s(self, t_s: float) -> float:
        """Finished holds plus the one in progress, in seconds (cheap per frame)."""
        return self.closed_total_s + self.current_s(t_s)

    def all_segments(self) -> list[HoldSegment]:
        """Finished holds plus the one in progress (closed at the last frame seen)."""
        segs = list(self.segments)
        if self.holding and self._start is not None and self._last is not None:
            end = self._cand if self._cand is not None else self._last
            segs.append(HoldSegment(self._start[0], end[0], self._start[1], end[1], self.label))
        return segs

    @property
    def breaking(self) -> bool:
        """Holding, but the form or position has broken and the break is not confirmed yet."""
        return self.holding and self._cand is not None


@dataclass(order=True, slots=True)
class _Offer:
    priority: int
    order: int
    key: str = field(compare=False)
    text: str = field(compare=False)
    expires_s: float = field(compare=False)
    group: str | None = field(default=None, compare=False)


class CueLimiter:
    """Speech rate limit with a priority order.

    Each frame, the analyzer ``offer`` s the cues that apply now; ``pop`` returns
    at most one to say. A cue is said only when ``min_gap_s`` has passed since the
    last spoken cue (one message at a time) and the same ``key`` has not been said
    within ``repeat_s``. Among waiting cues the lowest ``priority`` number wins
    (ties: the earliest offered). State cues ("hips sagging") are offered every
    frame while true with ``ttl_s=0`` (dropped if not said this frame); event cues
    ("rep 3") are offered once with a short ``ttl_s`` so they wait for a free slot;
    a newer offer in the same ``group`` (the next rep count) replaces a waiting one.
    """

    def __init__(self, repeat_s: float, min_gap_s: float) -> None:
        self.repeat_s = float(repeat_s)
        self.min_gap_s = float(min_gap_s)
        self._waiting: dict[str, _Offer] = {}
        self._last_said: dict[str, float] = {}
        self._last_t: float = -math.inf
        self._order = 0
        self.spoken: list[tuple[float, str, str]] = []

    def offer(
        self,
        key: str,
        text: str,
        priority: int,
        t_s: float,
        ttl_s: float = 0.0,
        group: str | None = None,
    ) -> None:
        """Propose a cue for now; it waits at most ``ttl_s`` for its turn."""
        self._order += 1
        old = self._waiting.get(key)
        if old is not None and old.priority <= priority and old.expires_s >= t_s + ttl_s:
            return
        if group is not None:
            self._waiting = {k: o for k, o in self._waiting.items() if o.group != group}
        self._waiting[key] = _Offer(priority, self._order, key, text, t_s + ttl_s, group)

    def pop(self, t_s: float) -> str | None:
        """The cue to say now, or None."""
        self._waiting = {k: o for k, o in self._waiting.items() if o.expires_s >= t_s}
        if t_s - self._last_t < self.min_gap_s:
            return None
        ready = [
            o
            for o in self._waiting.values()
            if t_s - self._last_said.get(o.key, -math.inf) >= self.repeat_s
        ]
        if not ready:
            return None
        best = min(ready)
        del self._waiting[best.key]
        self._last_said[best.key] = t_s
        self._last_t = t_s
        self.spoken.append((t_s, best.key, best.text))
        return best.text


# ---------------------------------------------------------------------------------------
# the analyzer skeleton


@dataclass(slots=True)
class Step:
    """What an exercise's per-frame step reports back to the shared skeleton."""

    phase: str
    form: str | None = None
    angles: dict[str, float] = field(default_factory=dict)
    reps: int | None = None
    hold_s: float | None = None
    events: list[Event] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)


def time_runs(
    flags: Sequence[bool], t_s: Sequence[float], min_s: float
) -> list[tuple[float, float]]:
    """Time ranges (start, end) in seconds where ``flags`` is True for at least ``min_s``.

    A run ends at the time of the first frame after it (or the last frame). With a
    single frame, a True flag gives the range (t, t).
    """
    out: list[tuple[float, float]] = []
    n = len(flags)
    i = 0
    while i < n:
        if flags[i]:
            j = i
            while j < n and flags[j]:
                j += 1
            t0 = t_s[i]
            t1 = t_s[j] if j < n else t_s[n - 1]
            if t1 - t0 >= min_s or n == 1:
                out.append((float(t0), float(t1)))
            i = j
        else:
            i += 1
    return out


class ExerciseAnalyzer:
    """Per-frame analyzer skeleton; subclasses implement :meth:`_step` and :meth:`_summary`.

    Class attributes set by each exercise: ``activity`` (its name in
    :data:`formcheck.activities.ANALYZERS`), ``position`` (the
    :mod:`posture <formcheck.exercises.posture>` label of its starting position),
    ``view_needed`` ("side" or "front") and ``needed`` (body parts that must be in
    view).

    After ``update`` calls, :meth:`result` gives everything found so far. Its
    ``frames`` are the *settled* per-frame states: a change that needed a minimum
    duration to be confirmed (a form label, a hold start) is dated back to the
    frame where it began, while each ``LiveUpdate.state`` is what was known at
    that moment.
    """

    activity: str = ""
    position: str = ""
    view_needed: str = "side"
    needed: tuple[str, ...] = DEFAULT_NEEDED

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        overrides = self.settings.thresholds
        self.th: Callable[[str], float] = lambda name: value(name, overrides)
        self.limits = PostureLimits.from_thresholds(overrides)
        self._filter = CausalLowpass(self.settings.exercise_cutoff_hz, reset_after_s=0.5)
        self.cues = CueLimiter(self.th("cue_repeat_s"), self.th("cue_min_gap_s"))
        #: how long a count ("3", "20 seconds") may wait for its turn to be spoken (a
        #: newer count replaces it): two message gaps, after that it is out of date
        self.count_ttl_s = 2.0 * self.th("cue_min_gap_s")
        self.in_position = Debounce(False, self.th("position_min_s"))
        self.frames: list[FrameState] = []
        self.events: list[Event] = []
        self.width: int | None = None
        self.height: int | None = None
        self._near: str | None = None
        self._absent_since: float | None = None
        self.t_log: list[float] = []
        self.present_log: list[bool] = []
        self.in_frame_log: list[bool] = []
        self.view_log: list[str] = []
        self.label_log: list[str] = []
        self.position_log: list[bool] = []

    # -- per frame ------------------------------------------------------------------------
    def update(self, xyzv: np.ndarray, t_s: float, width: int, height: int) -> LiveUpdate:
        """Feed one frame.

        Parameters
        ----------
        xyzv : float ndarray, shape (33, 4)
            Landmarks in pixels of the upright frame (x, y; y down), z, visibility;
            all NaN when nobody was found.
        t_s : float
            The frame's timestamp in seconds; strictly increasing.
        width, height : int
            Frame size in pixels.
        """
        a = np.asarray(xyzv, dtype=np.float64)
        if a.shape != (N_LANDMARKS, 4):
            raise ValueError(f"xyzv must be (33, 4), got {a.shape}")
        t_s = float(t_s)
        if self.t_log and not t_s > self.t_log[-1]:
            raise ValueError(f"timestamps must increase: {t_s} after {self.t_log[-1]}")
        self.width, self.height = int(width), int(height)
        i = len(self.frames)
        xy = self._filter.update(t_s, a[:, :2])
        p = measure(xy, a[:, 3], width, height, self.limits, self.needed, prefer=self._near)
        if p.present:
            self._near = p.near
            self._absent_since = None
        elif self._absent_since is None:
            self._absent_since = t_s
        ok_now = p.present and p.in_frame and p.label == self.position
        self.in_position.update(ok_now if p.present else False, t_s, i)
        self.t_log.append(t_s)
        self.present_log.append(p.present)
        self.in_frame_log.append(p.in_frame)
        self.view_log.append(p.view)
        self.label_log.append(p.label)
        self.position_log.append(ok_now)

        step = self._step(i, t_s, p, ok_now)
        self._setup_cues(t_s, p, ok_now)
        cue = self.cues.pop(t_s)
        state = FrameState(
            frame=i,
            t_s=t_s,
            phase=step.phase,
            form=step.form,
            angles={k: v for k, v in step.angles.items() if math.isfinite(v)},
            cue=cue,
            reps=step.reps,
            hold_s=step.hold_s,
        )
        self.frames.append(state)
        self.events.extend(step.events)
        metrics = {k: float(v) for k, v in step.metrics.items() if math.isfinite(v)}
        return LiveUpdate(state, tuple(step.events), cue, metrics)

    def absent_for_s(self, t_s: float) -> float:
        """How long nobody has been seen, seconds (0 when a pose is present)."""
        return 0.0 if self._absent_since is None else t_s - self._absent_since

    def _setup_cues(self, t_s: float, p: Posture, ok_now: bool) -> None:
        if not p.present:
            if self.absent_for_s(t_s) >= self.th("position_min_s"):
                self.cues.offer("absent", cuetext.LIVE["absent"], 10, t_s)
            return
        if not p.in_frame:
            self.cues.offer("out_of_frame", cuetext.LIVE["out_of_frame"], 10, t_s)
        elif p.view != self.view_needed and not ok_now:
            self.cues.offer("view", cuetext.LIVE[f"view_{self.view_needed}"], 15, t_s)
        elif not ok_now and self.in_position.state is False:
            pending = self.in_position.pending_since_s
            if pending is None:
                self.cues.offer("setup", cuetext.LIVE[f"setup_{self.activity}"], 50, t_s)

    def patch(self, frame0: int, frame1: int, **changes: object) -> None:
        """Rewrite settled per-frame states for frames ``[frame0, frame1)``."""
        for k in range(max(frame0, 0), min(frame1, len(self.frames))):
            self.frames[k] = replace(self.frames[k], **changes)  # type: ignore[arg-type]

    def _step(self, i: int, t_s: float, p: Posture, ok_now: bool) -> Step:
        raise NotImplementedError

    # -- summary --------------------------------------------------------------------------
    def result(self) -> ActivityResult:
        """Everything found so far, as the batch analysis reports it."""
        res = ActivityResult(activity=self.activity, view=self._view())
        res.frames = list(self.frames)
        res.events = sorted(self.events, key=lambda e: (e.t_s, e.frame))
        res.notices = self.setup_notices()
        self._summary(res)
        return res

    def _summary(self, res: ActivityResult) -> None:
        raise NotImplementedError

    def _view(self) -> str:
        seen = [v for v in self.view_log if v != "unknown"]
        if not seen:
            return "unknown"
        return max(set(seen), key=seen.count)

    @property
    def single_frame(self) -> bool:
        return len(self.t_log) == 1

    def setup_notices(self) -> list[Notice]:
        """Wrong view, partly out of frame, not in position, leaving mid-set."""
        out: list[Notice] = []
        t = self.t_log
        if not t:
            return out
        min_s = self.th("position_min_s")
        present = self.present_log
        n_present = sum(present)
        if n_present == 0:
            return out
        name = cuetext.EXERCISE_NAME[self.activity]
        # camera view
        wrong_view = [
            p and v != self.view_needed for p, v in zip(present, self.view_log, strict=True)
        ]
        if sum(wrong_view) * 2 > n_present:
            out.append(
                Notice(
                    "wrong_view",
                    cuetext.NOTICE[f"wrong_view_{self.view_needed}"].format(name=name),
                    tuple(time_runs(wrong_view, t, min_s)),
                )
            )
        # partly out of frame
        out_frame = [p and not f for p, f in zip(present, self.in_frame_log, strict=True)]
        runs = time_runs(out_frame, t, min_s)
        if runs:
            out.append(Notice("out_of_frame", cuetext.NOTICE["out_of_frame"], tuple(runs)))
        # not in position
        usable = [p and f for p, f in zip(present, self.in_frame_log, strict=True)]
        if not any(self.position_log):
            labels = [lab for lab, u in zip(self.label_log, usable, strict=True) if u]
            seen = max(set(labels), key=labels.count) if labels else None
            extra = cuetext.POSTURE_SEEN.get(seen or "", "")
            out.append(
                Notice(
                    "not_in_position",
                    cuetext.NOTICE["never_in_position"]
                    .format(name=name, how=cuetext.POSITION_HOW[self.activity], seen=extra)
                    .strip(),
                    ((float(t[0]), float(t[-1])),),
                )
            )
        else:
            off = [u and not ok for u, ok in zip(usable, self.position_log, strict=True)]
            runs = time_runs(off, t, min_s)
            if runs:
                out.append(
                    Notice(
                        "not_in_position",
                        cuetext.NOTICE["not_in_position"].format(name=name),
                        tuple(runs),
                    )
                )
        # left the frame after being seen, and came back or not
        first = present.index(True)
        absent_mid = [(not p) and k > first for k, p in enumerate(present)]
        runs = time_runs(absent_mid, t, min_s)
        if runs:
            out.append(Notice("person_absent", cuetext.NOTICE["person_absent"], tuple(runs)))
        return out


def analyze_series(analyzer: ExerciseAnalyzer, series: PoseSeries) -> ActivityResult:
    """Feed every frame of ``series`` to ``analyzer`` (the live engine) and summarise.

    This is the whole batch path: the same per-frame code the webcam runs.
    """
    xyzv = series.xyzv
    t = series.t_s
    for k in range(series.n_frames):
        analyzer.update(xyzv[k], float(t[k]), series.width, series.height)
    res = analyzer.result()
    # the report keeps the per-frame states as columns (the engine's list goes with it)
    res.frames = FrameStates.from_states(res.frames)  # type: ignore[assignment]
    return res
