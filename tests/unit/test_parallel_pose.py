"""formcheck.pose.parallel and .segments: segment plan, joining, checkpoints, and a real clip
on two threads."""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pytest

from formcheck.pose.landmarks import Landmark
from formcheck.pose.parallel import DECODE_MS_PER_MPX, GRAB_MS_PER_MPX, POSE_MS, plan_segments
from formcheck.pose.segments import Segment, SegmentRun, join_segments
from formcheck.pose.track import CaptureLog
from formcheck.video.keyframes import FrameIndex
from formcheck.video.reader import DecodeLog, VideoInfo
from tests.conftest import clip_path


def _cost_ms(seg: Segment, end: float, mpx: float, fps: float) -> float:
    """Work of one worker in the model plan_segments balances (grab up to its start,
    decode and pose from its start to its end)."""
    g = GRAB_MS_PER_MPX * mpx * fps
    d = DECODE_MS_PER_MPX * mpx * fps
    p = POSE_MS * fps
    return seg.pose_from_s * g + (end - seg.pose_from_s) * (d + p)


@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.parametrize("duration", [6.0, 41.3, 600.0])
def test_plan_covers_clip_once_and_balances_work(workers: int, duration: float) -> None:
    mpx, fps, overlap = 0.92, 30.0, 0.5
    plan = plan_segments(duration, workers, mpx, overlap, fps)
    assert len(plan) == workers
    assert plan[0].keep_from_s == 0.0 and plan[-1].until_s == float("inf")
    for a, b in itertools.pairwise(plan):
        assert a.until_s == b.keep_from_s  # contiguous: every frame kept exactly once
        assert b.pose_from_s == pytest.approx(max(0.0, b.keep_from_s - overlap))
    costs = [_cost_ms(s, min(s.until_s, duration), mpx, fps) for s in plan]
    # equal work is the plan's aim; 1 % of the largest covers the bisection's rounding
    assert max(costs) - min(costs) <= 0.01 * max(costs)


def test_plan_counts_the_grab_from_the_key_frame_before_each_segment() -> None:
    """With key frames a later worker decodes only from the one before its start, so
    it gets more of the clip than when it must decode from 0; the work stays equal."""
    mpx, fps, overlap, duration = 2.07, 30.0, 0.5, 12.0
    keys = np.arange(0.0, duration, 0.5)
    index = FrameIndex(np.arange(0.0, duration, 1 / fps), keys)
    with_keys = plan_segments(duration, 2, mpx, overlap, fps, index)
    from_zero = plan_segments(duration, 2, mpx, overlap, fps)
    assert with_keys[1].keep_from_s < from_zero[1].keep_from_s

    def cost(seg: Segment, end: float) -> float:
        key = keys[keys <= seg.pose_from_s + 1e-12].max()
        g, d, p = (GRAB_MS_PER_MPX * mpx * fps, DECODE_MS_PER_MPX * mpx * fps, POSE_MS * fps)
        return (seg.pose_from_s - key) * g + (end - seg.pose_from_s) * (d + p)

    costs = [cost(s, min(s.until_s, duration)) for s in with_keys]
    assert max(costs) - min(costs) <= 0.01 * max(costs)


def test_single_worker_is_one_segment() -> None:
    assert plan_segments(30.0, 1, 1.0) == [Segment(0.0, 0.0, float("inf"))]


_INFO = VideoInfo(None, 1, 64, 48, 10.0, 3.0, 30, 0, False, "h264", "mp4")  # type: ignore[arg-type]


def _run(seg: Segment, t: np.ndarray, value: float, decode_frames: int) -> SegmentRun:
    run = SegmentRun(seg, _INFO)
    for ti in t:
        xyzv = np.full((33, 4), value, np.float32)
        run.acc.add(float(ti), round(ti * 10), xyzv, np.zeros((33, 3), np.float32))
    run.log = CaptureLog(
        crowd_samples=[(float(t[-1]), 1)],
        levels=[100.0],
        timestamps_nudged=1,
        decode=DecodeLog(frames=decode_frames),
    )
    return run


