"""Frames decoded and converted straight to a smaller size (PyAV, swscale).

A reader asked for frames no larger than ``max_side`` pixels (the pose pass,
:data:`formcheck.pose.estimator.POSE_MAX_SIDE_PX`) does not need the clip's
full-size BGR frames. OpenCV's decoding makes two of them per frame and reader
(its own conversion buffer and the returned image, 25 MB each at 4K) before
anything can shrink them; here each decoded (YUV) frame is converted to BGR and
scaled in one swscale call (``VideoFrame.to_ndarray(width=, height=,
format="bgr24")``), so no full-size BGR image is ever made. Measured on the 4K
benchmark clip (``benchmarks/memory_4k.py``'s, 2160x3840 mp4v), two readers in
two threads: 234 MB above the process's size with OpenCV (decode, convert,
``INTER_AREA`` resize), 126 MB here.

The frames, their indices and times and the decode log are those of
:class:`~formcheck.video.reader.VideoReader`'s OpenCV path (checked against it on
the reader's variant files: rotation, variable rate, duplicate times, damage,
truncation, key-frame starts; ``tests/unit/test_video_shrunk.py``):

* times are the frames' presentation times in seconds from the stream's start
  time (the convention of OpenCV's ``CAP_PROP_POS_MSEC`` and of
  :func:`formcheck.video.keyframes.demux_times`); a time that does not increase
  is nudged 1 ms past the last one and counted;
* PyAV never applies the rotation metadata, so the clip's rotation
  (``info.rotation_deg``) is applied after scaling, to the small image; the long
  side limit is the same either way round (:func:`fit_long_side`);
* a packet that fails to decode counts as a failed read and opens a damaged
  range, closed by the next good frame; a jump of more than
  :data:`~formcheck.video.frames.GAP_FRAMES` nominal intervals is damage too; a
  file that ends well before its last packet time ends in a damaged range
  (``stopped_early``);
* with a frame index, decoding starts at the key frame at or before
  ``skip_before_s`` (PyAV's seek to a key frame's own time is exact); where it
  landed is checked against the index, else the clip is read from its start
  (``seek_missed``).

The only difference: OpenCV counts its last, failing read at the end of every
clip in ``failed_reads``; this path counts only packets that failed to decode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

# isort: off
# cv2 before av: see formcheck.video.reader (both bundle libxcb)
import cv2  # noqa: F401
import av

# isort: on
import numpy as np

from formcheck.errors import VideoError
from formcheck.video.frames import GAP_FRAMES, DecodeLog, Frame
from formcheck.video.info import VideoInfo
from formcheck.video.keyframes import SAME_TIME_S, FrameIndex
from formcheck.video.orient import turn_upright
from formcheck.video.scale import fit_long_side

#: swscale's scaling: the average of the pixels each output pixel covers (as
#: OpenCV's ``INTER_AREA``, used by :func:`formcheck.video.scale.shrink`).
INTERPOLATION = "AREA"


def wants_shrunk(info: VideoInfo, max_side: int | None) -> bool:
    """Whether a reader with ``max_side`` should decode ``info``'s clip here: a
    video whose frames are larger than the limit (smaller ones come as decoded,
    from OpenCV, exactly as without a limit)."""
    if info.is_image or max_side is None or max_side <= 0:
        return False
    return max(info.width, info.height) > max_side


def _open(path: Path, info: VideoInfo) -> av.container.InputContainer:
    av.logging.set_level(av.logging.PANIC)
    try:
        return av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        raise VideoError(
            f"PyAV could not open {path.name} ({info.codec}).",
            "Re-encode it as H.264 MP4 (e.g. with ffmpeg -i in.mov out.mp4).",
            code="decoder_failed",
        ) from exc


def _decoded(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> Iterator[av.VideoFrame | None]:
    """The stream's frames in presentation order; None for a packet that failed
    to decode. Ends quietly where the container cannot be read any further."""
    packets = container.demux(stream)
    while True:
        try:
            packet = next(packets)
        except StopIteration:
            return
        except av.error.FFmpegError:
            return  # the container itself is damaged from here on
        try:
            frames = packet.decode()
        except av.error.FFmpegError:
            yield None
            continue
        yield from frames


class ShrunkFrames:
    """Iterate a clip's frames, upright, scaled to at most ``max_side`` pixels on the
    long side while they are converted; see the module's docstring. The arguments
    are :class:`~formcheck.video.reader.VideoReader`'s; ``log`` is filled in."""

    def __init__(
        self,
        path: Path,
        info: VideoInfo,
        log: DecodeLog,
        max_side: int,
        skip_before_s: float = 0.0,
        only: Callable[[int], bool] | None = None,
        index: FrameIndex | None = None,
    ) -> None:
        self.path, self.info, self.log = Path(path), info, log
        self.max_side = max_side
        self.skip_before_s = float(skip_before_s)
        self.only = only
        self.index = index

    def _time(self, frame: av.VideoFrame, start: int, tb: float) -> float:
        pts = frame.pts if frame.pts is not None else frame.dts
        # in OpenCV's order (milliseconds, then seconds): the same double as
        # CAP_PROP_POS_MSEC / 1000 on the OpenCV path, to the last bit
        return float("nan") if pts is None else (pts - start) * tb * 1000.0 / 1000.0

    def _seek(
        self, container: av.container.InputContainer, stream: av.video.stream.VideoStream
    ) -> bool:
        """Seek to the key frame at or before ``skip_before_s`` (when an index is
        given and there is something to skip); whether it did."""
        if self.index is None or self.skip_before_s <= 0 or not stream.time_base:
            return False
        key_s = self.index.keyframe_before(self.skip_before_s)
        if key_s <= 0:
            return False
        start = stream.start_time or 0
        try:
            container.seek(start + round(key_s / stream.time_base), stream=stream, backward=True)
        except av.error.FFmpegError:
            return False
        return True

    def __iter__(self) -> Iterator[Frame]:
        container = _open(self.path, self.info)
        try:
            if not container.streams.video:
                raise VideoError(f"{self.path.name} has no picture.", "", code="no_video_stream")
            stream = container.streams.video[0]
            seeking = self._seek(container, stream)
            frames = self._frames(container, stream, seeking)
            first = next(frames, None)
            if seeking and first is None:
                # the landing could not be checked: read from the start instead
                frames.close()
                container.close()
                container = _open(self.path, self.info)
                stream = container.streams.video[0]
                fresh = DecodeLog(seek_missed=True)  # nothing of the attempt counts
                for name in DecodeLog.__slots__:
                    setattr(self.log, name, getattr(fresh, name))
                frames = self._frames(container, stream, False)
                first = next(frames, None)
            if first is not None:
                yield first
                yield from frames
        finally:
            container.close()

    def _frames(
        self,
        container: av.container.InputContainer,
        stream: av.video.stream.VideoStream,
        seeking: bool,
    ) -> Iterator[Frame]:
        info, log = self.info, self.log
        tb = float(stream.time_base) if stream.time_base else 0.0
        start = stream.start_time or 0
        rotation = info.rotation_deg if info.rotation_deg in (90, 180, 270) else 0
        frame_dt = 1.0 / info.fps_nominal if info.fps_nominal > 0 else 1.0 / 30
        end_s = info.last_packet_s if info.last_packet_s is not None else info.duration_s
        last_t = -np.inf
        damage_start: float | None = None
        index: int | None = None
        for frame in _decoded(container, stream):
            if frame is None:
                log.failed_reads += 1
                if damage_start is None:
                    damage_start = float(last_t) if np.isfinite(last_t) else 0.0
                continue
            t = self._time(frame, start, tb)
            if index is None:  # the first frame: where decoding started
                index = 0
                if seeking:
                    rank = self.index.rank(t) if self.index is not None else None
                    if rank is None or t > self.skip_before_s + SAME_TIME_S:
                        return  # not a landing that can be checked (the caller reads again)
                    index = rank
                    log.started_at_s = t
                log.first_index = index
            nudged = not np.isfinite(t) or t <= last_t
            if nudged:
                t = (last_t + 0.001) if np.isfinite(last_t) else 0.0
                log.timestamps_fixed += 1 if index != log.first_index else 0
            img = None
            if index == log.first_index or (
                (t >= self.skip_before_s or self.skip_before_s <= 0)
                and (self.only is None or self.only(index))
            ):
                w, h = fit_long_side(frame.width, frame.height, self.max_side)
                img = frame.to_ndarray(
                    width=w, height=h, format="bgr24", interpolation=INTERPOLATION
                )
                img = turn_upright(np.ascontiguousarray(img), rotation)
            del frame  # the decoder's full-size picture is not held while the caller works
            if damage_start is None and np.isfinite(last_t) and t - last_t > GAP_FRAMES * frame_dt:
                damage_start = float(last_t)  # the decoder skipped frames silently
            if damage_start is not None:
                log.add_damage(damage_start, float(t))
                damage_start = None
            last_t = t
            log.frames += 1
            log.ended_at_s = float(t)
            yield Frame(index, float(t), img)
            index += 1
        reached_end = end_s is None or last_t >= end_s - 1.5 * frame_dt
        if not reached_end and np.isfinite(last_t):
            log.add_damage(float(last_t), float(end_s or last_t))
            log.stopped_early = True
