"""Constituency page, for MPs and constituents: one seat in this petition and across petitions."""

import streamlit as st

from dashboard import cache, ui
from geo.across import local_slug, neighbours
from geo.maps import choropleth
from geo.metrics import ordinal
from petitions.model import PetitionError

loaded = ui.require_petition()
p = loaded.petition
result = cache.join(p)
table = result.table
names = dict(zip(table["ons_code"], table["name"]))

st.title("Constituency")
ui.remember_constituency()
if st.session_state["c"] not in names:
    st.session_state["c"] = ""
options = [""] + sorted(names, key=names.get)
code = st.selectbox("Constituency", options, key="c", format_func=lambda c: names.get(c, "Type a name…"),
                    help=f"The {result.set_name[4:]} constituencies of this petition's parliament")
st.session_state["selected"] = code
if not code:
    st.info("Type a constituency name above, or click one on the petition page's map.")
    ui.sync_url(petition=str(p.id))
    st.stop()

rows = table.set_index("ons_code")
row = rows.loc[code]
of = len(table)
st.header(ui.md_escape(row["name"]))
st.markdown(f"**MP:** {ui.md_escape(ui.mp_text(row))} · {ui.md_escape(ui.place(row))} · `{code}`")
st.caption("MP as published by petition.parliament.uk with this petition's data.")
ui.plain_text(f"Petition: {p.action}")
if loaded.note:
    st.info(ui.md_escape(loaded.note), icon=":material/cloud_off:")

left, right = st.columns([3, 2], gap="medium")
with left:
    cols = st.columns(4)
    cols[0].metric("Signatures", f"{int(row['signatures']):,}")
    cols[1].metric("Per 1,000 residents", f"{row['per_1000']:.2f}")
    cols[2].metric(f"Rank of {of}", ordinal(int(row["rank"])),
                   help=f"{ordinal(int(row['rank_rate']))} of {of} per 1,000 residents")
    cols[3].metric("Index vs UK", f"{row['index']:.2f}", help="1.0 = the UK rate; 2.0 = twice it")
    compare = []
    areas = {row["name"]: table[table["ons_code"] == code], row["region"]: table[table["region"] == row["region"]],
             row["nation"]: table[table["nation"] == row["nation"]], "United Kingdom": table}
    for label, rows_of in areas.items():  # Scotland, Wales and Northern Ireland are region and nation at once
        signatures = int(rows_of["signatures"].sum())
        compare.append({"Area": label, "Signatures": signatures,
                        "Per 1,000 residents": signatures / rows_of["population"].sum() * 1000})
    st.dataframe(compare, hide_index=True, width="stretch",
                 column_config={"Signatures": st.column_config.NumberColumn(format="localized"),
                                "Per 1,000 residents": st.column_config.NumberColumn(format="%.2f")})
with right:
    near = table[table["ons_code"].isin(neighbours(table, code))]
    fig = choropleth(near, "per_1000", selected=code, height=360, scale=table)
    st.plotly_chart(fig, config=cache.PLOTLY_CONFIG, width="stretch", key="near")
    st.caption("This constituency (outlined) and its neighbours, per 1,000 residents; colours on the UK-wide scale.")

st.subheader("Across petitions")
known = cache.across(code, result.set_name)
if known.empty:
    st.write("No other petitions with this constituency are stored yet.")
else:
    known = known.assign(link=[ui.map_link(int(pid), code) for pid in known["id"]])
    config = {"link": st.column_config.LinkColumn("Open", display_text="Open map"),
              "action": "Petition", "signatures": st.column_config.NumberColumn("Signatures here", format="localized"),
              "per_1000": st.column_config.NumberColumn("Per 1,000", format="%.2f"),
              "index": st.column_config.NumberColumn("Index vs UK", format="%.2f"),
              "rank": "Rank", "of": "Out of", "state": "State", "source": "Source",
              "total": st.column_config.NumberColumn("All signatures", format="localized")}
    order = ["link", "action", "signatures", "per_1000", "index", "rank", "of", "state", "source"]
    a, b = st.columns(2)
    with a:
        st.markdown("**Most signed here**")
        st.dataframe(known.head(10), column_order=order, column_config=config, hide_index=True, width="stretch")
    with b:
        st.markdown("**Unusually popular here** (highest index vs UK)")
        st.dataframe(known.sort_values("index", ascending=False).head(10), column_order=order,
                     column_config=config, hide_index=True, width="stretch")
    st.caption("Source: petitions stored by this app and the local mirror; index = signatures per resident here "
               "÷ the UK rate for that petition.")

if result.set_name == "pcon2024":
    try:
        local = cache.local_petitions(local_slug(row["name"]))
        st.markdown("**Popular here now** (petition.parliament.uk, current parliament)")
        st.dataframe([{"Petition": i.action, "Signatures": i.signature_count, "State": i.state} for i in local],
                     hide_index=True, width="stretch")
    except PetitionError as exc:
        st.caption(f"Live list of popular petitions here unavailable: {ui.md_escape(str(exc))}")

ui.sync_url(petition=str(p.id), c=code)