def test_join_keeps_each_frame_once_and_measures_the_overlap() -> None:
    from formcheck.pose.segments import ParallelLog

    t = np.arange(0, 3.0, 0.1)
    plan = [Segment(0.0, 0.0, 2.0), Segment(1.5, 2.0, float("inf"))]
    a = _run(plan[0], t[t < 2.0 - 1e-9], 10.0, 20)
    b = _run(plan[1], t[t >= 1.5 - 1e-9], 13.0, 30)  # 3 px off in x and y -> 4.24 px apart
    plog = ParallelLog(plan)
    series, log = join_segments([a, b], _INFO, plog, False)
    np.testing.assert_allclose(series.t_s, t)
    assert np.all(series.xyzv[series.t_s < 2.0 - 1e-9, 0, 0] == 10.0)
    assert np.all(series.xyzv[series.t_s >= 2.0 - 1e-9, 0, 0] == 13.0)
    assert log.decode.frames == 30  # the last segment decoded the whole clip
    assert log.timestamps_nudged == 2 and not log.interrupted
    assert plog.overlap_px == [pytest.approx(np.hypot(3, 3), rel=1e-5)]


def test_join_of_an_interrupted_pass_keeps_every_segment_so_far() -> None:
    """Stopped early: each segment's frames so far, in time order, a hole between."""
    from formcheck.pose.segments import ParallelLog

    t = np.arange(0, 3.0, 0.1)
    plan = [Segment(0.0, 0.0, 2.0), Segment(1.5, 2.0, float("inf"))]
    a = _run(plan[0], t[t < 1.0 - 1e-9], 10.0, 10)  # reached 0.9 s of its 0-2 s
    b = _run(plan[1], t[(t >= 1.5 - 1e-9) & (t < 2.5 - 1e-9)], 13.0, 25)
    b.log.interrupted = True  # type: ignore[union-attr]
    series, log = join_segments([a, b], _INFO, ParallelLog(plan), True)
    assert log.interrupted
    kept = np.concatenate([t[t < 1.0 - 1e-9], t[(t >= 2.0 - 1e-9) & (t < 2.5 - 1e-9)]])
    np.testing.assert_allclose(series.t_s, kept)
    assert log.decode.frames == 25  # the log that got furthest


def _seeked(run: SegmentRun, first_index: int, started_at_s: float) -> SegmentRun:
    assert run.log is not None
    run.log.decode.first_index, run.log.decode.started_at_s = first_index, started_at_s
    return run


def test_align_shifts_a_segment_started_at_a_key_frame_to_the_single_pass_numbering() -> None:
    """Frames lost before the key frame: the later segment's ranks run 3 ahead of the
    decoded count; the overlap gives the offset and every index moves by it."""
    from formcheck.pose.segments import align_indices

    t = np.arange(0, 3.0, 0.1)
    plan = [Segment(0.0, 0.0, 2.0), Segment(1.5, 2.0, float("inf"))]
    a = _run(plan[0], t[t < 2.0 - 1e-9], 10.0, 20)  # indices round(t * 10)
    b = _run(plan[1], t[t >= 1.5 - 1e-9], 13.0, 15)
    b.acc.shift_index(3)
    _seeked(b, 13 + 3, 1.3)
    assert align_indices(a, b)
    np.testing.assert_array_equal(b.acc.snapshot().frame_index, np.round(t[t >= 1.5 - 1e-9] * 10))
    assert b.log is not None and b.log.decode.first_index == 13


def test_align_refuses_a_segment_it_cannot_check() -> None:
    """No frame decoded by both, or offsets that differ within the overlap: False
    (the caller decodes that segment again from the start); from the start: True."""
    from formcheck.pose.segments import align_indices

    t = np.arange(0, 3.0, 0.1)
    plan = [Segment(0.0, 0.0, 2.0), Segment(1.5, 2.0, float("inf"))]
    a = _run(plan[0], t[t < 1.4 - 1e-9], 10.0, 14)  # stopped before the overlap
    b = _seeked(_run(plan[1], t[t >= 1.5 - 1e-9], 13.0, 15), 15, 1.5)
    assert not align_indices(a, b)
    a = _run(plan[0], t[t < 2.0 - 1e-9], 10.0, 20)
    b = _run(plan[1], t[t >= 1.5 - 1e-9], 13.0, 15)
    b.acc._index[0][2] += 1  # one overlap frame numbered differently
    assert not align_indices(a, _seeked(b, 15, 1.5))
    assert align_indices(a, _run(plan[1], t[t >= 1.5 - 1e-9], 13.0, 30))  # decoded from 0


