"""Pure functions over stored snapshots: rates, frozen breakdowns and growth."""

from __future__ import annotations

from collections.abc import Iterable

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


def _sums(snapshots: pd.DataFrame, counts: pd.DataFrame | None) -> pd.Series:
    """Each snapshot's sum of constituency counts: from the counts, else the store's snapshot totals."""
    if counts is None:
        return snapshots.set_index("snapshot_id")["constituency_total"]
    return counts.groupby("snapshot_id")["signature_count"].sum()


def stale_snapshots(snapshots: pd.DataFrame, counts: pd.DataFrame | None = None,
                    frozen: Iterable[int] | None = None) -> dict[int, str]:
    """Snapshots whose constituency breakdown is stale, judged over the whole series, with the reason.

    Two signs, both seen on petition.parliament.uk under load ("Revoke Article 50", March 2019):
    the constituency counts do not move while the total does (frozen_snapshots), and the counts sum to a
    share of the total far below the other snapshots' (the breakdown lags behind the total).
    Without `counts` the sums are the snapshots' `constituency_total` and `frozen` is the store's answer.
    """
    s = snapshots.sort_values("fetched_at")
    sums = _sums(snapshots, counts)
    share = {int(r.snapshot_id): sums.get(r.snapshot_id, 0) / r.signature_count
             for r in s.itertuples() if r.signature_count >= STALE_MIN_TOTAL}
    reasons: dict[int, str] = {}
    for sid, own in share.items():
        others = [v for k, v in share.items() if k != sid]
        if others:
            usual = float(pd.Series(others).median())
            if own < usual * STALE_SHARE:
                reasons[sid] = (f"its constituency counts sum to {own:.0%} of the total, against "
                                f"{usual:.0%} in the rest of the series")
    for sid in frozen if frozen is not None else frozen_snapshots(snapshots, counts):
        reasons[int(sid)] = (reasons.get(int(sid), "") + "; " if int(sid) in reasons else "") + (
            "its constituency counts are those of an earlier snapshot although the total rose")
    return {sid: reasons[sid] for sid in (int(i) for i in s["snapshot_id"]) if sid in reasons}


def growth_warning(snapshots: pd.DataFrame, counts: pd.DataFrame | None, start: int, end: int) -> str | None:
    """A warning when the constituencies grew more than the total did between two snapshots (impossible:
    one of the two breakdowns is stale), else None."""
    total = snapshots.set_index("snapshot_id")["signature_count"]
    sums = _sums(snapshots, counts)
    grown, total_grown = int(sums.get(end, 0) - sums.get(start, 0)), int(total[end] - total[start])
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
