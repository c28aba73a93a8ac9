"""History page: past sessions, trends of the main metrics, compare two, delete.

Reads :class:`formcheck.store.HistoryDB` (``$FORMCHECK_DB`` or the data
folder): the session list, per-session medians over time
(:meth:`HistoryDB.trend`) and stored reports for the side-by-side comparison.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime

import altair as alt
import pandas as pd
import streamlit as st

import formcheck.activities as activities
from formcheck.activities import ACTIVITIES
from formcheck.cues import judge
from formcheck.cues.format import fmt, fmt_signed, local_time
from formcheck.cues.words import CHANGE_WORDS, METRIC_STATUS_WORDS, session_files_removed
from formcheck.io import clip_name
from formcheck.results import Metric
from formcheck.store.records import SessionRecord
from formcheck.ui import nav, widgets
from formcheck.ui.data import (
    delete_session,
    get_session,
    list_sessions,
    routine_of_session,
    trend,
)
from formcheck.ui.routine_history import routine_kept, routines_done

ALL = "All activities"


def _trend_frame(tr: object) -> pd.DataFrame:
    rows = []
    for p in tr.points:  # type: ignore[attr-defined]
        for name, v in p.values.items():
            if v is None or not math.isfinite(v):
                continue
            unit = tr.units.get(name, "")  # type: ignore[attr-defined]
            rows.append(
                {
                    "session": p.session_id,
                    # this computer's local time, no zone: Vega shows it as it is
                    "when": datetime.fromisoformat(p.when).astimezone().replace(tzinfo=None),
                    "status": p.status,
                    "metric": f"{widgets.metric_label(name)} ({unit})",
                    "value": v,
                }
            )
    return pd.DataFrame(rows)


def trends(activity: str) -> None:
    tr = trend(activity, None)
    names = [m for m in activities.headline(activity) if m in tr.metrics] or list(tr.metrics)[:4]
    chosen = st.multiselect(
        "Metrics",
        names,
        default=names[:3],
        format_func=widgets.metric_label,
        key=f"fc_hist_metrics_{activity}",
    )
    df = _trend_frame(tr)
    labels = [f"{widgets.metric_label(n)} ({tr.units.get(n, '')})" for n in chosen]
    if not df.empty:
        df = df[df["metric"].isin(labels)]
    n_sessions = df["session"].nunique() if not df.empty else 0
    st.markdown(
        f'<span id="fc-trend-count">{n_sessions}</span> session(s) of '
        f"{activities.plain_label(activity).lower()} in the trend.",
        unsafe_allow_html=True,
    )
    if df.empty:
        st.info("No measured values to plot yet for these metrics.")
        return
    for metric in [m for m in labels if m in set(df["metric"])]:
        one = df[df["metric"] == metric]
        chart = (
            alt.Chart(one, title=metric)
            .mark_line(point=alt.OverlayMarkDef(size=80, filled=True))
            .encode(
                x=alt.X("when:T", title=None, axis=alt.Axis(format="%d %b %H:%M")),
                y=alt.Y(
                    "value:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(format=".4~g")
                ),
                tooltip=["session", "when", "status", alt.Tooltip("value:Q", format=".4~g")],
            )
            .properties(height=180)
        )
        st.altair_chart(chart, width="stretch")
    with st.expander("Trend data"):
        st.dataframe(
            df.pivot_table(
                index=["session", "when", "status"], columns="metric", values="value"
            ).reset_index(),
            hide_index=True,
            width="stretch",
        )


def _shown(m: Metric | None) -> str:
    """A session's value with the status its analysis gave it: ``"0.15 (watch)"``."""
    if m is None:
        return "--"
    text = fmt(m.value, m.unit, "--")
    return f"{text} ({METRIC_STATUS_WORDS[m.status]})" if m.status else text


def _compare_rows(
    ra: SessionRecord, rb: SessionRecord, names: list[str], a: int, b: int
) -> pd.DataFrame:
    """One row per metric: both values with their statuses, the change, and whether it
    is better or worse against the target (judged in cues, :func:`judge.change`)."""
    overrides = widgets.current_settings().thresholds
    rows = []
    for name in names:
        ma, mb = ra.metrics.get(name), rb.metrics.get(name)
        if ma is None and mb is None:
            continue
        va = ma.value if ma else None
        vb = mb.value if mb else None
        unit = (ma or mb).unit
        diff = vb - va if va is not None and vb is not None else None
        moved = judge.change(ra.activity, name, va, vb, overrides)  # type: ignore[attr-defined]
        rows.append(
            {
                "metric": widgets.metric_label(name),
                f"A #{a}": _shown(ma),
                f"B #{b}": _shown(mb),
                "change B-A": "" if diff is None else fmt_signed(diff, unit),
                "B vs A": CHANGE_WORDS[moved] if moved else "",
            }
        )
    cols = ["metric", f"A #{a}", f"B #{b}", "change B-A", "B vs A"]  # also when no rows
    return pd.DataFrame(rows, columns=cols).set_index("metric")


