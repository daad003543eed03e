"""One constituency in one joined petition: its four figures and its area's rates. The petition page shows it
beside the map, the constituency page below the seat's profile."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, ui
from dashboard.components.mapview import map_element, picked
from geo.analysis.across import local_slug, neighbours
from geo.analysis.metrics import ordinal
from geo.analysis.seat import area_rates
from petitions.loader import Loaded
from petitions.model import PetitionError


def figures(table: pd.DataFrame, code: str, per_row: int) -> pd.DataFrame:
    """Seat `code` of a joined table as four metrics, `per_row` to a row; returns the seat beside its region,
    nation and the UK (area, kind, signatures, per_1000)."""
    row = table.set_index("ons_code").loc[code]
    of = len(table)
    shown = [("Signatures", f"{int(row['signatures']):,}", None),
             (f"Rank of {of}", ordinal(int(row["rank"])),
              f"by number of signatures; {ordinal(int(row['rank_rate']))} of {of} per 1,000 residents"),
             ("Per 1,000 residents", f"{row['per_1000']:.2f}", None),
             ("Index vs UK", f"{row['index']:.2f}", "1.0 = the UK rate; 2.0 = twice it")]
    for start in range(0, len(shown), per_row):
        for col, (label, value, why) in zip(st.columns(per_row), shown[start:start + per_row]):
            col.metric(label, value, help=why)
    return area_rates(table.set_index("ons_code")["signatures"], table, code, ())


def beside_map(table: pd.DataFrame, code: str, estimate: bool = False) -> None:
    """The petition page's panel of the selected constituency, compared with its region, nation and the UK."""
    row = table.set_index("ons_code").loc[code]
    with st.container(border=True):
        st.markdown(f"### {ui.md_escape(row['name'])}")
        who = "Estimate from the 2010–2024 seats" if estimate else ui.mp_text(row)
        st.caption(ui.md_escape(f"{who} · {ui.place(row)} · {code}"))
        here, *around = figures(table, code, per_row=2).itertuples()
        st.markdown(f"Per 1,000 residents: **{here.per_1000:.2f}** here · " + " · ".join(
            f"{r.per_1000:.2f} in {'the UK' if r.kind == 'UK' else r.area}" for r in around))


def in_petition(loaded: Loaded, code: str) -> None:
    """The constituency page's seat in the petition chosen in the sidebar: figures, its neighbours on the map, and
    (on the 2024 boundaries) what is popular there now."""
    p = loaded.petition
    result = cache.join(p)
    table = result.table
    names = dict(zip(table["ons_code"], table["name"]))
    row = table.set_index("ons_code").loc[code]
    st.subheader("In this petition")
    ui.plain_text(f"Petition: {p.action}")
    if loaded.note:
        st.info(ui.md_escape(loaded.note), icon=":material/cloud_off:")
    left, right = st.columns([3, 2], gap="medium")
    with left:
        _rates(table, code)
    with right:
        values, _ = cache.values(p, result)
        map_element(key="near", geometry=cache.geometry_urls(result.cset), values=values,
                    state={"view": "map", "metric": "per_1000", "scheme": "quantiles", "area": "UK"}, selected=code,
                    focus=neighbours(table, code), height=360, label=f"{row['name']} and its neighbours",
                    on_select=picked("near", names))
        st.caption("This constituency (outlined) and its neighbours, per 1,000 residents; colours on the UK-wide "
                   "scale.")
    if result.set_name == "pcon2024":
        try:
            local = cache.local_petitions(local_slug(row["name"]))
            st.markdown("**Popular here now** (petition.parliament.uk, current parliament)")
            st.dataframe([{"Petition": i.action, "Signatures": i.signature_count, "State": i.state} for i in local],
                         hide_index=True, width="stretch")
        except PetitionError as exc:
            st.caption(f"Live list of popular petitions here unavailable: {ui.md_escape(str(exc))}")


def _rates(table: pd.DataFrame, code: str) -> None:
    rates = figures(table, code, per_row=4)
    st.dataframe(rates.rename(columns={"area": "Area", "signatures": "Signatures", "per_1000": "Per 1,000 residents"}),
                 hide_index=True, width="stretch", column_order=["Area", "Signatures", "Per 1,000 residents"],
                 column_config={"Signatures": st.column_config.NumberColumn(format="localized"),
                                "Per 1,000 residents": st.column_config.NumberColumn(format="%.2f")})
