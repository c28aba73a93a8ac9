"""One judgement: the live page, the report, the text summary and the HTML show the
status :func:`formcheck.cues.judge.judge` gave a number, so they cannot disagree.

Before, the live page judged on its own: it coloured a trunk lean red above
``trunk_lean_good_max_deg`` (12 deg) while the report flagged only above
``trunk_lean_max_deg`` (25 deg), so an 18 deg lean was red live and "ok" in the
report. Here the same landmark window goes to the live analyzer and to the report.
"""

from __future__ import annotations

import pytest

import formcheck
from formcheck.cues import thresholds as th
from formcheck.cues.format import decimals, fmt, fmt_metric
from formcheck.cues.judge import assess, finding_status, judge, judge_metrics
from formcheck.cues.words import METRIC_STATUS_WORDS
from formcheck.cues.words_running_notes import note_drift
from formcheck.gait.live import LiveRunAnalyzer
from formcheck.report.html import render_html
from formcheck.report.model import Report
from formcheck.report.text import format_summary
from formcheck.results import Metric
from formcheck.settings import Settings
from tests.fixtures.synthetic_gait import run_series

SHOWN = ("cadence_spm", "trunk_lean_deg", "overstride_leg_lengths")


@pytest.fixture(scope="module")
def same_window() -> tuple[dict[str, str], dict[str, float], Report]:
    """The live analyzer's last statuses and numbers, and the report of exactly the
    landmarks its last window held."""
    # 18 deg: inside the runners' normal range (-2 to 25) but past the 5-12 deg band;
    # 165 steps/min: under the 170 target; 0.12 leg lengths: between 0.08 and 0.15
    run = run_series(
        cadence_spm=165, trunk_lean_deg=18.0, overstride=0.12, duration_s=14.0, noise_px=0.5
    )
    series = run.series
    lv = LiveRunAnalyzer(Settings(), window_s=15.0)
    last = None
    for i in range(series.n_frames):
        up = lv.update(series.xyzv[i], float(series.t_s[i]), series.width, series.height)
        if up.statuses:
            last = up
    assert last is not None and last.metrics is not None and last.statuses is not None
    # the window covers the clip from its start up to the last recomputation
    t0 = float(series.t_s[0])
    span = series.between(t0, t0 + last.metrics["window_s"] + 1e-6)
    report = formcheck.analyze_pose(span, "run", Settings())
    return dict(last.statuses), dict(last.metrics), report


def test_live_and_report_give_the_same_status(same_window) -> None:
    statuses, numbers, report = same_window
    for name in SHOWN:
        m = report.metrics[name]
        assert numbers[name] == pytest.approx(m.value), name  # the same numbers ...
        assert statuses[name] == m.status, name  # ... judged the same
    # the case the old live page got wrong: red live, "ok" in the report
    lean = report.metrics["trunk_lean_deg"].value
    assert th.value("trunk_lean_good_max_deg") < lean < th.value("trunk_lean_max_deg")
    assert statuses["trunk_lean_deg"] == "watch"
    assert statuses["cadence_spm"] == "work_on"  # 165: past the 2.5 % tolerance
    assert statuses["overstride_leg_lengths"] == "watch"
    # the findings follow the same status: flagged exactly when "work on"
    by_metric = {f.metric: f for f in report.findings}
    for name in SHOWN:
        assert by_metric[name].status == finding_status(statuses[name]), name


def test_text_and_html_show_the_status_and_the_same_decimals(same_window) -> None:
    _, _, report = same_window
    text = format_summary(report)
    page = render_html(report)
    for name in SHOWN:
        m = report.metrics[name]
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(name + " "))
        assert METRIC_STATUS_WORDS[m.status] in line
        assert fmt_metric(m) in line
        assert f'data-key="metrics.{name}.value"' in page
        assert f">{fmt(m.value, m.unit)}</span>" in page
    assert 'data-status="watch"' in page and 'data-status="work_on"' in page


@pytest.mark.parametrize(
    ("name", "value", "status"),
    [
        ("trunk_lean_deg", 4.0, "good"),
        ("trunk_lean_deg", 12.0, "good"),  # bounds belong to the better side
        ("trunk_lean_deg", 18.0, "watch"),
        ("trunk_lean_deg", 26.0, "work_on"),
        ("trunk_lean_deg", -3.0, "work_on"),
        ("overstride_leg_lengths", 0.05, "good"),
        ("overstride_leg_lengths", 0.15, "watch"),
        ("overstride_leg_lengths", 0.17, "work_on"),
        ("cadence_spm", 169.9, "watch"),  # a hair under 170: within the tolerance
        ("cadence_spm", 165.0, "work_on"),  # 2.9 % under: past it
        ("cadence_spm", 185.0, "good"),
        ("duty_factor_pct", 31.0, None),  # no target: no status
    ],
)
def test_judge(name: str, value: float, status: str | None) -> None:
    assert judge("run", name, value) == status


def test_overrides_move_the_bounds() -> None:
    assert judge("run", "trunk_lean_deg", 18.0, {"trunk_lean_good_max_deg": 20.0}) == "good"
    assert judge("run", "cadence_spm", 165.0, {"cadence_low_spm": 160.0}) == "good"


