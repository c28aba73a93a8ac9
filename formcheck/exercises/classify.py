"""Recognise the activity from posture (placeholder until the exercise issue)."""

from __future__ import annotations

from formcheck.pose.series import PoseSeries


def classify_activity(series: PoseSeries) -> tuple[str, str]:
    """(activity, reason). PLACEHOLDER: always running."""
    return "run", "default"
