"""Which way the camera sees the runner: side-left, side-right, front or rear.

Side or not comes from the upper body, which is in frame even when the feet
are not: the shoulders' horizontal separation over the torso length. Seen
exactly from the front, the shoulders (biacromial breadth 0.259 H) are about
0.9 torso lengths (0.288 H) apart (Winter 2009, Table 4.1); exactly from the
side they overlap. A camera turned ``a`` degrees from the side sees about
``0.9 sin a`` torso lengths, so a view is called "side" when the median is at
most ``0.9 sin(view_side_max_oblique_deg)``.

Facing (side views): the nose ahead of the ears, and the toes ahead of the
heels, voted frame by frame. "side-left" means the runner faces image-left.

Front or rear: MediaPipe labels the person's left; seen from the front their
left shoulder is on the image's right, and the nose is nearer the camera than
the shoulders (smaller z). Both cues are voted.

References
----------
Winter DA (2009) Biomechanics and Motor Control of Human Movement, 4th ed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.cues import thresholds as th
from formcheck.cues import words_running_notes as words
from formcheck.gait._nan import nanmean
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries

VIEWS = ("side-left", "side-right", "front", "rear")

#: Shoulder breadth over torso length seen square-on (Winter 2009: 0.259 H / 0.288 H).
SHOULDER_PER_TORSO = 0.259 / 0.288


@dataclass(frozen=True, slots=True)
class ViewResult:
    """The camera view of a running clip.

    view : one of :data:`VIEWS` (or "unknown" with no usable frame).
    facing : +1 the runner faces image-right, -1 image-left (side views); 0 otherwise.
    side_fraction : share of frames that look like a side view.
    width_ratio : median shoulder separation over torso length.
    overridden : the user set the view (Settings.view).
    reason : one sentence saying why.
    """

    view: str
    facing: int
    side_fraction: float
    width_ratio: float
    overridden: bool
    reason: str

    @property
    def is_side(self) -> bool:
        return self.view.startswith("side")

    @property
    def near_side(self) -> str | None:
        """The leg nearer the camera in a side view: facing image-left shows the left side."""
        if not self.is_side:
            return None
        return "left" if self.facing < 0 else "right"


def _frame_ratio(series: PoseSeries) -> np.ndarray:
    sh = series.midpoint(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    hip = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    torso = np.linalg.norm(sh - hip, axis=1)
    dx = np.abs(series.xy(Landmark.LEFT_SHOULDER)[:, 0] - series.xy(Landmark.RIGHT_SHOULDER)[:, 0])
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(torso > 0, dx / torso, np.nan)


def facing_votes(series: PoseSeries) -> np.ndarray:
    """float (frames,): +1 facing image-right, -1 image-left, NaN undecided.

    Nose ahead of the ear midpoint, plus toes ahead of heels of both feet
    (weighted by visibility); the sign of the sum.
    """
    nose = series.xy(Landmark.NOSE)[:, 0]
    ears = series.midpoint(Landmark.LEFT_EAR, Landmark.RIGHT_EAR)[:, 0]
    votes = np.nan_to_num(np.sign(nose - ears)) * 2.0
    for heel, toe in (
        (Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX),
        (Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX),
    ):
        d = series.xy(toe)[:, 0] - series.xy(heel)[:, 0]
        w = np.nan_to_num(series.visibility(toe))
        votes = votes + np.nan_to_num(np.sign(d)) * w
    out = np.sign(votes)
    return np.where(out == 0, np.nan, out)


def detect_view(series: PoseSeries, override: str | None = None) -> ViewResult:
    """Detect the camera view from the landmarks; ``override`` (Settings.view) wins.

    Frames without a pose are ignored. With an override of "side-left" or
    "side-right" the facing follows the override.
    """
    ratio = _frame_ratio(series)
    ok = np.isfinite(ratio)
    max_ratio = SHOULDER_PER_TORSO * np.sin(np.radians(th.value("view_side_max_oblique_deg")))
    side = ratio[ok] <= max_ratio
    side_fraction = float(side.mean()) if ok.any() else float("nan")
    width_ratio = float(np.median(ratio[ok])) if ok.any() else float("nan")
    facing_f = facing_votes(series)
    fv = facing_f[np.isfinite(facing_f)]
    facing = int(np.sign(fv.sum())) if fv.size and fv.sum() != 0 else 1
    if override:
        if override not in VIEWS:
            raise ValueError(f"unknown view {override!r}; choose from {', '.join(VIEWS)}")
        f = -1 if override == "side-left" else (1 if override == "side-right" else 0)
        return ViewResult(
            override, f, side_fraction, width_ratio, True, words.view_set_by_user(override)
        )
    if not ok.any():
        return ViewResult("unknown", 0, float("nan"), float("nan"), False, words.REASON_NO_BODY)
    if width_ratio <= max_ratio:
        view = "side-left" if facing < 0 else "side-right"
        reason = words.view_side(width_ratio, facing < 0)
        return ViewResult(view, facing, side_fraction, width_ratio, False, reason)
    lx = series.xy(Landmark.LEFT_SHOULDER)[:, 0] - series.xy(Landmark.RIGHT_SHOULDER)[:, 0]
    zn = series.xyzv[:, Landmark.NOSE, 2] - 0.5 * (
        series.xyzv[:, Landmark.LEFT_SHOULDER, 2] + series.xyzv[:, Landmark.RIGHT_SHOULDER, 2]
    )
    score = nanmean(np.sign(lx)) + nanmean(np.sign(-zn))
    view = "front" if not np.isfinite(score) or score >= 0 else "rear"
    reason = words.view_front_rear(width_ratio, max_ratio, view == "front")
    return ViewResult(view, 0, side_fraction, width_ratio, False, reason)
