"""A seat's one-page summary for an MP's office: an A4 page (SVG, and PNG rasterised from it by resvg) with the
seat's map among its neighbours, the headline figures, the comparison on one scale and the three lists.

Drawn from the same pre-projected paths as the dashboard's map, so no browser is needed. Every text is escaped.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pandas as pd

from geo.analysis.seat import METHOD, SeatProfile
from geo.reference.datasets import load_set
from geo.render.maps import legend_classes
from geo.render.pictures import FONT, set_geometry

WIDTH, HEIGHT = 1240, 1754  # A4 portrait at 150 dots per inch
INK, SOFT, ACCENT, BAR = "#262730", "#45474f", "#d6004c", "#1f6fb4"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def path_bounds(d: str) -> tuple[float, float, float, float]:
    """x0, y0, x1, y1 of a path made by geo.render.maps.path_d (an absolute first point, then relative steps)."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for part in d.split("M")[1:]:
        values = np.array(_NUMBER.findall(part), dtype="float64").reshape(-1, 2)
        points = np.cumsum(values, axis=0)
        xs.append(points[:, 0])
        ys.append(points[:, 1])
    x, y = np.concatenate(xs), np.concatenate(ys)
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def _text(x: float, y: float, text: str, size: int = 16, weight: str = "normal", fill: str = INK,
          anchor: str = "start") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" fill="{fill}" '
            f'text-anchor="{anchor}">{escape(text)}</text>')


def _wrapped(x: float, y: float, text: str, width: int, size: int, line: float, limit: int | None = None,
             **style: str) -> tuple[list[str], float]:
    lines = textwrap.wrap(text, width) or [""]
    if limit is not None and len(lines) > limit:
        lines = lines[:limit]
        lines[-1] = lines[-1][: max(0, width - 1)].rstrip() + "…"
    return [_text(x, y + i * line, t, size, **style) for i, t in enumerate(lines)], y + len(lines) * line


def seat_map(set_name: str, code: str, focus: Sequence[str], per_1000: pd.Series, box: tuple[float, float, float,
             float]) -> tuple[list[str], float]:
    """The seat (outlined) among `focus` seats, coloured by signatures per 1,000 residents on the UK-wide classes,
    fitted into `box` (x, y, w, h); a legend below it. Also where the legend ends."""
    doc = set_geometry(load_set(set_name), "map")
    codes = doc["codes"]
    values = per_1000.reindex(codes, fill_value=0.0).to_numpy(dtype="float64")
    cls, legend = legend_classes(values, "per_1000", "quantiles", signed=values > 0)
    shown = [i for i, c in enumerate(codes) if c in set(focus) | {code}]
    bounds = np.array([path_bounds(doc["paths"][i]) for i in shown])
    x0, y0 = bounds[:, 0].min(), bounds[:, 1].min()
    w, h = bounds[:, 2].max() - x0, bounds[:, 3].max() - y0
    bx, by, bw, bh = box
    legend_h = 22 * len(legend) + 30
    scale = min(bw / w, (bh - legend_h) / h)
    ox, oy = bx + (bw - w * scale) / 2 - x0 * scale, by - y0 * scale
    stroke = 1.2 / scale
    out = [f'<g transform="translate({ox:.2f} {oy:.2f}) scale({scale:.5f})" stroke="#ffffff" '
           f'stroke-width="{stroke:.4f}" stroke-linejoin="round">']
    colours = [e["colour"] for e in legend]
    for i in shown:
        fill = colours[int(cls[i])] if 0 <= int(cls[i]) < len(colours) else colours[-1]
        out.append(f'<path d="{doc["paths"][i]}" fill="{fill}"/>')
    out.append(f'<path d="{doc["paths"][codes.index(code)]}" fill="none" stroke="{ACCENT}" '
               f'stroke-width="{4 * stroke:.4f}"/></g>')
    ly = by + h * scale + 24
    out.append(_text(bx, ly, "Per 1,000 residents (UK-wide classes)", 14, "bold"))
    for k, entry in enumerate(legend):
        yy = ly + 10 + 22 * k
        out.append(f'<rect x="{bx:.1f}" y="{yy:.1f}" width="22" height="14" fill="{entry["colour"]}" '
                   f'stroke="#55585f"/>' + _text(bx + 30, yy + 12, entry["label"], 13))
    return out, ly + 10 + 22 * len(legend)


