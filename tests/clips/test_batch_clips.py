"""``formcheck batch`` on real clips: every shared clip plus bad files, a batch killed
and resumed, same-named clips, and the worker's one landmarker.

Cost: the first test runs the pose model over every clip of ../shared/clips once
(about 11 000 frames, 2-3 minutes on 2 cores with the landmark cache cold; the
other clip tests then find their landmarks in the session's cache). The resume
test analyses four short clips with the cache off (about a minute and a half,
most of it three worker start-ups).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.fixtures.clips import CLIPS, REPO, clip_path

pytestmark = pytest.mark.clips

SHORT = (  # about 7-11 s each, small frames first
    "plank_trajnovd.mp4",
    "jumping_jacks_ahmedlila.mp4",
    "glute_bridge_side_darebee.mp4",
    "high_knees_venkat.mp4",
)


def _batch(*args: object) -> list[str]:
    return [sys.executable, "-m", "formcheck.cli", "batch", *map(str, args)]


def _summary(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / "summary.csv").read_text())))


def _log(out: Path) -> list[dict[str, object]]:
    path = out / "batch-log.jsonl"
    if not path.is_file():
        return []
    return [json.loads(ln) for ln in path.read_text().splitlines() if ln.endswith("}")]


def _check_rows_match_reports(out: Path, rows: list[dict[str, str]]) -> None:
    """Every analysed row says what its clip's report.json says."""
    from formcheck.activities import headline

    for row in rows:
        if row["status"] not in ("ok", "skipped-already-done"):
            continue
        report = json.loads(((out / row["report"]).parent / "report.json").read_text())
        assert not report["partial"], row["clip"]
        assert Path(report["source"]["path"]).name == Path(row["clip"]).name
        assert row["activity"] == report["activity"]
        flagged = [f["message"] for f in report["findings"] if f["status"] == "flag"]
        assert row["top_finding"] == (flagged[0] if flagged else "")
        names = [n for n in headline(report["activity"]) if n in report["metrics"]]
        assert names, row["clip"]  # the main metrics are there
        for name in names:
            value = report["metrics"][name]["value"]
            assert (float(row[name]) if row[name] else None) == value, (row["clip"], name)


