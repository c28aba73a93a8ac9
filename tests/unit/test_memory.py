"""Memory after the pose pass stays flat with clip length (issue #9).

A 10-minute clip is 18000 frames; whatever the analysis holds *per frame* is
multiplied by that. The image landmarks themselves are float32 (33, 4) =
528 bytes a frame (:data:`LANDMARK_B`), so the bounds below are stated in
those units and derived from what the running analysis must hold at once:

* **analysis peak** (``analyze_pose``): the relabelled landmarks (when the legs
  were swapped), the event-smoothed copy and the less-smoothed copy for values
  at contact -- three float32 copies -- plus per-frame float64 signals (angles,
  foot paths, masks; 32 values = 256 B is generous). Before the fix it held
  about 9.3 KB a frame: float64 copies of the whole (n, 33, 4) series during
  smoothing, a (256, n) complex matrix in the spectral cadence check, the
  leg-swap costs as Python lists, and a FrameState object with a dict per frame.
* **kept report**: one state per frame as columns (frame, time: 16 B; three
  text codes and the angle pattern: 16 B; four angles: 32 B) plus per-step
  events and table rows (about 0.1 steps a frame at 170 steps/min and 30 fps,
  about 1 KB each as Python objects): about 160 B, bounded by half the
  landmarks. With a FrameState object and dict per frame it was about 550 B.
* **report.json writing**: the frames are written one at a time, so only the
  per-step part (events, tables) is held: also half the landmarks;
  ``json.dumps`` with ``indent`` held about 2.8 KB a frame.

The figure per frame is the *difference* between a 50-s and a 200-s run divided
by the difference in frames, so fixed costs (work blocks of bounded size)
cancel; both lengths are past the block sizes of the filters, and a short run
first does the imports.
``benchmarks/memory_stages.py`` prints the same figures for every stage.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from formcheck.framestates import FrameStates
from formcheck.gait import legs, rhythm
from formcheck.pipeline import analyze_pose
from formcheck.report.review import n_frames
from formcheck.results import FrameState
from formcheck.settings import Settings
from formcheck.signal import fill_and_lowpass, fill_gaps, lowpass_zero_phase
from formcheck.signal import filters as sigfilters
from tests.fixtures.synthetic_gait import run_series

LANDMARK_B = 33 * 4 * 4  # float32 (33, 4) per frame
SHORT_S, LONG_S = 50.0, 200.0


def _traced(fn: Callable[[], Any]) -> tuple[Any, int, int]:
    """fn(), with its peak and kept traced bytes above what existed before."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        out = fn()
        peak = tracemalloc.get_traced_memory()[1]
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return out, peak - before, kept - before


def _run(duration_s: float) -> Any:
    # noise, a leg swap and a noisy far foot: the relabelling and far-foot paths run
    return run_series(
        duration_s=duration_s, noise_px=1.0, far_foot_noise_px=2.0, swaps_s=((10.0, 10.2),)
    ).series


