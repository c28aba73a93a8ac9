"""The one table of activities: everything formcheck knows about each, in one entry.

Every page, the command line's choices, the live paths and the auto-recognition
read :data:`TABLE`. Adding an activity is one :class:`Activity` entry here plus
its analyzer module (a batch analyzer ``(series, settings) -> ActivityResult``
and a live analyzer class built from :class:`~formcheck.settings.Settings`).
Imports are explicit, so readers and type checkers see what runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from formcheck.cues.thresholds import value
from formcheck.cues.words_exercises import recognised_move
from formcheck.exercises import bird_dog, glute_bridge, plank, side_plank
from formcheck.exercises.classify import classify_activity, subsample
from formcheck.exercises.warmup_lunge import LUNGE_TWIST
from formcheck.exercises.warmup_standing import (
    ARM_CIRCLES,
    HIP_CIRCLES,
    LEG_SWING_FRONT,
    LEG_SWING_SIDE,
    SQUAT,
    STANDING_TWIST,
)
from formcheck.exercises.warmup_steps import BUTT_KICKS, HIGH_KNEES, JUMPING_JACKS
from formcheck.gait import live as gait_live
from formcheck.gait.analysis import analyze_run
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


TABLE: tuple[Activity, ...] = (
    Activity(
        "run",
        "Running",
        "side",
        "run",
        analyze_run,
        gait_live.LiveRunAnalyzer,
        # a few steps: 4 steps at 100 steps/min take 2.4 s
        min_duration_s=2.5,
        still_ok=False,
        headline=(
            "cadence_spm",
            "trunk_lean_deg",
            "overstride_leg_lengths",
            "vertical_oscillation_leg_lengths",
            "shin_angle_at_contact_deg",
            "contact_time_ms",
        ),
        report_title="Stride and posture report",
        setting="treadmill",
        group="run",
    ),
    Activity(
        "glute-bridge",
        "Glute bridge",
        "side",
        "reps",
        glute_bridge.analyze,
        glute_bridge.GluteBridgeAnalyzer,
        min_duration_s=2.0,  # a rep takes about 2 s
        still_ok=False,
        headline=("reps", "top_deg", "bottom_deg", "pause_s"),
        report_title="Glute bridge set",
    ),
    Activity(
        "plank",
        "Plank",
        "side",
        "hold",
        plank.analyze,
        plank.PlankAnalyzer,
        min_duration_s=0.0,
        still_ok=True,
        headline=("hold_s", "good_form_s", "hip_line_deg", "longest_hold_s"),
        report_title="Plank hold",
    ),
    Activity(
        "side-plank",
        "Side plank",
        "front",
        "hold",
        side_plank.analyze,
        side_plank.SidePlankAnalyzer,
        min_duration_s=0.0,
        still_ok=True,
        headline=("hold_s", "good_form_s", "hip_line_deg", "longest_hold_s"),
        report_title="Side plank hold",
    ),
    Activity(
        "bird-dog",
        "Bird dog",
        "side",
        "reps",
        bird_dog.analyze,
        bird_dog.BirdDogAnalyzer,
        min_duration_s=2.0,
        still_ok=False,
        headline=("reps", "hold_s"),
        report_title="Bird dog set",
    ),
    # ---- counted warm-up moves (formcheck.exercises.moves: one spec each)
    Activity(
        "jumping-jacks",
        "Jumping jacks",
        "front",
        "reps",
        JUMPING_JACKS.analyze,
        JUMPING_JACKS.live,
        min_duration_s=1.5,  # a jack takes about 0.8 s
        still_ok=False,
        headline=("reps", "feet_ratio", "rep_s"),
        report_title="Jumping jacks",
        group="warmup",
        recognise=JUMPING_JACKS.recognise,
    ),
    Activity(
        "high-knees",
        "High knees",
        "side",
        "reps",
        HIGH_KNEES.analyze,
        HIGH_KNEES.live,
        min_duration_s=1.5,
        still_ok=False,
        headline=("active_s", "reps", "thigh_peak_deg"),
        report_title="High knees",
        group="warmup",
        recognise=HIGH_KNEES.recognise,
    ),
    Activity(
        "butt-kicks",
        "Butt kicks",
        "side",
        "reps",
        BUTT_KICKS.analyze,
        BUTT_KICKS.live,
        min_duration_s=1.5,
        still_ok=False,
        headline=("active_s", "reps", "shank_peak_deg"),
        report_title="Butt kicks",
        group="warmup",
        recognise=BUTT_KICKS.recognise,
    ),
    Activity(
        "standing-twist",
        "Standing twist",
        "front",
        "reps",
        STANDING_TWIST.analyze,
        STANDING_TWIST.live,
        min_duration_s=3.0,
        still_ok=False,
        headline=("reps", "hips_max_deg", "rep_s"),
        report_title="Standing twist",
        group="warmup",
        recognise=STANDING_TWIST.recognise,
    ),
    Activity(
        "hip-circles",
        "Hip circles",
        "front",
        "reps",
        HIP_CIRCLES.analyze,
        HIP_CIRCLES.live,
        min_duration_s=3.0,
        still_ok=False,
        headline=("reps", "rep_s"),
        report_title="Hip circles",
        group="warmup",
        recognise=HIP_CIRCLES.recognise,
    ),
    Activity(
        "leg-swing-front",
        "Leg swings (forward and back)",
        "side",
        "reps",
        LEG_SWING_FRONT.analyze,
        LEG_SWING_FRONT.live,
        min_duration_s=3.0,
        still_ok=False,
        headline=("reps", "trunk_max_deg", "rep_s"),
        report_title="Forward leg swings",
        group="warmup",
        recognise=LEG_SWING_FRONT.recognise,
    ),
    Activity(
        "leg-swing-side",
        "Leg swings (side to side)",
        "front",
        "reps",
        LEG_SWING_SIDE.analyze,
        LEG_SWING_SIDE.live,
        min_duration_s=3.0,
        still_ok=False,
        headline=("reps", "trunk_max_deg", "rep_s"),
        report_title="Side leg swings",
        group="warmup",
        recognise=LEG_SWING_SIDE.recognise,
    ),
    Activity(
        "squat",
        "Squat",
        "front",
        "reps",
        SQUAT.analyze,
        SQUAT.live,
        min_duration_s=3.0,
        still_ok=False,
        headline=("reps", "knee_ratio", "rep_s"),
        report_title="Squat set",
        group="strength",
        recognise=SQUAT.recognise,
    ),
    Activity(
        "arm-circles",
        "Arm circles",
        "side",
        "reps",
        ARM_CIRCLES.analyze,
        ARM_CIRCLES.live,
        min_duration_s=3.0,
        still_ok=False,
        headline=("reps", "elbow_min_deg", "rep_s"),
        report_title="Arm circles",
        group="warmup",
        recognise=ARM_CIRCLES.recognise,
    ),
    Activity(
        "lunge-twist",
        "Walking lunge with a twist",
        "side",
        "reps",
        LUNGE_TWIST.analyze,
        LUNGE_TWIST.live,
        min_duration_s=3.0,
        still_ok=False,
        headline=("reps", "shin_max_deg", "rep_s"),
        report_title="Walking lunges with a twist",
        group="warmup",
        recognise=LUNGE_TWIST.recognise,
    ),
)

BY_NAME: dict[str, Activity] = {a.name: a for a in TABLE}

#: Every name the command line and the pages accept: the activities and "auto"
#: (recognised from posture by :func:`classify`).
ACTIVITIES: tuple[str, ...] = (*BY_NAME, "auto")

#: The activities of the live exercise page (all but running).
EXERCISES: tuple[str, ...] = tuple(a.name for a in TABLE if a.kind != "run")


def get(name: str) -> Activity:
    """The table entry of ``name``; ValueError naming the choices when unknown."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(
            f"unknown activity {name!r}; choose from {', '.join(ACTIVITIES)}"
        ) from None


