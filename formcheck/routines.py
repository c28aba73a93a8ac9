"""The one table of routines: the articles' guided sessions, each a list of moves and doses.

A :class:`Routine` is a name, a label and its steps; a :class:`RoutineStep` is a move of
the activity table (:data:`formcheck.activities.TABLE`) and its :class:`Dose`: reps in
total or per side / direction, a hold in seconds in total or per side, or seconds of
moving (high knees, butt kicks). The live routine runner
(:mod:`formcheck.pipeline.routine`) reads a step's dose against the live numbers every
move gives (``reps``, ``reps_<side>``, ``hold_s``, ``hold_s_<side>``, ``active_s``).

Users build routines of their own from the moves; they are stored in the history
database (:mod:`formcheck.store.routines`) as :meth:`Routine.to_dict` and read back by
:meth:`Routine.from_dict`.

References
----------
The doses are the articles' (the same five behind every cue):
"Runners' warm-up and recovery tips" (article), "Lower-back stretches before and after
running" (article), "Fixing lower-back pain from running" (article).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from formcheck.cues.articles import A0, A1, A3

Measure = Literal["reps", "hold_s", "active_s"]
Per = Literal["total", "side", "direction"]

#: The keys a per-side or per-direction dose is counted under, as the live analyzers name
#: them in ``reps_<key>`` / ``hold_s_<key>`` (the person's sides, as MediaPipe labels
#: them; circles clockwise and anticlockwise).
PER_KEYS: dict[str, tuple[str, ...]] = {
    "total": ("total",),
    "side": ("left", "right"),
    "direction": ("cw", "ccw"),
}


def unit_of(measure: str) -> str:
    """The unit a dose of ``measure`` is counted in: ``"reps"``, else seconds ``"s"``."""
    return "reps" if measure == "reps" else "s"


@dataclass(frozen=True, slots=True)
class Dose:
    """How much of a move a step asks for.

    amount : reps, or seconds (holds and timed moves), per key of ``per``.
    measure : ``"reps"`` (counted), ``"hold_s"`` (seconds held in position) or
        ``"active_s"`` (seconds moving in position: high knees, butt kicks).
    per : ``"total"``, ``"side"`` (each side: left and right) or ``"direction"``
        (each direction: clockwise and anticlockwise).
    """

    amount: float
    measure: Measure = "reps"
    per: Per = "total"

    def __post_init__(self) -> None:
        if not (math.isfinite(self.amount) and self.amount > 0):
            raise ValueError(f"a dose must be a positive number, got {self.amount!r}")
        if self.measure not in ("reps", "hold_s", "active_s"):
            raise ValueError(f"unknown dose measure {self.measure!r}")
        if self.per not in PER_KEYS:
            raise ValueError(f"unknown dose split {self.per!r}")

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys counted: ``("total",)``, ``("left", "right")`` or ``("cw", "ccw")``."""
        return PER_KEYS[self.per]

    @property
    def unit(self) -> str:
        return unit_of(self.measure)


@dataclass(frozen=True, slots=True)
class RoutineStep:
    """One move of a routine: an activity name of the table and its dose."""

    activity: str
    dose: Dose


