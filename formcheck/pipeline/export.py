"""Write what a runner looks at: ``report.html``, ``annotated.mp4`` and key frames.

:func:`export_artifacts` is what ``formcheck analyze`` calls after the
analysis. It decodes the clip once, scales each frame down to at most 720 px
on its short side (:func:`video_size`), draws its overlay
(:func:`formcheck.report.review_overlay.overlay_for_frame`, positions scaled by
:func:`scale_overlay`), streams the frames into an H.264 MP4
(:class:`formcheck.render.video.AnnotatedVideoWriter`, encoding in a second
thread: memory stays flat, the file is ``annotated.partial.mp4`` until
complete), keeps the key frames as JPEG (the same drawn images, so at the
video's size), and writes the self-contained HTML report with them embedded.
Every file is written atomically. A video the disk cannot hold (or that cannot be
written for another reason) is a :class:`VideoNotWrittenError` naming the file, about
what the whole video needs and what is free; its partial file is removed, and with a
``problems`` list the key frames and the HTML report are still written without it.

Which frames become key frames is decided by
:func:`formcheck.report.keyframes.choose_keyframes`.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from formcheck.cues import words_files
from formcheck.errors import FormcheckError, VideoError
from formcheck.io import atomic_write, atomic_write_text, file_size, private_mkdir
from formcheck.pipeline.landmarks import plausible_frame_count
from formcheck.render.frame import FrameAnnotator
from formcheck.render.overlay import Mark, OverlayData
from formcheck.render.video import AnnotatedVideoWriter, partial_path
from formcheck.report import review
from formcheck.report.html import render_html
from formcheck.report.keyframes import KeyFrame, choose_keyframes
from formcheck.report.model import Report
from formcheck.report.review_overlay import overlay_for_frame

#: JPEG quality of key frames (visually lossless for overlays at this level).
JPEG_QUALITY = 90
#: Longest side of the key-frame images embedded in the HTML, pixels.
EMBED_MAX_PX = 800
#: The annotated video and the key frames are drawn at most this many pixels on
#: their short side (720p: a phone screen's worth; the source when smaller).
#: On the 1920x1080 plank clip, per frame: x264 (superfast) 8.7 -> 3.6 ms, colour
#: conversion 1.6 -> 0.6 ms, drawing 5.5 -> 2.2 ms, for a 0.7 ms resize.
#: Whole change of issue #9 (720p, I420 conversion, ultrafast crf 24, background
#: encoder, OpenCV text blending), export with video minus without (the bench's
#: draw+w), ms per frame, before -> after, median of 6 runs in alternating
#: processes. Load 0.8-2.3 (mostly the export's own two threads): plank 21.4 ->
#: 7.9 wall, 24.7 -> 10.4 CPU; bundled sample (720x1280, not resized) 9.0 -> 2.6
#: wall, 10.3 -> 5.5 CPU. Load 2-5 (CPU-bound, wall = CPU): 26.4 -> 11.2 and
#: 10.6 -> 6.5. What is left is mostly decoding (1080p: 4.5-5 ms a frame).
MAX_VIDEO_SHORT_PX = 720


class VideoNotWrittenError(FormcheckError):
    """The annotated video could not be written (a full disk, no permission); the
    message names the file and says what it needs and what is free."""


class _WriterFailed(Exception):
    """An OSError of the video writer (not of the source being read)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _video_not_written(
    path: Path, exc: OSError, partial_bytes: int, frames: int, frames_total: int | None
) -> VideoNotWrittenError:
    """What to say once the partial file is gone: the whole video's size estimated from
    the part written (bytes per frame times the clip's frames), the space free now."""
    needed = None
    if partial_bytes > 0 and frames > 0 and frames_total:
        needed = partial_bytes / frames * max(frames_total, frames)
    try:
        free: int | None = shutil.disk_usage(path.parent).free
    except OSError:
        free = None
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
    message, hint = words_files.video_not_written(str(path), exc, full, needed, free)
    return VideoNotWrittenError(message, hint, code="video_not_written")


# ---------------------------------------------------------------------------------------
def _encode_jpeg(img: np.ndarray, max_px: int | None = None) -> bytes:
    if max_px is not None and max(img.shape[:2]) > max_px:
        f = max_px / max(img.shape[:2])
        img = cv2.resize(
            img, (round(img.shape[1] * f), round(img.shape[0] * f)), interpolation=cv2.INTER_AREA
        )
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise FormcheckError("Could not encode a key frame image.", code="encode_failed")
    return buf.tobytes()


def video_size(
    width: int, height: int, max_short_px: int | None = MAX_VIDEO_SHORT_PX
) -> tuple[int, int]:
    """Size (width, height) in pixels the annotated frames are drawn at.

    The source size when its short side is at most ``max_short_px`` (or
    ``max_short_px`` is None); else scaled down to ``max_short_px`` on the short
    side, aspect ratio kept, the long side rounded to an even number (H.264 4:2:0).
    """
    short = min(width, height)
    if max_short_px is None or short <= max_short_px:
        return width, height
    f = max_short_px / short
    if width <= height:
        return max_short_px, 2 * round(height * f / 2)
    return 2 * round(width * f / 2), max_short_px


