"""formcheck: private, on-device running-form and strength-exercise feedback.

Python API::

    import formcheck
    report = formcheck.analyze("run.mp4", activity="run")
    report.metrics["cadence_spm"].value
    report = formcheck.analyze_pose(series, activity="plank")   # landmarks from any source

The names below are imported lazily, so ``import formcheck.gait`` (a pure
module) does not load OpenCV or MediaPipe.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "FormcheckError": "formcheck.errors",
    "analyze": "formcheck.pipeline",
    "analyze_pose": "formcheck.pipeline",
    "PoseSeries": "formcheck.pose.series",
    "Report": "formcheck.report.model",
    "Profile": "formcheck.settings",
    "Settings": "formcheck.settings",
}

__all__ = [
    "FormcheckError",
    "PoseSeries",
    "Profile",
    "Report",
    "Settings",
    "__version__",
    "analyze",
    "analyze_pose",
]

if TYPE_CHECKING:
    from formcheck.errors import FormcheckError
    from formcheck.pipeline import analyze, analyze_pose
    from formcheck.pose.series import PoseSeries
    from formcheck.report.model import Report
    from formcheck.settings import Profile, Settings


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'formcheck' has no attribute {name!r}")
