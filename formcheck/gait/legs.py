"""Left/right leg labels that survive MediaPipe swapping the two legs.

MediaPipe's pose model sometimes exchanges the left and right leg for a few
frames, most often in a side view where the far leg is partly hidden or the
legs cross (google-ai-edge/mediapipe#3496, #4969). A swap shows as both legs
jumping at once to where the other leg was and jumping back a few frames later.

:func:`swap_states` labels each frame "as given" or "swapped" with a
second-order Viterbi search: the cost of a labelling is how far each leg's
points land from where constant-velocity motion from the two previous frames
predicts, plus a small cost per swapped frame (MediaPipe's own labels are right
most of the time, so the whole-clip labelling stays MediaPipe's) and a cost per
switch (a swap must explain a real jump). Costs are in squared leg lengths, so
they do not depend on the image size; the prediction uses each frame's own
timestamp, so they do not depend on the frame rate either.
"""

from __future__ import annotations

import numpy as np

from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries

#: Landmarks of one leg that swap together, (left, right) pairs.
LEG_PAIRS: tuple[tuple[Landmark, Landmark], ...] = (
    (Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE),
    (Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE),
    (Landmark.LEFT_HEEL, Landmark.RIGHT_HEEL),
    (Landmark.LEFT_FOOT_INDEX, Landmark.RIGHT_FOOT_INDEX),
)

#: Cost of keeping one frame in the swapped state, squared leg lengths. MediaPipe's
#: swaps last a few frames; a long stretch must be paid for by real jumps.
SWAP_FRAME_COST = 0.02
#: Cost of changing state (entering or leaving a swap), squared leg lengths.
SWITCH_COST = 0.5
#: Cap on one point's squared prediction error (0.25 leg lengths squared): a
#: one-frame glitch of a single point cannot outweigh the whole legs' motion.
POINT_COST_CAP = 0.25**2
#: Points of the two legs closer than this (leg lengths) carry no label
#: information (the model drew one leg on the other) and are left out.
MERGED_LEGLEN = 0.06


def _leg_points(series: PoseSeries, leg_px: float) -> tuple[np.ndarray, np.ndarray]:
    """(frames, 4, 2) arrays of the left and right leg points in leg lengths."""
    left = np.stack([series.xy(a) for a, _ in LEG_PAIRS], axis=1) / leg_px
    right = np.stack([series.xy(b) for _, b in LEG_PAIRS], axis=1) / leg_px
    return left.astype(np.float64), right.astype(np.float64)


