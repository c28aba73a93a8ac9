"""The moves as the pickers list them: grouped by when they are done (warm-up, strength,
cool-down: :attr:`formcheck.activity.Activity.group`), each label headed by its group.
Streamlit's select boxes have no option groups, so the group leads the label."""

from __future__ import annotations

import formcheck.activities as activities
from formcheck.cues import words_routines as rw

#: The order groups are listed in (a runner's week: warm up, strengthen, cool down).
GROUP_ORDER = ("warmup", "strength", "cooldown")


def moves_by_group(names: tuple[str, ...] | None = None) -> list[str]:
    """The moves (``names``, default every activity but running), warm-up first, then
    strength, then cool-down; in table order within a group."""
    names = activities.EXERCISES if names is None else names
    rank = {g: i for i, g in enumerate(GROUP_ORDER)}
    moves = [activities.get(n) for n in names]
    moves.sort(key=lambda a: rank.get(a.group, len(rank)))
    return [a.name for a in moves]


def move_label(name: str) -> str:
    """ "Warm-up · Cat-cow (side view)"."""
    a = activities.get(name)
    return rw.grouped_label(a.group, a.menu_label)
