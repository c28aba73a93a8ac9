"""The batch use case with a fake executor (no pose model runs): summary, status files,
resume, a failing clip, a stop; and the summary files on their own."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from formcheck.errors import FormcheckError
from formcheck.pipeline.batch_plan import ClipMark
from formcheck.pipeline.batch_run import LOG_NAME, run_batch
from formcheck.pipeline.batch_summary import (
    COLUMNS,
    SummaryRow,
    report_fields,
    summary_csv,
    summary_html,
    write_summary,
)
from formcheck.pipeline.clip import ClipJob, ClipOutcome
from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store import HistoryDB
from tests.fixtures.synthetic_exercises import plank_series


@pytest.fixture(scope="module")
def plank_report() -> Report:
    from formcheck import analyze_pose

    return analyze_pose(plank_series(((8.0, 12.0),))[0], "plank")  # sagging: flagged


class FakeExecutor:
    """Gives each clip the plank report (written and saved, as the contract says) or
    fails the clips whose name says so; can set ``stop`` after some clips."""

    def __init__(self, report: Report, db: Path, stop_after: int | None = None) -> None:
        self.report, self.db, self.stop_after = report, db, stop_after
        self.analysed: list[str] = []

    def run(
        self, jobs: Sequence[ClipJob], settings: Settings, stop: threading.Event
    ) -> Iterator[tuple[int, ClipOutcome]]:
        for i, job in enumerate(jobs):
            if stop.is_set():
                yield i, ClipOutcome(job.video, stopped=True)
                continue
            self.analysed.append(job.video.name)
            if "bad" in job.video.name:
                err = FormcheckError("not a video.", "Use a clip.", code="not_video")
                yield i, ClipOutcome(job.video, error=err)
            else:
                yield i, self._ok(job, settings)
            if self.stop_after is not None and len(self.analysed) >= self.stop_after:
                stop.set()

    def _ok(self, job: ClipJob, settings: Settings) -> ClipOutcome:
        from formcheck.pose.model import file_sha256, verify_model

        source = replace(self.report.source, path=str(job.video), sha256=file_sha256(job.video))
        pose = replace(self.report.pose, model_sha256=verify_model(settings.model_path).sha256)
        report = replace(self.report, source=source, pose=pose, activity_requested=job.activity)
        path = report.save_json(job.out_dir / "report.json")
        with HistoryDB(job.db) as db:
            sid = db.add_report(report, artefacts={"report_json": path}, settings=settings)
        return ClipOutcome(job.video, report, artefacts={"report_json": path}, session_id=sid)


@pytest.fixture
def clips(tmp_path: Path) -> Path:
    root = tmp_path / "clips"
    for rel, data in (("a/x.mp4", b"one"), ("b/x.mp4", b"two"), ("b/bad.mp4", b"bad")):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def _csv(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / "summary.csv").read_text())))


def _settings(tmp_path: Path) -> Settings:
    return Settings(cache_dir=tmp_path / "cache")


def test_a_batch_then_the_same_batch_again(
    tmp_path: Path, clips: Path, plank_report: Report
) -> None:
    out, db = tmp_path / "out", tmp_path / "h.db"
    fake = FakeExecutor(plank_report, db)
    result = run_batch([clips], out, _settings(tmp_path), fake, recursive=True, db=db)
    rows = {r["clip"]: r for r in _csv(out)}
    assert set(rows) == {"a/x.mp4", "b/x.mp4", "b/bad.mp4"}
    assert rows["b/bad.mp4"]["status"] == "failed"
    assert "not a video" in rows["b/bad.mp4"]["reason"]
    stored = json.loads((out / "a" / "x_mp4" / "report.json").read_text())
    activity, metrics, top = report_fields(stored)
    for clip in ("a/x.mp4", "b/x.mp4"):
        r = rows[clip]
        assert (r["status"], r["activity"], r["top_finding"]) == ("ok", activity, top)
        assert top  # the sagging plank is flagged
        for name, (value, _unit) in metrics.items():
            assert float(r[name]) == value
    assert not result.stopped and result.count("ok") == 2

    again = FakeExecutor(plank_report, db)
    result = run_batch([clips], out, _settings(tmp_path), again, recursive=True, db=db)
    assert again.analysed == []  # nothing analysed twice, the bad clip not retried
    statuses = {r["clip"]: r["status"] for r in _csv(out)}
    assert statuses == {
        "a/x.mp4": "skipped-already-done",
        "b/x.mp4": "skipped-already-done",
        "b/bad.mp4": "failed",
    }
    log = [json.loads(ln) for ln in (out / LOG_NAME).read_text().splitlines()]
    assert sum(e.get("status") == "ok" for e in log) == 2


def test_changed_content_or_settings_are_analysed_again(
    tmp_path: Path, clips: Path, plank_report: Report
) -> None:
    out, db = tmp_path / "out", tmp_path / "h.db"
    run_batch(
        [clips], out, _settings(tmp_path), FakeExecutor(plank_report, db), recursive=True, db=db
    )
    (clips / "a" / "x.mp4").write_bytes(b"one, edited")
    fake = FakeExecutor(plank_report, db)
    run_batch([clips], out, _settings(tmp_path), fake, recursive=True, db=db)
    assert fake.analysed == ["x.mp4"]
    other = _settings(tmp_path).replace(max_gap_s=0.3)
    fake = FakeExecutor(plank_report, db)
    run_batch([clips], out, other, fake, recursive=True, db=db)
    assert sorted(fake.analysed) == ["bad.mp4", "x.mp4", "x.mp4"]


def test_the_history_alone_says_done_after_a_kill_before_the_status_file(
    tmp_path: Path, clips: Path, plank_report: Report
) -> None:
    """Killed between the worker's history save and the driver's status file."""
    out, db = tmp_path / "out", tmp_path / "h.db"
    run_batch(
        [clips], out, _settings(tmp_path), FakeExecutor(plank_report, db), recursive=True, db=db
    )
    (out / "a" / "x_mp4" / "batch-clip.json").unlink()
    fake = FakeExecutor(plank_report, db)
    run_batch([clips], out, _settings(tmp_path), fake, recursive=True, db=db)
    assert fake.analysed == []
    assert (out / "a" / "x_mp4" / "batch-clip.json").is_file()  # written again


def test_a_stop_keeps_the_summary_of_what_is_done(
    tmp_path: Path, clips: Path, plank_report: Report
) -> None:
    out, db = tmp_path / "out", tmp_path / "h.db"
    fake = FakeExecutor(plank_report, db, stop_after=1)
    result = run_batch([clips], out, _settings(tmp_path), fake, recursive=True, db=db)
    assert result.stopped
    statuses = [r["status"] for r in _csv(out)]
    assert statuses.count("stopped") == 2 and len(statuses) == 3
    fake = FakeExecutor(plank_report, db)
    run_batch([clips], out, _settings(tmp_path), fake, recursive=True, db=db)
    assert len(fake.analysed) == 2  # the two not done, not the first again
    assert "stopped" not in [r["status"] for r in _csv(out)]


def test_no_video_at_all_is_an_error(tmp_path: Path, plank_report: Report) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(FormcheckError):
        run_batch(
            [tmp_path / "empty"],
            tmp_path / "out",
            _settings(tmp_path),
            FakeExecutor(plank_report, tmp_path / "h.db"),
        )


# ---------------------------------------------------------------------------------------
ROWS = [
    SummaryRow("a/x.mp4", "ok", "plank", "hips sag", "", "a/x_mp4/report.html", 3,
               {"hold_s": (7.96667, "s"), "hip_line_deg": (-9.1, "deg")}),
    SummaryRow("b/y.mp4", "failed", reason='not a video, "quoted" <b>'),
    SummaryRow("c/z.mp4", "ok", "run", metrics={"cadence_spm": (171.2, "steps/min")}),
    SummaryRow("d/w.mp4"),
]  # fmt: skip


def test_summary_csv_has_one_row_per_clip_and_a_column_per_metric() -> None:
    rows = list(csv.DictReader(io.StringIO(summary_csv(ROWS))))
    assert [r["clip"] for r in rows] == ["a/x.mp4", "b/y.mp4", "c/z.mp4", "d/w.mp4"]
    assert list(rows[0])[: len(COLUMNS)] == list(COLUMNS)
    assert float(rows[0]["hold_s"]) == 7.96667 and rows[1]["hold_s"] == ""
    assert float(rows[2]["cadence_spm"]) == 171.2
    assert rows[1]["reason"] == 'not a video, "quoted" <b>'
    assert rows[3]["status"] == "pending"
    assert summary_csv([]).strip() == ",".join(COLUMNS)


def test_summary_html_escapes_and_links() -> None:
    page = summary_html(ROWS, "t")
    assert "<b>" not in page
    assert "&lt;b&gt;" in page
    assert 'href="a/x_mp4/report.html"' in page
    assert page.count("<tr class=") == len(ROWS)


def test_write_summary_replaces_both_files_whole(tmp_path: Path) -> None:
    write_summary(tmp_path, ROWS)
    write_summary(tmp_path, ROWS[:1])
    assert len(_csv(tmp_path)) == 1
    assert (tmp_path / "summary.html").read_text().count("<tr class=") == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_a_batch_never_takes_the_saved_runner_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch holds many people's clips: the profile saved on this machine stays out;
    the settings file's own [profile] applies."""
    from formcheck.cli import build_parser
    from formcheck.cli.batch import batch_settings_from_args
    from formcheck.profile import save_profile
    from formcheck.settings import Profile

    monkeypatch.setenv("FORMCHECK_HOME", str(tmp_path))
    save_profile(Profile(height_cm=170.0))
    assert batch_settings_from_args(build_parser().parse_args(["batch", "x"])).profile == Profile()
    toml = tmp_path / "s.toml"
    toml.write_text("[profile]\ntreadmill_kmh = 11.0\n")
    args = build_parser().parse_args(["batch", "x", "--config", str(toml)])
    assert batch_settings_from_args(args).profile == Profile(treadmill_kmh=11.0)


