"""Every sentence a guided routine says or shows: the next move, the dose, the summary.

The move's name and its one-line how-to come from :mod:`formcheck.cues.words_exercises`
(``EXERCISE_NAME``, ``POSITION_HOW``), so the routine and the exercise's own set-up
notices never word a move two ways.
"""

from __future__ import annotations

import math

from formcheck.cues.words_exercises import EXERCISE_NAME, POSITION_HOW

#: What a split is called after a number ("10 each side").
PER_WORDS = {"total": "", "side": "each side", "direction": "each direction"}

#: A side or direction key as people say it.
KEY_WORDS = {
    "total": "",
    "left": "left",
    "right": "right",
    "cw": "clockwise",
    "ccw": "anticlockwise",
}

PAGE_TITLE = "Guided routine"
PAGE_INTRO = (
    "Pick a routine and press START: formcheck says each move, counts it or times it, "
    "and goes on to the next when it is done. **Next move** skips to the next one."
)
PICK = "Routine"
NEXT_BUTTON = "Next move"
BUILD_TITLE = "Build your own routine"
BUILD_HELP = "Choose moves and how much of each, then save: it is kept in your history."
BUILD_NAME = "Name of your routine"
BUILD_SAVED = "Saved as {label!r}: pick it above."
BUILD_NEED_MOVES = "Add at least one move."
BUILD_NEED_NAME = "Give your routine a name."
BUILD_DELETE = "Delete this routine"
SUMMARY_TITLE = "Routine summary"
SUMMARY_SAVED = "Saved to history as routine record {rid}."
SUMMARY_NOT_SAVED = "Not saved to history: {why}"
SEE_HISTORY = "See it in History"
IDLE = "Press START under the picture to begin the routine."
WAITING = "Waiting for the camera picture ..."
ALL_DONE = "Routine done"
SKIPPED = "skipped"
STOPPED = "stopped"
NOT_REACHED = "not reached"
DONE = "done"
MADE_BY_USER = "your own routine"
HISTORY_HEADING = "Routines done"
#: Under the heading: how many there are (``{n}``: the number, as the page marks it up).
HISTORY_COUNT = "{n} routine(s)."
HISTORY_NONE = "No guided routine done yet."
MOVE_NOT_AVAILABLE = "this formcheck cannot coach this move yet, so it was skipped"


def moves_not_available(labels: list[str]) -> str:
    """Said before START when a routine holds moves this formcheck does not know."""
    return (
        f"This formcheck cannot coach {', '.join(labels)} yet: the routine will skip "
        "them. Update formcheck, or build a routine of the moves it knows."
    )


def move_name(activity: str) -> str:
    """The move as said in a sentence ("glute bridge"); the name itself when unknown."""
    return EXERCISE_NAME.get(activity, activity.replace("-", " "))


def how_to(activity: str) -> str:
    """The move's one-line how-to, as a sentence ("On hands and knees, filmed from the
    side."); empty when the move has none."""
    how = POSITION_HOW.get(activity, "").strip()
    return f"{how[0].upper()}{how[1:]}." if how else ""


def _num(x: float) -> str:
    return f"{x:.0f}" if math.isfinite(x) else "--"


def dose_text(amount: float, measure: str, per: str) -> str:
    """The dose in words: "15 reps", "10 each side", "30 s", "20 s each side"."""
    split = PER_WORDS.get(per, "")
    if measure == "reps":
        return f"{_num(amount)} {split}" if split else f"{_num(amount)} reps"
    return f"{_num(amount)} s {split}".strip()


def next_move(activity: str, dose: str, first: bool = False) -> str:
    """What is shown and said when a move begins: its name, dose and how to start."""
    lead = "First" if first else "Next"
    how = how_to(activity)
    return f"{lead}: {move_name(activity)}, {dose}." + (f" {how}" if how else "")


def routine_done(label: str) -> str:
    return f"{ALL_DONE}: {label}. Well done."


