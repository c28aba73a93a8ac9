"""`formcheck analyze a b ... --jobs 2`: clips shared between two processes.

Truths (shared/clips/MANIFEST.md): the glute bridge clip has exactly 5 reps; the
plank clip holds for 6.9 s (± 0.5 s, the hold's edges are judged by eye).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, clip_path
from tests.processes import reaped

pytestmark = pytest.mark.clips

BRIDGE = "glute_bridge_side_darebee.mp4"
PLANK = "plank_forearm_side_mrpose.mp4"
BRIDGE_REPS = 5
PLANK_HOLD_S, PLANK_HOLD_TOL_S = 6.9, 0.5
ROAD = "run_road_front_istock_divvi.mp4"


def _cli(*args: object) -> list[str]:
    return [sys.executable, "-m", "formcheck.cli", "analyze", *map(str, args)]


def _metric(report_json: Path, name: str) -> float:
    return float(json.loads(report_json.read_text())["metrics"][name]["value"])


def test_two_jobs_give_each_clip_its_results_in_the_order_given(tmp_path: Path) -> None:
    """The bridge is the longer clip, so it is handed out first, yet the plank's
    results are printed first, as given; both match their truths."""
    out = tmp_path / "out"
    bridge_clip, plank_clip = clip_path(BRIDGE), clip_path(PLANK)
    res = subprocess.run(
        _cli(
            plank_clip, bridge_clip, "--jobs", 2, "--no-save", "--no-video", "--quiet", "--out", out
        ),
        capture_output=True,
        text=True,
        cwd=REPO,
        env=dict(os.environ),
        timeout=300,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert "Traceback" not in res.stderr
    reports = [
        ln.split(": ", 1)[1] for ln in res.stdout.splitlines() if ln.startswith("report_json")
    ]
    assert [Path(r).parent.name for r in reports] == [Path(PLANK).stem, Path(BRIDGE).stem]
    bridge, plank = out / Path(BRIDGE).stem, out / Path(PLANK).stem
    assert _metric(bridge / "report.json", "reps") == BRIDGE_REPS
    assert abs(_metric(plank / "report.json", "hold_s") - PLANK_HOLD_S) <= PLANK_HOLD_TOL_S


@pytest.mark.parametrize("jobs", [2, 1])
def test_ctrl_c_stops_a_batch_and_keeps_what_was_analysed(tmp_path: Path, jobs: int) -> None:
    """Ctrl-C (SIGINT to the terminal's process group) while ``jobs`` clips are being
    analysed: they stop and are kept as partial history sessions, the clips after
    them are never started, and the command says "stopped" (exit 130) without a
    traceback. One at a time too: the batch does not go on to the next clip."""
    from formcheck.store import HistoryDB

    db_path = tmp_path / "history.sqlite3"
    # longest first, as given (about 33 s, 25 s and 10 s of video)
    clips = [clip_path("squat_crossfit_front_side_mrpose.mp4"), clip_path(ROAD), clip_path(BRIDGE)]
    proc = subprocess.Popen(
        _cli(*clips, "--jobs", jobs, "--no-video", "--db", db_path, "--out", tmp_path),
        cwd=REPO,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job
    )
    with reaped(proc):
        deadline = time.monotonic() + 120
        # Both clips some seconds in (a clip stopped after a frame or two has nothing
        # usable to keep, and its session is dropped instead).
        running: list[int] = []
        while time.monotonic() < deadline and proc.poll() is None and len(running) < jobs:
            time.sleep(0.3)
            if db_path.exists():
                with HistoryDB(db_path) as db:
                    ids = [s.id for s in db.list_sessions(status="running")]
                    running = [i for i in ids if (db.get_session(i).frames_done or 0) >= 90]
        assert len(running) == jobs, f"not {jobs} clip(s) being analysed at once"
        os.killpg(proc.pid, signal.SIGINT)
        _out, err = proc.communicate(timeout=180)
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err, err[-3000:]
    assert [ln for ln in err.splitlines() if ln.strip()][-1] == "formcheck: stopped."
    with HistoryDB(db_path) as db:
        sessions = [db.get_session(s.id) for s in db.list_sessions()]
    kept = {Path(s.source_path or "").name: s.status for s in sessions}
    assert kept == {Path(c).name: "partial" for c in clips[:jobs]}, kept
    for rec in sessions:  # saved by the stopped analysis itself, with what it covered
        assert rec.report_dict is not None and rec.report_dict["partial"], rec.note
        assert "interrupted" in [w["code"] for w in rec.report_dict["warnings"]]
