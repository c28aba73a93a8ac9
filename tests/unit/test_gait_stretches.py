"""Issue 19: a long stretch of bad posture is not averaged away, and bending at the
waist is told from leaning from the ankles. Synthetic runners with set answers."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.cues import thresholds as th
from formcheck.gait.analysis import analyze_run
from formcheck.report import review_overlay
from formcheck.settings import Settings
from tests.fixtures.synthetic_gait import run_series

BEND = (5.0, 9.0)  # the bent-at-the-waist stretch, s


@pytest.fixture(scope="module")
def bent_stretch():
    run = run_series(
        duration_s=14.0,
        trunk_lean_deg=8.0,
        lean_drift_deg=2.0,
        lean_stretches=((*BEND, 22.0),),
        noise_px=1.0,
    )
    return analyze_run(run.series, Settings())


def _finding(r, cue):
    return next(f for f in r.findings if f.cue == cue)


def test_a_bent_stretch_is_flagged_with_its_range_while_its_median_is_fine(bent_stretch):
    r = bent_stretch
    flag = th.value("waist_bend_flag_deg")
    m = r.metrics["waist_bend_deg"]
    assert m.value is not None and m.value < flag  # the typical value is fine
    f = _finding(r, "waist_bend")
    assert f.status == "flag"
    assert len(f.ranges_s) == 1
    a, b = f.ranges_s[0]
    assert a == pytest.approx(BEND[0], abs=0.5) and b == pytest.approx(BEND[1], abs=0.5)
    assert f.stretch is not None and f.stretch.value > flag
    # the key frame is inside the stretch
    t = r.frames[f.frame].t_s
    assert a <= t <= b
    assert "5." in f.message and "into the clip" in f.message
    d = f.to_dict()
    assert d["ranges_s"] == [[pytest.approx(a), pytest.approx(b)]]
    # the whole-trunk lean stays inside runners' normal range: not flagged
    assert _finding(r, "trunk_lean").status == "ok"
    assert r.metrics["trunk_lean_deg"].stretch.value == pytest.approx(22.0, abs=1.0)


def test_without_the_stretch_nothing_is_flagged():
    r = analyze_run(run_series(duration_s=14.0, trunk_lean_deg=9.0).series, Settings())
    f = _finding(r, "waist_bend")
    assert f.status == "ok" and f.ranges_s == ()
    assert abs(r.metrics["waist_bend_deg"].value) < 3.0


def test_leaning_from_the_ankles_is_not_bending_at_the_waist():
    lean = 20.0
    from_ankles = analyze_run(
        run_series(trunk_lean_deg=lean, body_lean_deg=lean - 8.7).series, Settings()
    )
    at_waist = analyze_run(run_series(trunk_lean_deg=lean).series, Settings())
    for r in (from_ankles, at_waist):
        assert r.metrics["trunk_lean_deg"].value == pytest.approx(lean, abs=1.0)
    assert abs(from_ankles.metrics["waist_bend_deg"].value) < 3.0
    assert _finding(from_ankles, "waist_bend").status == "ok"
    assert "from the ankles" in _finding(from_ankles, "trunk_lean").message
    assert "from the ankles" not in _finding(at_waist, "trunk_lean").message
    assert at_waist.metrics["waist_bend_deg"].value > th.value("waist_bend_flag_deg")
    assert _finding(at_waist, "waist_bend").status == "flag"


def test_sustained_needs_a_stretch_not_a_blip():
    from formcheck.gait.stretches import sustained

    t = np.arange(0, 20, 1 / 30)
    x = np.full(t.size, 5.0)
    x[(t >= 3) & (t < 4.2)] = 30.0  # 1.2 s: shorter than the 2 s window
    x[(t >= 10) & (t < 13)] = 25.0  # 3 s
    s = sustained(t, x, 2.0, None, 15.0, 30)
    assert s is not None and len(s.ranges_s) == 1
    assert s.ranges_s[0] == pytest.approx((10.0, 13.0), abs=0.2)
    assert s.value == pytest.approx(25.0)
    # a blip alone: neither a range nor a value past the flag (the judge reads the value)
    blip = np.where((t >= 3) & (t < 4.2), 30.0, 5.0)
    s = sustained(t, blip, 2.0, None, 15.0, 30)
    assert s.ranges_s == () and s.value < 15.0
    # below-bound stretches (a cadence that sags) the same way
    cad = np.full(t.size, 175.0)
    cad[(t >= 4) & (t < 9)] = 160.0
    s = sustained(t, cad, 2.0, 170.0, None, 30)
    assert s.ranges_s[0] == pytest.approx((4.0, 9.0), abs=0.2) and s.value == 160.0
    # none past the flag: the worst window, no ranges
    s = sustained(t, np.full(t.size, 5.0), 2.0, None, 15.0, 30)
    assert s.ranges_s == () and s.value == 5.0
    assert sustained(t, x, 2.0, None, None, 30) is None


def test_a_stretch_does_not_reach_across_a_cut():
    """1.2 s bent at the end of one shot and 1.2 s at the start of the next are two
    blips, not one 2.4 s stretch: the next shot's time is not the last one's."""
    from formcheck.gait.stretches import sustained

    t = np.arange(0, 20, 1 / 30)
    x = np.where((t >= 8.8) & (t < 11.2), 30.0, 5.0)
    joined = sustained(t, x, 2.0, None, 15.0, 30)
    assert len(joined.ranges_s) == 1 and joined.value > 15.0
    apart = sustained(t, x, 2.0, None, 15.0, 30, breaks_s=(10.0,))
    assert apart.ranges_s == () and apart.value < 15.0
    # a stretch inside one shot is found as before
    y = np.where((t >= 12) & (t < 15), 25.0, 5.0)
    inside = sustained(t, y, 2.0, None, 15.0, 30, breaks_s=(10.0,))
    assert inside.ranges_s[0] == pytest.approx((12.0, 15.0), abs=0.2) and inside.value == 25.0


def test_stretches_survive_the_report_json(bent_stretch):
    import json
    from importlib.resources import files

    import jsonschema

    from formcheck.store.records import finding_from_dict, metric_from_report_dict

    f = _finding(bent_stretch, "waist_bend")
    back = finding_from_dict(f.to_dict())
    assert back.to_dict() == f.to_dict()
    assert np.allclose(back.ranges_s, f.ranges_s)
    m = bent_stretch.metrics["waist_bend_deg"]
    assert metric_from_report_dict(m.to_dict()).to_dict() == m.to_dict()
    # the JSON schema knows the new fields
    schema = json.loads(files("formcheck.report").joinpath("schema.json").read_text())
    for kind, d in (("finding", f.to_dict()), ("metric", m.to_dict())):
        jsonschema.validate(d, {"$defs": schema["$defs"], "$ref": f"#/$defs/{kind}"})


def test_the_report_shades_lists_and_jumps_to_the_stretches() -> None:
    import dataclasses

    from formcheck.cues.words import STRETCHES_LABEL
    from formcheck.report import review
    from formcheck.report.html import render_html
    from formcheck.report.plots import report_charts
    from formcheck.report.text import format_summary
    from tests.fixtures.report_samples import running_report

    rep = running_report()
    stretch = (4.0, 6.5)
    rep.findings = [
        dataclasses.replace(f, status="flag", ranges_s=(stretch,)) if f.cue == "trunk_lean" else f
        for f in rep.findings
    ]
    chart = next(c for c in report_charts(rep) if c.key == "series_trunk_lean_deg")
    assert "4.0-6.5 s" in chart.caption
    text = format_summary(rep)
    assert f"{STRETCHES_LABEL}: 4.0-6.5 s" in text
    assert "4.0-6.5 s" in render_html(rep)
    # the worst sustained stretch beside the typical value, when the finding has one
    from formcheck.results import Stretch

    worst = Stretch(14.0, (4.0, 6.5), 5.1, 2.0, (stretch,))
    rep.findings = [
        dataclasses.replace(f, stretch=worst) if f.cue == "trunk_lean" else f for f in rep.findings
    ]
    assert "4.0-6.5 s (key moment 5.1 s)" in format_summary(rep)
    assert "key moment 5.1 s" in render_html(rep)
    start = review.index_at_time(rep, stretch[0])
    assert start in review.flag_frames(rep)
    assert review.next_flag(rep, start - 1) == start
    assert stretch in review_overlay.timeline(rep).flags_s  # the red band on the review strip


def test_a_finding_lists_its_stretches_only_when_flagged() -> None:
    from formcheck.cues.judge import judge_metrics
    from formcheck.cues.running import running_findings
    from formcheck.results import Accuracy, Metric, Stretch

    flag = th.value("overstride_flag_leglen")
    st = Stretch(flag + 0.01, (1.0, 4.0), 2.5, 2.0, ((1.0, 4.0),), 75)
    m = Metric(0.05, "leg lengths", n=30, stretch=st)
    sure = judge_metrics("run", {"overstride_leg_lengths": m})
    f = next(f for f in running_findings(sure) if f.cue == "overstride")
    assert f.status == "flag" and f.ranges_s == ((1.0, 4.0),) and f.frame == 75
    # the same stretch within the metric's validated error of the flag: not flagged
    acc = Accuracy(30, 20, 0.0, 0.03, -0.05, 0.05, 0.06, "lab", "set")
    unsure = judge_metrics(
        "run",
        {"overstride_leg_lengths": Metric(0.05, "leg lengths", n=30, stretch=st, accuracy=acc)},
    )
    f = next(f for f in running_findings(unsure) if f.cue == "overstride")
    assert f.status == "ok" and f.ranges_s == () and f.stretch == st


def test_a_worst_stretch_milder_than_the_typical_value_is_not_called_worst() -> None:
    """A run flagged on its typical overstride: a stretch past the flag whose window
    median is above the typical value is added with its worst; one below it (a window
    median can sit on the better side of the clip's) is not."""
    from formcheck.cues.judge import judge_metrics
    from formcheck.cues.running import running_findings
    from formcheck.results import Metric, Stretch

    flag = th.value("overstride_flag_leglen")
    typical = flag + 0.06
    for worst, said in ((typical + 0.03, True), (typical - 0.01, False)):
        st = Stretch(worst, (0.9, 5.9), 3.0, 2.0, ((0.9, 5.9),), 40)
        m = judge_metrics(
            "run", {"overstride_leg_lengths": Metric(typical, "leg lengths", stretch=st)}
        )
        f = next(f for f in running_findings(m) if f.cue == "overstride")
        assert f.status == "flag"
        assert ("at its worst" in f.message) is said, f.message
