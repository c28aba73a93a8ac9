"""Review page in a real browser: upload the treadmill clip, analyse, scrub, download.

The cadence the page shows must equal the JSON report's (downloaded from the
same page); stepping a frame must change the frame number and the drawn
overlay; jumping to the next contact must land on a contact of the report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    AppServer,
    run_app,
    screenshot,
    upload_and_analyse,
    wait_for_streamlit,
)
from tests.fixtures.browser import chromium_page
from tests.fixtures.clips import clip_path

pytestmark = [pytest.mark.e2e, pytest.mark.clips]

RUN = "run_treadmill_male_side.mp4"


def _frame_no(page: object) -> int:
    # While a rerun is drawn, Streamlit can briefly keep the previous element too.
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelectorAll('#fc-frame-no').length == 1", timeout=30_000
    )
    return int(page.locator("#fc-frame-no").inner_text())  # type: ignore[attr-defined]


def _frame_png(page: object) -> bytes:
    """The frame picture's pixels (retried if a rerun swaps the element meanwhile)."""
    for attempt in range(5):
        wait_for_streamlit(page)
        img = page.locator("[data-testid='stImage'] img").last  # type: ignore[attr-defined]
        try:
            img.wait_for(timeout=30_000)
            page.wait_for_function(  # type: ignore[attr-defined]
                "() => [...document.querySelectorAll('[data-testid=\"stImage\"] img')]"
                ".every(i => i.complete && i.naturalWidth > 0)",
                timeout=30_000,
            )
            return img.screenshot()  # type: ignore[no-any-return]
        except Exception:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _download(page: object, label: str) -> Path:
    """Click a download button and return the file (a second click if a rerun ate the first)."""
    for attempt in range(3):
        wait_for_streamlit(page)
        try:
            # the file is made on click (deferred): on a loaded machine that can take
            # a while, and the button stays disabled until it is served
            with page.expect_download(timeout=60_000) as dl:  # type: ignore[attr-defined]
                page.get_by_role("button", name=label).last.click(timeout=60_000)  # type: ignore[attr-defined]
            return Path(dl.value.path())
        except Exception:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def test_upload_analyse_scrub_download(app_server: AppServer, tmp_path: Path) -> None:
    clip = clip_path(RUN)
    with chromium_page(viewport=(1400, 1800)) as (page, log):
        upload_and_analyse(page, app_server, clip, "Running (treadmill, side view)")
        cadence = page.locator("#fc-m-cadence_spm")
        cadence.wait_for(timeout=150_000)
        # The run that draws the results ends with the downloads and the frame picture.
        page.get_by_role("button", name="Download the JSON report").wait_for(timeout=120_000)
        page.locator("[data-testid='stImage'] img").first.wait_for(timeout=60_000)
        wait_for_streamlit(page, 120)
        page.wait_for_function(
            "() => document.querySelectorAll('#fc-m-cadence_spm').length == 1", timeout=30_000
        )
        shown = cadence.inner_text().strip()
        screenshot(page, "review")

        report = json.loads(_download(page, "Download the JSON report").read_text())
        assert report["activity"] == "run"
        value = report["metrics"]["cadence_spm"]["value"]
        assert shown == f"{value:.1f}", (shown, value)

        # Frame by frame: the number and the overlay change with each step.
        first = _frame_no(page)
        before = _frame_png(page)
        page.get_by_role("button", name="Next frame").click()
        page.wait_for_function(
            f"() => document.querySelector('#fc-frame-no')?.innerText == '{first + 1}'",
            timeout=30_000,
        )
        wait_for_streamlit(page)
        after = _frame_png(page)
        assert _frame_no(page) == first + 1
        assert after != before
        page.get_by_role("button", name="Prev frame").click()
        page.wait_for_function(
            f"() => document.querySelector('#fc-frame-no')?.innerText == '{first}'",
            timeout=30_000,
        )
        # Jump to the next foot contact: it is a contact of the JSON report.
        contacts = sorted({e["frame"] for e in report["events"] if e["kind"] == "initial_contact"})
        assert contacts, "the report has no contacts to jump to"
        expected = next(c for c in contacts if c > first - 1)
        page.get_by_role("button", name="Next contact").click()
        page.wait_for_function(
            f"() => document.querySelector('#fc-frame-no')?.innerText == '{expected + 1}'",
            timeout=30_000,
        )
        wait_for_streamlit(page)
        screenshot(page, "review_scrub")
        assert log.external == [], log.external


def test_bad_upload_is_refused_with_the_reason(app_server: AppServer, tmp_path: Path) -> None:
    bad = tmp_path / "holiday.mp4"
    bad.write_bytes(b"this is a text file, not a video\n" * 50)
    with chromium_page() as (page, log):
        page.goto(app_server.page_url("review"))
        wait_for_streamlit(page)
        page.locator("input[type=file]").set_input_files(str(bad))
        alert = page.get_by_text("is not a video formcheck can read")
        alert.wait_for(timeout=30_000)
        page.get_by_text("Next step: Use an MP4, MOV, WebM or MKV clip").wait_for(timeout=10_000)
        assert "Traceback" not in page.locator("body").inner_text()
        # Nothing to analyse: the button stays disabled.
        assert page.get_by_role("button", name="Analyse").is_disabled()
        assert log.external == [], log.external


def test_upload_over_the_limit_is_refused(tmp_path: Path) -> None:
    """With a 1 MB limit the 1.9 MB treadmill clip is refused, and the page states the limit."""
    clip = clip_path(RUN)
    assert clip.stat().st_size > 1 << 20
    with (
        run_app(tmp_path, extra=("--server.maxUploadSize", "1")) as server,
        chromium_page() as (page, log),
    ):
        page.goto(server.page_url("review"))
        wait_for_streamlit(page)
        page.get_by_text("Upload a clip (up to 1 MB").wait_for(timeout=30_000)
        page.locator("input[type=file]").set_input_files(str(clip))
        page.get_by_text("File must be 1.0MB or smaller").wait_for(timeout=30_000)
        assert page.get_by_role("button", name="Analyse").is_disabled()
        assert log.external == [], log.external
