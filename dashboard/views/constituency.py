"""Constituency page, for MPs and constituents: one seat across every stored petition, then in this petition."""

import streamlit as st

from dashboard import cache, seat_panel, seat_profile, seat_search, ui

st.title("Constituency")
ui.remember_constituency()
loaded = ui.petition_picker()  # optional: a petition to show this seat in, below
sets = {name: cache.constituency_set(name).table for name in ("pcon2024", "pcon2010")}
seat_set, labels = seat_search.seats(sets)
mps = cache.seat_mps()
code = seat_search.choose(sets["pcon2024"], labels, mps)
st.session_state["selected"] = code
if not code:
    st.info("Choose a constituency above (by name, postcode or MP), or click one on the petition page's map.")
    ui.sync_url(c=None, petition=st.session_state.get("petition"))
    st.stop()

set_name = seat_set[code]
table = sets[set_name]
row = table.set_index("ons_code").loc[code]
profile = cache.seat_profile(code, set_name)
mp = mps.get(code, "MP not listed in the petitions held")
other = seat_profile.header(code, set_name, row, mp, sets)
seat_profile.corpus(profile, code, other)
seat_profile.comparison(profile, code, set_name, row, mp, table)

if loaded is None or cache.join(loaded.petition).set_name != set_name:
    ui.sync_url(c=code, petition=st.session_state.get("petition"))
    st.stop()
seat_panel.in_petition(loaded, code)
ui.sync_url(petition=str(loaded.petition.id), c=code)
