"""Build a routine of your own: moves from the activity table, each with its dose; saved
in the history database (:func:`formcheck.pipeline.routine_live.save_user_routine`)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

import formcheck.activities as activities
from formcheck.cues import words_routines as rw
from formcheck.pipeline.routine_live import (
    delete_user_routine,
    rename_user_routine,
    save_user_routine,
)
from formcheck.routines import Dose, Routine, RoutineStep, slug
from formcheck.ui import data, widgets
from formcheck.ui.moves import move_label, moves_by_group

DRAFT = "fc_routine_draft"


def step_list(steps: Sequence[RoutineStep]) -> str:
    """The moves and their doses, one numbered line each (markdown)."""
    return "\n".join(
        f"{i}. {activities.plain_label(s.activity)}: "
        f"{rw.dose_text(s.dose.amount, s.dose.measure, s.dose.per)}"
        for i, s in enumerate(steps, 1)
    )


def default_dose(name: str) -> str:
    """The builder's first guess at how a move is counted (the user can change it)."""
    return "seconds held" if activities.is_hold(name) else "reps"


def builder() -> None:
    """The "build your own" box: add moves, name it, save; rename or delete one of yours."""
    draft: list[RoutineStep] = st.session_state.setdefault(DRAFT, [])
    with st.expander(rw.BUILD_TITLE):
        st.caption(rw.BUILD_HELP)
        saved = st.session_state.pop("fc_build_saved", None)
        if saved:
            st.success(rw.BUILD_SAVED.format(label=saved))
        renamed = st.session_state.pop("fc_build_renamed", None)
        if renamed:
            st.success(rw.RENAMED.format(label=renamed))
        moves = moves_by_group()
        c1, c2, c3 = st.columns([3, 1, 2], vertical_alignment="bottom")
        with c1:
            move = st.selectbox(rw.BUILD_MOVE, moves, format_func=move_label, key="fc_build_move")
        with c2:
            amount = st.number_input(rw.BUILD_AMOUNT, 1, 600, 10, key="fc_build_amount")
        with c3:
            kinds = list(rw.DOSE_CHOICES)
            how = st.selectbox(
                rw.BUILD_DOSE,
                kinds,
                index=kinds.index(default_dose(move)),
                key=f"fc_build_how_{move}",
            )
        b1, b2 = st.columns(2)
        if b1.button(rw.BUILD_ADD, key="fc_build_add", icon=":material/add:"):
            measure, per = rw.DOSE_CHOICES[how]
            draft.append(RoutineStep(move, Dose(float(amount), measure, per)))  # type: ignore[arg-type]
        if draft and b2.button(rw.BUILD_CLEAR, key="fc_build_clear"):
            draft.clear()
        if draft:
            st.markdown(step_list(draft))
        label = st.text_input(rw.BUILD_NAME, key="fc_build_name", max_chars=60)
        if st.button(rw.BUILD_SAVE, key="fc_build_save", type="primary"):
            if not draft:
                st.warning(rw.BUILD_NEED_MOVES)
            elif not label.strip():
                st.warning(rw.BUILD_NEED_NAME)
            else:
                with widgets.shown_errors("saving your routine"):
                    save_user_routine(Routine(slug(label), label.strip(), tuple(draft)))
                    draft.clear()
                    st.session_state["fc_build_saved"] = label.strip()
                    st.rerun()  # the picker above lists it now
        own: list[Routine] = []
        with widgets.shown_errors("reading your routines"):
            own = data.user_routines()
        if own:
            yours(own)


def yours(own: list[Routine]) -> None:
    """Rename or delete one of the user's own routines."""
    names = {r.name: r.label for r in own}
    pick = st.selectbox(rw.BUILD_YOURS, list(names), format_func=names.get, index=None,
                        key="fc_build_delete", placeholder=rw.BUILD_CHOOSE)  # fmt: skip
    if pick is None:
        return
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    new = c1.text_input(rw.RENAME_TITLE, value=names[pick], max_chars=60,
                        key=f"fc_build_rename_{pick}")  # fmt: skip
    if c2.button(rw.RENAME_BUTTON, key="fc_build_rename_go"):
        with widgets.shown_errors("renaming your routine"):
            renamed = rename_user_routine(pick, new)
            _forget_pick(pick)
            st.session_state["fc_build_renamed"] = renamed.label
            st.rerun()
    if st.button(rw.BUILD_DELETE, key="fc_build_delete_go", icon=":material/delete:"):
        with widgets.shown_errors("deleting your routine"):
            delete_user_routine(pick)
            _forget_pick(pick)
            st.rerun()


def _forget_pick(name: str) -> None:
    """The pickers no longer hold a routine that was renamed or deleted."""
    st.session_state.pop("fc_build_delete", None)
    if st.session_state.get("fc_routine_pick") == name:
        st.session_state.pop("fc_routine_pick", None)
