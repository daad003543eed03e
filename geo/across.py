"""One constituency across many petitions: where it signs most, and what is unusually popular there."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import shapely

COLUMNS = ["id", "action", "state", "signatures", "per_1000", "index", "rank", "of", "total", "source"]
SOURCE_NAMES = {"api": "saved by this app", "file": "imported file", "series": "imported series"}


def seat_across(latest: pd.DataFrame, code: str, table: pd.DataFrame,
                counts_at: Callable[[int, int], pd.DataFrame] | None = None, ranked: int = 10) -> pd.DataFrame:
    """One constituency in every petition that has signatures there, most signed first.

    `latest` is the store's latest_counts_for(code); `table` the seat's constituency set (population). The index
    is signatures per resident here ÷ the petition's rate across the set. Ranks (1 = most signed seat) are looked
    up with `counts_at(petition, snapshot)` for the `ranked` most signed and the `ranked` highest-index petitions
    only, the rows a page lists; other rows have none.
    """
    if latest.empty:
        return pd.DataFrame(columns=COLUMNS)
    people = table.set_index("ons_code")["population"]
    population, everyone = float(people.get(code, 0) or 0), float(people.sum())
    rows = latest[latest["signature_count"] > 0]
    here = rows["signature_count"].astype("float64")
    rate = rows["constituency_total"].astype("float64") / everyone
    out = pd.DataFrame({
        "id": rows["petition_id"], "action": rows["action"], "state": rows["state"],
        "signatures": rows["signature_count"].astype("int64"),
        "per_1000": here / population * 1000 if population else 0.0,
        "index": (here / population / rate).where(rate > 0, 0.0) if population else 0.0,
        "rank": pd.array([pd.NA] * len(rows), dtype="Int64"), "of": len(table),
        "total": rows["signature_total"], "source": rows["source"].map(SOURCE_NAMES).fillna("stored"),
        "_snapshot": rows["snapshot_id"]}).sort_values(["signatures", "id"], ascending=[False, True], ignore_index=True)
    if counts_at is not None:
        for i in set(out.head(ranked).index) | set(out.nlargest(ranked, "index").index):
            counts = counts_at(int(out.at[i, "id"]), int(out.at[i, "_snapshot"]))["signature_count"]
            out.at[i, "rank"] = int((counts > out.at[i, "signatures"]).sum()) + 1
    return out.drop(columns="_snapshot")


def neighbours(table: gpd.GeoDataFrame, code: str) -> list[str]:
    """ONS codes of the constituencies that share a boundary with this one (itself first)."""
    rows = table.set_index("ons_code")
    if code not in rows.index:
        raise KeyError(f"{code} is not in this constituency set")
    shape = rows.geometry.loc[code]
    # Coverage-simplified edges are shared exactly; a hair of tolerance covers the rounding.
    hits = table.geometry.sindex.query(shapely.buffer(shape, 1e-4), predicate="intersects")
    others = [c for c in table["ons_code"].iloc[hits] if c != code]
    return [code, *sorted(others)]


def local_slug(name: str) -> str:
    """The slug of a constituency's local page on petition.parliament.uk ("Brighton, Pavilion" → brighton-pavilion)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()  # Môn → Mon
    return re.sub(r"[^a-z0-9]+", "-", plain.lower().replace("&", "and")).strip("-")