def test_decode_logs_of_segments_started_at_key_frames_join_into_one() -> None:
    """Frames counted to the end, damaged ranges joined, the end taken from the last."""
    from formcheck.pose.segments import _merged_decode

    plan = [Segment(0.0, 0.0, 2.0), Segment(1.5, 2.0, float("inf"))]
    t = np.arange(0, 3.0, 0.1)
    a = _run(plan[0], t[t < 2.0 - 1e-9], 10.0, 21)
    b = _seeked(_run(plan[1], t[t >= 1.5 - 1e-9], 13.0, 18), 12, 1.2)
    assert a.log is not None and b.log is not None
    a.log.decode.damaged, a.log.decode.failed_reads = [(0.4, 0.6)], 2
    b.log.decode.damaged, b.log.decode.failed_reads = [(2.5, 2.7)], 1
    b.log.decode.ended_at_s = 2.9
    d = _merged_decode([a, b])
    assert (d.frames, d.damaged, d.failed_reads, d.ended_at_s) == (
        30,
        [(0.4, 0.6), (2.5, 2.7)],
        3,
        2.9,
    )


def test_accumulator_snapshots_while_frames_are_added() -> None:
    """A snapshot taken mid-pass holds the complete frames so far, across blocks."""
    from formcheck.pose.track import PoseAccumulator

    acc = PoseAccumulator(64, 48)
    acc.BLOCK = 4  # several blocks with a few frames
    for i in range(10):
        acc.add(i * 0.1, i, np.full((33, 4), i, np.float32), np.zeros((33, 3), np.float32))
        snap = acc.snapshot()
        assert snap.n_frames == i + 1
        np.testing.assert_array_equal(snap.frame_index, np.arange(i + 1))
        np.testing.assert_array_equal(snap.xyzv[:, 0, 0], np.arange(i + 1))
    assert acc.snapshot(keep_from_s=0.45).n_frames == 5
    assert acc.snapshot(keep_from_s=5.0).n_frames == 0


def _torso_px(xyzv: np.ndarray) -> float:
    sh = 0.5 * (xyzv[:, Landmark.LEFT_SHOULDER, :2] + xyzv[:, Landmark.RIGHT_SHOULDER, :2])
    hip = 0.5 * (xyzv[:, Landmark.LEFT_HIP, :2] + xyzv[:, Landmark.RIGHT_HIP, :2])
    return float(np.nanmedian(np.linalg.norm(sh - hip, axis=-1)))


#: clip -> (activity, metric, truth from shared/clips/MANIFEST.md, how far the
#: two-thread value may move from the one-thread value). Counts must not move at
#: all; a hold may move by a few frames (0.2 s = 5 frames at 25 fps) because a
#: state change can shift by a frame or two when landmarks differ by jitter. A
#: cadence fitted over a 12 s clip moves by about 0.5 steps/min when one contact
#: at an end of the span shifts by one frame (33 ms / 12 s x 169 steps/min), so
#: jitter at both ends allows 1.0; both values must also meet the product's
#: accuracy promise (within 1.0 of the truth, issue #4).
CASES = {
    "glute_bridge_side_darebee.mp4": ("glute-bridge", "reps", 5.0, 0.0),
    "plank_forearm_side_mrpose.mp4": ("plank", "hold_s", 6.9, 0.2),
    "run_treadmill_male_side.mp4": ("run", "cadence_spm", 168.9, 1.0),
}


