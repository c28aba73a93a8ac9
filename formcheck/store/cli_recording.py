"""The history recording of ``formcheck analyze``: history problems never stop
an analysis; they are printed as one line on stderr and the report files are
written anyway.

:func:`begin_from_cli` starts a session that exists from the start of the
analysis (so Ctrl-C or a crash keeps a partial session); :func:`save_from_cli`
saves the report into it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from formcheck.errors import StoreError
from formcheck.report.model import Report
from formcheck.settings import Settings
from formcheck.store.recording import AnalysisRecording


def _warn(prefix: str) -> Callable[[StoreError], None]:
    def show(exc: StoreError) -> None:
        print(f"formcheck: {prefix}: {exc}", file=sys.stderr)

    return show


def begin_from_cli(
    video: Path | str | None,
    activity: str,
    db_path: Path | str | None,
    settings: Settings | None = None,
) -> AnalysisRecording:
    """Start a ``running`` history session for one clip; never raises.

    Use it as a context manager around the analysis, pass ``rec.wrap(progress)``
    as the progress callback, and finish with :func:`save_from_cli` (with
    ``recording=rec``). Ctrl-C inside the block marks the session partial; a
    :class:`FormcheckError` before saving removes the empty session.
    """
    rec = AnalysisRecording(
        db_path,
        activity,
        source_path=None if video is None else str(video),
        settings=settings,
        on_error=_warn("history (the analysis goes on)"),
    )
    return rec.start()


def save_from_cli(
    report: Report,
    db_path: Path | str | None,
    artefacts: Mapping[str, Path | str] | None = None,
    *,
    settings: Settings | None = None,
    recording: AnalysisRecording | None = None,
) -> int | None:
    """Save an analysis to the history; the session id, or None (message on stderr).

    artefacts : kind -> path of files written (report JSON/HTML, annotated video...).
    settings : the settings used; with them, re-analysing a clip with other
        settings makes a new session instead of replacing the earlier one.
    recording : the :func:`begin_from_cli` object of this analysis, if any.
    """
    if recording is None:
        recording = AnalysisRecording(db_path, report.activity_requested, settings=settings)
    recording.on_error = _warn("not saved to history")
    try:
        return recording.save(report, artefacts, settings=settings)
    finally:
        recording.close()
