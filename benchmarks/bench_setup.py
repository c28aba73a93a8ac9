"""What the benchmark scripts share: the clips and their truths, the targets, the machine."""

from __future__ import annotations

import contextlib
import os
import platform
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_videos" / "run_treadmill_male_side.mp4"
SHARED_CLIPS = Path(os.environ.get("FORMCHECK_SHARED", REPO.parent / "shared")) / "clips"

#: Clips with a known truth (MANIFEST.md of shared/clips): activity to analyse
#: them as, the metric to read, the truth and its tolerance in the metric's unit.
TRUTHS: dict[str, dict[str, object]] = {
    "run_treadmill_male_side.mp4": {
        "activity": "run",
        "metric": "cadence_spm",
        "truth": 168.9,
        "tolerance": 0.5,
        "unit": "steps/min",
    },
    "glute_bridge_side_darebee.mp4": {
        "activity": "glute-bridge",
        "metric": "reps",
        "truth": 5,
        "tolerance": 0,
        "unit": "reps",
    },
    "plank_forearm_side_mrpose.mp4": {
        "activity": "plank",
        "metric": "hold_s",
        "truth": 6.9,
        "tolerance": 0.5,
        "unit": "s",
    },
}

#: Clips timed on 1 vs 2 pose workers, interleaved: a short 7 s clip, a typical 12 s
#: one and a 25 s one.
AB_CLIPS = (
    "plank_forearm_side_mrpose.mp4",
    "run_treadmill_male_side.mp4",
    "run_road_front_istock_divvi.mp4",
)

#: Issue 9 targets: name -> (figure key, comparison, limit).
TARGETS: dict[str, tuple[str, str, float]] = {
    "analyze + export >= 0.8 x landmarker-only (analysis+drawing+writing < 20 % on top)": (
        "end_to_end_over_landmarker",
        ">=",
        0.8,
    ),
    "analyze + export on the default path (both cores) >= 0.8 x one-core landmarker-only": (
        "default_end_to_end_over_landmarker",
        ">=",
        0.8,
    ),
    "analyze alone >= 0.8 x landmarker-only (no drawing/writing)": (
        "analyze_over_landmarker",
        ">=",
        0.8,
    ),
    "one clip on 2 cores >= 1.7 x one core": ("parallel_speedup", ">=", 1.7),
    "live p95 latency < 60 ms at 640x480": ("live_p95_ms_640x480", "<", 60.0),
    "peak RSS < 600 MB (analysing process)": ("peak_rss_mb", "<", 600.0),
    "peak RSS flat with clip length (10 min / 10 s <= 1.2)": ("rss_long_over_short", "<=", 1.2),
    "2 batch workers >= 1.7 x 1": ("batch_scaling", ">=", 1.7),
}


def activity_of(clip: Path) -> str:
    """The activity a clip is analysed as: its truth's, else recognised."""
    return str(TRUTHS.get(clip.name, {}).get("activity", "auto"))


def load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine() -> dict[str, object]:
    """Facts about this machine (CPU model, cores, memory, versions)."""
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem_gb = round(kb / 1024**2, 1)
    from formcheck.pipeline.analysis import versions

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions(),
        "load_at_start": load_avg(),
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
