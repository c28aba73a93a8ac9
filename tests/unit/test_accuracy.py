"""Each running metric's validated uncertainty comes from the validation harness's file.

The harness (``python -m benchmarks.validation``) writes ``formcheck/cues/accuracy.json``;
these tests write their own files (``tmp_path``) and point the loader at them, then
check the rate choice, the missing file, the confidence it implies, and, as issue 18
asks, that the report's per-metric uncertainty (report.json, the text summary, the
HTML) is the file's. The last test checks the real file, once the harness has written
it, against the metrics the running analysis gives.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import jsonschema
import pytest

from formcheck.cues import accuracy
from formcheck.cues.words_accuracy import NOT_VALIDATED, accuracy_text, bias_words
from formcheck.gait.analysis import analyze_run
from formcheck.gait.combine import combine_sides
from formcheck.pipeline import analyze_pose
from formcheck.report.html import render_html
from formcheck.report.text import format_summary
from formcheck.results import Accuracy, ActivityResult, Metric
from formcheck.settings import Profile, Settings
from formcheck.store.records import report_from_dict
from tests.fixtures.synthetic_gait import run_series
from tests.unit.test_report_html import schema

SOURCE = "Fukuchi RK, Fukuchi CA, Duarte M (2017) PeerJ 5:e3298"


def entry(lo: float, hi: float, bias: float = 0.0, n: int = 18) -> dict[str, float]:
    return {
        "n": n,
        "bias": bias,
        "mae": abs(bias) + 1,
        "loa_low": lo,
        "loa_high": hi,
        "worst": 2 * hi,
    }


def accuracy_file(
    metrics: dict[str, dict], far_unclear: dict[str, dict] | None = None
) -> dict[str, object]:
    """A file of ours; the far-leg-unclear table is the same as the clear one unless
    given (so a test's figures do not depend on how well its far leg is seen)."""
    return {
        "schema": accuracy.SCHEMA,
        "generated_by": "python -m benchmarks.validation",
        "formcheck_version": "0.x",
        "reference": "force plates and motion capture",
        "source": SOURCE,
        "noise": "pose-like noise 4 px",
        "noise_far_leg_unclear": "pose-like noise 4 px, far leg poorly seen",
        "metrics": metrics,
        "metrics_far_leg_unclear": metrics if far_unclear is None else far_unclear,
    }


#: Distinctive figures per rate, so a test can tell which rate (and file) was used.
CONTACT = {
    "unit": "ms",
    "by_fps": {
        "30": entry(-61.0, 7.0, bias=-27.0),
        "60": entry(-43.0, -7.0, bias=-25.0),
        "120": entry(-31.0, 3.0, bias=-14.0),
        "240": entry(-23.0, 2.0, bias=-11.0),
    },
}
CADENCE = {"unit": "steps/min", "by_fps": {r: entry(-0.3, 0.4, 0.05) for r in ("30", "60")}}
KNEE = {"unit": "deg", "by_fps": {"30": entry(-2.1, 5.3, 1.6), "120": entry(-1.1, 3.3, 1.1)}}


@pytest.fixture
def use_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable]:
    """Point the loader at a file of ours: ``use_file(dict)``, or ``use_file(None)``
    for no file at all."""

    def use(data: dict | None) -> None:
        path = tmp_path / "accuracy.json"
        if data is not None:
            path.write_text(json.dumps(data), encoding="utf-8")
        monkeypatch.setattr(accuracy, "ACCURACY_FILE", path)
        accuracy.table.cache_clear()

    yield use
    accuracy.table.cache_clear()


# ---- the loader -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fps", "used"),
    [(240, 240), (239.76, 240), (200, 120), (120, 120), (100, 60), (60, 60), (59.94, 60),
     (50, 30), (30, 30), (29.97, 30), (24, None), (float("nan"), None), (0, None)],
)  # fmt: skip
def test_the_highest_validated_rate_not_above_the_clips(use_file, fps: float, used) -> None:
    use_file(accuracy_file({"contact_time_ms": CONTACT}))
    acc = accuracy.accuracy_for("contact_time_ms", fps)
    if used is None:
        assert acc is None
        return
    assert acc is not None and acc.fps_validated == used
    want = CONTACT["by_fps"][str(used)]
    assert (acc.loa_low, acc.loa_high, acc.bias, acc.n) == (
        want["loa_low"], want["loa_high"], want["bias"], want["n"],
    )  # fmt: skip
    assert acc.reference == "force plates and motion capture" and acc.source == SOURCE
    assert accuracy.accuracy_for("knee_flexion_at_contact_deg", fps) is None  # not in file


