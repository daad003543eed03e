"""Pure functions over stored snapshots: rates, frozen breakdowns and growth."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


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
