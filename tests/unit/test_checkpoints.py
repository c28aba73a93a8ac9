"""Results so far of a long clip analysis: checkpoints, and a killed process keeping them.

Issue #7: "a long analysis saves its progress so a crash, a Ctrl-C or a webcam that
disappears mid-set keeps what was analysed, marked as partial".
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from formcheck.pipeline import analyze, analyze_pose
from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store.db import HistoryDB
from formcheck.store.writes import NOTE_CRASHED
from tests.processes import reaped, sigkill
from tests.synthetic.exercises import plank_series

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_videos" / "run_treadmill_male_side.mp4"
#: shared/clips/MANIFEST.md: counted over the sample's 12 s.
CADENCE_TRUTH = 168.9


def test_frames_a_pass_skipped_count_as_nobody_found() -> None:
    """A hold with a stretch nobody analysed counts only the analysed time."""
    series, _ = plank_series(((20.0, 0.0),))
    full = analyze_pose(series, "plank").metrics["hold_s"].value
    t = series.t_s
    hole = (t >= 8.0) & (t < 13.0)  # 5 s a stopped pass never reached
    holed = series.take(~hole).with_skipped_frames_absent()
    assert holed.n_frames == series.n_frames
    np.testing.assert_array_equal(holed.frame_index, series.frame_index)
    np.testing.assert_allclose(holed.t_s, series.t_s)
    assert not holed.present[hole].any() and holed.present[~hole].all()
    left = analyze_pose(holed, "plank").metrics["hold_s"].value
    # two holds either side of the hole: the hole's 5 s are not counted (the
    # analyzer may lose a frame or two at each edge of the hole)
    assert full - 5.0 - 4 / 30 <= left <= full - 5.0 + 1e-6


def test_checkpoints_carry_the_results_so_far() -> None:
    """In-process: partial reports arrive while the clip is analysed, each marked
    partial with the stretches not analysed yet, and measure what they cover."""
    got: list[Report] = []
    settings = Settings(cache_landmarks=False, checkpoint_every_s=1.0, pose_workers=1)
    final = analyze(SAMPLE, "run", settings, checkpoint=got.append)
    assert not final.partial
    assert got, "no checkpoint in a pass of several seconds"
    for r in got:
        assert r.partial
        (note,) = [w for w in r.warnings if w.code == "interrupted"]
        assert r.pose.frames_total <= final.pose.frames_total
        if r.pose.frames_total < final.pose.frames_total:
            # what is not analysed yet runs to the end of the clip
            assert note.ranges_s[-1][1] == pytest.approx(final.source.duration_s)
        else:  # a checkpoint taken as the last frame came in: nothing left out
            assert note.ranges_s == ()
    frames = [r.pose.frames_total for r in got]
    assert frames[0] < final.pose.frames_total
    assert frames == sorted(frames)  # each checkpoint covers more than the one before
    last = got[-1].metrics.get("cadence_spm")
    if last is not None and got[-1].series.duration_s >= 6.0:
        assert abs(last.value - CADENCE_TRUTH) <= 3.0


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg (install.sh --test)")
def test_killed_analysis_keeps_the_results_checkpointed(tmp_path: Path) -> None:
    """SIGKILL during `formcheck analyze` of a long clip: the history keeps a partial
    session with the metrics of the part analysed, not just its progress."""
    long_clip = tmp_path / "long_run.mp4"  # the sample three times: about 36 s
    subprocess.run(
        ["ffmpeg", "-v", "error", "-stream_loop", "2", "-i", str(SAMPLE), "-c", "copy", long_clip],
        check=True,
    )
    cfg = tmp_path / "fc.toml"
    cfg.write_text("checkpoint_every_s = 1.0\ncache_landmarks = false\n")
    db_path = tmp_path / "history.sqlite3"
    env = dict(os.environ, FORMCHECK_HOME=str(tmp_path / "home"))
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "formcheck.cli", "analyze", long_clip, "--activity", "run"),
            *("--config", cfg, "--db", db_path, "--out", tmp_path / "out", "--no-video", "--quiet"),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    sid = None
    with reaped(proc):
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.5)
            if not db_path.exists():
                continue
            with HistoryDB(db_path) as db:
                rows = db.list_sessions()
                rec = db.get_session(rows[0].id) if rows else None
            # kill once a checkpoint covers as many frames as the sample itself (its
            # truth is counted over 12 s; a few seconds give a rougher cadence)
            if rec is not None and rec.metrics.get("cadence_spm") and rec.frames_total >= 360:
                sid = rec.id
                break
        assert proc.poll() is None, "the analysis ended before a checkpoint was seen"
        assert sid is not None, "no checkpoint with a cadence over 360 frames within 300 s"
        sigkill(proc)
    assert proc.returncode == -signal.SIGKILL
    with HistoryDB(db_path) as db:
        assert db.recovered == [sid]
        rec = db.get_session(sid)
    assert rec.status == "partial" and rec.note == NOTE_CRASHED
    cadence = rec.metrics["cadence_spm"].value
    # the looped sample runs at its own cadence; 3 steps/min allows for the shorter
    # stretches of a partial pass (at most 1 step in 20 s) and the loop seams
    assert abs(cadence - CADENCE_TRUTH) <= 3.0
    assert rec.report_dict is not None and rec.report_dict["partial"]
    codes = [w["code"] for w in rec.report_dict["warnings"]]
    assert "interrupted" in codes
    assert rec.frames_total is not None and 0 < rec.frames_total < 3 * 360


def test_results_so_far_call_the_hole_not_analysed_not_absent() -> None:
    """A checkpoint of a plank whose middle the pass has not reached: the hold counts
    only analysed time, the hole is named as not analysed, and no notice says the
    person was out of view there (nobody looked)."""
    from formcheck.pipeline.analysis import _report
    from formcheck.report.model import PoseInfo
    from formcheck.video.reader import VideoInfo

    series, _ = plank_series(((20.0, 0.0),))
    t = series.t_s
    seen = series.take((t < 8.0) | (t >= 13.0))  # two segments' frames so far
    info = VideoInfo(
        Path("p.mp4"), 1, series.width, series.height, 30.0, 20.0, t.size, 0, False, "h264", "mp4"
    )
    pose = PoseInfo(seen.n_frames, int(seen.present.sum()))
    r = _report(Path("p.mp4"), info, "0" * 64, seen, None, pose, "plank", Settings())
    assert r.partial
    (note,) = [w for w in r.warnings if w.code == "interrupted"]
    assert note.ranges_s[0][0] == pytest.approx(8.0 - 1 / 30, abs=1e-6)
    assert note.ranges_s[0][1] == pytest.approx(13.0, abs=1e-6)
    assert not [w for w in r.warnings if w.code in ("person_absent", "gaps")]
    full = analyze_pose(series, "plank").metrics["hold_s"].value
    assert r.metrics["hold_s"].value <= full - 5.0 + 1e-6
