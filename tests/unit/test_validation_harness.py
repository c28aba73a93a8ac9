"""The validation harness (benchmarks/validation): its pure computation, one trial
through formcheck against the force plate, and the outputs it ships.

The full run is ``python -m benchmarks.validation`` (a benchmark, not a test).
"""

from __future__ import annotations

import json
from pathlib import Path

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


def test_timing_share_takes_away_the_part_that_follows_the_contact() -> None:
    """An angle error of -0.3 deg per ms of late contact plus 1 deg of scatter: the
    fit finds the slope, and what is left is the scatter's MAE (and the bias kept)."""
    rng = np.random.default_rng(1)
    late_ms = rng.normal(2.0, 8.0, 20000)
    scatter = rng.normal(0.0, 1.0, late_ms.size)
    err = 0.5 - 0.3 * late_ms + scatter
    s = stats.timing_share(np.append(late_ms, np.nan), np.append(err, 1.0))
    assert s["n"] == late_ms.size
    assert s["per_ms"] == pytest.approx(-0.3, abs=0.005)
    assert s["timing_sd_ms"] == pytest.approx(8.0, abs=0.1)
    assert s["mae"] == pytest.approx(np.abs(err).mean())
    assert s["mae_without_timing"] == pytest.approx(np.abs(0.5 + scatter).mean(), abs=0.01)
    assert s["mae_without_timing"] < 0.5 * s["mae"]
    assert np.isnan(stats.timing_share(np.ones(5), np.arange(5.0))["per_ms"])


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
    clips = compare.run_condition(p, camera.Condition(60.0), seed=7)
    assert len(clips) == 3  # a 30 s trial in 10 s clips
    for r in clips:
        assert r["refined"]
        assert r["contacts"] > 20
        assert r["missed"] == 0 and r["extra"] == 0
        cad = r["clip"]["cadence_spm"]
        assert abs(cad["formcheck"] - cad["truth"]) <= 0.2
    ic = stats.agreement(
        np.array([d for r in clips for d in r["step_diffs"]["initial_contact_ms"]])
    )
    assert ic["n"] >= sum(r["contacts"] for r in clips) - 2
    assert abs(ic["bias"]) <= 3.0
    over = [d for r in clips for d in r["step_diffs"]["overstride_leg_lengths"]]
    assert stats.agreement(np.array(over))["mae"] <= 0.015


def test_the_stored_results_are_what_the_code_gives_now() -> None:
    """results.json is not stale: one stored clip, run again with its seed, agrees."""
    _data()
    res = _results()
    from benchmarks.validation.run import CONDITIONS, trial_seed

    runner = rbds.runners()[0]
    k, cond = 1, CONDITIONS[1]
    stored = [
        r
        for r in res["runs"]
        if (r["runner"], r["speed"], r["fps"], r["noise_px"], r["far_visibility"])
        == (runner, "35", cond.fps, cond.noise_px, cond.far_visibility)
    ]
    again = compare.run_condition(compare.prepare(runner, "35"), cond, trial_seed(runner, "35", k))
    assert len(stored) == len(again)
    for s, a in zip(sorted(stored, key=lambda r: r["window"]), again, strict=True):
        for name, v in a["clip"].items():
            assert s["clip"][name]["formcheck"] == pytest.approx(v["formcheck"], nan_ok=True)
            assert s["clip"][name]["truth"] == pytest.approx(v["truth"], nan_ok=True)


def test_the_pelvis_frame_and_hip_centres_sit_where_anatomy_puts_them() -> None:
    """A pelvis facing +X (forward), right ASIS at +Z: the hip centres lie behind,
    below and to each side of the mid-ASIS point, inside the pelvis width."""
    rasis, lasis = np.array([100.0, 900.0, 120.0]), np.array([100.0, 900.0, -120.0])
    rpsis, lpsis = np.array([-60.0, 920.0, 45.0]), np.array([-60.0, 920.0, -45.0])
    origin, axes = body.pelvis_frame(rasis, lasis, rpsis, lpsis)
    assert axes[0][0] > 0.95  # x anterior (tilted by the PSIS sitting higher)
    assert axes[1][1] > 0.95  # y superior
    assert np.allclose(axes[2], [0, 0, 1])  # z right
    hjc = body.harrington_hjc(240.0, 160.0)
    right = origin + axes.T @ hjc["right"]
    left = origin + axes.T @ hjc["left"]
    assert right[0] < origin[0] and right[1] < origin[1]  # posterior, inferior
    assert 0 < right[2] < 120 and -120 < left[2] < 0  # each on its side, inside the ASIS


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
        *write._agreement_rows(pooled, "clip", write.CLIP_ROWS),
        *write._agreement_rows(pooled, "step", write.STEP_METRICS),
        *write._timing_share_rows(pooled),
    ):
        assert line in md


