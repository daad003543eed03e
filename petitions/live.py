"""Live mode's figures: which seats gained most in about the last hour of stored snapshots."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from petitions.projection import TOLERANCE

HOUR = timedelta(hours=1)


def hour_apart(snapshots: pd.DataFrame, window: timedelta = HOUR) -> tuple[int, int] | None:
    """(earlier, latest) snapshot ids about `window` apart: the newest snapshot at least 0.9 of the window
    before the latest, if it is within two windows of it; None otherwise."""
    s = snapshots.sort_values("fetched_at", kind="stable")
    if len(s) < 2:
        return None
    latest = s.iloc[-1]
    earlier = s[latest["fetched_at"] - s["fetched_at"] >= window * TOLERANCE]
    if earlier.empty:
        return None
    base = earlier.iloc[-1]
    if latest["fetched_at"] - base["fetched_at"] > window * 2:
        return None
    return int(base["snapshot_id"]), int(latest["snapshot_id"])


def gainers(counts: pd.DataFrame, start: int, end: int, n: int = 5) -> pd.DataFrame:
    """The n seats that gained most between two snapshots: ons_code, gained (largest first, ties by code)."""
    a = counts[counts["snapshot_id"] == start].groupby("ons_code")["signature_count"].sum()
    b = counts[counts["snapshot_id"] == end].groupby("ons_code")["signature_count"].sum()
    gained = b.sub(a, fill_value=0)
    gained = gained[gained > 0].astype("int64").rename("gained").reset_index()
    return gained.sort_values(["gained", "ons_code"], ascending=[False, True], ignore_index=True).head(n)
