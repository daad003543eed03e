"""The Compare page's parts: one side from its box and date, the two maps on one scale, the difference, and
where each petition is strongest."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, ui
from dashboard.components.mapview import map_element
from geo.analysis.compare import Side, correlation, difference_layer, index_layers, scatter, strongest
from geo.render.maps import frame_layers
from petitions.api import parse_source
from petitions.model import PetitionError

LATEST = ""  # the date choice meaning "the current document"


def stamp(t) -> str:
    return f"{pd.Timestamp(t):%Y-%m-%dT%H%M}"


def load_side(key: str) -> tuple[Side, str, bool] | None:
    """Side `key` ("a" or "b") from its box and date: (side, short label, open petition), or None with a message."""
    raw = str(st.session_state.get(key, "")).strip()
    if not raw:
        return None
    try:
        pid = int(parse_source(raw))
        loaded = cache.petition(pid)
        result = cache.join(loaded.petition)
    except PetitionError as exc:
        st.error(f"Petition {key.upper()}: {ui.md_escape(str(exc))}", icon=":material/error:")
        return None
    p = loaded.petition
    snaps = cache.snapshots(pid, (str(p.updated_at), p.signature_count))
    stamps = {stamp(r.fetched_at): int(r.snapshot_id) for r in snaps.itertuples()} if snaps is not None else {}
    at_key = f"at_{key}"
    if st.session_state.get(at_key, LATEST) not in (LATEST, *stamps):
        st.session_state[at_key] = LATEST
    when = st.selectbox(f"Date of {key.upper()}", [LATEST, *stamps], key=at_key,
                        format_func=lambda s: "Now (the current count)" if s == LATEST else
                        f"Snapshot of {pd.Timestamp(s[:10] + ' ' + s[11:13] + ':' + s[13:]):%d %b %Y %H:%M} UTC")
    counts = result.table.set_index("ons_code")["signatures"]
    label = f"{key.upper()}: {p.id}"
    if when != LATEST:
        stored = cache.snapshot_counts(pid, stamps[when])
        if stored is None:
            st.error(f"Petition {key.upper()}: the snapshot store cannot be read.", icon=":material/error:")
            return None
        counts = stored.reindex(counts.index).fillna(0)
        label += f" at {pd.Timestamp(when[:10]):%d %b %Y}"
    st.caption(f"{key.upper()}: " + ui.md_escape(p.action) + f" · {int(counts.sum()):,} in constituencies")
    return Side(label, counts, result.cset), label, p.state == "open"


def side_by_side(table: pd.DataFrame, codes: list[str], geometry: dict[str, str], names: tuple[str, str],
                 mark: list[str]) -> None:
    """The two petitions' maps on one colour scale (index vs each one's UK rate, or per 1,000 residents)."""
    name_a, name_b = names
    st.subheader("Side by side, on one colour scale")
    scale = st.radio("Colour by", ["index", "per_1000"], horizontal=True, key="scale",
                     format_func={"index": "Index vs its own UK rate (sizes set aside)",
                                  "per_1000": "Signatures per 1,000 residents"}.get)
    if scale == "index":
        titles = (f"{name_a}: index vs its UK rate{mark[0]}", f"{name_b}: index vs its UK rate{mark[1]}")
        layers = index_layers(table, codes, titles)
    else:
        titles = (f"{name_a} per 1,000 residents{mark[0]}", f"{name_b} per 1,000 residents{mark[1]}")
        frames = [(t, pd.DataFrame({"ons_code": table.index, "per_1000": table[col].to_numpy()}))
                  for t, col in zip(titles, ("per_1000_a", "per_1000_b"))]
        both = frame_layers(frames, "per_1000", codes, title="Signatures per 1,000 residents")  # one scale for both
        layers = [{**both, "title": t, "frames": [f]} for t, f in zip(titles, both["frames"])]
    map_a, map_b = st.columns(2)
    for column, key, layer in zip((map_a, map_b), ("map_a", "map_b"), layers):
        with column:
            map_element(key=key, geometry=geometry, state={"view": st.session_state.get("view", "map")}, height=520,
                        layers=layer, label=f"Map of {layer['title']}")
    st.caption("Index 1.0: the seat signs at the petition's UK rate; 2.0: twice it. The same colour means the same "
               "value on both maps." if scale == "index" else "The same colour means the same rate on both maps.")


def difference(table: pd.DataFrame, seat_names: pd.Series, codes: list[str], geometry: dict[str, str],
               names: tuple[str, str]) -> None:
    """The map of the difference in shares, and the scatter of the two rates."""
    name_a, name_b = names
    st.subheader("Difference")
    diff, points = st.columns([3, 2])
    with diff:
        map_element(key="map_diff", geometry=geometry, state={"view": st.session_state.get("view", "map")}, height=560,
                    layers=difference_layer(table, codes, "A", "B"), label="Map of the difference in shares")
        st.caption(f"Each seat's share of {name_a}'s constituency signatures minus its share of {name_b}'s, in "
                   "percentage points: orange where B is relatively stronger, purple where A is.")
    with points:
        r = correlation(table["per_1000_a"], table["per_1000_b"])
        st.plotly_chart(scatter(table, seat_names, name_a, name_b, r), config=cache.PLOTLY_CONFIG,
                        width="stretch", key="scatter")
        st.caption(f"Correlation of the two rates over {len(table):,} seats: r = {r:.2f} (Pearson)." if r is not None
                   else "No correlation: one of the two is the same in every seat.")


def strongest_lists(table: pd.DataFrame, seat_names: pd.Series, names: tuple[str, str]) -> None:
    """The seats where each petition is strongest relative to the other."""
    name_a, name_b = names
    st.subheader("Where each is strongest relative to the other")
    top_a, top_b = strongest(table)
    columns = {"name": "Constituency", "share_a": f"Share of {name_a} (%)", "share_b": f"Share of {name_b} (%)",
               "difference": "Difference (pts)"}
    strong_a, strong_b = st.columns(2)
    # The lists are ordered by the ratio of the two shares, so the ratio is shown beside the difference.
    for column, head, seats, sign in ((strong_a, name_a, top_a, 1), (strong_b, name_b, top_b, -1)):
        with column:
            st.markdown(f"**{ui.md_escape(head)} relatively strongest**")
            if seats:
                rows = table.loc[seats].assign(name=seat_names.reindex(seats).to_numpy(),
                                               times=2.0 ** (sign * table.loc[seats, "relative"]))
                st.markdown(ui.markdown_table(rows[["name", "share_a", "share_b", "difference", "times"]],
                                              {**columns, "times": "Ratio of the shares (×)"}))
            else:
                st.markdown("No seat: the two are spread alike.")