def compare(sessions: list[object]) -> None:
    """Two sessions side by side: main metrics with the change, and their findings."""
    labels = {s.id: widgets.session_label(s) for s in sessions}  # type: ignore[attr-defined]
    ids = list(labels)
    if len(ids) < 2:
        st.info("Two sessions are needed for a comparison.")
        return
    c1, c2 = st.columns(2)
    a = c1.selectbox("Session A", ids, index=1, format_func=labels.get, key="fc_cmp_a")
    b = c2.selectbox("Session B", ids, index=0, format_func=labels.get, key="fc_cmp_b")
    if a is None or b is None:
        return
    ra, rb = get_session(a), get_session(b)
    main = [n for n in activities.headline(ra.activity) if n in ra.metrics or n in rb.metrics]
    rest = [n for n in dict.fromkeys([*ra.metrics, *rb.metrics]) if n not in main]
    # A plain table (not the canvas grid): few rows, and readable by screen readers.
    st.table(_compare_rows(ra, rb, main, a, b))
    if rest:
        with st.expander(f"Other measurements ({len(rest)})"):
            st.table(_compare_rows(ra, rb, rest, a, b))
    fa, fb = st.columns(2)
    for col, rec, tag in ((fa, ra, "A"), (fb, rb, "B")):
        with col:
            st.markdown(f"**{tag}: session {rec.id}** ({rec.status})")
            flags = [f for f in rec.findings if f.status == "flag"]
            if not flags:
                st.caption("No form flags.")
            for f in flags:
                st.markdown(f"- {f.message}")


def delete_box(sessions: list[object]) -> None:
    done = st.session_state.pop("fc_del_done", None)
    if done:  # what the last delete removed, said once after the rerun
        st.success("\n".join(f"- {x.strip()}" if x.startswith("  ") else f"\n{x}\n" for x in done))
    labels = {s.id: widgets.session_label(s) for s in sessions}  # type: ignore[attr-defined]
    sid = st.selectbox(
        "Session to delete",
        list(labels),
        format_func=labels.get,
        key="fc_del_pick",
        index=None,
        placeholder="Choose a session",
    )
    sure = st.checkbox("Yes, delete it for good", key="fc_del_sure", disabled=sid is None)
    if st.button(
        "Delete session",
        disabled=not (sid is not None and sure),
        key="fc_del_go",
        icon=":material/delete:",
    ):
        with widgets.shown_errors(f"deleting session {sid}"):
            routine = routine_of_session(int(sid))  # type: ignore[arg-type]
            gone = delete_session(int(sid))  # type: ignore[arg-type]
            st.session_state.pop("fc_del_pick", None)
            st.session_state.pop("fc_del_sure", None)
            st.session_state["fc_del_done"] = [
                f"Session {sid} deleted.",
                *([] if routine is None else [routine_kept(*routine)]),
                *session_files_removed(gone.removed, gone.kept),
            ]
            st.rerun()


def page() -> None:
    widgets.inject_css()
    st.title("History")
    with widgets.shown_errors("reading the history"):
        act = st.selectbox(
            "Activity",
            (ALL, *(a for a in ACTIVITIES if a != "auto")),
            format_func=lambda a: a if a == ALL else activities.label(a),
            key="fc_hist_activity",
        )
        sessions = list_sessions(None if act == ALL else act)
        if not sessions:
            st.info(
                "No sessions yet. Analyse a clip on *Review a clip* or finish a live "
                "session; it is saved here automatically."
            )
            routines_done()  # routine records outlive their moves' sessions
            widgets.footer()
            return
        table = pd.DataFrame(
            [
                {
                    "id": s.id,
                    "when": local_time(s.when),
                    "activity": activities.label(s.activity),
                    "status": s.status,
                    "clip": clip_name(s.source_path) if s.source_path else "live session",
                    "length (s)": None if s.duration_s is None else round(s.duration_s, 1),
                    "flags": s.flags,
                }
                for s in sessions
            ]
        )
        st.markdown(
            f'<span id="fc-session-count">{len(sessions)}</span> session(s).',
            unsafe_allow_html=True,
        )
        st.dataframe(table, hide_index=True, width="stretch", key="fc_hist_table")
        routines_done()
        labels = {s.id: widgets.session_label(s) for s in sessions}
        open_id = st.selectbox(
            "Open a session's summary",
            list(labels),
            index=None,
            format_func=labels.get,
            key="fc_hist_open",
            placeholder="Choose a session",
        )
        if open_id is not None and st.button("Open summary", key="fc_hist_open_go"):
            nav.open_summary(None, int(open_id))
        trend_act = act
        if act == ALL:
            counts = Counter(s.activity for s in sessions)
            trend_act = counts.most_common(1)[0][0]
        st.markdown("#### Trend")
        if act == ALL:
            st.caption(
                f"Showing {activities.label(trend_act)}; choose an activity above for another."
            )
        trends(trend_act)
        st.markdown("#### Compare two sessions")
        same = [s for s in sessions if s.activity == trend_act]
        compare(same if len(same) >= 2 else sessions)
        with st.expander("Delete a session"):
            delete_box(sessions)
    widgets.footer()
