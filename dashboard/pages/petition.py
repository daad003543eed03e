"""Petition page: progress toward the thresholds beside the map of where it is signed."""

import streamlit as st

from dashboard import cache, ui
from geo.export import export_table, to_csv_bytes
from geo.maps import AREAS, METRICS, VIEWS, choropleth, selected_code
from geo.metrics import SCHEMES, ordinal

loaded = ui.petition_picker()
if loaded is None:
    st.error("No petition to show. Enter a petition number or link in the sidebar.")
    st.stop()
p = loaded.petition
result = cache.join(p)
table = result.table
codes = table["ons_code"].tolist()
names = dict(zip(table["ons_code"], table["name"]))

ui.url_default("view", "map", VIEWS)
ui.url_default("metric", "signatures", METRICS)
ui.url_default("area", "UK", AREAS)
ui.url_default("scheme", "quantiles", SCHEMES)
ui.url_default("c", "")
if st.session_state["c"] not in names:
    st.session_state["c"] = ""

ui.header(p, loaded)
left, right = st.columns([2, 3], gap="medium")

with right:
    a, b = st.columns(2)
    view = a.radio("View", list(VIEWS), format_func=VIEWS.get, key="view", horizontal=True)
    metric = b.radio("Colour by", list(METRICS), key="metric", horizontal=True,
                     format_func=lambda m: {"signatures": "Signatures", "per_1000": "Per 1,000",
                                            "index": "Index vs UK"}[m])
    a, b = st.columns(2)
    area = a.selectbox("Area", list(AREAS), key="area")
    scheme = b.selectbox("Classes", list(SCHEMES), format_func=SCHEMES.get, key="scheme",
                         disabled=metric == "index", help="How values are grouped into colours")
    fig = choropleth(table, metric, view=view, area=area, scheme=scheme, selected=st.session_state["c"] or None,
                     geojson=cache.geometry_url(result.set_name, view))
    event = st.plotly_chart(fig, key="map", on_select="rerun", selection_mode="points",
                            config=cache.PLOTLY_CONFIG, width="stretch")
    points = list(event.selection.get("points", [])) if event else []
    shown = fig.data[0].locations
    clicked = selected_code(points, list(shown))
    if points and str(points) != st.session_state.get("_last_points"):
        st.session_state["_last_points"] = str(points)
        if clicked:
            st.session_state["c"] = clicked
            st.rerun()
    st.caption(f"{len(shown)} constituencies ({result.set_name[4:]} boundaries). Click one for its figures. "
               "Constituency totals exclude signatures from abroad.")

with left:
    ui.progress(p)
    st.subheader("Top 10 constituencies")
    column = metric if metric != "index" else "index"
    top = table.nlargest(10, column)[["name", "signatures", "per_1000", "index"]]
    st.dataframe(top.rename(columns={"name": "Constituency", "signatures": "Signatures",
                                     "per_1000": "Per 1,000", "index": "Index vs UK"}),
                 hide_index=True, width="stretch",
                 column_config={"Per 1,000": st.column_config.NumberColumn(format="%.2f"),
                                "Index vs UK": st.column_config.NumberColumn(format="%.2f")})

st.subheader("Constituency")
options = [""] + sorted(codes, key=lambda c: names[c])
st.selectbox("Find a constituency", options, key="c", format_func=lambda c: names.get(c, "Type to search…"))
code = st.session_state["c"]
if code:
    row = table.set_index("ons_code").loc[code]
    of = len(table)
    nation = table[table["nation"] == row["nation"]]
    region = table[table["region"] == row["region"]]
    st.markdown(f"### {row['name']}")
    st.caption(f"{row['mp'] or 'No MP listed (seat vacant)'} · {row['region']}, {row['nation']} · {code}")
    cols = st.columns(4)
    cols[0].metric("Signatures", f"{int(row['signatures']):,}", help=f"Rank {ordinal(int(row['rank']))} of {of}")
    cols[1].metric("Per 1,000 residents", f"{row['per_1000']:.2f}",
                   help=f"Rank {ordinal(int(row['rank_rate']))} of {of}")
    cols[2].metric("Index vs UK", f"{row['index']:.2f}", help="1.0 = the UK rate; 2.0 = twice it")
    cols[3].metric("Rank", f"{ordinal(int(row['rank']))} of {of}",
                   help=f"by signatures; {ordinal(int(row['rank_rate']))} of {of} per 1,000 residents")
    nation_rate = nation["signatures"].sum() / nation["population"].sum() * 1000
    region_rate = region["signatures"].sum() / region["population"].sum() * 1000
    st.markdown(f"Per 1,000 residents: **{row['per_1000']:.2f}** here · {region_rate:.2f} in {row['region']} · "
                f"{nation_rate:.2f} in {row['nation']} · "
                f"{table['signatures'].sum() / table['population'].sum() * 1000:.2f} in the UK")

with st.expander("All constituencies (table)"):
    st.dataframe(export_table(result), hide_index=True, width="stretch")
    st.download_button("Download CSV", to_csv_bytes(result), file_name=f"petition-{p.id}-constituencies.csv",
                       mime="text/csv")

if result.unmatched:
    st.warning(f"{len(result.unmatched)} code(s) in the petition are not {result.set_name} constituencies: "
               + ", ".join(result.unmatched))

ui.sync_url(petition=str(p.id), view=view, metric=metric, area=area, scheme=scheme, c=code or None)
