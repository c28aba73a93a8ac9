"""Read a clip (or a still image) as upright frames with real timestamps.

Decoding is OpenCV's (FFmpeg back-end); container facts (streams, rotation,
packet timestamps) come from PyAV, which reads the container without decoding.
Frames wanted smaller than the clip (``max_side``) are decoded by PyAV and
scaled while converted (:mod:`formcheck.video.shrunk`), with the same indices,
times and decode log.
Every frame carries the decoder's presentation time in seconds, never
``index / fps``: phone clips have variable frame rate (opencv/opencv#15749).

Known failure modes handled here (``shared/docs/pitfalls.md``): rotation
metadata (applied once, checked against the decoded shape), ``CAP_PROP_FPS``
being an average, absurd frame counts, damaged frames mid-file, a header that
promises more than the file holds, files that are not videos at all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

# isort: off
# cv2 before av: both wheels bundle libxcb, and when PyAV's loads first OpenCV's
# window hangs at the first cv2.imshow (formcheck live; see live_cli).
import cv2
import av

# isort: on
import numpy as np

from formcheck.errors import VideoError
from formcheck.video.checks import check_path, read_head
from formcheck.video.frames import GAP_FRAMES, DecodeLog, Frame
from formcheck.video.info import VideoInfo, recorded_time
from formcheck.video.keyframes import FrameIndex, demux_times, seek_before
from formcheck.video.orient import open_rotating, rotation_to_apply, turn_upright
from formcheck.video.scale import shrink
from formcheck.video.shrunk import ShrunkFrames, wants_shrunk

#: Leading bytes of still-image formats (checked before trusting an extension).
_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"BM", "BMP"),
    (b"RIFF", "WEBP?"),
    (b"GIF8", "GIF"),
)

#: A frame interval this far (relative) from the median interval is off the clip's rate.
VFR_REL_SPREAD = 0.02
#: A clip counts as variable-rate when more than this share of its frame intervals is
#: off its rate: a constant-rate clip with a frame or two dropped (a truncated file's
#: last one, a stutter) keeps its rate; a phone's variable rate moves most intervals.
VFR_SHARE = 0.05

#: A failed read is retried up to this long (seconds of nominal frames) past the
#: last good frame before the rest of the file is given up as damaged.
MAX_DAMAGE_GAP_S = 5.0


def _image_kind(head: bytes) -> str | None:
    for magic, kind in _IMAGE_MAGIC:
        if head.startswith(magic):
            if kind == "WEBP?":
                return "WEBP" if head[8:12] == b"WEBP" else None
            return kind
    return None


def probe(path: Path | str) -> VideoInfo:
    """Read a clip's facts without decoding it; raise :class:`VideoError` if unusable.

    Raises
    ------
    VideoError
        With ``code`` one of ``is_link``, ``missing_file``, ``is_folder``,
        ``not_regular_file``, ``empty_file``, ``unreadable_file``, ``not_video``,
        ``no_video_stream``, ``incomplete_recording``, ``bad_image``.
    """
    path = Path(path)
    size = check_path(path)
    head = read_head(path)
    kind = _image_kind(head)
    if kind is not None:
        img = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if img is None:
            raise VideoError(
                f"{path.name} looks like a {kind} image but cannot be read.",
                "Export the photo again as JPEG or PNG.",
                code="bad_image",
            )
        h, w = img.shape[:2]
        return VideoInfo(path, size, w, h, 0.0, 0.0, 1, 0, False, kind.lower(), "image", True, 0.0)
    av.logging.set_level(av.logging.PANIC)
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        if head[4:8] == b"ftyp":
            raise VideoError(
                f"{path.name} is an incomplete recording: the file was cut off before "
                "its index was written (the camera stopped, or the copy did not finish).",
                "Copy the clip from the phone again; a repair tool such as untrunc may recover it.",
                code="incomplete_recording",
            ) from exc
        raise VideoError(
            f"{path.name} is not a video formcheck can read.",
            "Use an MP4, MOV, WebM or MKV clip from a phone or camera.",
            code="not_video",
        ) from exc
    with container:
        if not container.streams.video:
            what = "only audio" if container.streams.audio else "no video"
            raise VideoError(
                f"{path.name} has {what}, no picture.",
                "Export the clip again with its video track.",
                code="no_video_stream",
            )
        stream = container.streams.video[0]
        tb = float(stream.time_base) if stream.time_base else 0.0
        rotation = 0
        # from the stream's start, as OpenCV's CAP_PROP_POS_MSEC counts (a clip
        # written with a start offset would otherwise seem to end early: damaged)
        ts, _ = demux_times(container, stream)
        with contextlib.suppress(av.error.FFmpegError, StopIteration, AttributeError):
            container.seek(0)
            frame = next(container.decode(stream))
            rotation = round(getattr(frame, "rotation", 0) or 0) % 360
        duration = None
        if stream.duration is not None and tb:
            duration = float(stream.duration) * tb
        elif container.duration is not None:
            duration = container.duration / 1e6
        rate = stream.average_rate or stream.guessed_rate
        fps = float(rate) if rate else 0.0
        w, h = stream.codec_context.width, stream.codec_context.height
        codec = stream.codec_context.name
        fmt = container.format.name
        recorded_at = recorded_time(container.metadata) or recorded_time(stream.metadata)
    if rotation in (90, 270):
        w, h = h, w
    vfr = False
    if ts.size > 3:
        dt = np.diff(ts)
        step = float(np.median(dt))
        vfr = bool(np.mean(np.abs(dt - step) > VFR_REL_SPREAD * max(step, 1e-9)) > VFR_SHARE)
        if fps <= 0 or fps > 1000:
            fps = 1.0 / step
    if not ts.size:
        raise VideoError(
            f"{path.name} has a video track but no frames in it.",
            "Record the clip again.",
            code="no_frames",
        )
    last = float(ts[-1]) if ts.size else None
    if duration is None and last is not None:
        duration = last + (1.0 / fps if fps else 0.0)
    return VideoInfo(
        path,
        size,
        int(w),
        int(h),
        fps,
        duration,
        int(ts.size),
        rotation,
        vfr,
        codec,
        fmt,
        False,
        last,
        recorded_at,
    )


class VideoReader:
    """Iterate a clip's frames, upright, with presentation timestamps in seconds.

    Frames are yielded one at a time (memory does not grow with clip length).
    ``log`` records damaged ranges, the last decoded time and timestamp fixes.
    A still image yields one frame at t = 0.

    Examples
    --------
    >>> reader = VideoReader("run.mp4")          # doctest: +SKIP
    >>> for frame in reader: ...                 # doctest: +SKIP
    """

    def __init__(
        self,
        path: Path | str,
        info: VideoInfo | None = None,
        skip_before_s: float = 0.0,
        only: Callable[[int], bool] | None = None,
        index: FrameIndex | None = None,
        max_side: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.info = info or probe(self.path)
        self.log = DecodeLog()
        #: Frames whose (yielded) time is before this (seconds) are decoded but not
        #: converted to BGR (``grab`` without ``retrieve``, about twice as fast) and
        #: come with ``image=None``; indices, timestamps and the decode log are
        #: those of a full read. The first frame always has its image (it decides
        #: the rotation); 0 or less skips nothing. A frame whose conversion alone
        #: would fail (``retrieve`` after a successful ``grab``) is counted as
        #: decoded when skipped, as a failed read otherwise.
        self.skip_before_s = float(skip_before_s)
        #: When given, only frames whose index it accepts are converted; the others
        #: are skipped like those before ``skip_before_s`` (a pass that wants a few
        #: key frames, e.g. the report's, decodes the rest without converting them).
        self.only = only
        #: When given (with ``skip_before_s`` > 0), decoding starts at the last key
        #: frame at or before ``skip_before_s`` instead of the clip's start: frames
        #: before it are not yielded at all. Where OpenCV's seek landed is checked
        #: against the index (a packet with exactly that time, at or before
        #: ``skip_before_s``) and gives the first frame's index, its rank in the
        #: index; anything else and the clip is decoded from the start
        #: (``log.seek_missed``). The rank equals a full pass's index unless frames
        #: before the key frame fail to decode (the caller can check: the parallel
        #: pose pass compares a later segment's overlap with the segment before).
        self.index = index
        #: When given, each image comes with its long side at most this many pixels
        #: (aspect kept; :func:`formcheck.video.scale.fit_long_side`); ``info`` keeps
        #: the clip's own size. A clip larger than that is decoded by PyAV and
        #: converted straight to the smaller size (:mod:`formcheck.video.shrunk`:
        #: no full-size BGR frame is made); a smaller one as without it. None:
        #: frames as decoded.
        self.max_side = max_side

    def __iter__(self) -> Iterator[Frame]:
        if self.info.is_image:
            img = cv2.imread(str(self.path), cv2.IMREAD_COLOR)
            self.log.frames = 1
            self.log.ended_at_s = 0.0
            yield Frame(0, 0.0, shrink(img, self.max_side) if img is not None else img)
            return
        if wants_shrunk(self.info, self.max_side):
            # converted straight to the smaller size: no full-size BGR frame at all
            assert self.max_side is not None
            yield from ShrunkFrames(
                self.path,
                self.info,
                self.log,
                self.max_side,
                self.skip_before_s,
                self.only,
                self.index,
            )
            return
        yield from self._frames()

    def _open(self) -> tuple[cv2.VideoCapture, bool]:
        """A capture at the clip's start that rotates, and whether it says it does."""
        cap, auto_rotates = open_rotating(self.path)
        if not cap.isOpened():
            raise VideoError(
                f"OpenCV could not open {self.path.name} ({self.info.codec}).",
                "Re-encode it as H.264 MP4 (e.g. with ffmpeg -i in.mov out.mp4).",
                code="decoder_failed",
            )
        return cap, auto_rotates

    def _seek(self, cap: cv2.VideoCapture) -> int | None:
        """Move ``cap`` to the key frame before ``skip_before_s`` and grab there; the
        index of that frame, or None when there is nothing to gain or the landing
        cannot be checked (``cap`` is then released)."""
        if self.index is None or self.skip_before_s <= 0:
            return None
        if self.index.keyframe_before(self.skip_before_s) <= 0:
            return None  # the key frame is the first frame: nothing to skip
        landed = seek_before(cap, self.index, self.skip_before_s)
        if landed is None:
            cap.release()
            self.log.seek_missed = True
            return None
        self.log.started_at_s, rank = landed
        return rank

    def _frames(self) -> Iterator[Frame]:
        info = self.info
        cap, auto_rotates = self._open()
        first = self._seek(cap)
        if first is None and not cap.isOpened():
            cap, auto_rotates = self._open()
        grabbed = first is not None  # a good seek has grabbed the first frame already
        spare: np.ndarray | None = None  # a full-size frame already shrunk: reused
        fix_rotation: int | None = None
        frame_dt = 1.0 / info.fps_nominal if info.fps_nominal > 0 else 1.0 / 30
        max_failures = max(30, int(MAX_DAMAGE_GAP_S / frame_dt))
        end_s = info.last_packet_s if info.last_packet_s is not None else info.duration_s
        last_t = -np.inf
        fail_run = 0
        damage_start: float | None = None
        index = first or 0
        self.log.first_index = index
        try:
            while True:
                ok = grabbed or cap.grab()
                grabbed = False
                img = None
                t = nudged = None
                if ok:
                    t = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
                    nudged = not np.isfinite(t) or t <= last_t
                    if nudged:
                        t = (last_t + 0.001) if np.isfinite(last_t) else 0.0
                    # decided on the time the frame is yielded with (after the
                    # nudge): a frame the caller will use always has its image
                    if index == self.log.first_index or (
                        (t >= self.skip_before_s or self.skip_before_s <= 0)
                        and (self.only is None or self.only(index))
                    ):
                        ok, img = cap.retrieve(spare)
                        ok = ok and img is not None
                if not ok or t is None:
                    self.log.failed_reads += 1
                    fail_run += 1
                    reached_end = end_s is None or last_t >= end_s - 1.5 * frame_dt
                    if reached_end or fail_run > max_failures:
                        if not reached_end and np.isfinite(last_t):
                            self.log.add_damage(float(last_t), float(end_s or last_t))
                            self.log.stopped_early = True
                        break
                    if damage_start is None:
                        damage_start = float(last_t) if np.isfinite(last_t) else 0.0
                    continue
                if nudged:
                    self.log.timestamps_fixed += 1 if index != self.log.first_index else 0
                if (
                    damage_start is None
                    and np.isfinite(last_t)
                    and t - last_t > GAP_FRAMES * frame_dt
                ):
                    damage_start = float(last_t)  # the decoder skipped frames silently
                if damage_start is not None:
                    self.log.add_damage(damage_start, float(t))
                    damage_start = None
                fail_run = 0
                if img is not None:
                    if fix_rotation is None:
                        fix_rotation = rotation_to_apply(info, img.shape, auto_rotates)
                    # shrunk before turning (the limit is on the long side either way);
                    # the full-size image then takes the next frame (no new 25 MB a 4K
                    # frame, which the allocator of each pose thread would keep)
                    small = shrink(img, self.max_side)
                    spare = img if small is not img else None
                    img = turn_upright(small, fix_rotation)
                last_t = t
                self.log.frames += 1
                self.log.ended_at_s = float(t)
                yield Frame(index, float(t), img)
                index += 1
        finally:
            cap.release()


def read_still(path: Path | str) -> np.ndarray:
    """Read an image file as uint8 BGR (height, width, 3); VideoError if unreadable."""
    info = probe(path)
    if not info.is_image:
        raise VideoError(f"{Path(path).name} is a video, not a photo.", "", code="not_image")
    return next(iter(VideoReader(path, info))).image
