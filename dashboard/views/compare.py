"""Compare page: two petitions, or one petition at two dates, seat by seat on one colour scale."""

import streamlit as st

from dashboard import cache, ui
from dashboard import compare_parts as parts
from geo.analysis.compare import align, compare
from geo.reference.datasets import DataError

st.title("Compare two petitions")
st.caption("Where each is signed most, on one colour scale; a petition and its counter-petition, or one petition "
           "at two dates (from the snapshot store).")
ui.url_default("a", st.session_state.get("petition") or ui.DEFAULT_PETITION)
ui.url_default("b", "")
ui.url_default("at_a", parts.LATEST)
ui.url_default("at_b", parts.LATEST)
left, right = st.columns(2)
with left:
    st.text_input("Petition A (number or link)", key="a")
    first = parts.load_side("a")
with right:
    st.text_input("Petition B (number or link)", key="b", placeholder="e.g. 239406")
    second = parts.load_side("b")
ui.sync_url(a=st.session_state.get("a"), b=st.session_state.get("b"), at_a=st.session_state.get("at_a"),
            at_b=st.session_state.get("at_b"))
if first is None or second is None:
    if first is not None:
        st.info("Enter a second petition (B), or the same petition with another date.",
                icon=":material/compare_arrows:")
    st.stop()

(a, name_a, _), (b, name_b, _) = first, second
try:
    counts_a, counts_b, cset, estimated = align(a, b, cache.crosswalk())
except (DataError, ValueError) as exc:  # the lookup is missing or damaged: say so, show nothing half-done
    st.error(f"The two petitions cannot be put on one set of seats: {ui.md_escape(str(exc))}", icon=":material/error:")
    st.stop()
for side, moved in zip((a, b), estimated):
    if moved:
        st.info(f"{side.label} uses the 2010 constituencies: its counts are moved onto the 2024 seats in proportion "
                "to the residents each old seat shares with each new one (mySociety's overlap), so its map is an "
                "estimate.", icon=":material/info:")
table_set = cset.table.set_index("ons_code")
table = compare(counts_a, counts_b, table_set["population"])
codes = cache.geometry_codes(cset)
geometry = cache.geometry_urls(cset)
mark = [" (estimate)" if e else "" for e in estimated]
parts.side_by_side(table, codes, geometry, (name_a, name_b), mark)
parts.difference(table, table_set["name"], codes, geometry, (name_a, name_b))
parts.strongest_lists(table, table_set["name"], (name_a, name_b))
