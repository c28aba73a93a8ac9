"""How many distinct people a frame's pose detections are (the crowd check).

The detector may return one person several times (at low confidence, with
misplaced hips); two detections are one person when they stand in the same place
or inside each other's outline.
"""

from __future__ import annotations

import numpy as np

from formcheck.pose.landmarks import Landmark

#: Two detections closer than this (hip midpoints, in torso lengths) are the
#: same person found twice, not two people.
SAME_PERSON_TORSOS = 0.5

#: Two detections whose landmark bounding boxes overlap by more than this
#: fraction of the smaller box are the same person (at low confidence the
#: detector returns one person several times with misplaced hips; two people
#: rarely stand inside each other's outline).
SAME_PERSON_OVERLAP = 0.3


def count_people(poses: list[np.ndarray]) -> int:
    """Distinct people among detections (each (33, 4) pixels).

    Two detections are the same person when their hip midpoints are closer than
    :data:`SAME_PERSON_TORSOS` torso lengths, or when their landmark bounding
    boxes overlap by more than :data:`SAME_PERSON_OVERLAP` of the smaller box.
    """
    kept: list[tuple[np.ndarray, float, np.ndarray]] = []
    for p in poses:
        hip = 0.5 * (p[Landmark.LEFT_HIP, :2] + p[Landmark.RIGHT_HIP, :2])
        sh = 0.5 * (p[Landmark.LEFT_SHOULDER, :2] + p[Landmark.RIGHT_SHOULDER, :2])
        torso = float(np.linalg.norm(sh - hip))
        xy = p[:, :2][np.all(np.isfinite(p[:, :2]), axis=1)]
        if not np.all(np.isfinite(hip)) or torso <= 0 or xy.shape[0] == 0:
            continue
        box = np.concatenate([xy.min(axis=0), xy.max(axis=0)])
        if all(
            np.linalg.norm(hip - c) > SAME_PERSON_TORSOS * max(t, torso)
            and _overlap(box, b) <= SAME_PERSON_OVERLAP
            for c, t, b in kept
        ):
            kept.append((hip, torso, box))
    return len(kept)


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection of two boxes (x0, y0, x1, y1) over the smaller box's area."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return float(iw * ih / max(smaller, 1e-9))