def test_a_rate_without_figures_is_not_validated_at_that_rate(use_file) -> None:
    rates = {"30": entry(-5, 5), "60": {**entry(-4, 4), "loa_low": None}, "120": entry(-3, 3, n=0)}
    use_file(accuracy_file({"shin_angle_at_contact_deg": {"unit": "deg", "by_fps": rates}}))
    for fps in (30, 60, 120, 240):
        acc = accuracy.accuracy_for("shin_angle_at_contact_deg", fps)
        assert acc is not None and acc.fps_validated == 30


@pytest.mark.parametrize(
    "bad",
    [
        {"schema": "formcheck-accuracy/2", "metrics": {}},
        {"schema": accuracy.SCHEMA},
        accuracy_file({"cadence_spm": {"unit": "steps/min"}}),
        accuracy_file({"cadence_spm": {"unit": "steps/min", "by_fps": {"30": {"bias": "x"}}}}),
    ],
)
def test_a_malformed_file_is_an_error_not_a_silence(use_file, bad) -> None:
    use_file(bad)
    with pytest.raises(ValueError):
        accuracy.table()


def test_without_the_file_nothing_is_validated_and_nothing_breaks(use_file) -> None:
    use_file(None)
    assert not accuracy.ACCURACY_FILE.is_file()
    assert accuracy.accuracy_for("cadence_spm", 60) is None
    report = analyze_pose(run_series(fps=60, duration_s=8).series, "run")
    assert all(m.accuracy is None for m in report.metrics.values())
    assert "validated" not in {m.confidence for m in report.metrics.values()}
    assert all("accuracy" not in d for d in report.to_dict(False)["metrics"].values())
    cad = report.metrics["cadence_spm"]
    assert accuracy.accuracy_label("run", "cadence_spm", cad) == NOT_VALIDATED
    assert f"[{NOT_VALIDATED}]" in format_summary(report)
    assert f">{NOT_VALIDATED}<" in render_html(report)
    # exercises and internal figures get no word on validation
    assert accuracy.accuracy_label("plank", "hold_s", Metric(30.0, "s")) == ""
    assert accuracy.accuracy_label("run", "cadence_spectral_spm", cad) == ""


# ---- what a validation does to a metric -------------------------------------------------
def test_attach_sets_accuracy_and_replaces_the_hand_set_confidence(use_file) -> None:
    use_file(
        accuracy_file(
            {
                "contact_time_ms": CONTACT,
                "cadence_spm": CADENCE,
                "knee_flexion_at_contact_deg": KNEE,
            }
        )
    )
    metrics = {
        "cadence_spm": Metric(170.0, "steps/min", confidence="high"),
        "knee_flexion_at_contact_deg": Metric(20.0, "deg", confidence="low"),
        "contact_time_ms": Metric(240.0, "ms", n=20, confidence="low"),  # low from the rate only
        "trunk_lean_deg": Metric(6.0, "deg", confidence="medium"),
    }
    out = accuracy.attach_accuracy(metrics, 60.0)
    assert out["cadence_spm"].confidence == "validated"
    assert out["cadence_spm"].accuracy.fps_validated == 60  # type: ignore[union-attr]
    # this clip's own evidence (few steps, poor visibility) is kept
    assert out["knee_flexion_at_contact_deg"].confidence == "low"
    assert out["knee_flexion_at_contact_deg"].accuracy.fps_validated == 30  # type: ignore[union-attr]
    # contact time's confidence was the frame rate's guess: the validation replaces it
    assert out["contact_time_ms"].confidence == "validated"
    # ... but not when the clip has too few steps as well
    few = {"contact_time_ms": Metric(240.0, "ms", n=3, confidence="low")}
    assert accuracy.attach_accuracy(few, 60.0)["contact_time_ms"].confidence == "low"
    assert out["trunk_lean_deg"] == metrics["trunk_lean_deg"]  # not validated: unchanged
    assert metrics["cadence_spm"].accuracy is None  # the input is not changed
    # not measured, another unit, or not a side view: no figures
    none = {"cadence_spm": Metric(None, "steps/min", confidence="none")}
    assert accuracy.attach_accuracy(none, 60.0)["cadence_spm"].accuracy is None
    other = {"contact_time_ms": Metric(0.24, "s")}
    assert accuracy.attach_accuracy(other, 60.0)["contact_time_ms"].accuracy is None
    assert accuracy.attach_accuracy(metrics, 60.0, side_view=False) == metrics
    # losing a validation (a rate below every validated one) gives back a hand-set guess
    again = accuracy.attach_accuracy(out, 24.0)
    assert again["cadence_spm"].accuracy is None and again["cadence_spm"].confidence == "medium"


