"""The petition page below the map: the top ten, the breakdowns and the downloads."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import ui
from geo.analysis.breakdowns import abroad, by_nation, by_region, totals
from geo.analysis.join import JoinResult
from geo.export import attribution_line, export_table, to_csv_bytes, to_geojson_bytes
from geo.render.maps import filter_area
from geo.render.pictures import map_image
from petitions.model import Petition


def top_ten(table: pd.DataFrame, area: str, metric: str, estimate: bool) -> None:
    st.subheader(f"Top 10 in {'the UK' if area == 'UK' else area}")
    st.caption({"signatures": "by signatures", "per_1000": "by signatures per 1,000 residents",
                "index": "by index vs UK"}[metric] + (" (estimates on the 2024 boundaries)" if estimate else ""))
    top = filter_area(table, area).nlargest(10, metric)
    # Small tables as Markdown: the page's first view loads no table (Arrow) bundle, so the map draws sooner.
    st.markdown(ui.markdown_table(top, {"name": "Constituency", "signatures": "Signatures", "per_1000": "Per 1,000",
                                     "index": "Index vs UK"}))


def breakdowns(p: Petition, table: pd.DataFrame) -> None:
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


def downloads(p: Petition, result: JoinResult, shown: dict[str, Any]) -> None:
    """Every constituency as a table, and the CSV, GeoJSON and map picture downloads of the map as shown."""
    # Its content runs only when opened: the toggle's and download buttons' bundles stay off the first view.
    box = st.expander("All constituencies: table and downloads", key="downloads", on_change="rerun")
    if box.open:
        with box:
            if st.toggle("Show the table of every constituency", key="all_table"):
                everything = export_table(result)
                st.dataframe(everything, hide_index=True, width="stretch", column_config=ui.column_config(everything))
            suffix = "-2024-estimate" if result.estimated_from else ""
            area = shown["area"].lower().replace(" ", "-")
            stem = f"petition-{p.id}-{shown['metric']}-{shown['view']}-{area}{suffix}"
            cols = st.columns(4)
            cols[0].download_button("CSV", lambda: to_csv_bytes(result), file_name=f"petition-{p.id}{suffix}.csv",
                                    mime="text/csv", on_click="ignore", icon=":material/table:")
            cols[1].download_button("GeoJSON", lambda: to_geojson_bytes(result),
                                    file_name=f"petition-{p.id}{suffix}.geojson",
                                    mime="application/geo+json", on_click="ignore", icon=":material/public:")
            cols[2].download_button("Map PNG", lambda: map_image(result, **shown), file_name=f"{stem}.png",
                                    mime="image/png", on_click="ignore", icon=":material/image:")
            cols[3].download_button("Map SVG", lambda: map_image(result, fmt="svg", **shown),
                                    file_name=f"{stem}.svg", mime="image/svg+xml", on_click="ignore",
                                    icon=":material/draw:")
            st.caption(attribution_line(result))