def bars(rates: pd.DataFrame, x: float, y: float, width: float) -> tuple[list[str], float]:
    """The comparison (area_rates) as bars on one scale: signatures per 1,000 residents."""
    top = float(rates["per_1000"].max()) or 1.0
    out = []
    label_w, value_w = 300, 70
    for r in rates.itertuples():
        name = textwrap.shorten(f"{r.area} ({r.kind})", 40, placeholder="…")
        colour = ACCENT if r.kind == "this seat" else BAR
        length = (width - label_w - value_w) * float(r.per_1000) / top
        out.append(_text(x, y + 15, name, 14))
        out.append(f'<rect x="{x + label_w:.1f}" y="{y + 3:.1f}" width="{max(length, 1):.1f}" height="15" '
                   f'fill="{colour}"/>')
        out.append(_text(x + label_w + length + 6, y + 15, f"{r.per_1000:,.1f}", 13, fill=SOFT))
        y += 22
    return out, y


def summary_svg(profile: SeatProfile, *, mp: str, place: str, boundaries: str, rates: pd.DataFrame,
                per_1000: pd.Series, focus: Sequence[str], attribution: str, similar_means: str = "",
                n: int = 5) -> str:
    """The one-page summary as an SVG document (A4 portrait)."""
    o = profile.overall
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family={quoteattr(FONT)}>',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>']
    lines, y = _wrapped(60, 80, profile.name, 40, 40, 46, limit=2, weight="bold")
    out += lines
    out.append(_text(60, y + 4, f"MP: {mp}", 20))
    out.append(_text(60, y + 32, f"{place} · {boundaries} · {profile.code}", 16, fill=SOFT))
    y += 80
    estimated = f", {profile.estimated:,} estimated across the boundary change" if profile.estimated else ""
    figures = [(f"{o.signatures:,.0f}", f"signatures over {o.petitions:,} petitions"),
               (f"{o.share_of_signatures:.3%}", "of all UK signatures"),
               (f"{o.share_of_residents:.3%}", "of UK residents"),
               (f"{o.index:.2f}×" if o.share_of_signatures else "–", "signs vs its size")]
    for k, (value, label) in enumerate(figures):
        x = 60 + k * 285
        out.append(f'<rect x="{x}" y="{y}" width="270" height="92" rx="8" fill="#f0f2f6"/>')
        out.append(_text(x + 16, y + 44, value, 30, "bold"))
        out.append(_text(x + 16, y + 74, label, 15, fill=SOFT))
    y += 104
    if estimated:
        out.append(_text(60, y + 10, f"Over {o.petitions:,} stored petitions{estimated}.", 14, fill=SOFT))
        y += 20
    top = y + 20
    drawn, below_map = seat_map(profile.set_name, profile.code, focus, per_1000, (60, top, 470, 520))
    out += drawn
    out.append(_text(580, top + 16, "Beside its neighbours, similar seats, region and nation", 18, "bold"))
    out.append(_text(580, top + 38, f"Signatures per 1,000 residents over every stored petition, on the "
                                    f"{boundaries} (estimated where needed)", 13, fill=SOFT))
    drawn, end = bars(rates, 580, top + 50, WIDTH - 60 - 580)
    out += drawn
    if similar_means:
        lines, end = _wrapped(580, end + 18, similar_means, 80, 12, 16, fill=SOFT)
        out += lines
    y = max(below_map, end) + 40
    for title, rows, words in (("Most signed here", profile.most_signed(n=n), False),
                               ("Unusually popular here", profile.popular(n=n), True),
                               ("Unusually unpopular here", profile.unpopular(n=n), True)):
        out.append(_text(60, y, title, 20, "bold"))
        y += 28
        if rows.empty:
            out.append(_text(60, y, "None stands out beyond chance.", 15, fill=SOFT))
            y += 28
            continue
        for r in rows.itertuples():
            what = str(r.words) if words else f"{r.here:,.0f} signatures here"
            what += " (estimate)" if r.estimated else ""
            lines, after = _wrapped(60, y, str(r.action), 125, 15, 19, limit=1)
            out += lines
            out.append(_text(80, after - 1, what, 13, fill=SOFT))
            y = after + 22
        y += 8
    notes, _ = _wrapped(60, max(y + 6, HEIGHT - 150), f"{METHOD} {attribution}", 170, 11, 14, limit=9, fill=SOFT)
    out += notes
    out.append("</svg>")
    return "\n".join(out)


def summary_png(svg: str) -> bytes:
    """The page rasterised by resvg."""
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=svg))
