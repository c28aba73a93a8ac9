"""Is the runner upright in the picture? A video turned sideways (a phone clip exported
without its rotation, a camera on its side) shows a runner lying down, and every
running number read from it is nonsense (a trunk lean of -85 deg, a shin "leaning" 80
deg), so such a clip is refused with what to do rather than analysed.
"""

from __future__ import annotations

import numpy as np

from formcheck.cues import thresholds as th
from formcheck.cues.words_running_notes import run_not_upright
from formcheck.errors import WrongSetupError
from formcheck.kinematics import tilt_from_vertical_deg
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries


def trunk_tilt_deg(series: PoseSeries) -> float:
    """Median over the frames with a pose of the trunk's (hip midpoint -> shoulder
    midpoint) angle from the picture's vertical, deg, 0-180 whatever the facing
    (0 upright, 90 lying, 180 upside down); NaN with no such frame."""
    hips = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    shoulders = series.midpoint(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    tilt = np.abs(tilt_from_vertical_deg(hips, shoulders))
    tilt = tilt[np.isfinite(tilt)]
    return float(np.median(tilt)) if tilt.size else float("nan")


def check_upright_run(series: PoseSeries, overrides: dict[str, float] | None = None) -> None:
    """Raise :class:`WrongSetupError` (code ``"not_upright"``) when the runner's trunk
    lies past ``run_upright_max_tilt_deg`` from the picture's vertical."""
    tilt = trunk_tilt_deg(series)
    if np.isfinite(tilt) and tilt > th.value("run_upright_max_tilt_deg", overrides):
        message, hint = run_not_upright(tilt)
        raise WrongSetupError(message, hint, code="not_upright")
