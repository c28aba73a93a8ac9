"""Shared test set-up: real clips from ../shared/clips, an isolated data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FORMCHECK_SHARED", REPO.parent / "shared"))
CLIPS = SHARED / "clips"
IN_CI = bool(os.environ.get("CI"))


def clip_path(name: str) -> Path:
    """Path of a real clip in ../shared/clips (read in place, never copied).

    Outside CI a missing shared folder skips the test; in CI it fails, because
    CI always has shared/ beside the checkout.
    """
    p = CLIPS / name
    if not p.is_file():
        if IN_CI:
            raise FileNotFoundError(f"{p} missing: CI must have shared/ beside the checkout")
        pytest.skip(f"{p} not available")
    return p


@pytest.fixture(scope="session", autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Point FORMCHECK_HOME (history, landmark cache) at a session temp folder.

    The landmark cache is shared by all tests of a session, so each real clip
    runs through the pose model once per session.
    """
    home = tmp_path_factory.mktemp("formcheck_home")
    os.environ["FORMCHECK_HOME"] = str(home)
    os.environ.pop("FORMCHECK_DB", None)
    return home


@pytest.fixture(scope="session")
def analyzed() -> object:
    """analyzed(clip_name, activity) -> Report, memoised per session."""
    import formcheck

    memo: dict[tuple[str, str], object] = {}

    def get(name: str, activity: str = "auto") -> object:
        key = (name, activity)
        if key not in memo:
            memo[key] = formcheck.analyze(clip_path(name), activity=activity)
        return memo[key]

    return get
