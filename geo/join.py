"""Join a petition's constituency counts to a constituency set, on ONS codes."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.datasets import ConstituencySet, load_set
from geo.metrics import add_metrics
from geo.sets import detect_set
from petitions.model import Petition

COLUMNS = ["ons_code", "name", "mp", "signatures", "population", "per_1000", "share", "index", "rank",
           "rank_rate", "nation", "region", "electorate", "listed"]


@dataclass(frozen=True)
class JoinResult:
    """The joined table (one row per constituency of the set) and what did not match."""

    set_name: str
    table: gpd.GeoDataFrame
    unmatched: tuple[str, ...]  # codes in the petition that the set lacks

    @property
    def total(self) -> int:
        return int(self.table["signatures"].sum())


def join_petition(petition: Petition, cset: ConstituencySet | None = None) -> JoinResult:
    """Join a petition to its constituency set (detected from its codes unless given)."""
    counts = pd.DataFrame(
        [(c.ons_code, c.mp, c.signature_count) for c in petition.constituencies],
        columns=["ons_code", "mp", "signatures"],
    )
    if cset is None:
        cset = load_set(detect_set(counts["ons_code"], petition.parliament, petition.opened_at))
    return join_counts(counts, cset)


def join_counts(counts: pd.DataFrame, cset: ConstituencySet) -> JoinResult:
    """Join counts (columns ons_code, signatures, optional mp) to every constituency of a set.

    Constituencies absent from the counts get 0 signatures; codes the set lacks are returned
    in `unmatched`, never silently dropped.
    """
    missing = {"ons_code", "signatures"} - set(counts.columns)
    if missing:
        raise ValueError(f"counts lack column(s): {', '.join(sorted(missing))}")
    if "mp" not in counts.columns:
        counts = counts.assign(mp=None)
    counts = counts.groupby("ons_code", as_index=False, sort=False).agg(
        signatures=("signatures", "sum"), mp=("mp", "first"))
    table = cset.table.merge(counts, on="ons_code", how="left", validate="one_to_one", indicator="listed")
    table["listed"] = table["listed"] == "both"  # in the petition's list (absent rows have no MP given)
    table["mp"] = table["mp"].astype(object).where(table["mp"].notna(), None)  # mp: null = seat vacant
    table["signatures"] = table["signatures"].fillna(0).astype("int64")
    known = set(cset.table["ons_code"])
    unmatched = tuple(sorted(c for c in counts["ons_code"] if c not in known))
    table = add_metrics(table)
    ordered = [c for c in COLUMNS if c in table.columns] + ["hex_q", "hex_r", "geometry"]
    return JoinResult(cset.name, gpd.GeoDataFrame(table[ordered], geometry="geometry", crs=cset.table.crs),
                      unmatched)
