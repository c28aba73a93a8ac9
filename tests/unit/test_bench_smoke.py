"""The quick benchmark runs and reports its figures (speed is never asserted)."""

from __future__ import annotations

import json
import math

import pytest

from benchmarks import bench, bench_clip


def test_quick_bench_runs_and_writes_its_figures(tmp_path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "bench.json"
    assert bench.main(["--quick", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "formcheck bench (quick)" in printed and "live   640x480" in printed
    res = json.loads(out.read_text())
    assert res["mode"] == "quick"
    assert len(res["machine"]["load_at_start"]) == 3 and res["machine"]["cores"] >= 1
    (row,) = res["clips"]
    assert row["frames"] == 45 and row["decode_frames"] == 90
    for key in ("decode_fps", "landmarker_fps", "pose_pass_fps", "analysis_s"):
        assert math.isfinite(row[key]) and row[key] > 0, key
    (live,) = res["live"]
    assert live["frames"] == 15 and 0 < live["p50_ms"] <= live["p95_ms"]


def test_targets_are_reported_met_or_not_from_the_figures() -> None:
    results = {
        "clips": [
            {"analyze_over_landmarker": 0.9, "parallel_speedup": 1.5},
            {"analyze_over_landmarker": 0.7, "parallel_speedup": 1.9},
            {"analyze_over_landmarker": 0.85, "parallel_speedup": 1.6},
        ],
        "live": [{"size": "640x480", "p95_ms": 61.0}],
        "memory": {"short": {"rss_mb": 300.0}, "long": {"rss_mb": 330.0}},
        "batch": {"batch_scaling": 1.8},
    }
    t = bench.summarize(results)["targets"]
    by_key = {bench.TARGETS[name][0]: v for name, v in t.items()}
    assert by_key["analyze_over_landmarker"] == {"value": 0.85, "met": True}  # median
    assert by_key["parallel_speedup"] == {"value": 1.6, "met": False}
    assert by_key["live_p95_ms_640x480"]["met"] is False
    assert by_key["peak_rss_mb"] == {"value": 330.0, "met": True}
    assert by_key["rss_long_over_short"] == {"value": 1.1, "met": True}
    assert by_key["batch_scaling"]["met"] is True


def test_missing_figures_are_not_applicable() -> None:
    t = bench.summarize({"clips": []})["targets"]
    assert all(v == {"value": None, "met": None} for v in t.values())


def test_one_core_holds_the_threads_it_starts_to_one_cpu_and_restores() -> None:
    """The pinned one-worker figure must really be on one CPU: the calling thread and
    the threads started inside (FFmpeg's, MediaPipe's) see one CPU; afterwards all."""
    import os
    import threading

    before = os.sched_getaffinity(0)
    if len(before) < 2:
        pytest.skip("one usable CPU: nothing to pin")
    seen: list[set[int]] = []
    with bench_clip.one_core() as pinned:
        th = threading.Thread(target=lambda: seen.append(os.sched_getaffinity(0)))
        th.start()
        th.join()
        inside = os.sched_getaffinity(0)
    assert pinned and len(inside) == 1 and seen == [inside]
    assert os.sched_getaffinity(0) == before