class _Path:
    """Marker points on a known path (mm, y up): heel and forefoot fall at 800 mm/s and
    stop on the belt, the heel at ``heel_s``, the forefoot 40 ms later (a heel strike)."""

    def __init__(self, heel_s: float) -> None:
        self.stop = {"heel": heel_s, "toe": heel_s + 0.04}

    def at(self, name: str, t: np.ndarray | float) -> np.ndarray:
        part, _ = name.split("_")
        t = np.atleast_1d(np.asarray(t, float))
        y = 800.0 * np.maximum(0.0, self.stop[part] - t) + (0.0 if part == "heel" else 30.0)
        x = (0.0 if part == "heel" else 180.0) + np.zeros_like(t)
        return np.stack([x, y, np.zeros_like(t)], axis=1)


def test_the_markers_touchdown_is_where_the_foot_stops_falling() -> None:
    """The lab's own kinematic contact (the bound on the strike angle ACCURACY.md gives):
    the heel's knot, not the force's contact it is searched around, nor the forefoot's."""
    heel_s = np.array([1.006, 2.0, 2.993])
    c = truth.Contacts(
        np.array([1.0, 2.0, 3.0]), np.array([1.25, 2.25, 3.25]), np.array(["right"] * 3)
    )
    got = [truth.touchdown_s(c, _Path(h))[i] for i, h in enumerate(heel_s)]
    assert got == pytest.approx(heel_s, abs=1e-3)


def test_the_stillest_part_of_a_stance_is_the_flat_foot() -> None:
    """The clip's own reference in the strike angle's bound: the foot where it turns
    least, not the slap after the strike nor the heel rise, wherever the flat part lies."""
    pct = np.linspace(0.0, 1.0, 101)
    for start, level in ((0.12, -1.0), (0.30, 2.0)):
        angle = np.where(pct < start, level + 150.0 * (start - pct), level)  # the slap
        angle = angle - 0.5 * (pct - start).clip(0.0) / 0.1  # the flat foot's slow roll
        rise = start + 0.2
        angle = angle - 120.0 * (pct - rise).clip(0.0)  # the heel rises
        got = truth.stillest_angle_deg(angle)
        assert got == pytest.approx(level - 0.25, abs=0.6)
    assert truth.stillest_angle_deg(np.full(101, 3.0)) == pytest.approx(3.0)


def test_other_runners_are_written_elsewhere_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--data`` another folder with ``--out``: the tables name the runners that were run,
    and the shipped figures are left alone."""
    _data()
    from benchmarks.validation import __main__ as cli

    runner = rbds.runners()[0]
    data = tmp_path / "data"
    data.mkdir()
    for f in (*rbds.DATA_DIR.glob(f"{runner}*"), rbds.DATA_DIR / "RBDSinfo.txt"):
        (data / f.name).symlink_to(f)
    shipped = {
        p: p.stat().st_mtime_ns for p in (write.RESULTS, write.ACCURACY_JSON, write.ACCURACY_MD)
    }
    # one speed, one condition: what is checked is where the files go and what they say
    monkeypatch.setattr(rbds, "SPEEDS", ("35",))
    monkeypatch.setattr(cli, "CONDITIONS", (camera.Condition(60.0),))
    out = tmp_path / "out"
    assert cli.main(["--data", str(data), "--out", str(out), "--no-clips", "--jobs", "1"]) == 0
    assert {p.name for p in out.iterdir()} == {"results.json", "accuracy.json", "ACCURACY.md"}
    assert f"1 runner ({runner})" in (out / "ACCURACY.md").read_text()
    assert {p: p.stat().st_mtime_ns for p in shipped} == shipped
