"""A petition's stored snapshots turned into trends: totals, rates, map frames and growth.

The store answers the questions (snapshots and totals, stale snapshots, counts at the frames, growth between two
snapshots); a Trend holds those answers only, never every count of every snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from geo.datasets import ConstituencySet, load_set
from geo.join import join_counts
from geo.sets import detect_set
from petitions.history import growth, growth_warning, rate_per_hour

MAX_FRAMES = 40  # an animation longer than this is thinned evenly (first and last kept)


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

    def growth_warning(self, start: int, end: int) -> str | None:
        """Set when the constituencies grew more than the total between the two snapshots."""
        return growth_warning(self.snapshots, None, start, end)  # the store's snapshot totals

    def as_table(self, spread: pd.DataFrame) -> gpd.GeoDataFrame:
        """A growth table joined for the map: `signatures` = growth, so per_1000 = growth per 1,000."""
        counts = spread[["ons_code", "growth"]].rename(columns={"growth": "signatures"})
        return join_counts(counts.assign(signatures=counts["signatures"].clip(lower=0)), self.cset).table


def total_chart(snapshots: pd.DataFrame, thresholds: dict[int, str]) -> go.Figure:
    """Signatures over time, two lines named for what they count: the API's total (abroad included) and
    the sum of the constituency counts (UK constituencies only). A series that records only constituency
    counts (source "series") has no API total."""
    fig = go.Figure()
    api = snapshots[snapshots.get("source", pd.Series("api", index=snapshots.index)) != "series"]
    if len(api):
        fig.add_trace(go.Scatter(x=api["fetched_at"], y=api["signature_count"], mode="lines+markers",
                                 name="Total (petition.parliament.uk, abroad included)", line={"color": "#08306b"},
                                 hovertemplate="%{x|%d %b %Y %H:%M}: %{y:,} in total<extra></extra>"))
    sums = snapshots["constituency_total"] if "constituency_total" in snapshots else snapshots["signature_count"]
    fig.add_trace(go.Scatter(x=snapshots["fetched_at"], y=sums, mode="lines+markers", line={"color": "#6baed6"},
                             name="Sum of UK constituencies (abroad excluded)",
                             hovertemplate="%{x|%d %b %Y %H:%M}: %{y:,} in constituencies<extra></extra>"))
    top = float(snapshots["signature_count"].max()) if len(snapshots) else 0.0
    for level, label in thresholds.items():
        if top / 50 <= level <= max(top * 1.5, min(thresholds)):  # only lines that fit the chart's scale
            fig.add_hline(y=level, line_dash="dot", line_color="#d6004c", annotation_text=label,
                          annotation_position="top left")
    fig.update_layout(title="Signatures", height=360, margin={"l": 0, "r": 10, "t": 40, "b": 0},
                      yaxis={"tickformat": ",", "rangemode": "tozero"},
                      legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0})
    return fig


def rate_chart(rates: pd.DataFrame) -> go.Figure:
    """Signatures per hour between consecutive snapshots: one bar per interval, labelled by its end time
    to the minute (a time axis around one or two bars would tick in fractions of a second)."""
    labels = rates["fetched_at"].map(lambda t: f"{pd.Timestamp(t):%d %b %H:%M}")
    fig = go.Figure(go.Bar(x=labels, y=rates["per_hour"], marker_color="#2171b5",
                           customdata=rates[["gained", "hours"]].to_numpy(),
                           hovertemplate="to %{x}: %{y:,.0f} per hour (%{customdata[0]:,} in "
                                         "%{customdata[1]:.1f} h)<extra></extra>"))
    fig.update_layout(title="Signatures per hour", height=360, margin={"l": 0, "r": 10, "t": 40, "b": 0},
                      xaxis={"type": "category", "title": "up to"}, yaxis={"tickformat": ",", "rangemode": "tozero"})
    return fig


def frame_ids(snapshots: pd.DataFrame, frozen: Iterable[int]) -> list[int]:
    """The snapshots an animation shows: the usable ones (not frozen), thinned to MAX_FRAMES, in time order."""
    usable = snapshots.sort_values("fetched_at", kind="stable")
    usable = usable[~usable["snapshot_id"].isin(set(frozen))]
    return _thin(usable["snapshot_id"].astype(int).tolist())


def build_trend(snapshots: pd.DataFrame, counts: pd.DataFrame, stale: dict[int, str],
                cset: ConstituencySet | None = None) -> Trend:
    """A Trend from the store's snapshots, its stale snapshots with their reasons (history.stale_snapshots) and
    the counts at frame_ids() (the set is detected from the codes)."""
    snapshots = snapshots.sort_values("fetched_at", ignore_index=True)
    if cset is None:
        cset = load_set(detect_set(counts["ons_code"].unique()))
    return Trend(cset, snapshots, counts, frozenset(int(i) for i in stale), dict(stale))


def _label(value: pd.Timestamp) -> str:
    return f"{pd.Timestamp(value):%d %b %H:%M}"


def _thin(ids: list[int]) -> list[int]:
    if len(ids) <= MAX_FRAMES:
        return ids
    step = (len(ids) - 1) / (MAX_FRAMES - 1)
    return sorted({ids[round(i * step)] for i in range(MAX_FRAMES)})
