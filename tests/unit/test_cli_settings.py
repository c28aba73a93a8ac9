"""Settings for the commands: saved profile < settings file < command-line flags."""

from __future__ import annotations

import contextlib
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


def test_app_passes_every_streamlit_option_after_the_privacy_flags(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`formcheck app --server.port 8600` (the example its --help gives) reaches
    Streamlit; the privacy flags come first, so an option given later wins."""
    import formcheck.cli.app as app_cli
    from formcheck.cli import main

    seen: list[list[str]] = []

    def fake_exec(path: str, cmd: list[str], env: dict[str, str]) -> None:
        seen.append(list(cmd))
        assert env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] == "false"
        raise SystemExit(0)

    monkeypatch.setattr(app_cli.os, "execve", fake_exec)
    monkeypatch.setattr(app_cli.subprocess, "call", lambda cmd, **kw: seen.append(cmd) or 0)
    with contextlib.suppress(SystemExit):
        main(["app", "--server.port", "8600", "--theme.base=dark"])
    (cmd,) = seen
    assert cmd[-3:] == ["--server.port", "8600", "--theme.base=dark"]
    assert cmd[cmd.index("--browser.gatherUsageStats") + 1] == "false"
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd.index("--server.address") < cmd.index("--server.port")
    assert Path(cmd[4]) == app_cli.APP_SCRIPT and app_cli.APP_SCRIPT.is_file()


def test_other_commands_refuse_unknown_options(capsys: pytest.CaptureFixture[str]) -> None:
    from formcheck.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["analyze", "x.mp4", "--server.port", "8600"])
    assert exc.value.code == 2
    assert "unrecognized arguments: --server.port 8600" in capsys.readouterr().err