@pytest.fixture(scope="module")
def per_frame(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """Marginal bytes per frame of each stage between the short and the long run."""
    folder = tmp_path_factory.mktemp("memory")
    # warm up: imports and caches would otherwise count against the short run
    warm = analyze_pose(_run(10.0), "run", Settings())
    n_frames(warm)
    warm.save_json(folder / "warm.json")
    figures: dict[float, dict[str, int]] = {}
    frames: dict[float, int] = {}
    for duration in (SHORT_S, LONG_S):
        series = _run(duration)
        frames[duration] = series.n_frames
        report, peak, kept = _traced(lambda s=series: analyze_pose(s, "run", Settings()))
        assert report.metric_value("cadence_spm") is not None  # a real analysis ran
        _, review_peak, review_kept = _traced(lambda r=report: n_frames(r))
        path = folder / f"report_{duration:.0f}.json"
        _, json_peak, _ = _traced(lambda r=report, p=path: r.save_json(p))
        figures[duration] = {
            "peak": peak,
            "kept": kept,
            "review": review_peak,
            "review_kept": review_kept,
            "json": json_peak,
        }
    dn = frames[LONG_S] - frames[SHORT_S]
    return {k: (figures[LONG_S][k] - figures[SHORT_S][k]) / dn for k in figures[LONG_S]}


def test_analysis_peak_per_frame_is_a_few_landmark_copies(per_frame: dict[str, float]) -> None:
    bound = 3 * LANDMARK_B + 32 * 8
    assert per_frame["peak"] < bound, per_frame


def test_report_keeps_little_per_frame(per_frame: dict[str, float]) -> None:
    assert per_frame["kept"] < LANDMARK_B / 2, per_frame


def test_review_index_and_json_writing_hold_little_per_frame(per_frame: dict[str, float]) -> None:
    # the review index keeps a bool per frame (flagged form) and reads the rest from
    # the report, plus the timeline's (time, kind, side) per event: about 0.2 events
    # a frame at ~80 B (was ~150 B a frame with its dicts by frame number); building
    # it takes a few temporary int64/float64 values per frame
    assert per_frame["review_kept"] < 32, per_frame
    assert per_frame["review"] < 16 * 8, per_frame
    assert per_frame["json"] < LANDMARK_B / 2, per_frame


# ---------------------------------------------------------------------------------------
# the bounded blocks give the same numbers as doing everything at once
def test_filters_in_blocks_match_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    series = _run(20.0)
    xyzv = series.xyzv.copy()
    xyzv[100:104] = np.nan  # a short gap (filled) ...
    xyzv[300:340, 25:33] = np.nan  # ... a long one on the legs only (left NaN)
    xyzv[500:503, 27] = np.nan
    t = series.t_s
    whole = fill_gaps(xyzv, t, 0.2)
    whole[..., :3] = lowpass_zero_phase(whole[..., :3], t, 8.0)
    monkeypatch.setattr(sigfilters, "BLOCK_ELEMENTS", 64)  # 1 landmark, few columns a call
    blocks = fill_and_lowpass(xyzv, t, 0.2, 8.0, 3, np.float32)
    assert np.isnan(blocks[320, 27, 0]) and np.isfinite(blocks[101, 27, 0])
    np.testing.assert_array_equal(blocks, whole.astype(np.float32))


def test_leg_swap_search_in_chunks_matches_one_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    series = run_series(duration_s=30.0, noise_px=2.0, swaps_s=((5.0, 5.2), (17.0, 17.3))).series
    leg = 300.0
    monkeypatch.setattr(legs, "CHUNK_FRAMES", 10**9)
    whole = legs.swap_states(series, leg)
    monkeypatch.setattr(legs, "CHUNK_FRAMES", 7)
    chunked = legs.swap_states(series, leg)
    assert whole.sum() >= 12  # both swaps found
    np.testing.assert_array_equal(chunked, whole)


def test_spectral_peak_in_blocks_matches_big_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    t = np.arange(3001) / 30.0
    x = np.sin(2 * np.pi * 2.83 * t) + rng.normal(0, 0.5, t.size)
    monkeypatch.setattr(rhythm, "DFT_BLOCK_ELEMENTS", 1 << 30)  # 256 frequencies a block
    big = rhythm.spectral_peak_hz(t, x, 2.2, 3.5)
    monkeypatch.setattr(rhythm, "DFT_BLOCK_ELEMENTS", 1)  # 2 frequencies a block
    small = rhythm.spectral_peak_hz(t, x, 2.2, 3.5)
    assert small == big and abs(big - 2.83) < 0.01


# ---------------------------------------------------------------------------------------
# FrameStates: the same states, as columns
def _states() -> list[FrameState]:
    return [
        FrameState(0, 0.0, "up", "good", {"a_deg": 1.5, "b_deg": 2.0}, None, 1, None),
        FrameState(1, 0.033, "up", None, {"b_deg": -3.0, "a_deg": 4.0}, "Hips up", 1, 0.5),
        FrameState(2, 0.067, None, "hips_sagging", {}, None, None, 1.25),
        FrameState(3, 0.1, "down", "good", {"c_deg": float("inf")}, "Hips up", 2, None),
    ]


def test_frame_states_equal_the_states_they_hold() -> None:
    states = _states()
    table = FrameStates.from_states(states)
    assert len(table) == 4 and table == states and states == table
    assert list(table) == states and table[-1] == states[-1] and table[1:3] == states[1:3]
    assert list(table[1].angles) == ["b_deg", "a_deg"]  # each frame's own key order
    assert table.texts("cue") == [None, "Hips up", None, "Hips up"]
    np.testing.assert_array_equal(table.mask("form", lambda f: f == "good"), [1, 0, 0, 1])
    with pytest.raises(IndexError):
        table[4]
    assert FrameStates.from_states(states[:2]) != states


def test_frame_states_from_columns_drop_non_finite_angles() -> None:
    angles = {"a_deg": np.array([1.0, np.nan, 3.0]), "b_deg": np.array([np.nan, 2.0, 4.0])}
    phase = np.array(["flight", None, "stance_left"], object)
    table = FrameStates.from_columns(np.arange(3), np.array([0.0, 0.5, 1.0]), phase, angles)
    assert list(table) == [
        FrameState(0, 0.0, "flight", None, {"a_deg": 1.0}),
        FrameState(1, 0.5, None, None, {"b_deg": 2.0}),
        FrameState(2, 1.0, "stance_left", None, {"a_deg": 3.0, "b_deg": 4.0}),
    ]
    assert table.nbytes / len(table) <= 8 + 8 + 4 * 4 + 2 * 8


def test_report_json_is_the_same_text_written_piece_by_piece(tmp_path: Path) -> None:
    import json

    report = analyze_pose(_run(10.0), "run", Settings())
    assert isinstance(report.frames, FrameStates)
    whole = json.dumps(report.to_dict(), indent=1, allow_nan=False)
    assert report.to_json() == whole
    assert report.save_json(tmp_path / "r.json").read_text(encoding="utf-8") == whole
    compact = json.dumps(report.to_dict(), separators=(",", ":"), allow_nan=False)
    assert "".join(report.json_parts(None, (",", ":"))) == compact
