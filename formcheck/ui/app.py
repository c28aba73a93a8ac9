"""formcheck's Streamlit app: `formcheck app` (or `streamlit run formcheck/ui/app.py`).

A router only: each page lives in formcheck/ui/ (start.py, live.py, live_run.py, routine.py,
review.py, summary.py, history.py). Everything runs on this computer.
"""

import streamlit as st

from formcheck.ui import history, live, live_run, nav, review, routine, start, summary, widgets


def build_pages() -> dict[str, list[object]]:
    """The navigation: sections of pages, each a function in formcheck/ui/."""
    # No page icons: Streamlit fetches a page's Material icon from fonts.gstatic.com
    # as the tab's favicon, and nothing may leave this computer.
    nav.PAGES.update(
        start=st.Page(start.page, title="Start here", default=True),
        live=st.Page(live.page, title="Live exercise", url_path="live"),
        live_run=st.Page(live_run.page, title="Live running", url_path="live-running"),
        routine=st.Page(routine.page, title="Guided routine", url_path="routine"),
        review=st.Page(review.page, title="Review a clip", url_path="review"),
        summary=st.Page(summary.page, title="Summary", url_path="summary"),
        history=st.Page(history.page, title="History", url_path="history"),
    )
    return {
        "formcheck": [nav.PAGES["start"]],
        "Coach me live": [nav.PAGES["live"], nav.PAGES["live_run"], nav.PAGES["routine"]],
        "Look back": [nav.PAGES["review"], nav.PAGES["summary"], nav.PAGES["history"]],
    }


# No page_icon: a Material icon as favicon is fetched from fonts.gstatic.com (not offline).
st.set_page_config(page_title="formcheck", layout="wide")
page = st.navigation(build_pages())
nav.mark_current(page)
st.sidebar.caption("Running form and strength-exercise feedback, on your own computer.")
widgets.profile_sidebar()
page.run()
