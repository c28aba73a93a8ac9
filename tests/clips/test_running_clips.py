"""Running analysis on real clips (../shared/clips) against their known truths.

run_treadmill_male_side.mp4: cadence 168.9 +/- 0.5 steps/min, measured from
raw pixels without a pose model (its groundtruth.json). The test allows 1.0
(the issue's bound): the clip's own uncertainty plus the event fit's (a 12 s
clip at 30 fps: one frame at each end moves a fitted cadence by at most
168.9 / (30 x 12) = 0.47 steps/min). Variants made here from the clip (half the
frame rate, mirrored, rotated by metadata) must give the same within 1.0.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import formcheck
from formcheck.gait.analysis import analyze_run
from formcheck.gait.live import LiveRunAnalyzer
from formcheck.settings import Settings
from tests.fixtures import truths
from tests.fixtures.clips import clip_path

pytestmark = pytest.mark.clips

MALE = "run_treadmill_male_side.mp4"
CADENCE_TOL = 1.0


def _truth() -> truths.ClipTruths:
    """MANIFEST.md's row and groundtruth.json of the treadmill clip."""
    return truths.clip(MALE)


def test_male_treadmill_cadence_and_timing(analyzed) -> None:
    truth = _truth()
    r = analyzed(MALE, "run")
    assert r.activity == "run"
    assert r.view == truth.ground("view")  # side-left
    cad = r.metrics["cadence_spm"]
    assert cad.value == pytest.approx(truth.cadence_spm.value, abs=CADENCE_TOL)
    # the contact-based cadence agrees with the dominant step frequency
    assert r.metrics["cadence_spectral_spm"].value == pytest.approx(cad.value, rel=0.03)
    lo, hi = truth.ground("physiological_bands", "contact_time_ms")
    assert lo <= r.metrics["contact_time_ms"].value <= hi
    lo, hi = truth.ground("physiological_bands", "duty_factor_pct")
    assert lo <= r.metrics["duty_factor_pct"].value <= hi
    # the frame-rate caveat is stated
    assert "33 ms" in r.metrics["contact_time_ms"].note
    assert any(w.code == "frame_rate" for w in r.warnings)
    # no slow motion in a real-time clip
    assert r.metrics["slow_motion_factor"].value < 1.5
    assert not any(w.code == "slow_motion" for w in r.warnings)
    # steps table and events for review
    assert len(r.tables["steps"].rows) >= 28
    sides = {e.side for e in r.events if e.kind == "initial_contact"}
    assert sides == {"left", "right"}
    # trunk lean within the runners' normal range (Warrener 2021: -2 to 25 deg)
    assert -2 <= r.metrics["trunk_lean_deg"].value <= 25
    # the human-facing parts are there
    cues = {f.cue: f for f in r.findings}
    assert cues["cadence"].status in ("ok", "flag")
    assert cues["arm_crossing"].status == "not_measurable"
    json.dumps(r.to_dict())  # JSON-safe


def _ffmpeg(*args: str) -> None:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    src = clip_path(MALE)
    d = tmp_path_factory.mktemp("running_variants")
    out = {
        "half_rate": d / "half_rate.mp4",
        "mirrored": d / "mirrored.mp4",
        "rotated": d / "rotated.mp4",
    }
    enc = ("-c:v", "libx264", "-crf", "18", "-preset", "veryfast", "-an")
    _ffmpeg("-i", str(src), "-vf", "fps=15", *enc, str(out["half_rate"]))
    _ffmpeg("-i", str(src), "-vf", "hflip", *enc, str(out["mirrored"]))
    sideways = d / "sideways.mp4"
    _ffmpeg("-i", str(src), "-vf", "transpose=1", *enc, str(sideways))
    _ffmpeg("-i", str(sideways), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(out["rotated"]))
    return out


def _first_frame(path: Path) -> np.ndarray:
    from formcheck.video.reader import VideoReader, probe

    for frame in VideoReader(path, probe(path)):
        return frame.image
    raise AssertionError("no frame")


