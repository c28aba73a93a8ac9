"""One snapshot per frame feeds the live picture, the page and the voice (issue 20, item 4).

A fake analyzer counts a rep every 5 frames toward a set of 3, and gives its count
cues the way the real ones can: late (behind another cue, when the count has moved
on) and not at all on the last rep (a form cue had that frame's turn). Each frame,
the count drawn on the picture, the count in the page's snapshot and the count in
any cue said or shown must be the same; once the set is counted, no more reps are,
"3. That's the set." is said once (over anything still being said), and 3 is saved.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import formcheck.pipeline.live as live_mod
from formcheck.cues.words import LIVE_SET_DONE
from formcheck.cues.words_exercises import LIVE
from formcheck.live import LiveUpdate
from formcheck.pipeline.live import LiveSession
from formcheck.results import ActivityResult, Event, FrameState, Metric
from tests.unit.test_live_engine import fake_pose, frame

SET = 3


class SetAnalyzer:
    """A rep every 5 frames; count cues: "1" on time, "1" again late (at rep 2's
    frame, stale), "2" one frame late (still current), none for rep 3 (a form cue
    instead). It would go on counting past the set."""

    activity = "glute-bridge"
    set_reps = SET

    def __init__(self) -> None:
        self.n = 0
        self.reps = 0

    def update(self, xyzv: np.ndarray, t_s: float, width: int, height: int) -> LiveUpdate:
        self.n += 1
        events: tuple[Event, ...] = ()
        cue = None
        if self.n % 5 == 0:
            self.reps += 1
            events = (Event("rep_top", t_s, self.n - 1),)
            cue = {1: LIVE["rep"].format(n=1), 2: LIVE["rep"].format(n=1)}.get(
                self.reps, "Hold the top for a second."
            )
        elif self.n == 11:
            cue = LIVE["rep"].format(n=2)
        phase = "top" if self.n % 5 in (0, 4) else "bottom"
        state = FrameState(frame=self.n - 1, t_s=t_s, phase=phase, reps=self.reps)
        return LiveUpdate(state, events, cue, {"reps": float(self.reps)})

    def result(self) -> ActivityResult:
        return ActivityResult(
            activity=self.activity,
            view="side-left",
            metrics={"reps": Metric(float(self.reps), "reps", n=self.reps)},
        )


def _count_in(text: str | None) -> int | None:
    """The number a count cue says, None for other cues."""
    if not text:
        return None
    m = re.match(r"(\d+)", text)
    if m is None:
        return None
    n = int(m.group(1))
    return n if text in (LIVE["rep"].format(n=n), LIVE["set_done"].format(n=n)) else None


def test_picture_page_and_voice_agree_frame_by_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[tuple[str, list[str], str | None]] = []
    real = live_mod.overlay.draw_panel

    def spy(image, headline, lines, cue=None, warning=None):  # type: ignore[no-untyped-def]
        drawn.append((headline, list(lines), cue))
        return real(image, headline, lines, cue=cue, warning=warning)

    monkeypatch.setattr(live_mod.overlay, "draw_panel", spy)
    an = SetAnalyzer()
    s = LiveSession("glute-bridge", estimate=fake_pose, analyzer=an)
    said = []
    for i in range(40):  # 8 reps' worth of frames: the set is 3
        s.process(frame(i), i / 30)
        snap = s.snapshot()
        headline, lines, cue = drawn[-1]
        picture_reps = int(headline.split()[0])
        assert picture_reps == snap.reps, (i, headline, snap.reps)
        assert cue == snap.cue, i  # the banner is the snapshot's cue
        shown_count = _count_in(cue)
        assert shown_count is None or shown_count == snap.reps, (i, cue, snap.reps)
        if getattr(snap, "set_done", False):
            assert LIVE_SET_DONE in lines
        elif snap.phase:
            assert f"phase: {snap.phase}" in lines
        for c in s.take_cues():
            said.append(c)
            n = _count_in(c.text)
            assert n is None or n == snap.reps, (i, c.text, snap.reps)  # never a stale count
            assert c.reps == snap.reps
    snap = s.snapshot()
    assert snap.reps == SET and snap.set_done
    assert an.reps == SET, "reps were counted after the set was done"
    done = [c for c in said if c.text == LIVE["set_done"].format(n=SET)]
    assert len(done) == 1 and done[0].interrupt
    assert [_count_in(c.text) for c in said if _count_in(c.text)] == [1, 2, 3]
    # frames after the set still reach the page (the camera is not taken for lost)
    assert snap.wall_last_frame > 0
    out = s.finish()
    assert out.report is not None and out.report.metrics["reps"].value == SET


def test_without_a_set_target_counting_goes_on() -> None:
    class NoSet(SetAnalyzer):
        set_reps = None  # type: ignore[assignment]

    an = NoSet()
    s = LiveSession("glute-bridge", estimate=fake_pose, analyzer=an)
    for i in range(40):
        s.process(frame(i), i / 30)
    assert s.snapshot().reps == 8 and not s.snapshot().set_done
