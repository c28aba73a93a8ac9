"""The pages fit a laptop and a phone (issue 20, item 9): bounding boxes in real Chromium.

At 1366x768 (a common laptop) and 390x844 (a phone) a user must not have to
scroll to see what a live set needs: the camera picture, the rep counter or the
three running numbers, and the START/STOP button (a runner on a treadmill cannot
scroll). On the phone the exercise picker is above START. In Review a portrait
clip's frame fits the screen, the results are brought into view after
"Analyse", and the frame's navigation buttons do not stack one per row.

"Without scrolling": every scrolled element is put back to the top before the
boxes are read (Playwright's clicks scroll their target into view).
The screenshots of the README (docs/screenshots/app_*.png) are taken here.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import (
    ARTIFACTS,
    WEBRTC_IFRAME,
    AppServer,
    fake_camera_args,
    make_y4m,
    require_webrtc_network,
    upload_and_analyse,
    wait_for_streamlit,
)
from tests.e2e.test_live import _bridge_camera, _frames, _start, _stop, _text
from tests.fixtures.browser import chromium_page
from tests.fixtures.clips import clip_path

pytestmark = [pytest.mark.e2e, pytest.mark.clips]

LAPTOP = (1366, 768)
PHONE = (390, 844)

RUN = "run_treadmill_male_side.mp4"

SCROLL_TO_TOP_JS = """
() => {
  for (const el of document.querySelectorAll('*')) { if (el.scrollTop) el.scrollTop = 0; }
  window.scrollTo(0, 0);
}
"""


def view_shot(page: Any, name: str) -> Path:
    """A screenshot of what the screen shows (not the full page): the README's."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def _box(page: Any, what: str, locator: Any) -> dict[str, float]:
    locator.wait_for(state="visible", timeout=30_000)
    box = locator.bounding_box()
    assert box is not None, f"{what}: no box"
    return {"what": what, **box}  # type: ignore[dict-item]


def outside(boxes: list[dict[str, Any]], size: tuple[int, int], tol: float = 1.0) -> list[str]:
    """The boxes not wholly inside a viewport of ``size`` (as readable lines)."""
    w, h = size
    bad = []
    for b in boxes:
        if (
            b["x"] < -tol
            or b["y"] < -tol
            or b["x"] + b["width"] > w + tol
            or b["y"] + b["height"] > h + tol
        ):
            bad.append(
                f"{b['what']}: x {b['x']:.0f}-{b['x'] + b['width']:.0f}, "
                f"y {b['y']:.0f}-{b['y'] + b['height']:.0f} (viewport {w}x{h})"
            )
    return bad


def _at_rest(page: Any, size: tuple[int, int]) -> None:
    """The viewport at ``size``, scrolled to the top, the layout settled."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    time.sleep(1.5)  # the page reflows and the picture's size is set again
    page.evaluate(SCROLL_TO_TOP_JS)
    time.sleep(0.5)


def _picture(page: Any) -> Any:
    return page.frame_locator(WEBRTC_IFRAME).locator("video")


def _button(page: Any, name: str) -> Any:
    return page.frame_locator(WEBRTC_IFRAME).get_by_role("button", name=name)


def _wait_picture_playing(page: Any) -> None:
    frame = page.locator(WEBRTC_IFRAME).element_handle().content_frame()
    frame.wait_for_function(
        "() => { const v = document.querySelector('video');"
        " return v && v.videoWidth > 0 && v.getBoundingClientRect().height > 50; }",
        timeout=60_000,
    )


def live_boxes(page: Any, numbers: tuple[str, ...], button: str) -> list[dict[str, Any]]:
    boxes = [_box(page, "picture", _picture(page)), _box(page, button, _button(page, button))]
    boxes += [_box(page, sel, page.locator(sel).first) for sel in numbers]
    return boxes


RUN_NUMBERS = ("#fc-cadence", "#fc-trunk", "#fc-overstride")


def test_live_running_fits_laptop_and_phone(app_server: AppServer, tmp_path: Path) -> None:
    """A portrait treadmill picture (a phone or a webcam turned on its side): the
    picture, the three running numbers, the cue and START/STOP without scrolling."""
    require_webrtc_network()
    y4m = make_y4m(clip_path(RUN), tmp_path / "run.y4m", "360:640")
    with chromium_page(fake_camera_args(y4m), viewport=LAPTOP) as (page, log):
        page.goto(app_server.page_url("live-running"))
        wait_for_streamlit(page)
        _button(page, "START").wait_for(timeout=60_000)
        _at_rest(page, LAPTOP)
        before = [_box(page, "START", _button(page, "START"))]
        before += [_box(page, sel, page.locator(sel).first) for sel in RUN_NUMBERS]
        assert not outside(before, LAPTOP), outside(before, LAPTOP)
        _start(page)
        _wait_picture_playing(page)
        # about 12 s of running, so the numbers and a cue can be on screen
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _text(page, "#fc-cadence")[:1].isdigit():
            time.sleep(0.5)
        _at_rest(page, LAPTOP)
        laptop = live_boxes(page, (*RUN_NUMBERS, "#fc-cue"), "STOP")
        view_shot(page, "app_live_running")
        _at_rest(page, PHONE)
        phone = live_boxes(page, RUN_NUMBERS, "STOP")
        view_shot(page, "app_live_running_phone")
        stats = _text(page, "#fc-live-stats")
        _at_rest(page, LAPTOP)
        _stop(page)
        page.locator("#fc-saved-id").wait_for(timeout=40_000)
        assert log.external == [], log.external
    assert not outside(laptop, LAPTOP), (outside(laptop, LAPTOP), stats)
    assert not outside(phone, PHONE), (outside(phone, PHONE), stats)


def test_live_exercise_fits_laptop_and_phone(app_server: AppServer, tmp_path: Path) -> None:
    """A landscape webcam picture of a bridge set: the picture, the rep counter, the
    cue and START/STOP without scrolling; on the phone the exercise picker is above
    START (chosen before starting) and the counter is on screen with the picture."""
    require_webrtc_network()
    with chromium_page(_bridge_camera(tmp_path), viewport=PHONE) as (page, log):
        page.goto(app_server.page_url("live"))
        wait_for_streamlit(page)
        _button(page, "START").wait_for(timeout=60_000)
        _at_rest(page, PHONE)
        picker = _box(page, "Exercise picker", page.get_by_test_id("stSelectbox").first)
        start = _box(page, "START", _button(page, "START"))
        reps0 = _box(page, "#fc-reps", page.locator("#fc-reps"))
        assert not outside([picker, start, reps0], PHONE), outside([picker, start, reps0], PHONE)
        assert picker["y"] + picker["height"] <= start["y"], (picker, start)
        _start(page)
        _wait_picture_playing(page)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _text(page, "#fc-reps") in ("", "0"):
            time.sleep(0.5)
        _at_rest(page, PHONE)
        phone = live_boxes(page, ("#fc-reps",), "STOP")
        view_shot(page, "app_live_phone")
        _at_rest(page, LAPTOP)
        laptop = live_boxes(page, ("#fc-reps", "#fc-cue"), "STOP")
        view_shot(page, "app_live")
        frames = _frames(page)
        _stop(page)
        page.locator("#fc-saved-id").wait_for(timeout=40_000)
        assert log.external == [], log.external
    assert frames > 0
    assert not outside(phone, PHONE), outside(phone, PHONE)
    assert not outside(laptop, LAPTOP), outside(laptop, LAPTOP)


def _nav_rows(page: Any) -> int:
    """Rows the frame's navigation buttons take (distinct tops, 4 px apart or more)."""
    tops = page.evaluate(
        "() => [...document.querySelectorAll('button')]"
        ".filter(b => /^(Start|Prev frame|Next frame|End|Prev |Next )/.test("
        "  b.innerText.replace(/^[a-z_]+\\s*/, '').trim()) && b.offsetParent)"
        ".map(b => b.getBoundingClientRect().top)"
    )
    rows: list[float] = []
    for t in sorted(tops):
        if not rows or t - rows[-1] >= 4:
            rows.append(t)
    return len(rows)


