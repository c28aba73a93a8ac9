"""The activity table is the one place an activity is declared: everything keyed by
activity name elsewhere (its words, its live analyzer) must cover every entry, so a
new activity cannot be half added."""

from __future__ import annotations

import pytest

import formcheck.activities as activities
from formcheck.cues import words, words_exercises, words_training
from formcheck.settings import Settings

NAMES = [a.name for a in activities.TABLE]


@pytest.mark.parametrize("name", NAMES)
def test_every_activity_has_its_words(name: str) -> None:
    assert name in words.SETUP_TIPS, "set-up tip for the live page"
    assert name in words_training.TRAINING_CONTEXT, "training context for its reports"
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


def _series(name: str) -> object:
    """A synthetic clip of each activity (tests/fixtures), long enough to measure."""
    from tests.fixtures import synthetic_exercises as se
    from tests.fixtures import synthetic_floor as sf
    from tests.fixtures import synthetic_stretches as ss
    from tests.fixtures import synthetic_warmup as sw
    from tests.fixtures.synthetic_gait import run_series

    if name == "run":
        return run_series().series
    if name in ss.MOVES:
        return ss.default_series(name)
    return {
        "plank": se.plank_series,
        "glute-bridge": se.bridge_series,
        "side-plank": se.side_plank_series,
        "bird-dog": se.bird_dog_series,
        **sw.BUILDERS,
        **sf.BUILDERS,
    }[name]()


@pytest.mark.parametrize("name", NAMES)
def test_headline_metrics_are_metrics_the_analyzer_gives(name: str) -> None:
    """The pages show these first: a name the analyzer never gives is a silent gap
    (the bridge's once were top_angle_deg ... while the analyzer gives top_deg)."""
    series = _series(name)
    series = series[0] if isinstance(series, tuple) else series
    metrics = activities.get(name).analyze(series, Settings()).metrics  # type: ignore[arg-type]
    assert set(activities.get(name).headline) <= set(metrics)
