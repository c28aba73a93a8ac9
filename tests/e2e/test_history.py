"""History and Summary pages in a real browser, with two analysed run sessions.

Two different clips (the treadmill clip and its first 8 s, re-encoded by the
test) are analysed through the Python API and saved to a fresh history
database; the app pointed at that database must show both in the trend and in
the side-by-side comparison, with the stored cadences, and open a session's
summary.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import run_app, screenshot, wait_for_streamlit
from tests.fixtures.browser import chromium_page
from tests.fixtures.clips import clip_path

pytestmark = [pytest.mark.e2e, pytest.mark.clips]


def test_trend_and_comparison_show_two_sessions(tmp_path: Path, analyzed: object) -> None:
    import formcheck
    from formcheck.store import HistoryDB

    full = analyzed("run_treadmill_male_side.mp4", "run")  # type: ignore[operator]
    part = tmp_path / "first8s.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(clip_path("run_treadmill_male_side.mp4")),
            "-t",
            "8",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-an",
            str(part),
        ],
        check=True,
        timeout=120,
    )
    short = formcheck.analyze(part, activity="run")
    db = tmp_path / "history.sqlite3"
    with HistoryDB(db) as hdb:
        ids = [hdb.add_report(short), hdb.add_report(full)]
    cadences = [short.metric_value("cadence_spm"), full.metric_value("cadence_spm")]
    assert None not in cadences and len(set(ids)) == 2

    with run_app(tmp_path, db) as server, chromium_page(viewport=(1400, 2200)) as (page, log):
        page.goto(server.page_url("history"))
        wait_for_streamlit(page)
        page.locator("#fc-trend-count").wait_for(timeout=30_000)
        assert page.locator("#fc-session-count").inner_text() == "2"
        assert page.locator("#fc-trend-count").inner_text() == "2"
        # One chart per metric (vega-embed); the cadence trend is drawn.
        charts = page.locator("[data-testid='stVegaLiteChart']")
        charts.first.wait_for(timeout=30_000)
        assert charts.count() >= 1
        # The comparison: both sessions as columns, with their stored cadences.
        table = page.get_by_test_id("stTable").first  # the main metrics; the rest folded
        table.wait_for(timeout=30_000)
        cmp_text = table.inner_text()
        assert f"#{ids[0]}" in cmp_text and f"#{ids[1]}" in cmp_text
        row = table.locator("tr", has_text="Cadence").first.inner_text()
        assert f"{cadences[0]:.1f}" in row and f"{cadences[1]:.1f}" in row, row
        screenshot(page, "history")
        # Summary of one session, opened by its link (?session=ID).
        page.goto(server.page_url(f"summary?session={ids[1]}"))
        wait_for_streamlit(page)
        page.locator("#fc-m-cadence_spm").wait_for(timeout=30_000)
        shown = page.locator("#fc-m-cadence_spm").inner_text().strip()
        assert shown == f"{cadences[1]:.1f}"
        # Its charts are the HTML report's, drawn in the page as images.
        page.locator("img.fc-chart[data-chart='series_cadence_spm']").wait_for(timeout=60_000)
        # the page streams its charts in: wait for the rest before checking they load
        page.wait_for_function(
            "document.querySelectorAll('img.fc-chart').length >= 3", timeout=60_000
        )
        loaded = page.evaluate(
            "() => [...document.querySelectorAll('img.fc-chart')]"
            ".map(i => i.complete && i.naturalWidth > 0)"
        )
        assert len(loaded) >= 3 and all(loaded), loaded
        page.get_by_text("Findings").first.wait_for()
        screenshot(page, "summary")
        assert log.external == [], log.external
