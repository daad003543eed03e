"""Counts across the 2024 boundary change, estimated by population-weighted overlap (mySociety's lookup).

The lookup gives, for each pair of a 2010 seat and a 2024 seat, how many residents of the 2010 seat live in the
part that went to the 2024 seat. A 2010 seat's signatures are shared among its 2024 successors in proportion
to those residents (so every 2010 seat's signatures are handed out exactly once: totals are conserved); the
other way, a 2024 seat's signatures are shared among its 2010 predecessors in proportion to the residents each
contributed. Both assume signers are spread like residents within a seat: estimates, always labelled so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.analysis.join import JoinResult, join_counts
from geo.reference.datasets import ConstituencySet, DataError, dataset, ensure

OLD, NEW = "pcon2010", "pcon2024"


@dataclass(frozen=True)
class Crosswalk:
    """Overlap rows: old (2010 code), new (2024 code), people (residents of old living in new);
    `to_new` = people ÷ old's residents, `to_old` = people ÷ new's residents (each sums to 1 per seat)."""

    pairs: pd.DataFrame

    def successors(self, old: str) -> pd.DataFrame:
        """The 2024 seats a 2010 seat went into: new, to_new (its share of the old seat's residents), largest first."""
        rows = self.pairs[self.pairs["old"] == old]
        return rows.sort_values("to_new", ascending=False, ignore_index=True)[["new", "to_new", "people"]]

    def predecessors(self, new: str) -> pd.DataFrame:
        """The 2010 seats a 2024 seat was made from: old, to_old (share of the new seat's residents), largest first."""
        rows = self.pairs[self.pairs["new"] == new]
        return rows.sort_values("to_old", ascending=False, ignore_index=True)[["old", "to_old", "to_new", "people"]]

    def estimate(self, counts: pd.Series, onto: str) -> pd.Series:
        """Counts by ONS code of one set, estimated onto the other set (`onto` = 'pcon2024' or 'pcon2010');
        the sum is kept (to float rounding). Codes the lookup does not know are an error, never dropped."""
        src, dst, weight = ("old", "new", "to_new") if onto == NEW else ("new", "old", "to_old")
        if onto not in (OLD, NEW):
            raise ValueError(f"onto must be {OLD} or {NEW}, not {onto!r}")
        unknown = sorted(set(counts.index) - set(self.pairs[src]))
        if unknown:
            raise ValueError(f"{len(unknown)} code(s) not in the {OLD}↔{NEW} lookup (e.g. {', '.join(unknown[:3])})")
        rows = self.pairs[[src, dst, weight]].merge(counts.rename("n"), left_on=src, right_index=True)
        return (rows[weight] * rows["n"]).groupby(rows[dst]).sum()

    def weights_into(self, code: str, onto: str) -> pd.Series:
        """How one seat of `onto` is estimated: the weight of each code of the other set in it."""
        if onto == NEW:
            rows = self.pairs[self.pairs["new"] == code]
            return pd.Series(rows["to_new"].to_numpy(), index=rows["old"].to_numpy())
        rows = self.pairs[self.pairs["old"] == code]
        return pd.Series(rows["to_old"].to_numpy(), index=rows["new"].to_numpy())


@lru_cache(maxsize=1)
def load_crosswalk() -> Crosswalk:
    """The lookup from the data cache (filled from the mirror or the manifest's source)."""
    overlap = pd.read_parquet(ensure(dataset(OLD, "lookup")))
    ids = pd.read_parquet(ensure(dataset(NEW, "lookup")))
    return build_crosswalk(overlap, ids)


def build_crosswalk(overlap: pd.DataFrame, ids: pd.DataFrame) -> Crosswalk:
    """From mySociety's overlap rows (PARL10, PARL25, overlap_pop) and its id lookup (UKPARL.2025, PCON24CD)."""
    to_code = dict(zip(ids["UKPARL.2025"].str.strip(), ids["PCON24CD"].str.strip()))
    pairs = pd.DataFrame({"old": overlap["PARL10"].str.strip(), "new": overlap["PARL25"].str.strip().map(to_code),
                          "people": pd.to_numeric(overlap["overlap_pop"], errors="coerce")})
    if pairs["new"].isna().any():
        unknown = overlap["PARL25"][pairs["new"].isna()].iloc[0]
        raise DataError(f"overlap lookup names unknown 2025 seats (e.g. {unknown})")
    if pairs["people"].isna().any() or (pairs["people"] < 0).any():
        raise DataError("overlap lookup has missing or negative populations")
    pairs = pairs[pairs["people"] > 0].groupby(["old", "new"], as_index=False)["people"].sum()
    pairs["to_new"] = pairs["people"] / pairs.groupby("old")["people"].transform("sum")
    pairs["to_old"] = pairs["people"] / pairs.groupby("new")["people"].transform("sum")
    return Crosswalk(pairs.reset_index(drop=True))


def whole_numbers(values: pd.Series) -> pd.Series:
    """Fractional counts as whole numbers with the same (rounded) sum: each rounded down, then one more to those
    with the largest remainders."""
    floor = np.floor(values.to_numpy(dtype="float64"))
    short = int(round(float(values.sum()))) - int(floor.sum())
    order = np.argsort(-(values.to_numpy(dtype="float64") - floor), kind="stable")
    floor[order[:short]] += 1
    return pd.Series(floor.astype("int64"), index=values.index)


def onto_2024(result: JoinResult, walk: Crosswalk, onto: ConstituencySet) -> JoinResult:
    """A petition joined on the 2010–2024 boundaries, estimated onto the 2024 set `onto` (whole signatures, the
    constituency total kept exactly); marked by `estimated_from`."""
    if result.set_name != OLD:
        raise ValueError(f"only a petition on the {OLD} boundaries can be estimated onto {NEW}, not {result.set_name}")
    counts = result.table.set_index("ons_code")["signatures"]
    estimate = whole_numbers(walk.estimate(counts[counts > 0].astype("float64"), NEW))
    if onto.name != NEW:
        raise ValueError(f"the estimate goes onto the {NEW} set, not {onto.name}")
    joined = join_counts(pd.DataFrame({"ons_code": estimate.index, "signatures": estimate.to_numpy()}), onto)
    return replace(joined, unmatched=result.unmatched, estimated_from=OLD, petition=result.petition)
