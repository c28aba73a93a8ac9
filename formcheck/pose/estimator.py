"""MediaPipe Tasks PoseLandmarker, wrapped: the one place MediaPipe types appear.

VIDEO running mode serves both saved clips and live frames: it is synchronous
(a result per call, no callback thread), tracks the person between frames, and
only needs timestamps that strictly increase. MediaPipe does not recover after
a non-increasing timestamp (google-ai-edge/mediapipe#5743), so every timestamp
is forced to a strictly increasing integer millisecond here.

Crowding: the tracker follows one person and silently keeps the more confident
of two (google-ai-edge/mediapipe#4681); ``num_poses=2`` on every frame costs
about 35 % of throughput. Instead a second landmarker in IMAGE mode with
``num_poses=3`` and a low confidence (:data:`CROWD_CONFIDENCE`) looks at one
frame every ``crowd_check_every_s`` seconds (about 5 % extra at 0.5 s) and counts
people (:func:`count_people`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.pose.landmarks import N_LANDMARKS
from formcheck.pose.model import ModelInfo, verify_model
from formcheck.pose.people import count_people

#: A dead port on this machine. MediaPipe 1.2.2's native library carries a usage-
#: logging client that looks up and contacts play.googleapis.com
#: (google-ai-edge/mediapipe#6291) with no documented opt-out. It is an HTTP client
#: that honours the standard proxy variables, so pointing them at a closed local
#: port keeps it from resolving or reaching anything (checked with strace:
#: tests/unit/test_no_telemetry.py). formcheck itself needs no network at all.
_NOWHERE_PROXY = "http://127.0.0.1:9"


def block_native_telemetry() -> None:
    """Stop MediaPipe's built-in usage logging from leaving the machine.

    Sets ``https_proxy``/``HTTPS_PROXY`` for this process (and its children, e.g.
    parallel pose workers) to a closed loopback port, and adds loopback addresses
    to ``no_proxy`` so local connections (the app, tests) are unaffected. Call it
    before a landmarker is created; :class:`PoseEstimator` does.
    """
    # Only changed when not set yet: every landmarker calls this, and with parallel
    # pose threads (and the app creating estimators all day) a repeated setenv
    # would race the C libraries' getenv in the threads already running, and
    # no_proxy would grow by one copy of the loopback list per landmarker.
    for name in ("https_proxy", "HTTPS_PROXY"):
        if os.environ.get(name) != _NOWHERE_PROXY:
            os.environ[name] = _NOWHERE_PROXY
    local = "127.0.0.1,localhost,::1"
    for name in ("no_proxy", "NO_PROXY"):
        have = os.environ.get(name, "")
        if local not in have:
            os.environ[name] = f"{have},{local}" if have else local


#: Detection/presence confidence of the sampled crowd check. At MediaPipe's
#: default 0.5 a second person rarely comes out (google-ai-edge/mediapipe#4894).
#: Measured on every frame of every clip in shared/clips: at 0.3 the small,
#: backlit second person of sports2d_demo.mp4 was found in none of its frames;
#: at 0.05 (with duplicates merged by :func:`count_people`) in 21 % of them,
#: while the seven one-person clips gave a phantom second person in 2 of 3 655
#: frames (0.05 %). The "several people" notice also needs two hits
#: (CaptureLog.several_people_ranges), so a lone phantom never reaches a report.
CROWD_CONFIDENCE = 0.05

#: Long side (pixels) a clip's frames are shrunk to, right after decoding, for the
#: pose pass (``VideoReader(max_side=...)``; landmarks are still given in the
#: clip's own pixels). MediaPipe's pose detector sees the whole frame at 224x224
#: and the landmark model a 256x256 crop around the person, so pixels beyond that
#: are thrown away inside the model anyway: at 1280 px a person filling a quarter
#: of the frame's long side (320 px) is still cropped from more pixels than the
#: landmark model takes, and 720p phone clips (1280x720) are not touched. Above
#: it, what the pose pass holds no longer grows with resolution: a 4K frame is
#: 25 MB as BGR, again as RGB and again inside MediaPipe, per pose thread
#: (``benchmarks/memory_4k.py``: a 6 s 4K clip 927 -> 721-740 MB peak, the 720p
#: sample 550 MB). Such a clip is decoded by PyAV and converted straight to this
#: size (:mod:`formcheck.video.shrunk`), without OpenCV's two full-size BGR frames
#: a pose thread: 4K 611-616 MB; what is left above 720p is each pose thread's
#: FFmpeg decoder with its 4K reference frames.
POSE_MAX_SIDE_PX = 1280


@dataclass(frozen=True, slots=True)
class FramePose:
    """Landmarks of one frame.

    xyzv : float32 (33, 4), pixels of the given frame, y down; z on x's scale;
        visibility. All NaN when nobody was found.
    world : float32 (33, 3), metres, hip-centred; NaN when nobody was found.
    people : people counted by the crowd check on this frame, or None if the
        check did not run on this frame.
    """

    xyzv: np.ndarray
    world: np.ndarray
    people: int | None = None

    @property
    def found(self) -> bool:
        return bool(np.isfinite(self.xyzv[0, 0]))


#: Held while a landmarker is created (the model read and MediaPipe's graph
#: started): one at a time, as MediaPipe documents nothing about creating graphs
#: from several threads at once (the parallel pose pass does).
CREATE_LOCK = threading.Lock()

_QUIET_LOCK = threading.Lock()
_quiet_depth = 0
_quiet_saved_fd: int | None = None


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """Silence C++ log lines (absl/TFLite) written straight to fd 2.

    MediaPipe prints a few one-time warnings and an INFO line when a landmarker is
    created and on its first inference; absl logging ignores GLOG_minloglevel.
    Python exceptions are unaffected (they carry their own message).

    File descriptor 2 belongs to the whole process, and parallel pose threads
    (:mod:`formcheck.pose.parallel`) enter this at the same time: the first one in
    redirects, the last one out restores, so two overlapping uses can never leave
    stderr pointing at /dev/null.
    """
    global _quiet_depth, _quiet_saved_fd
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    entered = False
    try:
        # entered inside the try: a Ctrl-C right after the count went up must
        # still bring it down again (else stderr would stay silenced for good)
        with _QUIET_LOCK:
            if _quiet_depth == 0:
                sys.stderr.flush()
                saved = os.dup(fd)
                try:
                    devnull = os.open(os.devnull, os.O_WRONLY)
                    try:
                        os.dup2(devnull, fd)
                    finally:
                        os.close(devnull)
                except BaseException:
                    os.close(saved)
                    raise
                _quiet_saved_fd = saved
            _quiet_depth += 1
            entered = True
        yield
    finally:
        if entered:
            with _QUIET_LOCK:
                _quiet_depth -= 1
                if _quiet_depth == 0 and _quiet_saved_fd is not None:
                    os.dup2(_quiet_saved_fd, fd)
                    os.close(_quiet_saved_fd)
                    _quiet_saved_fd = None


def _empty() -> tuple[np.ndarray, np.ndarray]:
    return (
        np.full((N_LANDMARKS, 4), np.nan, np.float32),
        np.full((N_LANDMARKS, 3), np.nan, np.float32),
    )


class CrowdCheck:
    """The sampled multi-person check: an IMAGE-mode landmarker with ``num_poses=3``
    at :data:`CROWD_CONFIDENCE`, counting people with :func:`count_people`.

    IMAGE mode keeps no state between calls, so one check can serve several
    :class:`PoseEstimator` threads at once (calls are serialised; at 26 ms a call
    twice a second per thread they rarely meet). The parallel pose pass shares
    one: each landmarker holds about 75 MB, so a second copy pushed a two-thread
    analysis past 600 MB. Its landmarker is made at the first :meth:`count`. Use
    as a context manager, or call :meth:`close`.
    """

    def __init__(self, model_path: Path | None = None) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")
        block_native_telemetry()
        self.model: ModelInfo = verify_model(model_path)
        self._lock = threading.Lock()
        self._warm = False
        self._closed = False
        self._landmarker: Any = None

    def _open(self) -> Any:
        """The landmarker, made at the first count (called with the lock held).

        Not in ``__init__``: the parallel pose pass makes one check for all its
        threads before they start, and a later segment decodes its way to its
        start while the first count makes this, instead of waiting for it.
        """
        if self._landmarker is None:
            from mediapipe.tasks.python import BaseOptions, vision

            with CREATE_LOCK, _quiet_native_stderr():
                self._landmarker = vision.PoseLandmarker.create_from_options(
                    vision.PoseLandmarkerOptions(
                        base_options=BaseOptions(model_asset_path=str(self.model.path)),
                        running_mode=vision.RunningMode.IMAGE,
                        num_poses=3,
                        min_pose_detection_confidence=CROWD_CONFIDENCE,
                        min_pose_presence_confidence=CROWD_CONFIDENCE,
                    )
                )
        return self._landmarker

    def count(self, image: Any, width: int, height: int) -> int:
        """People in one ``mp.Image`` of ``width`` x ``height`` pixels."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the crowd check is closed")
            landmarker = self._open()
            quiet = contextlib.nullcontext() if self._warm else _quiet_native_stderr()
            with quiet:
                found = landmarker.detect(image).pose_landmarks
            self._warm = True
        return count_people([_image_landmarks(p, width, height) for p in found])

    def close(self) -> None:
        """Close the landmarker (idempotent)."""
        with self._lock:
            lm, self._landmarker = self._landmarker, None
            self._closed = True
        if lm is not None:
            lm.close()

    def __enter__(self) -> CrowdCheck:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PoseEstimator:
    """Landmarks for a stream of frames (a clip or a camera), one person tracked.

    ``crowd``: a :class:`CrowdCheck` to share (it stays open when this closes);
    by default the estimator makes its own when ``crowd_check_every_s > 0``.
    Use as a context manager (or call :meth:`close`): a landmarker left open
    prints an ignored exception at interpreter exit.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        crowd_check_every_s: float = 0.5,
        min_confidence: float = 0.5,
        crowd: CrowdCheck | None = None,
    ) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")
        block_native_telemetry()
        from mediapipe.tasks.python import BaseOptions, vision

        self.model: ModelInfo = verify_model(model_path)
        base = BaseOptions(model_asset_path=str(self.model.path))
        self._landmarker: Any = None
        self._crowd: CrowdCheck | None = None
        self._owns_crowd = crowd is None
        try:
            with CREATE_LOCK, _quiet_native_stderr():
                self._landmarker = vision.PoseLandmarker.create_from_options(
                    vision.PoseLandmarkerOptions(
                        base_options=base,
                        running_mode=vision.RunningMode.VIDEO,
                        num_poses=1,
                        min_pose_detection_confidence=min_confidence,
                        min_pose_presence_confidence=min_confidence,
                        min_tracking_confidence=min_confidence,
                    )
                )
            if crowd_check_every_s > 0:
                self._crowd = crowd if crowd is not None else CrowdCheck(model_path)
        except BaseException:
            # the landmarker is made when setting up the crowd check fails (its
            # model does not verify): close it, or its graph stays alive in this
            # process (a failed parallel worker thread would leave one behind on
            # every analysis)
            self.close()
            raise
        self.crowd_check_every_s = crowd_check_every_s
        self._last_ms = -1
        self._next_crowd_s = 0.0
        self._warm = False
        self.timestamps_nudged = 0

    # -- lifecycle ---------------------------------------------------------------------
    def close(self) -> None:
        """Close the landmarker and an own crowd check (idempotent; the second even
        if the first fails)."""
        video, crowd = self._landmarker, self._crowd
        self._landmarker = self._crowd = None
        try:
            if video is not None:
                video.close()
        finally:
            if crowd is not None and self._owns_crowd:
                crowd.close()

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- per frame ---------------------------------------------------------------------
    def process(self, image_bgr: np.ndarray, t_s: float) -> FramePose:
        """Landmarks of one upright BGR frame at time ``t_s`` (seconds).

        Timestamps that do not increase by at least 1 ms are nudged forward
        (counted in ``timestamps_nudged``) so MediaPipe never rejects a frame.
        A Ctrl-C that arrives meanwhile is raised once the frame is done
        (:func:`_interrupt_after`).
        """
        with _interrupt_after():
            return self._process(image_bgr, t_s)

    def _process(self, image_bgr: np.ndarray, t_s: float) -> FramePose:
        import cv2
        import mediapipe as mp

        ms = round(t_s * 1000.0)
        if ms <= self._last_ms:
            ms = self._last_ms + 1
            self.timestamps_nudged += 1
        self._last_ms = ms
        h, w = image_bgr.shape[:2]
        rgb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
        if self._warm:
            result = self._landmarker.detect_for_video(image, ms)
        else:
            with _quiet_native_stderr():
                result = self._landmarker.detect_for_video(image, ms)
            self._warm = True
        xyzv, world = _empty()
        if result.pose_landmarks:
            xyzv = _image_landmarks(result.pose_landmarks[0], w, h)
            world = np.array([(p.x, p.y, p.z) for p in result.pose_world_landmarks[0]], np.float32)
        people = None
        if self._crowd is not None and t_s >= self._next_crowd_s:
            self._next_crowd_s = t_s + self.crowd_check_every_s
            people = self._crowd.count(image, w, h)
        return FramePose(xyzv, world, people)


@contextlib.contextmanager
def _interrupt_after() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) back until the block is done, then raise it.

    A KeyboardInterrupt raised inside MediaPipe's Python wrappers can leave an
    object half made (an ``mp.Image`` without its native pointer), whose clean-up
    then prints a traceback as formcheck stops. Only in the main thread with
    Python's own handler in place (elsewhere signals do not raise, or someone else
    handles them).
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    hit: list[int] = []
    old = signal.signal(signal.SIGINT, lambda signum, _frame: hit.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
        if hit:
            raise KeyboardInterrupt


def _image_landmarks(landmarks: object, w: int, h: int) -> np.ndarray:
    return np.array(
        [(p.x * w, p.y * h, p.z * w, p.visibility) for p in landmarks],  # type: ignore[attr-defined]
        np.float32,
    )
