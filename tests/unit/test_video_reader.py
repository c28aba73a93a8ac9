"""The video reader on variant files the tests make themselves (see tests/fixtures/media.py).

Each case is one of the failure modes in shared/docs/pitfalls.md: rotation
metadata (90 and 180 degrees, and a back-end that ignores the rotation flag),
variable frame rate, high frame rate, slow motion, streamed WebM with an absurd
OpenCV frame count, a header that promises more than the file holds, damage in
the middle, still images, and memory that must not grow with clip length.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.errors import VideoError
from formcheck.pipeline.landmarks import plausible_frame_count
from formcheck.video import DecodeLog, VideoReader, probe
from formcheck.video.reader import read_still
from tests.fixtures.media import H, Media, W, ffprobe_rotation, mean_abs_diff, packet_pts_s

pytestmark = pytest.mark.clips  # the variants are made from a shared clip

#: Largest mean absolute pixel difference (0-255) between a re-encoded variant
#: and the upright clip. Two extra H.264 generations at crf 20 measured about
#: 0.6; a frame turned the wrong way, or mirrored, differs by 30-60.
SAME_PICTURE_MAD = 4.0

_RealCapture = cv2.VideoCapture


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    return Media.for_session(tmp_path_factory.getbasetemp())


def frames_at(path: Path, indices: list[int]) -> dict[int, np.ndarray]:
    want = set(indices)
    out = {}
    for f in VideoReader(path):
        if f.index in want:
            out[f.index] = f.image
    return out


def all_times(path: Path) -> tuple[np.ndarray, VideoReader]:
    reader = VideoReader(path)
    t = np.array([f.t_s for f in reader])
    return t, reader


# ---------------------------------------------------------------------------------------
# rotation
def test_upright_clip_is_left_alone(media: Media) -> None:
    info = probe(media.get("upright"))
    assert (info.width, info.height, info.rotation_deg) == (W, H, 0)
    f = next(iter(VideoReader(media.get("upright"))))
    assert f.image.shape == (H, W, 3) and f.image.dtype == np.uint8
    assert f.index == 0 and f.t_s == 0.0


@pytest.mark.parametrize("name,deg", [("rot90", 90), ("rot180", 180), ("iphone_hevc_rot90", 90)])
def test_rotated_clip_comes_out_upright(media: Media, name: str, deg: int) -> None:
    path = media.get(name)
    assert ffprobe_rotation(path) in (deg, (360 - deg) % 360)  # the metadata is really there
    info = probe(path)
    assert info.rotation_deg == deg
    assert (info.width, info.height) == (W, H), "upright size, not the stored one"
    idx = [0, 45, 89]
    got = frames_at(path, idx)
    ref = frames_at(media.get("upright"), idx)
    for i in idx:
        assert got[i].shape == (H, W, 3)
        assert mean_abs_diff(got[i], ref[i]) < SAME_PICTURE_MAD, f"frame {i}"
    t_rot, _ = all_times(path)
    t_up, _ = all_times(media.get("upright"))
    np.testing.assert_allclose(t_rot, t_up, atol=1e-3)


class _IgnoresOrientationFlag:
    """A cv2.VideoCapture whose back-end does not rotate (OpenCV 4.11 defaults; opencv#26795)."""

    def __init__(self, *args: object) -> None:
        self._cap = _RealCapture(*args)  # type: ignore[call-overload]
        self._cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 0)

    def set(self, prop: int, value: float) -> bool:
        if prop == cv2.CAP_PROP_ORIENTATION_AUTO:
            return False
        return bool(self._cap.set(prop, value))

    def __getattr__(self, name: str) -> object:
        return getattr(self._cap, name)


