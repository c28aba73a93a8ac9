"""Time-based building blocks of the exercise engine (seconds from the frames' own
timestamps, never frame counts):

* :class:`Debounce` - a state that changes only after a new value persisted a
  minimum time; thresholds with a gap between "enter" and "leave" (hysteresis)
  feed it, so noise at a threshold neither flickers nor double-counts.
* :class:`HoldClock` - hold timing: starts after the body has been in position
  for a minimum time (dated from when it got there), pauses when it breaks for a
  minimum time (dated from when it broke), keeps total and longest hold.
* :class:`CueLimiter` - speech rate limit: one message at a time, a minimum gap
  between messages, the same message not repeated within ``cue_repeat_s``, and
  the most important waiting message first.
* :func:`time_runs` - the time ranges where a per-frame flag held long enough.

The engine that drives them is :mod:`formcheck.exercises.engine`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

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
        self._frame_s = 0.0  # the last frame interval seen (s)
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
        if self._last is not None and t_s > self._last[0]:
            self._frame_s = t_s - self._last[0]
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

    def redate_start(self, t_s: float, frame: int) -> None:
        """Date the hold just started later, to ``t_s`` (``frame``): its first frames
        were only getting into the position (see the plank's lift)."""
        if self.holding and self._start is not None and t_s >= self._start[0]:
            self._start = (t_s, frame)

    def cut(self, t_s: float, frame: int) -> list[tuple[str, float, int]]:
        """An edit's cut at ``t_s`` (``frame``: the new shot's first frame).

        The hold in progress ends at the cut (at its first bad frame when it was
        already breaking), and a hold about to start starts afresh: the next shot's
        time is not the last one's. Returns the "hold_break" it confirmed, if any.
        """
        out: list[tuple[str, float, int]] = []
        if self.holding:
            out.append(self._close(*(self._cand or (t_s, frame))))
        self._cand = None
        return out

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
        """Finished holds plus the one in progress: closed at its first bad frame when
        it was breaking, else at the end of the last frame seen (its time plus one frame
        interval: a frame shows the position for that long, as every frame of a closed
        hold does up to the bad frame that ends it)."""
        segs = list(self.segments)
        if self.holding and self._start is not None and self._last is not None:
            if self._cand is not None:
                end_s, end_f = self._cand
            else:
                end_s, end_f = self._last[0] + self._frame_s, self._last[1]
            segs.append(HoldSegment(self._start[0], end_s, self._start[1], end_f, self.label))
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
