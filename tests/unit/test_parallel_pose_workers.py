"""formcheck.pose.parallel with worker threads on synthetic clips: every frame once,
checkpoints, errors and fallbacks."""

from __future__ import annotations

import sys

import numpy as np
import pytest


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
