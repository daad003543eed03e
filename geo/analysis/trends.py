"""A petition's stored snapshots turned into trends: totals, rates, map frames and growth.

The store answers the questions (snapshots and totals, stale snapshots, counts at the frames, growth between two
snapshots); a Trend holds those answers only, never every count of every snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from geo.analysis.join import join_counts
from geo.reference.datasets import ConstituencySet, load_set
from geo.reference.sets import detect_set
from petitions.history import growth_warning, rate_per_hour

LABEL = "%d %b %H:%M"  # a frame's time
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
            per_1000 = 1000 / self.cset.table["population"].to_numpy(dtype="float64")
            if measure == "signatures":
                rows, shown = wide, ids
            elif measure == "per_1000":
                rows, shown = wide * per_1000, ids
            else:
                rows, shown = np.nan_to_num((wide[1:] - wide[:-1]) * per_1000, nan=0.0), ids[1:]
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
        out["growth_per_1000"] = out["growth"] / out["population"] * 1000
        return out.sort_values(["growth_per_1000", "growth"], ascending=False, ignore_index=True)

    def growth_warning(self, start: int, end: int) -> str | None:
        """Set when the constituencies grew more than the total between the two snapshots."""
        return growth_warning(self.snapshots, start, end)

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
    labels = time_texts(rates["fetched_at"], LABEL)
    fig = go.Figure(go.Bar(x=labels, y=rates["per_hour"], marker_color="#2171b5",
                           customdata=rates[["gained", "hours"]].to_numpy(),
                           hovertemplate="to %{x}: %{y:,.0f} per hour (%{customdata[0]:,} in "
                                         "%{customdata[1]:.1f} h)<extra></extra>"))
    fig.update_layout(title="Signatures per hour", height=360, margin={"l": 0, "r": 10, "t": 40, "b": 0},
                      xaxis={"type": "category", "title": "up to"}, yaxis={"tickformat": ",", "rangemode": "tozero"})
    return fig


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
    """A Trend from the store's snapshots, its stale snapshots (history.stale_snapshots: id → reason) and the
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
