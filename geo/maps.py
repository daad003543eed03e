"""Plotly figures of a joined petition table: geographic choropleth and equal-area hex map.

Both views use one `go.Choropleth` trace (the hex view draws HexJSON hexagons in a flat,
equirectangular plane), so hover, click selection and legends behave identically.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from geo.labels import plotly_text
from geo.metrics import SCHEMES, Scheme, class_breaks, classify, ordinal

METRICS: dict[str, str] = {
    "signatures": "Signatures",
    "per_1000": "Signatures per 1,000 residents",
    "index": "Index vs UK (1.0 = typical)",
}
VIEWS: dict[str, str] = {"map": "Map", "hex": "Hex map"}
AREAS: dict[str, tuple[str, str] | None] = {
    "UK": None,
    "England": ("nation", "England"),
    "Scotland": ("nation", "Scotland"),
    "Wales": ("nation", "Wales"),
    "Northern Ireland": ("nation", "Northern Ireland"),
    "London": ("region", "London"),
}
# ColorBrewer YlGnBu: sequential and readable with the common colour-vision deficiencies.
SEQUENTIAL = ["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"]
# ColorBrewer PuOr (orange = less than typical, purple = more), centred on 1.0.
DIVERGING = ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"]
INDEX_BREAKS = [0.5, 0.75, 0.9, 1.1, 1.33, 2.0]  # symmetric in ratio: 0.5 ↔ 2, 0.75 ↔ 1.33
NO_DATA = "#d9d9d9"
HEX_DECIMALS = 2


def filter_area(table: pd.DataFrame, area: str) -> pd.DataFrame:
    """Rows of one area preset (UK, a nation, or London)."""
    if area not in AREAS:
        raise ValueError(f"unknown area {area!r}; use one of {', '.join(AREAS)}")
    rule = AREAS[area]
    return table if rule is None else table[table[rule[0]] == rule[1]]


def legend_classes(values: pd.Series, metric: str,
                   scheme: Scheme = "quantiles") -> tuple[list[float], list[str], list[str]]:
    """Class upper bounds, their legend labels and colours for a metric."""
    if metric == "index":
        breaks = INDEX_BREAKS + [max(float(values.max()), INDEX_BREAKS[-1] + 1e-9)]
        colours = DIVERGING
    else:
        breaks = class_breaks(values, scheme, k=6)
        colours = _spread(SEQUENTIAL, len(breaks))
    fmt = _formatter(metric, breaks)
    labels = []
    lower = None
    for i, upper in enumerate(breaks):
        if i == 0:
            labels.append(f"≤ {fmt(upper)}" if metric != "signatures" or upper > 0 else "0")
        elif i == len(breaks) - 1:
            labels.append(f"> {fmt(lower)}")
        else:
            labels.append(f"{fmt(lower)} – {fmt(upper)}")
        lower = upper
    return breaks, labels, colours[: len(breaks)]


def choropleth(table: gpd.GeoDataFrame, metric: str = "signatures", *, view: str = "map", area: str = "UK",
               scheme: Scheme = "quantiles", selected: str | None = None, geojson: dict[str, Any] | None = None,
               title: str | None = None, height: int = 640, scale: pd.DataFrame | None = None,
               legend_title: str | None = None) -> go.Figure:
    """A classed choropleth of one metric over the constituencies of an area.

    `geojson` may be given as a URL or pre-built (see `boundaries_geojson`/`hex_geojson`); `scale`, a
    larger table whose values set the colour classes (e.g. the whole UK behind a few neighbours).
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; use one of {', '.join(VIEWS)}")
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
    rows = filter_area(table, area)
    if geojson is None:
        geojson = hex_geojson(rows) if view == "hex" else boundaries_geojson(rows)
    values = rows[metric].astype("float64")
    breaks, labels, colours = legend_classes(values if scale is None else scale[metric], metric, scheme)
    k = len(breaks)
    trace = go.Choropleth(
        geojson=geojson,
        locations=rows["ons_code"].tolist(),
        z=classify(values, breaks).astype("int8"),
        zmin=-0.5, zmax=k - 0.5,
        colorscale=_stepped(colours),
        customdata=_hover_data(rows, len(table)),
        hovertemplate=("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                       "Signatures: %{customdata[2]:,}<br>Per 1,000 residents: %{customdata[3]:.2f}<br>"
                       "Index vs UK: %{customdata[4]:.2f}<br>Rank: %{customdata[5]}<extra></extra>"),
        marker={"line": {"color": "white", "width": 0.3}},
        colorbar={"title": {"text": legend_title or METRICS[metric].replace(" (", "<br>("), "side": "top"},
                  "tickvals": list(range(k)), "ticktext": labels, "len": 0.6, "thickness": 14,
                  "x": 1.01, "xanchor": "left", "y": 0.5, "yanchor": "middle"},
        name="",
    )
    fig = go.Figure(trace)
    if selected and selected in set(rows["ons_code"]):
        fig.add_trace(go.Choropleth(
            geojson=geojson, locations=[selected], z=[0], showscale=False, hoverinfo="skip",
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            marker={"line": {"color": "#d6004c", "width": 3}}, name="selected"))
    # Axis ranges (rather than fitbounds) make the frame take the area's own shape, so it fills the chart.
    x0, y0, x1, y1 = _bounds(rows, view)
    fig.update_geos(visible=False, lonaxis_range=[x0, x1], lataxis_range=[y0, y1],
                    projection_type="equirectangular" if view == "hex" else "mercator")
    fig.update_layout(height=height, margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 0},
                      title={"text": title} if title else None, clickmode="event+select", dragmode=False,
                      uirevision=f"{view}-{area}")
    return fig