@pytest.mark.clips
@pytest.mark.parametrize("name", list(CASES))
def test_two_threads_match_one_on_a_real_clip(tmp_path, name: str) -> None:
    """Same frames, timestamps and decode log; landmarks agree to a small fraction of
    the torso; reps / hold / cadence unchanged (when the analyzer exists)."""
    from formcheck.pipeline.landmarks import estimate_landmarks
    from formcheck.settings import Settings

    clip = clip_path(name)  # all longer than MIN_PARALLEL_S, so they are split
    # no cache for either: the session cache may hold landmarks of either kind
    one, log1, _ = estimate_landmarks(
        clip, Settings(pose_workers=1, cache_landmarks=False, cache_dir=tmp_path)
    )
    two, log2, pose2 = estimate_landmarks(
        clip, Settings(pose_workers=2, cache_landmarks=False, cache_dir=tmp_path)
    )
    assert not pose2.from_cache
    np.testing.assert_array_equal(one.t_s, two.t_s)
    np.testing.assert_array_equal(one.frame_index, two.frame_index)
    assert log2.decode.frames == log1.decode.frames
    assert log2.decode.damaged == log1.decode.damaged
    assert not log2.interrupted
    # the person is found in the same frames (a cut may flip at most a frame or two)
    assert np.sum(one.present != two.present) <= 2
    both = one.present & two.present
    dist = np.linalg.norm(one.xyzv[both, :, :2] - two.xyzv[both, :, :2], axis=-1)
    # After the cut the second tracker follows its own (equally valid) history, so
    # landmarks differ by MediaPipe's frame-to-frame jitter, a few pixels; 5 % of the
    # torso length is far below any posture change a cue is about (a 5 % torso
    # shift moves a trunk angle by under 3 degrees).
    assert float(np.median(np.median(dist, axis=1))) < 0.05 * _torso_px(one.xyzv)

    activity, metric, truth, moves = CASES[name]
    try:
        from formcheck.activities import get_analyzer

        get_analyzer(activity)(one, Settings())
    except (ImportError, NotImplementedError):
        pytest.skip(f"{activity} analyzer not written yet: {metric} not compared")
    from benchmarks.bench import metric_like
    from formcheck.pipeline import analyze_pose

    v1 = metric_like(analyze_pose(one, activity), metric)
    v2 = metric_like(analyze_pose(two, activity), metric)
    if v1 is None:
        pytest.skip(f"{metric} not produced by the {activity} analyzer")
    assert v2 is not None and abs(v2 - v1) <= moves
    if metric == "cadence_spm":
        assert abs(v1 - truth) <= 1.0 and abs(v2 - truth) <= 1.0