def test_two_clips_combined_keep_the_wider_uncertainty() -> None:
    def acc(pm: float, fps: int) -> Accuracy:
        return Accuracy(fps, 10, 0.0, pm / 2, -pm, pm, pm, "lab", SOURCE)

    def side(view: str, a: Accuracy | None, conf: str = "validated") -> ActivityResult:
        m = Metric(170.0, "steps/min", n=20, confidence=conf, accuracy=a)
        return ActivityResult("run", view, metrics={"cadence_spm": m})

    both = combine_sides(side("side-left", acc(0.4, 60)), side("side-right", acc(0.9, 30)))
    assert both.metrics["cadence_spm"].accuracy == acc(0.9, 30)
    assert both.metrics["cadence_spm"].confidence == "validated"
    half = combine_sides(side("side-left", acc(0.4, 60)), side("side-right", None, "high"))
    assert half.metrics["cadence_spm"].accuracy is None
    assert half.metrics["cadence_spm"].confidence != "validated"


def test_the_words_use_the_metrics_decimals_and_say_a_large_bias() -> None:
    ct = Accuracy(30, 18, -20.0, 21.0, -38.4, 2.0, 45.0, "force plates", SOURCE)
    assert accuracy_text(ct, "ms").startswith("±38 ms at 30 fps (95 % of clips; validated")
    assert "reads 20 ms low on average" in accuracy_text(ct, "ms")
    small = Accuracy(60, 18, 0.05, 0.1, -0.3, 0.4, 0.6, "force plates", SOURCE)
    assert bias_words(small, "steps/min") == ""
    assert accuracy_text(small, "steps/min", like=170.0).startswith("±0.4 steps/min at 60 fps")
    knee = Accuracy(60, 18, 2.0, 2.1, 0.3, 3.7, 5.0, "mocap", SOURCE)
    # both limits above zero: the range, not a ± that would hide the one-sided error
    knee_text = accuracy_text(knee, "deg", like=20.0, symbol=True)
    assert knee_text.startswith("reads 0.3-3.7° high at 60 fps")
    assert "reads 2.0° high on average" in knee_text


# ---- the key test: the report shows the file's figures ----------------------------------
def test_the_reports_uncertainty_is_the_harness_files(use_file) -> None:
    """Issue 18: 'the report's per-metric uncertainty comes from the harness's output
    file, and a test checks that it is used'."""
    use_file(
        accuracy_file(
            {
                "contact_time_ms": CONTACT,
                "cadence_spm": CADENCE,
                "knee_flexion_at_contact_deg": KNEE,
            }
        )
    )
    report = analyze_pose(run_series(fps=60, duration_s=10).series, "run")
    d = report.to_dict(False)
    ct = d["metrics"]["contact_time_ms"]
    assert ct["accuracy"]["fps"] == 60
    assert (ct["accuracy"]["loa_low"], ct["accuracy"]["bias"]) == (-43.0, -25.0)
    assert ct["accuracy"]["source"] == SOURCE
    assert ct["confidence"] == "validated"
    assert d["metrics"]["knee_flexion_at_contact_deg"]["accuracy"]["fps"] == 30
    assert "accuracy" not in d["metrics"]["trunk_lean_deg"]  # not in the file
    jsonschema.validate(report.to_dict(), schema())
    text = format_summary(report)
    line = next(x for x in text.splitlines() if x.strip().startswith("contact_time_ms"))
    assert "[accuracy: reads 7-43 ms low at 60 fps]" in line  # both limits below zero
    assert "Fukuchi" in text
    trunk = next(x for x in text.splitlines() if x.strip().startswith("trunk_lean_deg"))
    assert trunk.endswith(f"[{NOT_VALIDATED}]")
    page = render_html(report)
    assert 'data-accuracy="contact_time_ms"' in page
    assert "reads 7-43 ms low at 60 fps" in page
    assert 'data-key="metrics.contact_time_ms.accuracy.loa_low" data-value="-43.0"' in page
    assert "reads 25 ms low on average" in page  # the tooltip, for a sports scientist
    assert "CC BY 4.0" in page
    # a report read back (history, --from-json) keeps it
    back = report_from_dict(report.to_dict(False))
    assert back.metrics["contact_time_ms"].accuracy == report.metrics["contact_time_ms"].accuracy
    # another file, other figures: nothing is cached past the file
    changed = {**CONTACT, "by_fps": {"60": entry(-77.0, 3.0, bias=-30.0)}}
    use_file(accuracy_file({"contact_time_ms": changed}))
    again = analyze_pose(run_series(fps=60, duration_s=10).series, "run")
    assert again.to_dict(False)["metrics"]["contact_time_ms"]["accuracy"]["loa_low"] == -77.0
    assert "[accuracy: ±77 ms at 60 fps]" in format_summary(again)


