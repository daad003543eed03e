"""Join a petition's constituency counts to a constituency set, on ONS codes."""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.metrics import add_metrics
from geo.reference.datasets import ConstituencySet
from geo.reference.sets import detect_set
from petitions.model import Petition, PetitionError, short

COLUMNS = ["ons_code", "name", "mp", "signatures", "population", "per_1000", "share", "index", "rank",
           "rank_rate", "nation", "region", "electorate", "listed"]


@dataclass(frozen=True)
class JoinResult:
    """The joined table (one row per constituency of the set), the set itself, what did not match, and the
    petition the counts came from (None for bare counts)."""

    cset: ConstituencySet
    table: gpd.GeoDataFrame
    unmatched: tuple[str, ...]  # codes in the petition that the set lacks
    estimated_from: str | None = None  # the set the counts were counted on, when estimated onto this one
    petition: Petition | None = None

    @property
    def set_name(self) -> str:
        return self.cset.name

    @property
    def total(self) -> int:
        return int(self.table["signatures"].sum())


def petition_set(petition: Petition) -> str:
    """The name of the constituency set a petition was counted on (from its codes, else its dates)."""
    return detect_set([c.ons_code for c in petition.constituencies], petition.parliament, petition.opened_at)


def join_petition(petition: Petition, cset: ConstituencySet) -> JoinResult:
    """Join a petition to a constituency set (the caller loads it: see `petition_set`)."""
    counts = pd.DataFrame(
        [(c.ons_code, c.mp, c.signature_count) for c in petition.constituencies],
        columns=["ons_code", "mp", "signatures"],
    )
    result = replace(join_counts(counts, cset), petition=petition)
    if len(counts) and len(result.unmatched) == len(counts):  # an all-zero map would look like a real one
        raise PetitionError(f"none of the {len(counts):,} constituency codes of petition {petition.id} is a "
                            f"Westminster constituency (e.g. {short(result.unmatched[0])})")
    return result


def join_counts(counts: pd.DataFrame, cset: ConstituencySet) -> JoinResult:
    """Join counts (columns ons_code, signatures, optional mp) to every constituency of a set.

    Constituencies absent from the counts get 0 signatures; codes the set lacks are returned
    in `unmatched`, never silently dropped.
    """
    missing = {"ons_code", "signatures"} - set(counts.columns)
    if missing:
        raise ValueError(f"counts lack column(s): {', '.join(sorted(missing))}")
    base = cset.table
    n = len(base)
    codes = counts["ons_code"].to_numpy(dtype=object)
    # Positions in the set (a plain index lookup: no merge, no copy of the geometry column).
    pos = pd.Index(base["ons_code"]).get_indexer(codes)
    hit = pos >= 0
    signatures = np.bincount(pos[hit], weights=counts["signatures"].fillna(0).to_numpy(dtype="float64")[hit],
                             minlength=n)  # duplicate codes are summed
    listed = np.zeros(n, dtype=bool)  # in the petition's list (absent rows have no MP given)
    listed[pos[hit]] = True
    mp = np.full(n, None, dtype=object)  # mp: null = seat vacant
    if "mp" in counts.columns:
        mps = counts["mp"].to_numpy(dtype=object)
        given = hit & pd.notna(mps)
        seats, first = np.unique(pos[given], return_index=True)  # the first MP named for a seat
        mp[seats] = mps[given][first]
    table = pd.DataFrame(base.drop(columns=base.geometry.name)).reset_index(drop=True)
    table["mp"] = pd.Series(mp, dtype=object)
    table["signatures"] = signatures.astype("int64")
    table["listed"] = listed
    unmatched = tuple(sorted(set(codes[~hit].tolist())))
    table = add_metrics(table)
    ordered = [c for c in COLUMNS if c in table.columns] + ["hex_q", "hex_r"]
    return JoinResult(cset, gpd.GeoDataFrame(table[ordered], geometry=base.geometry.to_numpy(), crs=base.crs),
                      unmatched)