def _synthetic_clip(path, seconds: float = 5.0, fps: float = 10.0):
    import cv2

    w, h = 160, 120
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for i in range(round(seconds * fps)):
        img = np.full((h, w, 3), 40, np.uint8)
        cv2.circle(img, (10 + (i * 3) % (w - 20), h // 2), 8, (255, 255, 255), -1)
        out.write(img)
    out.release()
    return path


@pytest.mark.parametrize("broken", [False, True])
def test_every_frame_once_with_workers_or_after_a_worker_fails(tmp_path, monkeypatch, broken):
    """Frames/timestamps equal a plain decode; a worker that cannot start is redone here."""
    from formcheck.pose import parallel
    from formcheck.video.reader import VideoReader, probe

    clip = _synthetic_clip(tmp_path / "dots.mp4")
    info = probe(clip)
    if broken:
        real = parallel.run_segment

        def broken_in_threads(*args, **kw):
            import threading

            if threading.current_thread() is not threading.main_thread():
                raise OSError("no landmarker in this thread")
            return real(*args, **kw)

        monkeypatch.setattr(parallel, "run_segment", broken_in_threads)
    seen: list[int] = []
    secs: list[float] = []
    series, log, plog = parallel.estimate_video_parallel(
        clip, info, workers=2, progress=lambda n, t: seen.append(n) or secs.append(t)
    )
    frames = list(VideoReader(clip, info))
    np.testing.assert_allclose(series.t_s, [f.t_s for f in frames])
    np.testing.assert_array_equal(series.frame_index, [f.index for f in frames])
    assert len(plog.segments) == 2 and log.decode.frames == len(frames)
    assert not series.present.any()  # no person in a moving dot
    assert len(plog.fallbacks) == (1 if broken else 0)
    assert seen and seen == sorted(seen)
    # progress counts each frame once (not the overlap a later segment runs first)
    # and the seconds analysed add up to the clip's, not to one segment's
    assert seen[-1] == len(frames)
    assert max(secs) == pytest.approx(frames[-1].t_s, abs=2 / 10)


def test_accumulator_snapshot_is_consistent_while_another_thread_adds() -> None:
    """Snapshots from another thread during add(): every frame in a snapshot is
    complete (its landmarks, time and index belong together) and frames are in order."""
    import threading

    from formcheck.pose.track import PoseAccumulator

    acc = PoseAccumulator(64, 48)
    acc.BLOCK = 7  # many block boundaries
    n = 3000
    done = threading.Event()

    def writer() -> None:
        for i in range(n):
            acc.add(i / 30, i, np.full((33, 4), i, np.float32), np.full((33, 3), -i, np.float32))
        done.set()

    th = threading.Thread(target=writer)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: a torn frame shows
    try:
        th.start()
        snaps = 0
        while not done.is_set() or snaps == 0:
            snap = acc.snapshot(keep_from_s=1.0)
            k = snap.frame_index
            if k.size:
                assert k[0] == 30 and np.array_equal(k, np.arange(30, 30 + k.size))
                np.testing.assert_array_equal(snap.xyzv[:, :, 0], np.repeat(k[:, None], 33, 1))
                np.testing.assert_array_equal(snap.world[:, :, 2], -np.repeat(k[:, None], 33, 1))
                np.testing.assert_allclose(snap.t_s, k / 30)
            snaps += 1
        th.join()
    finally:
        sys.setswitchinterval(switch)
    assert acc.snapshot().n_frames == n


def test_a_failing_checkpoint_does_not_stop_the_pass(tmp_path) -> None:
    """Saving results so far is best effort: an error in it is logged, checkpoints
    stop, and the pass still returns every frame."""
    from formcheck.pose import parallel
    from formcheck.video.reader import VideoReader, probe

    clip = _synthetic_clip(tmp_path / "dots.mp4")
    info = probe(clip)
    calls: list[int] = []

    def checkpoint(series) -> None:
        calls.append(series.n_frames)
        raise ValueError("history analysis bug")

    series, log, plog = parallel.estimate_video_parallel(
        clip, info, workers=2, checkpoint=checkpoint, checkpoint_every_s=1e-9
    )
    assert len(calls) == 1
    assert plog.checkpoint_errors == ["ValueError: history analysis bug"]
    assert not log.interrupted
    assert series.n_frames == len(list(VideoReader(clip, info)))


def test_checkpoints_off_at_zero_and_in_time_order_otherwise(tmp_path) -> None:
    from formcheck.pose import parallel
    from formcheck.video.reader import probe

    clip = _synthetic_clip(tmp_path / "dots.mp4")
    info = probe(clip)
    got: list = []
    parallel.estimate_video_parallel(
        clip, info, workers=2, checkpoint=got.append, checkpoint_every_s=0.0
    )
    assert got == []
    series, _, _ = parallel.estimate_video_parallel(
        clip, info, workers=2, checkpoint=got.append, checkpoint_every_s=1e-9
    )
    assert got
    for part in got:  # each one: frames of the final series, in time order
        assert np.all(np.diff(part.t_s) > 0)
        assert np.isin(part.frame_index, series.frame_index).all()
        np.testing.assert_array_equal(
            part.t_s, series.t_s[np.searchsorted(series.frame_index, part.frame_index)]
        )


def test_an_error_in_the_calling_thread_stops_and_joins_the_workers(tmp_path) -> None:
    """E.g. an app rerun raised from the progress callback: it propagates, and no
    landmarker thread is left running afterwards."""
    import threading

    from formcheck.pose import parallel
    from formcheck.video.reader import probe

    clip = _synthetic_clip(tmp_path / "dots.mp4")
    info = probe(clip)

    class Rerun(BaseException):
        pass

    def progress(done: int, t_s: float) -> None:
        if done >= 5:
            raise Rerun

    with pytest.raises(Rerun):
        parallel.estimate_video_parallel(clip, info, workers=2, progress=progress)
    assert not [t for t in threading.enumerate() if t.name == "formcheck-pose"]


# ---------------------------------------------------------------------------------------
# the estimator shared by the threads
def test_stderr_silencer_restores_only_when_the_last_thread_leaves(tmp_path, monkeypatch) -> None:
    """Two threads silence fd 2 at overlapping times (each landmarker's creation and
    first inference): still silenced until the last one leaves, restored after."""
    import os
    import threading

    from formcheck.pose import estimator

    out = tmp_path / "stderr.txt"
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)

    class FakeStderr:
        def fileno(self) -> int:
            return fd

        def flush(self) -> None:
            pass

    monkeypatch.setattr(sys, "stderr", FakeStderr())
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def a() -> None:
        with estimator._quiet_native_stderr():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def b() -> None:
        a_in.wait(5)
        with estimator._quiet_native_stderr():
            b_in.set()
            a_out.wait(5)
            os.write(fd, b"hidden after the first left\n")

    try:
        ta, tb = threading.Thread(target=a), threading.Thread(target=b)
        ta.start()
        tb.start()
        ta.join(10)
        tb.join(10)
        os.write(fd, b"shown\n")
    finally:
        os.close(fd)
    assert out.read_text() == "shown\n"
    assert estimator._quiet_depth == 0 and estimator._quiet_saved_fd is None


def test_telemetry_block_is_set_once(monkeypatch) -> None:
    """Every landmarker calls it: the environment must not change (nor grow) again
    while other threads' C code may read it."""
    import os

    from formcheck.pose.estimator import block_native_telemetry

    monkeypatch.setenv("no_proxy", "example.org")
    monkeypatch.delenv("NO_PROXY", raising=False)
    block_native_telemetry()
    first = dict(os.environ)
    block_native_telemetry()
    block_native_telemetry()
    assert dict(os.environ) == first
    assert os.environ["no_proxy"] == "example.org,127.0.0.1,localhost,::1"


def test_a_crowd_check_that_cannot_be_made_leaves_no_landmarker_open(monkeypatch) -> None:
    """The crowd check's landmarker is made at its first count (so a later parallel
    segment can decode to its start meanwhile); when that fails, the frame fails
    and closing the estimator releases the landmarker already made."""
    from types import SimpleNamespace

    from mediapipe.tasks.python import vision

    from formcheck.pose.estimator import PoseEstimator

    made: list[object] = []

    class Landmarker:
        closed = False

        def close(self) -> None:
            self.closed = True

        def detect_for_video(self, image: object, ms: int) -> object:
            return SimpleNamespace(pose_landmarks=[], pose_world_landmarks=[])

    def create(options: object) -> Landmarker:
        if made:
            raise RuntimeError("no second graph")
        made.append(Landmarker())
        return made[-1]  # type: ignore[return-value]

    monkeypatch.setattr(vision.PoseLandmarker, "create_from_options", staticmethod(create))
    est = PoseEstimator(crowd_check_every_s=0.5)
    assert len(made) == 1  # the crowd check's waits for its first count
    with pytest.raises(RuntimeError, match="no second graph"), est:
        est.process(np.zeros((48, 64, 3), np.uint8), 0.0)
    assert made[0].closed  # type: ignore[attr-defined]


def test_a_worker_whose_landmarker_fails_at_its_first_frame_is_redone_here(
    tmp_path, monkeypatch
) -> None:
    """Landmarkers are made when a segment's first frame needs one; one that fails
    then is a worker failure like any other (its segment redone in the calling
    thread), and every landmarker that was made is closed."""
    import threading

    from formcheck.pose import parallel, segments
    from formcheck.video.reader import probe

    clip = _synthetic_clip(tmp_path / "dots.mp4")
    info = probe(clip)
    made: list[segments.PoseEstimator] = []
    closed: list[segments.PoseEstimator] = []

    class Counted(segments.PoseEstimator):
        def __init__(self, *args, **kw) -> None:
            if threading.current_thread() is not threading.main_thread():
                raise OSError("no landmarker in this thread")
            super().__init__(*args, **kw)
            made.append(self)

        def close(self) -> None:
            closed.append(self)
            super().close()

    monkeypatch.setattr(segments, "PoseEstimator", Counted)
    series, log, plog = parallel.estimate_video_parallel(clip, info, workers=2)
    assert len(plog.fallbacks) == 1 and "no landmarker in this thread" in plog.fallbacks[0]
    assert series.n_frames == log.decode.frames and not log.interrupted
    assert len(made) == 2 and set(map(id, closed)) == set(map(id, made))


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


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory):
    from tests.media import Media

    return Media.for_session(tmp_path_factory.getbasetemp())


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
