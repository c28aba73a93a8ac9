"""A failed or stopped export never costs the analysis (issue 21, items 1 and 3).

1. The disk fills while the annotated video is written: the session is kept complete
   with its metrics, report.json and the HTML report are written, the message names
   the video file, what it needs and what is free, and the command exits non-zero
   after printing the summary.
3. A stopped pose pass (Ctrl-C, or ``stop`` set by another thread) does not go on to
   draw the annotated video of the whole clip: the partial session is saved, only
   the HTML report (no pictures) is written, and ``formcheck analyze`` exits 130.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import formcheck.pipeline.clip as clip
import formcheck.pipeline.export as export
import formcheck.render.video as video
from formcheck.cli import main
from formcheck.pipeline.clip import ClipJob, analyse_clip
from formcheck.settings import Settings
from formcheck.store.db import HistoryDB
from tests.fixtures.processes import reaped

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_videos" / "run_treadmill_male_side.mp4"


def _disk_fills_after(monkeypatch: pytest.MonkeyPatch, frames: int) -> list[int]:
    """The video encoder raises ENOSPC from its ``frames``-th frame on (as a full disk
    does mid-write); returns the list of frames encoded, to check the video was begun."""
    encoded: list[int] = []
    encode = video.AnnotatedVideoWriter._encode

    def full_disk(self: video.AnnotatedVideoWriter, image: np.ndarray, pts: int) -> None:
        if len(encoded) >= frames:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.partial))
        encode(self, image, pts)
        encoded.append(pts)

    monkeypatch.setattr(video.AnnotatedVideoWriter, "_encode", full_disk)
    return encoded


def test_disk_full_during_the_video_keeps_the_session_and_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORMCHECK_HOME", str(tmp_path / "home"))
    encoded = _disk_fills_after(monkeypatch, 60)
    out, db_path = tmp_path / "out", tmp_path / "history.sqlite3"
    rc = main(
        [
            *("analyze", str(SAMPLE), "--activity", "run"),
            *("--db", str(db_path), "--out", str(out)),
        ]
    )
    printed = capsys.readouterr()
    assert len(encoded) == 60, "the video was not begun: the test did not fill the disk"
    assert rc != 0
    assert "Running" in printed.out and "cadence" in printed.out.lower()  # the summary
    # the message names the file and says what it needs and what is free
    video_path = out / "annotated.mp4"
    (said,) = [line for line in printed.err.splitlines() if str(video_path) in line]
    assert "disk is full" in said
    needed = re.search(r"needs about ([\d.]+) MB", said)
    assert needed is not None and float(needed.group(1)) > 0
    assert re.search(r"[\d.]+ [MG]B (is|are) free", said)
    # nothing that looks like the video is left; what was analysed is all there
    assert not video_path.exists() and not video.partial_path(video_path).exists()
    assert (out / "report.json").is_file() and (out / "report.html").is_file()
    assert list((out / "keyframes").glob("*.jpg"))
    assert "annotated_video" not in printed.out
    with HistoryDB(db_path) as db:
        (row,) = db.list_sessions()
        rec = db.get_session(row.id)
    assert rec.status == "complete"
    assert rec.metrics["cadence_spm"].value > 0
    assert f"session {rec.id}" in printed.out


def test_disk_full_without_a_problems_list_raises_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other callers of export_artifacts get the same words as an error."""
    from formcheck.pipeline.analysis import analyze

    _disk_fills_after(monkeypatch, 10)
    report = analyze(SAMPLE, "run", Settings(cache_dir=tmp_path / "cache"))
    with pytest.raises(export.VideoNotWrittenError) as caught:
        export.export_artifacts(report, tmp_path / "out", SAMPLE, quiet=True)
    assert str(tmp_path / "out" / "annotated.mp4") in str(caught.value)
    assert not list((tmp_path / "out").glob("annotated*.mp4"))


