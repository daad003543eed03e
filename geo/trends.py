"""A petition's stored snapshots turned into trends: totals, rates, map frames and growth.

The store answers the questions (snapshots and totals, stale snapshots, counts at the frames, growth between two
snapshots); a Trend holds those answers only, never every count of every snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.datasets import ConstituencySet, load_set
from geo.join import join_counts
from geo.sets import detect_set
from petitions.history import growth, rate_per_hour

MAX_FRAMES = 40  # an animation longer than this is thinned evenly (first and last kept)


@dataclass(frozen=True)
class Trend:
    """Snapshots of one petition joined to its constituency set."""

    cset: ConstituencySet
    snapshots: pd.DataFrame  # snapshot_id, fetched_at, signature_count, … ordered by time
    counts: pd.DataFrame  # snapshot_id, ons_code, signature_count at the frames (frame_ids) only
    frozen: frozenset[int]  # snapshots whose breakdown was frozen by the official site

    @property
    def set_name(self) -> str:
        return self.cset.name

    @property
    def rates(self) -> pd.DataFrame:
        """Signatures per hour between consecutive snapshots."""
        return rate_per_hour(self.snapshots)

    def table_at(self, snapshot_id: int) -> gpd.GeoDataFrame:
        """The joined table (all metrics) at one snapshot."""
        rows = self.counts[self.counts["snapshot_id"] == snapshot_id]
        counts = rows.rename(columns={"signature_count": "signatures"})[["ons_code", "signatures"]]
        return join_counts(counts, self.cset).table

    def frames(self, measure: str) -> list[tuple[str, gpd.GeoDataFrame]]:
        """(label, table) per snapshot for an animated map of signatures, per_1000 or growth_per_1000.

        Growth frames compare each snapshot with the previous usable one; frozen snapshots are left out.
        """
        ids = frame_ids(self.snapshots, self.frozen)
        labels = dict(zip(self.snapshots["snapshot_id"].astype(int), self.snapshots["fetched_at"].map(_label)))
        if measure != "growth_per_1000":
            return [(labels[i], self.table_at(i)) for i in ids]
        out = []
        for before, after in zip(ids, ids[1:]):
            table = self.table_at(after)
            spread = self.spread(growth(self.counts, before, after)).set_index("ons_code")["growth_per_1000"]
            out.append((labels[after], table.assign(growth_per_1000=table["ons_code"].map(spread).fillna(0.0))))
        return out

    def spread(self, grown: pd.DataFrame) -> pd.DataFrame:
        """Growth per constituency between two snapshots (the store's growth(): ons_code, count_from, count_to,
        growth), absolute and per 1,000, fastest first."""
        facts = pd.DataFrame(self.cset.table[["ons_code", "name", "population"]])
        out = facts.merge(grown, on="ons_code", how="left").fillna({"count_from": 0, "count_to": 0, "growth": 0})
        out["growth_per_1000"] = out["growth"] / out["population"] * 1000
        return out.sort_values(["growth_per_1000", "growth"], ascending=False, ignore_index=True)

    def as_table(self, spread: pd.DataFrame) -> gpd.GeoDataFrame:
        """A growth table joined for the map: `signatures` = growth, so per_1000 = growth per 1,000."""
        counts = spread[["ons_code", "growth"]].rename(columns={"growth": "signatures"})
        return join_counts(counts.assign(signatures=counts["signatures"].clip(lower=0)), self.cset).table


def frame_ids(snapshots: pd.DataFrame, frozen: Iterable[int]) -> list[int]:
    """The snapshots an animation shows: the usable ones (not frozen), thinned to MAX_FRAMES, in time order."""
    usable = snapshots.sort_values("fetched_at", kind="stable")
    usable = usable[~usable["snapshot_id"].isin(set(frozen))]
    return _thin(usable["snapshot_id"].astype(int).tolist())


def build_trend(snapshots: pd.DataFrame, counts: pd.DataFrame, frozen: Iterable[int],
                cset: ConstituencySet | None = None) -> Trend:
    """A Trend from the store's snapshots, its stale snapshots and the counts at frame_ids() (the set is detected
    from the codes)."""
    snapshots = snapshots.sort_values("fetched_at", ignore_index=True)
    if cset is None:
        cset = load_set(detect_set(counts["ons_code"].unique()))
    return Trend(cset, snapshots, counts, frozenset(int(i) for i in frozen))


def _label(value: pd.Timestamp) -> str:
    return f"{pd.Timestamp(value):%d %b %H:%M}"


def _thin(ids: list[int]) -> list[int]:
    if len(ids) <= MAX_FRAMES:
        return ids
    step = (len(ids) - 1) / (MAX_FRAMES - 1)
    return sorted({ids[round(i * step)] for i in range(MAX_FRAMES)})
