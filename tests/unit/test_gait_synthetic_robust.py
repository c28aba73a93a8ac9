"""The running analysis on synthetic runs: cadence robust to doubled and missed contacts,
and a drift that says when it cannot judge."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.cues import thresholds as th
from formcheck.gait.analysis import analyze_run, result_from_core
from formcheck.gait.cadence import CADENCE_WINDOW_S, PER_STEP_CADENCE, fit_cadence
from formcheck.gait.core import run_core
from formcheck.gait.steps import measure_steps
from formcheck.settings import Settings
from tests.fixtures.synthetic_gait import miscounted_contacts, run_series


# ---- cadence robust to doubled and missed contacts; drift that says when it cannot judge
def _recount(core, events):
    """The core with other contacts (as the detector would have given them): steps and
    the cadence fit recomputed from them, as :func:`run_core` does."""
    core.events = events
    core.steps = measure_steps(core.series, events, core.view.facing, core.leg_px)
    core.cadence = fit_cadence([events.left.ic_t_s, events.right.ic_t_s], core.rhythm.period_s)
    return core


def _finding(r, cue: str):
    return next(f for f in r.findings if f.cue == cue)


def test_doubled_and_missed_contacts_keep_cadence_and_its_drift() -> None:
    # 170 steps/min at 25 fps for 30 s; the first 10 s miss every 4th contact of each
    # foot, the last 10 s have a ghost contact of the other foot one frame after every
    # 4th contact (per-step rates of 60 / 0.04 = 1500 steps/min, as on a noisy clip)
    run = run_series(cadence_spm=170, fps=25, duration_s=30, noise_px=1.0, seed=5)
    core = run_core(run.series, Settings())
    ev = miscounted_contacts(
        core.events, doubled_from_s=20.0, missed_before_s=10.0, ghost_after_s=0.04
    )
    assert (
        ev.left.n + ev.right.n > core.events.left.n + core.events.right.n
    )  # more doubled than missed
    r = result_from_core(_recount(core, ev), Settings(), with_frames=False)
    assert r.metrics["cadence_spm"].value == pytest.approx(170, abs=1.0)
    _t, line, _u = r.series["cadence_spm"]
    assert np.all(np.abs(np.asarray(line) - 170) <= 1.0)  # the chart's line: windowed
    drift = r.metrics["cadence_drift_spm"]
    assert drift.value == pytest.approx(0.0, abs=1.0)
    f = _finding(r, "drift_cadence")
    assert f.status == "ok" and "steady" in f.message
    # no step rate a runner cannot take is left among the dots
    dots = np.asarray(r.series[PER_STEP_CADENCE][1], float)
    assert np.all(np.abs(dots[np.isfinite(dots)] / 170 - 1) <= th.value("step_time_outlier_frac"))


def test_too_noisy_contacts_cannot_judge_the_cadence_drift() -> None:
    # contacts off by 50 ms (SD) on a 12 s clip: a change of drift_cadence_spm between
    # its thirds cannot be told from noise, so the finding says so, never "steady"
    run = run_series(cadence_spm=170, fps=25, duration_s=12, noise_px=1.0, seed=2)
    core = run_core(run.series, Settings())
    r = result_from_core(
        _recount(core, miscounted_contacts(core.events, jitter_s=0.05, seed=1)),
        Settings(),
        with_frames=False,
    )
    d = r.metrics["cadence_drift_spm"]
    assert d.value is None and "cannot judge" in d.note
    f = _finding(r, "drift_cadence")
    assert f.status == "not_measurable"
    assert f.message.startswith("Cannot judge") and "steady" not in f.message


def test_a_real_rise_in_cadence_is_found_not_called_steady() -> None:
    # 164 -> 172 steps/min over 30 s: the thirds' fits differ by 2/3 of the rise
    run = run_series(cadence_spm=164, cadence_drift_spm=8, fps=30, duration_s=30, noise_px=1.0)
    r = analyze_run(run.series, Settings())
    d = r.metrics["cadence_drift_spm"]
    assert d.value == pytest.approx(8 * 2 / 3, abs=1.0)
    assert d.status == "watch"  # a change, though not the fading way (a fall)
    f = _finding(r, "drift_cadence")
    assert "rose" in f.message and "steady" not in f.message
    # the windowed line follows the rise (away from the ends, where the window is moved)
    t, line, _u = r.series["cadence_spm"]
    t, line = np.asarray(t), np.asarray(line)
    mid = (t > t[0] + CADENCE_WINDOW_S / 2) & (t < t[-1] - CADENCE_WINDOW_S / 2)
    assert mid.sum() > 20
    assert np.all(np.abs(line[mid] - (164 + 8 * t[mid] / 30)) <= 1.0)
