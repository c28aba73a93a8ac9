"""The video reader on damaged, truncated and still inputs, and when it skips frames."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.errors import VideoError
from formcheck.video import DecodeLog, VideoReader, probe
from formcheck.video.reader import read_still
from tests.fixtures.media import H, Media, W, mean_abs_diff, packet_pts_s
from tests.unit.test_video_reader import (
    SAME_PICTURE_MAD,
    _IgnoresOrientationFlag,
    all_times,
    frames_at,
)


# ---------------------------------------------------------------------------------------
# damaged and truncated files
def test_truncated_faststart_decodes_what_it_holds(media: Media) -> None:
    """The index says 12 s; the bytes hold about 3.5 s. No error; the log says where it ended."""
    path = media.get("truncated_faststart")
    info = probe(path)
    assert info.duration_s == pytest.approx(12.0, abs=0.1)  # what the header promises
    assert info.last_packet_s is not None and 2.5 < info.last_packet_s < 4.5
    t, reader = all_times(path)
    assert reader.log.ended_at_s == pytest.approx(t[-1])
    assert t[-1] == pytest.approx(info.last_packet_s, abs=0.1)
    assert t.size >= info.frame_count - 2  # at most the last, partial packets are lost
    np.testing.assert_allclose(t, np.arange(t.size) / 30.0, atol=1e-3)


def test_mid_file_damage_is_skipped_and_reported(media: Media) -> None:
    path = media.get("mid_damage")
    clean = media.get("six")
    t, reader = all_times(path)
    log = reader.log
    t_clean = packet_pts_s(clean)
    assert log.damaged, "the zeroed bytes must show as a damaged range"
    assert log.failed_reads > 1
    assert not log.stopped_early
    (start, end), *_ = log.damaged
    assert 0.5 < start < end < 5.5
    # frames before AND after the damage were decoded
    assert (t < start).sum() >= 10 and (t > end).sum() >= 10
    assert t[-1] == pytest.approx(t_clean[-1], abs=0.05), "decoding went on to the end"
    # every frame that is missing lies inside a reported range (one frame of slack)
    missing = t_clean[~np.isclose(t_clean[:, None], t[None, :], atol=1e-3).any(axis=1)]
    assert missing.size > 0
    dt = 1 / 30
    for m in missing:
        assert any(a - dt <= m <= b + dt for a, b in log.damaged), m
    # the decoded frames are the clip's own frames, at their own times
    assert np.isin(np.round(t, 3), np.round(t_clean, 3)).all()


def test_damage_log_merges_touching_ranges() -> None:
    log = DecodeLog()
    log.add_damage(1.0, 1.5)
    log.add_damage(1.5, 2.0)
    log.add_damage(4.0, 4.2)
    assert log.damaged == [(1.0, 2.0), (4.0, 4.2)]


# ---------------------------------------------------------------------------------------
# still images
@pytest.mark.parametrize("name", ["jpeg", "png", "jpeg_as_mp4", "png_as_mp4"])
def test_still_image_is_one_frame(media: Media, name: str) -> None:
    path = media.get(name)
    info = probe(path)
    assert info.is_image
    assert (info.width, info.height) == (W, H)
    assert info.frame_count == 1 and not info.vfr
    frames = list(VideoReader(path))
    assert len(frames) == 1 and frames[0].t_s == 0.0
    assert frames[0].image.shape == (H, W, 3)
    np.testing.assert_array_equal(read_still(path), frames[0].image)


def test_read_still_refuses_a_video(media: Media) -> None:
    with pytest.raises(VideoError) as exc:
        read_still(media.get("upright"))
    assert exc.value.code == "not_image"


def test_damaged_image(tmp_path: Path, media: Media) -> None:
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(media.get("jpeg").read_bytes()[:40])  # JPEG magic, then nothing
    with pytest.raises(VideoError) as exc:
        probe(bad)
    assert exc.value.code == "bad_image"
    assert "photo.jpg" in str(exc.value)


# ---------------------------------------------------------------------------------------
# frames skipped without conversion (parallel pose segments, VideoReader(skip_before_s=...))
def _read(
    path: Path, skip_before_s: float = 0.0
) -> tuple[list[tuple[int, float, object]], DecodeLog]:
    reader = VideoReader(path, probe(path), skip_before_s=skip_before_s)
    return [(f.index, f.t_s, f.image) for f in reader], reader.log


@pytest.mark.parametrize(
    "name", ["upright", "rot90", "rot180", "vfr", "dup_pts", "mid_damage", "truncated_faststart"]
)
def test_skipping_frames_changes_nothing_but_the_skipped_images(media: Media, name: str) -> None:
    """Same indices, times and decode log as a full read (damage, truncation and
    duplicate times included); every frame from the skip time on has the full
    read's upright image, and so has the first (it decides the rotation).

    After damage the pictures are only nearly equal: FFmpeg's frame threads conceal
    the damaged references with timing-dependent results (measured: now and then
    every frame after the damaged range differs by 0.1-0.2 grey levels on average,
    seen mostly when the frames before are only grabbed)."""
    path = media.get(name)
    full, full_log = _read(path)
    skip = full[len(full) // 2][1]  # half of the frames skipped
    got, log = _read(path, skip)
    assert [(i, t) for i, t, _ in got] == [(i, t) for i, t, _ in full]
    assert log == full_log
    assert got[0][2] is not None and np.array_equal(got[0][2], full[0][2])  # type: ignore[arg-type]
    for (i, t, img), (_, _, ref) in zip(got, full, strict=True):
        if t >= skip:
            assert img is not None, f"frame {i} has no image"
            if full_log.damaged:
                assert mean_abs_diff(img, ref) < 1.0, f"frame {i}"  # type: ignore[arg-type]
            else:
                assert np.array_equal(img, ref), f"frame {i}"  # type: ignore[arg-type]
        elif i:
            assert img is None, f"frame {i} converted before the skip time"


@pytest.mark.parametrize("name", ["upright", "rot90", "vfr"])
def test_only_converts_the_frames_it_accepts(media: Media, name: str) -> None:
    """VideoReader(only=...) (the report's key-frame pass): the same indices, times
    and decode log as a full read; the accepted frames (and the first, which decides
    the rotation) have the full read's upright image, the others none."""
    path = media.get(name)
    full, full_log = _read(path)
    wanted = {7, 40, len(full) - 1}
    reader = VideoReader(path, probe(path), only=lambda k: k in wanted)
    got = [(f.index, f.t_s, f.image) for f in reader]
    assert [(i, t) for i, t, _ in got] == [(i, t) for i, t, _ in full]
    assert reader.log == full_log
    for (i, _, img), (_, _, ref) in zip(got, full, strict=True):
        if i in wanted or i == 0:
            assert img is not None and np.array_equal(img, ref), f"frame {i}"  # type: ignore[arg-type]
        else:
            assert img is None, f"frame {i} converted"


def test_skip_decision_uses_the_nudged_time(media: Media) -> None:
    """Two frames sharing a pts: the second is yielded 1 ms later. A skip time inside
    that millisecond must still give it its image (the pose pass uses every frame
    at or after its start; a frame without an image would be lost silently)."""
    path = media.get("dup_pts")
    full, _ = _read(path)
    for k in (3, 45, 89):  # odd frames are the nudged second of a pair
        i, t, _ = full[k]
        assert t == pytest.approx(full[k - 1][1] + 0.001)
        got, _ = _read(path, t - 0.0002)
        assert got[k][2] is not None, f"frame {i} at {t:.4f} s has no image"
        assert got[k - 1][2] is None


@pytest.mark.parametrize("name", ["rot90", "rot180"])
def test_skipping_frames_keeps_the_rotation_when_backend_ignores_flag(
    media: Media, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cv2, "VideoCapture", _IgnoresOrientationFlag)
    ref = frames_at(media.get("upright"), [60])[60]
    got, _ = _read(media.get(name), 1.5)
    img = got[60][2]
    assert isinstance(img, np.ndarray) and img.shape == (H, W, 3)
    assert mean_abs_diff(img, ref) < SAME_PICTURE_MAD


# ---------------------------------------------------------------------------------------
# streaming
def test_memory_does_not_grow_with_clip_length(media: Media) -> None:
    """Reading the 12 s clip frame by frame holds a few frames, never the whole clip."""
    path = media.get("full12")
    frame_bytes = W * H * 3
    tracemalloc.start()
    try:
        n = 0
        checksum = 0
        for f in VideoReader(path):
            n += 1
            checksum += int(f.image[::64, ::64].sum())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 360 and checksum > 0
    assert peak < 10 * frame_bytes, f"peak {peak / 1e6:.1f} MB for {n} frames"


# ---------------------------------------------------------------------------------------
# through the pose model
@pytest.mark.parametrize("name", ["rot90", "rot180", "iphone_hevc_rot90"])
def test_pose_on_rotated_clip_equals_upright(media: Media, name: str) -> None:
    """Landmarks from a rotated file are those of the upright file: the median landmark
    moves less than 2 px (0.3 % of the 640 px height; the pictures differ only by
    re-encoding), where a wrong rotation would move them by hundreds of pixels."""
    from formcheck.pipeline.landmarks import estimate_landmarks

    up, _, _ = estimate_landmarks(media.get("upright"))
    rot, _, _ = estimate_landmarks(media.get(name))
    assert rot.present.all() and up.present.all()
    assert (rot.width, rot.height) == (up.width, up.height) == (W, H)
    np.testing.assert_allclose(rot.t_s, up.t_s, atol=1e-3)
    diff = np.abs(rot.xyzv[..., :2] - up.xyzv[..., :2])
    assert float(np.median(diff)) < 2.0


def test_pose_timestamps_on_vfr_clip(media: Media) -> None:
    """The pose series carries the decoder's times (no nudging needed, none lost)."""
    from formcheck.pipeline.landmarks import estimate_landmarks

    path = media.get("vfr")
    series, log, _ = estimate_landmarks(path)
    np.testing.assert_allclose(series.t_s, packet_pts_s(path), atol=1e-3)
    assert log.timestamps_nudged == 0 and log.decode.timestamps_fixed == 0
    assert series.present.all()


# ---------------------------------------------------------------------------------------
# starting at a key frame (the later segment of a parallel pose pass)
@pytest.mark.parametrize("name", ["gop15", "gop15_offset", "gop15_vfr"])
def test_reading_from_a_key_frame_gives_the_full_reads_frames(media: Media, name: str) -> None:
    """VideoReader(index=...) seeks to the key frame before ``skip_before_s``: what it
    yields is the full read's frames from there (indices, times, images), and its
    decode log counts from there. A start offset and a variable rate (where OpenCV's
    seek lands a frame or two past the key frame) included."""
    from formcheck.video.keyframes import read_frame_index

    path = media.get(name)
    full, full_log = _read(path)
    index = read_frame_index(path)
    assert index is not None and index.keyframes_s.size >= 10
    # the index uses OpenCV's convention: seconds from the stream's first frame (the
    # same integer pts in double precision, rounded in another order: 2e-15 s apart)
    np.testing.assert_allclose(index.times_s, [t for _, t, _ in full], rtol=0, atol=1e-9)
    for frac in (0.3, 0.6):
        skip = full[int(len(full) * frac)][1]
        reader = VideoReader(path, probe(path), skip_before_s=skip, index=index)
        got = [(f.index, f.t_s, f.image) for f in reader]
        first = got[0][0]
        assert first > 0 and got[0][1] <= skip
        assert skip - got[0][1] < 1.5  # a key frame every 15 frames (0.5-0.75 s)
        assert [(i, t) for i, t, _ in got] == [(i, t) for i, t, _ in full[first:]]
        for (i, t, img), (_, _, ref) in zip(got, full[first:], strict=True):
            if t >= skip or i == first:
                assert img is not None and np.array_equal(img, ref), f"frame {i}"  # type: ignore[arg-type]
            else:
                assert img is None, f"frame {i} converted before the skip time"
        log = reader.log
        assert (log.first_index, log.started_at_s) == (first, got[0][1])
        assert log.frames == len(full) - first and not log.seek_missed
        assert (log.ended_at_s, log.damaged, log.stopped_early) == (
            full_log.ended_at_s,
            full_log.damaged,
            full_log.stopped_early,
        )


def test_a_seek_that_cannot_be_checked_reads_from_the_start(media: Media) -> None:
    """Where OpenCV landed has no packet time in the index (here an index 0.5 ms
    off): nothing is trusted, the clip is read from its start as without an index."""
    from formcheck.video.keyframes import FrameIndex, read_frame_index

    path = media.get("gop15")
    full, full_log = _read(path)
    index = read_frame_index(path)
    assert index is not None
    off = FrameIndex(index.times_s + 5e-4, index.keyframes_s + 5e-4)
    skip = full[200][1]
    reader = VideoReader(path, probe(path), skip_before_s=skip, index=off)
    got = [(f.index, f.t_s) for f in reader]
    assert got == [(i, t) for i, t, _ in full]
    assert reader.log.seek_missed and reader.log.frames == full_log.frames


def test_a_start_offset_is_not_damage(media: Media) -> None:
    """A clip whose first frame is shown at 3.2 s (a muxer's start offset) reads to its
    end without a damaged range: the probe counts packet times from the stream's
    start, as OpenCV does (it used to report the last 3.2 s as lost)."""
    path = media.get("gop15_offset")
    info = probe(path)
    t, reader = all_times(path)
    assert t.size == 360 and t[0] == 0.0
    assert info.last_packet_s == pytest.approx(t[-1], abs=1e-6)
    assert reader.log.damaged == [] and not reader.log.stopped_early
