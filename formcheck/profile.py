"""The runner's profile (height, leg length, treadmill speed), kept on this machine.

Stored as ``profile.json`` in the formcheck data folder
(:func:`formcheck.settings.data_dir`), written atomically; read by the app and
by ``formcheck live`` and passed to the analyzers through
:class:`formcheck.settings.Settings`. No Streamlit here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path

from formcheck.io import atomic_write_text
from formcheck.settings import Profile, Settings, data_dir

#: Accepted ranges (inclusive) for each profile field: what a person or a
#: treadmill can be. Outside them the value is refused with the reason.
LIMITS: dict[str, tuple[float, float, str]] = {
    "height_cm": (100.0, 230.0, "cm"),
    "leg_length_cm": (50.0, 130.0, "cm"),
    "treadmill_kmh": (1.0, 30.0, "km/h"),
}

#: The true capture rate of a slow-motion clip (phones film at up to 960 fps): a
#: setting of one clip, checked like the fields above but never saved in the profile.
CAPTURE_FPS_LIMITS = (1.0, 1000.0, "fps")


def profile_path() -> Path:
    return data_dir() / "profile.json"


def load_profile(path: Path | None = None) -> Profile:
    """The saved profile, or an empty one (a damaged file is ignored, not fatal)."""
    p = path or profile_path()
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Profile()
    if not isinstance(raw, dict):
        return Profile()
    vals: dict[str, float | None] = {}
    for key in LIMITS:
        v = raw.get(key)
        vals[key] = (
            float(v) if isinstance(v, int | float) and check(key, float(v)) is None else None
        )
    return Profile(**vals)


def check(key: str, value: float | None) -> str | None:
    """None if ``value`` is acceptable for ``key``, else the reason in words."""
    if value is None:
        return None
    lo, hi, unit = CAPTURE_FPS_LIMITS if key == "capture_fps" else LIMITS[key]
    if not lo <= value <= hi:
        return f"{key.replace('_', ' ')} must be between {lo:g} and {hi:g} {unit}"
    return None


def save_profile(profile: Profile, path: Path | None = None) -> Path:
    """Write the profile (values checked first; ``ValueError`` with the reason)."""
    for key in LIMITS:
        why = check(key, getattr(profile, key))
        if why:
            raise ValueError(why)
    data = {k: v for k, v in asdict(profile).items() if k in LIMITS}
    return atomic_write_text(path or profile_path(), json.dumps(data, indent=1))


def settings_with_profile(profile: Profile | None = None) -> Settings:
    """Default settings carrying the (saved) runner profile."""
    return Settings(profile=profile if profile is not None else load_profile())


def merged_profile(*layers: Profile | dict[str, float | None]) -> Profile:
    """Combine profiles, later layers winning where they give a value (not None).

    The commands use saved profile < settings file < command-line flags.
    """
    out: dict[str, float | None] = {f.name: None for f in fields(Profile)}
    for layer in layers:
        values = layer if isinstance(layer, dict) else asdict(layer)
        for name in out:
            if values.get(name) is not None:
                out[name] = values[name]
    return Profile(**out)
