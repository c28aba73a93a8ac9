"""The HTML report: self-contained, every number equals the JSON's, every section degrades."""

from __future__ import annotations

import html
import json
import re
from importlib.resources import files

import jsonschema
import pytest

from formcheck.cues.format import decimals, fmt
from formcheck.cues.words import NOT_MEDICAL_ADVICE
from formcheck.report.html import render_html
from formcheck.report.model import Report
from formcheck.results import Metric
from tests.fixtures.report_samples import SAMPLES, empty_report, running_report

NUM = re.compile(r'<span class="num" data-key="([^"]+)" data-value="([^"]+)">([^<]*)</span>')


def schema() -> dict:
    return json.loads(files("formcheck.report").joinpath("schema.json").read_text())


def lookup(d: object, key: str) -> object:
    for part in key.split("."):
        d = d[int(part)] if isinstance(d, list) else d[part]  # type: ignore[index]
    return d


def check_numbers(page: str, data: dict) -> int:
    """Every tagged number: its data-value is the JSON value and its text shows it."""
    found = NUM.findall(page)
    for key, value, shown in found:
        want = lookup(data, html.unescape(key))
        got = json.loads(html.unescape(value))
        assert got == want, key
        if want is None:
            assert shown == "n/a", key
            continue
        d = len(shown.split(".")[1]) if "." in shown else 0
        assert abs(float(shown) - float(want)) <= 0.5 * 10**-d + 1e-12, (key, shown, want)
    return len(found)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_report_json_matches_the_schema(name: str) -> None:
    report = SAMPLES[name]()
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.validate(report.to_dict(), schema())
    jsonschema.validate(report.to_dict(include_frames=False), schema())


def test_schema_rejects_what_it_should() -> None:
    d = running_report().to_dict()
    for breakage in (
        lambda d: d.pop("metrics"),
        lambda d: d["findings"][0].__setitem__("status", "bad"),
        lambda d: d["metrics"]["cadence_spm"].__setitem__("value", "fast"),
        lambda d: d.__setitem__("unexpected", 1),
        lambda d: d["events"][0].__setitem__("side", "middle"),
    ):
        bad = json.loads(json.dumps(d))
        breakage(bad)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema())


@pytest.mark.parametrize("name", list(SAMPLES))
def test_numbers_shown_equal_the_json(name: str) -> None:
    report = SAMPLES[name]()
    page = render_html(report)
    n = check_numbers(page, report.to_dict())
    # every metric value and every finding value with a number is shown and tagged
    keys = set(NUM.findall(page) and [k for k, _, _ in NUM.findall(page)])
    for m in report.metrics:
        assert f"metrics.{m}.value" in keys or report.metrics[m].value is None
    for i, f in enumerate(report.findings):
        assert f.value is None or f"findings.{i}.value" in keys
    assert n >= len([m for m in report.metrics.values() if m.value is not None])


def test_embedded_json_is_the_report() -> None:
    report = running_report()
    page = render_html(report)
    m = re.search(
        r'<script type="application/json" id="formcheck-report">(.*?)</script>', page, re.S
    )
    assert m is not None
    embedded = json.loads(m.group(1).replace("<\\/", "</"))
    assert embedded == json.loads(json.dumps(report.to_dict(include_frames=False)))


