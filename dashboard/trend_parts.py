"""The Trends page's parts: stale snapshots, the map through time, the growth between two snapshots."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, ui
from dashboard.components.mapview import map_element
from geo.analysis.history import Trend, time_texts
from geo.render.maps import VIEWS, frame_layers
from petitions.model import Petition

MEASURES = ["signatures", "per_1000", "growth_per_1000"]


def stale_warning(snaps: pd.DataFrame, stale: dict[int, str]) -> None:
    """Which snapshots are left out of growth and of the map through time, and why."""
    when = dict(zip(snaps["snapshot_id"].astype(int), snaps["fetched_at"]))
    if stale:
        st.warning(f"{len(stale):,} snapshot(s) have a stale constituency breakdown (the official site lagged "
                   "behind its own total), so they are left out of growth and of the map through time:\n\n"
                   + "\n".join(f"- {when[sid]:%d %b %Y %H:%M}: {why}" for sid, why in stale.items()),
                   icon=":material/ac_unit:")


def map_through_time(p: Petition, trend: Trend, geometry: dict[str, str], codes: list[str]) -> str:
    """The animated map, coloured by the measure chosen above it; returns the measure."""
    st.subheader("The map through time")
    ui.url_default("view", "map", VIEWS)
    if "trend_metric" not in st.session_state:
        asked = st.query_params.get("metric")
        st.session_state["trend_metric"] = asked if asked in MEASURES else "signatures"
    measure = st.radio("Colour by", MEASURES, horizontal=True, key="trend_metric",
                       format_func={"signatures": "Signatures", "per_1000": "Per 1,000",
                                    "growth_per_1000": "Growth per 1,000 since previous"}.get)
    frames = trend.frames(measure)
    titles = {"signatures": "Signatures", "per_1000": "Signatures per 1,000 residents",
              "growth_per_1000": "Growth per 1,000 since the previous snapshot"}
    if not frames:
        st.info("Growth needs two snapshots with changed constituency counts.")
    else:
        # Every frame travels once as a string of classes; Play and the slider run in the browser.
        map_element(key="animation", geometry=geometry, state={"view": st.session_state["view"]}, controls=["view"],
                    layers=frame_layers(frames, measure, codes, title=titles[measure],
                                        zero_label="No new signatures" if measure == "growth_per_1000" else
                                        "No signatures"),
                    label=f"Map of petition {p.id} through time", state_targets={"view": "view"})
        st.caption("Drag the slider or press Play." + (" Snapshots with a stale breakdown are left out."
                                                       if trend.frozen else ""))
    return measure


def pick_range(snaps: pd.DataFrame, frozen: frozenset[int], stale: dict[int, str]
               ) -> tuple[int, int, dict[int, str], dict[int, str]] | None:
    """The two snapshots to compare (from, to, their labels and their URL stamps); None when there are not two."""
    st.subheader("Spreading fastest")
    include = st.toggle("Include snapshots with a stale breakdown", key="include_stale", disabled=not stale,
                        help="Off by default: their constituency counts lag behind the total, so growth from them "
                             "is overstated")
    usable = snaps if include else snaps[~snaps["snapshot_id"].isin(frozen)]
    usable_ids = usable["snapshot_id"].astype(int).tolist()
    stamps = dict(zip(usable_ids, time_texts(usable["fetched_at"], "%Y-%m-%dT%H%M")))
    labels = {sid: text + (" (stale)" if sid in stale else "")
              for sid, text in zip(usable_ids, time_texts(usable["fetched_at"], "%d %b %Y %H:%M"))}
    ids = list(labels)  # in time order
    by_stamp = {v: k for k, v in stamps.items()}
    for key, default in (("from", ids[0]), ("to", ids[-1])):  # a shared link names snapshots by their time
        if st.session_state.get(key) not in ids:
            st.session_state[key] = by_stamp.get(st.query_params.get(key, ""), default)
    if len(ids) < 2:
        st.info("Growth needs two snapshots with a usable constituency breakdown.")
        return None
    a, b = st.columns(2)
    if ids.index(st.session_state["from"]) >= len(ids) - 1:
        st.session_state["from"] = ids[0]
    start = a.selectbox("From", ids[:-1], format_func=labels.__getitem__, key="from")
    later = ids[ids.index(start) + 1:]
    if st.session_state["to"] not in later:
        st.session_state["to"] = later[-1]
    end = b.selectbox("To", later, format_func=labels.__getitem__, key="to")
    return start, end, labels, stamps


def spread_panel(p: Petition, trend: Trend, start: int, end: int, labels: dict[int, str], geometry: dict[str, str],
                 codes: list[str], view: str) -> None:
    """Growth per seat between the two snapshots: the top 20 and the map."""
    warning = trend.growth_warning(start, end)
    if warning:
        st.warning(warning, icon=":material/warning:")
    spread = trend.spread(cache.growth(p.id, start, end))
    c, d = st.columns([2, 3])
    with c:
        st.dataframe(spread.head(20)[["name", "growth", "growth_per_1000", "count_to"]], hide_index=True,
                     width="stretch", column_config={"name": "Constituency",
                                    "growth": st.column_config.NumberColumn("Growth", format="localized"),
                                    "growth_per_1000": st.column_config.NumberColumn("Per 1,000", format="%.2f"),
                                    "count_to": st.column_config.NumberColumn("Now", format="localized")})
        st.caption("Top 20 by growth per 1,000 residents; sort by any column.")
    with d:
        growth = spread.assign(growth_per_1000=spread["growth_per_1000"].clip(lower=0))
        map_element(key="spread", geometry=geometry, state={"view": view}, height=560,
                    layers=frame_layers([(f"{labels[start]} → {labels[end]}", growth)], "growth_per_1000", codes,
                                        title="Growth per 1,000 residents", zero_label="No new signatures"),
                    label=f"Where petition {p.id} grew fastest")


def snapshots_table(p: Petition, snaps: pd.DataFrame, stale: dict[int, str]) -> None:
    """Every stored snapshot as a table, and as a CSV download."""
    with st.expander("Snapshots"):
        shown = snaps.assign(stale=[stale.get(int(i), "") for i in snaps["snapshot_id"]])
        st.dataframe(shown, hide_index=True, width="stretch", column_config=ui.column_config(shown))
        st.download_button("Download snapshots CSV", lambda: shown.to_csv(index=False).encode(),
                           file_name=f"petition-{p.id}-snapshots.csv", mime="text/csv", on_click="ignore")
