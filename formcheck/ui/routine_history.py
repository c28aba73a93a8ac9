"""The History page's "Routines done" box: each guided routine with its moves' lines
(as the routine page's summary words them) and the history sessions of its moves; a
routine record can be deleted (its moves' sessions stay in the list)."""

from __future__ import annotations

import html

import streamlit as st

import formcheck.activities as activities
from formcheck.cues import words_routines as rw
from formcheck.cues.format import local_time
from formcheck.pipeline.routine import summary_line
from formcheck.pipeline.routine_live import delete_routine_run
from formcheck.store.routines import RoutineRun
from formcheck.ui import data, widgets


def routine_kept(run: RoutineRun, index: int) -> str:
    """Said after deleting a session that was move ``index`` of routine done ``run``."""
    steps = run.steps
    move = str(steps[index].get("activity", "?")) if index < len(steps) else "?"
    where = rw.step_of_routine(run.label, run.id, index, len(steps),
                               activities.plain_label(move).lower())  # fmt: skip
    return rw.routine_record_kept(where)


def routines_done() -> None:
    """The routines done, newest first (nothing when there are none)."""
    gone = st.session_state.pop("fc_run_deleted", None)
    if gone is not None:  # said once after the rerun
        st.success(rw.RUN_DELETED.format(rid=gone))
    runs = []
    with widgets.shown_errors("reading the routines done"):
        runs = data.routine_runs()
    if not runs:
        return
    st.markdown(f"#### {rw.HISTORY_HEADING}")
    st.markdown(
        rw.HISTORY_COUNT.format(n=f'<span id="fc-routine-run-count">{len(runs)}</span>'),
        unsafe_allow_html=True,
    )
    for run in runs:
        steps = run.steps
        title = rw.routine_record_title(run.label, run.moves_done, len(steps))
        with st.expander(f"#{run.id} · {local_time(run.created_at)} · {title}"):
            st.markdown(
                "\n".join(
                    f'- <span class="fc-routine-line">{html.escape(summary_line(s))}</span>'
                    for s in steps
                ),
                unsafe_allow_html=True,
            )
            if run.session_ids:
                st.caption(rw.history_sessions(run.session_ids))
            sure = st.checkbox(rw.DELETE_RUN_SURE, key=f"fc_run_del_sure_{run.id}")
            if st.button(rw.DELETE_RUN, key=f"fc_run_del_{run.id}", disabled=not sure,
                         icon=":material/delete:"):  # fmt: skip
                with widgets.shown_errors(f"deleting routine record {run.id}"):
                    delete_routine_run(run.id)
                    st.session_state.pop(f"fc_run_del_sure_{run.id}", None)
                    st.session_state["fc_run_deleted"] = run.id
                    st.rerun()
