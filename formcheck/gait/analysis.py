"""Running analysis entry point (placeholder until the gait analyzers land)."""

from __future__ import annotations

from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult
from formcheck.settings import Settings


def analyze_run(series: PoseSeries, settings: Settings) -> ActivityResult:
    """Analyse a running clip. PLACEHOLDER: the gait issue replaces this."""
    return ActivityResult(activity="run", view=settings.view or "unknown")
