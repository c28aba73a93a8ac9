"""analyse_clip, the one "analyse one clip" use case (CLI, batch, Review page), with the
analysis and the export replaced by stand-ins so each way it can end is checked:
what is written, what the outcome says, and what the history keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

import formcheck.pipeline.clip as clip
from formcheck.errors import NoPersonError
from formcheck.pipeline.clip import ClipJob, analyse_clip
from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store.db import HistoryDB
from tests.fixtures.store import make_report


def _job(tmp_path: Path, **kw: object) -> ClipJob:
    video = tmp_path / "run.mp4"
    video.write_bytes(b"not read: analyze is replaced")
    return ClipJob(video, "run", tmp_path / "out", db=tmp_path / "h.sqlite3", **kw)  # type: ignore[arg-type]


def _sessions(job: ClipJob) -> list[tuple[int, str]]:
    if not Path(job.db).exists():  # type: ignore[arg-type]
        return []
    with HistoryDB(job.db) as db:
        return [(s.id, s.status) for s in db.list_sessions()]


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> Report:
    report = make_report(1)
    monkeypatch.setattr(clip, "analyze", lambda *a, **kw: report)
    return report


def _export_ok(
    report: Report, out_dir: Path, video: Path | None, quiet: bool, **kw: object
) -> dict[str, Path]:
    html = Path(out_dir) / "report.html"
    html.write_text("<html></html>")
    return {"report_html": html}


def test_a_clip_is_written_then_saved(
    tmp_path: Path, analysed: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clip, "export_artifacts", _export_ok)
    stages: list[str] = []
    out = analyse_clip(_job(tmp_path), Settings(), on_stage=stages.append)
    assert out.report is analysed and out.error is None and not out.export_errors
    assert set(out.artefacts) == {"report_json", "report_html"}
    assert stages == ["export"]
    assert _sessions(_job(tmp_path)) == [(out.session_id, "complete")]


def test_an_unusable_clip_leaves_no_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def nobody(*a: object, **kw: object) -> Report:
        raise NoPersonError("No person was found.", "Film the whole body.", code="no_person")

    monkeypatch.setattr(clip, "analyze", nobody)
    problems: list[str] = []
    out = analyse_clip(_job(tmp_path), Settings(), on_store_error=problems.append)
    assert out.report is None and out.error is not None and out.error.code == "no_person"
    assert _sessions(_job(tmp_path)) == []
    assert problems == []  # the session was ended once, not marked again afterwards


def test_a_bug_in_the_analysis_is_raised_and_leaves_no_empty_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*a: object, **kw: object) -> Report:
        raise RuntimeError("a bug")

    monkeypatch.setattr(clip, "analyze", bug)
    problems: list[str] = []
    with pytest.raises(RuntimeError):
        analyse_clip(_job(tmp_path), Settings(), on_store_error=problems.append)
    assert _sessions(_job(tmp_path)) == []
    assert problems == []  # the session was ended once, not marked again afterwards


def test_a_failing_export_keeps_the_analysis_and_saves_it(
    tmp_path: Path, analysed: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*a: object, **kw: object) -> dict[str, Path]:
        raise ValueError("codec said no")  # e.g. PyAV's InvalidDataError, a cv2.error

    monkeypatch.setattr(clip, "export_artifacts", broken)
    out = analyse_clip(_job(tmp_path), Settings())
    assert out.report is analysed
    assert (tmp_path / "out" / "report.json").is_file()
    (problem,) = out.export_errors
    assert "annotated video and HTML report" in problem and "codec said no" in problem
    assert _sessions(_job(tmp_path)) == [(out.session_id, "complete")]


def test_an_unwritable_json_copy_does_not_stop_the_export(
    tmp_path: Path, analysed: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clip, "export_artifacts", _export_ok)
    a_folder = tmp_path / "a_folder"
    a_folder.mkdir()
    out = analyse_clip(_job(tmp_path, json_copy=a_folder), Settings())
    (problem,) = out.export_errors
    assert str(a_folder) in problem
    assert set(out.artefacts) == {"report_json", "report_html"}


def test_ctrl_c_during_the_export_keeps_a_partial_session(
    tmp_path: Path, analysed: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*a: object, **kw: object) -> dict[str, Path]:
        raise KeyboardInterrupt

    monkeypatch.setattr(clip, "export_artifacts", interrupted)
    with pytest.raises(KeyboardInterrupt):
        analyse_clip(_job(tmp_path), Settings())
    assert [status for _, status in _sessions(_job(tmp_path))] == ["partial"]
    assert (tmp_path / "out" / "report.json").is_file()


def test_without_save_nothing_reaches_the_history(
    tmp_path: Path, analysed: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clip, "export_artifacts", _export_ok)
    out = analyse_clip(_job(tmp_path, save=False), Settings())
    assert out.session_id is None and not Path(_job(tmp_path).db).exists()  # type: ignore[arg-type]
