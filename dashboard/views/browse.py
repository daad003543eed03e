"""Browse page, for the public: list petitions by state or search, open one on its map."""

import streamlit as st

from dashboard import cache, ui
from petitions.api import STATES
from petitions.model import DEBATE_THRESHOLD, RESPONSE_THRESHOLD, PetitionError

st.title("Browse petitions")
a, b, c = st.columns([2, 3, 1])
archived = a.toggle("Archived (earlier parliaments)", key="archived")
state = a.selectbox("State", STATES, index=STATES.index("open"), key="state",
                    format_func=lambda s: s.replace("_", " ").capitalize())
q = b.text_input("Search", key="q", placeholder="e.g. climate change")
page = c.number_input("Page", min_value=1, value=1, step=1, key="page")

try:
    listing = cache.petition_list(state, q.strip(), int(page), archived)
    items, last, source = listing.items, listing.last_page, "petition.parliament.uk"
except PetitionError as exc:
    items, last = cache.offline_list(state, q.strip(), int(page))
    source = f"saved petitions (offline: {ui.md_escape(str(exc))})"

st.caption(f"Page {page}" + (f" of {last}" if last else "") + f" · {len(items)} petitions · from {source}")
rows = [{"Petition": i.action, "Signatures": i.signature_count,
         "Progress": min(i.signature_count / (RESPONSE_THRESHOLD if i.signature_count < RESPONSE_THRESHOLD
                                              else DEBATE_THRESHOLD), 1.0),
         "State": i.state.replace("_", " "), "id": i.id} for i in items]
event = st.dataframe(rows, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                     key="list", column_order=["Petition", "Signatures", "Progress", "State"],
                     column_config={"Signatures": st.column_config.NumberColumn(format="localized"),
                                    "Progress": st.column_config.ProgressColumn(
                                        "Progress", help="toward 10,000 (a response), then 100,000 (a debate)",
                                        min_value=0.0, max_value=1.0, format="percent")})
if not rows:
    st.info("No petitions match. Try another state or search.")
st.caption("Choose a row to open its map.")
chosen = event.selection.rows if event else []
if chosen:
    ui.open_petition(str(rows[chosen[0]]["id"]))