@dataclass(frozen=True, slots=True)
class Routine:
    """A guided session: moves done one after another.

    name : its id (history, the app's picker); lower case, digits and dashes.
    label : its name for people ("Pre-run warm-up").
    steps : the moves in order.
    source : where the moves and doses come from (an article by name), or "" (built by
        the user).
    builtin : one of :data:`ROUTINES` (a user's own routine is not).
    """

    name: str
    label: str
    steps: tuple[RoutineStep, ...]
    source: str = ""
    builtin: bool = False

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", self.name):
            raise ValueError(
                f"a routine name is lower case letters, digits and dashes: {self.name!r}"
            )
        if not self.steps:
            raise ValueError("a routine needs at least one move")

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data (stored for a user's own routine)."""
        return {
            "name": self.name,
            "label": self.label,
            "source": self.source,
            "steps": [
                {
                    "activity": s.activity,
                    "amount": s.dose.amount,
                    "measure": s.dose.measure,
                    "per": s.dose.per,
                }
                for s in self.steps
            ],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> Routine:
        """The routine :meth:`to_dict` gave (ValueError when it is not one)."""
        steps = d.get("steps")
        if not isinstance(steps, list):
            raise ValueError("a routine's steps must be a list")
        return cls(
            str(d["name"]),
            str(d.get("label") or d["name"]),
            tuple(
                RoutineStep(
                    str(s["activity"]),
                    Dose(float(s["amount"]), s.get("measure", "reps"), s.get("per", "total")),
                )
                for s in steps
            ),
            source=str(d.get("source") or ""),
        )


def reps(n: int, per: Per = "total") -> Dose:
    return Dose(float(n), "reps", per)


def hold(s: float, per: Per = "total") -> Dose:
    return Dose(float(s), "hold_s", per)


def timed(s: float) -> Dose:
    return Dose(float(s), "active_s", "total")


ROUTINES: tuple[Routine, ...] = (
    Routine(
        "pre-run-warm-up",
        "Pre-run warm-up",
        (
            RoutineStep("cat-cow", reps(10)),
            RoutineStep("standing-twist", reps(10, "side")),
            RoutineStep("hip-circles", reps(10, "direction")),
            RoutineStep("knee-to-chest", reps(10, "side")),
            RoutineStep("leg-swing-front", reps(10, "side")),
            RoutineStep("high-knees", timed(30)),
            RoutineStep("butt-kicks", timed(30)),
        ),
        source=f"{A1}: cat-cow 10, standing twist 10 per side, hip circles 10 per "
        f"direction, knee-to-chest march 10 per leg; {A0}: leg swings 10-15 each leg, "
        "high knees and butt kicks 30 s each",
        builtin=True,
    ),
    Routine(
        "post-run-cool-down",
        "Post-run cool-down",
        (
            RoutineStep("childs-pose", hold(30)),
            RoutineStep("forward-fold", hold(30)),
            RoutineStep("spinal-twist", hold(30, "side")),
            RoutineStep("knee-hug", hold(30)),
            RoutineStep("hip-flexor-stretch", hold(30, "side")),
            RoutineStep("figure-4", hold(30, "side")),
        ),
        source=f"{A1}: child's pose 30 s, forward fold 20-30 s, spinal twist 20-30 s per "
        f"side, knee hug 20-30 s; {A0}: hip-flexor and piriformis stretches 30 s each side",
        builtin=True,
    ),
    Routine(
        "core-and-glute",
        "Core and glutes",
        (
            RoutineStep("glute-bridge", reps(15)),
            RoutineStep("plank", hold(30)),
            RoutineStep("bird-dog", reps(10, "side")),
            RoutineStep("side-plank", hold(20, "side")),
        ),
        # bird dog: "alternate sides" [A1, A3] with no count, side plank: "hold" [A1]
        # with no time: 10 a side and 20 s a side are the common starting doses, set
        # below the plank's 30 s because a side plank loads one arm
        source=f"{A0}: glute bridges 15; {A3}: plank 30 s; {A1}: bird dog alternating "
        "sides, side plank held (counts and times not given: 10 per side and 20 s per side)",
        builtin=True,
    ),
)

BY_NAME: dict[str, Routine] = {r.name: r for r in ROUTINES}


def get(name: str) -> Routine:
    """The built-in routine ``name``; ValueError naming the choices when unknown."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown routine {name!r}; choose from {', '.join(BY_NAME)}") from None


def slug(label: str) -> str:
    """A routine name made from a label people typed ("My morning set" -> "my-morning-set");
    never a built-in routine's name (a user's "Core and glute" is "my-core-and-glute")."""
    s = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60].strip("-")
    s = s or "my-routine"
    return f"my-{s}" if s in BY_NAME else s
