"""How to move between the app's pages: :data:`PAGES` (filled by the entry script,
which imports the pages, so no page imports another through here)."""

from __future__ import annotations

import streamlit as st

#: name -> the StreamlitPage, filled by the app's entry (formcheck/ui/app.py) before
#: any page runs (same for every session).
PAGES: dict[str, object] = {}


def goto(name: str) -> None:
    """Switch to page ``name`` (a key of :data:`PAGES`)."""
    st.switch_page(PAGES[name])  # type: ignore[arg-type]


def open_summary(report: object | None = None, session_id: int | None = None) -> None:
    """Show a report (or a stored session) on the Summary page."""
    st.session_state["fc_summary"] = {"report": report, "session_id": session_id}
    goto("summary")


def mark_current(page: object) -> None:
    """Remember the page this full run draws (the entry script calls it each run)."""
    st.session_state["fc_current_page"] = getattr(page, "url_path", None)


def is_current(name: str) -> bool:
    """Whether page ``name`` is the one shown now.

    A fragment that reruns on a timer (the live panel) can still be asked to run
    after the user has moved to another page; it checks this first and draws
    nothing there, so it never writes over the page now shown.
    """
    page = PAGES.get(name)
    shown = st.session_state.get("fc_current_page")
    return page is None or shown is None or getattr(page, "url_path", None) == shown
