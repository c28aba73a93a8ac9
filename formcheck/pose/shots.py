"""The shots of an edited clip: scene cuts found from the pose pass's change scores.

The pose pass scores how much the whole picture changed at every frame
(``CaptureLog.cut_scores``, :mod:`formcheck.video.cuts`); here those scores are
judged against the threshold table (``cut_*`` in :mod:`formcheck.cues.thresholds`,
with their sources) into the times where a new shot starts.
"""

from __future__ import annotations

import numpy as np

from formcheck.cues.thresholds import value
from formcheck.pose.identity import REJOIN_WINDOW_S
from formcheck.pose.series import PoseSeries
from formcheck.video.cuts import find_cuts, shot_ranges

#: Seconds after a cut whose landmarks are left out: MediaPipe's re-found pose
#: takes a few frames to settle, the same time the identity check gives it after
#: a miss (:data:`formcheck.pose.identity.REJOIN_WINDOW_S`).
SETTLE_S = REJOIN_WINDOW_S


def shot_cuts(
    cut_scores: list[tuple[float, float, float]], overrides: dict[str, float] | None = None
) -> tuple[float, ...]:
    """Times (seconds) of the first frame of each new shot; empty for one shot.

    ``cut_scores``: (t_s, change from the frame before, change from two before).
    """
    if len(cut_scores) < 2:
        return ()
    arr = np.asarray(cut_scores, dtype=np.float64)
    return tuple(
        find_cuts(
            arr[:, 0],
            arr[:, 1],
            ratio=value("cut_ratio", overrides),
            min_score=value("cut_min_change", overrides),
            window=int(value("cut_window_frames", overrides)),
            min_shot_s=value("cut_min_shot_s", overrides),
            scores2=arr[:, 2],
        )
    )


def shots(
    start_s: float, end_s: float, cuts_s: tuple[float, ...]
) -> tuple[tuple[float, float], ...]:
    """The shots (start, end) in seconds of a clip from ``start_s`` to ``end_s``."""
    return shot_ranges(start_s, end_s, cuts_s)


def settle_after_cuts(series: PoseSeries, cuts_s: tuple[float, ...]) -> PoseSeries:
    """``series`` with no pose in the first :data:`SETTLE_S` of each new shot.

    MediaPipe's landmark smoothing carries the last shot's pose into the next for
    a few frames (the bridge cut to a close-up: torso 224 px before the cut, then
    282, 305, 321, 329 px over 0.17 s, settling at about 345 px), so those frames
    mix two pictures. Left out, they make the cut a gap: nothing is interpolated
    or smoothed across it (longer than the gap filler's 0.2 s) and no rep or hold
    runs through a pose that never was. The cuts go with the series
    (:attr:`PoseSeries.cuts_s`): a hold or a half-done rep ends at a cut, however
    short the gap, because the next shot's time is not the last one's.
    """
    if not cuts_s or series.n_frames == 0:
        return series
    t = series.t_s
    blank = np.zeros(series.n_frames, bool)
    for c in cuts_s:
        blank |= (t >= c) & (t < c + SETTLE_S)
    xyzv, world = series.xyzv.copy(), series.world.copy()
    xyzv[blank] = np.nan
    world[blank] = np.nan
    return PoseSeries(
        xyzv, t, series.width, series.height, world, series.frame_index, tuple(cuts_s)
    )
