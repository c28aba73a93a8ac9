"""The activities formcheck analyses, and which analyzer handles each.

An analyzer is a pure function ``(series, settings) -> ActivityResult``.
Analyzers are imported lazily so that importing formcheck stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult
from formcheck.settings import Settings

Analyzer = Callable[[PoseSeries, Settings], ActivityResult]

#: activity name -> "module:function"
ANALYZERS: dict[str, str] = {
    "run": "formcheck.gait.analysis:analyze_run",
    "glute-bridge": "formcheck.exercises.glute_bridge:analyze",
    "plank": "formcheck.exercises.plank:analyze",
    "side-plank": "formcheck.exercises.side_plank:analyze",
    "bird-dog": "formcheck.exercises.bird_dog:analyze",
}

ACTIVITIES: tuple[str, ...] = (*ANALYZERS, "auto")

#: Activities that can be judged from a single photo (holds).
STILL_OK: frozenset[str] = frozenset({"plank", "side-plank", "auto"})

#: Shortest clip each activity can be analysed from, in seconds: running needs
#: a few steps (4 steps at 100 steps/min take 2.4 s); a rep needs about 2 s.
MIN_DURATION_S: dict[str, float] = {
    "run": 2.5,
    "glute-bridge": 2.0,
    "plank": 0.0,
    "side-plank": 0.0,
    "bird-dog": 2.0,
}


def get_analyzer(activity: str) -> Analyzer:
    if activity not in ANALYZERS:
        raise ValueError(f"unknown activity {activity!r}; choose from {', '.join(ACTIVITIES)}")
    module, func = ANALYZERS[activity].split(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def classify(series: PoseSeries, settings: Settings | None = None) -> tuple[str, str]:
    """Guess the activity from posture: (activity, reason in words)."""
    mod = importlib.import_module("formcheck.exercises.classify")
    overrides = settings.thresholds if settings is not None else None
    return mod.classify_activity(series, overrides)  # type: ignore[no-any-return]
