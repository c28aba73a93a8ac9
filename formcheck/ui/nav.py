"""The app's pages and how to move between them (``st.navigation`` router)."""

from __future__ import annotations

import streamlit as st

#: name -> the StreamlitPage made by :func:`build_pages` (same for every session).
PAGES: dict[str, object] = {}


def build_pages() -> dict[str, list[object]]:
    """The navigation: sections of pages, each a function in formcheck/ui/."""
    from formcheck.ui import history, live, live_run, review, summary

    # No page icons: Streamlit fetches a page's Material icon from fonts.gstatic.com
    # as the tab's favicon, and nothing may leave this computer.
    PAGES.update(
        live=st.Page(live.page, title="Live exercise", default=True),
        live_run=st.Page(live_run.page, title="Live running", url_path="live-running"),
        review=st.Page(review.page, title="Review a clip", url_path="review"),
        summary=st.Page(summary.page, title="Summary", url_path="summary"),
        history=st.Page(history.page, title="History", url_path="history"),
    )
    return {
        "Coach me live": [PAGES["live"], PAGES["live_run"]],
        "Look back": [PAGES["review"], PAGES["summary"], PAGES["history"]],
    }


def goto(name: str) -> None:
    """Switch to page ``name`` (a key of :data:`PAGES`)."""
    st.switch_page(PAGES[name])  # type: ignore[arg-type]


def open_summary(report: object | None = None, session_id: int | None = None) -> None:
    """Show a report (or a stored session) on the Summary page."""
    st.session_state["fc_summary"] = {"report": report, "session_id": session_id}
    goto("summary")
