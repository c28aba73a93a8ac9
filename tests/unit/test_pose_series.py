"""PoseSeries: construction from plain arrays, invariants, mirroring, npz round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from formcheck.pose.landmarks import LEFT_RIGHT_PAIRS, MIRROR_INDEX, N_LANDMARKS, Landmark
from formcheck.pose.series import PoseSeries

W, H = 720, 1280


def random_xyzv(n: int, seed: int = 0, absent: tuple[int, ...] = ()) -> np.ndarray:
    rng = np.random.default_rng(seed)
    xyzv = np.empty((n, N_LANDMARKS, 4), np.float32)
    xyzv[..., 0] = rng.uniform(0, W, (n, N_LANDMARKS))
    xyzv[..., 1] = rng.uniform(0, H, (n, N_LANDMARKS))
    xyzv[..., 2] = rng.uniform(-200, 200, (n, N_LANDMARKS))
    xyzv[..., 3] = rng.uniform(0, 1, (n, N_LANDMARKS))
    for i in absent:
        xyzv[i] = np.nan
    return xyzv


def times(n: int, fps: float = 30.0) -> np.ndarray:
    return np.arange(n) / fps


# ---------------------------------------------------------------------------------------
# from_arrays / from_normalized
@pytest.mark.parametrize("cols", [2, 3, 4])
def test_from_arrays_shapes(cols: int) -> None:
    src = random_xyzv(5, absent=(2,))[..., :cols]
    s = PoseSeries.from_arrays(src, times(5), W, H)
    assert s.xyzv.shape == (5, 33, 4) and s.xyzv.dtype == np.float32
    assert s.world.shape == (5, 33, 3) and np.isnan(s.world).all()
    assert s.t_s.dtype == np.float64 and s.frame_index.tolist() == [0, 1, 2, 3, 4]
    np.testing.assert_array_equal(s.xyzv[[0, 1, 3, 4], :, :cols], src[[0, 1, 3, 4]])
    if cols < 3:
        assert (s.xyzv[[0, 1, 3, 4], :, 2] == 0).all()  # missing z -> 0
    if cols < 4:
        assert (s.xyzv[[0, 1, 3, 4], :, 3] == 1).all()  # missing visibility -> 1
    assert np.isnan(s.xyzv[2]).all()  # an absent frame is all NaN, visibility included
    assert s.present.tolist() == [True, True, False, True, True]


def test_from_arrays_partly_missing_landmark() -> None:
    src = random_xyzv(3)[..., :2]
    src[1, Landmark.LEFT_ANKLE, 1] = np.nan  # y missing -> whole landmark missing
    s = PoseSeries.from_arrays(src, times(3), W, H)
    assert np.isnan(s.xyzv[1, Landmark.LEFT_ANKLE]).all()
    assert np.isfinite(s.xyzv[1, Landmark.RIGHT_ANKLE]).all()
    assert s.present[1]  # hips are there


@pytest.mark.parametrize(
    "shape", [(5, 33), (5, 32, 2), (5, 33, 1), (5, 33, 5), (33, 4)], ids=lambda s: str(s)
)
def test_from_arrays_rejects_bad_shapes(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        PoseSeries.from_arrays(np.zeros(shape), times(5), W, H)


def test_from_normalized_scales_to_pixels() -> None:
    rng = np.random.default_rng(1)
    norm = rng.uniform(0, 1, (4, 33, 4)).astype(np.float32)
    s = PoseSeries.from_normalized(norm, times(4), W, H)
    np.testing.assert_allclose(s.xyzv[..., 0], norm[..., 0] * W, rtol=1e-6)
    np.testing.assert_allclose(s.xyzv[..., 1], norm[..., 1] * H, rtol=1e-6)
    np.testing.assert_allclose(s.xyzv[..., 2], norm[..., 2] * W, rtol=1e-6)  # z on x's scale
    np.testing.assert_allclose(s.xyzv[..., 3], norm[..., 3], rtol=1e-6)  # visibility untouched
    norm2 = norm[..., :2]
    s2 = PoseSeries.from_normalized(norm2, times(4), W, H)
    np.testing.assert_allclose(s2.xyzv[..., :2], s.xyzv[..., :2])
    assert not np.shares_memory(s.xyzv, norm)
    assert norm[0, 0, 0] <= 1.0, "the caller's array must not be scaled in place"


# ---------------------------------------------------------------------------------------
# invariants
@pytest.mark.parametrize(
    "t_s",
    [[0.0, 0.1, 0.1, 0.2], [0.0, 0.2, 0.1, 0.3], [0.0, np.nan, 0.2, 0.3]],
    ids=["duplicate", "decreasing", "nan"],
)
def test_timestamps_must_strictly_increase(t_s: list[float]) -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        PoseSeries(random_xyzv(4), np.array(t_s), W, H)


def test_other_invariants() -> None:
    with pytest.raises(ValueError):
        PoseSeries(random_xyzv(4), times(3), W, H)  # one timestamp per frame
    with pytest.raises(ValueError):
        PoseSeries(random_xyzv(4), times(4), 0, H)
    with pytest.raises(ValueError):
        PoseSeries(random_xyzv(4), times(4), W, H, world=np.zeros((4, 33, 2)))
    with pytest.raises(ValueError):
        PoseSeries(random_xyzv(4), times(4), W, H, frame_index=np.arange(3))


def test_views_and_selection() -> None:
    t = np.array([0.5, 0.55, 0.62, 0.7, 0.8])  # irregular: durations come from t_s
    s = PoseSeries(random_xyzv(5, absent=(1,)), t, W, H, frame_index=np.arange(10, 15))
    assert s.n_frames == 5
    assert s.duration_s == pytest.approx(0.3)
    part = s.between(0.55, 0.7)  # half-open [0.55, 0.7)
    assert part.t_s.tolist() == [0.55, 0.62]
    assert part.frame_index.tolist() == [11, 12]
    assert s.take(np.array([0, 4])).duration_s == pytest.approx(0.3)
    np.testing.assert_array_equal(s.xy(Landmark.NOSE), s.xyzv[:, 0, :2])
    np.testing.assert_array_equal(s.visibility(Landmark.NOSE), s.xyzv[:, 0, 3])
    mid = s.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    np.testing.assert_allclose(mid[0], 0.5 * (s.xyzv[0, 23, :2] + s.xyzv[0, 24, :2]))
    assert np.isnan(mid[1]).all()
    assert s.with_time(t * 4).duration_s == pytest.approx(1.2)  # slow motion re-timed
    e = PoseSeries.empty(W, H)
    assert e.n_frames == 0 and e.duration_s == 0.0 and e.present.shape == (0,)


def test_skipped_frames_come_back_absent() -> None:
    """Holes in frame_index (a stopped pass) are put back as frames with no pose,
    timed evenly between their neighbours; analysed frames are untouched."""
    t = np.array([0.5, 0.55, 0.62, 0.9, 1.3, 1.34])
    idx = np.array([10, 11, 12, 16, 21, 22])  # holes of 3 and 4 frames
    world = np.random.default_rng(1).normal(size=(6, 33, 3)).astype(np.float32)
    s = PoseSeries(random_xyzv(6, absent=(1,)), t, W, H, world, idx)
    full = s.with_skipped_frames_absent()
    np.testing.assert_array_equal(full.frame_index, np.arange(10, 23))
    at = idx - 10
    np.testing.assert_array_equal(full.t_s[at], t)  # exactly their own times
    np.testing.assert_array_equal(full.xyzv[at], s.xyzv)
    np.testing.assert_array_equal(full.world[at], s.world)
    holes = np.setdiff1d(np.arange(13), at)
    assert np.isnan(full.xyzv[holes]).all() and np.isnan(full.world[holes]).all()
    np.testing.assert_allclose(full.t_s[3:6], [0.62 + k * 0.07 for k in (1, 2, 3)])
    np.testing.assert_allclose(full.t_s[7:11], [0.9 + k * 0.08 for k in (1, 2, 3, 4)])
    assert full.present.tolist() == [True, False] + [True] + [False] * 3 + [True] + [False] * 4 + [
        True,
        True,
    ]
    # nothing skipped: the same series back
    whole = PoseSeries(random_xyzv(4), times(4), W, H, frame_index=np.arange(4))
    assert whole.with_skipped_frames_absent() is whole
    one = PoseSeries(random_xyzv(1), times(1), W, H)
    assert one.with_skipped_frames_absent() is one


@given(keep=st.lists(st.booleans(), min_size=2, max_size=60))
@settings(max_examples=60, deadline=None)
def test_skipped_frames_absent_restores_every_index(keep: list[bool]) -> None:
    n = len(keep)
    mask = np.array(keep)
    if mask.sum() < 2:
        return
    s = PoseSeries(random_xyzv(n), times(n) + 0.25, W, H, frame_index=np.arange(n) + 7)
    part = s.take(mask).with_skipped_frames_absent()
    first, last = np.flatnonzero(mask)[[0, -1]]
    np.testing.assert_array_equal(part.frame_index, s.frame_index[first : last + 1])
    np.testing.assert_allclose(part.t_s, s.t_s[first : last + 1], atol=1e-12)
    np.testing.assert_array_equal(part.present, mask[first : last + 1])


# ---------------------------------------------------------------------------------------
# mirroring
def test_mirror_swaps_sides_and_flips_x() -> None:
    s = PoseSeries(random_xyzv(3), times(3), W, H, world=np.ones((3, 33, 3)))
    m = s.mirrored()
    for left, right in LEFT_RIGHT_PAIRS:
        np.testing.assert_allclose(m.xyzv[:, left, 0], W - s.xyzv[:, right, 0], rtol=1e-6)
        np.testing.assert_allclose(m.xyzv[:, left, 1:], s.xyzv[:, right, 1:])
    np.testing.assert_allclose(m.xyzv[:, Landmark.NOSE, 0], W - s.xyzv[:, Landmark.NOSE, 0])
    assert (m.world[..., 0] == -1).all() and (m.world[..., 1:] == 1).all()
    assert sorted(MIRROR_INDEX) == list(range(33))


@settings(max_examples=50, deadline=None)
@given(
    n=st.integers(0, 12),
    seed=st.integers(0, 10_000),
    absent=st.lists(st.integers(0, 11), max_size=4),
)
def test_mirrored_twice_is_identity(n: int, seed: int, absent: list[int]) -> None:
    xyzv = random_xyzv(n, seed, tuple(a for a in absent if a < n))
    s = PoseSeries(xyzv, times(n), W, H)
    back = s.mirrored().mirrored()
    np.testing.assert_allclose(back.xyzv, s.xyzv, rtol=0, atol=1e-3)  # float32 x of ~720
    np.testing.assert_array_equal(back.t_s, s.t_s)
    np.testing.assert_array_equal(np.isnan(back.world), np.isnan(s.world))


# ---------------------------------------------------------------------------------------
# persistence
def test_npz_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    world = rng.normal(0, 0.3, (6, 33, 3)).astype(np.float32)
    world[2] = np.nan
    s = PoseSeries(
        random_xyzv(6, absent=(2,)),
        np.array([0.0, 0.033, 0.07, 0.1, 0.14, 0.5]),
        W,
        H,
        world,
        np.array([0, 1, 2, 3, 5, 9]),
    )
    path = tmp_path / "sub" / "landmarks.npz"
    path.parent.mkdir()
    s.save_npz(path)
    back = PoseSeries.load_npz(path)
    np.testing.assert_array_equal(back.xyzv, s.xyzv)
    np.testing.assert_array_equal(back.world, s.world)
    np.testing.assert_array_equal(back.t_s, s.t_s)
    np.testing.assert_array_equal(back.frame_index, s.frame_index)
    assert (back.width, back.height) == (W, H)
    assert back.xyzv.dtype == np.float32 and back.t_s.dtype == np.float64
    assert [p.name for p in path.parent.iterdir()] == ["landmarks.npz"], "no temp files left"


@settings(max_examples=20, deadline=None)
@given(
    t=hnp.arrays(np.float64, st.integers(0, 8), elements=st.floats(0.001, 0.2)),
)
def test_npz_round_trip_any_timing(tmp_path_factory: pytest.TempPathFactory, t: np.ndarray) -> None:
    t_s = np.cumsum(t)
    s = PoseSeries(random_xyzv(t_s.size), t_s, W, H)
    path = tmp_path_factory.mktemp("npz") / "s.npz"
    s.save_npz(path)
    back = PoseSeries.load_npz(path)
    np.testing.assert_array_equal(back.t_s, s.t_s)
    np.testing.assert_array_equal(back.xyzv, s.xyzv)
