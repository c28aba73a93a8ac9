"""`formcheck analyze a b ... --jobs 2`: clips shared between two processes.

Truths (shared/clips/MANIFEST.md, read by tests/fixtures/truths.py): the glute
bridge clip's exact rep count; the plank clip holds for its whole length (allowed
± 0.5 s: the hold's edges are judged by eye).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures import truths
from tests.fixtures.clips import REPO, clip_path

pytestmark = pytest.mark.clips

BRIDGE = "glute_bridge_side_darebee.mp4"
PLANK = "plank_forearm_side_mrpose.mp4"
PLANK_HOLD_TOL_S = 0.5
ROAD = "run_road_front_istock_divvi.mp4"


def _cli(*args: object) -> list[str]:
    return [sys.executable, "-m", "formcheck.cli", "analyze", *map(str, args)]


def _metric(report_json: Path, name: str) -> float:
    return float(json.loads(report_json.read_text())["metrics"][name]["value"])


def test_two_jobs_give_each_clip_its_results_in_the_order_given(tmp_path: Path) -> None:
    """The bridge is the longer clip, so it is handed out first, yet the plank's
    results are printed first, as given; both match their truths."""
    from formcheck.pipeline.batch import work_estimate

    out = tmp_path / "out"
    bridge_clip, plank_clip = clip_path(BRIDGE), clip_path(PLANK)
    assert work_estimate(bridge_clip) > work_estimate(plank_clip)  # the premise
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
    assert _metric(bridge / "report.json", "reps") == truths.clip(BRIDGE).count.value
    plank_hold_s = truths.clip(PLANK).hold_s.value
    assert abs(_metric(plank / "report.json", "hold_s") - plank_hold_s) <= PLANK_HOLD_TOL_S


CLIPS_LONGEST_FIRST = ("squat_crossfit_front_side_mrpose.mp4", ROAD, BRIDGE)  # 33, 25, 10 s


@contextlib.contextmanager
def _batch_running(tmp_path: Path, jobs: int) -> Iterator[tuple[subprocess.Popen, Path]]:  # type: ignore[type-arg]
    """``formcheck analyze`` of the three clips (longest first, as given) with
    ``--jobs``, in its own process group (as a terminal's job), once ``jobs`` clips
    are some seconds in (a clip stopped after a frame or two has nothing usable to
    keep, and its session is dropped instead). The whole group is killed at the end.

    The command gets a home of its own, so an empty landmark cache: landmarks that
    other tests of the session cached would make the pose pass instant, and the
    signal would land after it, in the export, instead of during it.

    "Some seconds in" is per pose thread: one clip at a time gets every core, and
    its pass runs as that many time segments at once, each of which must have
    analysed more than the activity's shortest clip (2.5 s) to be kept; 120 frames
    is 4-5 s of these clips. With several clips, each process has one thread."""
    from formcheck.pose.parallel import usable_cores
    from formcheck.store import HistoryDB

    frames_needed = 120 * (usable_cores() if jobs == 1 else 1)

    db_path = tmp_path / "history.sqlite3"
    clips = [clip_path(c) for c in CLIPS_LONGEST_FIRST]
    proc = subprocess.Popen(
        _cli(*clips, "--jobs", jobs, "--no-video", "--db", db_path, "--out", tmp_path),
        cwd=REPO,
        env=dict(os.environ, FORMCHECK_HOME=str(tmp_path / "home")),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        running: list[int] = []
        while time.monotonic() < deadline and proc.poll() is None and len(running) < jobs:
            time.sleep(0.3)
            if db_path.exists():
                with HistoryDB(db_path) as db:
                    ids = [s.id for s in db.list_sessions(status="running")]
                    running = [
                        i for i in ids if (db.get_session(i).frames_done or 0) >= frames_needed
                    ]
        assert len(running) == jobs, f"not {jobs} clip(s) being analysed at once"
        yield proc, db_path
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # workers too, whatever happened
        proc.wait()


@pytest.mark.parametrize(
    ("jobs", "stop"), [(2, "ctrl-c"), (1, "ctrl-c"), (2, "sigterm")], ids=["2", "1", "2-sigterm"]
)
def test_ctrl_c_stops_a_batch_and_keeps_what_was_analysed(
    tmp_path: Path, jobs: int, stop: str
) -> None:
    """Ctrl-C (SIGINT to the terminal's process group) while ``jobs`` clips are being
    analysed: they stop and are kept as partial history sessions (and say so), the
    clips after them are never started, and the command says "stopped" (exit 130)
    without a traceback. One at a time too: the batch does not go on to the next clip.
    SIGTERM to the command alone (a service manager stopping it) does the same with
    processes: the workers are stopped by the command, not by a signal of their own."""
    from formcheck.store import HistoryDB

    with _batch_running(tmp_path, jobs) as (proc, db_path):
        if stop == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=180)
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err, err[-3000:]
    assert [ln for ln in err.splitlines() if ln.strip()][-1] == "formcheck: stopped."
    with HistoryDB(db_path) as db:
        sessions = [db.get_session(s.id) for s in db.list_sessions()]
    kept = {Path(s.source_path or "").name: s.status for s in sessions}
    assert kept == {c: "partial" for c in CLIPS_LONGEST_FIRST[:jobs]}, kept
    for rec in sessions:  # saved by the stopped analysis itself, with what it covered
        assert rec.report_dict is not None and rec.report_dict["partial"], rec.note
        assert "interrupted" in [w["code"] for w in rec.report_dict["warnings"]]
        assert f"saved to history as partial session {rec.id}" in out, out[-2000:]


def _workers(pid: int) -> list[int]:
    """The batch's worker processes (children started by multiprocessing's spawn)."""
    kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(k) for k in kids if b"spawn_main" in Path(f"/proc/{k}/cmdline").read_bytes()]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_a_worker_that_dies_is_reported_for_every_clip_it_takes_down(tmp_path: Path) -> None:
    """A worker process killed mid-clip (as the out-of-memory killer does) breaks the
    pool: every clip not finished gets one line saying so and what to do, the exit
    code is 1 (failed), not 130 (stopped), and there is no traceback."""
    with _batch_running(tmp_path, 2) as (proc, _db):
        workers = _workers(proc.pid)
        assert len(workers) == 2, workers
        os.kill(workers[0], signal.SIGKILL)
        _out, err = proc.communicate(timeout=180)
    assert proc.returncode == 1, err[-2000:]
    assert "Traceback" not in err and "stopped." not in err, err[-3000:]
    lines = [ln for ln in err.splitlines() if "stopped unexpectedly" in ln]
    assert [ln.split(": ")[1] for ln in lines] == list(CLIPS_LONGEST_FIRST), lines
