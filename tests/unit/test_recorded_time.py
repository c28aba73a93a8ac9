"""When a clip was filmed: read from the file, carried by the report, used by history.

Issue #7: history is for months of training; a clip analysed weeks after it was
filmed must sit in the trend where it was filmed, not where it was analysed.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from formcheck.store.db import HistoryDB
from formcheck.video.info import recorded_time
from formcheck.video.reader import probe
from tests.fixtures.store import make_report

SAMPLE = Path(__file__).resolve().parents[2] / "sample_videos" / "run_treadmill_male_side.mp4"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("2024-07-13T17:13:43.000000Z", "2024-07-13T17:13:43Z"),  # what phones write
        ("2024-07-13 17:13:43", "2024-07-13T17:13:43Z"),  # no zone: MP4 time is UTC
        ("2024-07-13T19:13:43+02:00", "2024-07-13T17:13:43Z"),
        ("1970-01-01T00:00:00.000000Z", None),  # a camera without a clock
        ("1904-01-01T00:00:00Z", None),  # QuickTime's zero
        ("2999-01-01T00:00:00Z", None),  # a wrong clock
        ("yesterday", None),
        ("", None),
    ],
)
def test_creation_time_tag(tag: str, expected: str | None) -> None:
    assert recorded_time({"creation_time": tag}) == expected
    assert recorded_time({}) is None


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg (install.sh --test)")
def test_probe_reads_the_clips_creation_time(tmp_path: Path) -> None:
    tagged = tmp_path / "tagged.mp4"
    subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-i", SAMPLE, "-c", "copy"),
            *("-metadata", "creation_time=2025-03-09T06:45:10Z", tagged),
        ],
        check=True,
    )
    assert probe(tagged).recorded_at == "2025-03-09T06:45:10Z"
    assert probe(SAMPLE).recorded_at is None  # the sample carries no creation time


def test_history_orders_by_when_it_was_filmed(tmp_path: Path) -> None:
    """Analysed in May, filmed in January and March: the trend goes January, March."""
    db_path = tmp_path / "h.sqlite3"
    jan = make_report(1, created_at="2026-05-02T07:30:00+00:00", cadence=160.0)
    jan = dataclasses.replace(
        jan, source=dataclasses.replace(jan.source, recorded_at="2026-01-10T08:00:00Z")
    )
    mar = make_report(2, created_at="2026-05-01T07:30:00+00:00", cadence=170.0)
    mar = dataclasses.replace(
        mar, source=dataclasses.replace(mar.source, recorded_at="2026-03-10T08:00:00Z")
    )
    with HistoryDB(db_path) as db:
        a = db.add_report(mar)
        b = db.add_report(jan)
        rows = db.list_sessions(newest_first=False)
        assert [r.id for r in rows] == [b, a]
        assert db.get_session(b).recorded_at.startswith("2026-01-10T08:00:00")
        # a time given by the caller wins over the file's
        c = db.add_report(make_report(3), recorded_at="2026-02-01T00:00:00+00:00")
        assert db.get_session(c).recorded_at.startswith("2026-02-01T00:00:00")