def animated_choropleth(frames: Sequence[tuple[str, pd.DataFrame]], metric: str, *, view: str = "map",
                        area: str = "UK", geojson: dict[str, Any] | str | None = None,
                        legend_title: str | None = None, height: int = 640) -> go.Figure:
    """A choropleth with a time slider and a play button, one frame per (label, table).

    Every table must hold the same constituencies in the same order (joined to one set). The colour
    classes are computed over all frames so that a colour means the same value throughout.
    """
    if not frames:
        raise ValueError("no frames to animate")
    shown = [filter_area(table, area) for _, table in frames]
    base = shown[0]
    if geojson is None:
        geojson = hex_geojson(base) if view == "hex" else boundaries_geojson(base)
    everything = pd.concat([rows[metric] for rows in shown], ignore_index=True).astype("float64")
    breaks, labels, colours = legend_classes(everything, metric if metric in METRICS else "per_1000")
    k = len(breaks)

    def frame_data(rows: pd.DataFrame) -> dict[str, Any]:
        values = rows[metric].astype("float64")
        return {"z": classify(values, breaks).astype("int8"),
                "customdata": np.column_stack([values.round(3), rows["signatures"]])}

    hover = ("<b>%{text}</b><br>" + (legend_title or METRICS.get(metric, metric)) + ": %{customdata[0]:,}"
             "<br>Signatures: %{customdata[1]:,}<extra></extra>")
    fig = go.Figure(go.Choropleth(
        geojson=geojson, locations=base["ons_code"].tolist(), text=[plotly_text(n) for n in base["name"]], zmin=-0.5,
        zmax=k - 0.5, colorscale=_stepped(colours), hovertemplate=hover, name="",
        marker={"line": {"color": "white", "width": 0.3}},
        colorbar={"title": {"text": legend_title or METRICS.get(metric, metric), "side": "top"},
                  "tickvals": list(range(k)), "ticktext": labels, "len": 0.6, "thickness": 14},
        **frame_data(base)))
    fig.frames = [go.Frame(name=label, data=[go.Choropleth(**frame_data(rows))]) for (label, _), rows in
                  zip(frames, shown)]
    step_args = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
    fig.update_layout(
        # the slider starts right of the Play/Pause buttons, so they never cover its first label
        sliders=[{"active": 0, "currentvalue": {"prefix": "Snapshot: "}, "pad": {"t": 10}, "x": 0.2, "len": 0.8,
                  "steps": [{"label": label, "method": "animate", "args": [[label], step_args]}
                            for label, _ in frames]}],
        updatemenus=[{"type": "buttons", "showactive": False, "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
                      "pad": {"t": 50}, "buttons": [
                          {"label": "▶ Play", "method": "animate",
                           "args": [None, {**step_args, "frame": {"duration": 700, "redraw": True},
                                           "fromcurrent": True}]},
                          {"label": "❚❚ Pause", "method": "animate", "args": [[None], step_args]}]}],
        height=height, margin={"l": 0, "r": 0, "t": 0, "b": 0}, dragmode=False)
    x0, y0, x1, y1 = _bounds(base, view)
    fig.update_geos(visible=False, lonaxis_range=[x0, x1], lataxis_range=[y0, y1],
                    projection_type="equirectangular" if view == "hex" else "mercator")
    return fig


def bar_chart(frame: pd.DataFrame, x: str, y: str, *, title: str = "", height: int = 420) -> go.Figure:
    """A horizontal bar chart, largest at the top; text labels are shown as written (never HTML)."""
    labels = frame[y] if pd.api.types.is_numeric_dtype(frame[y]) else frame[y].map(plotly_text)
    fig = go.Figure(go.Bar(x=frame[x], y=labels, orientation="h", marker_color=SEQUENTIAL[-2],
                           hovertemplate="%{y}: %{x:,}<extra></extra>"))
    fig.update_layout(title=title or None, height=height, margin={"l": 0, "r": 10, "t": 40 if title else 0, "b": 0},
                      yaxis={"autorange": "reversed"}, xaxis={"tickformat": ","})
    return fig


