"""Trends page, for campaigners: how a petition grew, and where it spread, over stored snapshots."""

import streamlit as st

from dashboard import cache, outlook, ui
from dashboard import trend_parts as parts
from geo.render.charts import rate_chart, total_chart
from petitions.model import DEBATE_THRESHOLD, RESPONSE_THRESHOLD
from petitions.projection import outlook as project

loaded = ui.require_petition()
p = loaded.petition
ui.plain_title(f"Trends: {p.action}")
trend = cache.trend(p.id)
if trend is None or len(trend.snapshots) < 2:
    count = 0 if trend is None else len(trend.snapshots)
    st.info(f"{count} snapshot{'s' if count != 1 else ''} of petition {p.id} stored: a trend needs two or more. "
            f"Start tracking it with `petitionmap track {p.id} --every 5m` (leave it running), or keep "
            "this page open: each live fetch is stored as a snapshot.", icon=":material/timeline:")
    ui.sync_url(petition=str(p.id))
    st.stop()

snaps = trend.snapshots
frozen = trend.frozen
stale = trend.stale
st.caption(f"{len(snaps):,} snapshots from {snaps['fetched_at'].min():%d %b %Y %H:%M} to "
           f"{snaps['fetched_at'].max():%d %b %Y %H:%M} UTC, from the local snapshot store.")
parts.stale_warning(snaps, stale)
left, right = st.columns(2)
with left:
    st.plotly_chart(total_chart(snaps, {RESPONSE_THRESHOLD: "10,000: Government response",
                                        DEBATE_THRESHOLD: "100,000: considered for debate"}),
                    config=cache.PLOTLY_CONFIG, width="stretch", key="total")
with right:
    st.plotly_chart(rate_chart(trend.rates), config=cache.PLOTLY_CONFIG, width="stretch", key="rate")
outlook.show(p, project(p, snaps))

codes = cache.geometry_codes(trend.cset)
geometry = cache.geometry_urls(trend.cset)
measure = parts.map_through_time(p, trend, geometry, codes)
view = st.session_state["view"]
picked = parts.pick_range(snaps, frozen, stale)
if picked is None:
    ui.sync_url(petition=str(p.id), view=view, metric=measure)
    st.stop()
start, end, labels, stamps = picked
parts.spread_panel(p, trend, start, end, labels, geometry, codes, view)
parts.snapshots_table(p, snaps, stale)
ui.sync_url(petition=str(p.id), view=view, metric=measure, **{"from": stamps[start], "to": stamps[end]})
