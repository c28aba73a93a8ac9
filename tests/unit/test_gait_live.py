"""Live running analysis: a clip fed frame by frame agrees with the offline analysis."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.activities import make_live_analyzer
from formcheck.cues import thresholds as th
from formcheck.cues.words_running import SPOKEN
from formcheck.gait import live as live_mod
from formcheck.gait.analysis import analyze_run
from formcheck.gait.live import LiveRunAnalyzer
from formcheck.pose.series import PoseSeries
from formcheck.settings import Settings
from tests.fixtures.synthetic_gait import run_series


def feed(analyzer: LiveRunAnalyzer, series: PoseSeries) -> list:
    return [
        analyzer.update(series.xyzv[i], float(series.t_s[i]), series.width, series.height)
        for i in range(series.n_frames)
    ]


def test_registry_builds_the_live_run_analyzer() -> None:
    a = make_live_analyzer("run", Settings())
    assert isinstance(a, LiveRunAnalyzer)
    assert a.activity == "run"


def test_last_window_equals_offline_analysis_of_the_same_span() -> None:
    run = run_series(cadence_spm=172, fps=30, duration_s=25, noise_px=1.0, overstride=0.18)
    lv = LiveRunAnalyzer(Settings(), window_s=12)
    feed(lv, run.series)
    window = lv.window_series()
    assert window.duration_s == pytest.approx(12, abs=0.05)
    live = lv.window_result()
    t0 = float(window.t_s[0])
    span = run.series.between(t0, float(run.series.t_s[-1]) + 1e-9)
    # the rolling buffer holds exactly the frames of that span (the window analysis
    # then runs the same code as the offline one, so the buffer is what is tested)
    np.testing.assert_array_equal(window.t_s, span.t_s)
    np.testing.assert_array_equal(window.xyzv, span.xyzv)
    offline = analyze_run(span, Settings())
    for name, m in offline.metrics.items():
        assert live.metrics[name].value == m.value, name
    assert [e.t_s for e in live.events] == [e.t_s for e in offline.events]


def test_live_numbers_track_the_truth() -> None:
    run = run_series(cadence_spm=164, fps=30, duration_s=20, noise_px=1.0, trunk_lean_deg=9)
    lv = LiveRunAnalyzer(Settings(), window_s=10)
    ups = feed(lv, run.series)
    m = ups[-1].metrics
    # a 10 s window: cadence to 1/(fps * 10 s) of itself plus noise (see the synthetic tests)
    assert m["cadence_spm"] == pytest.approx(164, abs=164 / 300 + 0.2)
    assert m["trunk_lean_deg"] == pytest.approx(9, abs=1.0)
    assert m["overstride_leg_lengths"] == pytest.approx(
        run.truth.overstride_leg_lengths["left"], abs=0.05
    )
    # the per-frame overlay angle follows the trunk
    assert ups[-1].state.angles["trunk_lean_deg"] == pytest.approx(9, abs=2.0)


def test_events_are_sent_once_each_and_in_order() -> None:
    run = run_series(cadence_spm=170, fps=30, duration_s=20, noise_px=1.0)
    lv = LiveRunAnalyzer(Settings(), window_s=10)
    events = [e for u in feed(lv, run.series) for e in u.events]
    ics = [e for e in events if e.kind == "initial_contact"]
    times = [e.t_s for e in events]
    assert times == sorted(times)
    assert len(set(times)) == len(times)
    # every contact up to the last second (still settling when the clip ends);
    # the very first one may be cut by the clip's start
    expected = sum(int(np.sum(run.truth.ic_t_s[s] <= 19.0)) for s in ("left", "right"))
    assert expected - 1 <= len(ics) <= expected
    assert {e.side for e in ics} == {"left", "right"}


def test_cue_when_out_of_target_and_rate_limited() -> None:
    run = run_series(cadence_spm=172, fps=30, duration_s=30, overstride=0.22, noise_px=1.0)
    lv = LiveRunAnalyzer(Settings(), window_s=10)
    cues = [(u.state.t_s, u.cue) for u in feed(lv, run.series) if u.cue]
    repeat = th.value("cue_repeat_s")
    assert cues, "an overstriding runner hears a cue"
    assert all(c == SPOKEN["overstride"] for _, c in cues)
    gaps = np.diff([t for t, _ in cues])
    assert np.all(gaps >= repeat - 1e-9)
    assert len(cues) >= 2  # the cue comes back while the fault lasts (30 s run)
    quiet = LiveRunAnalyzer(Settings(), window_s=10)
    good = run_series(cadence_spm=174, fps=30, duration_s=20, overstride=0.04, trunk_lean_deg=6)
    assert not [u.cue for u in feed(quiet, good.series) if u.cue]


def test_window_is_recomputed_at_most_once_per_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-frame updates stay cheap: the window analysis runs once per interval."""
    calls: list[float] = []
    real = live_mod.run_core

    def counting(series: PoseSeries, settings: Settings):
        calls.append(float(series.t_s[-1]))
        return real(series, settings)

    monkeypatch.setattr(live_mod, "run_core", counting)
    run = run_series(fps=60, duration_s=12)
    lv = LiveRunAnalyzer(Settings(), window_s=10, recompute_every_s=1.0)
    feed(lv, run.series)
    assert 10 <= len(calls) <= 13
    assert np.all(np.diff(calls) >= 1.0 - 1e-9)


def test_long_session_result_covers_every_step_and_trends() -> None:
    run = run_series(fps=24, duration_s=150, lean_drift_deg=6.0, leg_px=200, noise_px=1.0)
    lv = LiveRunAnalyzer(Settings(), window_s=10, recompute_every_s=2.0)
    feed(lv, run.series)
    assert len(lv.window_series().t_s) <= 10 * 24 + 2  # bounded memory
    res = lv.result()
    truth_steps = sum(run.truth.ic_t_s[s].size for s in ("left", "right"))
    assert res.metrics["cadence_spm"].n >= 0.9 * truth_steps
    assert res.metrics["cadence_spm"].value == pytest.approx(run.truth.cadence_spm, abs=0.5)
    assert "minutes" in res.tables
    assert res.metrics["trunk_lean_trend_per_min"].value == pytest.approx(6.0 / 2.5, abs=0.3)
    assert res.metrics["trunk_lean_drift_deg"].value == pytest.approx(6.0 * 2 / 3, abs=1.0)


def test_no_person_frames_do_not_break_the_stream() -> None:
    lv = LiveRunAnalyzer(Settings())
    empty = np.full((33, 4), np.nan, np.float32)
    for i in range(100):
        u = lv.update(empty, i / 30, 640, 480)
    assert u.cue is None
    assert lv.result().metrics.get("cadence_spm") is None or (
        lv.result().metrics["cadence_spm"].value is None
    )
    with pytest.raises(ValueError):
        lv.update(empty, 1.0, 640, 480)  # time going back
