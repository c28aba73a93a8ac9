"""Scene cuts: where an edited clip jumps from one shot to the next.

Each frame gets a *change score* against the frame before: ``100 x (1 - r)``,
with ``r`` the correlation of the two frames' grey levels on a small copy (96 px
on the long side, well under a millisecond beside the pose model's 17 ms). The
correlation ignores the brightness and contrast of the whole picture, so a light
switched on, a camera's exposure step (the sun behind a moving person) or a
slow fade of the light do not look like a new picture; it drops when the picture
itself changes. A frame is a hard cut when its score stands out from its
neighbours: at least ``ratio`` times the highest score of the ``window`` frames
on each side (the sliding-window test of Yeo & Liu), and at least ``min_score``
in itself. A smooth pan, a zoom or a person moving raise the scores of many
frames in a row; a flash raises two (on and off); a cross-dissolve spreads the
change over its frames (0.35 s at 24 fps: 8 frames, each with about an eighth
of the jump and its neighbours as high): none of these is a hard cut. The values
(ratio, minimum score, window, shortest shot) are in the threshold table
(``formcheck.cues.thresholds``: ``cut_*``), with their sources.

Scoring runs per frame inside the pose pass (:class:`CutScorer`); deciding
(:func:`find_cuts`) runs once on the whole clip's scores, because the window
looks ahead and the pass runs in time segments on several threads.

References
----------
Yeo, B.-L. & Liu, B. 1995, "Rapid scene analysis on compressed video", IEEE
Trans. Circuits Syst. Video Technol. 5(6):533-544 (a cut is the largest
difference in a sliding window and n = 2-3 times the second largest).
Castellano, B. PySceneDetect, ``AdaptiveDetector`` (a frame's score against the
scores of 2 frames on each side; shortest scene 15 frames, 0.6 s on the
command line), documentation at scenedetect.com.
Manickam, Parnami & Chandran 2006, "Reducing false positives in video shot
detection using learning techniques", ICVGIP, LNCS 4338 (frame-to-frame
correlation, robust to illumination changes).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import cv2
import numpy as np

#: Long side (pixels) of the copy each frame is scored on. Cut detectors downscale
#: first (PySceneDetect to about 256 px wide by default); a cut changes the whole
#: picture, so 96 px keep it and drop sensor noise and compression grain.
THUMB_SIDE_PX = 96


def thumbnail(image: np.ndarray) -> np.ndarray:
    """A small grey copy of a BGR ``image`` (uint8, (h, w, 3)), as float32 (h', w')."""
    h, w = image.shape[:2]
    scale = THUMB_SIDE_PX / max(h, w, 1)
    small = image
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        # a nearest-pixel pick at twice the size, then averaged 2x2 (0.3 ms for
        # 1280x720; INTER_AREA over the whole frame takes about 100 times longer)
        twice = (2 * size[0], 2 * size[1])
        small = cv2.resize(image, twice, interpolation=cv2.INTER_NEAREST)
        small = cv2.resize(small, size, interpolation=cv2.INTER_AREA)
    if small.ndim == 3:
        small = cv2.cvtColor(np.ascontiguousarray(small), cv2.COLOR_BGR2GRAY)
    return small.astype(np.float32)


def change_score(a: np.ndarray, b: np.ndarray) -> float:
    """``100 x (1 - r)`` of two :func:`thumbnail` s (0: same picture up to brightness
    and contrast, 100: unrelated, 200: inverted); NaN when their shapes differ.
    A flat picture (no contrast) against another flat one scores 0, against one
    with contrast 100."""
    if a.shape != b.shape:
        return float("nan")
    x = a.ravel() - a.mean()
    y = b.ravel() - b.mean()
    nx, ny = float(np.sqrt(x @ x)), float(np.sqrt(y @ y))
    flat = 1e-3 * x.size  # grey levels: 0.001 per pixel is no contrast at all
    if nx < flat or ny < flat:
        return 0.0 if (nx < flat and ny < flat) else 100.0
    return float(100.0 * (1.0 - (x @ y) / (nx * ny)))


class CutScorer:
    """Change scores of each frame against the frame before and the one before that
    (NaN where there is none)."""

    def __init__(self) -> None:
        self._prev: np.ndarray | None = None
        self._prev2: np.ndarray | None = None

    def update(self, image: np.ndarray) -> tuple[float, float]:
        """``(change from the frame before, change from two frames before)``."""
        thumb = thumbnail(image)
        prev, prev2 = self._prev, self._prev2
        self._prev, self._prev2 = thumb, prev
        one = float("nan") if prev is None else change_score(prev, thumb)
        two = float("nan") if prev2 is None else change_score(prev2, thumb)
        return one, two


def find_cuts(
    t_s: Sequence[float] | np.ndarray,
    scores: Sequence[float] | np.ndarray,
    ratio: float,
    min_score: float,
    window: int,
    min_shot_s: float,
    scores2: Sequence[float] | np.ndarray | None = None,
) -> list[float]:
    """Times (seconds) of the first frame of each new shot.

    Parameters
    ----------
    t_s : (N,) frame times, increasing.
    scores : (N,) change score of each frame against the one before (NaN unknown).
    ratio : a cut's score is at least this many times the highest of its neighbours'.
    min_score : and at least this much in itself (see :func:`change_score`).
    window : neighbours taken on each side (frames).
    min_shot_s : a cut closer than this to the previous cut, or to the clip's
        start, is not taken (one flash or a one-frame glitch is not a shot).
    scores2 : (N,) change score of each frame against the one two before, or None.
        With it, a cut rendered through one blended frame (half of each shot: an
        editor's one-frame transition, or a frame decoded across the cut) is found
        too: neither frame of the pair changes the picture all at once, but the
        frames on either side of the blend are two pictures. It is held to the same
        test over the pair: its two-frame change stands ``ratio`` times above the
        one-frame changes around the pair. A flash comes back to the same picture
        (a low two-frame change) and a dissolve spreads over more frames (a
        two-frame change only twice its neighbours'), so neither passes.
        The new shot starts at the blended frame.
    """
    t = np.asarray(t_s, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    if t.shape != s.shape:
        raise ValueError("t_s and scores must have the same length")
    s2 = np.full_like(s, np.nan) if scores2 is None else np.asarray(scores2, np.float64)
    if s2.shape != s.shape:
        raise ValueError("scores2 must have one score per frame")
    n = s.size
    if n < 2:
        return []

    def stands_out(x: np.ndarray, i: int, span: int) -> bool:
        """``x[i]`` stands ``ratio`` above the scores of ``window`` frames on each side
        that do not share a frame with it (``span``: frames it covers, 1 or 2)."""
        near = np.concatenate(
            [x[max(0, i - span - window + 1) : i - span + 1], x[i + span : i + span + window]]
        )
        near = near[np.isfinite(near)]
        # one frame (or one blended pair) stands out: a flare, a flash (two spikes:
        # on and off) or a dissolve raises its neighbours' scores as well
        return not (near.size and x[i] < ratio * float(near.max()))

    one = {int(i) for i in np.flatnonzero(np.isfinite(s) & (s >= min_score)) if stands_out(s, i, 1)}
    starts = set(one)
    for i in np.flatnonzero(np.isfinite(s2) & (s2 >= min_score)):
        # frames i-1 (the blend) and i: taken only when neither is a cut on its own
        if i >= 1 and not ({int(i) - 1, int(i)} & one) and stands_out(s2, int(i), 2):
            starts.add(int(i) - 1)
    out: list[float] = []
    for i in sorted(starts):
        if t[i] - t[0] < min_shot_s or (out and t[i] - out[-1] < min_shot_s):
            continue
        out.append(float(t[i]))
    return out


def shot_ranges(
    start_s: float, end_s: float, cuts_s: Sequence[float]
) -> tuple[tuple[float, float], ...]:
    """The shots between ``start_s`` and ``end_s`` (seconds) split at ``cuts_s``."""
    edges = [start_s, *(c for c in cuts_s if start_s < c < end_s), end_s]
    return tuple((float(a), float(b)) for a, b in pairwise(edges))
