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


#: Frames whose costs are computed (and handed to the dynamic programme as Python
#: lists) at a time: the work arrays and lists take about 2.5 KB per frame, so a
#: 10-minute clip is done in slices of about 1 MB rather than all at once (same
#: numbers).
CHUNK_FRAMES = 512


def _leg_points(series: PoseSeries, leg_px: float, a: int, b: int) -> np.ndarray:
    """Labelled leg points of frames ``a:b`` in leg lengths, float (b-a, state, leg, 4, 2).

    State 0 is as given (leg 0 left, leg 1 right), state 1 swapped; points of the
    two legs closer than :data:`MERGED_LEGLEN` are NaN (no label information).
    """
    xy = series.xyzv[a:b, :, :2]
    left = np.stack([xy[:, int(p)] for p, _ in LEG_PAIRS], axis=1) / leg_px
    right = np.stack([xy[:, int(q)] for _, q in LEG_PAIRS], axis=1) / leg_px
    left, right = left.astype(np.float64), right.astype(np.float64)
    merged = np.linalg.norm(left - right, axis=-1) < MERGED_LEGLEN
    left[merged] = np.nan
    right[merged] = np.nan
    as_given = np.stack([left, right], axis=1)
    return np.stack([as_given, as_given[:, ::-1]], axis=1)


def _costs(lab: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    """Prediction costs (frames, a=state t-2, b=state t-1, c=state t) of the frames
    from the third row of ``lab`` on; ``ratio`` holds their interval ratios."""
    m = lab.shape[0] - 2
    cost = np.zeros((m, 2, 2, 2))
    for a in (0, 1):
        for b in (0, 1):
            prev1 = lab[1:-1, b]
            pred = prev1 + (prev1 - lab[:-2, a]) * ratio[:, None, None, None]
            for c in (0, 1):
                d = lab[2:, c] - pred
                sq = np.minimum(np.sum(d * d, axis=-1), POINT_COST_CAP)  # per point
                cost[:, a, b, c] = np.nansum(sq.reshape(m, -1), axis=1)
    return cost


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
    t = series.t_s
    dt = np.diff(t)
    ratio = np.ones(n)
    ratio[2:] = np.clip(dt[1:] / np.maximum(dt[:-1], 1e-9), 0.0, 3.0)
    # dynamic programme over pair states (b, c): prev[b][c] is the best cost with
    # state(i-1)=b, state(i)=c; back[i, b, c] the best state(i-2)
    prev = [[SWAP_FRAME_COST * (b + c) + SWITCH_COST * (b != c) for c in (0, 1)] for b in (0, 1)]
    back = np.zeros((n, 2, 2), np.int8)
    for lo in range(2, n, CHUNK_FRAMES):
        hi = min(lo + CHUNK_FRAMES, n)
        cl = _costs(_leg_points(series, leg_px, lo - 2, hi), ratio[lo:hi]).tolist()
        back_l = []
        for ci in cl:
            acc_i = [[0.0, 0.0], [0.0, 0.0]]
            back_i = [[0, 0], [0, 0]]
            for b in (0, 1):
                for c in (0, 1):
                    extra = SWAP_FRAME_COST * c + SWITCH_COST * (b != c)
                    c0 = prev[0][b] + ci[0][b][c]
                    c1 = prev[1][b] + ci[1][b][c]
                    if c1 < c0:
                        acc_i[b][c], back_i[b][c] = c1 + extra, 1
                    else:
                        acc_i[b][c], back_i[b][c] = c0 + extra, 0
            prev = acc_i
            back_l.append(back_i)
        back[lo:hi] = np.asarray(back_l, np.int8)
    b, c = np.unravel_index(int(np.argmin(np.asarray(prev))), (2, 2))
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
    # world landmarks are copied only when the swapped frames have some (swapping
    # NaN with NaN changes nothing)
    has_world = bool(np.isfinite(series.world[swapped]).any())
    world = series.world.copy() if has_world else series.world
    pairs = ((Landmark.LEFT_HIP, Landmark.RIGHT_HIP), *LEG_PAIRS)
    for a, b in pairs:
        for arr in (xyzv, world) if has_world else (xyzv,):
            tmp = arr[swapped, a].copy()
            arr[swapped, a] = arr[swapped, b]
            arr[swapped, b] = tmp
    return PoseSeries(xyzv, series.t_s, series.width, series.height, world, series.frame_index)


def hide_copied_far_foot(
    series: PoseSeries, near_side: str, leg_px: float, tol_leglen: float, *, copy: bool = True
) -> tuple[PoseSeries, np.ndarray]:
    """Blank the far leg where the pose model copied it onto the near leg.

    When the far leg is hidden (behind the near leg, a treadmill console, or
    blurred in a fast swing) MediaPipe often draws it on top of the near leg.
    The two feet then share heel, ankle and toe to within ``tol_leglen`` leg
    lengths, which real feet never do in running (when they pass each other
    one is in swing, well above the other). Those frames' far knee, ankle,
    heel and toe become NaN, so no contact is read from a copy.

    Returns the new series and the bool (frames,) mask of blanked frames.
    ``copy=False`` blanks them in ``series.xyzv`` itself (for a series no one
    else holds, e.g. one just smoothed: saves a copy of the landmarks).
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
    xyzv = series.xyzv.copy() if copy else series.xyzv
    for p in ("KNEE", *parts):
        xyzv[copied, Landmark[f"{far}_{p}"]] = np.nan
    out = PoseSeries(
        xyzv, series.t_s, series.width, series.height, series.world, series.frame_index
    )
    return out, copied
