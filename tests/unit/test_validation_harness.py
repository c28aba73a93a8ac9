"""The validation harness (benchmarks/validation): its pure computation, one trial
through formcheck against the force plate, and the outputs it ships.

The full run is ``python -m benchmarks.validation`` (a benchmark, not a test).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks.validation import body, camera, compare, rbds, stats, truth, write
from tests.fixtures.clips import IN_CI


def _data() -> None:
    if not rbds.DATA_DIR.is_dir():
        if IN_CI:
            raise FileNotFoundError(f"{rbds.DATA_DIR} missing: CI must have shared/")
        pytest.skip("the RBDS data set is not beside the checkout")


def test_agreement_recovers_a_known_bias_and_spread() -> None:
    rng = np.random.default_rng(0)
    d = 2.0 + rng.normal(0.0, 3.0, 20000)
    a = stats.agreement(np.append(d, np.nan))
    assert a["n"] == 20000
    assert a["bias"] == pytest.approx(2.0, abs=0.1)
    assert a["sd"] == pytest.approx(3.0, abs=0.1)
    assert a["loa_high"] - a["loa_low"] == pytest.approx(2 * 1.96 * 3.0, abs=0.3)
    assert abs(a["worst"]) == pytest.approx(np.max(np.abs(d)))
    assert stats.agreement(np.array([]))["n"] == 0


def test_matching_is_one_to_one_within_tolerance() -> None:
    m = stats.match_times(np.array([1.0, 2.0, 3.0]), np.array([1.01, 1.02, 2.5, 3.04]), 0.05)
    assert m.tolist() == [0, -1, 3]


def test_force_contacts_are_interpolated_crossings_and_skip_spikes() -> None:
    t = np.arange(0, 2, 1 / 300)
    f = np.zeros_like(t)
    stance = (t >= 0.2) & (t < 0.45)
    f[stance] = 1500 * np.sin(np.pi * (t[stance] - 0.2) / 0.25)
    f[(t > 0.8) & (t < 0.81)] = 60.0  # a short spike in flight
    ic, to = truth.force_contacts(t, f)
    assert ic.size == to.size == 1
    # 50 N on the sine: asin(50/1500) / pi * 0.25 s after its start
    lag = np.arcsin(50 / 1500) / np.pi * 0.25
    assert ic[0] == pytest.approx(0.2 + lag, abs=1.5e-3)
    assert to[0] == pytest.approx(0.45 - lag, abs=1.5e-3)


def test_rigid_fit_recovers_a_known_motion() -> None:
    rng = np.random.default_rng(1)
    ref = rng.normal(0, 50, (4, 3))
    ang = np.radians(30)
    rot = np.array([[np.cos(ang), -np.sin(ang), 0], [np.sin(ang), np.cos(ang), 0], [0, 0, 1]])
    cur = (ref @ rot.T + [10.0, 20.0, 30.0])[None].repeat(3, axis=0)
    cur[1, 2] = np.nan  # one marker missing in one frame: fitted on the other three
    point = np.array([[5.0, -3.0, 8.0]])
    moved = body.carry(ref, cur, point)
    assert np.allclose(moved[:, 0], point[0] @ rot.T + [10.0, 20.0, 30.0])


def test_harrington_hip_centres_are_symmetric_and_posterior_inferior() -> None:
    h = body.harrington_hjc(250.0, 150.0)
    assert h["right"][0] == pytest.approx(-0.24 * 150 - 9.9)
    assert h["right"][1] == pytest.approx(-0.30 * 250 - 10.9)
    assert h["right"][2] == -h["left"][2] == pytest.approx(0.33 * 250 + 7.3)


def test_the_near_leg_looks_larger() -> None:
    centre = np.array([0.0, 1000.0, 0.0])
    near = camera.project(np.array([[100.0, 0.0, 100.0], [0.0, 0.0, 100.0]]), centre)
    far = camera.project(np.array([[100.0, 0.0, -100.0], [0.0, 0.0, -100.0]]), centre)
    assert near[0, 0] - near[1, 0] > far[0, 0] - far[1, 0] > 0  # forward is image-right


def test_one_trial_at_60_fps_against_the_force_plate() -> None:
    """The issue's 60 fps clean checks on one shared runner's trial."""
    _data()
    p = compare.prepare(rbds.runners()[0], "35")
    r = compare.run_condition(p, camera.Condition(60.0), seed=7)
    assert r["contacts"] > 50
    assert r["missed"] == 0 and r["extra"] == 0
    ic = stats.agreement(np.array(r["step_diffs"]["initial_contact_ms"]))
    assert ic["n"] >= r["contacts"] - 2
    assert abs(ic["bias"]) <= 3.0
    cad = r["clip"]["cadence_spm"]
    assert abs(cad["formcheck"] - cad["truth"]) <= 0.2
    over = stats.agreement(np.array(r["step_diffs"]["overstride_leg_lengths"]))
    assert over["mae"] <= 0.015


def _results() -> dict:
    if not write.RESULTS.is_file():
        pytest.fail(f"{write.RESULTS} missing: run python -m benchmarks.validation")
    return json.loads(write.RESULTS.read_text())


def test_the_shipped_accuracy_file_is_the_harness_output() -> None:
    res = _results()
    shipped = json.loads(write.ACCURACY_JSON.read_text())
    made = write.accuracy_table(res["pooled"], res["formcheck_version"])
    assert shipped == json.loads(json.dumps(made))


def test_accuracy_md_tables_come_from_the_results() -> None:
    res = _results()
    md = write.ACCURACY_MD.read_text()
    assert write.COMMAND in md.splitlines()[2]
    pooled = res["pooled"]
    for line in (
        *write._event_rows(pooled),
        *write._agreement_rows(pooled, "clip", write.CLIP_METRICS),
        *write._agreement_rows(pooled, "step", write.STEP_METRICS),
    ):
        assert line in md
