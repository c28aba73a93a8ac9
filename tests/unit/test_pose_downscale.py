"""Issue 21 item 9: the pose pass decodes large frames at the size the model needs
(so its memory does not grow with resolution), and its landmarks stay in the
clip's own pixels."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.pose.landmarks import Landmark
from formcheck.video.scale import fit_long_side, shrink

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_videos" / "run_treadmill_male_side.mp4"
FRAMES = 10


@pytest.mark.parametrize(
    ("size", "limit", "want"),
    [
        ((3840, 2160), 1280, (1280, 720)),  # 4K landscape
        ((2160, 3840), 1280, (720, 1280)),  # 4K portrait (a phone)
        ((1920, 1080), 1280, (1280, 720)),
        ((1920, 1081), 1280, (1280, 721)),  # short side rounded, aspect kept
        ((4000, 3), 1280, (1280, 1)),  # never 0
        ((1280, 720), 1280, (1280, 720)),  # fits: untouched
        ((640, 480), 1280, (640, 480)),  # small: never enlarged
        ((3840, 2160), None, (3840, 2160)),  # no limit
        ((3840, 2160), 0, (3840, 2160)),
    ],
)
def test_fit_long_side(size: tuple[int, int], limit: int | None, want: tuple[int, int]) -> None:
    got = fit_long_side(*size, limit)
    assert got == want
    if got != size:
        assert max(got) == limit
        if min(got) > 1:  # aspect kept up to the short side's rounding (half a pixel)
            assert abs(got[0] / got[1] / (size[0] / size[1]) - 1) <= 0.5 / min(got) + 1e-9


def test_shrink_keeps_small_frames_and_shrinks_large_ones() -> None:
    small = np.zeros((720, 1280, 3), np.uint8)
    assert shrink(small, 1280) is small
    big = np.full((2160, 3840, 3), 77, np.uint8)
    out = shrink(big, 1280)
    assert out.shape == (720, 1280, 3) and out.dtype == np.uint8
    assert int(out.min()) == int(out.max()) == 77  # an average, no ringing


def _upscaled_clip(folder: Path, factor: int) -> Path:
    """The sample's first frames, ``factor`` times larger (mp4v)."""
    cap = cv2.VideoCapture(str(SAMPLE))
    w = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)) * factor
    h = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)) * factor
    out = folder / f"x{factor}.mp4"
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (w, h))
    for _ in range(FRAMES):
        ok, img = cap.read()
        assert ok
        writer.write(cv2.resize(img, (w, h), interpolation=cv2.INTER_CUBIC))
    cap.release()
    writer.release()
    return out


@pytest.fixture(scope="module")
def big_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _upscaled_clip(tmp_path_factory.mktemp("x2"), 2)


def test_reader_shrinks_frames_but_reports_the_clip_size(big_clip: Path) -> None:
    from formcheck.video.reader import VideoReader, probe

    info = probe(big_clip)
    assert (info.width, info.height) == (1440, 2560)
    frames = list(VideoReader(big_clip, info, max_side=1280))
    assert len(frames) == FRAMES
    assert all(f.image.shape == (1280, 720, 3) for f in frames)
    # without the limit (the annotated video's reader) frames come full size
    assert next(iter(VideoReader(big_clip, info))).image.shape == (2560, 1440, 3)


def _hips(xyzv: np.ndarray) -> np.ndarray:
    return 0.5 * (xyzv[:, Landmark.LEFT_HIP, :2] + xyzv[:, Landmark.RIGHT_HIP, :2])


def test_pose_pass_sees_small_frames_and_gives_clip_pixels(
    big_clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from formcheck.pose.estimator import POSE_MAX_SIDE_PX, PoseEstimator
    from formcheck.pose.parallel import estimate_video_parallel
    from formcheck.pose.track import estimate_video
    from formcheck.video.reader import VideoReader, probe

    seen: list[tuple[int, ...]] = []
    real = PoseEstimator.process

    def spy(self: PoseEstimator, image_bgr: np.ndarray, t_s: float) -> object:
        seen.append(image_bgr.shape)
        return real(self, image_bgr, t_s)

    monkeypatch.setattr(PoseEstimator, "process", spy)
    info = probe(big_clip)
    series, _log, _ = estimate_video_parallel(
        big_clip, info, workers=1, crowd_check_every_s=0.5, checkpoint_every_s=0
    )
    assert len(seen) == FRAMES
    assert all(max(s[:2]) <= POSE_MAX_SIDE_PX for s in seen)
    assert (series.width, series.height) == (1440, 2560)
    monkeypatch.setattr(PoseEstimator, "process", real)

    with PoseEstimator(crowd_check_every_s=0) as est:
        native, _ = estimate_video(VideoReader(SAMPLE), est, until_s=series.t_s[-1] + 1e-3)
    assert native.n_frames == series.n_frames == FRAMES
    big, small = _hips(series.xyzv), _hips(native.xyzv)
    assert np.all(np.isfinite(big)) and np.all(np.isfinite(small))
    # the hips of the 2x clip, in its own pixels, are twice the native clip's
    err = np.linalg.norm(big / 2.0 - small, axis=1)
    assert float(np.median(err)) < 4.0, err
    assert float(big[:, 1].mean()) > 1.5 * float(small[:, 1].mean())  # not the small scale
