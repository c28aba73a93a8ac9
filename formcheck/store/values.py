"""The store's plain values: where the file is, how times, numbers, JSON and the
settings are written into it.

Times are ISO 8601 UTC text with seconds (they sort as text); NaN and the
infinities are stored as NULL.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from formcheck.settings import Settings, data_dir

DB_FILENAME = "history.sqlite3"

#: Milliseconds a connection waits for another writer before giving up.
BUSY_TIMEOUT_MS = 5000


def resolve_db_path(path: Path | str | None = None) -> Path:
    """The database file: ``path`` (``--db``), else ``$FORMCHECK_DB``, else the data folder."""
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    env = os.environ.get("FORMCHECK_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILENAME


def now_utc() -> str:
    """Now as ISO 8601 UTC with seconds (the store's time format)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def to_utc_iso(value: str | datetime | date | None) -> str | None:
    """Normalise a time to the store's format (ISO 8601 UTC, seconds).

    A date means local midnight; a time without a zone is local time.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip())
    elif not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.astimezone()  # local time
    return value.astimezone(UTC).isoformat(timespec="seconds")


def finite_or_none(x: object) -> float | None:
    """A float for SQLite: None, NaN and infinities become NULL."""
    if x is None:
        return None
    f = float(x)  # type: ignore[arg-type]
    return f if math.isfinite(f) else None


def json_cell(v: object) -> object:
    """A table cell for JSON: text as is, numbers finite or None."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    return finite_or_none(v)


def csv_cell(x: object) -> object:
    """A CSV cell: None -> empty, floats exactly (repr), others as they are."""
    if x is None:
        return ""
    if isinstance(x, float):
        return repr(x)
    return x


def compact_json(obj: object) -> str:
    """JSON text as stored: no NaN, no spaces."""
    return json.dumps(obj, allow_nan=False, separators=(",", ":"), sort_keys=False)


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """The settings as JSON-ready data (paths as text)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(settings):
        v = getattr(settings, f.name)
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            v = dataclasses.asdict(v)
        elif isinstance(v, Path):
            v = str(v)
        elif isinstance(v, dict):
            v = dict(sorted(v.items()))
        out[f.name] = v
    return out


#: Settings that do not change results (where caches go) or are compared by
#: content elsewhere (the model, by its sha256 in the de-duplication key).
_FINGERPRINT_SKIP = frozenset({"cache_dir", "cache_landmarks", "model_path"})


def settings_fingerprint(settings: Settings | None) -> str:
    """sha256 of the settings that change results (profile, thresholds, view, filters).

    ``None`` (settings unknown) has its own fixed fingerprint, so re-saving the
    same analysis without settings still de-duplicates.
    """
    data = (
        None
        if settings is None
        else {k: v for k, v in settings_to_dict(settings).items() if k not in _FINGERPRINT_SKIP}
    )
    text = json.dumps({"settings": data}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
