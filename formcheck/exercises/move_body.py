"""What a move spec's functions read (this frame's body, a finished excursion) and
a counted rep.

Part of :mod:`formcheck.exercises.moves` (which re-exports these names).
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from formcheck.exercises.counting import Excursion
from formcheck.exercises.posture import Posture
from formcheck.exercises.posture_geometry import Point
from formcheck.pose.landmarks import Landmark

Memory = dict[str, Any]

_EXTRA = {"heel": "HEEL", "foot": "FOOT_INDEX"}


@dataclass(frozen=True, slots=True)
class Body:
    """This frame's body, as a spec's functions read it.

    p : the posture (:mod:`formcheck.exercises.posture`); xy : (33, 2) smoothed
    landmarks in pixels (y down); vis : (33,) visibility; z : (33,) depth as given.
    """

    p: Posture
    xy: np.ndarray
    vis: np.ndarray
    z: np.ndarray | None = None

    def pt(self, lm: Landmark) -> Point:
        return (float(self.xy[lm, 0]), float(self.xy[lm, 1]))

    def part(self, side: str, part: str) -> Point:
        """A body part of a side: the posture's parts, plus ``"heel"`` and ``"foot"``."""
        if part in _EXTRA:
            return self.pt(Landmark[f"{side.upper()}_{_EXTRA[part]}"])
        return self.p.p(side, part)

    def depth(self, lm: Landmark) -> float:
        """The landmark's depth as the model gives it (smaller = nearer the camera, same
        scale as x), unsmoothed; NaN when not given."""
        return float(self.z[lm]) if self.z is not None else math.nan

    @property
    def torso(self) -> float:
        return self.p.torso_px


SignalFn = Callable[[Body, Memory], dict[str, float]]


@dataclass(frozen=True, slots=True)
class RepView:
    """A finished excursion with the spec's per-frame ``aux`` numbers over its frames."""

    key: str
    excursion: Excursion
    aux: dict[str, list[float]]

    def aux_max(self, name: str) -> float:
        xs = [x for x in self.aux.get(name, []) if math.isfinite(x)]
        return max(xs) if xs else math.nan

    def aux_min(self, name: str) -> float:
        xs = [x for x in self.aux.get(name, []) if math.isfinite(x)]
        return min(xs) if xs else math.nan


def peak_of(r: RepView) -> float:
    """The rep's signal at its furthest out (the default form value)."""
    return r.excursion.peak


def running_high(mem: Memory, key: str, x: float, keep: int = 300, q: float = 0.9) -> float:
    """The ``q`` quantile (nearest rank) of the last ``keep`` finite values of ``x`` under
    ``key`` in ``mem``: a move's neutral reference (e.g. the shoulders' width facing the
    camera: most frames of a set pass through neutral, noise spikes stay above ``q``).
    A sorted copy is kept beside the window, so a frame costs microseconds."""
    window, ranked = mem.setdefault(key, (deque(), []))
    if math.isfinite(x):
        window.append(x)
        bisect.insort(ranked, x)
        if len(window) > keep:
            del ranked[bisect.bisect_left(ranked, window.popleft())]
    if not ranked:
        return math.nan
    return float(ranked[round(q * (len(ranked) - 1))])


@dataclass(slots=True)
class MoveRep:
    """One counted rep: times in seconds from clip start, the signal in the spec's unit."""

    n: int
    side: str | None
    t0_s: float
    t1_s: float
    frame0: int
    frame1: int
    frame_peak: int
    peak: float
    rep_s: float
    form_value: float
    fault: str | None
    flung: bool

    @property
    def label(self) -> str:
        return self.fault or ("flung" if self.flung else "good")