class _StoppedTooEarly:
    """Ctrl-C as a clip starts: its part is too short to analyse, so it comes back
    with an error (as analyse_clip gives it)."""

    def run(
        self, jobs: Sequence[ClipJob], settings: Settings, stop: threading.Event
    ) -> Iterator[tuple[int, ClipOutcome]]:
        stop.set()
        err = FormcheckError("too short.", "Film longer.", code="too_short")
        for i, job in enumerate(jobs):
            yield i, ClipOutcome(job.video, error=err)


def test_a_clip_stopped_too_early_is_stopped_not_failed(tmp_path: Path, clips: Path) -> None:
    out = tmp_path / "out"
    result = run_batch([clips], out, _settings(tmp_path), _StoppedTooEarly(), recursive=True)
    assert result.stopped
    assert {r["status"] for r in _csv(out)} == {"stopped"}
    assert not list(out.rglob("batch-clip.json"))  # nothing says "failed, do not retry"


class SizedFake(FakeExecutor):
    """The fake's reports name the clip's size too, as a real analysis' source does."""

    def _ok(self, job: ClipJob, settings: Settings) -> ClipOutcome:
        outcome = super()._ok(job, settings)
        assert outcome.report is not None
        source = replace(outcome.report.source, size_bytes=job.video.stat().st_size)
        return replace(outcome, report=replace(outcome.report, source=source))


def test_an_analysed_clip_is_keyed_by_the_analysis_hash_not_hashed_again(
    tmp_path: Path, clips: Path, plank_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    from formcheck.pipeline import batch_run
    from formcheck.pose.model import file_sha256

    hashed: list[str] = []

    def counting_sha256(path: Path) -> str:
        hashed.append(Path(path).name)
        return file_sha256(path)

    monkeypatch.setattr(batch_run, "file_sha256", counting_sha256)
    out, db = tmp_path / "out", tmp_path / "h.db"
    run_batch([clips], out, _settings(tmp_path), SizedFake(plank_report, db), recursive=True, db=db)
    assert hashed == ["bad.mp4"]  # the failed clip has no report to take it from
    for rel in ("a/x_mp4", "b/x_mp4"):
        mark = ClipMark.load(out / rel)
        assert mark is not None and mark.status == "ok"
        assert mark.key.sha256 == file_sha256(clips / rel.replace("_mp4", ".mp4"))
    again = SizedFake(plank_report, db)
    run_batch([clips], out, _settings(tmp_path), again, recursive=True, db=db)
    assert again.analysed == []
