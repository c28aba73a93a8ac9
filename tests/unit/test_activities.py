"""The activity table is the one place an activity is declared: everything keyed by
activity name elsewhere (its words, its live analyzer) must cover every entry, so a
new activity cannot be half added."""

from __future__ import annotations

import pytest

import formcheck.activities as activities
from formcheck.cues import words, words_exercises
from formcheck.settings import Settings

NAMES = [a.name for a in activities.TABLE]


@pytest.mark.parametrize("name", NAMES)
def test_every_activity_has_its_words(name: str) -> None:
    assert name in words.SETUP_TIPS, "set-up tip for the live page"
    assert name in words.TRAINING_CONTEXT, "training context for its reports"
    if activities.get(name).kind != "run":
        assert name in words_exercises.EXERCISE_NAME
        assert name in words_exercises.POSITION_HOW


@pytest.mark.parametrize("name", NAMES)
def test_every_activity_builds_its_analyzers(name: str) -> None:
    a = activities.get(name)
    assert a.live(Settings()).activity == name
    assert callable(a.analyze)
    assert a.min_duration_s >= 0 and a.headline
    assert a.still_ok == (a.kind == "hold")  # a photo shows a hold, never a movement


def test_names_and_choices() -> None:
    assert (*NAMES, "auto") == activities.ACTIVITIES
    assert set(activities.EXERCISES) == {n for n in NAMES if activities.get(n).kind != "run"}
    with pytest.raises(ValueError, match="choose from"):
        activities.get("yoga")
    assert activities.label("an-old-name") == "an-old-name"  # a session from an older version
