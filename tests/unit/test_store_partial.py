"""Partial sessions in the history (issue 21): the analysed time of a stopped
two-segment pass, and empty partial sessions left by a kill."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from formcheck.pipeline.analysis import _report
from formcheck.report.model import PoseInfo
from formcheck.settings import Settings
from formcheck.store.db import HistoryDB
from formcheck.store.recording import AnalysisRecording
from formcheck.store.writes import NOTE_CRASHED
from formcheck.video.reader import VideoInfo
from tests.fixtures.store import MODEL_SHA, clip_sha, make_report
from tests.fixtures.synthetic_gait import run_series


def kill(db: HistoryDB, sid: int) -> None:
    """Pretend the session's process was killed (its owner no longer exists)."""
    db._c().execute(
        "UPDATE sessions SET owner = ? WHERE id = ?",
        (f"{socket.gethostname()}:{2**22 + 12345}:1", sid),
    )


def _two_segment_partial(duration_s: float, spans: tuple[tuple[float, float], ...]):
    """The results so far of a parallel pass stopped early: each segment analysed
    its own stretch (``spans``) of a ``duration_s`` clip, with a hole between."""
    full = run_series(duration_s=duration_s, fps=30.0).series
    keep = np.zeros(full.n_frames, bool)
    for a, b in spans:
        keep |= (full.t_s >= a) & (full.t_s < b)
    series = full.take(keep)
    info = VideoInfo(
        path=Path("/clips/long.mp4"),
        size_bytes=123_456,
        width=full.width,
        height=full.height,
        fps_nominal=30.0,
        duration_s=duration_s,
        frame_count=int(duration_s * 30),
        rotation_deg=0,
        vfr=False,
        codec="h264",
        container="mp4",
    )
    pose = PoseInfo(series.n_frames, int(series.present.sum()), MODEL_SHA)
    report = _report(
        info.path, info, clip_sha(21), series, None, pose, "run", Settings(cache_landmarks=False)
    )
    return series, report


def test_partial_two_segment_session_stores_the_analysed_stretches(db_path: Path) -> None:
    """Two segments stopped early (0-10.5 s and 30-40.5 s of a 60 s clip): the
    session's analysed seconds are the two stretches together (about 21 s), not
    the span from the first to the last frame (40.5 s) nor the clip's length."""
    spans = ((0.0, 10.5), (30.0, 40.5))
    series, report = _two_segment_partial(60.0, spans)
    assert report.partial
    # what was really analysed: each stretch from its first to its last frame
    stretches = [series.t_s[(series.t_s >= a) & (series.t_s < b)] for a, b in spans]
    analysed = sum(float(s[-1] - s[0]) for s in stretches)
    frame = 1 / 30
    with HistoryDB(db_path) as db:
        sid = db.add_report(report)
        rec = db.get_session(sid)
        (summary,) = db.list_sessions()
        export = db.export("csv", table="sessions")
    assert rec.status == "partial"
    assert rec.analysed_s == pytest.approx(analysed, abs=2 * frame)
    assert summary.analysed_s == pytest.approx(analysed, abs=2 * frame)
    assert f",{rec.analysed_s!r}," in export
    # the report (and the stored one, shown by the app) says the same
    assert report.source.analysed_s == pytest.approx(analysed, abs=2 * frame)
    assert rec.report_dict["source"]["analysed_s"] == pytest.approx(analysed, abs=2 * frame)


def test_analysed_time_survives_the_progress_checkpoints(db_path: Path) -> None:
    """A checkpoint of the results so far, then the kill: the next open keeps the
    session partial with the stretches' seconds."""
    series, report = _two_segment_partial(60.0, ((0.0, 9.0), (30.0, 39.0)))
    with HistoryDB(db_path) as db:
        sid = db.begin_session("run", source_path="/clips/long.mp4")
        db.add_progress(sid, frames_done=series.n_frames, report=report)
        kill(db, sid)
    with HistoryDB(db_path) as db:
        rec = db.get_session(sid)
    assert rec.status == "partial" and rec.note == NOTE_CRASHED
    assert rec.analysed_s == pytest.approx(18.0, abs=0.1)


# ---------------------------------------------------------------------------------------
def _killed_before_first_checkpoint(db: HistoryDB, path: str) -> int:
    """A clip analysis started (as ``analyse_clip`` starts one: by path) and killed
    before it stored anything."""
    sid = db.begin_session("run", source_path=path, settings=Settings())
    kill(db, sid)
    return sid


def test_empty_partial_session_is_replaced_by_the_complete_run(db_path: Path) -> None:
    clip = "/clips/run_1.mp4"  # make_report(1)'s clip
    with HistoryDB(db_path) as db:
        empty = _killed_before_first_checkpoint(db, clip)
        other = _killed_before_first_checkpoint(db, "/clips/another.mp4")
    with HistoryDB(db_path) as db:
        assert sorted(db.recovered) == [empty, other]
        assert db.get_session(empty).status == "partial"
        # the same clip analysed to the end, through the recording API
        with AnalysisRecording(db_path, "run", source_path=clip, settings=Settings()) as rec:
            done = rec.save(make_report(1))
        assert done is not None
        ids = {s.id: s.status for s in db.list_sessions()}
        assert empty not in ids, "the empty partial session of this clip is replaced"
        assert ids[done] == "complete"
        assert ids[other] == "partial", "another clip's session is not touched"
        # a partial session WITH results is kept when the complete run comes
        part = db.add_report(make_report(2, partial=True, decoded_s=8.0))
        again = db.add_report(make_report(2, cadence=170.0), settings=Settings(max_gap_s=0.3))
        assert {part, again} <= {s.id for s in db.list_sessions()}


def test_trend_leaves_out_sessions_with_no_metrics(db_path: Path) -> None:
    with HistoryDB(db_path) as db:
        empty = _killed_before_first_checkpoint(db, "/clips/never_analysed.mp4")
    with HistoryDB(db_path) as db:
        assert db.recovered == [empty]
        full = db.add_report(make_report(3))
        trend = db.trend(activity="run")
        assert [p.session_id for p in trend.points] == [full]
        assert [p.session_id for p in db.trend(["cadence_spm"], "run").points] == [full]
