"""Petition page: progress toward the thresholds beside the map of where it is signed."""

import streamlit as st

from dashboard import cache, embed, live, outlook, share, ui
from dashboard.components.mapview import STATE_KEYS, map_element, picked
from geo.analysis.breakdowns import abroad, by_nation, by_region, totals
from geo.analysis.metrics import SCHEMES, area_rate, ordinal
from geo.export import attribution_line, export_table, to_csv_bytes, to_geojson_bytes
from geo.reference.datasets import ESTIMATE_NOTE
from geo.render.card import card_png
from geo.render.maps import AREAS, METRICS, VIEWS, filter_area
from geo.render.pictures import map_image


def constituency_panel(table, code: str, estimate: bool = False) -> None:
    """Figures of the selected constituency, compared with its region, nation and the UK."""
    row = table.set_index("ons_code").loc[code]
    of = len(table)
    with st.container(border=True):
        st.markdown(f"### {ui.md_escape(row['name'])}")
        who = "Estimate from the 2010–2024 seats" if estimate else ui.mp_text(row)
        st.caption(ui.md_escape(f"{who} · {ui.place(row)} · {code}"))
        cols = st.columns(2)
        cols[0].metric("Signatures", f"{int(row['signatures']):,}")
        cols[1].metric(f"Rank of {of}", ordinal(int(row["rank"])), help="by number of signatures")
        cols = st.columns(2)
        cols[0].metric("Per 1,000 residents", f"{row['per_1000']:.2f}",
                       help=f"{ordinal(int(row['rank_rate']))} of {of} by signatures per resident")
        cols[1].metric("Index vs UK", f"{row['index']:.2f}", help="1.0 = the UK rate; 2.0 = twice it")
        rates = {label: area_rate(table[table[col] == row[col]]) for label, col in
                 ((row["region"], "region"), (row["nation"], "nation"))}
        rates["the UK"] = area_rate(table)
        st.markdown(f"Per 1,000 residents: **{row['per_1000']:.2f}** here · "
                    + " · ".join(f"{v:.2f} in {k}" for k, v in rates.items()))


if embed.wanted():
    embed.show()
    st.stop()
loaded = ui.require_petition()
p = loaded.petition
result = cache.join(p)
if "on2024" not in st.session_state:  # a shared link restores the estimate
    st.session_state["on2024"] = st.query_params.get("boundaries") == "2024"
if result.set_name == "pcon2010" and st.session_state["on2024"]:
    result = cache.on_2024(p, result)
estimate = result.estimated_from is not None
table = result.table
codes = table["ons_code"].tolist()
names = dict(zip(table["ons_code"], table["name"]))

ui.url_default("view", "map", VIEWS)
ui.url_default("metric", "signatures", METRICS)
ui.url_default("area", "UK", AREAS)
ui.url_default("scheme", "quantiles", SCHEMES)
ui.remember_constituency()
if st.session_state["c"] not in names:
    st.session_state["c"] = ""

# Map first: title and progress beside the map on a wide screen; on a phone the map follows them.
left, right = st.columns([2, 3], gap="medium")
with right:
    values, sentence = cache.values(p, result)
    if estimate:  # the hover's second line (the MP) says what every figure is
        values = {**values, "mp": ["Estimate: counted on the 2010–2024 boundaries"] * len(values["mp"])}
    view, metric, area, scheme = (st.session_state[k] for k in ("view", "metric", "area", "scheme"))
    map_element(key="map", geometry=cache.geometry_urls(result.cset), values=values,
                state={"view": view, "metric": metric, "scheme": scheme, "area": area},
                selected=st.session_state["c"] or None, controls=STATE_KEYS, areas=list(AREAS), summary=sentence,
                label=f"Map of where petition {p.id} is signed", on_select=picked("map", codes),
                state_targets={k: k for k in STATE_KEYS}, title=f"{METRICS[metric]} (estimate)" if estimate else None)
    st.caption(f"{len(codes)} constituencies ({result.set_name[4:]} boundaries). Hover or tap one for its figures; "
               "drag to pan, scroll or pinch to zoom. Constituency totals exclude signatures from abroad.")
    if result.set_name == "pcon2010" or estimate:
        st.toggle("Show on 2024 boundaries (estimate)", key="on2024",
                  help="Signed before the 2024 boundary change: estimate each new seat's count from the old seats' "
                       "by where their residents live")
    if estimate:
        st.caption(ui.md_escape(ESTIMATE_NOTE))
    options = [""] + sorted(codes, key=lambda c: names[c])
    st.selectbox("Find a constituency", options, key="c", format_func=lambda c: names.get(c, "Type to search…"))
    code = st.session_state["c"]
    st.session_state["selected"] = code
    if code:
        constituency_panel(table, code, estimate)

