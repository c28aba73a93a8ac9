"""The per-frame interface shared by the live webcam path and saved clips.

A live analyzer is fed one frame's landmarks at a time and answers at once
with the state a coach would show now. The batch path (``analyze_pose``) and
the live paths (browser webcam, ``formcheck live``) drive the *same*
analyzer objects, so a clip fed frame by frame gives the same reps, holds and
running metrics as the whole-clip analysis.

Implementations: ``formcheck.exercises`` (one class per exercise) and
``formcheck.gait.live.LiveRunAnalyzer``; :func:`formcheck.activities.make_live_analyzer`
builds the one of an activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from formcheck.results import ActivityResult, Event, FrameState, MetricStatus


@dataclass(frozen=True, slots=True)
class LiveUpdate:
    """What changed with one frame.

    state : the analyzer's state now (phase, form, angles, reps, hold time).
    events : events completed by this frame (a rep, a hold start/break, a contact).
    cue : a short spoken/on-screen cue to give *now*, already rate-limited
        (None most frames).
    metrics : live headline numbers, name -> value in the metric's unit
        (e.g. ``{"reps": 3}``, ``{"cadence_spm": 171.2, "trunk_lean_deg": 6.0}``;
        ``window_s``: the seconds of video the running numbers cover).
    statuses : each headline number judged against its target, name -> status
        (:func:`formcheck.cues.judge.judge`, the same judgement as the report's):
        pages colour and word the number by it and never judge it themselves.
    accuracy : what each headline number's validated uncertainty is, in words, name ->
        text (:func:`formcheck.cues.accuracy.accuracy_label`: "±20 ms at 30 fps",
        "not validated"); pages show it as given.
    """

    state: FrameState
    events: tuple[Event, ...] = ()
    cue: str | None = None
    metrics: dict[str, float] | None = None
    statuses: dict[str, MetricStatus] | None = None
    accuracy: dict[str, str] | None = None


class LiveAnalyzer(Protocol):
    """Incremental analyzer: ``update`` per frame, ``result`` at any time."""

    activity: str

    def update(self, xyzv: np.ndarray, t_s: float, width: int, height: int) -> LiveUpdate:
        """Feed one frame: landmarks float (33, 4) in pixels (y down; NaN = no
        person), its timestamp in seconds (strictly increasing) and frame size."""
        ...

    def result(self) -> ActivityResult:
        """Everything found so far, as the batch analyzer would report it."""
        ...
