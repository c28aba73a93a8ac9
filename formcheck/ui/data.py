"""The app's and ``formcheck live``'s link to the history database. No Streamlit here.

A thin adapter over :mod:`formcheck.store` so pages and the CLI share one way
to save a report, list sessions, read trends and delete. Every function
raises :class:`~formcheck.errors.FormcheckError` (never a bare traceback) and
``history_available()`` says whether the store is there at all.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck.errors import StoreError

#: Headline metric per activity for lists and trends: (key, label, unit).
MAIN_METRICS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "run": (
        ("cadence_spm", "Cadence", "steps/min"),
        ("trunk_lean_deg", "Trunk lean", "deg"),
        ("overstride_leg_lengths", "Overstride", "leg lengths"),
        ("vertical_oscillation_leg_lengths", "Bounce", "leg lengths"),
    ),
    "glute-bridge": (
        ("reps", "Reps", "reps"),
        ("top_angle_deg", "Top angle", "deg"),
    ),
    "plank": (("hold_s", "Hold", "s"),),
    "side-plank": (("hold_s", "Hold", "s"),),
    "bird-dog": (("reps", "Reps", "reps"),),
}


def _store() -> Any:
    try:
        return importlib.import_module("formcheck.store")
    except ImportError as exc:
        raise StoreError(
            "Session history is not available in this build of formcheck.",
            "Reinstall formcheck (scripts/install.sh); your clips and reports are unaffected.",
            code="store_missing",
        ) from exc


def history_available() -> bool:
    try:
        mod = _store()
    except StoreError:
        return False
    return hasattr(mod, "HistoryDB") or hasattr(mod, "save_analysis")


def db_path(db: Path | str | None = None) -> Path | None:
    """The database file in use: ``db``, else ``FORMCHECK_DB``, else the store's default."""
    if db is not None:
        return Path(db)
    env = os.environ.get("FORMCHECK_DB")
    return Path(env) if env else None


def open_db(db: Path | str | None = None) -> Any:
    """A :class:`formcheck.store.HistoryDB` (its own default path when ``db`` is None)."""
    mod = _store()
    path = db_path(db)
    return mod.HistoryDB(path) if path is not None else mod.HistoryDB()


def save_report(
    report: Any,
    artefacts: Mapping[str, Path] | None = None,
    db: Path | str | None = None,
) -> int | None:
    """Save one analysed session (a clip or a live session); return its id."""
    mod = _store()
    path = db_path(db)
    kwargs: dict[str, Any] = {}
    if artefacts:
        kwargs["artefacts"] = {k: str(v) for k, v in artefacts.items()}
    hdb = mod.HistoryDB(path) if path is not None else mod.HistoryDB()
    try:
        sid = mod.save_analysis(hdb, report, **kwargs)
    finally:
        _close(hdb)
    return None if sid is None else int(sid)


def _close(hdb: Any) -> None:
    close = getattr(hdb, "close", None)
    if callable(close):
        close()


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One row of the History list."""

    id: int
    created_at: str
    activity: str
    source: str
    status: str
    metrics: dict[str, float | None]