def test_every_shared_clip_and_bad_files(tmp_path: Path) -> None:
    """Every good clip reported with its report's values; every bad file skipped with
    its reason; the batch goes on past them."""
    good = sorted(p.name for p in CLIPS.glob("*.mp4"))
    if not good:
        clip_path("plank_trajnovd.mp4")  # skips (or fails in CI) without the clips
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.mp4").write_bytes(b"")
    (bad / "notes.mp4").write_text("not a video, just text renamed .mp4\n")
    # its moov atom (the index) is at the end: cut in half, as by a camera that died
    whole = clip_path("run_treadmill_male_side.mp4").read_bytes()
    (bad / "truncated.mp4").write_bytes(whole[: len(whole) // 2])
    out = tmp_path / "out"
    res = subprocess.run(
        _batch(CLIPS, bad, "--out", out, "--no-video", "--workers", 2, "--db", tmp_path / "h.db"),
        capture_output=True,
        text=True,
        cwd=REPO,
        env=dict(os.environ),
        timeout=900,
    )
    assert res.returncode == 1, res.stderr[-3000:]  # 1: some clips failed
    assert "Traceback" not in res.stderr, res.stderr[-3000:]
    rows = {Path(r["clip"]).name: r for r in _summary(out)}
    assert set(rows) == {*good, "empty.mp4", "notes.mp4", "truncated.mp4"}
    for name in good:
        assert rows[name]["status"] == "ok", (name, rows[name]["reason"])
    for name in ("empty.mp4", "notes.mp4", "truncated.mp4"):
        assert rows[name]["status"] == "failed" and rows[name]["reason"], rows[name]
        assert name in res.stderr  # its line says why
    assert "empty" in rows["empty.mp4"]["reason"].lower()
    _check_rows_match_reports(out, list(rows.values()))
    html = (out / "summary.html").read_text()
    assert all(f'href="{r["report"]}"' in html for r in rows.values() if r["report"])


def _wait_for_ok(proc: subprocess.Popen, out: Path, n_ok: int, timeout_s: float = 300) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        if sum(e.get("status") == "ok" for e in _log(out)) >= n_ok:
            return
        time.sleep(0.2)
    raise AssertionError(f"no {n_ok} clip(s) done in time (exit {proc.poll()})")


def test_a_killed_batch_goes_on_where_it_stopped(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the batch) after one clip, SIGKILL of everything after the
    next, then the same command to the end: every clip analysed once, none lost,
    the summary complete and equal to the reports."""
    clips = tmp_path / "clips"
    clips.mkdir()
    for name in SHORT:
        (clips / name).symlink_to(clip_path(name))
    config = tmp_path / "settings.toml"  # the pose model runs each time (no cache)
    config.write_text(f'cache_landmarks = false\ncache_dir = "{tmp_path / "cache"}"\n')
    out = tmp_path / "out"
    cmd = _batch(
        clips,
        "--out",
        out,
        "--workers",
        1,
        "--no-video",
        "--config",
        config,
        "--db",
        tmp_path / "h.db",
    )

    def start() -> subprocess.Popen:  # type: ignore[type-arg]
        return subprocess.Popen(
            cmd,
            cwd=REPO,
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

    proc = start()
    try:
        _wait_for_ok(proc, out, 1)
        proc.send_signal(signal.SIGINT)  # the batch only, as `kill -INT`
        _, err = proc.communicate(timeout=180)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    after_stop = [r["status"] for r in _summary(out)]
    assert after_stop.count("ok") >= 1 and "pending" not in after_stop, after_stop
    assert set(after_stop) <= {"ok", "stopped"}, after_stop

    proc = start()
    try:
        _wait_for_ok(proc, out, after_stop.count("ok") + 1)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # a crash: driver and workers at once
        proc.wait()
    assert len(_summary(out)) == len(SHORT)  # the summary of what was done survives

    res = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    rows = _summary(out)
    assert sorted(Path(r["clip"]).name for r in rows) == sorted(SHORT)
    assert {r["status"] for r in rows} <= {"ok", "skipped-already-done"}, rows
    oks: dict[str, int] = {}
    for e in _log(out):
        if e.get("status") == "ok":
            oks[str(e["clip"])] = oks.get(str(e["clip"]), 0) + 1
    assert all(n == 1 for n in oks.values()), oks  # never analysed twice
    last_run = {r["clip"] for r in rows if r["status"] == "ok"}
    assert len(oks) >= len(SHORT) - 1 and last_run <= set(oks), (oks, last_run)
    _check_rows_match_reports(out, rows)


def test_same_named_clips_in_different_folders_keep_their_own_results(tmp_path: Path) -> None:
    clips = tmp_path / "clips"
    for folder, name in (("monday", SHORT[0]), ("tuesday", SHORT[2])):
        (clips / folder).mkdir(parents=True)
        (clips / folder / "IMG_0001.mp4").symlink_to(clip_path(name))
    out = tmp_path / "out"
    res = subprocess.run(
        _batch(
            clips,
            "--recursive",
            "--out",
            out,
            "--no-video",
            "--workers",
            1,
            "--db",
            tmp_path / "h.db",
        ),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    rows = {r["clip"]: r for r in _summary(out)}
    assert set(rows) == {"monday/IMG_0001.mp4", "tuesday/IMG_0001.mp4"}
    for day in ("monday", "tuesday"):
        report = json.loads((out / day / "IMG_0001_mp4" / "report.json").read_text())
        assert report["source"]["path"] == str(clips / day / "IMG_0001.mp4")
    assert rows["monday/IMG_0001.mp4"]["activity"] == "plank"
    assert rows["tuesday/IMG_0001.mp4"]["activity"] == "glute-bridge"
    _check_rows_match_reports(out, list(rows.values()))


def test_a_worker_loads_its_landmarker_once(tmp_path: Path) -> None:
    """Two clips through one ClipWorker: one landmarker made; the second clip's
    landmarks are a fresh landmarker's within a pixel (see formcheck.pose.pool)."""
    from formcheck.pipeline.landmarks import estimate_landmarks
    from formcheck.pipeline.worker import ClipWorker
    from formcheck.settings import Settings

    settings = Settings(cache_landmarks=False, cache_dir=tmp_path / "cache", pose_workers=1)
    worker = ClipWorker(settings)
    first, second = clip_path(SHORT[0]), clip_path(SHORT[2])
    try:
        estimate_landmarks(first, worker.settings, estimators=worker.estimators)
        reused, _, _ = estimate_landmarks(second, worker.settings, estimators=worker.estimators)
        assert worker.landmarkers_made == 1
    finally:
        worker.close()
    fresh, _, _ = estimate_landmarks(second, worker.settings)
    assert reused.n_frames == fresh.n_frames
    assert np.array_equal(reused.present, fresh.present)
    diff = np.abs(reused.xyzv[..., :2] - fresh.xyzv[..., :2])
    assert np.nanmax(diff) < 1.0