def test_rotated_variant_decodes_upright(variants: dict[str, Path]) -> None:
    import cv2

    rot = _first_frame(variants["rotated"])
    orig = _first_frame(clip_path(MALE))
    assert rot.shape[:2] == (1280, 720)

    def small(img: np.ndarray) -> np.ndarray:
        return cv2.resize(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), (90, 160)).astype(float)

    upright = np.mean(np.abs(small(rot) - small(orig)))
    flipped = np.mean(np.abs(small(rot) - small(orig)[::-1, ::-1]))
    assert upright < 0.5 * flipped


@pytest.mark.slow
@pytest.mark.parametrize("name", ["half_rate", "mirrored", "rotated"])
def test_cadence_on_variants(variants: dict[str, Path], name: str) -> None:
    truth = _truth()
    r = formcheck.analyze(variants[name], activity="run")
    assert r.metrics["cadence_spm"].value == pytest.approx(truth.cadence_spm.value, abs=CADENCE_TOL)
    expected_view = "side-right" if name == "mirrored" else "side-left"
    assert r.view == expected_view
    if name == "half_rate":
        assert r.source.fps == pytest.approx(15, abs=0.1)


def test_front_view_road_clip(analyzed) -> None:
    r = analyzed("run_road_front_istock_divvi.mp4", "run")
    assert r.view == "front"
    for name in (
        "overstride_leg_lengths",
        "shin_angle_at_contact_deg",
        "knee_flexion_at_contact_deg",
        "trunk_lean_deg",
        "vertical_oscillation_leg_lengths",
        "foot_strike_angle_deg",
        "contact_time_ms",
    ):
        m = r.metrics[name]
        assert m.value is None, name
        assert "front view" in m.note and "side view" in m.note, name
    f = {x.cue: x for x in r.findings}
    assert f["overstride"].status == "not_measurable"
    assert "front view" in f["overstride"].message
    assert f["arm_crossing"].status in ("ok", "flag")


def test_slow_motion_lab_clip(analyzed) -> None:
    r = analyzed("run_treadmill_mhuang_slow.mp4", "run")
    assert r.view == "side-right"
    assert any(w.code == "slow_motion" for w in r.warnings)
    # slow by far more than any real-time uncertainty (the clip's factor is unknown)
    assert r.metrics["slow_motion_factor"].value > 3.0
    assert r.metrics["cadence_spm"].value is None
    assert "slow motion" in r.metrics["cadence_spm"].note
    # posture does not need the clock: a slight forward lean (Warrener 2021 normal
    # range starts at -2 deg; "slight" = up to the 12 deg heuristic good band)
    lean = r.metrics["trunk_lean_deg"].value
    assert 0.0 < lean <= 12.0


def test_live_window_matches_offline_on_the_real_clip(analyzed) -> None:
    """The clip's landmarks fed frame by frame: the last window equals the offline
    analysis of the same span, and its cadence matches the truth."""
    truth = _truth()
    series = analyzed(MALE, "run").series
    lv = LiveRunAnalyzer(Settings(), window_s=10)
    for i in range(series.n_frames):
        lv.update(series.xyzv[i], float(series.t_s[i]), series.width, series.height)
    live = lv.window_result()
    t0 = float(lv.window_series().t_s[0])
    offline = analyze_run(series.between(t0, float(series.t_s[-1]) + 1e-9), Settings())
    for name in ("cadence_spm", "trunk_lean_deg", "overstride_leg_lengths", "contact_time_ms"):
        assert live.metrics[name].value == offline.metrics[name].value, name
    # a 10 s window: one frame at each end moves the fit by 168.9 / (30 x 10) = 0.56
    assert live.metrics["cadence_spm"].value == pytest.approx(
        truth.cadence_spm.value, abs=CADENCE_TOL + 0.56
    )