def test_slow_motion_uses_the_capture_rate_when_known(use_file) -> None:
    use_file(accuracy_file({"knee_flexion_at_contact_deg": KNEE}))
    # filmed at 120 fps, played at 30
    run = run_series(cadence_spm=172, fps=120, slow_factor=4.0, duration_s=10, noise_px=0.5)
    known = analyze_run(run.series, Settings(profile=Profile(capture_fps=120)))
    assert known.metrics["knee_flexion_at_contact_deg"].accuracy.fps_validated == 120  # type: ignore[union-attr]
    guessed = analyze_run(run.series, Settings())  # the rate is only estimated: the clip's
    assert guessed.metrics["knee_flexion_at_contact_deg"].accuracy.fps_validated == 30  # type: ignore[union-attr]


def test_front_views_are_not_validated(use_file) -> None:
    use_file(accuracy_file({"cadence_spm": CADENCE}))
    r = analyze_run(run_series(fps=60, view="front", duration_s=8).series, Settings())
    assert r.metrics["cadence_spm"].value is not None
    assert r.metrics["cadence_spm"].accuracy is None


def test_the_live_numbers_carry_the_same_words(use_file) -> None:
    from formcheck.gait.live import LiveRunAnalyzer
    from formcheck.pipeline.live_state import LiveSnapshot

    use_file(accuracy_file({"cadence_spm": CADENCE}))
    series = run_series(cadence_spm=164, fps=30, duration_s=12).series
    lv = LiveRunAnalyzer(Settings(), window_s=10)
    for i in range(series.n_frames):
        u = lv.update(series.xyzv[i], float(series.t_s[i]), series.width, series.height)
    assert u.accuracy is not None
    assert u.accuracy["cadence_spm"] == "±0.4 steps/min at 30 fps"
    assert u.accuracy["trunk_lean_deg"] == NOT_VALIDATED
    assert LiveSnapshot("run").accuracy == {}


# ---- the real file ----------------------------------------------------------------------
def test_the_package_file_names_metrics_the_running_analysis_gives() -> None:
    """Once the harness has written it: every metric it validates is one the running
    analysis gives (same name, same unit), so no figure is silently unused."""
    accuracy.table.cache_clear()
    if not accuracy.ACCURACY_FILE.is_file():
        pytest.skip(
            "formcheck/cues/accuracy.json not written yet (python -m benchmarks.validation)"
        )
    t = accuracy.table()
    assert t.by_rate, "the accuracy file validates no metric"
    emitted = analyze_run(run_series(fps=60, duration_s=12).series, Settings()).metrics
    for name, unit in t.units.items():
        assert name in emitted, f"accuracy.json names {name!r}, which the analysis does not give"
        assert unit == emitted[name].unit, (
            f"{name}: file unit {unit!r}, metric {emitted[name].unit!r}"
        )
        assert t.by_rate[name], f"{name}: no frame rate with figures"
        for acc in t.by_rate[name].values():
            assert acc.loa_low <= acc.bias <= acc.loa_high, name
    assert t.source and t.reference


def test_a_poorly_seen_far_leg_gets_the_figures_measured_that_way(use_file) -> None:
    """Contacts are refined only with both legs clearly seen; otherwise the harness's
    far-leg-unclear figures apply (threshold clear_visibility)."""
    far = {**CONTACT, "by_fps": {"60": entry(-88.0, 8.0, bias=-40.0)}}
    use_file(accuracy_file({"contact_time_ms": CONTACT}, {"contact_time_ms": far}))
    clear = analyze_pose(run_series(fps=60, duration_s=10, far_visibility=0.95).series, "run")
    hidden = analyze_pose(run_series(fps=60, duration_s=10, far_visibility=0.6).series, "run")
    acc_clear = clear.metrics["contact_time_ms"].accuracy
    acc_hidden = hidden.metrics["contact_time_ms"].accuracy
    assert acc_clear is not None and acc_clear.loa_low == -43.0
    assert acc_hidden is not None and acc_hidden.loa_low == -88.0
    assert "far leg" in acc_hidden.noise
