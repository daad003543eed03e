"""Pictures of a map as shown (SVG, and PNG rasterised from it by resvg) with title, legend and attribution.

Drawn from the same pre-projected paths as the dashboard's map element, so no browser is needed.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from geo.analysis.join import JoinResult
from geo.analysis.metrics import Scheme
from geo.reference.datasets import ESTIMATE_NOTE, ConstituencySet, attribution, load_full_boundaries
from geo.render.maps import METRICS, NO_CLASS, filter_area, geometry, legend_classes

WIDTH, HEIGHT = 1000, 1250
FONT = "DejaVu Sans, Liberation Sans, Source Sans Pro, Arial, sans-serif"


@lru_cache(maxsize=4)
def set_geometry(cset: ConstituencySet, view: str) -> dict[str, Any]:
    """The projected drawing of a set (as the map element gets it), computed once per process."""
    full = load_full_boundaries(cset.name) if view == "map" else None
    return geometry(cset.table, view, full, cset.name)


def map_svg(result: JoinResult, metric: str = "signatures", *, view: str = "map",
            area: str = "UK", scheme: Scheme = "quantiles", selected: str | None = None) -> str:
    """The map as an SVG document: title, legend, the seats of the area, and the attribution lines."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    petition = result.petition
    if petition is None:
        raise ValueError("a map picture needs the joined petition (for its title), not bare counts")
    doc = set_geometry(result.cset, view)
    rows = result.table.set_index("ons_code").reindex(doc["codes"])
    cls, legend = legend_classes(rows[metric].fillna(0).to_numpy(), metric, scheme,
                                 signed=(rows["signatures"].fillna(0) > 0).to_numpy())
    colours = [e["colour"] for e in legend]
    shown = set(filter_area(result.table, area)["ons_code"])
    estimate = " (estimate)" if result.estimated_from else ""
    credits = [wrapped for line in attribution(result.cset, estimated=bool(estimate))
               for wrapped in (textwrap.wrap(line, 150) if line == ESTIMATE_NOTE else [line])]
    title = textwrap.wrap(petition.action, 62)[:3]
    top = 30 + 34 * len(title) + 30
    bottom = HEIGHT - 20 - 16 * len(credits)
    x, y, w, h = doc["frames"][area]
    scale = min((WIDTH - 20) / w, (bottom - top) / h)
    ox = (WIDTH - w * scale) / 2 - x * scale
    oy = top + (bottom - top - h * scale) / 2 - y * scale
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family={quoteattr(FONT)}>',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>']
    for i, line in enumerate(title):
        out.append(f'<text x="20" y="{46 + 34 * i}" font-size="26" font-weight="bold" fill="#262730">'
                   f'{escape(line)}</text>')
    subtitle = f"{METRICS[metric]}{estimate} · {area} · petition {petition.id}, {petition.signature_count:,} signatures"
    out.append(f'<text x="20" y="{top - 18}" font-size="16" fill="#45474f">{escape(subtitle)}</text>')
    stroke = 0.6 / scale
    out.append(f'<g transform="translate({ox:.2f} {oy:.2f}) scale({scale:.5f})" stroke="#ffffff" '
               f'stroke-width="{stroke:.4f}" stroke-linejoin="round">')
    for code, d, c in zip(doc["codes"], doc["paths"], cls):
        if code not in shown:
            continue
        fill = colours[-1] if c == NO_CLASS else colours[int(c)]
        out.append(f'<path class="seat" d="{d}" fill="{fill}"/>')
    out.append(f'<g fill="none" stroke="#55585f" stroke-width="{1.6 * stroke:.4f}">'
               + "".join(f'<path d="{d}"/>' for d in doc["outlines"]) + "</g>")
    if selected and selected in doc["codes"] and selected in shown:
        d = doc["paths"][doc["codes"].index(selected)]
        out.append(f'<path d="{d}" fill="none" stroke="#d6004c" stroke-width="{4 * stroke:.4f}"/>')
    out.append("</g>")
    ly = top + 10
    out.append(f'<rect x="14" y="{ly - 6}" width="250" height="{30 + 22 * len(legend)}" fill="#ffffff" '
               f'fill-opacity="0.9" rx="6"/>')
    out.append(f'<text x="24" y="{ly + 14}" font-size="15" font-weight="bold" fill="#262730">'
               f'{escape(METRICS[metric] + estimate)}</text>')
    for i, entry in enumerate(legend):
        yy = ly + 26 + 22 * i
        out.append(f'<rect x="24" y="{yy}" width="22" height="14" fill="{entry["colour"]}" stroke="#55585f"/>'
                   f'<text x="54" y="{yy + 12}" font-size="14" fill="#262730">{escape(entry["label"])}</text>')
    for i, line in enumerate(credits):
        out.append(f'<text x="20" y="{bottom + 18 + 16 * i}" font-size="11" fill="#45474f">{escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def map_image(result: JoinResult, metric: str = "signatures", *, view: str = "map",
              area: str = "UK", scheme: Scheme = "quantiles", selected: str | None = None,
              fmt: str = "png") -> bytes:
    """PNG (or SVG) bytes of the map picture."""
    svg = map_svg(result, metric, view=view, area=area, scheme=scheme, selected=selected)
    if fmt == "svg":
        return svg.encode("utf-8")
    if fmt != "png":
        raise ValueError(f"unknown picture format {fmt!r}; use png or svg")
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=svg))
