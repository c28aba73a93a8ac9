"""Glute bridge on generated sets whose reps, angles and tempo are set here.

Tolerances (why):
* angles: the generated hip sits exactly on the set angle; the causal 4 Hz
  smoothing only lags it, so a held top or bottom is recovered within 1 deg;
* times: one frame interval (timestamps are sampled) plus the smoothing's
  ~40 ms lag at each end of a phase: 2 frames + 0.04 s;
* the lowering: a smooth movement spends about 6 % of its time below the 10 %
  speed criterion that marks its start and end (cosine profile), so 7 % of it
  plus the time tolerance above.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.activities import make_live_analyzer
from formcheck.cues.thresholds import value as threshold
from formcheck.exercises.glute_bridge import GluteBridgeAnalyzer, analyze
from formcheck.settings import Settings
from tests.synthetic import exercises as X
from tests.synthetic.exercises import BridgeRep

FPS = 30.0
T_TOL = 2 / FPS + 0.04


def _rows(res):  # type: ignore[no-untyped-def]
    t = res.tables["reps"]
    return [dict(zip(t.columns, r, strict=True)) for r in t.rows]


def _finding(res, cue):  # type: ignore[no-untyped-def]
    return next(f for f in res.findings if f.cue == cue)


def test_five_good_reps_with_pauses() -> None:
    series, truth = X.bridge_series(5, fps=FPS)
    res = analyze(series, Settings())
    assert res.metrics["reps"].value == 5
    rows = _rows(res)
    assert len(rows) == 5
    for row, top, bottom, pause, lower in zip(
        rows, truth.top_deg, truth.bottom_deg, truth.pause_s, truth.lower_s, strict=True
    ):
        assert row["top_deg"] == pytest.approx(top, abs=1.0)
        assert row["bottom_deg"] == pytest.approx(bottom, abs=1.0)
        assert row["pause_s"] == pytest.approx(pause, abs=T_TOL)
        assert row["lower_s"] == pytest.approx(lower, abs=0.07 * lower + T_TOL)
        assert row["flags"] == ""
    for cue in ("bridge_top_line", "bridge_arch", "bridge_pause", "bridge_lowering"):
        assert _finding(res, cue).status == "ok"
    # per-frame state for every frame; the tops are labelled good
    assert len(res.frames) == series.n_frames
    assert [f.frame for f in res.frames] == list(range(series.n_frames))
    tops = [f for f in res.frames if f.form is not None]
    assert tops and all(f.form == "good" for f in tops)
    assert res.frames[-1].reps == 5
    assert all("shoulder_hip_knee_deg" in f.angles for f in res.frames)


def test_reps_count_up_in_the_per_frame_state_and_events() -> None:
    series, _ = X.bridge_series(3, fps=FPS)
    res = analyze(series, Settings())
    reps = [f.reps for f in res.frames]
    assert reps[0] == 0 and reps[-1] == 3
    assert np.all(np.diff(reps) >= 0)
    assert [e.label for e in res.events if e.kind == "rep_top"] == ["rep 1", "rep 2", "rep 3"]


def test_shallow_reps_are_counted_and_flagged() -> None:
    series, _ = X.bridge_series([BridgeRep(top_deg=160.0)] * 4, fps=FPS)
    res = analyze(series, Settings())
    assert res.metrics["reps"].value == 4
    assert all("low_hips" in r["flags"] for r in _rows(res))
    assert res.metrics["top_deg"].value == pytest.approx(160.0, abs=1.0)
    assert _finding(res, "bridge_top_line").status == "flag"
    assert _finding(res, "bridge_arch").status == "ok"
    assert {f.form for f in res.frames} >= {"low_hips"}


def test_hips_that_never_reach_the_top_zone_are_not_reps() -> None:
    series, _ = X.bridge_series([BridgeRep(top_deg=150.0)] * 3, fps=FPS)
    res = analyze(series, Settings())
    assert res.metrics["reps"].value == 0
    assert _finding(res, "bridge_top_line").status == "not_measurable"


def test_over_arched_reps_are_flagged() -> None:
    series, _ = X.bridge_series([BridgeRep(top_deg=196.0)] * 3, fps=FPS)
    res = analyze(series, Settings())
    assert res.metrics["reps"].value == 3
    assert res.metrics["top_deg"].value == pytest.approx(196.0, abs=1.0)
    assert all("arched" in r["flags"] for r in _rows(res))
    assert _finding(res, "bridge_arch").status == "flag"
    assert _finding(res, "bridge_top_line").status == "ok"


def test_no_pause_and_a_dropped_lowering_are_flagged() -> None:
    reps = [BridgeRep(pause_s=0.0, rise_s=0.5, lower_s=0.3)] * 3
    series, truth = X.bridge_series(reps, fps=FPS)
    res = analyze(series, Settings())
    rows = _rows(res)
    assert len(rows) == 3
    for row, pause in zip(rows, truth.pause_s, strict=True):
        assert "short_pause" in row["flags"] and "fast_lowering" in row["flags"]
        assert row["pause_s"] == pytest.approx(pause, abs=T_TOL)
    assert _finding(res, "bridge_pause").status == "flag"
    assert _finding(res, "bridge_lowering").status == "flag"


@pytest.mark.parametrize(
    ("factor", "flagged"), [(0.6, True), (0.8, True), (1.5, False), (4.0, False)]
)
def test_lowering_tempo_against_the_threshold(factor: float, flagged: bool) -> None:
    """Lowering times either side of ``bridge_lower_min_s`` (as multiples of it)."""
    lower_s = factor * threshold("bridge_lower_min_s")
    series, _ = X.bridge_series([BridgeRep(lower_s=lower_s)] * 2, fps=FPS)
    res = analyze(series, Settings())
    row = _rows(res)[0]
    assert row["lower_s"] == pytest.approx(lower_s, abs=0.07 * lower_s + T_TOL)
    assert ("fast_lowering" in row["flags"]) is flagged


@pytest.mark.parametrize("seed", range(4))
def test_pixel_noise_does_not_add_or_lose_reps(seed: int) -> None:
    series, _ = X.bridge_series(5, fps=FPS)
    res = analyze(X.with_noise(series, 2.0, seed), Settings())
    assert res.metrics["reps"].value == 5
    assert res.metrics["top_deg"].value == pytest.approx(178.0, abs=2.0)


def test_hovering_at_the_top_threshold_counts_one_rep() -> None:
    """At the top the angle wobbles across ``bridge_up_deg`` (155) for 3 s (158 +- 4 deg
    at 3 Hz), then goes down once: one rep, not one per wobble."""

    def theta(t: float) -> float:
        if t < 1.0:
            return 130.0
        if t < 1.5:
            return 130.0 + (158.0 - 130.0) * (t - 1.0) / 0.5
        if t < 4.5:
            return 158.0 + 4.0 * np.sin(2 * np.pi * 3.0 * (t - 1.5))
        if t < 5.5:
            return 158.0 - 28.0 * (t - 4.5)
        return 130.0

    series, _ = X.bridge_series([], profile=theta, duration_s=7.0, fps=FPS)
    res = analyze(series, Settings())
    assert res.metrics["reps"].value == 1


def test_hovering_at_the_bottom_threshold_does_not_double_count() -> None:
    """After one top the angle wobbles across ``bridge_down_deg`` (145) for 3 s (142 +- 4
    deg at 3 Hz) before a second rep: two reps, not one per wobble."""

    def theta(t: float) -> float:
        if t < 1.0:
            return 130.0
        if t < 1.6:
            return 130.0 + 48.0 * (t - 1.0) / 0.6
        if t < 2.6:
            return 178.0
        if t < 3.2:
            return 178.0 - 36.0 * (t - 2.6) / 0.6
        if t < 6.2:  # wobble across 145 for 3 s
            return 142.0 + 4.0 * np.sin(2 * np.pi * 3.0 * (t - 3.2))
        if t < 6.8:
            return 142.0 + 36.0 * (t - 6.2) / 0.6
        if t < 7.8:
            return 178.0
        if t < 8.6:
            return 178.0 - 48.0 * (t - 7.8) / 0.8
        return 130.0

    series, _ = X.bridge_series([], profile=theta, duration_s=10.0, fps=FPS)
    res = analyze(series, Settings())
    assert res.metrics["reps"].value == 2


def test_a_person_leaving_between_reps_keeps_the_count() -> None:
    reps = [BridgeRep(), BridgeRep(), BridgeRep(rest_s=4.0), BridgeRep(), BridgeRep()]
    series, _ = X.bridge_series(reps, fps=FPS)
    # rep 3 ends (its lowering over) at 1 + 3 * 3.9 - 1 = 11.7 s; rest until 14.7 s
    gone = (12.0, 14.0)
    res = analyze(X.with_absence(series, [gone]), Settings())
    assert res.metrics["reps"].value == 5
    notice = next(n for n in res.notices if n.code == "person_absent")
    (a, b), *_ = notice.ranges_s
    assert a == pytest.approx(gone[0], abs=1 / FPS) and b == pytest.approx(gone[1], abs=1 / FPS)
    assert {f.phase for f in res.frames if gone[0] <= f.t_s < gone[1]} == {"absent"}


def test_a_person_leaving_at_the_top_loses_that_rep_only() -> None:
    series, _ = X.bridge_series(5, fps=FPS)
    # rep 3 is at its top from 1 + 2 * 3.9 + 0.7 = 9.5 s to 10.5 s; gone 9.8-11.6 s
    res = analyze(X.with_absence(series, [(9.8, 11.6)]), Settings())
    assert res.metrics["reps"].value == 4


@pytest.mark.parametrize(("fps", "jitter"), [(24.0, 0.0), (60.0, 0.0), (30.0, 0.4)])
def test_frame_rate_and_irregular_timestamps_do_not_change_the_answers(
    fps: float, jitter: float
) -> None:
    series, truth = X.bridge_series(4, fps=fps, jitter=jitter)
    res = analyze(series, Settings())
    assert res.metrics["reps"].value == 4
    tol = 2 / fps + 0.04
    assert res.metrics["pause_s"].value == pytest.approx(truth.pause_s[0], abs=tol)
    assert res.metrics["top_deg"].value == pytest.approx(178.0, abs=1.0)


def test_mirrored_clip_gives_the_same_answers() -> None:
    series, _ = X.bridge_series(3, fps=FPS)
    a = analyze(series, Settings())
    b = analyze(series.mirrored(), Settings())
    assert b.metrics["reps"].value == a.metrics["reps"].value == 3
    assert b.metrics["top_deg"].value == pytest.approx(a.metrics["top_deg"].value, abs=0.5)


def test_threshold_overrides_are_used() -> None:
    series, _ = X.bridge_series(3, fps=FPS)  # tops at 178
    strict = Settings(thresholds={"bridge_top_min_deg": 179.5})
    res = analyze(series, strict)
    assert _finding(res, "bridge_top_line").status == "flag"


def test_live_frame_by_frame_equals_the_whole_clip() -> None:
    series, _ = X.bridge_series(4, fps=FPS)
    live = make_live_analyzer("glute-bridge", Settings())
    assert isinstance(live, GluteBridgeAnalyzer)
    rep_events = 0
    cues = []
    for k in range(series.n_frames):
        up = live.update(series.xyzv[k], float(series.t_s[k]), series.width, series.height)
        rep_events += sum(1 for e in up.events if e.kind == "rep_top")
        assert up.state.frame == k and up.state.reps == rep_events
        if up.cue:
            cues.append((up.state.t_s, up.cue))
    batch = analyze(series, Settings())
    assert rep_events == batch.metrics["reps"].value == 4
    assert live.result().tables["reps"].rows == batch.tables["reps"].rows
    # spoken: the counts, one message at a time
    assert [c for _, c in cues if c.isdigit()] == ["1", "2", "3", "4"]
    assert np.all(np.diff([t for t, _ in cues]) >= 2.0 - 1e-9)


def test_timestamps_must_increase() -> None:
    a = GluteBridgeAnalyzer()
    frame = X.bridge_pose(130.0)
    a.update(frame, 1.0, X.W, X.H)
    with pytest.raises(ValueError, match="increase"):
        a.update(frame, 1.0, X.W, X.H)