def test_guards() -> None:
    # an asymmetry measured with low confidence is shown, not flagged
    low = Metric(15.0, "%", confidence="low")
    assert judge("run", "step_time_asymmetry_pct", low) == "watch"
    # ... and so is one with the far leg less clearly seen
    medium = Metric(15.0, "%", confidence="medium")
    assert judge("run", "step_time_asymmetry_pct", medium) == "watch"
    assert judge("run", "step_time_asymmetry_pct", Metric(15.0, "%")) == "work_on"
    # heel strike is only worth working on with an overstride
    heel = Metric(15.0, "deg")
    assert judge("run", "foot_strike_angle_deg", heel, None, {}) == "good"
    over = {"overstride_leg_lengths": Metric(0.2, "leg lengths")}
    assert judge("run", "foot_strike_angle_deg", heel, None, over) == "work_on"
    # a drift counts only when larger than the step-to-step noise
    # (the notes as the analysis writes them: cues.words_running_notes.note_drift);
    # past its limit within the noise, or the other way (a rise in cadence), it is a
    # change to watch, never "good" (which the words call steady)
    quiet = Metric(-5.0, "steps/min", note=note_drift(False, 0.8))
    assert judge("run", "cadence_drift_spm", quiet) == "watch"
    noisy = Metric(-5.0, "steps/min", note=note_drift(True, 3.1))
    assert judge("run", "cadence_drift_spm", noisy) == "work_on"
    rise = Metric(5.0, "steps/min", note=note_drift(True, 3.1))
    assert judge("run", "cadence_drift_spm", rise) == "watch"
    small = Metric(-1.0, "steps/min", note=note_drift(False, 0.8))
    assert judge("run", "cadence_drift_spm", small) == "good"
    # the bridge's top angle is judged on both sides
    assert assess("glute-bridge", "top_deg", 150.0).side == "below"  # type: ignore[union-attr]
    assert assess("glute-bridge", "top_deg", 195.0).side == "above"  # type: ignore[union-attr]


def test_judge_metrics_sets_statuses_in_place_of_none() -> None:
    ms = {"cadence_spm": Metric(160.0, "steps/min"), "duty_factor_pct": Metric(30.0, "%")}
    out = judge_metrics("run", ms)
    assert list(out) == list(ms)
    assert out["cadence_spm"].status == "work_on" and out["duty_factor_pct"].status is None
    assert out["cadence_spm"].to_dict()["status"] == "work_on"
    assert "status" not in out["duty_factor_pct"].to_dict()


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (168.84, "steps/min", "168.8"),  # the sample's headline numbers, as printed before
        (0.149, "leg lengths", "0.15"),
        (4.62, "deg", "4.6"),
        (0.66, "deg", "0.66"),
        (221.6, "ms", "222"),
    ],
)
def test_one_number_format(value: float, unit: str, shown: str) -> None:
    assert fmt(value, unit) == shown
    assert decimals(value, unit) == (len(shown.split(".")[1]) if "." in shown else 0)


def test_change_between_sessions_is_judged_against_the_target() -> None:
    """Compare marks a change better or worse by the target's band, not by its sign."""
    from formcheck.cues import thresholds as th
    from formcheck.cues.judge import change

    low = th.value("cadence_low_spm")
    assert change("run", "cadence_spm", low - 10, low - 2) == "better"  # towards the band
    assert change("run", "cadence_spm", low - 2, low - 10) == "worse"
    assert change("run", "cadence_spm", low + 2, low + 5) == "same"  # both on target
    flag = th.value("overstride_flag_leglen")
    assert change("run", "overstride_leg_lengths", flag + 0.1, flag - 0.1) == "better"
    assert change("run", "overstride_leg_lengths", 0.0, flag + 0.1) == "worse"
    assert change("run", "no_such_metric", 1.0, 2.0) is None
    assert change("run", "cadence_spm", None, 170.0) is None


def test_a_hair_past_a_line_is_watch_and_said_so() -> None:
    """Issue 20 item 5: a value past a flag bound by less than the tolerance (the cue's
    own margin, or the measurement's validated error) is "watch", and its finding says
    it is only just past the line."""
    from formcheck.cues.running import running_findings
    from formcheck.cues.words import NEAR_LINE
    from formcheck.results import Accuracy

    flag = th.value("overstride_flag_leglen")
    acc = Accuracy(60, 100, 0.0, 0.013, -0.03, 0.03, 0.05, "force plates", "a data set")
    near = Metric(flag + 0.003, "leg lengths", accuracy=acc)  # 0.153: within 0.013
    far = Metric(flag + 0.03, "leg lengths", accuracy=acc)
    a = assess("run", "overstride_leg_lengths", near)
    assert a is not None and a.status == "watch" and a.near
    assert judge("run", "overstride_leg_lengths", far) == "work_on"
    # without a validated error there is no margin for overstride
    assert judge("run", "overstride_leg_lengths", flag + 0.003) == "work_on"
    f = {x.cue: x for x in running_findings({"overstride_leg_lengths": near})}
    assert f["overstride"].status == "ok" and NEAR_LINE in f["overstride"].message
    f = {x.cue: x for x in running_findings({"cadence_spm": Metric(169.0, "steps/min")})}
    assert f["cadence"].status == "ok" and NEAR_LINE in f["cadence"].message
    assert "under the target" in f["cadence"].message
    # a number past the line is not praised: no "Good." before "only just past the line"
    bounce = Metric(th.value("bounce_flag_leglen") + 0.003, "leg lengths", accuracy=acc)
    assert judge("run", "vertical_oscillation_leg_lengths", bounce) == "watch"
    f = {x.cue: x for x in running_findings({"vertical_oscillation_leg_lengths": bounce})}
    (text,) = [x.message for x in f.values() if NEAR_LINE in x.message]
    assert "Good." not in text and "bounce" in text, text