@pytest.mark.parametrize("name", ["rot90", "rot180"])
def test_rotation_applied_when_backend_ignores_flag(
    media: Media, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = media.get(name)
    info = probe(path)
    ref = frames_at(media.get("upright"), [30])[30]
    # the stored frame really is turned (else this test would prove nothing)
    cap = _IgnoresOrientationFlag(str(path), cv2.CAP_FFMPEG)
    ok, raw = cap.read()
    cap.release()
    assert ok
    if raw.shape == ref.shape:
        assert mean_abs_diff(raw, ref) > 10 * SAME_PICTURE_MAD
    monkeypatch.setattr(cv2, "VideoCapture", _IgnoresOrientationFlag)
    got = frames_at(path, [30])[30]
    assert got.shape == (H, W, 3)
    assert mean_abs_diff(got, ref) < SAME_PICTURE_MAD, f"{info.rotation_deg} deg not undone"


@pytest.mark.parametrize("backend_rotates", [True, False])
@pytest.mark.parametrize("name", ["rot90", "rot180", "upright"])
def test_review_scrubber_turns_frames_as_the_reader_does(
    media: Media, name: str, backend_rotates: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The frame-by-frame review (FrameSource) shows the picture the analysis saw,
    whether or not the back-end applies the rotation: both take the decision from
    ``rotation_to_apply`` (a half turn is invisible in the shape, so it needs the
    back-end's own report)."""
    from formcheck.ui.clips import FrameSource

    if not backend_rotates:
        monkeypatch.setattr(cv2, "VideoCapture", _IgnoresOrientationFlag)
    path = media.get(name)
    ref = frames_at(media.get("upright"), [0, 30])
    src = FrameSource(path)
    for i in (30, 0):
        got = src.get(i)
        assert got.shape == (H, W, 3), (i, got.shape)
        assert mean_abs_diff(got, ref[i]) < SAME_PICTURE_MAD, f"frame {i} not upright"
    src.close()


def test_rotation_to_apply_decisions() -> None:
    """What is left to turn, from the decoded shape, the metadata and the back-end."""
    from formcheck.video.info import VideoInfo
    from formcheck.video.orient import rotation_to_apply

    def info(deg: int) -> VideoInfo:  # upright 640x360, stored turned by ``deg``
        return VideoInfo(Path("x.mp4"), 1, 640, 360, 30.0, 3.0, 90, deg, False, "h264", "mp4")

    assert rotation_to_apply(info(0), (360, 640, 3)) == 0
    assert rotation_to_apply(info(90), (360, 640, 3)) == 0  # turned by the back-end
    assert rotation_to_apply(info(90), (640, 360, 3)) == 90  # stored shape: not turned
    assert rotation_to_apply(info(270), (640, 360, 3)) == 270
    assert rotation_to_apply(info(180), (360, 640, 3), auto_rotates=True) == 0
    assert rotation_to_apply(info(180), (360, 640, 3), auto_rotates=False) == 180

    def square(deg: int) -> VideoInfo:  # a quarter turn does not show in the shape
        return VideoInfo(Path("x.mp4"), 1, 360, 360, 30.0, 3.0, 90, deg, False, "h264", "mp4")

    assert rotation_to_apply(square(90), (360, 360, 3), auto_rotates=True) == 0
    assert rotation_to_apply(square(90), (360, 360, 3), auto_rotates=False) == 90
    assert rotation_to_apply(square(270), (360, 360, 3), auto_rotates=False) == 270
    assert rotation_to_apply(square(0), (360, 360, 3), auto_rotates=False) == 0


@pytest.mark.parametrize("name", ["rot90", "rot180"])
def test_camera_file_source_turns_frames_as_the_reader_does(
    media: Media, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clip played as a camera (``formcheck live --video``) comes upright too, on a
    back-end that ignores the rotation flag."""
    from formcheck.video.camera import CameraStream

    ref = frames_at(media.get("upright"), [0, 30])
    monkeypatch.setattr(cv2, "VideoCapture", _IgnoresOrientationFlag)
    with CameraStream(media.get(name)) as stream:
        got = {f.index: f.image for f in stream.frames() if f.index in ref}
    for i, img in ref.items():
        assert got[i].shape == (H, W, 3), (i, got[i].shape)
        assert mean_abs_diff(got[i], img) < SAME_PICTURE_MAD, f"frame {i} not upright"


def test_prores_mov_decodes(media: Media) -> None:
    path = media.get("prores")
    info = probe(path)
    assert info.codec == "prores" and (info.width, info.height) == (W, H)
    t, reader = all_times(path)
    assert t.size == 90 and reader.log.damaged == []
    ref = frames_at(media.get("upright"), [45])[45]
    assert mean_abs_diff(frames_at(path, [45])[45], ref) < SAME_PICTURE_MAD


# ---------------------------------------------------------------------------------------
# timestamps
def test_constant_rate_times_are_packet_times(media: Media) -> None:
    path = media.get("upright")
    info = probe(path)
    assert not info.vfr and info.fps_nominal == pytest.approx(30.0)
    t, reader = all_times(path)
    np.testing.assert_allclose(t, packet_pts_s(path), atol=1e-3)
    assert reader.log.frames == t.size == info.frame_count == 90
    assert reader.log.damaged == [] and not reader.log.stopped_early


def test_variable_frame_rate_uses_decoder_timestamps(media: Media) -> None:
    path = media.get("vfr")
    info = probe(path)
    assert info.vfr
    t, reader = all_times(path)
    pts = packet_pts_s(path)
    assert t.size == pts.size == 90
    np.testing.assert_allclose(t, pts, atol=1e-3)
    dt = np.diff(t)
    assert np.isclose(dt[:40], 1 / 30, atol=2e-3).all()  # first 1.5 s at 30 fps
    assert np.isclose(dt[50:], 1 / 20, atol=2e-3).all()  # then 20 fps
    # index / fps would be wrong: by 0.2 s mid-clip with the average rate, by 0.7 s at
    # the end with the first rate
    index = np.arange(t.size)
    assert np.abs(t - index / info.fps_nominal).max() > 0.2
    assert abs(t[-1] - index[-1] / 30.0) > 0.7
    assert reader.log.damaged == [], "a slower stretch is not damage"
    assert reader.log.timestamps_fixed == 0


def test_duplicate_timestamps_made_strictly_increasing(media: Media) -> None:
    """Pairs of frames with the same pts: every frame kept, times nudged 1 ms, counted,
    and the pose pass (MediaPipe needs strictly increasing ms) runs through."""
    from formcheck.pipeline.landmarks import estimate_landmarks
    from formcheck.pipeline.notices import capture_notices

    path = media.get("dup_pts")
    pts = packet_pts_s(path)
    assert np.sum(np.diff(pts) == 0) == 45  # the file really has duplicates
    t, reader = all_times(path)
    assert t.size == 90 and np.all(np.diff(t) > 0)
    assert reader.log.timestamps_fixed == 45
    np.testing.assert_allclose(t[::2], pts[::2], atol=1e-3)  # first of each pair: its own
    series, log, _ = estimate_landmarks(path)
    assert series.n_frames == 90 and series.present.all()
    codes = [n.code for n in capture_notices(probe(path), log, series, 0.2)]
    assert "timestamps" in codes


def test_high_frame_rate_120(media: Media) -> None:
    path = media.get("hi120")
    info = probe(path)
    assert info.fps_nominal == pytest.approx(120.0)
    t, reader = all_times(path)
    assert t.size == info.frame_count and abs(t.size - 360) <= 2
    assert np.median(np.diff(t)) == pytest.approx(1 / 120, abs=1e-4)
    np.testing.assert_allclose(t, packet_pts_s(path), atol=1e-3)
    assert reader.log.damaged == []


def test_slow_motion_export_keeps_file_time(media: Media) -> None:
    """A 120 fps capture exported for 30 fps playback: 4x longer, times from the file.

    The reader reports the file's own (playback) times; converting to real time
    needs the capture rate (Settings.profile.capture_fps, PoseSeries.with_time).
    """
    path = media.get("slowmo")
    info = probe(path)
    assert info.fps_nominal == pytest.approx(30.0)
    assert info.duration_s == pytest.approx(12.0, abs=0.1)
    t, _ = all_times(path)
    assert abs(t.size - 360) <= 2 and t.size == info.frame_count
    assert np.median(np.diff(t)) == pytest.approx(1 / 30, abs=1e-3)
    assert t[-1] == pytest.approx(12.0 - 1 / 30, abs=0.1)


def test_streamed_webm_frame_count_is_plausible(media: Media) -> None:
    """Browser-style WebM has no cues: OpenCV's frame count is absurd (about -2.8e17);
    ours must be believable or None, and the timestamps still right."""
    path = media.get("webm_streamed")
    info = probe(path)
    assert info.codec == "vp9"
    n = plausible_frame_count(info)
    assert info.frame_count is None or n == info.frame_count
    if info.frame_count is not None:
        assert 0 < info.frame_count < 1000 * max(info.duration_s or 0.0, 1.0)
    t, reader = all_times(path)
    assert t.size == 90
    if info.frame_count is not None:
        assert info.frame_count == t.size
    np.testing.assert_allclose(t, np.arange(90) / 30.0, atol=2e-3)
    assert reader.log.damaged == []


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
