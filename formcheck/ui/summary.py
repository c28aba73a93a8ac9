"""Summary page: the findings and charts of one session.

The same facts as the HTML report (:mod:`formcheck.report.html`): headline
numbers, findings worst first with their target and source, the analyzers'
time series and per-step / per-rep tables, capture-quality notes and the
not-medical-advice line. Everything is read from the report; nothing is
measured again. The session is the one just analysed, or one from history
(``?session=ID``).
"""

from __future__ import annotations

import hashlib
import html
import json

import pandas as pd
import streamlit as st

import formcheck.activities as activities
from formcheck.cues import words
from formcheck.cues.accuracy import accuracy_label
from formcheck.cues.format import fmt, local_time
from formcheck.cues.words import FINDING_STATUS_WORDS, METRIC_STATUS_WORDS, NOT_MEDICAL_ADVICE
from formcheck.cues.words_accuracy import (
    ACCURACY_CAVEAT,
    ACCURACY_DETAILS,
    ACCURACY_HINT,
    HOW_ACCURATE,
    accuracy_detail,
)
from formcheck.io import clip_label
from formcheck.report.model import Report
from formcheck.report.plot_kit import Chart
from formcheck.report.plots import report_charts
from formcheck.results import Finding, Table
from formcheck.ui import widgets
from formcheck.ui.data import get_session, list_sessions

STATUS_ICON = {
    "ok": ":material/check_circle:",
    "flag": ":material/warning:",
    "not_measurable": ":material/help:",
}


def table_frame(table: Table) -> pd.DataFrame:
    cols = [
        f"{c} ({u})" if u and u != "-" else c
        for c, u in zip(table.columns, table.units, strict=True)
    ]
    return pd.DataFrame([list(r) for r in table.rows], columns=cols)


@st.cache_data(max_entries=8, show_spinner="Drawing the charts ...")
def _report_charts(key: str, _report: Report) -> list[Chart]:
    """The HTML report's charts of ``_report`` (one drawing serves both), kept for a
    few reports; ``key`` is a digest of the report's content (:func:`_content_key`)."""
    return report_charts(_report)


