"""Bouncing in a static stretch: repeated quick swings of the stretched joint angle.

A causal detector fed one angle a frame (:meth:`BounceDetector.update`). It keeps
the angle's turning points with a hysteresis of ``min_deg`` (a zig-zag filter): a
turning point is confirmed once the angle has come back ``min_deg`` from it, so a
wobble smaller than that never makes one, and each swing between two turning points
is at least ``min_deg``. Bouncing is a run of at least ``min_swings`` swings in a
row, each lasting at most ``max_swing_s`` (half a period at the slowest bouncing
rate). A slow settle into the stretch is one long swing; breathing into it is slower
than the rate; pose jitter stays under the amplitude.

References
----------
Behm DG, Blazevich AJ, Kay AD, McHugh M (2016) Acute effects of muscle stretching
on physical performance, range of motion, and injury incidence in healthy active
individuals: a systematic review. Appl Physiol Nutr Metab 41:1-11 (ballistic
stretching: rhythmic bouncing at the end of the range of motion). The numbers are
in :mod:`formcheck.cues.thresholds_stretches`.
"""

from __future__ import annotations

import itertools
import math
import statistics
from dataclasses import dataclass


@dataclass(slots=True)
class BounceEpisode:
    """One bouncing stretch: seconds from clip start, its swings and their size.

    amplitude_deg : median swing, peak to peak, degrees.
    rate_hz : bounces per second (a bounce = two swings).
    """

    t0_s: float
    t1_s: float
    frame0: int
    frame1: int
    swings: int
    amplitude_deg: float
    rate_hz: float
    label: str = ""

    @property
    def duration_s(self) -> float:
        return self.t1_s - self.t0_s


class BounceDetector:
    """See the module docstring. ``update(angle_deg, t_s, frame)`` returns True on the
    frame a bouncing episode is first confirmed; :attr:`bouncing` says whether one is
    going on now; :attr:`episodes` holds them all (the open one last)."""

    def __init__(self, min_deg: float, max_swing_s: float, min_swings: int) -> None:
        self.min_deg = float(min_deg)
        self.max_swing_s = float(max_swing_s)
        self.min_swings = max(1, int(min_swings))
        self.episodes: list[BounceEpisode] = []
        self.reset()

    def reset(self, label: str = "") -> None:
        """Forget the angle's history (the position was left or changed side)."""
        self._dir = 0
        self._lo: tuple[float, float, int] | None = None
        self._hi: tuple[float, float, int] | None = None
        self._ext: tuple[float, float, int] | None = None
        self._turns: list[tuple[float, float, int]] = []  # (t_s, angle, frame)
        self._open = False
        self.label = label

    @property
    def bouncing(self) -> bool:
        return self._open

    def update(self, angle_deg: float, t_s: float, frame: int = -1) -> bool:
        """Feed one frame's stretched-joint angle (NaN: not measured, ignored)."""
        if not math.isfinite(angle_deg):
            return False
        x = float(angle_deg)
        a = self.min_deg
        new_turn: tuple[float, float, int] | None = None
        if self._dir == 0:
            if self._lo is None or x < self._lo[1]:
                self._lo = (t_s, x, frame)
            if self._hi is None or x > self._hi[1]:
                self._hi = (t_s, x, frame)
            if x - self._lo[1] >= a:
                self._dir, self._ext, new_turn = 1, (t_s, x, frame), self._lo
            elif self._hi[1] - x >= a:
                self._dir, self._ext, new_turn = -1, (t_s, x, frame), self._hi
        else:
            assert self._ext is not None
            if (x - self._ext[1]) * self._dir > 0:
                self._ext = (t_s, x, frame)
            elif (self._ext[1] - x) * self._dir >= a:
                new_turn = self._ext
                self._dir = -self._dir
                self._ext = (t_s, x, frame)
        started = False
        if new_turn is not None:
            started = self._add_turn(new_turn)
        elif self._open and self._turns and t_s - self._turns[-1][0] > self.max_swing_s:
            # the swing under way already lasts too long: the bouncing has stopped
            self._close()
        return started

    def _add_turn(self, turn: tuple[float, float, int]) -> bool:
        if self._turns and turn[0] - self._turns[-1][0] > self.max_swing_s:
            if self._open:
                self._close()
            self._turns = []
        self._turns.append(turn)
        swings = len(self._turns) - 1
        if swings < self.min_swings:
            return False
        ep = self._episode()
        if self._open:
            self.episodes[-1] = ep
            return False
        self.episodes.append(ep)
        self._open = True
        return True

    def _episode(self) -> BounceEpisode:
        tp = self._turns
        sizes = [abs(b[1] - a[1]) for a, b in itertools.pairwise(tp)]
        span = tp[-1][0] - tp[0][0]
        rate = (len(sizes) / 2.0) / span if span > 0 else math.nan
        return BounceEpisode(
            tp[0][0],
            tp[-1][0],
            tp[0][2],
            tp[-1][2],
            len(sizes),
            float(statistics.median(sizes)),
            rate,
            self.label,
        )

    def _close(self) -> None:
        self._open = False
        self._turns = self._turns[-1:]
