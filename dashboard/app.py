"""Petition map dashboard: `streamlit run dashboard/app.py` (or `make run`)."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root: petitions/, geo/

st.set_page_config(page_title="Petition map", page_icon="🗺️", layout="wide")
PAGES = Path(__file__).resolve().parent / "pages"
page = st.navigation([
    st.Page(PAGES / "petition.py", title="Petition", icon="🗺️", url_path="petition", default=True),
])
page.run()
