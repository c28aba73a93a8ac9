"""Settings for the commands: saved profile < settings file < command-line flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.cli import build_parser
from formcheck.cli.common import settings_from_args
from formcheck.profile import save_profile
from formcheck.settings import Profile


def test_flags_beat_the_file_which_beats_the_saved_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORMCHECK_HOME", str(tmp_path))
    save_profile(Profile(height_cm=170.0, leg_length_cm=90.0, treadmill_kmh=9.0))
    toml = tmp_path / "s.toml"
    toml.write_text("max_gap_s = 0.1\n[profile]\ntreadmill_kmh = 11.0\n")
    args = build_parser().parse_args(
        ["analyze", "x.mp4", "--config", str(toml), "--height-cm", "182", "--view", "front"]
    )
    s = settings_from_args(args)
    assert s.profile.height_cm == 182.0  # flag
    assert s.profile.treadmill_kmh == 11.0  # file
    assert s.profile.leg_length_cm == 90.0  # saved profile
    assert s.profile.capture_fps is None
    assert s.max_gap_s == 0.1 and s.view == "front"


def test_no_saved_profile_and_no_flags_gives_an_empty_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORMCHECK_HOME", str(tmp_path))
    s = settings_from_args(build_parser().parse_args(["analyze", "x.mp4"]))
    assert s.profile == Profile()