def boundaries_geojson(table: gpd.GeoDataFrame) -> dict[str, Any]:
    """A FeatureCollection of the table's geometries with `id` = ONS code (properties omitted)."""
    texts = shapely.to_geojson(np.asarray(table.geometry.values))
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "id": code, "geometry": json.loads(text)}
                         for code, text in zip(table["ons_code"], texts)]}


def hex_geojson(table: pd.DataFrame) -> dict[str, Any]:
    """Pointy-top hexagons from HexJSON odd-r coordinates (hex_q, hex_r), r increasing northwards."""
    # Clockwise, as d3-geo (Plotly's renderer) reads exterior rings; the closing vertex repeats the first.
    corners = [(math.cos(math.radians(a)), math.sin(math.radians(a))) for a in range(390, 30, -60)]
    features = []
    xs, ys = _hex_centres(table)
    for code, cx, cy in zip(table["ons_code"], xs, ys):
        ring = [[round(cx + dx, HEX_DECIMALS), round(cy + dy, HEX_DECIMALS)] for dx, dy in corners]
        ring.append(ring[0])
        features.append({"type": "Feature", "id": code, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


def selected_code(points: Sequence[dict[str, Any]], codes: Sequence[str]) -> str | None:
    """The ONS code a map click selected, from Streamlit's selection points (None if none)."""
    for point in points:
        if point.get("curve_number", 0) != 0:
            continue
        location = point.get("location")
        if isinstance(location, str) and location in codes:
            return location
        index = point.get("point_index", point.get("point_number"))
        if isinstance(index, int) and 0 <= index < len(codes):
            return codes[index]
    return None


def figure_bytes(fig: go.Figure) -> int:
    """Size of the figure's JSON as sent to the browser."""
    return len(fig.to_json().encode("utf-8"))


def _bounds(rows: pd.DataFrame, view: str) -> tuple[float, float, float, float]:
    if view == "hex":
        x, y = _hex_centres(rows)
        x0, y0, x1, y1 = x.min() - 1, y.min() - 1.2, x.max() + 1, y.max() + 1.2
    else:
        x0, y0, x1, y1 = shapely.total_bounds(np.asarray(rows.geometry.values))
    pad = 0.02 * max(x1 - x0, y1 - y0)
    return float(x0 - pad), float(y0 - pad), float(x1 + pad), float(y1 + pad)


def _hex_centres(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Centres of odd-r hexes: odd rows are pushed half a hex to the right."""
    q = rows["hex_q"].to_numpy(dtype="float64")
    r = rows["hex_r"].to_numpy(dtype="int64")
    return (q + 0.5 * (r % 2)) * math.sqrt(3), r * 1.5


def _hover_data(rows: pd.DataFrame, of: int) -> list[list[Any]]:
    mp = rows["mp"].fillna("No MP listed") if "mp" in rows else pd.Series("", index=rows.index)
    return [[plotly_text(name), plotly_text(m), int(s), round(float(p), 3), round(float(i), 3),
             f"{ordinal(int(r))} of {of}"]
            for name, m, s, p, i, r in zip(rows["name"], mp, rows["signatures"], rows["per_1000"],
                                           rows["index"], rows["rank"])]


def _stepped(colours: list[str]) -> list[list[Any]]:
    """A colour scale of flat steps, one per class."""
    k = len(colours)
    if k == 1:
        return [[0, colours[0]], [1, colours[0]]]
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / k, colour], [(i + 1) / k, colour]]
    return scale


def _spread(palette: list[str], k: int) -> list[str]:
    if k >= len(palette):
        return palette
    idx = np.linspace(0, len(palette) - 1, k).round().astype(int)
    return [palette[i] for i in idx]


def _formatter(metric: str, breaks: list[float]):
    if metric == "signatures":
        return lambda v: f"{v:,.0f}"
    shown = breaks[:-1] or breaks  # the last class reads "> previous": its own upper bound is never printed
    top = max(abs(b) for b in shown) if shown else 1
    digits = 2 if top < 10 else 1 if top < 100 else 0
    while digits < 4 and len({f"{b:,.{digits}f}" for b in shown}) < len(set(shown)):
        digits += 1  # enough decimals that distinct class bounds read differently ("0.1 – 0.1" otherwise)
    return lambda v: f"{v:,.{digits}f}"
