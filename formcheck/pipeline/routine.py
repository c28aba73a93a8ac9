"""The routine runner: which move is on, whether its dose is met, what to say next. Pure.

:class:`RoutineRunner` is fed every :class:`~formcheck.live.LiveUpdate` of the current
move's live analyzer (the live webcam path, or a test's synthetic updates). It reads
the numbers every move gives (``reps``, ``reps_<side>``, ``hold_s``, ``hold_s_<side>``,
``active_s``; :mod:`formcheck.routines`) and, when the step's dose is met on every side
it asks for (in any order: a user who starts the wrong side first is fine), moves on
and returns an :class:`Advance`: the next move's announcement (shown and spoken: its
name, dose and how to get in position) and the finished step. :meth:`RoutineRunner.skip`
does the same on a "next" tap. :meth:`RoutineRunner.summary` is what was done.

How the numbers are read
------------------------
* Reps are counts so far: the step's count is the largest seen (a frame without a
  person, which reports no count, loses nothing).
* Seconds (holds, timed moves) are added up from the analyzer's clock: each rise of
  ``hold_s`` (or ``active_s``) is added, and a drop (a new hold after a break, or the
  person coming back) starts adding again from the new value. So a hold broken by
  leaving the picture counts its time before and after, never the time away.
* Per side: ``reps_<side>`` / ``hold_s_<side>``; a hold that names its side only by
  ``side_down_left`` (1 or 0: the side plank) is split by it. A move whose analyzer
  gives only a total meets a per-side dose with twice the dose in total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import formcheck.activities as activities
from formcheck.cues import words_routines as words
from formcheck.cues.judge import form_status
from formcheck.live import LiveUpdate
from formcheck.routines import PER_KEYS, Routine, RoutineStep, unit_of


@dataclass(frozen=True, slots=True)
class Advance:
    """The runner moved on.

    finished : index of the step that ended (None: the routine begins).
    skipped : it ended by a "next" tap before its dose was met.
    next_index : the step now on (None: the routine is over).
    text : what to show and say (the next move and its how-to, or the end).
    """

    finished: int | None
    skipped: bool
    next_index: int | None
    text: str


@dataclass(slots=True)
class StepRecord:
    """What was done of one step (filled while it runs, kept for the summary)."""

    step: RoutineStep
    done: dict[str, float]
    total: float = 0.0
    status: str = "pending"  # pending | running | done | skipped | stopped
    form_s: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    session_id: int | None = None
    seen_split: bool = False  # the analyzer gave per-side numbers
    last_t: float | None = None
    last_clock: dict[str, float] = field(default_factory=dict)

    @property
    def target(self) -> float:
        return self.step.dose.amount

    def met(self) -> bool:
        dose = self.step.dose
        if dose.per == "total":
            return self.done["total"] >= dose.amount
        if self.seen_split:
            return all(self.done[k] >= dose.amount for k in dose.keys)
        return self.total >= dose.amount * len(dose.keys)

    def to_dict(self) -> dict[str, object]:
        d = self.step.dose
        return {
            "activity": self.step.activity,
            "amount": d.amount,
            "measure": d.measure,
            "per": d.per,
            "done": {k: round(v, 2) for k, v in self.done.items()},
            "total": round(self.total, 2),
            "status": self.status,
            "met": self.met(),
            "form_s": {k: round(v, 1) for k, v in self.form_s.items()},
            "notes": list(self.notes),
            "session_id": self.session_id,
            "split": self.seen_split,
        }


@dataclass(frozen=True, slots=True)
class RoutineSummary:
    """A routine's result: one entry per step (see :meth:`StepRecord.to_dict`)."""

    name: str
    label: str
    steps: tuple[dict[str, object], ...]
    complete: bool

    @property
    def moves_done(self) -> int:
        return sum(1 for s in self.steps if s["status"] == "done")

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "complete": self.complete,
            "steps": list(self.steps),
        }

    def lines(self) -> list[str]:
        """One line per move, for the page and the history."""
        return [summary_line(s) for s in self.steps]


def summary_line(s: dict[str, object]) -> str:
    """A stored step's line: "Glute bridge: 15/15 reps (done)", with its form notes."""
    unit = unit_of(str(s["measure"]))
    done, target = _shown(
        dict(s["done"]),  # type: ignore[call-overload]
        float(s["total"]),  # type: ignore[arg-type]
        float(s["amount"]),  # type: ignore[arg-type]
        str(s.get("per", "total")),
        bool(s.get("split", True)),
    )
    progress = words.progress_text(done, target, unit)
    state = {
        "done": words.DONE,
        "skipped": words.SKIPPED,
        "stopped": words.STOPPED,
    }.get(str(s["status"]), words.NOT_REACHED)
    line = words.step_line(activities.plain_label(str(s["activity"])), progress, state)
    notes = [words.form_note(k, v) for k, v in dict(s.get("form_s") or {}).items()]  # type: ignore[call-overload]
    notes += [str(n) for n in s.get("notes") or ()]  # type: ignore[attr-defined]
    if s.get("session_deleted"):
        notes.append(words.SESSION_DELETED)
    return line + ("; " + "; ".join(notes) if notes else "")


def _shown(
    done: dict[str, float], total: float, amount: float, per: str, split: bool
) -> tuple[dict[str, float], float]:
    """What a step's progress is said with: ``done`` per key against ``amount``, or, for
    a per-side or per-direction dose whose analyzer gave no split (``split`` False),
    the ``total`` against ``amount`` times the keys (twice the dose)."""
    if per == "total" or split:
        return done, amount
    return {"total": total}, amount * len(PER_KEYS[per])


