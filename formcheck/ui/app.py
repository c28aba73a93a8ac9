"""formcheck's Streamlit app: `formcheck app` (or `streamlit run formcheck/ui/app.py`).

A router only: each page lives in formcheck/ui/ (live.py, live_run.py,
review.py, summary.py, history.py). Everything runs on this computer.
"""

import streamlit as st

from formcheck.ui import nav, widgets

# No page_icon: a Material icon as favicon is fetched from fonts.gstatic.com (not offline).
st.set_page_config(page_title="formcheck", layout="wide")
page = st.navigation(nav.build_pages())
st.sidebar.caption("Running form and strength-exercise feedback, on your own computer.")
widgets.profile_sidebar()
page.run()
