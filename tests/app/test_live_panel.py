"""The live page's panel (the fragment fed by the frame callback), without WebRTC.

A LiveSession driven by fake pose and analyzers (tests/unit/test_live_engine.py)
stands in for the webcam: the panel must show the count, the cue, and the
errors raised in the frame path (counted, with the stop after the limit),
never a traceback.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

SCRIPT = """
from formcheck.ui import live, livecam
from formcheck.pipeline.live import LiveSession
from tests.unit.test_live_engine import CountingAnalyzer, fake_pose, frame

ctl = livecam.controller("exercise")
if ctl.session is None:
    s = LiveSession("glute-bridge", estimate=fake_pose,
                    analyzer=CountingAnalyzer(fail_from=FAIL_FROM), max_errors=3)
    for i in range(N):
        s.process(frame(i), i / 30)
    ctl.session = s
live.live_panel("exercise", True, False)
"""


#: The panel's run with any pause counting as a lost camera, for this run only
#: (AppTest runs the script in the test process, so the module's constant is put back).
LOST_PANEL = """
lost_s, livecam.BROWSER_LOST_S = livecam.BROWSER_LOST_S, 0.0
try:
    live.live_panel("exercise", True, False)
finally:
    livecam.BROWSER_LOST_S = lost_s
"""


def _run(fail_from: int | None, n: int, camera_lost: bool = False) -> AppTest:
    script = SCRIPT.replace("FAIL_FROM", repr(fail_from)).replace("N)", f"{n})")
    if camera_lost:
        script = script.replace('live.live_panel("exercise", True, False)\n', LOST_PANEL)
        assert LOST_PANEL in script
    return AppTest.from_string(script, default_timeout=60).run()


def _md(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_panel_shows_reps_and_cue() -> None:
    at = _run(None, 12)
    assert not at.exception
    text = _md(at)
    assert '<span id="fc-reps">2</span>' in text
    assert '<span class="fc-cue" id="fc-cue">pause at the top</span>' in text
    assert not at.error


def test_panel_shows_frame_errors_and_the_stop() -> None:
    at = _run(2, 8)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(
        "Analysis stopped after 3 failed frames: ValueError: bad landmarks" in e for e in errors
    ), errors
    assert any("Press STOP to save what was recorded" in e for e in errors)


def test_panel_ends_a_session_whose_camera_is_lost_and_shows_what_was_kept() -> None:
    """The panel's tick ends the session when no picture comes: the same run of the
    fragment says why and shows the set that was kept (2 reps, marked partial)."""
    at = _run(None, 12, camera_lost=True)
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("No picture from the camera" in w and "marked partial" in w for w in warnings), (
        warnings
    )
    text = _md(at)
    assert "Last session (partial: no picture from the camera" in text, text
    assert "2 reps" in text, text
    from formcheck.ui import livecam

    assert livecam.BROWSER_LOST_S > 0, "the test left the constant changed"
