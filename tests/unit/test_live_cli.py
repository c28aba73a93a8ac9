"""``formcheck live``: the OpenCV path, with a clip as the camera.

Headless mode writes the annotated frames and the report; under Xvfb the
window path runs too. The rep count is the clip's known truth (MANIFEST.md:
exactly 5 reps, read by tests/fixtures/truths.py), because ``formcheck live``
drives the same live analyzer as the app and as the batch analysis.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.cli import main
from tests.fixtures import truths
from tests.fixtures.clips import clip_path

BRIDGE = "glute_bridge_side_darebee.mp4"


@pytest.mark.clips
def test_headless_bridge_counts_five_reps_and_draws(tmp_path: Path) -> None:
    clip = clip_path(BRIDGE)
    known = truths.clip(BRIDGE)
    assert known.frames is not None
    out = tmp_path / "live"
    rc = main(
        [
            "live",
            "--video",
            str(clip),
            "--activity",
            "glute-bridge",
            "--headless-out",
            str(out),
            "--no-save",
        ]
    )
    assert rc == 0
    live = json.loads((out / "live.json").read_text())
    assert live["camera_status"] == "ended"
    assert live["frames"] == known.frames
    assert live["frames_with_pose"] >= 0.95 * known.frames
    assert live["reps"] == known.count.value
    assert live["errors"] == 0
    report = json.loads((out / "report.json").read_text())
    assert report["source"]["kind"] == "webcam"
    assert report["metrics"]["reps"]["value"] == known.count.value
    # Every frame written, annotated: the overlay changes the picture.
    frames = sorted(out.glob("frame_*.jpg"))
    assert len(frames) == known.frames
    cap = cv2.VideoCapture(str(clip))
    ok, first = cap.read()
    cap.release()
    drawn = cv2.imread(str(frames[0]))
    assert ok and drawn.shape == first.shape
    diff = np.abs(drawn.astype(int) - first.astype(int)).max(axis=2)
    assert (diff > 60).mean() > 0.01  # skeleton and panel, not JPEG noise


def test_missing_video_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(
        [
            "live",
            "--video",
            str(tmp_path / "nope.mp4"),
            "--activity",
            "plank",
            "--headless-out",
            str(tmp_path),
        ]
    )
    assert rc == 1
    err = capsys.readouterr().err
    assert "No file at" in err and "Traceback" not in err


def test_link_for_video_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://example.com/run.mp4"
    args = ["live", "--video", url, "--activity", "plank", "--headless-out", str(tmp_path)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "not links" in err and "No file at" not in err and "Traceback" not in err


def test_no_screen_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    rc = main(["live", "--camera", "0", "--activity", "plank"])
    assert rc == 1
    assert "no screen" in capsys.readouterr().err


class IdleAnalyzer:
    """Stands in for a live analyzer where only the camera handling is tested."""

    activity = "plank"

    def __init__(self, settings: object) -> None:
        pass


def test_unopenable_camera_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from formcheck import activities

    idle = dataclasses.replace(activities.BY_NAME["plank"], live=IdleAnalyzer)
    monkeypatch.setitem(activities.BY_NAME, "plank", idle)
    rc = main(["live", "--camera", "97", "--activity", "plank", "--headless-out", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 1
    assert "camera 97" in err and "Traceback" not in err


@pytest.mark.clips
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run not installed")
def test_window_mode_under_xvfb(tmp_path: Path) -> None:
    clip = clip_path(BRIDGE)
    proc = subprocess.run(
        [
            "xvfb-run",
            "-a",
            sys.executable,
            "-m",
            "formcheck.cli",
            "live",
            "--video",
            str(clip),
            "--activity",
            "glute-bridge",
            "--seconds",
            "3",
            "--no-save",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "frames:" in proc.stdout


@pytest.mark.clips
def test_camera_lost_mid_set_keeps_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A camera that freezes after 80 frames: stop cleanly, keep and save the set as partial."""
    import formcheck.video.camera as camera

    frames = []
    cap = cv2.VideoCapture(str(clip_path(BRIDGE)))
    while len(frames) < 80:
        ok, img = cap.read()
        assert ok
        frames.append(img)
    cap.release()

    class FreezingCamera:
        def __init__(self) -> None:
            self.n = 0

        def isOpened(self) -> bool:
            return True

        def read(self) -> tuple[bool, np.ndarray]:
            import time

            time.sleep(1 / 24)
            self.n += 1
            return True, frames[min(self.n, len(frames)) - 1]  # then the same picture for ever

        def get(self, prop: int) -> float:
            return 0.0

        def release(self) -> None:
            pass

    monkeypatch.setattr(camera, "open_capture", lambda source: FreezingCamera())
    out, db = tmp_path / "live", tmp_path / "history.sqlite3"
    rc = main(
        [
            "live",
            "--camera",
            "0",
            "--activity",
            "glute-bridge",
            "--headless-out",
            str(out),
            "--db",
            str(db),
        ]
    )
    captured = capsys.readouterr()
    assert rc == 1  # the camera was lost ...
    assert "has not changed" in captured.err and "kept" in captured.err
    live = json.loads((out / "live.json").read_text())
    assert live["camera_status"] == "lost" and live["partial"] is True
    assert live["frames"] >= 60  # ... but what was recorded is kept
    report = json.loads((out / "report.json").read_text())
    assert report["partial"] is True
    from formcheck.store import HistoryDB

    with HistoryDB(db) as hdb:
        sessions = hdb.list_sessions()
    assert len(sessions) == 1 and sessions[0].status == "partial"
    assert "partial session" in captured.out
