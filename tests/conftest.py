"""Shared test set-up: real clips from ../shared/clips, an isolated data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fixtures.clips import clip_path


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


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The generated test videos (:class:`tests.fixtures.media.Media`), made once per
    session."""
    from tests.fixtures.media import Media

    return Media.for_session(tmp_path_factory.getbasetemp())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A history file of the test's own (not made yet)."""
    return tmp_path / "history.sqlite3"
