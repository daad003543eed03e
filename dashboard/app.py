"""Petition map dashboard: `streamlit run dashboard/app.py` (or `make run`)."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root: petitions/, geo/

st.set_page_config(page_title="Petition map", page_icon="🗺️", layout="wide")
PAGES = Path(__file__).resolve().parent / "views"
page = st.navigation([
    st.Page(PAGES / "petition.py", title="Petition map", icon=":material/map:", url_path="petition", default=True),
    st.Page(PAGES / "constituency.py", title="Constituency", icon=":material/location_on:", url_path="constituency"),
    st.Page(PAGES / "trends.py", title="Trends", icon=":material/timeline:", url_path="trends"),
    st.Page(PAGES / "browse.py", title="Browse", icon=":material/list:", url_path="browse"),
])
page.run()
