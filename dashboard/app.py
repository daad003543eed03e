"""Petition map dashboard: `streamlit run dashboard/app.py` (or `make run`)."""

import streamlit as st

from dashboard import embed
from petitions.settings import current

st.set_page_config(page_title="Petition map", page_icon="🗺️", layout="wide")
PAGES = current().pages
PETITION = st.Page(PAGES / "petition.py", title="Petition map", icon=":material/map:", url_path="petition")


def home() -> None:
    """`/` opens the petition map at its own address, keeping the query (Streamlit serves the default page
    only at `/`: were the map the default, its address /petition would say "Page not found")."""
    if embed.wanted():  # the embed view stays at its own address (switching pages would drop ?embed=)
        embed.show()
        return
    st.switch_page(PETITION, query_params=st.query_params.to_dict())


page = st.navigation([
    st.Page(home, title="Home", url_path="home", default=True, visibility="hidden"),
    PETITION,
    st.Page(PAGES / "constituency.py", title="Constituency", icon=":material/location_on:", url_path="constituency"),
    st.Page(PAGES / "trends.py", title="Trends", icon=":material/timeline:", url_path="trends"),
    st.Page(PAGES / "browse.py", title="Browse", icon=":material/list:", url_path="browse"),
    st.Page(PAGES / "compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
], position="hidden" if embed.wanted() else "sidebar")  # an embedded map: no menu
page.run()
