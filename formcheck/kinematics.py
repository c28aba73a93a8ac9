"""Angles, segment tilts and lengths from landmark arrays. Pure NumPy.

Conventions: points are pixel coordinates of the upright frame, shape
(frames, 2), **image y grows downward**. Angles are in degrees. A NaN input
gives a NaN output; nothing raises on missing data.

* A *joint angle* a-b-c is the unsigned angle at b in [0, 180]; 180 is straight.
* A *segment tilt from vertical* is signed: positive when the segment's upper
  end is displaced in the direction the person faces (``facing`` = +1 when they
  face image-right, -1 image-left). Trunk lean forward is therefore positive.

References
----------
Sports2D/Pose2Sim angle conventions (joint vs segment angles); Winter DA (2009)
Biomechanics and Motor Control of Human Movement, 4th ed., anthropometry table.
"""

from __future__ import annotations

import numpy as np

from formcheck.cues import thresholds as th
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries


def joint_angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Angle a-b-c at vertex b, in degrees, per frame.

    a, b, c : shape (frames, 2) (or (2,)), pixels. Returns shape (frames,) in
    [0, 180]; NaN where a point is missing or a segment has zero length.
    """
    u, w = np.asarray(a, float) - b, np.asarray(c, float) - b
    norms = np.linalg.norm(u, axis=-1) * np.linalg.norm(w, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(u * w, axis=-1) / norms
    cos = np.where(norms > 0, cos, np.nan)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def tilt_from_vertical_deg(lower: np.ndarray, upper: np.ndarray, facing: float = 1.0) -> np.ndarray:
    """Signed tilt of the segment lower->upper from vertical, in degrees.

    lower, upper : shape (frames, 2), pixels, y down. ``facing`` is +1 when the
    person faces image-right, -1 image-left (may be an array of shape (frames,)).
    Positive = the upper end is ahead (forward lean); range (-180, 180].
    """
    d = np.asarray(upper, float) - np.asarray(lower, float)
    return np.degrees(np.arctan2(d[..., 0] * facing, -d[..., 1]))


def signed_line_deviation_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """How far b bends the line a-c, signed, in degrees (0 = a, b, c in line).

    Positive when b lies *below* the straight line a-c in the image (y down),
    e.g. sagging hips in a plank; negative when above (piked hips). Magnitude is
    ``180 - joint_angle_deg(a, b, c)``.
    """
    bend = 180.0 - joint_angle_deg(a, b, c)
    a, b, c = (np.asarray(p, float) for p in (a, b, c))
    ac = c - a
    ab = b - a
    cross = ac[..., 0] * ab[..., 1] - ac[..., 1] * ab[..., 0]
    # y points down: with a to the left of c, b below the line gives cross > 0
    side = np.sign(cross) * np.sign(ac[..., 0] + 1e-12)
    return bend * np.where(side == 0, 1.0, side)


def segment_length(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance per frame, shape (frames,), in the input's units."""
    return np.linalg.norm(np.asarray(b, float) - np.asarray(a, float), axis=-1)


def leg_length_px(series: PoseSeries) -> float:
    """Hip-knee-ankle length in pixels at the body's mid-plane (NaN if no leg is seen).

    The sum of thigh and shank is used (not hip-to-ankle distance) so that knee
    bend does not shorten it; each leg's is its median over frames. In a side view
    the near leg is nearer the camera and looks longer than the far one; lengths
    relative to the hip midpoint (overstride, bounce) need the scale of the
    mid-plane, which is the mean of the two legs when both are clearly seen and agree
    (thresholds ``clear_visibility`` and ``leg_pair_max_difference``); otherwise the
    better-seen leg's length.
    """
    legs: list[tuple[float, float]] = []  # (visibility, length)
    for hip, knee, ankle in (
        (Landmark.LEFT_HIP, Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE),
        (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE),
    ):
        length = segment_length(series.xy(hip), series.xy(knee)) + segment_length(
            series.xy(knee), series.xy(ankle)
        )
        vis_k = series.visibility(knee)
        seen = np.isfinite(vis_k)
        if not seen.any() or not np.isfinite(length).any():
            continue
        legs.append((float(np.mean(vis_k[seen])), float(np.median(length[np.isfinite(length)]))))
    if not legs:
        return float("nan")
    if len(legs) == 2:
        (va, la), (vb, lb) = legs
        both_seen = min(va, vb) >= th.value("clear_visibility")
        if both_seen and abs(la - lb) <= th.value("leg_pair_max_difference") * max(la, lb):
            return 0.5 * (la + lb)
    return max(legs, key=lambda v: v[0])[1]


def facing_sign(series: PoseSeries) -> np.ndarray:
    """Per-frame facing in a side view: +1 image-right, -1 image-left, NaN unknown.

    Taken from the nose relative to the ear midpoint (the face points forward).
    """
    nose = series.xy(Landmark.NOSE)[:, 0]
    ears = series.midpoint(Landmark.LEFT_EAR, Landmark.RIGHT_EAR)[:, 0]
    d = nose - ears
    return np.where(np.isfinite(d), np.sign(d), np.nan)
