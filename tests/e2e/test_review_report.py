"""The HTML report downloaded from Review plays its video from the download folder
(issue 20, item 3).

The test analyses the bridge clip on the Review page, downloads the HTML report,
unpacks it when it is a zip, opens the report file from that folder in Chromium
and checks that its video loads (metadata read: a duration > 0) and plays. Without
the video beside it, the report says the video is missing and still shows its key
frames.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.e2e.conftest import AppServer, screenshot, upload_and_analyse, wait_for_streamlit
from tests.e2e.test_review import _download
from tests.fixtures.browser import chromium_page
from tests.fixtures.clips import clip_path

pytestmark = [pytest.mark.e2e, pytest.mark.clips]

BRIDGE = "glute_bridge_side_darebee.mp4"

#: Resolves to the video's state once it loaded its metadata or failed (10 s at most).
VIDEO_STATE_JS = """
() => new Promise(resolve => {
  const v = document.getElementById('video');
  if (!v) { resolve({found: false}); return; }
  const done = () => resolve({
    found: true, readyState: v.readyState, duration: v.duration,
    error: v.error ? v.error.code : null,
  });
  if (v.readyState >= 1 || v.error) { done(); return; }
  v.addEventListener('loadedmetadata', done);
  v.addEventListener('error', done);
  setTimeout(done, 10000);
})
"""

#: Resolves true once the video played (its time moved on), false after 10 s.
VIDEO_PLAYS_JS = """
() => new Promise(resolve => {
  const v = document.getElementById('video');
  v.muted = true;
  const start = v.currentTime;
  v.addEventListener('timeupdate', () => { if (v.currentTime > start) resolve(true); });
  v.play().catch(() => resolve(false));
  setTimeout(() => resolve(v.currentTime > start), 10000);
})
"""


def _unpack(download: Path, into: Path) -> Path:
    """The report file from the download, as a user would have it in their folder."""
    into.mkdir(parents=True, exist_ok=True)
    if zipfile.is_zipfile(download):
        with zipfile.ZipFile(download) as zf:
            zf.extractall(into)
        found = sorted(into.rglob("*.html"))
        assert len(found) == 1, found
        return found[0]
    out = into / "report.html"
    shutil.copyfile(download, out)
    return out


def test_downloaded_report_plays_its_video(app_server: AppServer, tmp_path: Path) -> None:
    with chromium_page(viewport=(1400, 1800)) as (page, log):
        upload_and_analyse(page, app_server, clip_path(BRIDGE), "Glute bridge (side view)")
        page.get_by_role("button", name="Download the HTML report").wait_for(timeout=180_000)
        wait_for_streamlit(page, 120)
        download = _download(page, "Download the HTML report")
        report = _unpack(download, tmp_path / "Downloads")

        # opened from the download folder, as a double-click would
        page.goto(report.resolve().as_uri())
        state = page.evaluate(VIDEO_STATE_JS)
        screenshot(page, "report_from_download")
        assert state["found"], "the report has no video"
        assert state["error"] is None, f"the video does not load: {state}"
        assert state["readyState"] >= 1 and state["duration"] > 0, state
        assert page.evaluate(VIDEO_PLAYS_JS), "the video does not play"
        assert not page.locator("#video-missing").is_visible()

        # the report alone (its video not beside it): it says so, key frames still shown
        alone = tmp_path / "alone"
        alone.mkdir()
        shutil.copyfile(report, alone / report.name)
        page.goto((alone / report.name).resolve().as_uri())
        page.locator("#video-missing").wait_for(state="visible", timeout=15_000)
        assert "not beside this report" in page.locator("#video-missing").inner_text()
        frames = page.locator("figure img")
        assert frames.count() >= 1
        assert page.evaluate(
            "() => [...document.querySelectorAll('figure img')].every(i => i.naturalWidth > 0)"
        )
        screenshot(page, "report_without_video")
        assert log.external == [], log.external