def _content_key(report: Report) -> str:
    """A digest of what the charts are drawn from (the per-frame records are left
    out for speed: two reports equal in everything else are the same analysis)."""
    text = json.dumps(report.to_dict(include_frames=False), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def charts(report: Report) -> None:
    """The report's charts, two to a row, each with its caption (targets included)."""
    drawn = _report_charts(_content_key(report), report)
    if not drawn:
        st.caption("Nothing to plot for this session.")
    for row in range(0, len(drawn), 2):
        for col, chart in zip(st.columns(2), drawn[row : row + 2], strict=False):
            with col:
                st.markdown(
                    f'<img class="fc-chart" data-chart="{html.escape(chart.key)}" '
                    f'src="{chart.uri}" alt="{html.escape(chart.title)}" style="width:100%">',
                    unsafe_allow_html=True,
                )
                st.caption(chart.caption)


def _finding_box(f: Finding) -> None:
    with st.container(border=True):
        st.markdown(
            f"{STATUS_ICON.get(f.status, '')} **{FINDING_STATUS_WORDS.get(f.status, f.status)}:** "
            f"{f.message}"
        )
        bits = []
        if f.value is not None:
            bits.append(f"measured {widgets.fmt_value(f.value, f.unit)}")
        if f.target:
            bits.append(f"target {f.target}")
        if f.heuristic:
            bits.append("rule of thumb (no validated cut-off)")
        src = f" · source: {f.source}" if f.source else ""
        st.caption(" · ".join(bits) + src)


def findings(report: Report) -> None:
    """Flags first (most important first), then what is on target, then the unmeasurable."""
    if not report.findings:
        st.info("No findings for this session.")
        return
    flags = [f for f in report.findings if f.status == "flag"]
    ok = [f for f in report.findings if f.status == "ok"]
    unknown = [f for f in report.findings if f.status not in ("flag", "ok")]
    if not flags:
        st.success("Nothing to work on in this session: every measured cue is on target.")
    for f in flags:
        _finding_box(f)
    if ok:
        with st.expander(f"On target ({len(ok)})", expanded=not flags):
            for f in ok:
                _finding_box(f)
    if unknown:
        with st.expander(f"Not measurable from this recording ({len(unknown)})"):
            for f in unknown:
                _finding_box(f)


def metrics_table(report: Report) -> None:
    rows = []
    for name, m in report.metrics.items():
        rows.append(
            {
                "metric": widgets.metric_label(name),
                "value": fmt(m.value, m.unit, "--"),
                "unit": m.unit,
                "status": METRIC_STATUS_WORDS[m.status] if m.status else "",
                "spread (±)": fmt(m.spread, m.unit, "", like=m.value),
                "left": fmt(m.left, m.unit, ""),
                "right": fmt(m.right, m.unit, ""),
                "n": m.n,
                "confidence": m.confidence,
                HOW_ACCURATE: accuracy_label(report.activity, name, m, symbol=True),
                "note": m.note,
            }
        )
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if any(r[HOW_ACCURATE] for r in rows):
        st.caption(ACCURACY_HINT)
        st.caption(ACCURACY_CAVEAT)
        with st.expander(ACCURACY_DETAILS):
            for name, m in report.metrics.items():
                if m.accuracy is not None:
                    detail = accuracy_detail(m.accuracy, m.unit, like=m.value, symbol=True)
                    st.caption(f"{widgets.metric_label(name)}: {detail}")


def show_report(report: Report, session_id: int | None = None) -> None:
    """The whole summary of one report."""
    from formcheck.ui.review import headline

    title = activities.label(report.activity)
    src = report.source
    where = "live webcam session" if src.kind == "webcam" else clip_label(src.path, "landmarks")
    st.subheader(title)
    secs = src.seconds_analysed  # a partial session: the stretches analysed, together
    dur = f", {secs:.1f} s" if secs else ""
    st.caption(
        f"{local_time(report.created_at)} · {where}{dur} · view {report.view}"
        + (f" · session {session_id}" if session_id is not None else "")
    )
    if report.partial:
        st.warning("Partial session: it ended early; this covers what was recorded.")
    if secs:  # the numbers below cover all of it (the live page's, the last seconds)
        live = src.kind == "webcam"
        st.caption(f"Numbers {words.live_whole_session(secs)}." if live else words.clip_whole(secs))
    headline(report)
    st.markdown("#### Findings")
    findings(report)
    st.markdown("#### Over time")
    charts(report)
    st.markdown("#### All measurements")
    metrics_table(report)
    for name, table in report.tables.items():
        with st.expander(f"Per {name.rstrip('s')} table ({len(table.rows)} rows)"):
            st.dataframe(table_frame(table), hide_index=True, width="stretch")
    if report.warnings:
        st.markdown("#### About the recording")
        for w in report.warnings:
            st.info(w.message, icon=":material/info:")
    st.caption(NOT_MEDICAL_ADVICE)


def _from_history(session_id: int) -> Report | None:
    rec = get_session(session_id)
    rep = rec.report()
    if rep is None:
        st.info(f"Session {session_id} holds no results yet (status: {rec.status}).")
    return rep


def _on_pick() -> None:
    st.session_state["fc_summary"] = {
        "report": None,
        "session_id": st.session_state.get("fc_summary_pick"),
    }
    st.query_params.clear()


def page() -> None:
    widgets.inject_css()
    st.title("Summary")
    qp = st.query_params.get("session")
    if qp and qp.isdigit():
        st.session_state["fc_summary"] = {"report": None, "session_id": int(qp)}
    chosen = st.session_state.get("fc_summary") or {}
    report: Report | None = chosen.get("report")
    sid: int | None = chosen.get("session_id")
    with widgets.shown_errors("reading the history"):
        sessions = list_sessions()
        if sessions:
            labels = {s.id: f"{widgets.session_label(s)} ({s.status})" for s in sessions}
            st.session_state["fc_summary_pick"] = sid if sid in labels else None
            st.selectbox(
                "Session",
                list(labels),
                format_func=labels.get,
                placeholder="Choose a session from your history",
                key="fc_summary_pick",
                on_change=_on_pick,
            )
    if report is None and sid is not None:
        with widgets.shown_errors(f"opening session {sid}"):
            report = _from_history(sid)
    if report is None:
        st.info("Analyse a clip on *Review a clip*, or finish a live session, to see its summary.")
    else:
        show_report(report, sid)
    widgets.footer()
