"""The one table of activities: everything formcheck knows about each, in one entry.

Every page, the command line's choices, the live paths and the auto-recognition
read :data:`TABLE`. Adding an activity is one :class:`~formcheck.activity.Activity`
entry (here for running and the strength exercises, in
:mod:`formcheck.activities_moves` for the warm-up, floor and cool-down moves) plus
its analyzer module (a batch analyzer ``(series, settings) -> ActivityResult``
and a live analyzer class built from :class:`~formcheck.settings.Settings`).
Imports are explicit, so readers and type checkers see what runs.
"""

from __future__ import annotations

from formcheck.activities_moves import MOVES
from formcheck.activity import Activity, Analyzer
from formcheck.cues.thresholds import value
from formcheck.cues.words_exercises import recognised_move
from formcheck.exercises import bird_dog, glute_bridge, plank, side_plank
from formcheck.exercises.classify import classify_activity, subsample
from formcheck.gait import live as gait_live
from formcheck.gait.analysis import analyze_run
from formcheck.live import LiveAnalyzer
from formcheck.pose.series import PoseSeries
from formcheck.settings import Settings

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
    *MOVES,
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
    names running and the strength exercises it knows by their position alone; every
    move with a ``recognise`` function scores the clip too, by its position *and* its
    movement (or its still hold). That is the more specific evidence: a move whose
    share is at least ``classify_min_frac`` wins (the largest share first), whatever
    the posture classifier said (cat-cow is on all fours like the bird dog; a knee hug
    lies on the back with a knee up like the bridge; a seated fold is upright). Each
    move's recogniser is tested to stay under that share on clips of the others.
    """
    settings = settings or Settings()
    name, reason, _share = classify_activity(series, settings.thresholds)
    sub = subsample(series)
    scores = [(a.recognise(sub, settings), a.name) for a in TABLE if a.recognise is not None]
    if scores:
        best, move = max(scores)
        if best >= value("classify_min_frac", settings.thresholds):
            name, reason = move, recognised_move(plain_label(move), best)
    get(name)  # the recognisers name only activities of the table
    return name, reason
