"""Petition page: progress toward the thresholds beside the map of where it is signed."""

import streamlit as st

from dashboard import cache, embed, live, outlook, seat_panel, share, ui
from dashboard import petition_parts as parts
from dashboard.components.mapview import STATE_KEYS, first_view_only, map_element, picked
from geo.analysis.metrics import SCHEMES
from geo.reference.datasets import ESTIMATE_NOTE
from geo.render.card import card_png
from geo.render.maps import AREAS, METRICS, VIEWS

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

first_view = first_view_only("petition")

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
                state_targets={k: k for k in STATE_KEYS}, title=f"{METRICS[metric]} (estimate)" if estimate else None,
                deferred=first_view)
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
        seat_panel.beside_map(table, code, estimate)

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

if not first_view:  # below the fold: sent once the map is drawn
    parts.top_ten(table, area, metric, estimate)
    parts.breakdowns(p, table)
    parts.downloads(p, result, {"metric": metric, "view": view, "area": area, "scheme": scheme,
                                "selected": code or None})

if result.unmatched:
    st.warning(f"{len(result.unmatched)} code(s) in the petition are not {result.set_name} constituencies: "
               + ui.md_escape(", ".join(result.unmatched[:20]) + (" …" if len(result.unmatched) > 20 else "")))

ui.sync_url(**{k: v or None for k, v in view_params.items()})
