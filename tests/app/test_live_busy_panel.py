"""The live running page's panel on a busy computer, and its "Last session" box
(issue 20, items 11, 12 and 6), without WebRTC.

A snapshot as the live engine gives it when frames come too slowly
(tests/unit/test_live_busy.py): the page says so in plain words and shows the
last good values greyed, not "--". After STOP the box keeps all three running
numbers and says they cover the whole session.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

BUSY = """
import time
from formcheck.cues import words
from formcheck.pipeline.live_state import LiveSnapshot
from formcheck.ui import live, livecam

class Stub:
    def __init__(self, snap):
        self.snap = snap
    def snapshot(self):
        return self.snap
    def save_progress(self):
        return None
    def take_cues(self):
        return []

snap = LiveSnapshot(
    "run", frames=60, frames_with_pose=60, t_s=10.0, fps=6.0,
    metrics={"cadence_spm": 171.0, "window_s": 10.0}, statuses={"cadence_spm": "good"},
    held={"trunk_lean_deg": 6.0, "overstride_leg_lengths": 0.1},
    busy=words.live_busy(6.0, 15.0), wall_last_frame=time.monotonic(),
)
ctl = livecam.controller("run")
ctl.session = Stub(snap)
live.live_panel("run", True, False)
"""

LAST = """
from formcheck.pipeline.live_state import LiveOutcome
from formcheck.report.model import PoseInfo, Report, SourceInfo
from formcheck.results import ActivityResult, Metric
from formcheck.ui import live, livecam

metrics = {
    "cadence_spm": Metric(169.0, "steps/min", n=300),
    "trunk_lean_deg": Metric(5.4, "deg", n=300),
    "overstride_leg_lengths": Metric(0.12, "leg lengths", n=300),
}
result = ActivityResult(activity="run", view="side-left", metrics=metrics)
source = SourceInfo(kind="webcam", duration_s=125.0, decoded_s=125.0, frames=3000)
report = Report.from_result(result, source, PoseInfo(3000, 3000), [])
ctl = livecam.controller("run")
ctl.last_outcome = LiveOutcome(report, partial=False, reason="stopped", frames=3000)
ctl.last_saved_id = 7
live._last_session("run")
"""


def _md(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_busy_computer_is_said_and_last_good_values_stay_greyed() -> None:
    at = AppTest.from_string(BUSY, default_timeout=60).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("This computer is busy: 6 frames/s") for w in warnings), warnings
    text = _md(at)
    # the window's own number, in its status colour
    assert '<div class="fc-big fc-good"><span id="fc-cadence">171.0</span>' in text
    # the two the window could not give: their last good values, greyed, said so
    assert '<div class="fc-big fc-held"><span id="fc-trunk">6.0</span>' in text
    assert '<div class="fc-big fc-held"><span id="fc-overstride">0.10</span>' in text
    assert text.count("last good value") == 2
    assert ">--<" not in text


def test_last_session_keeps_all_three_running_numbers() -> None:
    at = AppTest.from_string(LAST, default_timeout=60).run()
    assert not at.exception
    text = _md(at)
    assert "cadence 169.0 steps/min" in text
    assert "trunk lean 5.4 deg" in text
    assert "overstride 0.12 leg lengths" in text
    # what they cover, beside the live numbers' "over the last 15 s"
    assert "over the whole session (2 min 5 s)" in text
    assert 'session <span id="fc-saved-id">7</span>' in text
