"""Where the memory of an analysis goes after the pose pass, stage by stage.

``python benchmarks/memory_stages.py [--frames 360 18000] [--activity run] [--rss]``

The landmarks of the bundled sample (from the landmark cache, or one pose pass
of its 360 frames) are tiled to each length with increasing timestamps and
frame indices, the way ``ffmpeg -stream_loop`` makes the 10-minute memory clip
of ``benchmarks/bench.py``. Each stage then runs on them under :mod:`tracemalloc`
(NumPy reports its buffers to it), and prints

* ``peak``: the most memory the stage held at once above what existed before
  it (what it adds to the process's peak), and
* ``kept``: what it still holds when it returns (the next stage starts from it),

in MB for each length, and the marginal cost in **bytes per frame** between the
shortest and the longest length: ``(peak_long - peak_short) / (n_long - n_short)``.
A stage that is flat with clip length shows about 0 B/frame. For scale: the
landmarks themselves (float32 image (33, 4) + world (33, 3), float64 time and
int64 frame index) are 940 B per frame.

One run at the shortest length comes first and is not counted (imports and
caches would otherwise show as a cost of the short series). Work done in blocks
of bounded size (the filters, the spectral check, the leg-swap search: about
1 MB each) is a fixed cost, so it shows per frame only between lengths below
a few hundred frames.

``--rss`` measures the same stages by the process's resident size instead
(``VmHWM`` reset before each stage through ``/proc/self/clear_refs``; Linux
only; no tracemalloc overhead, but allocator reuse makes it coarser).
``--landmarks x.npz`` tiles another clip's landmarks (``PoseSeries.save_npz``).

Figures on the 2-core machine (tracemalloc, run, 360 vs 18000 frames), peak
bytes per frame before / after issue #9: run_core 9310 / 1129, result 656 / 265,
analyze_pose 9310 / 1129 (kept report 553 / 173), review 148 / 38, save_json
2791 / 129, store 1017 / 1049 (store.db encodes ``report.to_dict()`` at once),
export 1351 / 1351 (chart SVGs of report.plots, one marker per step).

Stages follow :func:`formcheck.pipeline.analyze_pose` and what the CLI does
after it: ``identity`` (pose.identity.keep_one_person), ``classify`` (only
with ``--activity auto``), ``analyzer`` (the activity's analyzer: for running
split into ``run_core`` -- smoothing, legs, view, events, steps -- and
``result`` -- metrics, cues, events, per-frame states, plots), ``report``
(Report.from_result), ``analyze_pose`` (the whole of it at once, from the
tiled series), ``review`` (the per-frame review index of report.review),
``to_json`` (the report JSON as one string), ``save_json`` (report.json as the CLI
writes it), ``store`` (saving to a fresh history file via
store.recording) and ``export`` (report.html without video).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from formcheck.pose.series import PoseSeries
from formcheck.settings import Settings

SAMPLE = Path(__file__).resolve().parents[1] / "sample_videos" / "run_treadmill_male_side.mp4"
MB = 1024.0 * 1024.0


def sample_landmarks(path: Path = SAMPLE) -> PoseSeries:
    """The sample's landmarks (landmark cache, else one pose pass)."""
    from formcheck.pipeline.landmarks import estimate_landmarks

    series, _, _ = estimate_landmarks(path, Settings(pose_workers=1))
    return series


