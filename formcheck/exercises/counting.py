"""Counting a dynamic move's reps from one scalar signal, with hysteresis.

A counted warm-up move (a leg swing, a knee raise, a twist to one side) is an
*excursion*: a per-frame signal (an angle in degrees, or a distance in torso
lengths) leaves its resting range, goes past an ``out`` level, and comes back
past an ``in`` level. Between the two levels is a hysteresis band where the
current zone is kept, and each zone must last ``min_state_s`` before it counts
(:class:`Zone`: like :class:`~formcheck.exercises.timing.Debounce`, except that a
frame in the band does not cancel a pending change), so noise near a threshold never
counts twice and a one-frame spike never counts at all.

:class:`RepCounter` follows one signal (one side or one direction); the
analyzer of a move keeps one per side (:mod:`formcheck.exercises.moves`).
``out`` may lie above ``in`` (the signal rises to go out: a knee lifted) or
below it (it falls: a knee bent less). Times are the frames' own timestamps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Samples kept while resting in the hysteresis band (about 20 s at 30 fps).
MAX_REST = 600


#: Rounding allowance when comparing durations made of float timestamps (1 ns).
_EPS_S = 1e-9


class Zone:
    """The zone of a signal (``"in"`` or ``"out"``), changed only after the other zone
    has been seen for ``min_s`` seconds.

    Unlike :class:`~formcheck.exercises.timing.Debounce`, a frame inside the hysteresis
    band (candidate None) does not cancel a pending change: a raise that dips back
    into the band for a frame on its way up is still one raise; only the opposite
    zone cancels it. The change is dated from the first frame of the pending zone
    (``since_s`` / ``since_frame``); from no zone yet, from the first frame seen.
    """

    def __init__(self, min_s: float) -> None:
        self.min_s = float(min_s)
        self.state: str | None = None
        self.since_s: float | None = None
        self.since_frame: int | None = None
        self._pending: tuple[str, float, int] | None = None
        self._first: tuple[float, int] | None = None

    def update(self, cand: str | None, t_s: float, frame: int) -> bool:
        """Propose this frame's zone (None: in the band or unknown); True on a change."""
        if cand is None:
            return False
        if self._first is None and self.state is None:
            self._first = (t_s, frame)
        if cand == self.state:
            self._pending = None
            return False
        if self._pending is None or self._pending[0] != cand:
            self._pending = (cand, t_s, frame)
        if t_s - self._pending[1] >= self.min_s - _EPS_S:
            start = self._first if self.state is None and self._first else self._pending[1:]
            self.since_s, self.since_frame = start[0], int(start[1])
            self.state = cand
            self._pending = None
            return True
        return False

    def reset(self) -> None:
        self.state = self.since_s = self.since_frame = None
        self._pending = self._first = None


@dataclass(slots=True)
class Excursion:
    """One completed excursion of a signal: out past the ``out`` level and back in.

    t0_s, frame0 : the last frame inside the ``in`` zone before the signal left it
        (the rep's start); the first frame when nothing came before.
    t1_s, frame1 : the first frame back inside the ``in`` zone (the rep's end).
    t_peak_s, frame_peak, peak : the frame furthest out and its signal value.
    samples : (t_s, frame, signal) of every measured frame from start to end.
    """

    t0_s: float
    frame0: int
    t1_s: float
    frame1: int
    t_peak_s: float
    frame_peak: int
    peak: float
    samples: list[tuple[float, int, float]] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        """The rep's time, from leaving the resting range to coming back, seconds."""
        return self.t1_s - self.t0_s


class RepCounter:
    """Hysteresis excursion counter for one signal.

    Parameters
    ----------
    out_level, in_level : float
        The signal is *out* past ``out_level`` and *in* past ``in_level`` (on the
        resting side); between them it keeps its zone. ``out_level > in_level``:
        out means above; ``out_level < in_level``: out means below.
    min_state_s : float
        Each zone must last this long (seconds) before it counts.

    ``update(x, t_s, frame)`` takes this frame's signal (NaN: not measurable,
    which keeps the zone) and returns the :class:`Excursion` this frame completed,
    or None. ``reset()`` forgets a half-done excursion (the person left).
    """

    def __init__(self, out_level: float, in_level: float, min_state_s: float) -> None:
        if out_level == in_level:
            raise ValueError("out_level and in_level must differ (hysteresis)")
        self.out_level = float(out_level)
        self.in_level = float(in_level)
        self.rising = out_level > in_level
        self.zone = Zone(min_state_s)
        self._last_in: tuple[float, int] | None = None
        self._start: tuple[float, int] | None = None
        self._samples: list[tuple[float, int, float]] = []
        self.count = 0

    def _cand(self, x: float) -> str | None:
        if not math.isfinite(x):
            return None
        if self.rising:
            return "out" if x >= self.out_level else ("in" if x <= self.in_level else None)
        return "out" if x <= self.out_level else ("in" if x >= self.in_level else None)

    def _further(self, a: float, b: float) -> bool:
        """``a`` is further out than ``b``."""
        return a > b if self.rising else a < b

    @property
    def out(self) -> bool:
        """The signal is (confirmed) out now."""
        return self.zone.state == "out"

    def update(self, x: float, t_s: float, frame: int) -> Excursion | None:
        cand = self._cand(x)
        before = self.zone.state
        if math.isfinite(x):
            self._samples.append((t_s, frame, x))
        changed = self.zone.update(cand, t_s, frame)
        done: Excursion | None = None
        if changed and self.zone.state == "out":
            start = self._last_in
            if start is None:  # out from the first frame: starts at the first sample
                start = (
                    (self._samples[0][0], self._samples[0][1]) if self._samples else (t_s, frame)
                )
            self._start = start
            self._samples = [s for s in self._samples if s[0] >= start[0]]
        elif changed and before == "out" and self.zone.state == "in" and self._start is not None:
            t1 = self.zone.since_s if self.zone.since_s is not None else t_s
            f1 = self.zone.since_frame if self.zone.since_frame is not None else frame
            samples = [s for s in self._samples if s[0] <= t1]
            peak = samples[0]
            for s in samples:
                if self._further(s[2], peak[2]):
                    peak = s
            done = Excursion(
                self._start[0], self._start[1], t1, f1, peak[0], peak[1], peak[2], samples
            )
            self.count += 1
            self._start = None
            self._samples = [s for s in self._samples if s[0] >= t1]
        if cand == "in":
            self._last_in = (t_s, frame)
        if self.zone.state != "out" and self._start is None:
            # resting: keep the samples from the last frame in the resting range on
            # (the next excursion starts there), at most MAX_REST of them; the older
            # ones go when that frame moves (this one is in), not on every frame
            if cand == "in":
                self._samples = [s for s in self._samples if s[0] >= t_s]
            del self._samples[:-MAX_REST]
        return done

    def reset(self) -> None:
        """Forget the zone and any half-done excursion (the signal was lost)."""
        self.zone.reset()
        self._last_in = None
        self._start = None
        self._samples = []
