"""Issue 21 item 9: a reader asked for frames smaller than the clip (``max_side``,
the pose pass) converts each decoded frame straight to that size (PyAV, swscale)
and never makes a full-size BGR frame, with the indices, times, rotation and
decode log of the full-size (OpenCV) read; the pose pass's landmarks still come
in the clip's own upright pixels.

The variant files are the reader tests' (tests/fixtures/media.py, 360x640); a
limit of 320 px makes every one of them "larger than the limit".
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.video import DecodeLog, VideoReader, probe
from formcheck.video.scale import shrink
from tests.fixtures.capture_spy import NoFullSizeConversion
from tests.fixtures.media import H, Media, W, mean_abs_diff

pytestmark = pytest.mark.clips  # the variants are made from a shared clip

LIMIT = 320  # the variants' long side is 640: every frame is shrunk to half
SMALL = (LIMIT, LIMIT * W // H, 3)  # upright (height, width, 3)

#: Largest mean absolute difference (0-255) between a frame converted and scaled by
#: swscale and OpenCV's full-size conversion shrunk with INTER_AREA. The full-size
#: conversions are identical; swscale's scaled conversion rounds its chroma
#: differently (measured 1.2-1.3 on clean frames, about 4 on frames concealed
#: after damage). A frame turned the wrong way differs by 30-60.
SAME_PICTURE_MAD = 5.0


def _read(reader: VideoReader) -> list[tuple[int, float, np.ndarray | None]]:
    return [(f.index, f.t_s, f.image) for f in reader]


def _same_log(a: DecodeLog, b: DecodeLog) -> None:
    """Equal decode logs, but for ``failed_reads`` (OpenCV also counts its last,
    failing read at the end of every clip; see formcheck.video.shrunk)."""
    fields = (
        "frames",
        "damaged",
        "ended_at_s",
        "timestamps_fixed",
        "stopped_early",
        "first_index",
        "started_at_s",
        "seek_missed",
    )
    assert {k: getattr(a, k) for k in fields} == {k: getattr(b, k) for k in fields}


@pytest.mark.parametrize("name", ["upright", "rot90", "iphone_hevc_rot90"])
def test_shrunk_frames_never_convert_the_full_size(
    media: Media, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = media.get(name)
    info = probe(path)
    monkeypatch.setattr(cv2, "VideoCapture", NoFullSizeConversion)
    frames = _read(VideoReader(path, info, max_side=LIMIT))
    assert len(frames) == 90
    assert all(img is not None and img.shape == SMALL for _, _, img in frames)
    # a clip that fits the limit is read as before (OpenCV), its frames as decoded
    monkeypatch.undo()
    assert next(iter(VideoReader(path, info, max_side=H))).image.shape == (H, W, 3)


@pytest.mark.parametrize(
    "name",
    [
        "upright",
        "rot90",
        "rot180",
        "iphone_hevc_rot90",
        "vfr",
        "dup_pts",
        "mid_damage",
        "truncated_faststart",
        "gop15_offset",
    ],
)
def test_shrunk_read_equals_the_full_read_shrunk(media: Media, name: str) -> None:
    """Indices, times (variable rate, duplicate times nudged, a start offset), the
    decode log (damage, truncation) and upright pictures: those of the full-size
    read, shrunk."""
    path = media.get(name)
    info = probe(path)
    full_reader = VideoReader(path, info)
    full = _read(full_reader)
    reader = VideoReader(path, info, max_side=LIMIT)
    got = _read(reader)
    assert [(i, t) for i, t, _ in got] == [(i, t) for i, t, _ in full]
    _same_log(reader.log, full_reader.log)
    for (i, _, img), (_, _, ref) in zip(got, full, strict=True):
        assert img is not None and ref is not None
        assert img.shape == SMALL
        assert mean_abs_diff(img, shrink(ref, LIMIT)) < SAME_PICTURE_MAD, f"frame {i}"


@pytest.mark.parametrize("name", ["gop15", "gop15_vfr"])
def test_shrunk_read_from_a_key_frame(media: Media, name: str) -> None:
    """With a frame index (a later pose segment): decoding starts at the key frame
    before ``skip_before_s``; the frames from there are the full read's, frames
    before ``skip_before_s`` (but the first) come without an image, and the log
    counts from there."""
    from formcheck.video.keyframes import read_frame_index

    path = media.get(name)
    info = probe(path)
    full_reader = VideoReader(path, info)
    full = _read(full_reader)
    index = read_frame_index(path)
    assert index is not None
    skip = full[int(len(full) * 0.6)][1]
    reader = VideoReader(path, info, skip_before_s=skip, index=index, max_side=LIMIT)
    got = _read(reader)
    first = got[0][0]
    assert first > 0 and got[0][1] <= skip and skip - got[0][1] < 1.5
    assert [(i, t) for i, t, _ in got] == [(i, t) for i, t, _ in full[first:]]
    for (i, t, img), (_, _, ref) in zip(got, full[first:], strict=True):
        if t >= skip or i == first:
            assert img is not None and ref is not None
            assert mean_abs_diff(img, shrink(ref, LIMIT)) < SAME_PICTURE_MAD, f"frame {i}"
        else:
            assert img is None, f"frame {i} converted before the skip time"
    log = reader.log
    assert (log.first_index, log.started_at_s, log.seek_missed) == (first, got[0][1], False)
    assert log.frames == len(full) - first
    assert (log.ended_at_s, log.damaged) == (full_reader.log.ended_at_s, full_reader.log.damaged)


def test_shrunk_read_with_an_unusable_index_reads_from_the_start(media: Media) -> None:
    from formcheck.video.keyframes import FrameIndex, read_frame_index

    path = media.get("gop15")
    index = read_frame_index(path)
    assert index is not None
    off = FrameIndex(index.times_s + 5e-4, index.keyframes_s + 5e-4)
    full = _read(VideoReader(path))
    reader = VideoReader(path, probe(path), skip_before_s=full[200][1], index=off, max_side=LIMIT)
    assert [(f.index, f.t_s) for f in reader] == [(i, t) for i, t, _ in full]
    assert reader.log.seek_missed and reader.log.frames == len(full)


def test_pose_on_shrunk_rotated_clip_gives_upright_clip_pixels(media: Media) -> None:
    """The pose pass on a 90-degree clip read at half size: landmarks in the clip's
    own upright pixels (360x640), those of the upright clip read at full size."""
    from formcheck.pose.estimator import PoseEstimator
    from formcheck.pose.track import estimate_video

    def landmarks(path: Path, max_side: int | None) -> np.ndarray:
        with PoseEstimator(crowd_check_every_s=0) as est:
            series, _ = estimate_video(VideoReader(path, max_side=max_side), est)
        assert (series.width, series.height) == (W, H) and series.present.all()
        return series.xyzv[..., :2]

    up = landmarks(media.get("upright"), None)
    rot = landmarks(media.get("rot90"), LIMIT)
    # the model saw half the pixels: a few px of 640 apart; in the half-size
    # frame's pixels, or turned, they would be 100s of px off
    assert float(np.median(np.abs(rot - up))) < 4.0