def scale_overlay(data: OverlayData, fx: float, fy: float) -> OverlayData:
    """The same overlay for a frame resized by ``fx`` (x) and ``fy`` (y).

    Every pixel position is scaled (landmarks, event marks, the hip path);
    MediaPipe's z (used only for the near side, already chosen) and the values
    drawn are left as they are.
    """
    xyzv = None
    if data.xyzv is not None:
        xyzv = np.array(data.xyzv, np.float64)
        xyzv[:, 0] *= fx
        xyzv[:, 1] *= fy
    hip = None if data.hip_path is None else np.asarray(data.hip_path, float) * (fx, fy)
    marks = tuple(
        m if m.xy is None else Mark(m.kind, m.side, m.dt_s, (m.xy[0] * fx, m.xy[1] * fy), m.label)
        for m in data.marks
    )
    return replace(data, xyzv=xyzv, hip_path=hip, marks=marks)


def render_pass(
    report: Report,
    source: Path,
    video_out: Path | None,
    wanted: set[int],
    quiet: bool = True,
    annotator: FrameAnnotator | None = None,
    keep: Callable[[np.ndarray], object] | None = None,
    max_short_px: int | None = MAX_VIDEO_SHORT_PX,
) -> tuple[dict[int, object], Path | None]:
    """Decode ``source`` once: annotate, encode to ``video_out`` (if given), keep ``wanted``.

    Frames are drawn at :func:`video_size` (at most ``max_short_px`` on the
    short side; None: the source size) with the overlay scaled to match.
    Returns, per wanted series index, ``keep(image)`` of its annotated image
    (uint8 BGR; default: a copy of the image; export keeps JPEG bytes so memory
    stays flat), and the written video path (None when no video was written,
    e.g. for a photo). Without ``video_out`` decoding stops once every wanted
    frame is found. The video is converted and encoded in a second thread
    (:class:`AnnotatedVideoWriter` ``background=True``) while the next frame is
    decoded and drawn.
    """
    from formcheck.video.reader import VideoReader, probe

    n = review.n_frames(report)

    def is_wanted(source_frame: int) -> bool:
        return n > 0 and review.index_of_source_frame(report, source_frame) in wanted

    info = probe(source)
    out_w, out_h = video_size(info.width, info.height, max_short_px)
    # without a video only the wanted frames are converted to images (about half the
    # decoding time of a key-frame pass; the rest are grabbed for their index and time);
    # a clip larger than the drawing is decoded at (about) the drawing's size, never
    # as a full-size BGR frame (formcheck.video.shrunk: 4K -> 720p)
    reader = VideoReader(
        source,
        info,
        only=is_wanted if video_out is None else None,
        max_side=max(out_w, out_h) if (out_w, out_h) != (info.width, info.height) else None,
    )
    series = report.series
    if series is not None and (series.width, series.height) != (info.width, info.height):
        raise VideoError(
            f"{source.name} is {info.width}x{info.height} but the report was made from a "
            f"{series.width}x{series.height} clip.",
            "Pass the clip the report was made from.",
            code="video_mismatch",
        )
    if info.is_image:
        video_out = None
    annotator = annotator or FrameAnnotator()
    keep = keep or (lambda img: img.copy())
    images: dict[int, object] = {}
    fx, fy = out_w / info.width, out_h / info.height
    resized = (out_w, out_h) != (info.width, info.height)
    # bilinear is 4.5x faster than INTER_AREA (0.7 vs 3.2 ms for 1080p -> 720p)
    # and does not alias while the scale is above 1/2
    interp = cv2.INTER_LINEAR if min(fx, fy) > 0.5 else cv2.INTER_AREA
    writer = (
        AnnotatedVideoWriter(video_out, out_w, out_h, info.fps_nominal, background=True)
        if video_out is not None
        else None
    )
    from tqdm import tqdm

    bar = tqdm(
        total=plausible_frame_count(info) if writer is not None else len(wanted),
        desc="annotated video" if writer is not None else "key frames",
        unit="frame",
        file=sys.stderr,
        disable=quiet,
        leave=False,
        dynamic_ncols=True,
    )
    try:
        for fr in reader:
            i = review.index_of_source_frame(report, fr.index) if n else None
            wanted_here = i is not None and i in wanted
            if writer is None and not wanted_here:
                if wanted.issubset(images):
                    break
                continue
            img = fr.image
            if img.shape[:2] != (out_h, out_w):  # (a shrunk frame: at most a pixel off)
                img = cv2.resize(img, (out_w, out_h), interpolation=interp)
            if i is not None:
                data = overlay_for_frame(report, i)
                if resized:
                    data = scale_overlay(data, fx, fy)
                img = annotator.annotate(img, data)
            if wanted_here:
                images[i] = keep(img)  # type: ignore[index]
                if writer is None:
                    bar.update(1)
            if writer is not None:
                try:
                    writer.write(img, fr.t_s)  # the writer owns img from here on
                except OSError as exc:
                    raise _WriterFailed(exc) from exc
                bar.update(1)
        try:
            written = writer.close() if writer is not None else None
        except OSError as exc:
            raise _WriterFailed(exc) from exc
    except BaseException as exc:
        if writer is not None:
            partial_bytes = file_size(writer.partial)
            writer.abort(keep_partial=isinstance(exc, KeyboardInterrupt))
            if isinstance(exc, _WriterFailed) and video_out is not None:
                total = plausible_frame_count(info)
                raise _video_not_written(
                    video_out, exc.error, partial_bytes, writer.frames, total
                ) from exc.error
        raise
    finally:
        bar.close()
    return images, written


