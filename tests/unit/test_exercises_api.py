"""The exercise analyses through the public API: landmarks from any source
(``PoseSeries.from_normalized`` + ``formcheck.analyze_pose``), the JSON report,
the live registry, and the one-engine rule (live frame by frame == batch)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import formcheck
from formcheck.activities import BY_NAME, get_analyzer, make_live_analyzer
from formcheck.settings import Settings
from tests.synthetic import exercises as X

BUILDERS = {
    "glute-bridge": lambda: X.bridge_series(3),
    "plank": lambda: X.plank_series(((8.0, 0.0), (2.0, 20.0), (6.0, 0.0))),
    "side-plank": lambda: X.side_plank_series(((8.0, 0.0),), side="right"),
    "bird-dog": lambda: X.bird_dog_series(),
}
HEADLINE = {"glute-bridge": "reps", "plank": "hold_s", "side-plank": "hold_s", "bird-dog": "reps"}


@pytest.mark.parametrize("activity", list(BUILDERS))
def test_normalized_landmarks_from_another_tool_give_the_same_report(activity: str) -> None:
    series, _ = BUILDERS[activity]()
    norm = X.as_normalized(series)
    assert float(np.nanmax(norm[..., :2])) <= 1.0  # really in 0..1 of the frame
    exported = formcheck.PoseSeries.from_normalized(norm, series.t_s, series.width, series.height)
    chosen = formcheck.analyze_pose(exported, activity=activity)
    auto = formcheck.analyze_pose(exported, activity="auto")
    assert chosen.activity == auto.activity == activity
    assert auto.activity_requested == "auto" and auto.activity_reason
    key = HEADLINE[activity]
    direct = get_analyzer(activity)(series, Settings()).metrics[key].value
    assert chosen.metrics[key].value == pytest.approx(direct, abs=1e-6)
    assert auto.metrics[key].value == pytest.approx(direct, abs=1e-6)
    # per-frame state for every frame, in the API and in the JSON
    assert len(chosen.frames) == series.n_frames
    d = json.loads(chosen.to_json())
    assert len(d["frames"]) == series.n_frames
    k = series.n_frames // 2
    assert d["frames"][k].get("form") == chosen.frames[k].form
    assert d["frames"][k]["frame"] == k
    assert d["metrics"][key]["value"] == pytest.approx(direct, abs=1e-3)
    assert d["findings"] and all(f["message"] for f in d["findings"])


@pytest.mark.parametrize("activity", list(BUILDERS))
def test_live_frame_by_frame_equals_batch(activity: str) -> None:
    """The one-engine rule: a webcam-style feed and the whole-clip analysis agree."""
    series, _ = BUILDERS[activity]()
    live = make_live_analyzer(activity)
    assert live.activity == activity
    last = None
    for k in range(series.n_frames):
        last = live.update(series.xyzv[k], float(series.t_s[k]), series.width, series.height)
        assert last.state.frame == k
    batch = formcheck.analyze_pose(series, activity=activity)
    got = live.result()
    key = HEADLINE[activity]
    assert got.metrics[key].value == batch.metrics[key].value
    assert got.tables.keys() == batch.tables.keys()
    for name in got.tables:
        assert got.tables[name].rows == batch.tables[name].rows
    assert [f.form for f in got.frames] == [f.form for f in batch.frames]
    assert last is not None and last.metrics is not None
    if key == "reps":
        assert last.state.reps == batch.metrics["reps"].value


def test_every_exercise_has_a_live_analyzer() -> None:
    for activity in BUILDERS:
        assert activity in BY_NAME
        assert make_live_analyzer(activity, Settings()).activity == activity


def test_a_frame_without_a_person_is_accepted_live() -> None:
    live = make_live_analyzer("plank")
    up = live.update(np.full((33, 4), np.nan, np.float32), 0.0, 640, 480)
    assert up.state.phase == "absent" and up.state.form is None
    with pytest.raises(ValueError):
        live.update(np.zeros((10, 4)), 0.1, 640, 480)
