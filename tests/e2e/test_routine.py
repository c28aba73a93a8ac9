"""A three-move guided routine in a real browser, on a fake camera fed from three clips
joined one after another (issue 22).

The camera plays (MANIFEST.md truths): the glute bridge (5 reps in 9.7 s), the forearm
plank (held the whole 8.0 s; its portrait picture cropped to the band the body is in, so
the person is as large as in the other two), then the side plank (held 1.4-12.5 s).
The routine, saved beforehand as the user's own, asks what the clips can give with a
margin for frames WebRTC drops: 4 bridges, a 5 s plank, a 5 s side plank. The test
checks that the routine moves on by itself (each move counted to its dose), that each
next move was said by the browser's voice (``window.__fcSpoken``, the live page's speech
path), and that the summary was saved to history with each move's own live set.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from formcheck.cues import words_routines as rw
from formcheck.routines import Routine, RoutineStep, hold, reps
from formcheck.store.db import HistoryDB
from tests.e2e.conftest import (
    AppServer,
    fake_camera_args,
    require_webrtc_network,
    screenshot,
    wait_for_streamlit,
)
from tests.e2e.test_live import _start, _text
from tests.fixtures.browser import chromium_page
from tests.fixtures.clips import clip_path

pytestmark = [pytest.mark.e2e, pytest.mark.clips]

ROUTINE = Routine(
    "e2e-three-moves",
    "E2E three moves",
    (
        RoutineStep("glute-bridge", reps(4)),
        RoutineStep("plank", hold(5)),
        RoutineStep("side-plank", hold(5)),
    ),
)

#: Each clip to 640x360 at 24 fps; the portrait plank clip cropped first to the 16:9
#: band its body lies in (rows 290-493 of 640).
JOIN = (
    "[0:v]scale=640:360,fps=24,setsar=1[a];"
    "[1:v]crop=360:203:0:290,scale=640:360,fps=24,setsar=1[b];"
    "[2:v]scale=640:360,fps=24,setsar=1[c];"
    "[a][b][c]concat=n=3:v=1:a=0,format=yuv420p[v]"
)


def joined_camera(tmp_path: Path) -> tuple[str, ...]:
    """Chromium's fake camera playing the three clips one after another (a .y4m plays at
    its own frame rate, then loops)."""
    y4m = tmp_path / "routine.y4m"
    clips = ("glute_bridge_side_darebee.mp4", "plank_trajnovd.mp4", "side_plank_pwarenfo.mp4")
    cmd = ["ffmpeg", "-v", "error", "-y"]
    for c in clips:
        cmd += ["-i", str(clip_path(c))]
    cmd += ["-filter_complex", JOIN, "-map", "[v]", str(y4m)]
    subprocess.run(cmd, check=True, timeout=180)
    return fake_camera_args(y4m)


def test_a_three_move_routine_runs_speaks_and_is_saved(
    app_server: AppServer, tmp_path: Path
) -> None:
    require_webrtc_network()
    with HistoryDB(app_server.db) as db:
        db.save_user_routine(ROUTINE)
    with chromium_page(joined_camera(tmp_path), viewport=(1400, 1000)) as (page, log):
        page.goto(app_server.page_url("routine"))
        wait_for_streamlit(page)
        # the first select box: the routine picker (the builder's come below it)
        page.get_by_test_id("stSelectbox").filter(has_text=rw.PICK).first.click()
        try:
            page.get_by_role("option", name=f"{ROUTINE.label} ({rw.MADE_BY_USER})").click()
        finally:
            screenshot(page, "routine_pick")
        page.get_by_text("Glute bridge: 4 reps").wait_for(timeout=30_000)  # its moves listed
        wait_for_streamlit(page)
        _start(page)
        steps_seen: set[str] = set()
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and not page.locator("#fc-routine-run-id").count():
            steps_seen.add(_text(page, "#fc-routine-step"))
            time.sleep(0.5)
        screenshot(page, "routine_summary")
        body = page.locator("body").inner_text()
        assert page.locator("#fc-routine-run-id").count(), (
            f"the routine did not end; moves seen: {sorted(steps_seen)}; "
            f"stats: {_text(page, '#fc-live-stats')}; page: {body[-600:]}"
        )
        run_id = int(_text(page, "#fc-routine-run-id"))
        # the page moved through the three moves by itself
        assert {"1/3 · Glute bridge", "2/3 · Plank", "3/3 · Side plank"} <= steps_seen
        for line in (
            "Glute bridge: 4/4 reps (done)",
            "Plank: 5/5 s (done)",
            "Side plank: 5/5 s (done)",
        ):
            assert line in body
        # each move was announced by the browser's voice, in order, then the end
        time.sleep(1.5)  # the last announcement is taken by the panel's next run
        spoken = page.evaluate("window.__fcSpoken || []")
        said = [s for s in spoken if s.startswith(("First:", "Next:", rw.ALL_DONE))]
        assert [s.split(".")[0] for s in said] == [
            "First: glute bridge, 4 reps",
            "Next: plank, 5 s",
            "Next: side plank, 5 s",
            f"{rw.ALL_DONE}: {ROUTINE.label}",
        ], "\n".join(spoken)
        # the History page lists it
        page.get_by_role("button", name=rw.SEE_HISTORY).click(timeout=10_000)
        page.wait_for_url("**/history", timeout=30_000)
        wait_for_streamlit(page)
        # the count read where it stands: a rerun of the page may redraw it between a
        # wait for the element and a read of its text
        count = "document.querySelector('#fc-routine-run-count')?.innerText.trim() ?? ''"
        try:
            page.wait_for_function(f"() => ({count}) === '1'", timeout=60_000)
        except PlaywrightTimeout:
            pytest.fail(f"the routines-done count never read 1: {page.evaluate(count)!r}")
        finally:
            screenshot(page, "routine_history")
        assert log.external == [], log.external
    with HistoryDB(app_server.db) as db:
        run = db.get_routine_run(run_id)
        assert run.status == "complete" and run.name == ROUTINE.name
        steps = run.summary["steps"]
        assert [s["status"] for s in steps] == ["done"] * 3  # type: ignore[index]
        sessions = {s.id: db.get_session(s.id) for s in db.list_sessions()}
        moves = [sessions[i] for i in run.session_ids]
    assert [m.activity for m in moves] == ["glute-bridge", "plank", "side-plank"]
    assert all(m.source_kind == "webcam" and m.status == "complete" for m in moves)
    # each move's own set holds its count (the bridge stops at the dose: "4. That's the set")
    assert moves[0].metrics["reps"].value == 4
    assert moves[1].metrics["hold_s"].value >= 5.0 - 0.5
    assert moves[2].metrics["hold_s"].value >= 5.0 - 0.5
