"""The app's "camera on this computer" path: an aiortc track fed by CameraStream.

A clip stands in for the camera: frames come out with the clip's timestamps
as 90 kHz pts, and the end of the source ends the track (MediaStreamError),
which streamlit-webrtc reports as the stream ending.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import cv2
import numpy as np
import pytest


def _clip(path: Path, n: int) -> Path:
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 25.0, (64, 48))
    for i in range(n):
        w.write(np.full((48, 64, 3), (7 * i) % 250, np.uint8))
    w.release()
    return path


def test_track_delivers_frames_then_ends(tmp_path: Path) -> None:
    from aiortc.mediastreams import MediaStreamError

    from formcheck.ui.livecam import make_local_track

    clip = _clip(tmp_path / "c.mp4", 8)

    async def drain() -> list[object]:
        track = make_local_track(str(clip))
        frames = []
        with pytest.raises(MediaStreamError):
            for _ in range(20):
                frames.append(await track.recv())
        return frames

    frames = asyncio.run(drain())
    assert len(frames) == 8
    pts = [f.pts for f in frames]
    assert pts[0] == 0 and np.allclose(np.diff(pts), 90000 / 25, atol=2)
    assert frames[0].to_ndarray(format="bgr24").shape == (48, 64, 3)


def test_a_camera_that_cannot_be_opened_is_said_plainly() -> None:
    """The app's "camera on this computer" with no such camera: a sentence and a next
    step (was: "Something went wrong while starting the camera: Cannot open camera")."""
    from formcheck.errors import FormcheckError
    from formcheck.ui.livecam import make_local_track

    with pytest.raises(FormcheckError) as exc:
        make_local_track(97)  # no machine here has 98 cameras
    assert exc.value.code == "no_camera"
    assert "Camera 97 of this computer cannot be opened" in exc.value.message
    assert "START again" in exc.value.hint