class RoutineRunner:
    """Steps through a routine as its moves' live updates come in (see the module docs).

    Call :meth:`start` first (the first move's announcement), then :meth:`feed` with
    every update of the current move's analyzer; each returns an :class:`Advance` when
    the runner moved on (the caller switches the analyzer), else None.
    """

    def __init__(self, routine: Routine) -> None:
        self.routine = routine
        self.records = [
            StepRecord(step, dict.fromkeys(step.dose.keys, 0.0)) for step in routine.steps
        ]
        self.index: int | None = None  # the step on now; None before start / after the end
        self.started = False

    # -- state -------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.started and self.index is None

    @property
    def current(self) -> RoutineStep | None:
        return None if self.index is None else self.routine.steps[self.index]

    def record(self) -> StepRecord | None:
        return None if self.index is None else self.records[self.index]

    def progress_text(self) -> str:
        """How far the current move is, in words ("left 4/10, right 10/10 reps")."""
        rec = self.record()
        if rec is None:
            return ""
        dose = rec.step.dose
        done, target = _shown(rec.done, rec.total, dose.amount, dose.per, rec.seen_split)
        return words.progress_text(done, target, dose.unit)

    def announce(self, index: int, first: bool = False) -> str:
        step = self.routine.steps[index]
        d = step.dose
        return words.next_move(step.activity, words.dose_text(d.amount, d.measure, d.per), first)

    # -- moving on ---------------------------------------------------------------------
    def start(self) -> Advance:
        """Begin: the first move is on; its announcement."""
        self.started = True
        self.index = 0
        self.records[0].status = "running"
        return Advance(None, False, 0, self.announce(0, first=True))

    def skip(self) -> Advance | None:
        """The "next" tap: end the current move as it is and go on (None when over)."""
        if self.index is None:
            return None
        return self._advance(skipped=not self.records[self.index].met())

    def _advance(self, skipped: bool) -> Advance:
        assert self.index is not None
        i = self.index
        self.records[i].status = "skipped" if skipped else "done"
        nxt = i + 1 if i + 1 < len(self.records) else None
        self.index = nxt
        if nxt is None:
            return Advance(i, skipped, None, words.routine_done(self.routine.label))
        self.records[nxt].status = "running"
        return Advance(i, skipped, nxt, self.announce(nxt))

    def feed(self, update: LiveUpdate) -> Advance | None:
        """One update of the current move's analyzer; an Advance when its dose is met."""
        rec = self.record()
        if rec is None:
            return None
        self._count(rec, update)
        return self._advance(skipped=False) if rec.met() else None

    def _count(self, rec: StepRecord, update: LiveUpdate) -> None:
        st = update.state
        m = update.metrics or {}
        dose = rec.step.dose
        t = float(st.t_s)
        # a form note: time with a label the cues call a fault (not "good", "in_position" ...)
        if form_status(st.form) == "work_on" and rec.last_t is not None and t > rec.last_t:
            rec.form_s[st.form] = rec.form_s.get(st.form, 0.0) + (t - rec.last_t)  # type: ignore[index]
        rec.last_t = t
        if dose.measure == "reps":
            n = _finite(m.get("reps"), st.reps)
            if n is not None:
                rec.total = max(rec.total, n)
                if dose.per == "total":
                    rec.done["total"] = rec.total
            for k in dose.keys if dose.per != "total" else ():
                v = _finite(m.get(f"reps_{k}"))
                if v is not None:
                    rec.seen_split = True
                    rec.done[k] = max(rec.done[k], v)
            return
        key = dose.measure  # hold_s or active_s
        now = _finite(m.get(key), st.hold_s if key == "hold_s" else None)
        added = _rise(rec.last_clock, "total", now)
        rec.total += added
        if dose.per == "total":
            rec.done["total"] = rec.total
            return
        split = False
        for k in dose.keys:
            v = _finite(m.get(f"{key}_{k}"))
            if v is not None:
                split = True
                rec.done[k] += _rise(rec.last_clock, k, v)
        if not split and added and "side_down_left" in m and dose.per == "side":
            side = "left" if m["side_down_left"] >= 0.5 else "right"
            rec.done[side] += added
            split = True
        rec.seen_split = rec.seen_split or split

    def stop(self) -> None:
        """Stopped before the end (STOP, the camera lost): the move on now is kept as
        far as it got ("stopped"), the moves after it were not reached."""
        if self.index is not None:
            self.records[self.index].status = "stopped"
            self.index = None
            self.started = True

    # -- the end -----------------------------------------------------------------------
    def add_notes(self, index: int, notes: list[str], session_id: int | None = None) -> None:
        """Attach the finished move's form notes (its report's findings) and its
        history session."""
        rec = self.records[index]
        rec.notes.extend(n for n in notes if n not in rec.notes)
        if session_id is not None:
            rec.session_id = session_id

    def summary(self) -> RoutineSummary:
        """What was done of each move (a move never reached is "pending")."""
        complete = self.finished and all(r.status == "done" for r in self.records)
        return RoutineSummary(
            self.routine.name,
            self.routine.label,
            tuple(r.to_dict() for r in self.records),
            complete,
        )


def _finite(*values: float | int | None) -> float | None:
    """The first value that is a finite number, else None."""
    for v in values:
        if v is not None and math.isfinite(float(v)):
            return float(v)
    return None


def _rise(last: dict[str, float], key: str, now: float | None) -> float:
    """Seconds to add for a clock that reads ``now`` (see the module docs); None (no
    reading, e.g. nobody in view) adds nothing and keeps the last reading."""
    if now is None:
        return 0.0
    prev = last.get(key, 0.0)
    last[key] = now
    return max(now, 0.0) if now < prev else now - prev
