"""CameraStream: the worker thread and the watchdog, with fake devices and a real file."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.video.camera import CameraStream

WATCHDOG_S = 0.3  # short, so the tests stay quick; the product uses 2 s


class FakeCamera:
    """A camera that behaves for ``good`` frames, then fails in a chosen way."""

    def __init__(self, good: int, then: str) -> None:
        self.good = good
        self.then = then
        self.n = 0
        self.released = False
        self.block = threading.Event()
        self.stuck_in_read = False

    def isOpened(self) -> bool:
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        self.n += 1
        time.sleep(0.005)
        if self.n <= self.good:
            img = np.full((24, 32, 3), self.n % 256, np.uint8)  # every frame differs
            return True, img
        if self.then == "false":
            return False, None
        if self.then == "frozen":
            return True, np.full((24, 32, 3), 7, np.uint8)
        if self.then == "block":
            self.stuck_in_read = True
            self.block.wait(5.0)  # a read that never comes back (opencv/opencv#4468)
            self.stuck_in_read = False
            return False, None
        raise AssertionError(self.then)

    def get(self, prop: int) -> float:
        return 0.0

    def release(self) -> None:
        self.released = True


@pytest.mark.parametrize("failure", ["false", "frozen", "block"])
def test_lost_camera_stops_cleanly_and_keeps_frames(failure: str) -> None:
    cam = FakeCamera(good=20, then=failure)
    stream = CameraStream(0, watchdog_s=WATCHDOG_S, capture_factory=lambda s: cam)
    got = []
    with stream:
        for frame in stream.frames():
            got.append(frame)
        # a blocking read is still stuck when the stream has ended: the watchdog,
        # not the read coming back, ended it
        ended_while_stuck = cam.stuck_in_read
    assert stream.status == "lost"
    assert "camera" in stream.reason
    # Frames before the failure were all delivered or (camera mode) at least the
    # newest ones; none after it except frozen duplicates within the watchdog.
    assert len(got) >= 1
    assert all(np.diff([f.t_s for f in got]) > 0)
    assert ended_while_stuck == (failure == "block")
    cam.block.set()


def test_camera_that_cannot_open() -> None:
    class Closed(FakeCamera):
        def isOpened(self) -> bool:
            return False

    with pytest.raises(OSError, match="Cannot open camera 3"):
        CameraStream(3, capture_factory=lambda s: Closed(0, "false")).start()


def test_stop_from_another_thread() -> None:
    cam = FakeCamera(good=10**9, then="false")
    stream = CameraStream(0, watchdog_s=WATCHDOG_S, capture_factory=lambda s: cam)
    n = 0
    with stream:
        threading.Timer(0.2, stream.stop).start()
        for _ in stream.frames():
            n += 1
    assert stream.status == "stopped"
    assert n > 0


def test_file_source_delivers_every_frame_with_file_timestamps(tmp_path: Path) -> None:
    path = tmp_path / "ten.mp4"
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 25.0, (64, 48))
    for i in range(10):
        w.write(np.full((48, 64, 3), i * 20, np.uint8))
    w.release()
    stream = CameraStream(path, watchdog_s=WATCHDOG_S)
    with stream:
        frames = list(stream.frames())
    assert stream.status == "ended"
    assert [f.index for f in frames] == list(range(10))
    # Timestamps are the file's (1/25 s apart), not wall-clock times.
    assert np.allclose(np.diff([f.t_s for f in frames]), 0.04, atol=0.002)
