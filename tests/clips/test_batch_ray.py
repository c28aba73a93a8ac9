"""``formcheck batch --executor ray`` on a real Ray cluster on this machine.

A head and a worker node (two raylets, one CPU each: tests/fixtures/ray_cluster.py)
analyse two short real clips, read in place, with no annotated video; the same
clips through the local executor give the reference. Both Ray ways of reaching a
clip are run: by path (this cluster shares the file system, so ``auto`` reads in
place) and by bytes (``ship="bytes"``, as a cluster without a shared disk would).
The results (activity, metrics with reps and statuses, findings) must be the same,
the files in the driver's out folders, the sessions in the driver's one history.

A last run with one actor stops after the first clip: the other comes back stopped.

Cost: about two minutes on 2 cores (the pose model runs for every clip of the
three batches: the landmark cache is off; the cluster starts in about 20 s).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import math
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.fixtures.clips import IN_CI, REPO, clip_path

pytestmark = [pytest.mark.clips, pytest.mark.slow]

CLIPS = ("plank_trajnovd.mp4", "glute_bridge_side_darebee.mp4")


def _ray_or_skip() -> None:
    """Skip without Ray (outside CI). Ray is not imported here: it reads its
    authentication settings from the environment when first imported."""
    if importlib.util.find_spec("ray") is None:
        if IN_CI:  # CI installs the cluster extra (scripts/install.sh --test)
            raise ImportError("ray is missing: scripts/install.sh --test installs it")
        pytest.skip("ray not installed (pip install 'formcheck[cluster]')")


def _batch(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "formcheck.cli", "batch", *map(str, args)],
        cwd=REPO,
        env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0", **(env or {})},
        capture_output=True,
        text=True,
        timeout=480,
    )


def _results(out: Path) -> dict[str, dict[str, object]]:
    """Per clip: what its report says (the numbers, not where it ran)."""
    rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text())))
    got = {}
    for row in rows:
        assert row["status"] == "ok", row
        report = json.loads(((out / row["report"]).parent / "report.json").read_text())
        got[Path(row["clip"]).name] = {
            "activity": report["activity"],
            "metrics": {
                k: (m["value"], m["n"], m.get("status"), m["confidence"])
                for k, m in report["metrics"].items()
            },
            "findings": [(f["cue"], f["status"], f["metric"]) for f in report["findings"]],
            "frames": report["pose"]["frames_with_pose"],
            "source": report["source"]["path"],
        }
    return got


def _same(got: dict[str, dict[str, object]], want: dict[str, dict[str, object]]) -> None:
    """The same clips, activities, findings and statuses, the same reps (counts), and
    the same metric values up to MediaPipe's last digits (two processes can differ in
    the 4th significant digit: a landmark off by a float rounding)."""
    assert sorted(got) == sorted(want)
    for clip, g in got.items():
        w = want[clip]
        assert {k: v for k, v in g.items() if k != "metrics"} == {
            k: v for k, v in w.items() if k != "metrics"
        }, clip
        assert sorted(g["metrics"]) == sorted(w["metrics"]), clip  # type: ignore[arg-type]
        for name, (value, n, status, conf) in g["metrics"].items():  # type: ignore[attr-defined]
            w_value, w_n, w_status, w_conf = w["metrics"][name]  # type: ignore[index]
            assert (n, status, conf) == (w_n, w_status, w_conf), (clip, name)
            if name == "reps" or value is None or w_value is None:
                assert value == w_value, (clip, name)
            else:
                assert math.isclose(value, w_value, rel_tol=1e-3, abs_tol=1e-3), (clip, name)


def _sessions(db: Path) -> dict[str, tuple[str, str]]:
    from formcheck.store.db import HistoryDB

    with HistoryDB(db) as h:
        return {Path(s.source_path or "").name: (s.status, s.activity) for s in h.list_sessions()}


def test_ray_cluster_gives_the_local_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ray_or_skip()
    from formcheck.pipeline.batch_run import run_batch
    from formcheck.pipeline.clip import ClipJob
    from formcheck.pipeline.executor_ray import RayExecutor
    from formcheck.settings import Settings
    from tests.fixtures.ray_cluster import local_ray_cluster

    clips = [clip_path(name) for name in CLIPS]
    config = tmp_path / "settings.toml"  # the pose model runs in every batch (no cache)
    config.write_text(f'cache_landmarks = false\ncache_dir = "{tmp_path / "cache"}"\n')
    common = ("--no-video", "--config", config, "--quiet")

    local = _batch(*clips, "--out", tmp_path / "local", "--db", tmp_path / "local.db", *common)
    assert local.returncode == 0, local.stderr
    want = _results(tmp_path / "local")
    assert sorted(want) == sorted(CLIPS)
    assert any("reps" in r["metrics"] for r in want.values())  # reps are compared too

    with local_ray_cluster(pythonpath=str(REPO)) as cluster:
        by_path = _batch(
            *clips,
            "--out",
            tmp_path / "ray",
            "--db",
            tmp_path / "ray.db",
            "--executor",
            "ray",
            "--address",
            cluster.address,
            *common,
            env=cluster.env,
        )
        assert by_path.returncode == 0, by_path.stderr

        # as a cluster without a shared file system: the clips travel as bytes
        for key, value in cluster.env.items():  # this process is the driver now
            monkeypatch.setenv(key, value)
        executor = RayExecutor(0, cluster.address, ship="bytes")
        settings = Settings.from_toml(config)
        result = run_batch(
            clips, tmp_path / "bytes", settings, executor, draw_video=False, db=tmp_path / "b.db"
        )
        assert executor.workers == 2  # one actor per node's CPU, one on each node
        assert len(set(executor.nodes)) == 2
        assert not result.problems

        # stop after the first clip (one actor): the other comes back stopped, once
        jobs = [
            ClipJob(c, "auto", tmp_path / "stop" / c.stem, draw_video=False, save=False)
            for c in clips
        ]
        stop = threading.Event()
        seen = []
        for i, outcome in RayExecutor(1, cluster.address).run(jobs, settings, stop):
            seen.append((i, outcome.stopped, outcome.report is not None))
            stop.set()
        assert seen == [(0, False, True), (1, True, False)]

    for out, db in (("ray", "ray.db"), ("bytes", "b.db")):
        got = _results(tmp_path / out)
        _same(got, want)
        for name, r in got.items():
            assert r["source"] == str(clip_path(name))
            folder = (tmp_path / out).glob(f"**/{Path(name).stem}*/report.html")
            assert list(folder), (out, name)  # the worker's files, in the driver's folder
        sessions = _sessions(tmp_path / db)
        assert sessions == {n: ("complete", want[n]["activity"]) for n in CLIPS}, out


def test_no_cluster_at_the_address_says_what_to_do(tmp_path: Path) -> None:
    """A clear error, quickly, when nothing answers at --address (exit 1, no traceback)."""
    _ray_or_skip()
    from tests.fixtures.processes import free_port

    proc = _batch(
        clip_path(CLIPS[0]),
        "--out",
        tmp_path / "out",
        "--executor",
        "ray",
        "--address",
        f"127.0.0.1:{free_port()}",
        "--quiet",
    )
    assert proc.returncode == 1, proc.stderr
    assert "No Ray cluster answers at 127.0.0.1:" in proc.stderr
    assert "ray start --head" in proc.stderr
    assert "Traceback" not in proc.stderr