def progress_text(done: dict[str, float], target: float, unit: str) -> str:
    """How far the move is: "12/15 reps", "left 10/10, right 4/10", "18/30 s"."""
    parts = []
    for key, value in done.items():
        lead = KEY_WORDS.get(key, key)
        shown = f"{_num(min(value, target) if unit == 's' else value)}/{_num(target)}"
        parts.append(f"{lead} {shown}".strip())
    return ", ".join(parts) + f" {unit}"


def form_note(label: str, seconds: float) -> str:
    """A form label the move's analyzer gave, with how long: "hips sagging for 4 s"."""
    return f"{label.replace('_', ' ')} for {_num(seconds)} s"


def step_line(label: str, progress: str, state: str) -> str:
    """One summary line: "Glute bridge: 15/15 reps (done)"."""
    return f"{label}: {progress} ({state})"


def routine_record_title(label: str, done: int, total: int) -> str:
    return f"{label}: {done} of {total} moves done"


STEPS_HEADING = "The moves"
#: The big number's label on the routine page, by what the move's dose counts.
COUNT_LABELS = {"reps": "Reps", "hold_s": "Held", "active_s": "Moving"}
START_LINE = (
    "Or follow a guided routine: a warm-up before a run, a cool-down after it, or core work."
)
START_BUTTON = "Guided routine"
BUILD_MOVE = "Move"
BUILD_AMOUNT = "How much"
BUILD_DOSE = "Counted as"
BUILD_ADD = "Add this move"
BUILD_CLEAR = "Start again"
BUILD_SAVE = "Save my routine"

#: The builder's ways of counting a move: words -> (measure, per).
DOSE_CHOICES: dict[str, tuple[str, str]] = {
    "reps": ("reps", "total"),
    "reps each side": ("reps", "side"),
    "reps each direction": ("reps", "direction"),
    "seconds held": ("hold_s", "total"),
    "seconds held each side": ("hold_s", "side"),
    "seconds moving": ("active_s", "total"),
}

#: Activity groups as the pickers head them.
GROUP_WORDS = {
    "warmup": "Warm-up",
    "strength": "Strength",
    "cooldown": "Cool-down",
    "run": "Running",
}


def grouped_label(group: str, label: str) -> str:
    """A move in a picker grouped by when it is done: "Warm-up · Cat-cow"."""
    return f"{GROUP_WORDS.get(group, group)} · {label}"


def history_sessions(ids: list[int]) -> str:
    """Where the moves' own sets are in the history list."""
    return "Each move's set is in the list above: session " + ", ".join(f"#{i}" for i in ids) + "."


# -- the routines in the history (CLI and History page) ---------------------------------------
SESSION_DELETED = "its recorded set was deleted from the history"
NO_SUCH_RUN_HINT = (
    "List the routines done with `formcheck history routines` or on the History page."
)
RENAME_HINT = "Choose another name."
RENAME_EMPTY = "A routine needs a name."
RENAME_TITLE = "New name"
BUILD_YOURS = "Your routines"
BUILD_CHOOSE = "Choose one to rename or delete"
RENAME_BUTTON = "Rename this routine"
RENAMED = "Renamed to {label!r}."
DELETE_RUN = "Delete this routine record"
DELETE_RUN_SURE = "Yes, delete this record (the moves' sessions stay in the list)"
RUN_DELETED = "Routine record {rid} deleted; its moves' sessions are still in the list."


def no_such_run(run_id: int) -> str:
    return f"There is no routine record {run_id} in the history."


def no_such_routine(name: str) -> str:
    return f"You have no routine called {name!r}."


def routine_name_taken(label: str) -> str:
    return f"You already have a routine called {label!r}."


def step_of_routine(label: str, run_id: int, index: int, n_steps: int, move: str) -> str:
    """Which routine a move's session belongs to: "Pre-run warm-up (routine record 3),
    move 2 of 7: standing twist"."""
    return f"{label} (routine record {run_id}), move {index + 1} of {n_steps}: {move}"


def routine_record_kept(step: str) -> str:
    """Said when a deleted session was a routine's move."""
    return f"It was {step}; that routine record is kept and says this move's set was deleted."
