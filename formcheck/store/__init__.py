"""Session history in SQLite (see :mod:`formcheck.store.db`).

::

    from formcheck.store import HistoryDB, save_analysis
    sid = save_analysis(report, artefacts={"report_json": path})
    with HistoryDB() as db:
        db.list_sessions(activity="run")
        db.trend(["cadence_spm"], activity="run")
"""

from formcheck.store.db import (
    DB_FILENAME,
    HistoryDB,
    resolve_db_path,
    save_analysis,
    settings_fingerprint,
)
from formcheck.store.recording import AnalysisRecording
from formcheck.store.records import SessionRecord, SessionSummary, Trend, TrendPoint

__all__ = [
    "DB_FILENAME",
    "AnalysisRecording",
    "HistoryDB",
    "SessionRecord",
    "SessionSummary",
    "Trend",
    "TrendPoint",
    "resolve_db_path",
    "save_analysis",
    "settings_fingerprint",
]