with left:  # filled after the map, so that the map's message reaches the browser first
    ui.header(p, loaded)
    ui.progress(p)
    outlook.show(p)
    ui.details(p)

view_params = {"petition": str(p.id), "view": view, "metric": metric, "area": area, "scheme": scheme, "c": code,
               "boundaries": "2024" if estimate else ""}
with right:  # below the map: live updates for open petitions, and sharing
    if p.state == "open" and loaded.origin == "live":
        live.show(p.id, names)
    share.show(f"{p.action} ({p.signature_count:,} signatures): where it is signed", "/petition", view_params,
               (f"petition-{p.id}-card.png", lambda: card_png(result, loaded.as_of)))

st.subheader(f"Top 10 in {'the UK' if area == 'UK' else area}")
st.caption({"signatures": "by signatures", "per_1000": "by signatures per 1,000 residents",
            "index": "by index vs UK"}[metric] + (" (estimates on the 2024 boundaries)" if estimate else ""))
top = filter_area(table, area).nlargest(10, metric)
# Small tables as Markdown: the page's first view loads no table (Arrow) bundle, so the map draws sooner.
st.markdown(ui.markdown_table(top, {"name": "Constituency", "signatures": "Signatures", "per_1000": "Per 1,000",
                                 "index": "Index vs UK"}))

st.subheader("Breakdowns")
split = totals(p)
st.caption(f"Of {split['total']:,} signatures, {split['constituencies']:,} are matched to a UK constituency, "
           f"{split['abroad']:,} come from abroad and {split['unmatched']:,} are from the UK but unmatched "
           "(e.g. unrecognised postcodes). Constituency and map figures exclude signatures from abroad.")
nations, regions, countries = st.tabs(["By nation", "By region", "From abroad"])
columns = {"nation": "Nation", "region": "Region", "signatures": "Signatures", "population": "Residents",
           "per_1000": "Per 1,000"}
with nations:
    st.markdown(ui.markdown_table(by_nation(table), columns))
with regions:
    region_table, source = by_region(p, table)
    st.markdown(ui.markdown_table(region_table, columns))
    st.caption(f"Regional counts {source}.")
with countries:
    foreign = abroad(p)
    if foreign.empty:
        st.write("No signatures from abroad.")
    else:
        st.markdown(ui.markdown_table(foreign.head(15), {"country": "Country", "signatures": "Signatures"}))
        if len(foreign) > 15:
            st.caption(f"The 15 countries with most signatures, of {len(foreign)} with any.")

# Its content runs only when opened: the toggle's and download buttons' bundles stay off the first view.
downloads = st.expander("All constituencies: table and downloads", key="downloads", on_change="rerun")
if downloads.open:
    with downloads:
        if st.toggle("Show the table of every constituency", key="all_table"):
            everything = export_table(result)
            st.dataframe(everything, hide_index=True, width="stretch", column_config=ui.column_config(everything))
        shown = {"metric": metric, "view": view, "area": area, "scheme": scheme, "selected": code or None}
        suffix = "-2024-estimate" if estimate else ""
        stem = f"petition-{p.id}-{metric}-{view}-{area.lower().replace(' ', '-')}{suffix}"
        cols = st.columns(4)
        cols[0].download_button("CSV", lambda: to_csv_bytes(result), file_name=f"petition-{p.id}{suffix}.csv",
                                mime="text/csv", on_click="ignore", icon=":material/table:")
        cols[1].download_button("GeoJSON", lambda: to_geojson_bytes(result),
                                file_name=f"petition-{p.id}{suffix}.geojson",
                                mime="application/geo+json", on_click="ignore", icon=":material/public:")
        cols[2].download_button("Map PNG", lambda: map_image(result, **shown), file_name=f"{stem}.png",
                                mime="image/png", on_click="ignore", icon=":material/image:")
        cols[3].download_button("Map SVG", lambda: map_image(result, fmt="svg", **shown), file_name=f"{stem}.svg",
                                mime="image/svg+xml", on_click="ignore", icon=":material/draw:")
        st.caption(attribution_line(result))

if result.unmatched:
    st.warning(f"{len(result.unmatched)} code(s) in the petition are not {result.set_name} constituencies: "
               + ui.md_escape(", ".join(result.unmatched[:20]) + (" …" if len(result.unmatched) > 20 else "")))

ui.sync_url(**{k: v or None for k, v in view_params.items()})
