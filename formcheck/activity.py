"""What formcheck knows about one activity: the :class:`Activity` entry of the one
activity table (:data:`formcheck.activities.TABLE`), and :func:`counted_move`, the
entry of a counted move whose :class:`~formcheck.exercises.moves.MoveSpec` gives the
rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from formcheck.exercises.moves import MoveSpec
from formcheck.live import LiveAnalyzer
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult
from formcheck.settings import Settings

Analyzer = Callable[[PoseSeries, Settings], ActivityResult]
LiveFactory = Callable[[Settings], LiveAnalyzer]
Recogniser = Callable[[PoseSeries, Settings], float]
"""recognise(series, settings) -> the share of the frames with a pose, in [0, 1], that
show this move: its position *and* its movement (or its still hold), so a clip of
another activity scores low (``--activity auto``)."""


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity formcheck analyses.

    name : the id used everywhere (CLI ``--activity``, reports, history).
    label : its name for people ("Glute bridge").
    view : where the camera goes: ``"side"`` or ``"front"``.
    setting : where it is filmed, when that matters ("treadmill"), for the menu label.
    kind : ``"run"`` (steps), ``"reps"`` (counted repetitions) or ``"hold"`` (timed).
    analyze : the whole-clip analyzer.
    live : builds a fresh live (frame by frame) analyzer.
    min_duration_s : the shortest clip it can be analysed from, seconds.
    still_ok : a single photo can be judged (holds only).
    headline : its main metrics, most important first (lists, trends, summaries).
    report_title : the heading of its report ("Glute bridge set").
    group : where it belongs in a runner's week: ``"run"``, ``"strength"`` (core and
        glutes), ``"warmup"`` (dynamic, before a run) or ``"cooldown"`` (static
        stretches after it); pages and routines list moves by group.
    recognise : for ``--activity auto``, see :data:`Recogniser`; None for the
        activities the posture classifier names
        (:mod:`formcheck.exercises.classify`).
    """

    name: str
    label: str
    view: Literal["side", "front"]
    kind: Literal["run", "reps", "hold"]
    analyze: Analyzer
    live: LiveFactory
    min_duration_s: float
    still_ok: bool
    headline: tuple[str, ...]
    report_title: str
    setting: str = ""
    group: Literal["run", "strength", "warmup", "cooldown"] = "strength"
    recognise: Recogniser | None = None

    @property
    def menu_label(self) -> str:
        """The label with where to film from, for choosing: "Plank (side view)"."""
        where = f"{self.setting}, " if self.setting else ""
        return f"{self.label} ({where}{self.view} view)"


def counted_move(
    spec: MoveSpec,
    label: str,
    headline: tuple[str, ...],
    report_title: str,
    group: Literal["strength", "warmup"] = "strength",
    min_duration_s: float = 2.0,
) -> Activity:
    """The table entry of a counted move (its spec gives the name, view, analyzers and
    recogniser)."""
    return Activity(spec.name, label, spec.view, "reps", spec.analyze, spec.live,
                    min_duration_s=min_duration_s, still_ok=False, headline=headline,
                    report_title=report_title, group=group, recognise=spec.recognise)  # fmt: skip
