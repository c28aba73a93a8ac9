"""Combining a left-side and a right-side running clip into one report."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

import formcheck
from formcheck.errors import WrongSetupError
from formcheck.pipeline.combine import combine_side_views

CLIP = "run_treadmill_male_side.mp4"


@pytest.fixture(scope="module")
def both_sides(analyzed: Any) -> tuple[formcheck.Report, formcheck.Report]:
    left = analyzed(CLIP, "run")
    # The same run seen in a mirror: the runner now faces image-right, so the
    # camera sees the other side (left/right labels swap with the picture).
    right = formcheck.analyze_pose(left.series.mirrored(), activity="run")
    return left, right


def test_views_are_opposite_sides(both_sides: tuple[Any, Any]) -> None:
    left, right = both_sides
    assert {left.view, right.view} == {"side-left", "side-right"}


def test_each_leg_comes_from_the_clip_that_sees_it(both_sides: tuple[Any, Any]) -> None:
    left, right = both_sides
    combined = combine_side_views(left, right)
    assert combined.view == "side-both"
    near = {left.view: left, right.view: right}
    m = combined.metrics["overstride_leg_lengths"]
    assert m.left == pytest.approx(near["side-left"].metrics["overstride_leg_lengths"].left)
    assert m.right == pytest.approx(near["side-right"].metrics["overstride_leg_lengths"].right)
    # cadence is one-sided: the step-weighted mean of the two clips, within both
    c = [r.metrics["cadence_spm"].value for r in (left, right)]
    assert min(c) - 1e-6 <= combined.metrics["cadence_spm"].value <= max(c) + 1e-6
    assert {f.cue for f in combined.findings} >= {"cadence", "overstride"}
    assert any(w.code == "combined" for w in combined.warnings)
    # the combined numbers are judged as any report's are (cues.judge), status carried
    assert combined.metrics["cadence_spm"].status is not None
    assert combined.metrics["overstride_leg_lengths"].status is not None
    assert combined.to_dict()["source"]["kind"] == "combined"


def test_two_clips_from_the_same_side_are_refused(both_sides: tuple[Any, Any]) -> None:
    left, _ = both_sides
    with pytest.raises(WrongSetupError) as err:
        combine_side_views(left, left)
    assert err.value.code == "combine_views"


def test_cli_needs_exactly_two_clips(tmp_path: Any) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "formcheck.cli", "analyze", "a.mp4", "--combine-sides"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert "exactly two clips" in proc.stderr