def test_a_stopped_pass_saves_the_partial_session_and_draws_no_video(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writers: list[Path] = []
    passes: list[object] = []

    class Spy(video.AnnotatedVideoWriter):
        def __init__(self, path: Path | str, *a: object, **kw: object) -> None:
            writers.append(Path(path))
            super().__init__(path, *a, **kw)  # type: ignore[arg-type]

    render_pass = export.render_pass

    def spy_pass(*a: object, **kw: object) -> object:
        passes.append(a)
        return render_pass(*a, **kw)  # type: ignore[arg-type]

    job = ClipJob(SAMPLE, "run", tmp_path / "out", db=tmp_path / "h.sqlite3")
    status_at_export: list[str] = []
    export_artifacts = clip.export_artifacts

    def spy_export(*a: object, **kw: object) -> dict[str, Path]:
        with HistoryDB(job.db) as db:
            status_at_export.extend(s.status for s in db.list_sessions())
        return export_artifacts(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "AnnotatedVideoWriter", Spy)
    monkeypatch.setattr(export, "render_pass", spy_pass)
    monkeypatch.setattr(clip, "export_artifacts", spy_export)
    stop = threading.Event()

    def progress(done: int, expected: int | None, t_s: float) -> None:
        if done >= 200:  # about 7 s of the 12 s clip: enough to measure a run
            stop.set()

    settings = Settings(cache_landmarks=False, pose_workers=1, cache_dir=tmp_path / "cache")
    out = analyse_clip(job, settings, progress=progress, stop=stop)
    assert stop.is_set() and out.stopped and out.error is None
    assert out.report is not None and out.report.partial
    assert status_at_export == ["partial"]  # saved at once, before anything is drawn
    assert writers == [] and passes == []  # nothing decoded again, no video drawn
    assert not list((tmp_path / "out").glob("annotated*.mp4"))
    assert (tmp_path / "out" / "report.json").is_file()
    assert (tmp_path / "out" / "report.html").is_file()
    with HistoryDB(job.db) as db:
        (row,) = db.list_sessions()
        rec = db.get_session(row.id)
    assert out.session_id == rec.id and rec.status == "partial"
    assert set(rec.artefacts) >= {"report_json", "report_html"}
    assert rec.frames_total is not None and 0 < rec.frames_total < 360


def test_a_pass_stopped_too_soon_to_keep_anything_is_stopped_not_failed(tmp_path: Path) -> None:
    """Stopped after about 0.7 s of a run (2.5 s needed): the clip comes back stopped,
    so a batch of clips ends with it, and says it was stopped, not that the clip is
    too short to film again; nothing is saved."""
    job = ClipJob(SAMPLE, "run", tmp_path / "out", db=tmp_path / "h.sqlite3")
    stop = threading.Event()

    def progress(done: int, expected: int | None, t_s: float) -> None:
        if done >= 20:
            stop.set()

    settings = Settings(cache_landmarks=False, pose_workers=1, cache_dir=tmp_path / "cache")
    out = analyse_clip(job, settings, progress=progress, stop=stop)
    assert out.stopped and out.report is None
    assert out.error is not None and out.error.code == "stopped_too_soon"
    assert str(out.error).startswith("Stopped after ")
    assert "Record a longer clip" not in str(out.error)
    with HistoryDB(job.db) as db:
        assert db.list_sessions() == []


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg (install.sh --test)")
def test_ctrl_c_on_a_long_clip_exits_130_with_the_partial_session(tmp_path: Path) -> None:
    """SIGINT during the pose pass of `formcheck analyze` (annotated video asked for):
    exit 130, the partial session saved, no annotated video of the whole clip."""
    long_clip = tmp_path / "long_run.mp4"  # the sample four times: about 48 s
    subprocess.run(
        ["ffmpeg", "-v", "error", "-stream_loop", "3", "-i", str(SAMPLE), "-c", "copy", long_clip],
        check=True,
    )
    cfg = tmp_path / "fc.toml"
    cfg.write_text("checkpoint_every_s = 1.0\ncache_landmarks = false\n")
    db_path, out = tmp_path / "history.sqlite3", tmp_path / "out"
    env = dict(os.environ, FORMCHECK_HOME=str(tmp_path / "home"))
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "formcheck.cli", "analyze", long_clip, "--activity", "run"),
            *("--config", cfg, "--db", db_path, "--out", out, "--quiet"),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with reaped(proc):
        deadline = time.monotonic() + 300
        seen = False
        while time.monotonic() < deadline and proc.poll() is None and not seen:
            time.sleep(0.5)
            if db_path.exists():
                with HistoryDB(db_path) as db:
                    rows = db.list_sessions()
                    seen = bool(rows) and (db.get_session(rows[0].id).frames_total or 0) > 0
        assert proc.poll() is None, "the analysis ended before it could be stopped"
        assert seen, "no progress stored within 300 s"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    with HistoryDB(db_path) as db:
        (row,) = db.list_sessions()
        rec = db.get_session(row.id)
    assert rec.status == "partial"
    assert not list(out.glob("annotated*.mp4"))
    assert (out / "report.json").is_file()
