"""Where a clip can be entered without decoding it from the start.

A later pose segment (``formcheck.pose.parallel``) needs frames from the middle of
a clip. Decoding everything before them costs 1.3-2.5 ms of CPU a frame; seeking
to the key frame before them costs one key frame's interval at most. OpenCV's
seek is not frame exact (it converts the time to a frame number with the average
rate, so on a variable-rate clip it lands a frame or two away), so the reader
does not trust it: it checks where it landed against this index of presentation
times, read from the container's packets without decoding (about 5-30 ms for the
clips here, 0.1 s for a 10-minute one).

Times are seconds from the stream's first presentation time, the convention of
OpenCV's ``CAP_PROP_POS_MSEC`` (checked on MP4, MOV, MKV and WebM with and without
a start offset, constant and variable rate: ``tests/unit/test_video_reader.py``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

# isort: off
# cv2 before av: see formcheck.video.reader (both bundle libxcb)
import cv2
import av

# isort: on
import numpy as np

#: Two times closer than this (seconds) are the same frame: OpenCV computes its
#: time from the same integer pts in double precision (differences seen: 4e-15 s).
SAME_TIME_S = 1e-6


@dataclass(frozen=True, slots=True)
class FrameIndex:
    """Presentation times of a clip's video packets.

    times_s : (n,) float64, sorted, unique: every packet's presentation time,
        seconds from the stream start. The rank of a time is the frame index a
        full decode gives it when no frame before it fails to decode.
    keyframes_s : (k,) float64, sorted: the key frames' times (where decoding can start).
    """

    times_s: np.ndarray
    keyframes_s: np.ndarray

    def keyframe_before(self, t_s: float) -> float:
        """The last key frame at or before ``t_s`` (0.0 when there is none)."""
        i = int(np.searchsorted(self.keyframes_s, t_s + SAME_TIME_S, side="right"))
        return float(self.keyframes_s[i - 1]) if i else 0.0

    def rank(self, t_s: float) -> int | None:
        """The index of the frame shown at ``t_s``, None if no packet has that time."""
        i = int(np.searchsorted(self.times_s, t_s - SAME_TIME_S, side="left"))
        if i < self.times_s.size and abs(self.times_s[i] - t_s) <= SAME_TIME_S:
            return i
        return None


#: Key frames tried, each one further back, when OpenCV's seek lands past the time
#: wanted (on a variable-rate clip it lands a frame or two after the key frame).
SEEK_TRIES = 3


def seek_before(cap: cv2.VideoCapture, index: FrameIndex, t_s: float) -> tuple[float, int] | None:
    """Move a freshly opened ``cap`` to a frame at or before ``t_s`` and grab it.

    Seeks to the last key frame at or before ``t_s``; where the seek lands is
    checked (a packet with exactly that time, not after ``t_s``), and if it
    landed past ``t_s`` the key frame before is tried, up to :data:`SEEK_TRIES`.
    A key frame at 0 is the clip's start: no seek, the first frame is grabbed.
    Returns the grabbed frame's time (seconds) and its rank in ``index``, or
    None when no landing could be checked (the caller decodes from the start,
    on a capture it opens again).
    """
    key_s = index.keyframe_before(t_s)
    for _ in range(SEEK_TRIES):
        if key_s > 0:
            cap.set(cv2.CAP_PROP_POS_MSEC, key_s * 1000.0)
        if not cap.grab():
            return None
        t = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        rank = index.rank(t) if t <= t_s + SAME_TIME_S else None
        if rank is not None:
            return t, rank
        if key_s <= 0:
            return None
        key_s = index.keyframe_before(key_s - 2 * SAME_TIME_S)
    return None


def demux_times(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> tuple[np.ndarray, np.ndarray]:
    """Presentation times of every packet of ``stream`` and of its key frames.

    Both (n,) float64, sorted, unique, seconds from the stream's start time (the
    convention of OpenCV's ``CAP_PROP_POS_MSEC``). Reads the packets without
    decoding; stops quietly at damage. The probe and :func:`read_frame_index`
    both use it.
    """
    tb = float(stream.time_base) if stream.time_base else 0.0
    start = stream.start_time or 0
    times: list[int] = []
    keys: list[int] = []
    with contextlib.suppress(av.error.FFmpegError):
        for pkt in container.demux(stream):
            if pkt.pts is None:
                continue
            times.append(pkt.pts - start)
            if pkt.is_keyframe:
                keys.append(pkt.pts - start)
    return (
        np.unique(np.asarray(times, np.int64)) * tb,
        np.unique(np.asarray(keys, np.int64)) * tb,
    )


def read_frame_index(path: Path | str) -> FrameIndex | None:
    """The packet times and key frames of a clip's first video stream.

    None when the container cannot be read this way, has no timed packets or
    marks no key frame (the caller then decodes from the start, as always). A
    second read of what the probe read (5-30 ms for the clips here), done only
    when a clip is split between pose workers.
    """
    av.logging.set_level(av.logging.PANIC)
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError):
        return None
    with container:
        if not container.streams.video or not container.streams.video[0].time_base:
            return None
        times, keys = demux_times(container, container.streams.video[0])
    if not times.size or not keys.size:
        return None
    return FrameIndex(times, keys)
