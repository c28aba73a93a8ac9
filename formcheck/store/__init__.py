"""Session history in SQLite (see :mod:`formcheck.store.db`).

::

    from formcheck.store import HistoryDB, save_analysis
    sid = save_analysis(report, artefacts={"report_json": path})
    with HistoryDB() as db:
        db.list_sessions(activity="run")
        db.trend(["cadence_spm"], activity="run")

The modules, one job each (they import each other directly, never this face):
``values`` (paths, times, numbers, settings fingerprint), ``errors``,
``owner`` (who runs a session), ``schema``, ``checks`` (file checks,
migrations), ``connect`` (opening, transactions), ``tables`` (a session in the
tables), ``writes``, ``reads``, ``export``, ``removal`` (deleting a session's
files), ``routines`` (the guided routines done and the user's own),
``routine_export`` (those in the export), ``db`` (:class:`HistoryDB` made of those),
``records`` (what reads return), ``recording`` (one session's life for a clip analysis
or a live set).
"""

from formcheck.store.db import HistoryDB, save_analysis
from formcheck.store.recording import AnalysisRecording, LiveRecording
from formcheck.store.records import SessionRecord, SessionSummary, Trend, TrendPoint
from formcheck.store.values import DB_FILENAME, resolve_db_path, settings_fingerprint

__all__ = [
    "DB_FILENAME",
    "AnalysisRecording",
    "HistoryDB",
    "LiveRecording",
    "SessionRecord",
    "SessionSummary",
    "Trend",
    "TrendPoint",
    "resolve_db_path",
    "save_analysis",
    "settings_fingerprint",
]