def tile(series: PoseSeries, n_frames: int) -> PoseSeries:
    """``series`` repeated to ``n_frames`` frames, time and frame index continuing."""
    n = series.n_frames
    reps = -(-n_frames // n)
    dt = float(np.median(np.diff(series.t_s)))
    period = float(series.t_s[-1] - series.t_s[0]) + dt
    t = (series.t_s[None, :] - series.t_s[0] + period * np.arange(reps)[:, None]).ravel()
    return PoseSeries(
        np.tile(series.xyzv, (reps, 1, 1))[:n_frames],
        t[:n_frames],
        series.width,
        series.height,
        np.tile(series.world, (reps, 1, 1))[:n_frames],
        np.arange(n_frames, dtype=np.int64),
    )


class Meter:
    """Per-stage peak and kept bytes, by tracemalloc or by VmHWM/VmRSS."""

    def __init__(self, rss: bool) -> None:
        self.rss = rss
        if not rss:
            tracemalloc.start()

    @staticmethod
    def _status(key: str) -> int:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
        return 0

    def run(self, fn: Callable[[], Any]) -> tuple[Any, int, int]:
        """fn(), and the (peak, kept) bytes above the memory in use before it."""
        gc.collect()
        if self.rss:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")  # VmHWM := VmRSS
            before = self._status("VmRSS:")
            out = fn()
            peak = self._status("VmHWM:")
            gc.collect()
            kept = self._status("VmRSS:")
        else:
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            out = fn()
            peak = tracemalloc.get_traced_memory()[1]
            gc.collect()
            kept = tracemalloc.get_traced_memory()[0]
        return out, peak - before, kept - before


def measure(series: PoseSeries, activity: str, meter: Meter) -> dict[str, tuple[int, int]]:
    """Stage name -> (peak, kept) bytes for one series."""
    from formcheck import activities
    from formcheck.gait.analysis import result_from_core
    from formcheck.gait.core import run_core
    from formcheck.pipeline import analyze_pose
    from formcheck.pipeline.export import export_artifacts
    from formcheck.pose.identity import keep_one_person
    from formcheck.report.model import PoseInfo, Report, SourceInfo
    from formcheck.report.review import n_frames
    from formcheck.store.recording import AnalysisRecording

    settings = Settings()
    out: dict[str, tuple[int, int]] = {}

    def stage(name: str, fn: Callable[..., Any], *args: Any) -> Any:
        res, peak, kept = meter.run(partial(fn, *args))
        out[name] = (peak, kept)
        return res

    s = stage("identity", keep_one_person, series).series
    chosen = activity
    if activity == "auto":
        chosen = stage("classify", activities.classify, s, settings)[0]
    if chosen == "run":
        core = stage("run_core", run_core, s, settings)
        result = stage("result", result_from_core, core, settings)
        del core
    else:
        result = stage("analyzer", activities.get_analyzer(chosen), s, settings)
    source = SourceInfo(kind="landmarks", frames=s.n_frames, duration_s=s.duration_s)
    pose = PoseInfo(s.n_frames, int(s.present.sum()))
    stage("report", partial(Report.from_result, series=s), result, source, pose, [])
    del result, s
    report = stage("analyze_pose", analyze_pose, series, activity, settings)
    stage("review", n_frames, report)
    stage("to_json", lambda: len(report.to_json()))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stage("save_json", report.save_json, folder / "report.json")

        def save() -> int | None:
            rec = AnalysisRecording(folder / "history.db", activity)
            saved = rec.save(report)
            rec.close()
            return saved

        stage("store", save)
        stage("export", export_artifacts, report, folder / "out", None, True)
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--frames", type=int, nargs="+", default=[360, 18000])
    p.add_argument("--activity", default="run")
    p.add_argument("--rss", action="store_true", help="measure VmHWM/VmRSS, not tracemalloc")
    p.add_argument("--landmarks", type=Path, default=None, help="a PoseSeries .npz to tile")
    a = p.parse_args(argv)
    base = PoseSeries.load_npz(a.landmarks) if a.landmarks else sample_landmarks()
    meter = Meter(a.rss)
    lengths = sorted(a.frames)
    measure(tile(base, lengths[0]), a.activity, meter)  # imports and caches: not per frame
    results = {}
    for n in lengths:
        series = tile(base, n)
        results[n] = measure(series, a.activity, meter)
        del series
        gc.collect()
    how = "VmHWM/VmRSS" if a.rss else "tracemalloc"
    print(
        f"memory by stage ({how}), activity {a.activity}, MB; per frame between "
        f"{lengths[0]} and {lengths[-1]} frames"
    )
    head = "".join(f"{f'peak@{n}':>12}{f'kept@{n}':>12}" for n in lengths)
    print(f"{'stage':14}{head}{'peak B/frame':>14}{'kept B/frame':>14}")
    lo, hi = lengths[0], lengths[-1]
    for name in results[hi]:
        cells = "".join(
            f"{results[n][name][0] / MB:12.1f}{results[n][name][1] / MB:12.1f}" for n in lengths
        )
        dn = max(hi - lo, 1)
        pk = (results[hi][name][0] - results[lo][name][0]) / dn
        kp = (results[hi][name][1] - results[lo][name][1]) / dn
        print(f"{name:14}{cells}{pk:14.0f}{kp:14.0f}")


if __name__ == "__main__":
    main()
