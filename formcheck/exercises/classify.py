"""Recognise the activity a clip shows from the posture (``--activity auto``).

Every frame with a pose gets a posture label (:mod:`formcheck.exercises.posture`):
lying on the back with knees bent (glute bridge), face down propped on forearms
or hands with a straight body (plank), side-lying propped with the shoulders
stacked (side plank), on all fours (bird dog), or upright. An exercise posture
seen in at least ``classify_min_frac`` of the frames with a pose names the clip
(the most frequent one wins), so walking in and out around a set does not hide
it; otherwise an upright, moving person is taken as running. The user can always
override the choice (``--activity``).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from formcheck.cues import words_exercises as words
from formcheck.cues.thresholds import value
from formcheck.exercises.posture import PostureLimits, measure
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries

#: posture label -> activity
POSTURE_ACTIVITY: dict[str, str] = {
    "supine_knees_bent": "glute-bridge",
    "prone_straight": "plank",
    "side_lying": "side-plank",
    "all_fours": "bird-dog",
}

#: At most this many frames are labelled (evenly spread) so long clips stay quick.
MAX_FRAMES = 3000


def posture_labels(series: PoseSeries, overrides: dict[str, float] | None = None) -> list[str]:
    """Posture label of each frame (``"absent"`` without a pose); see ``posture``."""
    lim = PostureLimits.from_thresholds(overrides)
    out = []
    for k in range(series.n_frames):
        xyzv = series.xyzv[k]
        out.append(
            measure(
                xyzv[:, :2].astype(np.float64),
                xyzv[:, 3].astype(np.float64),
                series.width,
                series.height,
                lim,
            ).label
        )
    return out


def subsample(series: PoseSeries) -> PoseSeries:
    """At most :data:`MAX_FRAMES` frames of ``series``, evenly spread (timestamps kept)."""
    step = max(1, series.n_frames // MAX_FRAMES)
    return series.take(slice(0, series.n_frames, step)) if step > 1 else series


def classify_activity(
    series: PoseSeries, overrides: dict[str, float] | None = None
) -> tuple[str, str, float]:
    """The activity a clip shows, why in words, and the share of posed frames behind it.

    Returns
    -------
    (activity, reason, share) : activity is one of "glute-bridge", "plank",
        "side-plank", "bird-dog" or "run"; share in [0, 1] (0 without a pose).
    """
    sub = subsample(series)
    labels = [lab for lab in posture_labels(sub, overrides) if lab != "absent"]
    if not labels:
        return "run", words.RECOGNISED_NO_POSE, 0.0
    counts = Counter(labels)
    n = len(labels)
    min_frac = value("classify_min_frac", overrides)
    exercise = [(c, lab) for lab, c in counts.items() if lab in POSTURE_ACTIVITY]
    if exercise:
        c, lab = max(exercise)
        if c / n >= min_frac:
            return POSTURE_ACTIVITY[lab], words.recognised_posture(lab, c / n), c / n
    upright = counts.get("upright", 0) / n
    moving = _hip_travel_torso(sub)
    if upright >= 0.5:
        return "run", words.recognised_upright(upright, moving), upright
    if exercise:
        c, lab = max(exercise)
        return POSTURE_ACTIVITY[lab], words.recognised_closest(lab, c / n), c / n
    common = counts.most_common(1)[0][0]
    return "run", words.recognised_none(common), 0.0


def _hip_travel_torso(series: PoseSeries) -> float | None:
    """Median speed of the hip midpoint, in torso lengths per second (None if unknown)."""
    if series.n_frames < 3:
        return None
    hip = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    sh = series.midpoint(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    torso = np.nanmedian(np.linalg.norm(sh - hip, axis=1))
    if not np.isfinite(torso) or torso <= 0:
        return None
    speed = np.linalg.norm(np.diff(hip, axis=0), axis=1) / np.diff(series.t_s) / torso
    speed = speed[np.isfinite(speed)]
    return float(np.median(speed)) if speed.size else None
