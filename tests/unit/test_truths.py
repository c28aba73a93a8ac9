"""The known-answer reader (tests/fixtures/truths.py) on small manifests written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures import truths

HEADER = "| file | shows | size / fps / length | known truth |\n| --- | --- | --- | --- |\n"
ROWS = (
    "| run.mp4 | run | 720x1280, 30 fps, 360 frames, 12.0 s | cadence **168.9 ± 0.5 steps/min** |\n"
    "| bridge.mp4 | bridge | 1280x720, 23.976 fps, 232 frames, 9.7 s | good form; **5 reps** |\n"
    "| plank.mp4 | forearm plank held | 1920x1080, 25 fps, 173 frames, 6.9 s | good form |\n"
)
WARMUP = (
    "| side.mp4 | side plank | 854x480, 24 fps, 16.1 s | **held 1.4-12.5 s**; resting after |\n"
    "| crowd.mp4 | two people | 640x360, 30 fps, 7.7 s | none: multi-person |\n"
)


def _manifest(tmp_path: Path, text: str) -> Path:
    (tmp_path / truths.MANIFEST).write_text(text, encoding="utf-8")
    return tmp_path


def test_reads_every_table_and_its_truths(tmp_path: Path) -> None:
    folder = _manifest(tmp_path, "# Clips\n\n" + HEADER + ROWS + "\n## More\n\n" + HEADER + WARMUP)
    clips = truths.read_manifest(folder)
    assert list(clips) == ["run.mp4", "bridge.mp4", "plank.mp4", "side.mp4", "crowd.mp4"]
    run = clips["run.mp4"]
    assert run.cadence_spm == truths.Truth(168.9, 0.5, "steps/min", truths.STATED)
    assert (run.width, run.height, run.fps, run.frames, run.length_s) == (720, 1280, 30, 360, 12)
    assert clips["bridge.mp4"].count == truths.Truth(5, 0, "reps", truths.EXACT)
    # "held" with no times: held for the whole clip, to the length's printed precision
    assert clips["plank.mp4"].hold_s == truths.Truth(6.9, 0.05, "s", truths.PRINTED)
    assert clips["side.mp4"].hold_s.value == pytest.approx(11.1)
    assert clips["side.mp4"].frames is None


def test_a_missing_truth_fails_loudly_naming_the_clip(tmp_path: Path) -> None:
    clips = truths.read_manifest(_manifest(tmp_path, HEADER + WARMUP))
    with pytest.raises(truths.MissingTruth, match=r"no count for crowd\.mp4.*multi-person"):
        _ = clips["crowd.mp4"].count
    with pytest.raises(truths.MissingTruth, match=r"no groundtruth\.json"):
        clips["crowd.mp4"].ground("view")


def test_a_row_that_does_not_read_fails_loudly(tmp_path: Path) -> None:
    bad = HEADER + "| odd.mp4 | ? | about a minute | none |\n"
    with pytest.raises(ValueError, match=r"odd\.mp4's size / fps / length does not read"):
        truths.read_manifest(_manifest(tmp_path, bad))
    with pytest.raises(ValueError, match="no table of clips"):
        truths.read_manifest(_manifest(tmp_path, "# nothing here\n"))


def test_groundtruth_json_is_attached_and_must_agree(tmp_path: Path) -> None:
    folder = _manifest(tmp_path, HEADER + ROWS)
    gt = {"view": "side-left", "cadence_spm": {"value": 168.9, "uncertainty": 0.5}}
    (folder / "run.groundtruth.json").write_text(json.dumps(gt))
    run = truths.read_manifest(folder)["run.mp4"]
    assert run.ground("view") == "side-left"
    gt["cadence_spm"]["value"] = 170.0  # type: ignore[index]
    (folder / "run.groundtruth.json").write_text(json.dumps(gt))
    with pytest.raises(ValueError, match="cadence"):
        truths.read_manifest(folder)


@pytest.mark.clips
def test_a_replaced_sample_borrows_no_truth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / truths.SAMPLE.name
    other.write_bytes(truths.SAMPLE.read_bytes()[:-1])  # not the shared clip any more
    monkeypatch.setattr(truths, "SAMPLE", other)
    truths.sample.cache_clear()
    try:
        with pytest.raises(truths.MissingTruth, match="no longer"):
            truths.sample()
    finally:
        truths.sample.cache_clear()


@pytest.mark.clips
def test_the_shared_manifest_gives_the_truths_the_tests_use() -> None:
    assert truths.clip("run_treadmill_male_side.mp4").cadence_spm.tolerance == 0.5
    assert truths.sample() == truths.clip(truths.SAMPLE.name)  # same bytes, same truths
    assert truths.clip("glute_bridge_side_darebee.mp4").count.unit == "reps"
    assert truths.clip("glute_bridge_side_darebee.mp4").frames is not None
    assert truths.clip("plank_forearm_side_mrpose.mp4").hold_s.value > 0
