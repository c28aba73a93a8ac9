"""The video reader on variant files the tests make themselves (see tests/fixtures/media.py).

Each case is one of the failure modes in shared/docs/pitfalls.md: rotation
metadata (90 and 180 degrees, and a back-end that ignores the rotation flag),
variable frame rate, high frame rate, slow motion, streamed WebM with an absurd
OpenCV frame count, a header that promises more than the file holds, damage in
the middle, still images, and memory that must not grow with clip length.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.pipeline.landmarks import plausible_frame_count
from formcheck.video import VideoReader, probe
from tests.fixtures.media import H, Media, W, ffprobe_rotation, mean_abs_diff, packet_pts_s

pytestmark = pytest.mark.clips  # the variants are made from a shared clip

#: Largest mean absolute pixel difference (0-255) between a re-encoded variant
#: and the upright clip. Two extra H.264 generations at crf 20 measured about
#: 0.6; a frame turned the wrong way, or mirrored, differs by 30-60.
SAME_PICTURE_MAD = 4.0

_RealCapture = cv2.VideoCapture


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


def test_one_dropped_frame_leaves_a_clip_constant_rate(media: Media) -> None:
    """A 30 fps clip missing one frame (one interval of 67 ms among 88 of 33 ms) is not
    called variable-rate; its timestamps keep the gap."""
    path = media.get("one_dropped")
    info = probe(path)
    assert not info.vfr and info.fps_nominal == pytest.approx(30.0, abs=0.5)
    t, _ = all_times(path)
    assert t.size == 89
    assert np.max(np.diff(t)) == pytest.approx(2 / 30, abs=2e-3)


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
