"""A petition's history: its stored snapshots turned into rates, stale snapshots, growth, map frames and trends.

The store answers the questions (snapshots and totals, stale snapshots, counts at the frames, growth between two
snapshots); a Trend holds those answers only, never every count of every snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.join import join_counts
from geo.analysis.metrics import per_1000
from geo.reference.datasets import ConstituencySet, load_set
from geo.reference.sets import detect_set

LABEL = "%d %b %H:%M"  # a frame's time
MAX_FRAMES = 40  # an animation longer than this is thinned evenly (first and last kept)


def rate_per_hour(snapshots: pd.DataFrame) -> pd.DataFrame:
    """Signatures per hour between consecutive snapshots, dated at the later one.

    Columns: fetched_at, per_hour, gained, hours. Snapshots taken at the same moment give no rate.
    A fall (the site removes invalid signatures) shows as a negative rate.
    """
    s = snapshots.sort_values("fetched_at", kind="stable")
    hours = s["fetched_at"].diff().dt.total_seconds() / 3600
    gained = s["signature_count"].diff()
    out = pd.DataFrame({"fetched_at": s["fetched_at"], "per_hour": gained / hours, "gained": gained, "hours": hours})
    out = out[hours > 0].reset_index(drop=True)
    return out.astype({"gained": "int64"})


def frozen_snapshots(snapshots: pd.DataFrame, counts: pd.DataFrame) -> list[int]:
    """Snapshots whose constituency counts equal the previous snapshot's although the total changed.

    petition.parliament.uk sometimes freezes its constituency breakdown under load (21–22 March 2019,
    "Revoke Article 50"): such snapshots would show no growth anywhere, which is false.
    """
    s = snapshots.sort_values("fetched_at")
    wide = counts.pivot_table(index="snapshot_id", columns="ons_code", values="signature_count", aggfunc="sum",
                              fill_value=0)
    frozen = []
    previous = None
    for row in s.itertuples():
        sid = int(row.snapshot_id)
        if previous is not None and sid in wide.index and previous[0] in wide.index:
            same = wide.loc[sid].equals(wide.loc[previous[0]])
            if same and row.signature_count != previous[1]:
                frozen.append(sid)
                continue  # compare later snapshots with the last real change
        previous = (sid, row.signature_count)
    return frozen


STALE_SHARE = 0.85  # a breakdown summing to under 85% of the usual share of the total is stale
STALE_MIN_TOTAL = 1_000  # below this the share is too noisy to judge (a few early signers from abroad)


def stale_snapshots(snapshots: pd.DataFrame, frozen: Iterable[int] = ()) -> dict[int, str]:
    """Snapshots whose constituency breakdown is stale, judged over the whole series, with the reason.

    Two signs, both seen on petition.parliament.uk under load ("Revoke Article 50", March 2019): the
    constituency counts do not move while the total does (`frozen`, the store's stale_snapshots()), and
    the counts sum (`constituency_total`) to a share of the total far below the other snapshots' (the
    breakdown lags behind the total).
    """
    s = snapshots.sort_values("fetched_at")
    judged = s[s["signature_count"] >= STALE_MIN_TOTAL]
    own = (judged["constituency_total"] / judged["signature_count"]).to_numpy(dtype="float64")
    usual = _median_of_others(own)
    reasons: dict[int, str] = {}
    for sid, mine, rest in zip(judged["snapshot_id"].astype(int), own, usual):
        if mine < rest * STALE_SHARE:
            reasons[int(sid)] = (f"its constituency counts sum to {mine:.0%} of the total, against "
                                 f"{rest:.0%} in the rest of the series")
    for sid in (int(i) for i in frozen):
        reasons[sid] = (reasons[sid] + "; " if sid in reasons else "") + (
            "its constituency counts are those of an earlier snapshot although the total rose")
    return {sid: reasons[sid] for sid in (int(i) for i in s["snapshot_id"]) if sid in reasons}


def _median_of_others(values: np.ndarray) -> np.ndarray:
    """For each value, the median of all the other values (NaN when there are none), in O(n log n)."""
    n = values.size
    if n < 2:
        return np.full(n, np.nan)
    order = np.argsort(values, kind="stable")
    ranked = values[order]
    rank = np.empty(n, dtype="int64")
    rank[order] = np.arange(n)
    m = n - 1  # the others, sorted, are `ranked` without position `rank`: their i-th is ranked[i + (i >= rank)]

    def nth(i: int) -> np.ndarray:
        return ranked[i + (i >= rank)]

    return nth(m // 2) if m % 2 else (nth(m // 2 - 1) + nth(m // 2)) / 2


def growth_warning(snapshots: pd.DataFrame, start: int, end: int) -> str | None:
    """A warning when the constituencies grew more than the total did between two snapshots (impossible:
    one of the two breakdowns is stale), else None."""
    rows = snapshots.set_index("snapshot_id")
    grown = int(rows.at[end, "constituency_total"] - rows.at[start, "constituency_total"])
    total_grown = int(rows.at[end, "signature_count"] - rows.at[start, "signature_count"])
    if grown > total_grown:
        return (f"The constituencies grew by {grown:,} but the total by only {total_grown:,}: the constituency "
                "breakdown of one of these snapshots lags behind its total, so this growth is overstated.")
    return None


def growth(counts: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Per ons_code: count_from (snapshot `start`), count_to (snapshot `end`) and growth."""
    a = counts[counts["snapshot_id"] == start].groupby("ons_code")["signature_count"].sum()
    b = counts[counts["snapshot_id"] == end].groupby("ons_code")["signature_count"].sum()
    out = pd.concat([a.rename("count_from"), b.rename("count_to")], axis=1).fillna(0).astype("int64")
    out["growth"] = out["count_to"] - out["count_from"]
    return out.reset_index().rename(columns={"index": "ons_code"})


