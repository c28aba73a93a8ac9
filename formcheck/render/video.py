"""Write annotated frames as H.264 MP4 that browsers play, one frame at a time.

OpenCV's default ``mp4v`` (MPEG-4 part 2) does not play in browsers, so the
video is encoded with libx264 through PyAV: yuv420p, ``+faststart`` (the index
at the front, so a browser can start playing before the whole file arrives).
Each frame keeps its source timestamp (pts in 1/90000 s, the MPEG clock), so
the original frame rate, and the timing of variable-frame-rate phone clips,
survive.

The file is written as ``<name>.partial.mp4`` and renamed to ``<name>.mp4``
only when complete (fsync, :func:`os.replace`, fsync of the folder), so an
interrupted export never leaves a file that looks finished. Memory does not
grow with the clip: each frame is encoded and dropped (with the background
encoder, at most :data:`QUEUE_FRAMES` frames wait for it).

Speed (measured on this project's 2-core machine, issue #9; ms per frame):

* Colour conversion: ``cv2.cvtColor(BGR2YUV_I420)`` into a ``yuv420p`` frame
  instead of ``VideoFrame.from_ndarray(format="bgr24")`` (converted by
  swscale inside ``encode``): encode+convert 4.6 -> 3.6 at 1280x720 and
  11.2+3.0 -> 8.7+1.6 at 1920x1080. Both are BT.601 limited range (16-235):
  white -> Y 235 (OpenCV) and 234 (swscale), primaries within 1 code value;
  solid patches decode within 2 levels of what was drawn (5 on the old path;
  ``test_writer_keeps_colours``).
* Background encoding (``background=True``): conversion and x264 run in a
  second thread while the caller decodes and draws the next frame
  (``avcodec_send_frame``/``avcodec_receive_packet`` and OpenCV release the
  GIL). Export with video minus without, wall ms per frame, median of 5
  interleaved runs (ultrafast, load about 2), in the caller's thread ->
  background: sample 4.1 -> 3.1, plank clip 6.7 -> 6.1 with x264's own
  threads; 4.7 -> 2.6 and 7.5 -> 6.0 with x264 on one thread, the default
  with ``background``. CPU time is the same (5.7 and 10.4 ms a frame).
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import cv2
import numpy as np

from formcheck.io import create_private_file, private_mkdir

#: x264 speed preset and quality. Measured on the annotated 720p frames of the
#: bundled sample (720x1280, 360 frames) and the plank clip (1920x1080 drawn at
#: 1280x720, 173 frames), x264 on one thread, CPU ms per frame / file size /
#: PSNR of the decoded frames against the drawn ones:
#:
#: ===================  ==========================  ==========================
#: preset, crf          sample                      plank
#: ===================  ==========================  ==========================
#: superfast, 23        5.9 ms, 4.8 MB, 43.4 dB     5.6 ms, 1.3 MB, 44.7 dB
#: ultrafast, 24        2.9 ms, 6.9 MB, 43.4 dB     2.9 ms, 3.0 MB, 44.6 dB
#: ultrafast, 23        2.9 ms, 7.5 MB, 44.2 dB     3.0 ms, 3.3 MB, 45.4 dB
#: veryfast, 23         8.6 ms, 3.0 MB, 41.8 dB     7.6 ms, 0.6 MB, 42.6 dB
#: ===================  ==========================  ==========================
#:
#: ultrafast at crf 24 gives the quality superfast gave at crf 23 for half the
#: encoding time; the file is 1.4-2.3x larger (about 4.6 Mbit/s at 720p).
PRESET = "ultrafast"
#: x264 constant rate factor (lower = better and bigger); see :data:`PRESET`.
CRF = 24

#: Frames that may wait for the background encoder (each one frame of memory).
QUEUE_FRAMES = 4

#: Timestamps are stored in units of 1/90000 s (MPEG's 90 kHz clock): exact for
#: 24, 25, 30, 60, 120, 240 fps and for NTSC 29.97/59.94.
TIME_BASE = Fraction(1, 90000)


def partial_path(path: Path) -> Path:
    """``annotated.mp4`` -> ``annotated.partial.mp4``."""
    return path.with_name(f"{path.stem}.partial{path.suffix}")


class AnnotatedVideoWriter:
    """Encode BGR frames with their timestamps into a browser-playable MP4.

    Parameters
    ----------
    path : Path
        Final file name (``.mp4``). Frames go to :func:`partial_path` first.
    width, height : int
        Frame size in pixels. H.264 4:2:0 needs even sizes: an odd size is
        padded by one black row/column.
    fps : float
        Nominal frame rate, stored as the stream's rate (players show it);
        timing comes from each frame's ``t_s``.
    crf, preset : x264 quality (lower crf = better, bigger) and speed.
    background : convert and encode in a worker thread, so the caller can
        decode and draw the next frame meanwhile. The writer then owns each
        image passed to :meth:`write`: the caller must not change it afterwards.
        An error in the worker is raised by the next :meth:`write` or by :meth:`close`.

    Use as a context manager: leaving normally finishes and renames the file;
    an exception deletes the partial file, except a KeyboardInterrupt, which
    closes it cleanly and keeps it under its ``.partial.mp4`` name.
    """

    def __init__(
        self,
        path: Path | str,
        width: int,
        height: int,
        fps: float,
        crf: int = CRF,
        preset: str = PRESET,
        background: bool = False,
    ) -> None:
        self.path = Path(path)
        self.partial = partial_path(self.path)
        self.width, self.height = int(width), int(height)
        self.enc_w, self.enc_h = self.width + self.width % 2, self.height + self.height % 2
        self.frames = 0
        self._last_pts: int | None = None
        private_mkdir(self.path.parent)
        self.partial.unlink(missing_ok=True)
        create_private_file(self.partial)  # for the user only; av keeps the mode
        rate = Fraction(fps).limit_denominator(1001) if fps and fps > 0 else Fraction(30)
        self._container = av.open(
            str(self.partial), "w", format="mp4", options={"movflags": "+faststart"}
        )
        stream = self._container.add_stream("libx264", rate=rate)
        stream.width, stream.height = self.enc_w, self.enc_h
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = TIME_BASE
        stream.time_base = TIME_BASE
        options = {"crf": str(crf), "preset": preset}
        if background:
            # x264 on the worker thread alone: the pipeline is then exactly two
            # threads (decode + draw, convert + encode); x264's own frame threads
            # were 0.1-0.5 ms a frame slower on 2 cores and hold more frames
            options["threads"] = "1"
        stream.options = options
        self._stream = stream
        self._closed = False
        self._error: BaseException | None = None
        self._stop = False
        self._queue: queue.Queue[tuple[np.ndarray, int] | None] | None = None
        self._worker: threading.Thread | None = None
        if background:
            self._queue = queue.Queue(maxsize=QUEUE_FRAMES)
            self._worker = threading.Thread(
                target=self._work, name="formcheck-video-encoder", daemon=True
            )
            self._worker.start()

    def write(self, image: np.ndarray, t_s: float) -> None:
        """Encode one frame (uint8 BGR, (height, width, 3)) shown at ``t_s`` seconds."""
        if image.shape[:2] != (self.height, self.width):
            raise ValueError(
                f"frame is {image.shape[1]}x{image.shape[0]}, writer is {self.width}x{self.height}"
            )
        if self._error is not None:
            raise self._error
        pts = round(float(t_s) / TIME_BASE)
        if self._last_pts is not None and pts <= self._last_pts:
            pts = self._last_pts + 1  # never let rounding make two frames share a time
        self._last_pts = pts
        self.frames += 1
        if self._queue is not None:
            self._queue.put((image, pts))
        else:
            self._encode(image, pts)

    def _encode(self, image: np.ndarray, pts: int) -> None:
        if (self.enc_w, self.enc_h) != (self.width, self.height):
            padded = np.zeros((self.enc_h, self.enc_w, 3), np.uint8)
            padded[: self.height, : self.width] = image
            image = padded
        # (enc_h * 3 / 2, enc_w): the Y plane, then U and V at half size (I420 = yuv420p)
        yuv = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_BGR2YUV_I420)
        frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
        frame.pts = pts
        frame.time_base = TIME_BASE
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def _work(self) -> None:
        """The background encoder: encode queued frames until the end marker (None)."""
        assert self._queue is not None
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None or self._stop:
                continue  # keep draining so that write() never blocks for ever
            try:
                self._encode(*item)
            except BaseException as exc:  # handed to the caller's thread
                self._error = exc

    def _join(self) -> None:
        if self._worker is not None and self._queue is not None:
            self._queue.put(None)
            self._worker.join()
            self._worker = None

    def _flush_and_close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._join()
            if self._error is not None:
                raise self._error
            for packet in self._stream.encode(None):
                self._container.mux(packet)
        finally:
            self._container.close()

    def close(self) -> Path:
        """Finish the file and give it its final name; returns the final path."""
        self._flush_and_close()
        with open(self.partial, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(self.partial, self.path)
        with contextlib.suppress(OSError):
            dfd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        return self.path

    def abort(self, keep_partial: bool = False) -> None:
        """Stop writing; delete the partial file unless ``keep_partial``.

        Frames still waiting for the background encoder are dropped.
        """
        self._stop = True
        with contextlib.suppress(Exception):
            self._flush_and_close()
        if not keep_partial:
            with contextlib.suppress(FileNotFoundError):
                self.partial.unlink()

    def __enter__(self) -> AnnotatedVideoWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort(keep_partial=issubclass(exc_type, KeyboardInterrupt))
