"""What the commands refuse, in one line and without a traceback: before analysing
anything, a results folder that cannot be written and a profile flag no person or
treadmill can have; a slow-motion run whose real time is too short; a run lying
sideways in the picture; and, in a batch of clips, every error names its clip."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from formcheck.cli import build_parser
from formcheck.errors import VideoError, WrongSetupError
from formcheck.io import folder_blocker
from formcheck.pipeline.analysis import analyze_pose
from formcheck.pipeline.upright import trunk_tilt_deg
from formcheck.pose.series import PoseSeries
from formcheck.profile import Profile
from formcheck.settings import Settings
from tests.fixtures.media import Media
from tests.fixtures.synthetic_gait import run_series
from tests.unit.test_bad_inputs import assert_cli_fails_cleanly, formcheck_cmd, run_cli


def _cli(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*formcheck_cmd(), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=dict(os.environ),
        timeout=300,
    )


def test_a_file_or_a_read_only_folder_blocks_the_results_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    assert folder_blocker(tmp_path / "new" / "deeper") is None  # made later
    assert folder_blocker(a_file) == (a_file, True)
    assert folder_blocker(a_file / "sub") == (a_file, True)
    assert not (tmp_path / "new").exists()  # nothing created by the check
    monkeypatch.setattr("formcheck.io.os.access", lambda path, mode: False)
    assert folder_blocker(tmp_path / "new") == (tmp_path, False)


@pytest.mark.parametrize(
    "args",
    [
        ("analyze", "run.mp4", "--out", "notes.txt"),
        ("analyze", "run.mp4", "--json", "notes.txt/report.json"),
        ("batch", ".", "--out", "notes.txt/batch"),
    ],
)
def test_an_unusable_results_folder_is_refused_before_the_analysis(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """A file where the results folder should be: exit 2 and one line naming it and
    the flag to change, said before the clip is even opened (run.mp4 does not exist)."""
    (tmp_path / "notes.txt").write_text("x")
    res = _cli(tmp_path, *args, "--no-save" if args[0] == "analyze" else "--quiet")
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    flag = "--json" if "--json" in args else "--out"
    assert "notes.txt is a file" in lines[0] and f"with {flag}" in lines[0], lines[0]


@pytest.mark.parametrize(
    ("flag", "value", "says"),
    [
        ("--height-cm", "-5", "between 100 and 230 cm"),
        ("--leg-length-cm", "900", "between 50 and 130 cm"),
        ("--treadmill-kmh", "nan", "not a number"),
        ("--capture-fps", "0", "between 1 and 1000 fps"),
    ],
)
def test_impossible_profile_flags_are_usage_errors(
    flag: str, value: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    commands = (
        [["analyze", "x.mp4"], ["live"]] if flag != "--capture-fps" else [["analyze", "x.mp4"]]
    )
    for command in commands:
        with pytest.raises(SystemExit) as exc:
            build_parser().parse_args([*command, "--activity", "run", flag, value])
        assert exc.value.code == 2
        assert says in capsys.readouterr().err
    fine = {"--height-cm": "178", "--leg-length-cm": "90", "--treadmill-kmh": "10.5"}
    ok = build_parser().parse_args(["analyze", "x.mp4", flag, fine.get(flag, "120")])
    assert getattr(ok, flag[2:].replace("-", "_")) == float(fine.get(flag, "120"))


def test_a_slow_motion_run_is_timed_in_real_seconds() -> None:
    """4 s of video filmed at 120 fps and played at 30 is 1 s of running: too short
    (2.5 s needed), and the message says the real time; without the capture rate the
    same clip is long enough."""
    series = run_series(fps=30, duration_s=4).series
    slow = Settings(profile=Profile(capture_fps=120.0))
    with pytest.raises(VideoError) as exc:
        analyze_pose(series, "run", slow)
    assert exc.value.code == "too_short"
    assert "filmed at 120 fps is 1.0 s of real time" in str(exc.value)
    assert "too short to analyse running:" in str(exc.value)  # the activity as users say it
    assert analyze_pose(series, "run").metrics["cadence_spm"].value is not None


@pytest.mark.clips
def test_each_error_of_a_batch_names_its_clip(media: Media, tmp_path: Path) -> None:
    """Nobody in one clip, another too short: each line says which clip."""
    black, short = media.get("black"), media.get("short")
    res = run_cli(tmp_path, black, short, "--activity", "run", "--quiet")
    assert res.returncode == 1
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 2, res.stderr
    assert black.name in lines[0] and "no person" in lines[0].lower()
    assert short.name in lines[1] and "too short" in lines[1]


def _turned(series: PoseSeries) -> PoseSeries:
    """The same landmarks in a picture turned a quarter clockwise (x' = H - y, y' = x)."""
    xyzv = series.xyzv.copy()
    xyzv[..., 0] = series.height - series.xyzv[..., 1]
    xyzv[..., 1] = series.xyzv[..., 0]
    return PoseSeries(xyzv, series.t_s, series.height, series.width)


def test_a_runner_lying_in_the_picture_is_refused_with_what_to_do() -> None:
    """A run filmed upright passes; the same run in a picture turned sideways is refused
    (its numbers would be nonsense: a trunk lean near -90 deg), saying to turn it."""
    series = run_series(fps=30, duration_s=6).series
    assert trunk_tilt_deg(series) < 25
    assert trunk_tilt_deg(_turned(series)) > 60
    with pytest.raises(WrongSetupError) as exc:
        analyze_pose(_turned(series), "run")
    assert exc.value.code == "not_upright"
    assert "sideways" in exc.value.message and "upright" in exc.value.hint
    analyze_pose(series, "run")  # no error


@pytest.mark.clips
def test_a_sideways_video_of_a_run_is_refused_in_one_line(media: Media, tmp_path: Path) -> None:
    path = media.get("sideways")
    line = assert_cli_fails_cleanly(
        run_cli(tmp_path, path, "--activity", "run", "--quiet"), "sideways", "turn it upright"
    )
    assert "deg from upright" in line