def get_analyzer(name: str) -> Analyzer:
    """The whole-clip analyzer of ``name``."""
    return get(name).analyze


def make_live_analyzer(name: str, settings: Settings | None = None) -> LiveAnalyzer:
    """A fresh live analyzer for ``name``."""
    return get(name).live(settings or Settings())


def min_duration_s(name: str) -> float:
    """Shortest clip ``name`` can be analysed from, seconds ("auto": the longest of all)."""
    if name == "auto":
        return max(a.min_duration_s for a in TABLE)
    return get(name).min_duration_s


def still_ok(name: str) -> bool:
    """A single photo can be judged for ``name`` ("auto": it may be a hold)."""
    return name == "auto" or get(name).still_ok


def is_hold(name: str) -> bool:
    """``name`` is timed (a hold), not counted."""
    return name in BY_NAME and BY_NAME[name].kind == "hold"


def label(name: str) -> str:
    """The menu label of ``name`` (the name itself when unknown, e.g. an old session)."""
    return BY_NAME[name].menu_label if name in BY_NAME else name


def plain_label(name: str) -> str:
    """The label of ``name`` without the filming note ("Glute bridge")."""
    return BY_NAME[name].label if name in BY_NAME else name


def headline(name: str) -> tuple[str, ...]:
    """The main metrics of ``name`` (none for a name not in the table)."""
    return BY_NAME[name].headline if name in BY_NAME else ()


def report_title(name: str) -> str:
    """The heading of a report of ``name`` (the name itself when unknown)."""
    return BY_NAME[name].report_title if name in BY_NAME else name


def classify(series: PoseSeries, settings: Settings | None = None) -> tuple[str, str]:
    """Guess the activity from posture and movement: (activity name, reason in words).

    The posture classifier (:func:`~formcheck.exercises.classify.classify_activity`)
    names running and the strength exercises it knows by their position; every move
    with a ``recognise`` function scores the clip too. A move wins when its share is
    at least ``classify_min_frac`` and larger than the posture classifier's (running,
    named for upright frames, counts as 0 there: standing moves are upright too).
    """
    settings = settings or Settings()
    name, reason, share = classify_activity(series, settings.thresholds)
    if name == "run":
        # "run" is the posture classifier's answer for anyone upright: its share is of
        # upright frames, which a standing warm-up move shows as well; a move whose
        # recogniser saw its movement in enough frames is the better answer
        share = 0.0
    sub = subsample(series)
    scores = [(a.recognise(sub, settings), a.name) for a in TABLE if a.recognise is not None]
    if scores:
        best, move = max(scores)
        if best >= value("classify_min_frac", settings.thresholds) and best > share:
            name, reason = move, recognised_move(plain_label(move), best)
    get(name)  # the recognisers name only activities of the table
    return name, reason
