"""formcheck: private, on-device running-form and strength-exercise feedback.

Python API::

    import formcheck
    report = formcheck.analyze("run.mp4", activity="run")
    report.metrics["cadence_spm"].value
    report = formcheck.analyze_pose(series, activity="plank")   # landmarks from any source
"""

from formcheck.errors import FormcheckError
from formcheck.pipeline import analyze, analyze_pose
from formcheck.pose.series import PoseSeries
from formcheck.report.model import Report
from formcheck.settings import Profile, Settings

__version__ = "0.1.0"

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
