"""The map of a joined petition table, drawn by the dashboard's map element and by the pictures.

Geometry is projected on the server once per constituency set and view: boundaries in the British
National Grid (EPSG:27700, which suits Great Britain and Northern Ireland alike), hexes from the
HexJSON odd-r layout. Each is a compact document of SVG path strings (`geometry`). What changes
with a petition is only `values`: classes and figures for the 650 seats, in the geometry's order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.metrics import SCHEMES, Scheme, class_breaks

METRICS: dict[str, str] = {
    "signatures": "Signatures",
    "per_1000": "Signatures per 1,000 residents",
    "index": "Index vs UK (1.0 = typical)",
}
VIEWS: dict[str, str] = {"map": "Map", "hex": "Hex map"}
ENGLISH_REGIONS = ("North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
                   "East of England", "London", "South East", "South West")
AREAS: dict[str, tuple[str, str] | None] = {
    "UK": None,
    "England": ("nation", "England"),
    "Scotland": ("nation", "Scotland"),
    "Wales": ("nation", "Wales"),
    "Northern Ireland": ("nation", "Northern Ireland"),
    **{region: ("region", region) for region in ENGLISH_REGIONS},
}
# ColorBrewer YlGnBu without its two palest steps, so that every class stands out from a white page;
# sequential and readable with the common colour-vision deficiencies.
SEQUENTIAL = ["#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"]
# ColorBrewer PuOr (orange = less than typical, purple = more), centred on 1.0; the neutral middle is a
# warm light grey rather than PuOr's near-white, for the same reason.
DIVERGING = ["#b35806", "#f1a340", "#fee0b6", "#e3ddd0", "#d8daeb", "#998ec3", "#542788"]
INDEX_BREAKS = [0.5, 0.75, 0.9, 1.1, 1.33, 2.0]  # symmetric in ratio: 0.5 ↔ 2, 0.75 ↔ 1.33
NO_SIGNATURES = "#a3a3a3"  # its own class: a seat with none is not "a few"
NO_CLASS = -1
PROJECTION = "EPSG:27700"
MAP_UNIT = 100.0  # metres per drawing unit: integer coordinates at 100 m
MAP_TOLERANCE = 150.0  # metres; coverage simplification keeps shared edges shared
HEX_SIZE = 10.0  # hex circumradius in drawing units
LABEL_STOP = {"and", "of", "the", "upon", "on", "with", "in", "&"}


def filter_area(table: pd.DataFrame, area: str) -> pd.DataFrame:
    """Rows of one area preset (UK, a nation, or an English region)."""
    if area not in AREAS:
        raise ValueError(f"unknown area {area!r}; use one of {', '.join(AREAS)}")
    rule = AREAS[area]
    return table if rule is None else table[table[rule[0]] == rule[1]]


# --- classes and legends ----------------------------------------------------------------------------

def legend_classes(values: pd.Series | np.ndarray, metric: str, scheme: Scheme = "quantiles",
                   signed: pd.Series | np.ndarray | None = None,
                   zero_label: str = "No signatures") -> tuple[np.ndarray, list[dict[str, str]]]:
    """Class of each seat (NO_CLASS → the grey class) and the legend [{label, colour}].

    Seats where `signed` is false (default: value 0) form the grey class; the colour classes are computed
    over the others. Counts get integer bounds that do not overlap ("1–2", "3–5"); empty classes are
    dropped, so no two legend entries are alike.
    """
    if metric not in METRICS and metric != "growth":
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
    v = np.asarray(values, dtype="float64")
    on = (np.asarray(signed, dtype=bool) if signed is not None else v > 0) & np.isfinite(v)
    shown = v[on]
    cls = np.full(v.size, NO_CLASS, dtype="int64")
    entries: list[dict[str, str]] = []
    if shown.size:
        if metric == "index":
            uppers = [b for b in INDEX_BREAKS] + [max(float(shown.max()), INDEX_BREAKS[-1]) + 1e-9]
            colours = DIVERGING
        else:
            uppers = class_breaks(shown, scheme, k=6)
            if scheme == "quantiles":
                uppers = _split_top(shown, uppers, k=6)
            colours = _spread(SEQUENTIAL, len(uppers))
        raw = np.minimum(np.searchsorted(np.asarray(uppers), v, side="left"), len(uppers) - 1)
        used = sorted(set(raw[on].tolist()))
        labels = _labels(metric, uppers, shown)
        for new, old in enumerate(used):
            cls[on & (raw == old)] = new
            entries.append({"label": labels[old], "colour": colours[old]})
    if (~on).any():
        entries.append({"label": zero_label, "colour": NO_SIGNATURES})
    return cls, entries


def _split_top(values: np.ndarray, uppers: list[float], k: int) -> list[float]:
    """Quantiles of very local petitions collapse ("1 | 2 | 3 | 4–455"): split the top class by its own
    quantiles until there are k classes or it holds one value, so 455 does not look like 4."""
    while len(uppers) < k:
        below = uppers[-2] if len(uppers) > 1 else -np.inf
        top = values[values > below]
        if np.unique(top).size < 2:
            break
        more = [b for b in class_breaks(top, "quantiles", k=k - len(uppers) + 1) if b > below]
        if len(more) < 2:
            break
        uppers = uppers[:-1] + more
    return uppers


def _labels(metric: str, uppers: list[float], shown: np.ndarray) -> list[str]:
    """Each class's range as read: its smallest and largest possible value (the data's, at the ends)."""
    if metric == "index":
        lows = [None, *uppers[:-1]]
        out = []
        for i, (lo, hi) in enumerate(zip(lows, uppers)):
            out.append(f"under {hi:.2f}" if lo is None else
                       f"{lo:.2f} or more" if i == len(uppers) - 1 else f"{lo:.2f} – {hi:.2f}")
        return out
    if metric in ("signatures", "growth"):
        out = []
        for i, hi in enumerate(uppers):
            lo, top = (int(uppers[i - 1]) + 1 if i else int(shown.min())), int(hi)
            out.append(f"{lo:,}" if lo == top else f"{lo:,}–{top:,}")
        return out
    fmt = _formatter(uppers)
    out = []
    for i, hi in enumerate(uppers):
        lo = float(shown.min()) if i == 0 else uppers[i - 1]
        out.append(f"{fmt(lo)} – {fmt(hi)}")
    return out


def _formatter(bounds: list[float]):
    top = max(abs(b) for b in bounds) if bounds else 1
    digits = 2 if top < 10 else 1 if top < 100 else 0
    while digits < 4 and len({f"{b:,.{digits}f}" for b in bounds}) < len(set(bounds)):
        digits += 1  # distinct bounds must read differently ("0.1 – 0.1" otherwise)
    return lambda v: f"{v:,.{digits}f}"


def _spread(palette: list[str], k: int) -> list[str]:
    if k >= len(palette):
        return palette[:k]
    idx = np.linspace(0, len(palette) - 1, k).round().astype(int)
    return [palette[i] for i in idx]


def class_string(cls: np.ndarray) -> str:
    """Seat classes as one character each ("0"–"9", "z" = the grey class): 650 bytes on the wire."""
    return "".join("z" if c == NO_CLASS else str(int(c)) for c in cls)


def map_values(table: pd.DataFrame, codes: Sequence[str], *, of: int | None = None) -> dict[str, Any]:
    """What the map element needs of one petition: classes of every metric and scheme, and hover figures.

    Rows follow `codes` (the geometry's order); a code the table lacks shows as no signatures.
    """
    rows = table.set_index("ons_code").reindex(list(codes))
    signatures = rows["signatures"].fillna(0).astype("int64")
    signed = (signatures > 0).to_numpy()
    classes: dict[str, Any] = {}
    for metric in METRICS:
        values = rows[metric].fillna(0).to_numpy(dtype="float64")
        schemes = ["quantiles"] if metric == "index" else list(SCHEMES)
        classes[metric] = {}
        for scheme in schemes:
            cls, legend = legend_classes(values, metric, scheme, signed=signed)  # type: ignore[arg-type]
            classes[metric][scheme] = {"cls": class_string(cls), "legend": legend}
    mp = rows["mp"] if "mp" in rows else pd.Series(None, index=rows.index)
    of = of or len(table)
    return {
        "classes": classes,
        "mp": [str(m) if isinstance(m, str) and m else "" for m in mp],
        "signatures": signatures.tolist(),
        "per_1000": [round(float(x), 2) for x in rows["per_1000"].fillna(0)],
        "index": [round(float(x), 2) for x in rows["index"].fillna(0)],
        "rank": [int(r) if pd.notna(r) else 0 for r in rows["rank"]],
        "of": of,
        "total": int(signatures.sum()),
    }


def frame_layers(frames: Sequence[tuple[str, pd.DataFrame]], measure: str, codes: Sequence[str], *,
                 title: str, zero_label: str = "No signatures") -> dict[str, Any]:
    """Frames of one measure for the map element (played in the browser), on one colour scale.

    Each frame is (label, table with ons_code and `measure`); rows follow `codes`. The classes are computed
    over every frame together, so a colour means the same value throughout.
    """
    if not frames:
        raise ValueError("no frames to show")
    columns = [table.set_index("ons_code")[measure].reindex(list(codes)).fillna(0).to_numpy(dtype="float64")
               for _, table in frames]
    everything = np.concatenate(columns)
    metric = "signatures" if measure == "signatures" else "per_1000"
    cls, legend = legend_classes(everything, metric, "quantiles", zero_label=zero_label)
    n = len(codes)
    integer = measure == "signatures"
    return {"title": title, "legend": legend, "integer": integer,
            "frames": [{"label": label, "cls": class_string(cls[i * n:(i + 1) * n]),
                        "values": [int(v) if integer else round(float(v), 3) for v in column]}
                       for i, ((label, _), column) in enumerate(zip(frames, columns))]}


def summary(table: pd.DataFrame, n: int = 3) -> str:
    """One sentence: where it is most signed, and where most per 1,000 residents."""
    signed = table[table["signatures"] > 0]
    if signed.empty:
        return "No constituency has signatures yet."
    most = ", ".join(signed.nlargest(n, "signatures")["name"])
    rate = ", ".join(signed.nlargest(n, "per_1000")["name"])
    return f"Most signed in {most}; highest per 1,000 residents in {rate}."


# --- geometry -----------------------------------------------------------------------------------------

def geometry(table: gpd.GeoDataFrame, view: str, boundaries: gpd.GeoDataFrame | None = None,
             set_name: str = "") -> dict[str, Any]:
    """The drawing of a set in one view: seats as SVG paths in a y-down plane, region outlines, frames.

    `table` is the set's table (ons_code, name, region, nation, hex_q, hex_r, geometry); `boundaries`,
    unsimplified boundaries to project and simplify (default: the table's own geometry).
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; use one of {', '.join(VIEWS)}")
    table = table.sort_values("ons_code", ignore_index=True)
    if view == "hex":
        shapes = hex_polygons(table)
    else:
        source = table if boundaries is None else table[["ons_code"]].merge(
            boundaries[["ons_code", "geometry"]], on="ons_code", how="left")
        shapes = project(gpd.GeoSeries(source.geometry.values, crs=table.crs or "EPSG:4326"))
    regions = table["region"].to_numpy()
    outlines = []
    for region in dict.fromkeys(regions):
        merged = shapely.union_all(shapes[regions == region], grid_size=0.5 if view == "hex" else 1.0)
        outlines.append(path_d(merged if view == "hex" else shapely.simplify(merged, 2.5)))
    frames = {}
    for area in AREAS:
        rows = filter_area(table, area)
        frames[area] = _frame(shapes[rows.index.to_numpy()], pad=HEX_SIZE if view == "hex" else 30)
    centres = shapely.get_coordinates(shapely.point_on_surface(shapes)).round(1).tolist()
    nation_names, region_names = list(dict.fromkeys(table["nation"])), list(dict.fromkeys(table["region"]))
    return {"set": set_name, "view": view, "codes": table["ons_code"].tolist(), "names": table["name"].tolist(),
            "nations": nation_names, "regions": region_names,
            "nation": [nation_names.index(n) for n in table["nation"]],
            "region": [region_names.index(r) for r in table["region"]],
            "labels": [abbreviation(n) for n in table["name"]] if view == "hex" else [],
            "paths": [path_d(s) for s in shapes], "centres": centres, "outlines": outlines,
            "frames": frames, "hex": HEX_SIZE if view == "hex" else 0}


def project(geoms: gpd.GeoSeries) -> np.ndarray:
    """Boundaries in drawing units: British National Grid / MAP_UNIT, y down, coverage-simplified."""
    grid = geoms.to_crs(PROJECTION)
    simple = shapely.coverage_simplify(np.asarray(grid.values), MAP_TOLERANCE)
    scaled = shapely.transform(simple, lambda xy: np.column_stack([xy[:, 0], -xy[:, 1]]) / MAP_UNIT)
    snapped = shapely.set_precision(scaled, 1.0)  # snap to the grid: shared vertices snap alike, shapes stay valid
    parts, index = shapely.get_parts(snapped, return_index=True)
    keep = shapely.area(parts) > 0
    return np.asarray(shapely.multipolygons(parts[keep], indices=index[keep]))


def hex_centres(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Centres of odd-r pointy-top hexes (r increasing northwards): odd rows shift half a hex right."""
    q = rows["hex_q"].to_numpy(dtype="float64")
    r = rows["hex_r"].to_numpy(dtype="int64")
    return (q + 0.5 * (r % 2)) * math.sqrt(3) * HEX_SIZE, -r * 1.5 * HEX_SIZE


def hex_polygons(rows: pd.DataFrame) -> np.ndarray:
    xs, ys = hex_centres(rows)
    corners = np.array([(math.cos(math.radians(a)), math.sin(math.radians(a))) for a in range(30, 390, 60)])
    return np.array([shapely.Polygon(np.round(np.column_stack([x + HEX_SIZE * corners[:, 0],
                                                               y + HEX_SIZE * corners[:, 1]]), 2))
                     for x, y in zip(xs, ys)])


def path_d(geom: Any) -> str:
    """An SVG path of a (multi)polygon: absolute first point, relative steps, holes as subpaths."""
    out = []
    for poly in shapely.get_parts(geom):
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:-1]
            if len(xy) < 3:
                continue
            steps = np.diff(xy, axis=0)
            out.append(f"M{_num(xy[0, 0])} {_num(xy[0, 1])}l" + " ".join(f"{_num(a)} {_num(b)}" for a, b in steps)
                       + "z")
    return "".join(out)


def _num(v: float) -> str:
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _frame(shapes: np.ndarray, pad: float) -> list[float]:
    x0, y0, x1, y1 = shapely.total_bounds(shapes)
    return [round(float(x0 - pad), 1), round(float(y0 - pad), 1), round(float(x1 - x0 + 2 * pad), 1),
            round(float(y1 - y0 + 2 * pad), 1)]


def abbreviation(name: str) -> str:
    """A short hex label: the first word's first letters, then the initials of the rest ("Bristol West" → "BrisW")."""
    words = [w for w in re.split(r"[\s\-,]+", name) if w]
    main = [w for w in words if w.lower() not in LABEL_STOP] or words
    if len(main) == 1:
        return main[0][:4]
    return main[0][:3] + "".join(w[0].upper() for w in main[1:])[:3]


