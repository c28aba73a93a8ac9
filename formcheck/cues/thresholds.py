"""Every threshold formcheck judges form by: value, unit, source. The only place.

Sources: the articles behind the coaching-cue notes (shared/docs) ([A0]..[A4]) and the
biomechanics literature cited there. ``heuristic=True`` marks a cut-off with no
validated number behind it (the report says so). Users override any value by
name from TOML (``[thresholds] cadence_low_spm = 165``) via :func:`with_overrides`.

Pose-model error sets a floor under every angle tolerance: 2-D single-camera
joint angles are within about 5-8 deg RMSE of motion capture (Van Hooren et al.
2023), so no angle cut-off here is tighter than about 10 deg from its target.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

from formcheck.cues.threshold import Threshold
from formcheck.cues.thresholds_exercises import EXERCISES
from formcheck.cues.thresholds_floor import FLOOR
from formcheck.cues.thresholds_running import RUNNING
from formcheck.cues.thresholds_stretches import STRETCH_THRESHOLDS
from formcheck.cues.thresholds_warmup import WARMUP

__all__ = ["THRESHOLDS", "Threshold", "value", "with_overrides"]


_ALL: tuple[Threshold, ...] = (
    *RUNNING,
    *EXERCISES,
    *STRETCH_THRESHOLDS,
    *WARMUP,
    *FLOOR,
    # ---------------------------------------------------------------- edited clips: scene cuts
    Threshold(
        "cut_ratio",
        3.0,
        "x the highest neighbouring change",
        "Yeo & Liu 1995 IEEE TCSVT 5:533 (sliding-window cut test, n = 2-3); "
        "PySceneDetect AdaptiveDetector (adaptive_threshold 3.0)",
        why="a hard cut changes the picture in one frame: its change score stands this "
        "far above every frame near it, which a pan, a zoom, a flash or a dissolve does not",
    ),
    Threshold(
        "cut_window_frames",
        2,
        "frames each side",
        "PySceneDetect AdaptiveDetector (window_width 2)",
        why="the neighbours a frame's change is compared with",
    ),
    Threshold(
        "cut_min_change",
        10.0,
        "100 x (1 - r) of grey levels",
        "formcheck scene cuts (frame-to-frame correlation: Manickam et al. 2006 ICVGIP)",
        heuristic=True,
        why="a new shot correlates with the last frame of the one before at r < 0.9; "
        "two frames of one shot, a person moving or the camera's exposure stepping, "
        "stay above 0.9 (brightness and contrast of the whole picture do not count)",
    ),
    Threshold(
        "cut_min_shot_s",
        0.6,
        "s",
        "PySceneDetect (shortest scene 0.6 s on the command line)",
        why="a second cut sooner than this after the last (or after the clip's start) "
        "is not taken: a glitch of a frame or two is not a shot",
    ),
    # ---------------------------------------------------------------- live cues
    Threshold(
        "cue_repeat_s",
        6.0,
        "s",
        "formcheck speech rate limit",
        why="the same spoken cue is not repeated within this time",
    ),
    Threshold(
        "live_run_min_fps",
        15.0,
        "frames/s",
        "Novacheck 1998 Gait Posture 7:77 (The biomechanics of running: a stance lasts "
        "about 0.2-0.3 s at running speeds)",
        heuristic=True,
        why="at 15 frames/s a stance spans 3-4 frames, the fewest in which a foot's "
        "contact and toe-off fall on different frames; slower, steps are missed and the "
        "live window's numbers drop out, so the page says the computer is too busy",
    ),
)

THRESHOLDS: MappingProxyType[str, Threshold] = MappingProxyType({t.name: t for t in _ALL})


#: Thresholds of earlier versions that a settings file may still name, and what took
#: their place (said when one is set, instead of "unknown").
RENAMED: MappingProxyType[str, str] = MappingProxyType(
    {
        "plank_line_tol_deg": "was split into plank_sag_max_deg (hips below the line) and "
        "plank_pike_max_deg (hips above it), judged apart since sagging loads the back",
        "side_plank_line_tol_deg": "was split into side_plank_sag_max_deg and "
        "side_plank_pike_max_deg",
    }
)


def value(name: str, overrides: dict[str, float] | None = None) -> float:
    """The value of a threshold, with an optional user override."""
    if overrides and name in overrides:
        return float(overrides[name])
    return float(THRESHOLDS[name].value)


def with_overrides(overrides: dict[str, float]) -> dict[str, Threshold]:
    """All thresholds with user values applied; unknown names raise ValueError."""
    renamed = sorted(set(overrides) & set(RENAMED))
    if renamed:
        raise ValueError(
            "; ".join(f"{n} {RENAMED[n]}" for n in renamed) + ": set those in its place"
        )
    unknown = set(overrides) - set(THRESHOLDS)
    if unknown:
        raise ValueError(f"unknown thresholds: {', '.join(sorted(unknown))}")
    return {
        n: dataclasses.replace(t, value=float(overrides[n])) if n in overrides else t
        for n, t in THRESHOLDS.items()
    }
