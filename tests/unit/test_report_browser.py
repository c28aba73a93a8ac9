"""The exported report in headless Chromium: offline, numbers equal report.json, video plays."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcheck.pipeline import export
from tests.fixtures.browser import chromium_page
from tests.fixtures.report_samples import bridge_report, running_report
from tests.unit.test_report_export import make_clip

W, H, FPS, SECONDS = 360, 640, 30.0, 4.0

#: JavaScript collecting every tagged number: [data-key, data-value, text shown].
NUMBERS_JS = """
() => Array.from(document.querySelectorAll('span.num[data-key]')).map(
  el => [el.dataset.key, el.dataset.value, el.textContent])
"""


def lookup(d: object, key: str) -> object:
    for part in key.split("."):
        d = d[int(part)] if isinstance(d, list) else d[part]  # type: ignore[index]
    return d


def check_page_numbers(page: object, data: dict) -> int:
    rows = page.evaluate(NUMBERS_JS)  # type: ignore[attr-defined]
    for key, value, shown in rows:
        want = lookup(data, key)
        assert json.loads(value) == want, key
        if want is None:
            assert shown == "n/a"
            continue
        d = len(shown.split(".")[1]) if "." in shown else 0
        assert abs(float(shown) - float(want)) <= 0.5 * 10**-d + 1e-12, (key, shown, want)
    return len(rows)


def open_report(page: object, path: Path) -> None:
    page.goto(path.as_uri())  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def exported_run(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("browser")
    clip = make_clip(d / "run.mp4", int(SECONDS * FPS), W, H, FPS)
    report = running_report(path=str(clip), width=W, height=H, duration_s=SECONDS, fps=FPS)
    out = d / "out"
    arts = export.export_artifacts(report, out, clip, quiet=True)
    report.save_json(out / "report.json")  # as the CLI does
    return report, arts


def test_report_renders_offline_with_the_jsons_numbers(exported_run) -> None:
    report, arts = exported_run
    data = json.loads((arts["report_html"].parent / "report.json").read_text())
    with chromium_page() as (page, log):
        open_report(page, arts["report_html"])
        n = check_page_numbers(page, data)
        assert n >= len(report.metrics)
        cadence = page.locator('tr[data-metric="cadence_spm"] span.num').first.text_content()
        assert float(cadence) == pytest.approx(data["metrics"]["cadence_spm"]["value"], abs=0.05)
        # every picture (charts, key frames) decoded
        broken = page.evaluate(
            "() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.alt)"
        )
        assert broken == []
        assert page.evaluate("document.images.length") >= 5
        headings = page.locator("section h2").all_text_contents()
        assert headings[0] == "What to work on"
        first = page.locator("article.finding").first
        assert first.get_attribute("data-cue") == "overstride"  # priority 10, flagged
        assert first.locator("img").count() == 1  # with its key frame
        assert log.external == []
        assert all(u.startswith(("file:", "data:")) for u in log.urls), log.urls


def test_video_plays_and_a_click_jumps_to_the_moment(exported_run) -> None:
    _report, arts = exported_run
    with chromium_page() as (page, log):
        open_report(page, arts["report_html"])
        page.wait_for_function("document.getElementById('video').readyState >= 1", timeout=20_000)
        duration = page.evaluate("document.getElementById('video').duration")
        assert duration == pytest.approx(SECONDS, abs=1.5 / FPS)
        size = page.evaluate(
            "[document.getElementById('video').videoWidth, "
            "document.getElementById('video').videoHeight]"
        )
        assert size == [W, H]
        row = page.locator('div[data-table="steps"] tr[data-t]').nth(4)
        t = float(row.get_attribute("data-t"))
        row.click()
        page.wait_for_function(
            f"Math.abs(document.getElementById('video').currentTime - {t}) < 0.05",
            timeout=10_000,
        )
        # a measurement is one click from the frame it was measured on
        mrow = page.locator('tr[data-metric="overstride_leg_lengths"]')
        t2 = float(mrow.get_attribute("data-t"))
        assert t2 != pytest.approx(t)
        mrow.click()
        page.wait_for_function(
            f"Math.abs(document.getElementById('video').currentTime - {t2}) < 0.05",
            timeout=10_000,
        )
        assert log.external == []


def test_report_prints(exported_run) -> None:
    _, arts = exported_run
    with chromium_page() as (page, _log):
        open_report(page, arts["report_html"])
        pdf = page.pdf(format="A4")
        assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page") >= 2


def test_exercise_report_in_the_browser(tmp_path: Path) -> None:
    r = bridge_report(n_reps=3)
    arts = export.export_artifacts(r, tmp_path, video=None, quiet=True)
    with chromium_page(viewport=(480, 800)) as (page, log):  # a phone-sized window
        open_report(page, arts["report_html"])
        check_page_numbers(page, r.to_dict())
        assert page.locator('[data-chart="reps_deg"] img').count() == 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 480  # nothing forces sideways scrolling on a phone
        assert log.external == []