@dataclass(frozen=True)
class Trend:
    """Snapshots of one petition joined to its constituency set."""

    cset: ConstituencySet
    snapshots: pd.DataFrame  # snapshot_id, fetched_at, signature_count, … ordered by time
    counts: pd.DataFrame  # snapshot_id, ons_code, signature_count at the frames (frame_ids) only
    frozen: frozenset[int]  # snapshots whose constituency breakdown is stale (left out of growth)
    stale: dict[int, str] = field(default_factory=dict)  # the same snapshots, each with the reason

    @property
    def set_name(self) -> str:
        return self.cset.name

    @property
    def rates(self) -> pd.DataFrame:
        """Signatures per hour between consecutive snapshots."""
        return rate_per_hour(self.snapshots)

    def frames(self, measure: str) -> list[tuple[str, pd.DataFrame]]:
        """(label, table of ons_code and the measure) per snapshot for an animated map of signatures, per_1000
        or growth_per_1000, every seat of the set in each.

        Growth frames compare each snapshot with the previous usable one; frozen snapshots are left out.
        """
        ids = frame_ids(self.snapshots, self.frozen)
        shown = self.snapshots[self.snapshots["snapshot_id"].isin(ids)]
        labels = dict(zip(shown["snapshot_id"].astype(int), time_texts(shown["fetched_at"], LABEL)))
        codes = self.cset.table["ons_code"].to_numpy(dtype=object)
        wide = self._signatures(ids)
        with np.errstate(divide="ignore", invalid="ignore"):
            population = self.cset.table["population"].to_numpy(dtype="float64")
            if measure == "signatures":
                rows, shown = wide, ids
            elif measure == "per_1000":
                rows, shown = per_1000(wide, population), ids
            else:
                rows, shown = np.nan_to_num(per_1000(wide[1:] - wide[:-1], population), nan=0.0), ids[1:]
        return [(labels[i], pd.DataFrame({"ons_code": codes, measure: row})) for i, row in zip(shown, rows)]

    def _signatures(self, ids: list[int]) -> np.ndarray:
        """Signatures per seat of the set (columns, in the set's order) at each snapshot of `ids` (rows); codes
        the set lacks are left out and a code listed twice is summed, as join_counts does."""
        seats = pd.Index(self.cset.table["ons_code"]).get_indexer(self.counts["ons_code"].to_numpy(dtype=object))
        at = pd.Index(ids).get_indexer(self.counts["snapshot_id"].to_numpy())
        hit = (seats >= 0) & (at >= 0)
        wide = np.zeros((len(ids), len(self.cset.table)), dtype="float64")
        np.add.at(wide, (at[hit], seats[hit]), self.counts["signature_count"].to_numpy(dtype="float64")[hit])
        return wide

    def spread(self, grown: pd.DataFrame) -> pd.DataFrame:
        """Growth per constituency between two snapshots (the store's growth(): ons_code, count_from, count_to,
        growth), absolute and per 1,000, fastest first."""
        facts = pd.DataFrame(self.cset.table[["ons_code", "name", "population"]])
        out = facts.merge(grown, on="ons_code", how="left").fillna({"count_from": 0, "count_to": 0, "growth": 0})
        out["growth_per_1000"] = per_1000(out["growth"], out["population"])
        return out.sort_values(["growth_per_1000", "growth"], ascending=False, ignore_index=True)

    def growth_warning(self, start: int, end: int) -> str | None:
        """Set when the constituencies grew more than the total between the two snapshots."""
        return growth_warning(self.snapshots, start, end)

    def as_table(self, spread: pd.DataFrame) -> gpd.GeoDataFrame:
        """A growth table joined for the map: `signatures` = growth, so per_1000 = growth per 1,000."""
        counts = spread[["ons_code", "growth"]].rename(columns={"growth": "signatures"})
        return join_counts(counts.assign(signatures=counts["signatures"].clip(lower=0)), self.cset).table


def time_texts(times: pd.Series, fmt: str) -> list[str]:
    """Each time as `fmt` (strftime codes) says, as plain strings (pandas' own strftime and its string arrays
    take a second over 10,000 snapshots)."""
    return [format(t, fmt) for t in pd.to_datetime(times).dt.to_pydatetime()]


def frame_ids(snapshots: pd.DataFrame, stale: Iterable[int]) -> list[int]:
    """The snapshots an animation shows: the usable ones (not stale), thinned to MAX_FRAMES, in time order."""
    usable = snapshots.sort_values("fetched_at", kind="stable")
    usable = usable[~usable["snapshot_id"].isin(set(stale))]
    return _thin(usable["snapshot_id"].astype(int).tolist())


def build_trend(snapshots: pd.DataFrame, counts: pd.DataFrame, stale: Mapping[int, str],
                cset: ConstituencySet | None = None) -> Trend:
    """A Trend from the store's snapshots, its stale snapshots (stale_snapshots: id → reason) and the
    counts at frame_ids() (the set is detected from the codes)."""
    snapshots = snapshots.sort_values("fetched_at", ignore_index=True)
    if cset is None:
        cset = load_set(detect_set(counts["ons_code"].unique()))
    return Trend(cset, snapshots, counts, frozenset(int(i) for i in stale), {int(k): v for k, v in stale.items()})


def _thin(ids: list[int]) -> list[int]:
    if len(ids) <= MAX_FRAMES:
        return ids
    step = (len(ids) - 1) / (MAX_FRAMES - 1)
    return sorted({ids[round(i * step)] for i in range(MAX_FRAMES)})