def annotated_frames(report: Report, source: Path, indices: list[int]) -> dict[int, np.ndarray]:
    """The annotated images of some frames (series indices), decoded from ``source``, full size."""
    images, _ = render_pass(report, Path(source), None, set(indices), max_short_px=None)
    return images  # type: ignore[return-value]


def _source_of(report: Report, video: Path | None) -> Path | None:
    if video is not None:
        return Path(video)
    p = report.source.path
    if p and report.source.kind in ("video", "image") and Path(p).is_file():
        return Path(p)
    return None


def export_artifacts(
    report: Report,
    out_dir: Path,
    video: Path | None,
    quiet: bool = False,
    problems: list[str] | None = None,
    pictures: bool = True,
) -> dict[str, Path]:
    """Write ``report.html``, ``annotated.mp4`` (for a video) and key frames into ``out_dir``.

    Parameters
    ----------
    report : the analysis.
    out_dir : folder for the results (created).
    video : the analysed clip; None skips the annotated video (``--no-video``).
        Key frames are then still drawn from ``report.source.path`` when that
        file exists.
    quiet : no progress bar.
    problems : when given, an annotated video that cannot be written (a full disk)
        is said here (:class:`VideoNotWrittenError`'s words) and the key frames and the
        HTML report are still written; without it the error is raised.
    pictures : False: no annotated video and no key frames (nothing is decoded), only
        the HTML report; for a stopped analysis, which ends at once.

    Returns
    -------
    dict
        kind -> path: ``"report_html"``, ``"annotated_video"`` (when written),
        ``"keyframe_<name>"`` per key frame.
    """
    out_dir = Path(out_dir)
    private_mkdir(out_dir)
    keys = choose_keyframes(report)
    source = _source_of(report, video) if pictures else None
    video_out = out_dir / "annotated.mp4" if video is not None and pictures else None
    images: dict[int, object] = {}
    written: Path | None = None

    def as_jpeg(img: np.ndarray) -> tuple[bytes, bytes]:
        return _encode_jpeg(img), _encode_jpeg(img, EMBED_MAX_PX)

    if source is not None:
        try:
            images, written = render_pass(
                report, source, video_out, {k.index for k in keys}, quiet=quiet, keep=as_jpeg
            )
        except VideoNotWrittenError as exc:
            if problems is None:
                raise
            problems.append(str(exc))  # the partial file is gone: the rest may fit
            with contextlib.suppress(FormcheckError):
                images, _ = render_pass(
                    report, source, None, {k.index for k in keys}, quiet=quiet, keep=as_jpeg
                )
        except FormcheckError:
            if video is not None:
                raise
            images = {}  # the clip moved or changed: report without pictures
    if written is None:
        # no video this time (a photo, --no-video, a video that did not fit): clear an
        # earlier run's video from this folder, which the new report does not show
        old_video = out_dir / "annotated.mp4"
        for stale in (old_video, partial_path(old_video)):
            stale.unlink(missing_ok=True)
    kf_dir = out_dir / "keyframes"
    wanted_files = {k.filename for k in keys}
    if kf_dir.is_dir():  # key frames of an earlier run into this folder
        for old in kf_dir.glob("*_t*s.jpg"):
            if old.name not in wanted_files:
                old.unlink(missing_ok=True)
    out: dict[str, Path] = {}
    done: list[KeyFrame] = []
    for k in keys:
        got = images.get(k.index)
        if got is None:
            done.append(k)
            continue
        jpeg, embed = got  # type: ignore[misc]
        path = kf_dir / k.filename
        atomic_write(path, lambda tmp, data=jpeg: tmp.write_bytes(data))
        done.append(replace(k, jpeg=jpeg, embed_jpeg=embed, path=path))
        out[f"keyframe_{k.name}"] = path
    html = render_html(report, keyframes=done, video_href=written.name if written else None)
    out = {"report_html": atomic_write_text(out_dir / "report.html", html), **out}
    if written is not None:
        out = {"report_html": out.pop("report_html"), "annotated_video": written, **out}
    return out
