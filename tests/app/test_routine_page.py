"""The Guided routine page under AppTest (no browser; the camera is exercised in tests/e2e).

A RoutineSession driven by a fake pose estimator and scripted analyzers
(tests/unit/test_routine_live.py) stands in for the webcam: the panel shows the move on
now, its count, the announcement, Next skips, and the summary at the end is saved and
listed on the History page. The builder saves a routine of the user's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from formcheck.cues import words_routines as rw
from formcheck.routines import ROUTINES
from formcheck.store.db import HistoryDB

TIMEOUT_S = 120

PANEL = """
from formcheck.ui import routine, routinecam
from formcheck.pipeline.routine_live import RoutineSession
from tests.unit.test_routine_live import ROUTINE, Scripted, fake_pose, frame

ctl = routinecam.controller()
if ctl.session is None and ctl.last_routine is None:
    s = RoutineSession(ROUTINE, estimate=fake_pose, analyzers=Scripted)
    for i in range(N):
        s.process(frame(), i / 10)
    ctl.session = s
routine._panel(True, False)
"""


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "history.sqlite3"
    monkeypatch.setenv("FORMCHECK_DB", str(path))
    return path


def md(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def panel(n: int) -> AppTest:
    return AppTest.from_string(PANEL.replace("(N)", f"({n})"), default_timeout=TIMEOUT_S)


def test_page_lists_the_routines_and_its_camera_error_is_a_sentence(db: Path) -> None:
    at = AppTest.from_string(
        "from formcheck.ui import routine\nroutine.page()\n", default_timeout=TIMEOUT_S
    ).run()
    assert not at.exception
    assert at.title[0].value == rw.PAGE_TITLE
    assert at.selectbox(key="fc_routine_pick").options == [r.label for r in ROUTINES]
    assert "1. Cat" in md(at) or "1. cat" in md(at)  # the warm-up's moves, in order
    assert any("starting the camera" in e.value for e in at.error)
    at.selectbox(key="fc_routine_pick").select("core-and-glute").run()
    assert "1. Glute bridge: 15 reps" in md(at) and "4. Side plank: 20 s each side" in md(at)


def test_panel_shows_the_move_its_count_and_the_next_move(db: Path) -> None:
    at = panel(12).run()  # two reps of the first move (3)
    assert not at.exception
    text = md(at)
    assert 'id="fc-routine-step">1/3 · Glute bridge</div>' in text
    assert '<span id="fc-reps">2</span>' in text
    assert '<span id="fc-routine-progress">2/3 reps</span>' in text
    assert "First: glute bridge, 3 reps." in text
    at.button(key="fc_routine_next").click().run()
    assert not at.exception
    text = md(at)
    assert 'id="fc-routine-step">2/3 · Plank</div>' in text and "Next: plank, 2 s." in text
    assert '<span id="fc-hold">' in text and rw.COUNT_LABELS["hold_s"] in text
    # the first move was skipped: saved as a partial live set; the plank's has begun
    with HistoryDB(db) as h:
        got = [(s.activity, s.status) for s in h.list_sessions(newest_first=False)]
    assert got == [("glute-bridge", "partial"), ("plank", "running")]


def test_the_summary_at_the_end_is_saved_and_on_the_history_page(db: Path) -> None:
    at = panel(120).run()  # every move done
    assert not at.exception
    text = md(at)
    assert rw.SUMMARY_TITLE in text
    assert "Glute bridge: 3/3 reps (done)" in text and "Bird dog: 2/2 reps (done)" in text
    assert 'id="fc-routine-run-id">' in text
    assert at.button(key="fc_routine_history")
    with HistoryDB(db) as h:
        runs = h.list_routine_runs()
        assert len(runs) == 1 and runs[0].status == "complete" and len(runs[0].session_ids) == 3
    hist = AppTest.from_string(
        "from formcheck.ui import history\nhistory.page()\n", default_timeout=TIMEOUT_S
    ).run()
    assert not hist.exception
    text = md(hist)
    assert '<span id="fc-routine-run-count">1</span>' in text
    assert "Plank: 2/2 s (done)" in text


def test_build_and_save_a_routine_of_my_own(db: Path) -> None:
    at = AppTest.from_string(
        "from formcheck.ui import routine\nroutine.page()\n", default_timeout=TIMEOUT_S
    ).run()
    at.button(key="fc_build_save").click().run()
    assert any(w.value == rw.BUILD_NEED_MOVES for w in at.warning)
    at.selectbox(key="fc_build_move").select("plank").run()
    at.number_input(key="fc_build_amount").set_value(20).run()
    at.button(key="fc_build_add").click().run()
    at.selectbox(key="fc_build_move").select("bird-dog").run()
    at.number_input(key="fc_build_amount").set_value(6).run()
    at.selectbox(key="fc_build_how_bird-dog").select("reps each side").run()
    at.button(key="fc_build_add").click().run()
    assert "1. Plank: 20 s" in md(at) and "2. Bird dog: 6 each side" in md(at)
    at.button(key="fc_build_save").click().run()
    assert any(w.value == rw.BUILD_NEED_NAME for w in at.warning)
    at.text_input(key="fc_build_name").input("Evening core").run()
    at.button(key="fc_build_save").click().run()
    assert not at.exception
    assert any("Evening core" in s.value for s in at.success)
    assert f"Evening core ({rw.MADE_BY_USER})" in at.selectbox(key="fc_routine_pick").options
    with HistoryDB(db) as h:
        (mine,) = h.user_routines()
    assert [(s.activity, s.dose.amount, s.dose.measure, s.dose.per) for s in mine.steps] == [
        ("plank", 20.0, "hold_s", "total"),
        ("bird-dog", 6.0, "reps", "side"),
    ]


def test_moves_are_listed_by_group(monkeypatch: pytest.MonkeyPatch) -> None:
    """Warm-up first, then strength, then cool-down, each label headed by its group (the
    live exercise page's picker and the builder); table order within a group."""
    import dataclasses

    import formcheck.activities as activities
    from formcheck.ui import moves

    fake = {
        "cool": dataclasses.replace(activities.get("plank"), name="cool", group="cooldown"),
        "warm": dataclasses.replace(activities.get("bird-dog"), name="warm", group="warmup"),
    }
    monkeypatch.setattr(activities, "BY_NAME", {**activities.BY_NAME, **fake})
    order = moves.moves_by_group(("cool", "plank", "warm", "glute-bridge"))
    assert order == ["warm", "plank", "glute-bridge", "cool"]
    assert moves.move_label("warm") == f"{rw.GROUP_WORDS['warmup']} · Bird dog (side view)"
    groups = [activities.get(n).group for n in moves.moves_by_group()]
    rank = [moves.GROUP_ORDER.index(g) for g in groups]
    assert rank == sorted(rank)


def test_live_exercise_picker_shows_the_groups(db: Path) -> None:
    at = AppTest.from_string(
        "from formcheck.ui import live\nlive.page()\n", default_timeout=TIMEOUT_S
    ).run()
    options = at.selectbox(key="fc_live_activity").options
    heads = [rw.GROUP_WORDS[g] for g in ("warmup", "strength", "cooldown")]
    shown = [o.split(" · ")[0] for o in options]
    assert set(shown) <= set(heads)
    assert [heads.index(h) for h in shown] == sorted(heads.index(h) for h in shown)
    assert f"{rw.GROUP_WORDS['strength']} · Plank (side view)" in options
    # the warm-up leads the list, but the page opens on the glute bridge, as before
    assert at.selectbox(key="fc_live_activity").value == "glute-bridge"


def test_announcements_are_sent_again_until_newer_ones_come(db: Path) -> None:
    """A panel run that never reaches the browser must not lose "Next: ...": each batch
    of cues carries the latest announcements again (same ids; the browser says an id
    once), and the routine's last words are taken before it is collected."""
    from formcheck.pipeline.routine_live import RoutineSession
    from formcheck.ui.routinecam import RoutineController
    from tests.unit.test_routine_live import ROUTINE, Scripted, fake_pose, frame

    ctl = RoutineController()
    ctl.session = RoutineSession(ROUTINE, estimate=fake_pose, analyzers=Scripted)  # type: ignore[assignment]
    for i in range(3):
        ctl.process(frame(), i / 10)
    first = ctl.take_cues()
    assert [c.text.split(".")[0] for c in first] == ["First: glute bridge, 3 reps"]
    again = ctl.take_cues()
    assert again == first  # the same cue, the same id
    for i in range(3, 200):
        ctl.process(frame(), i / 10)
    last = ctl.take_cues()
    texts = [c.text.split(".")[0] for c in last]
    assert texts[-1] == rw.routine_done(ROUTINE.label).split(".")[0]
    assert texts[0] == "First: glute bridge, 3 reps"  # sent again, then the new ones
    assert "Next: plank, 2 s" in texts and "Next: bird dog, 2 reps" in texts
    assert ctl.session is None and ctl.last_routine is not None  # collected
    assert [c.text.split(".")[0] for c in ctl.take_cues()] == [  # the latest three, again
        "Next: plank, 2 s",
        "Next: bird dog, 2 reps",
        rw.routine_done(ROUTINE.label).split(".")[0],
    ]
    assert ctl.last_routine.summary.complete
