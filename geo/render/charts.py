"""Charts of a petition's history: signatures over time and per hour (Plotly figures)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from geo.analysis.history import LABEL, time_texts


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
