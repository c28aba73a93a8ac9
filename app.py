"""formcheck's Streamlit app: `formcheck app` (or `streamlit run app.py`).

A router only: each page lives in formcheck/ui/.
"""

import streamlit as st

st.set_page_config(page_title="formcheck", layout="wide")
st.title("formcheck")
st.write("Running-form and strength-exercise feedback, on your machine. (App pages coming.)")
