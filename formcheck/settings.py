"""Runtime settings in one dataclass, overridable from a TOML file.

Thresholds for cues are *not* here: they live in ``formcheck/cues/thresholds.py``
with their sources. These are the knobs of the machinery (model, smoothing,
caches) and the runner's profile.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "formcheck"


def data_dir() -> Path:
    """The user's formcheck data folder (history, caches); ``FORMCHECK_HOME`` overrides."""
    env = os.environ.get("FORMCHECK_HOME")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True, slots=True)
class Profile:
    """The runner's own numbers (all optional).

    height_cm : converts leg-length figures to centimetres.
    leg_length_cm : overrides the leg length estimated from height (0.53 x height;
        Winter 2009 anthropometric table, greater trochanter to floor).
    treadmill_kmh : belt speed, for stride length and vertical ratio.
    capture_fps : the true capture rate of a slow-motion clip (overrides detection).
    """

    height_cm: float | None = None
    leg_length_cm: float | None = None
    treadmill_kmh: float | None = None
    capture_fps: float | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """How formcheck runs. Every field has a default; see ``formcheck.example.toml``.

    model_path : a PoseLandmarker ``.task`` bundle; None = the shipped full model.
    crowd_check_every_s : how often a second, multi-person detector looks for
        other people (seconds of video); 0 turns it off.
    max_gap_s : longest pose gap filled by interpolation (see formcheck.signal).
    run_cutoff_hz / exercise_cutoff_hz : zero-phase low-pass cut-offs.
    cache_landmarks : reuse landmarks of a clip analysed before (keyed by the
        clip's and the model's sha256).
    pose_workers : landmarkers for one clip, each in its own thread (time segments
        joined where they overlap, see formcheck.pose.parallel); 0 = one per
        core, at most 2; 1 = a single landmarker.
    checkpoint_every_s : during a long analysis, seconds (wall time) between
        saves of the results so far into the history session, so a killed
        process keeps them.
    view : force the camera view ("side-left", "side-right", "front", "rear").
    thresholds : overrides of ``formcheck.cues.thresholds`` by name.
    """

    model_path: Path | None = None
    crowd_check_every_s: float = 0.5
    max_gap_s: float = 0.2
    run_cutoff_hz: float = 8.0
    exercise_cutoff_hz: float = 4.0
    cache_landmarks: bool = True
    cache_dir: Path = field(default_factory=lambda: data_dir() / "cache")
    pose_workers: int = 0
    checkpoint_every_s: float = 15.0
    profile: Profile = field(default_factory=Profile)
    view: str | None = None
    thresholds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_toml(cls, path: Path) -> Settings:
        """Read settings from TOML: top-level keys as fields, a ``[profile]`` table."""
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
        prof = Profile(**raw.pop("profile", {}))
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
        if "thresholds" in raw:
            # names are checked against the threshold table by whoever uses them
            # (formcheck.cues.thresholds.with_overrides); settings sit below cues
            raw["thresholds"] = {k: float(v) for k, v in raw["thresholds"].items()}
        for key in ("model_path", "cache_dir"):
            if key in raw and raw[key] is not None:
                raw[key] = Path(raw[key])
        return cls(profile=prof, **raw)

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
