"""A warm-up move live in a real browser: jumping jacks on Chromium's fake camera.

The new moves run on the same live page and frame callback as the strength
exercises; this checks one of them end to end with a real recording. Truth
(MANIFEST.md): the jumping-jacks clip shows 12 jacks in 10.7 s, so a counter that
reaches 6 is within one play of the clip (Chromium loops it). The clip is
portrait, so it is scaled to 360x640, keeping its shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import (
    AppServer,
    fake_camera_args,
    make_y4m,
    pick_option,
    require_webrtc_network,
    screenshot,
    wait_for_streamlit,
)
from tests.e2e.test_live import _reps_reach, _start, _stop, _text
from tests.fixtures.browser import chromium_page
from tests.fixtures.clips import clip_path

pytestmark = [pytest.mark.e2e, pytest.mark.clips]


def test_live_jumping_jacks_are_counted_and_saved(app_server: AppServer, tmp_path: Path) -> None:
    require_webrtc_network()
    y4m = make_y4m(clip_path("jumping_jacks_ahmedlila.mp4"), tmp_path / "jacks.y4m", "360:640")
    with chromium_page(fake_camera_args(y4m), viewport=(1400, 1000)) as (page, log):
        page.goto(app_server.page_url("live"))
        wait_for_streamlit(page)
        picker = page.get_by_test_id("stSelectbox").filter(has_text="Exercise")
        picker.wait_for(timeout=60_000)
        pick_option(page, picker, "Jumping jacks")
        wait_for_streamlit(page)
        _start(page)
        reps = _reps_reach(page, 6, timeout_s=75)
        screenshot(page, "live_jumping_jacks")
        assert reps >= 6, f"rep counter reached {reps}; stats: {_text(page, '#fc-live-stats')}"
        _stop(page)
        page.locator("#fc-saved-id").wait_for(timeout=30_000)
        sid = int(_text(page, "#fc-saved-id"))
        assert log.external == [], log.external
    from formcheck.store import HistoryDB

    with HistoryDB(app_server.db) as db:
        rec = db.get_session(sid)
    assert rec.activity == "jumping-jacks"
    assert rec.source_kind == "webcam"
    assert rec.metrics["reps"].value is not None and rec.metrics["reps"].value >= 6
