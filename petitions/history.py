"""Pure functions over stored snapshots: rates, frozen breakdowns and growth."""

from __future__ import annotations

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


def growth(counts: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Per ons_code: count_from (snapshot `start`), count_to (snapshot `end`) and growth."""
    a = counts[counts["snapshot_id"] == start].groupby("ons_code")["signature_count"].sum()
    b = counts[counts["snapshot_id"] == end].groupby("ons_code")["signature_count"].sum()
    out = pd.concat([a.rename("count_from"), b.rename("count_to")], axis=1).fillna(0).astype("int64")
    out["growth"] = out["count_to"] - out["count_from"]
    return out.reset_index().rename(columns={"index": "ons_code"})