def swap_states(series: PoseSeries, leg_px: float) -> np.ndarray:
    """bool (frames,): True where the leg labels should be exchanged.

    Parameters
    ----------
    series : PoseSeries
        Raw or cleaned landmarks; frames with no pose keep their label.
    leg_px : float
        Leg length in pixels (the unit of the costs). NaN or <= 0 returns all False.
    """
    n = series.n_frames
    out = np.zeros(n, bool)
    if n < 3 or not np.isfinite(leg_px) or leg_px <= 0:
        return out
    left, right = _leg_points(series, leg_px)
    merged = np.linalg.norm(left - right, axis=-1) < MERGED_LEGLEN
    left[merged] = np.nan
    right[merged] = np.nan
    t = series.t_s
    # labelled points under state s: s=0 as given, s=1 swapped -> (frames, 2, legs=2, 4, 2)
    as_given = np.stack([left, right], axis=1)
    swapped = as_given[:, ::-1]
    lab = np.stack([as_given, swapped], axis=1)  # (n, state, leg, point, xy)
    dt = np.diff(t)
    ratio = np.ones(n)
    ratio[2:] = np.clip(dt[1:] / np.maximum(dt[:-1], 1e-9), 0.0, 3.0)
    cost = np.zeros((n, 2, 2, 2))  # (t, a=state t-2, b=state t-1, c=state t)
    for a in (0, 1):
        for b in (0, 1):
            prev1 = lab[1:-1, b]
            pred = prev1 + (prev1 - lab[:-2, a]) * ratio[2:, None, None, None]
            for c in (0, 1):
                d = lab[2:, c] - pred
                sq = np.minimum(np.sum(d * d, axis=-1), POINT_COST_CAP)  # per point
                cost[2:, a, b, c] = np.nansum(sq.reshape(n - 2, -1), axis=1)
    # dynamic programme over pair states (b, c)
    big = 1e18
    acc = np.full((n, 2, 2), big)  # acc[i, b, c]: best cost with state(i-1)=b, state(i)=c
    back = np.zeros((n, 2, 2), np.int8)
    for b in (0, 1):
        for c in (0, 1):
            acc[1, b, c] = SWAP_FRAME_COST * (b + c) + SWITCH_COST * (b != c)
    cl = cost.tolist()
    acc_l = acc.tolist()
    back_l = back.tolist()
    for i in range(2, n):
        ci, prev = cl[i], acc_l[i - 1]
        for b in (0, 1):
            for c in (0, 1):
                extra = SWAP_FRAME_COST * c + SWITCH_COST * (b != c)
                c0 = prev[0][b] + ci[0][b][c]
                c1 = prev[1][b] + ci[1][b][c]
                if c1 < c0:
                    acc_l[i][b][c], back_l[i][b][c] = c1 + extra, 1
                else:
                    acc_l[i][b][c], back_l[i][b][c] = c0 + extra, 0
    acc = np.asarray(acc_l)
    back = np.asarray(back_l, np.int8)
    b, c = np.unravel_index(int(np.argmin(acc[n - 1])), (2, 2))
    states = np.zeros(n, np.int8)
    states[n - 1], states[n - 2] = c, b
    for i in range(n - 1, 1, -1):
        a = back[i, states[i - 1], states[i]]
        states[i - 2] = a
    out[:] = states.astype(bool)
    return out


def apply_swaps(series: PoseSeries, swapped: np.ndarray) -> PoseSeries:
    """A new series with the leg landmarks (and hips) exchanged where ``swapped``."""
    if not np.any(swapped):
        return series
    xyzv = series.xyzv.copy()
    world = series.world.copy()
    pairs = ((Landmark.LEFT_HIP, Landmark.RIGHT_HIP), *LEG_PAIRS)
    for a, b in pairs:
        for arr in (xyzv, world):
            tmp = arr[swapped, a].copy()
            arr[swapped, a] = arr[swapped, b]
            arr[swapped, b] = tmp
    return PoseSeries(xyzv, series.t_s, series.width, series.height, world, series.frame_index)


def hide_copied_far_foot(
    series: PoseSeries, near_side: str, leg_px: float, tol_leglen: float
) -> tuple[PoseSeries, np.ndarray]:
    """Blank the far leg where the pose model copied it onto the near leg.

    When the far leg is hidden (behind the near leg, a treadmill console, or
    blurred in a fast swing) MediaPipe often draws it on top of the near leg.
    The two feet then share heel, ankle and toe to within ``tol_leglen`` leg
    lengths, which real feet never do in running (when they pass each other
    one is in swing, well above the other). Those frames' far knee, ankle,
    heel and toe become NaN, so no contact is read from a copy.

    Returns the new series and the bool (frames,) mask of blanked frames.
    """
    far = "RIGHT" if near_side == "left" else "LEFT"
    near = near_side.upper()
    parts = ("ANKLE", "HEEL", "FOOT_INDEX")
    d = np.mean(
        [
            np.linalg.norm(
                series.xy(Landmark[f"{near}_{p}"]) - series.xy(Landmark[f"{far}_{p}"]), axis=1
            )
            for p in parts
        ],
        axis=0,
    )
    copied = np.isfinite(d) & (d < tol_leglen * leg_px)
    if not copied.any():
        return series, copied
    xyzv = series.xyzv.copy()
    for p in ("KNEE", *parts):
        xyzv[copied, Landmark[f"{far}_{p}"]] = np.nan
    out = PoseSeries(
        xyzv, series.t_s, series.width, series.height, series.world, series.frame_index
    )
    return out, copied
