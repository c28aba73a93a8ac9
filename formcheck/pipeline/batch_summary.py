"""A batch's summary: one row per clip, as ``summary.csv`` and ``summary.html``.

Each row holds the clip (its path relative to the clips' common folder), its
status (:data:`STATUSES`), the activity, the activity's main metrics
(:func:`formcheck.activities.headline`, as the clip's ``report.json`` has them),
the top finding (the first flagged one, in the report's order), the reason it
failed or what is missing, and a link to its report. Both files are rewritten
whole and atomically after every clip (:func:`write_summary`), so a batch killed
at any moment leaves a summary of every clip done so far; clips not reached yet
are ``pending``.

The CSV is for tables and scripts: one column per metric name (the name carries
the unit, as in ``report.json``), values as ``report.json`` stores them; the
HTML is for reading, with values formatted and the reports linked.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import formcheck.activities as activities
from formcheck.cues import words_batch
from formcheck.cues.format import fmt_value
from formcheck.io import atomic_write_text
from formcheck.store.values import csv_cell

#: A clip's status in the summary. ``ok``: analysed by this run;
#: ``skipped-already-done``: analysed before with the same content, model and
#: settings; ``failed``: could not be analysed (``reason`` says why); ``stopped``:
#: the batch was stopped before or while analysing it (it runs next time);
#: ``pending``: not reached yet (a batch still running, or killed).
STATUSES = ("ok", "skipped-already-done", "failed", "stopped", "pending")

#: The summary's fixed columns, before the metrics.
COLUMNS = ("clip", "status", "activity", "top_finding", "reason", "report", "session")

CSV_NAME = "summary.csv"
HTML_NAME = "summary.html"


@dataclass(slots=True)
class SummaryRow:
    """One clip's line of the summary.

    metrics : metric name -> (value, unit), the activity's headline metrics that
        the report has (value None when not measured).
    report : the clip's report, relative to the batch's output folder (its HTML
        report when written, else its ``report.json``; empty when none).
    """

    clip: str
    status: str = "pending"
    activity: str = ""
    top_finding: str = ""
    reason: str = ""
    report: str = ""
    session: int | None = None
    metrics: dict[str, tuple[float | None, str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["metrics"] = {k: [v, u] for k, (v, u) in self.metrics.items()}
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> SummaryRow:
        row = cls(**{k: d[k] for k in COLUMNS if k in d})
        row.metrics = {k: (v, u) for k, (v, u) in (d.get("metrics") or {}).items()}
        return row


def report_fields(
    report: Mapping[str, Any],
) -> tuple[str, dict[str, tuple[float | None, str]], str]:
    """(activity, headline metrics, top finding) of a report as ``report.json`` has it
    (:meth:`formcheck.report.model.Report.to_dict`)."""
    activity = str(report.get("activity") or "")
    stored = report.get("metrics") or {}
    metrics: dict[str, tuple[float | None, str]] = {}
    for name in activities.headline(activity):
        m = stored.get(name)
        if m is not None:
            metrics[name] = (m.get("value"), str(m.get("unit") or ""))
    top = ""
    for f in report.get("findings") or ():
        if f.get("status") == "flag":
            top = str(f.get("message") or f.get("cue") or "")
            break
    return activity, metrics, top


def report_link(folder: Path, out: Path) -> str:
    """The clip's report relative to ``out``: report.html if written, else report.json."""
    for name in ("report.html", "report.json"):
        if (folder / name).is_file():
            return (folder / name).relative_to(out).as_posix()
    return ""


def metric_columns(rows: Sequence[SummaryRow]) -> list[str]:
    """Every metric name of the rows, in the order they first appear."""
    names: dict[str, None] = {}
    for r in rows:
        names.update(dict.fromkeys(r.metrics))
    return list(names)


def summary_csv(rows: Sequence[SummaryRow]) -> str:
    """The rows as CSV text: the fixed :data:`COLUMNS`, then one column per metric."""
    names = metric_columns(rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*COLUMNS, *names])
    for r in rows:
        fixed = [r.clip, r.status, r.activity, r.top_finding, r.reason, r.report, r.session]
        vals = [r.metrics[n][0] if n in r.metrics else None for n in names]
        w.writerow([csv_cell(v) for v in (*fixed, *vals)])
    return buf.getvalue()


def summary_html(rows: Sequence[SummaryRow], title: str) -> str:
    """The rows as a self-contained HTML page (no scripts, nothing fetched)."""
    e = html.escape
    counts = {s: sum(r.status == s for r in rows) for s in STATUSES}
    head = "".join(f"<th>{e(h)}</th>" for h in words_batch.HTML_HEADERS)
    body = []
    for r in rows:
        shown = "; ".join(
            f"{e(n)} {e(fmt_value(v, u, symbol=True))}" for n, (v, u) in r.metrics.items()
        )
        link = f'<a href="{e(r.report)}">{e(words_batch.REPORT_LINK)}</a>' if r.report else ""
        label = activities.plain_label(r.activity) if r.activity else ""
        body.append(
            f'<tr class="{e(r.status)}"><td>{e(r.clip)}</td><td>{e(r.status)}</td>'
            f"<td>{e(label)}</td><td>{shown}</td><td>{e(r.top_finding)}</td>"
            f"<td>{e(r.reason)}</td><td>{link}</td></tr>"
        )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{e(title)}</h1><p>{e(words_batch.counts_line(counts))}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<p class=note>{e(words_batch.SUMMARY_NOTE)}</p></body></html>\n"
    )


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}"
    "th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}"
    "tr.failed td:nth-child(2){color:#a00}tr.stopped td:nth-child(2),"
    "tr.pending td:nth-child(2){color:#777}.note{color:#555;font-size:.9em}"
)


def write_summary(out: Path, rows: Sequence[SummaryRow]) -> tuple[Path, Path]:
    """``summary.csv`` and ``summary.html`` in ``out``, each replaced atomically."""
    csv_path = atomic_write_text(out / CSV_NAME, summary_csv(rows))
    html_path = atomic_write_text(out / HTML_NAME, summary_html(rows, words_batch.SUMMARY_TITLE))
    return csv_path, html_path