FRAME_IMG = "[data-testid='stImage'] img"


def test_review_portrait_clip_fits(app_server: AppServer) -> None:
    """The treadmill clip is portrait (720x1280): after "Analyse" the results come into
    view; with the navigation at the top of the screen the whole frame is in view,
    also after "Next contact"; on a phone the navigation takes at most two rows."""
    with chromium_page(viewport=LAPTOP) as (page, log):
        upload_and_analyse(page, app_server, clip_path(RUN), "Running (treadmill, side view)")
        page.locator("#fc-m-cadence_spm").wait_for(timeout=180_000)
        page.locator(FRAME_IMG).first.wait_for(timeout=60_000)
        wait_for_streamlit(page, 120)
        time.sleep(1.5)  # the scroll to the results is smooth
        results = [_box(page, "cadence", page.locator("#fc-m-cadence_spm"))]
        view_shot(page, "app_review")
        # the frame, with the navigation row at the top of the screen
        nav = page.get_by_role("button", name="Next contact")
        nav.evaluate("b => b.scrollIntoView({block: 'start'})")
        time.sleep(0.5)
        nav.click()
        wait_for_streamlit(page)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stImage\"] img')]"
            ".every(i => i.complete && i.naturalWidth > 0)",
            timeout=30_000,
        )
        time.sleep(0.5)
        frame = [
            _box(page, "frame", page.locator(FRAME_IMG).first),
            _box(page, "Next contact", nav),
        ]
        view_shot(page, "app_review_frame")
        _at_rest(page, PHONE)
        rows = _nav_rows(page)
        nav.evaluate("b => b.scrollIntoView({block: 'start'})")
        time.sleep(0.5)
        phone = [
            _box(page, "frame", page.locator(FRAME_IMG).first),
            _box(page, "Next contact", nav),
        ]
        view_shot(page, "app_review_phone")
        # the README's Summary and History at laptop size (the same session)
        _at_rest(page, LAPTOP)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Summary").click()
        page.wait_for_url("**/summary", timeout=30_000)
        wait_for_streamlit(page, 120)
        page.get_by_text("Running (treadmill, side view)").first.wait_for(timeout=60_000)
        _at_rest(page, LAPTOP)
        view_shot(page, "app_summary")
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="History").click()
        page.wait_for_url("**/history", timeout=30_000)
        page.get_by_test_id("stDataFrame").first.wait_for(timeout=60_000)
        wait_for_streamlit(page, 120)
        _at_rest(page, LAPTOP)
        view_shot(page, "app_history")
        assert log.external == [], log.external
    assert not outside(results, LAPTOP), outside(results, LAPTOP)
    assert not outside(frame, LAPTOP), outside(frame, LAPTOP)
    assert 1 <= rows <= 2, f"the navigation buttons take {rows} rows on a phone"
    assert not outside(phone, PHONE), outside(phone, PHONE)
