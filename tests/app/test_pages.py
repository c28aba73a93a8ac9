"""The app's pages under Streamlit's AppTest (no browser): each runs, widgets work.

The Live pages' webrtc component cannot run under AppTest (no session
manager, pitfalls.md); they are checked for showing that as a sentence
rather than a traceback, and are exercised in the real browser (tests/e2e).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from formcheck.report.model import PoseInfo, Report, SourceInfo
from formcheck.results import ActivityResult, Finding, Metric
from tests.fixtures import truths
from tests.fixtures.clips import REPO

TIMEOUT_S = 120


def run_report(cadence: float, sha: str, when: str) -> Report:
    """A run report with set numbers (what the pages must show back)."""
    result = ActivityResult(
        activity="run",
        view="side-left",
        metrics={
            "cadence_spm": Metric(cadence, "steps/min", n=30),
            "trunk_lean_deg": Metric(6.0, "deg", n=30),
        },
        findings=[
            Finding(
                "cadence",
                "flag" if cadence < 170 else "ok",
                "cadence_spm",
                cadence,
                "steps/min",
                "170-180 steps/min",
                f"Cadence message {cadence:.1f}.",
                "cues.md [A4]",
            )
        ],
        series={"cadence_spm": ((0.0, 1.0, 2.0), (cadence - 1, cadence, cadence + 1), "steps/min")},
    )
    rep = Report.from_result(
        result,
        SourceInfo(kind="video", path=f"/clips/{sha[:6]}.mp4", sha256=sha, duration_s=12.0),
        PoseInfo(360, 360),
        [],
        activity_requested="run",
    )
    rep.created_at = when
    return rep


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "history.sqlite3"
    monkeypatch.setenv("FORMCHECK_DB", str(path))
    return path


@pytest.fixture
def two_runs(db: Path) -> list[int]:
    from formcheck.store import HistoryDB

    with HistoryDB(db) as hdb:
        return [
            hdb.add_report(run_report(164.2, "a" * 64, "2026-01-05T08:00:00+00:00")),
            hdb.add_report(run_report(171.6, "b" * 64, "2026-02-05T08:00:00+00:00")),
        ]


def page(name: str) -> AppTest:
    return AppTest.from_string(
        f"from formcheck.ui import {name}\n{name}.page()\n", default_timeout=TIMEOUT_S
    )


def md_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_history_empty(db: Path) -> None:
    at = page("history").run()
    assert not at.exception
    assert any("No sessions yet" in i.value for i in at.info)


def test_history_lists_trends_compares_and_deletes(two_runs: list[int]) -> None:
    at = page("history").run()
    assert not at.exception
    text = md_text(at)
    assert '<span id="fc-session-count">2</span>' in text
    assert '<span id="fc-trend-count">2</span>' in text
    # Comparison: A = older (164.2), B = newer (171.6), change +7.4.
    table = at.table[0].value
    row = table.loc["Cadence"]
    # the change is shown as precisely as the values (cues.format, one formatter)
    assert list(row.iloc[:3]) == ["164.2", "171.6", "+7.4"]
    # Delete the older session: needs the confirmation tick.
    at.selectbox(key="fc_del_pick").select(two_runs[0]).run()
    assert at.button(key="fc_del_go").disabled
    at.checkbox(key="fc_del_sure").check().run()
    at.button(key="fc_del_go").click().run()
    assert not at.exception
    assert '<span id="fc-session-count">1</span>' in md_text(at)


def test_history_filter_by_activity(two_runs: list[int]) -> None:
    at = page("history").run()
    at.selectbox(key="fc_hist_activity").select("plank").run()
    assert not at.exception
    assert any("No sessions yet" in i.value for i in at.info)


def test_summary_of_a_stored_session(two_runs: list[int]) -> None:
    at = page("summary")
    at.query_params["session"] = str(two_runs[1])
    at.run()
    assert not at.exception
    text = md_text(at)
    assert '<span id="fc-m-cadence_spm">171.6</span>' in text
    assert "Cadence message 171.6." in text
    assert at.selectbox(key="fc_summary_pick").value == two_runs[1]
    # The charts are the HTML report's own (one drawing for both), with the target.
    assert 'data-chart="series_cadence_spm" src="data:image/svg+xml;base64,' in text
    assert any("formcheck's default target" in c.value for c in at.caption)
    # what the numbers cover (a live page's cover its last seconds only)
    assert any(c.value == "Numbers over the whole clip (12.0 s)." for c in at.caption)
    # Choosing the other session in the box shows it instead, with its own charts.
    at.selectbox(key="fc_summary_pick").select(two_runs[0]).run()
    other = md_text(at)
    assert '<span id="fc-m-cadence_spm">164.2</span>' in other

    def cadence_chart(md: str) -> str:
        return md.split('data-chart="series_cadence_spm" src="', 1)[1].split('"', 1)[0]

    assert cadence_chart(other) != cadence_chart(text)


def test_summary_without_session(db: Path) -> None:
    at = page("summary").run()
    assert not at.exception
    assert any("to see its summary" in i.value for i in at.info)


def test_app_opens_on_the_start_page(db: Path) -> None:
    """First open: the three ways in, each with where to put the camera, and the sample."""
    from formcheck.cues.words import START_WAYS

    at = AppTest.from_file(
        str(REPO / "formcheck" / "ui" / "app.py"), default_timeout=TIMEOUT_S
    ).run()
    assert not at.exception
    text = md_text(at)
    for _, title, how in START_WAYS:
        assert title in text and how in text
    assert at.button(key="fc_start_sample").label == "Analyse the sample run"
    for name in ("live", "live_run", "review"):
        assert at.button(key=f"fc_start_{name}")


@pytest.mark.clips
def test_start_page_sample_is_one_click_from_its_results(db: Path) -> None:
    at = AppTest.from_file(
        str(REPO / "formcheck" / "ui" / "app.py"), default_timeout=TIMEOUT_S
    ).run()
    at.button(key="fc_start_sample").click().run(timeout=400)
    assert not at.exception, at.exception
    assert at.title[0].value == "Review a clip"
    assert 'id="fc-m-cadence_spm"' in md_text(at)


def test_live_page_without_webrtc_is_a_sentence(db: Path) -> None:
    at = page("live").run()
    assert not at.exception
    assert any("Something went wrong while starting the camera" in e.value for e in at.error)
    assert any("Next step" in i.value for i in at.info)
    assert '<span id="fc-reps">0</span>' in md_text(at)


def test_profile_is_saved_and_used(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from formcheck.profile import load_profile

    monkeypatch.setenv("FORMCHECK_HOME", str(tmp_path))  # keep the session's profile empty

    at = AppTest.from_string(
        "from formcheck.ui import widgets\nwidgets.profile_sidebar()\n"
        "st = __import__('streamlit')\nst.write(repr(widgets.current_settings().profile))\n",
        default_timeout=TIMEOUT_S,
    ).run()
    at.number_input(key="fc_height").set_value(181.0)
    at.number_input(key="fc_kmh").set_value(10.5)
    at.button[0].click().run()
    assert not at.exception
    assert any("Profile saved" in s.value for s in at.success)
    prof = load_profile()
    assert prof.height_cm == 181.0 and prof.treadmill_kmh == 10.5 and prof.leg_length_cm is None
    assert "height_cm=181.0" in md_text(at)


def test_review_bad_clip_is_a_sentence(tmp_path: Path, db: Path) -> None:
    bad = tmp_path / "notes.mp4"
    bad.write_text("this is not a video\n")
    at = AppTest.from_string(
        "from pathlib import Path\nfrom formcheck.ui import review\n"
        f"review.analyse(Path({str(bad)!r}), 'run')\n",
        default_timeout=TIMEOUT_S,
    ).run()
    assert not at.exception
    assert any("not a video" in e.value for e in at.error)
    assert any(i.value.startswith("Next step") for i in at.info)


@pytest.mark.clips
def test_review_sample_analyse_and_step(db: Path) -> None:
    at = page("review").run()
    at.radio(key="fc_review_source").set_value("The bundled sample").run()
    at.selectbox(key="fc_review_activity").select("run").run()
    at.button(key="fc_analyse").click().run(timeout=400)
    assert not at.exception, at.exception
    text = md_text(at)
    assert 'id="fc-m-cadence_spm"' in text
    state = at.session_state["fc_review"]
    cad = state.report.metric_value("cadence_spm")
    assert f'<span id="fc-m-cadence_spm">{cad:.1f}</span>' in text
    assert abs(cad - truths.sample().cadence_spm.value) <= 1.0  # the sample's known cadence
    assert state.session_id is not None  # saved to history
    assert '<span id="fc-frame-no">1</span>' in text
    at.button(key="fc_nav_next_frame").click().run()
    assert '<span id="fc-frame-no">2</span>' in md_text(at)
    at.button(key="fc_nav_next_contact").click().run()
    contacts = sorted({e.frame for e in state.report.events if e.kind == "initial_contact"})
    expected = next(c for c in contacts if c > 1)
    assert f'<span id="fc-frame-no">{expected + 1}</span>' in md_text(at)
    # a flagged finding's sustained stretch is a jump target (issue 19)
    from formcheck.report.review import index_at_time

    stretches = [
        (a, f.cue, j)
        for f in state.report.findings
        if f.status == "flag"
        for j, (a, _) in enumerate(f.ranges_s)
    ]
    assert stretches, "the sample's flagged findings name no sustained stretch"
    a, cue, j = max(stretches)
    at.button(key=f"fc_stretch_{cue}_{j}").click().run()
    frame = index_at_time(state.report, a) + 1
    assert f'<span id="fc-frame-no">{frame}</span>' in md_text(at)
