"""A local camera (or a clip played as one) read in a worker thread, with a watchdog.

OpenCV cameras fail in backend-specific ways when unplugged: ``read()`` may
return False, may return the last frame forever, or may block for ever
(opencv/opencv#5221, #5746, #4468; ``shared/docs/pitfalls.md``). So frames
are read in a daemon thread and handed over through a small queue, and the
consumer decides the camera is lost when

* no new frame has arrived for ``watchdog_s`` seconds (a blocked or dead
  device), or
* every frame has been *identical* for ``watchdog_s`` seconds (a frozen
  device repeating its last picture; a live sensor always has noise).

Then :meth:`CameraStream.frames` stops cleanly and :attr:`CameraStream.status`
says ``"lost"`` with a plain reason; the caller keeps what it analysed so far
and marks the session partial. The UI never hangs on a dead device: the
worker thread is abandoned (it is a daemon) if ``read()`` never returns.

A video file can stand in for the camera (``formcheck live --video FILE``):
its frames carry the file's own timestamps, every frame is delivered (the
queue blocks instead of dropping), and the end of the file ends the stream
with status ``"ended"``.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

#: No new frame (or only identical frames) for this long = camera lost, in
#: seconds. Two seconds is ~60 frames at 30 fps: far longer than any normal
#: hiccup (auto-exposure changes, USB bandwidth renegotiation take < 0.5 s),
#: short enough that a runner notices at once (pitfalls.md "Webcam disappears").
WATCHDOG_S = 2.0

#: A file source that fails this many reads in a row before its stated end is
#: treated as ended (damaged tail), so a bad file never spins for ever.
MAX_FILE_FAILURES = 60


class Capture(Protocol):
    """The part of ``cv2.VideoCapture`` the stream uses (tests pass fakes)."""

    def isOpened(self) -> bool: ...
    def read(self) -> tuple[bool, np.ndarray | None]: ...
    def get(self, prop: int) -> float: ...
    def release(self) -> None: ...


@dataclass(frozen=True, slots=True)
class CameraFrame:
    """One frame from the source.

    index : 0, 1, 2 ... in delivery order.
    t_s : seconds since the stream started: the file's presentation time for a
        clip, the monotonic clock at capture for a camera. Strictly increasing.
    image : uint8 (height, width, 3), BGR, upright.
    """

    index: int
    t_s: float
    image: np.ndarray


def open_capture(source: int | str | Path) -> Capture:
    """Open a camera index or a file with OpenCV (rotation applied for files)."""
    import cv2

    if isinstance(source, int):
        return cv2.VideoCapture(source)  # type: ignore[return-value]
    from formcheck.video.orient import open_rotating

    return open_rotating(source)[0]  # type: ignore[return-value]


class CameraStream:
    """Frames from a camera index or a video file, read in a worker thread.

    Parameters
    ----------
    source : int or path
        A camera index (0 = the default webcam) or a video file.
    watchdog_s : float
        See :data:`WATCHDOG_S`.
    capture_factory : callable, optional
        ``source -> Capture``; defaults to :func:`open_capture` (tests inject fakes).

    Attributes
    ----------
    status : "idle", "running", "ended" (file finished), "stopped" (``stop()``
        was called) or "lost" (camera vanished or froze; see ``reason``).
    reason : a plain sentence for "lost" (and for a source that cannot open).
    """

    def __init__(
        self,
        source: int | str | Path,
        watchdog_s: float = WATCHDOG_S,
        capture_factory: Callable[[int | str | Path], Capture] | None = None,
    ) -> None:
        self.source = source
        self.is_file = not isinstance(source, int)
        self.watchdog_s = float(watchdog_s)
        self._factory = capture_factory or open_capture
        # A camera keeps only the newest frame (a slow consumer skips frames and
        # stays live); a file keeps every frame (the consumer sets the pace).
        self._queue: queue.Queue[CameraFrame | None] = queue.Queue(
            maxsize=1 if not self.is_file else 4
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._cap: Capture | None = None
        self._identical_since: float | None = None
        self._lock = threading.Lock()
        self.status = "idle"
        self.reason = ""
        self.frames_read = 0

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> CameraStream:
        """Open the source and start reading. Raises ``OSError`` if it cannot open."""
        cap = self._factory(self.source)
        if not cap.isOpened():
            with contextlib.suppress(Exception):
                cap.release()
            what = f"camera {self.source}" if not self.is_file else f"the file {self.source}"
            raise OSError(f"Cannot open {what}.")
        self._cap = cap
        self.status = "running"
        self._thread = threading.Thread(target=self._run, name="formcheck-camera", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop reading (safe to call more than once, from any thread)."""
        if self.status == "running":
            self.status = "stopped"
        self._stop.set()
        with contextlib.suppress(queue.Empty):
            self._queue.get_nowait()  # unblock a worker waiting to put

    def close(self, timeout_s: float = 1.0) -> None:
        """Stop and wait (bounded) for the worker; a hung device is left behind."""
        self.stop()
        if self._thread is not None:
            self._thread.join(timeout=timeout_s)

    def __enter__(self) -> CameraStream:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- worker --------------------------------------------------------------------------
    def _put(self, item: CameraFrame | None) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                if not self.is_file:  # camera: drop the stale frame, keep the new one
                    with contextlib.suppress(queue.Empty):
                        self._queue.get_nowait()

    def _run(self) -> None:
        import cv2

        from formcheck.video.orient import turn_upright

        cap = self._cap
        assert cap is not None
        t0 = time.monotonic()
        last_t = -np.inf
        prev: np.ndarray | None = None
        failures = 0
        index = 0
        turn: int | None = None if self.is_file else 0  # a camera's frames come upright
        try:
            while not self._stop.is_set():
                ok, img = cap.read()
                if self._stop.is_set():
                    break
                if not ok or img is None:
                    failures += 1
                    if self.is_file and failures > MAX_FILE_FAILURES:
                        break
                    if self.is_file:
                        continue
                    time.sleep(0.01)  # camera: the watchdog decides when it is lost
                    continue
                failures = 0
                if turn is None:
                    turn = self._file_turn(cap, img.shape)
                img = turn_upright(img, turn)
                now = time.monotonic()
                if self.is_file:
                    t = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
                    if not np.isfinite(t) or t <= last_t:
                        t = last_t + 0.001 if np.isfinite(last_t) else 0.0
                else:
                    t = now - t0
                    if t <= last_t:
                        t = last_t + 0.001
                    # Frozen device check: identical to the previous frame?
                    same = (
                        prev is not None and prev.shape == img.shape and np.array_equal(prev, img)
                    )
                    with self._lock:
                        if same:
                            if self._identical_since is None:
                                self._identical_since = now
                        else:
                            self._identical_since = None
                    prev = img
                last_t = t
                self.frames_read += 1
                self._put(CameraFrame(index, float(t), img))
                index += 1
        finally:
            with contextlib.suppress(Exception):
                cap.release()
            self._put(None)  # end-of-stream marker (file ended or stopped)

    def _file_turn(self, cap: Capture, shape: tuple[int, ...]) -> int:
        """Rotation still to apply to a file's frames: the clip reader's decision
        (:func:`formcheck.video.orient.rotation_to_apply`), 0 if the file cannot be
        probed."""
        import cv2

        from formcheck.errors import FormcheckError
        from formcheck.video.orient import rotation_to_apply
        from formcheck.video.reader import probe

        try:
            info = probe(self.source)
        except FormcheckError:
            return 0
        auto_rotates = cap.get(cv2.CAP_PROP_ORIENTATION_AUTO) == 1
        return rotation_to_apply(info, shape, auto_rotates)

    # -- consumer ------------------------------------------------------------------------
    def frames(self) -> Iterator[CameraFrame]:
        """Yield frames until the file ends, ``stop()`` is called or the camera is lost."""
        if self.status == "idle":
            self.start()
        last_new = time.monotonic()
        while True:
            if self._stop.is_set() and self.status == "stopped":
                return
            got = True
            try:
                item = self._queue.get(timeout=0.05)
            except queue.Empty:
                got, item = False, None
            now = time.monotonic()
            if got and item is None:
                if self.status == "running":
                    if self.is_file:
                        self.status = "ended"
                    else:
                        self._lose("The camera stopped sending pictures.")
                return
            if got:
                last_new = now
            if not self.is_file:
                with self._lock:
                    frozen_since = self._identical_since
                if frozen_since is not None and now - frozen_since >= self.watchdog_s:
                    self._lose(
                        f"The camera picture has not changed for {self.watchdog_s:g} s "
                        "(the camera froze or was unplugged)."
                    )
                    return
                if now - last_new >= self.watchdog_s:
                    self._lose(
                        f"No picture from the camera for {self.watchdog_s:g} s "
                        "(it was unplugged, or another app took it)."
                    )
                    return
            if item is not None:
                yield item

    def _lose(self, reason: str) -> None:
        self.status = "lost"
        self.reason = reason
        self._stop.set()
