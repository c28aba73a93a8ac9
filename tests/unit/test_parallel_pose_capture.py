"""formcheck.pose.parallel and the video capture: released on every path, later segments
decoded from their key frame."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.test_parallel_pose_workers import _synthetic_clip


def test_pose_pass_releases_the_capture_on_every_path(tmp_path, monkeypatch) -> None:
    """A landmarker error mid-pass (a worker thread's failure) must not leave the
    VideoCapture open while the exception is kept (ParallelLog / SegmentRun.error)."""
    import cv2

    from formcheck.pose.track import estimate_video
    from formcheck.video.reader import VideoReader, probe

    clip = _synthetic_clip(tmp_path / "dots.mp4")
    info = probe(clip)
    real = cv2.VideoCapture
    released: list[bool] = []

    class Capture:
        def __init__(self, *args: object) -> None:
            self._cap = real(*args)  # type: ignore[call-overload]
            released.append(False)

        def release(self) -> None:
            released[-1] = True
            self._cap.release()

        def __getattr__(self, name: str) -> object:
            return getattr(self._cap, name)

    class Failing:
        timestamps_nudged = 0

        def process(self, image: np.ndarray, t_s: float) -> object:
            if t_s > 1.0:
                raise RuntimeError("landmarker failed")
            from formcheck.pose.estimator import FramePose

            return FramePose(np.full((33, 4), np.nan, np.float32), np.full((33, 3), np.nan), None)

    monkeypatch.setattr(cv2, "VideoCapture", Capture)
    kept: list[BaseException] = []
    try:
        estimate_video(VideoReader(clip, info), Failing())  # type: ignore[arg-type]
    except RuntimeError as exc:
        kept.append(exc)  # the traceback (and its frames) stay alive here
        assert released == [True]
    assert kept
    with pytest.raises(ValueError, match="skips frames"):
        estimate_video(VideoReader(clip, info, skip_before_s=2.0), Failing(), pose_from_s=1.0)  # type: ignore[arg-type]


@pytest.mark.clips
@pytest.mark.parametrize("name", ["gop15", "gop15_damaged"])
def test_a_later_segment_decodes_from_its_key_frame_with_a_single_passs_frames(
    media, name: str
) -> None:
    """A key frame every 15 frames (as phones write): the second segment starts
    decoding at the one before its overlap, not at the clip's start, and the result
    has a single read's times, indices and decode log. In "gop15_damaged" frames
    before that key frame are lost, so the segment's packet ranks are ahead of the
    decoded count and the join must shift them."""
    from formcheck.pose.parallel import estimate_video_parallel
    from formcheck.video.keyframes import read_frame_index
    from formcheck.video.reader import VideoReader, probe

    path = media.get(name)
    info = probe(path)
    reader = VideoReader(path, info, only=lambda k: False)  # indices and times only
    frames = [(f.index, f.t_s) for f in reader]
    series, log, plog = estimate_video_parallel(path, info, workers=2)
    np.testing.assert_array_equal(series.t_s, [t for _, t in frames])
    np.testing.assert_array_equal(series.frame_index, [i for i, _ in frames])
    d, ref = log.decode, reader.log
    assert (d.frames, d.damaged, d.failed_reads, d.ended_at_s, d.stopped_early) == (
        ref.frames, ref.damaged, ref.failed_reads, ref.ended_at_s, ref.stopped_early
    )  # fmt: skip
    seg = plog.segments[1]
    assert 0 < seg.pose_from_s - plog.decode_from_s[1] < 0.6  # from the key frame before
    assert plog.redecoded == [] and plog.fallbacks == []
    index = read_frame_index(path)
    assert index is not None
    lost = index.times_s.size - ref.frames
    assert (lost > 0) == (name == "gop15_damaged")
    # the frames were lost before the second segment's key frame: its ranks needed the shift
    assert all(end < plog.decode_from_s[1] for _, end in ref.damaged)


@pytest.mark.clips
def test_a_segment_that_does_not_line_up_is_decoded_again_from_the_start(
    media, monkeypatch
) -> None:
    """When the overlap cannot confirm a later segment's numbering, that segment is
    run again from the clip's start: slower, the same frames as one pass."""
    from formcheck.pose import parallel
    from formcheck.video.reader import VideoReader, probe

    path = media.get("gop15")
    info = probe(path)
    real, calls = parallel.align_indices, []

    def refuse_first(prev, run):
        calls.append(run.log.decode.started_at_s)
        return False if len(calls) == 1 else real(prev, run)

    monkeypatch.setattr(parallel, "align_indices", refuse_first)
    series, log, plog = parallel.estimate_video_parallel(path, info, workers=2)
    frames = [(f.index, f.t_s) for f in VideoReader(path, info, only=lambda k: False)]
    np.testing.assert_array_equal(series.frame_index, [i for i, _ in frames])
    np.testing.assert_array_equal(series.t_s, [t for _, t in frames])
    assert calls[0] > 0  # the first run started at a key frame
    assert plog.redecoded == [1] and plog.decode_from_s[1] == 0.0
    assert log.decode.frames == len(frames) and not log.problems