@pytest.mark.parametrize("name", list(SAMPLES))
def test_nothing_is_loaded_from_elsewhere(name: str) -> None:
    page = render_html(SAMPLES[name]())
    # no URL with a scheme or a protocol-relative one in any attribute or CSS
    assert not re.search(r"""(src|href|action|poster)\s*=\s*["']?\s*(https?:|//)""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", page, re.I)
    assert "@import" not in page and "@font-face" not in page
    assert "default-src 'none'" in page  # the browser itself refuses anything else


def test_findings_worst_first_with_number_target_source() -> None:
    report = running_report()
    page = render_html(report)
    cues = re.findall(r'<article class="finding (\w+)" data-cue="([^"]+)"', page)
    statuses = [s for s, _ in cues]
    order = {"flag": 0, "ok": 1, "not_measurable": 2}
    assert statuses == sorted(statuses, key=order.__getitem__)
    flagged = [c for s, c in cues if s == "flag"]
    prio = {f.cue: f.priority for f in report.findings}
    assert flagged == sorted(flagged, key=prio.__getitem__)
    for f in report.findings:
        assert html.escape(f.message, quote=True) in page
        assert html.escape(f.target, quote=True) in page
        assert html.escape(f.source, quote=True) in page
    assert "no validated cut-off" in page  # the heuristic overstride threshold says so
    assert html.escape(NOT_MEDICAL_ADVICE, quote=True) in page


def test_capture_notes_and_training_context() -> None:
    report = running_report()
    page = render_html(report)
    for w in report.warnings:
        assert f'data-warning="{w.code}"' in page
    assert "3.0-4.5 s" in page  # the several-people range
    assert "10 %" in page and "rest days" in page
    assert "one frame lasts 33 ms" in page


def test_empty_report_degrades_gracefully() -> None:
    page = render_html(empty_report())
    for text in (
        "No findings for this clip",
        "No measurements",
        "Nothing to plot",
        "No per-step or per-rep table",
    ):
        assert text in page
    assert html.escape(NOT_MEDICAL_ADVICE, quote=True) in page
    assert "<video" not in page


def test_video_link_only_when_a_video_was_written() -> None:
    r = running_report()
    assert "<video" not in render_html(r)
    page = render_html(r, video_href="annotated.mp4")
    assert 'src="annotated.mp4"' in page and 'id="video"' in page
    # step rows carry their time, so a click can seek the video
    assert len(re.findall(r'<tr data-t="', page)) == len(r.tables["steps"].rows)
    # a report whose video is not beside it says so by the video's name (hidden until
    # the video fails to load)
    missing = re.search(r'<p class="partial" id="video-missing" hidden>([^<]*)</p>', page)
    assert missing is not None and "annotated.mp4" in missing.group(1)
    assert "addEventListener('error'" in page


def test_report_bundle_keeps_the_names_the_report_links(tmp_path) -> None:
    import zipfile
    from io import BytesIO

    from formcheck.pipeline.bundle import report_bundle

    (tmp_path / "report.html").write_text('<video src="annotated.mp4">')
    (tmp_path / "annotated.mp4").write_bytes(b"\x00" * 100)
    with zipfile.ZipFile(
        BytesIO(report_bundle(tmp_path / "report.html", tmp_path / "annotated.mp4", "run-report"))
    ) as zf:
        assert sorted(zf.namelist()) == ["run-report/annotated.mp4", "run-report/report.html"]
        assert zf.read("run-report/annotated.mp4") == b"\x00" * 100
    # no video: the report alone
    with zipfile.ZipFile(BytesIO(report_bundle(tmp_path / "report.html", None, "r"))) as zf:
        assert zf.namelist() == ["r/report.html"]


def test_exercise_reports_show_reps_and_hold() -> None:
    br = SAMPLES["glute-bridge"]()
    page = render_html(br)
    assert "Rep by rep" in page and 'data-chart="reps_deg"' in page
    assert 'data-chart="reps_s"' in page  # tempo
    pl = SAMPLES["plank"]()
    assert 'data-chart="hold_form"' in render_html(pl)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (168.94, "steps/min", "168.9"),
        (0.135, "leg lengths", "0.14"),
        (0.0021, "leg lengths", "0.00"),  # a hundredth of a leg length is the finest shown
        (5.0, "reps", "5"),
        (None, "deg", "n/a"),
        (-4.17, "deg", "-4.2"),
        (0.3089, "s", "0.31"),
        (252.42, "ms", "252"),
    ],
)
def test_number_format(value: float | None, unit: str, shown: str) -> None:
    assert fmt(value, unit) == shown
    if value is not None:
        assert abs(float(shown) - value) <= 0.5 * 10 ** -decimals(value, unit) + 1e-12


def test_missing_metric_value_shows_na_with_reason() -> None:
    r: Report = running_report()
    r.metrics["cadence_spm"] = Metric(None, "steps/min", note="too few steps")
    page = render_html(r)
    assert "too few steps" in page
    check_numbers(page, r.to_dict())
