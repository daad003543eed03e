"""A share card: a 1200 × 630 PNG (the size social sites show) with the map, title, count and date."""

from __future__ import annotations

import textwrap
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from geo.analysis.join import JoinResult
from geo.render.maps import NO_CLASS, legend_classes
from geo.render.pictures import FONT, set_geometry

WIDTH, HEIGHT = 1200, 630


def card_svg(result: JoinResult, as_of: datetime | None = None) -> str:
    """The card as SVG: the map on the left, on the right the title, the count and the date of the data."""
    petition = result.petition
    if petition is None:
        raise ValueError("a share card needs the joined petition (for its title), not bare counts")
    doc = set_geometry(result.cset, "map")
    rows = result.table.set_index("ons_code").reindex(doc["codes"])
    cls, legend = legend_classes(rows["signatures"].fillna(0).to_numpy(), "signatures")
    colours = [e["colour"] for e in legend]
    x, y, w, h = doc["frames"]["UK"]
    box = (20, 20, 520, HEIGHT - 40)
    scale = min(box[2] / w, box[3] / h)
    ox = box[0] + (box[2] - w * scale) / 2 - x * scale
    oy = box[1] + (box[3] - h * scale) / 2 - y * scale
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family={quoteattr(FONT)}>',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
           f'<g transform="translate({ox:.2f} {oy:.2f}) scale({scale:.5f})" stroke="#ffffff" '
           f'stroke-width="{0.5 / scale:.4f}" stroke-linejoin="round">']
    for d, c in zip(doc["paths"], cls):
        out.append(f'<path d="{d}" fill="{colours[-1] if c == NO_CLASS else colours[int(c)]}"/>')
    out.append("</g>")
    lines = textwrap.wrap(petition.action, 24)[:4]
    if len(textwrap.wrap(petition.action, 24)) > 4:
        lines[-1] = lines[-1][:21].rstrip() + "…"
    for i, line in enumerate(lines):
        out.append(f'<text x="580" y="{110 + 52 * i}" font-size="42" font-weight="bold" fill="#262730">'
                   f'{escape(line)}</text>')
    top = 110 + 52 * len(lines) + 50
    out.append(f'<text x="580" y="{top}" font-size="64" font-weight="bold" fill="#0c2c84">'
               f'{petition.signature_count:,}</text>')
    out.append(f'<text x="580" y="{top + 40}" font-size="26" fill="#45474f">signatures</text>')
    when = as_of or petition.updated_at
    date_line = f"Data as of {when:%-d %B %Y %H:%M} UTC" if when else "Date unknown"
    out.append(f'<text x="580" y="{HEIGHT - 70}" font-size="22" fill="#45474f">{escape(date_line)}</text>')
    out.append(f'<text x="580" y="{HEIGHT - 38}" font-size="20" fill="#45474f">'
               f'{escape(petition.url.removeprefix("https://"))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def card_png(result: JoinResult, as_of: datetime | None = None) -> bytes:
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=card_svg(result, as_of)))
