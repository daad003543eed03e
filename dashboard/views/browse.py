"""Browse page, for the public: list petitions by state or search, open one on its map."""

import streamlit as st

from dashboard import cache, ui
from petitions.api import STATES
from petitions.model import DEBATE_THRESHOLD, PetitionError

st.title("Browse petitions")
ui.url_default("state", "open", STATES)
ui.url_default("q", "")
if "archived" not in st.session_state:
    st.session_state["archived"] = st.query_params.get("archived") == "1"
if "page" not in st.session_state:
    wanted = st.query_params.get("page", "1")
    st.session_state["page"] = int(wanted) if wanted.isdigit() and int(wanted) > 0 else 1
a, b, c = st.columns([2, 3, 1])
archived = a.toggle("Archived (earlier parliaments)", key="archived")
state = a.selectbox("State", STATES, key="state", format_func=lambda s: s.replace("_", " ").capitalize())
q = b.text_input("Search", key="q", placeholder="e.g. climate change")
page = c.number_input("Page", min_value=1, step=1, key="page")

try:
    listing = cache.petition_list(state, q.strip(), int(page), archived)
    items, last, source = list(listing.items), listing.last_page, "petition.parliament.uk"
except PetitionError as exc:
    items, last = cache.offline_list(state, q.strip(), int(page), archived)
    source = f"saved petitions and saved list pages (offline: {ui.md_escape(str(exc))})"

st.caption(f"Page {page:,}" + (f" of {last:,}" if last else "") + f" · {len(items):,} petitions · from {source}")
rows = [{"Petition": i.action, "Signatures": i.signature_count,
         "Progress": min(i.signature_count / DEBATE_THRESHOLD, 1.0),
         "State": i.state.replace("_", " "), "id": i.id} for i in items]
event = st.dataframe(rows, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                     key="list", column_order=["Petition", "Signatures", "Progress", "State"],
                     column_config={"Signatures": st.column_config.NumberColumn(format="localized"),
                                    "Progress": st.column_config.ProgressColumn(
                                        "Toward 100,000 (debate)", min_value=0.0, max_value=1.0, format="percent",
                                        help="Signatures as a share of 100,000, when Parliament considers a "
                                             "debate (full at 100,000 or more)")})
if not rows:
    st.info("No petitions match. Try another state or search.")
st.caption("Choose a row to open its map.")
problems = cache.refused()
if problems:
    with st.expander(f"{len(problems):,} saved file(s) could not be read", icon=":material/warning:"):
        ui.plain_text("\n\n".join(problems))
ui.sync_url(state=state, q=q.strip() or None, page=str(page) if page > 1 else None, archived="1" if archived else None)
chosen = event.selection.rows if event else []
if chosen:
    ui.open_petition(str(rows[chosen[0]]["id"]))
