"""Trends page, for campaigners: how a petition grew, and where it spread, over stored snapshots."""

import streamlit as st

from dashboard import cache, ui
from geo.maps import VIEWS, animated_choropleth, choropleth, line_chart
from petitions.model import DEBATE_THRESHOLD, RESPONSE_THRESHOLD

loaded = ui.require_petition()
p = loaded.petition
st.title(f"Trends: {p.action}")
history = cache.history(p.id)
if history is None or len(history.snapshots) < 2:
    count = 0 if history is None else len(history.snapshots)
    st.info(f"{count} snapshot{'s' if count != 1 else ''} of petition {p.id} stored: a trend needs two or more. "
            f"Start tracking it with `python -m petitions.track {p.id} --every 5m` (leave it running), or keep "
            "this page open: each live fetch is stored as a snapshot.", icon=":material/timeline:")
    ui.sync_url(petition=str(p.id))
    st.stop()

snaps = history.snapshots
frozen = history.frozen
st.caption(f"{len(snaps)} snapshots from {snaps['fetched_at'].min():%d %b %Y %H:%M} to "
           f"{snaps['fetched_at'].max():%d %b %Y %H:%M} UTC, from the local snapshot store.")
if frozen:
    st.warning(f"{len(frozen)} snapshot(s) have exactly the previous snapshot's constituency counts although the "
               "total rose: the official site had frozen its constituency breakdown. They are marked below and left "
               "out of growth maps.", icon=":material/ac_unit:")

left, right = st.columns(2)
with left:
    st.plotly_chart(line_chart(snaps, "fetched_at", "signature_count", title="Total signatures",
                               thresholds={RESPONSE_THRESHOLD: "10,000: Government response",
                                           DEBATE_THRESHOLD: "100,000: considered for debate"}),
                    config=cache.PLOTLY_CONFIG, width="stretch", key="total")
with right:
    st.plotly_chart(line_chart(history.rates, "fetched_at", "per_hour", title="Signatures per hour", bars=True),
                    config=cache.PLOTLY_CONFIG, width="stretch", key="rate")

st.subheader("The map through time")
a, b = st.columns(2)
ui.url_default("view", "map", VIEWS)
view = a.radio("View", list(VIEWS), format_func=VIEWS.get, key="view", horizontal=True)
measure = b.radio("Colour by", ["signatures", "per_1000", "growth_per_1000"], horizontal=True, key="trend_metric",
                  format_func={"signatures": "Signatures", "per_1000": "Per 1,000",
                               "growth_per_1000": "Growth per 1,000 since previous"}.get)
frames = history.frames(measure)
if not frames:
    st.info("Growth needs two snapshots with changed constituency counts.")
else:
    st.plotly_chart(animated_choropleth(frames, measure, view=view, geojson=cache.geometry_url(history.set_name, view),
                                        legend_title={"growth_per_1000": "Growth per 1,000"}.get(measure)),
                    config=cache.PLOTLY_CONFIG, width="stretch", key="animation")
    st.caption("Drag the slider or press Play." + (" Frozen snapshots are left out." if frozen and
                                                       measure == "growth_per_1000" else ""))

st.subheader("Spreading fastest")
usable = snaps[~snaps["snapshot_id"].isin(frozen)]
labels = {int(r.snapshot_id): f"{r.fetched_at:%d %b %Y %H:%M}" for r in usable.itertuples()}
ids = list(labels)  # in time order
a, b = st.columns(2)
start = a.selectbox("From", ids[:-1], index=0, format_func=labels.get, key="from")
later = ids[ids.index(start) + 1:]
end = b.selectbox("To", later, index=len(later) - 1, format_func=labels.get, key="to")
spread = history.spread(cache.growth(p.id, start, end))
c, d = st.columns([2, 3])
with c:
    st.dataframe(spread.head(20)[["name", "growth", "growth_per_1000", "count_to"]], hide_index=True, width="stretch",
                 column_config={"name": "Constituency",
                                "growth": st.column_config.NumberColumn("Growth", format="localized"),
                                "growth_per_1000": st.column_config.NumberColumn("Per 1,000", format="%.2f"),
                                "count_to": st.column_config.NumberColumn("Now", format="localized")})
    st.caption("Top 20 by growth per 1,000 residents; sort by any column.")
with d:
    growth_map = spread.rename(columns={"growth_per_1000": "per_1000"})
    st.plotly_chart(choropleth(history.as_table(growth_map), "per_1000", view=view,
                               geojson=cache.geometry_url(history.set_name, view), height=560,
                               legend_title="Growth per 1,000"),
                    config=cache.PLOTLY_CONFIG, width="stretch", key="spread")

with st.expander("Snapshots"):
    shown = snaps.assign(frozen=snaps["snapshot_id"].isin(frozen))
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button("Download snapshots CSV", shown.to_csv(index=False).encode(),
                       file_name=f"petition-{p.id}-snapshots.csv", mime="text/csv", on_click="ignore")
ui.sync_url(petition=str(p.id), view=view)
