"""Keep one person: a tracker jump to someone else is cut out; leaving the frame is not a jump."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.pipeline.analysis import analyze_pose
from formcheck.pose.identity import (
    MAX_HIP_SPEED_TORSO_PER_S,
    MAX_TORSO_RATIO,
    keep_one_person,
)
from formcheck.pose.landmarks import N_LANDMARKS, Landmark
from formcheck.pose.series import PoseSeries
from tests.fixtures.synthetic_gait import run_series

W, H = 1280, 720
FPS = 30.0


def body(hip_x: float, hip_y: float, torso_px: float) -> np.ndarray:
    """A standing body (33, 4): shoulders a torso above the hips, legs below."""
    p = np.zeros((N_LANDMARKS, 4), np.float32)
    p[:, 0] = hip_x
    p[:, 1] = hip_y - 1.3 * torso_px  # head region by default
    p[:, 3] = 0.9
    for lm, dx in ((Landmark.LEFT_HIP, 8), (Landmark.RIGHT_HIP, -8)):
        p[lm, :2] = (hip_x + dx, hip_y)
    for lm, dx in ((Landmark.LEFT_SHOULDER, 10), (Landmark.RIGHT_SHOULDER, -10)):
        p[lm, :2] = (hip_x + dx, hip_y - torso_px)
    for lm in (Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE):
        p[lm, :2] = (hip_x, hip_y + 0.9 * torso_px)
    for lm in (Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE):
        p[lm, :2] = (hip_x, hip_y + 1.8 * torso_px)
    return p


def walker(
    n: int, x0: float = 200.0, speed_px_s: float = 150.0, torso: float = 120.0
) -> tuple[np.ndarray, np.ndarray]:
    """A person walking across at a steady speed with a small vertical bob."""
    t = np.arange(n) / FPS
    xyzv = np.stack(
        [body(x0 + speed_px_s * ti, 400 + 4 * np.sin(2 * np.pi * 1.8 * ti), torso) for ti in t]
    )
    return xyzv, t


def test_jump_to_second_person_dropped_and_reported() -> None:
    xyzv, t = walker(150)
    # frames 60-84: the tracker follows someone else, 4 torsos away and smaller
    for i in range(60, 85):
        xyzv[i] = body(1000.0, 380.0, 90.0)
    s = PoseSeries(xyzv, t, W, H)
    res = keep_one_person(s)
    assert res.series.n_frames == s.n_frames
    assert not res.series.present[60:85].any()
    assert res.series.present[:60].all() and res.series.present[85:].all()
    np.testing.assert_array_equal(res.series.xyzv[:60], s.xyzv[:60])
    assert res.jumps_t_s == pytest.approx((t[60], t[85]))
    assert len(res.dropped_ranges_s) == 1
    assert res.dropped_ranges_s[0] == pytest.approx((t[60], t[84]))
    assert np.isnan(res.series.world[60:85]).all()
    assert s.present[60:85].all(), "the input series must not change"


def test_jump_by_size_alone() -> None:
    """Someone much nearer the camera at the same spot: the torso length gives it away."""
    xyzv, t = walker(120, speed_px_s=0.0)
    for i in range(50, 70):
        xyzv[i] = body(200.0, 400.0, 120.0 * (MAX_TORSO_RATIO + 0.3))
    res = keep_one_person(PoseSeries(xyzv, t, W, H))
    assert not res.series.present[50:70].any()
    assert res.series.present[:50].all() and res.series.present[70:].all()


def test_leaving_and_reentering_is_not_a_jump() -> None:
    """Walks out of frame on the right, 1.5 s absent, walks back in on the right."""
    out_xyzv, t = walker(180, x0=700.0, speed_px_s=200.0)
    xyzv = out_xyzv.copy()
    xyzv[60:105] = np.nan  # out of frame for 1.5 s
    for i in range(105, 180):  # coming back, walking left, from the right edge
        xyzv[i] = body(1250.0 - 200.0 * (t[i] - t[105]), 400.0, 118.0)
    s = PoseSeries(xyzv, t, W, H)
    res = keep_one_person(s)
    assert res.jumps_t_s == ()
    assert res.dropped_ranges_s == ()
    np.testing.assert_array_equal(res.series.present, s.present)


def test_fast_runner_at_low_frame_rate_is_not_a_jump() -> None:
    """A sprinter (~9 m/s, 18 torso lengths/s) filmed at 10 fps moves 1.8 torsos a frame."""
    torso = 100.0
    speed = 18.0 * torso
    assert speed / torso < MAX_HIP_SPEED_TORSO_PER_S
    t = np.arange(12) / 10.0
    xyzv = np.stack([body(50 + speed * ti, 400.0, torso) for ti in t])
    res = keep_one_person(PoseSeries(xyzv, t, 3000, 720))
    assert res.jumps_t_s == () and res.series.present.all()


def test_single_frame_flip_is_dropped() -> None:
    xyzv, t = walker(60)
    xyzv[30] = body(1100.0, 420.0, 120.0)
    res = keep_one_person(PoseSeries(xyzv, t, W, H))
    assert not res.series.present[30]
    assert res.series.present[:30].all() and res.series.present[31:].all()
    assert len(res.dropped_ranges_s) == 1


def test_nothing_to_do() -> None:
    xyzv, t = walker(40)
    s = PoseSeries(xyzv, t, W, H)
    assert keep_one_person(s).series is s
    empty = PoseSeries(np.full((5, 33, 4), np.nan), np.arange(5) / FPS, W, H)
    res = keep_one_person(empty)
    assert res.jumps_t_s == () and not res.series.present.any()


# ---------------------------------------------------------------------------------------
# counting people in the sampled crowd check
def test_count_people_merges_duplicates_and_counts_others() -> None:
    from formcheck.pose.people import count_people

    a = body(300.0, 400.0, 120.0)
    same_shifted_hips = a.copy()  # the same person returned twice with misplaced hips
    same_shifted_hips[Landmark.LEFT_HIP, :2] += (0, -90)
    same_shifted_hips[Landmark.RIGHT_HIP, :2] += (0, -90)
    other = body(900.0, 420.0, 110.0)
    nobody = np.full((N_LANDMARKS, 4), np.nan, np.float32)
    assert count_people([]) == 0
    assert count_people([a]) == 1
    assert count_people([a, a.copy()]) == 1
    assert count_people([a, same_shifted_hips]) == 1
    assert count_people([a, other]) == 2
    assert count_people([a, same_shifted_hips, other, nobody]) == 2


def test_several_people_needs_two_hits() -> None:
    from formcheck.pose.track import CaptureLog

    one_phantom = CaptureLog(crowd_samples=[(0.0, 1), (0.5, 2), (1.0, 1), (1.5, 1)])
    assert one_phantom.several_people_ranges() == []
    crowd = CaptureLog(crowd_samples=[(0.0, 1), (0.5, 2), (1.0, 2), (1.5, 1), (6.0, 3)])
    assert crowd.several_people_ranges() == [(0.5, 1.0), (6.0, 6.0)]


def test_settling_after_a_miss_is_not_someone_else() -> None:
    """After a short miss MediaPipe's re-detection takes a few frames to settle (torso
    60 %, 75 %, 92 % of its size); the person is still the same one, on both sides."""
    xyzv, t = walker(120, speed_px_s=20.0)
    xyzv[50:53] = np.nan
    for i, f in zip(range(53, 56), (0.6, 0.75, 0.92), strict=True):
        xyzv[i] = body(200 + 20 * t[i], 400 - 30 * (1 - f), 120.0 * f)
    s = PoseSeries(xyzv, t, W, H)
    res = keep_one_person(s)
    assert res.dropped_ranges_s == ()
    np.testing.assert_array_equal(res.series.present, s.present)


def test_a_stretch_on_someone_else_is_left_out_and_its_length_said() -> None:
    """For 1.5 s the pose jumps to a smaller person elsewhere in the picture: those
    frames are left out, and the notice says for how long (not just that it happened)."""
    series = run_series(fps=30, duration_s=10).series
    xyzv = series.xyzv.copy()
    other = (series.t_s >= 3.0) & (series.t_s < 4.5)
    xyzv[other, :, 0] = xyzv[other, :, 0] * 0.5 + 500
    xyzv[other, :, 1] = xyzv[other, :, 1] * 0.5 + 100
    report = analyze_pose(PoseSeries(xyzv, series.t_s, series.width, series.height), "run")
    (crowd,) = [w for w in report.warnings if w.code == "several_people"]
    assert "for 1.5 s in all" in crowd.message
    assert crowd.ranges_s[0][0] == pytest.approx(3.0, abs=0.05)
