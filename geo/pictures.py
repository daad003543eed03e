"""Pictures of a map as shown (PNG or SVG) with title, legend and attribution, made offline by kaleido."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from geo.datasets import load_set, petition_attribution
from geo.join import JoinResult
from geo.labels import plotly_text
from geo.maps import METRICS, choropleth
from geo.metrics import Scheme
from petitions.model import Petition

# A stub world TopoJSON: Plotly's geo base layers are hidden, but it still asks for one; without a
# local copy it would fetch from a CDN, which does not exist offline.
TOPOJSON_DIR = Path(__file__).resolve().parent.parent / "dashboard" / "static"
WIDTH, HEIGHT = 1000, 1250


def map_figure(petition: Petition, result: JoinResult, metric: str = "signatures", *, view: str = "map",
               area: str = "UK", scheme: Scheme = "quantiles", selected: str | None = None) -> go.Figure:
    """The map as shown on the page, with a title and the attribution lines, geometry inline."""
    title = "<br>".join(textwrap.wrap(plotly_text(petition.action), 70)[:3])
    subtitle = f"{METRICS[metric]} · {area} · petition {petition.id}, {petition.signature_count:,} signatures"
    fig = choropleth(result.table, metric, view=view, area=area, scheme=scheme, selected=selected,
                     title=f"{title}<br><sup>{subtitle}</sup>", height=HEIGHT)
    credits = [petition_attribution(), *load_set(result.set_name).attribution]
    fig.add_annotation(text="<br>".join(credits), showarrow=False, xref="paper", yref="paper", x=0, y=-0.005,
                       xanchor="left", yanchor="top", align="left", font={"size": 10, "color": "#555"})
    fig.update_layout(margin={"l": 10, "r": 10, "t": 110, "b": 30 + 14 * len(credits)}, width=WIDTH,
                      paper_bgcolor="white")
    return fig


def map_image(petition: Petition, result: JoinResult, metric: str = "signatures", *, view: str = "map",
              area: str = "UK", scheme: Scheme = "quantiles", selected: str | None = None,
              fmt: str = "png") -> bytes:
    """PNG (or SVG) bytes of the map figure."""
    fig = map_figure(petition, result, metric, view=view, area=area, scheme=scheme, selected=selected)
    return render(fig, fmt)


def render(fig: go.Figure, fmt: str = "png") -> bytes:
    """Render a figure with kaleido and Debian's Chromium, offline."""
    if not os.environ.get("BROWSER_PATH"):
        found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if found:
            os.environ["BROWSER_PATH"] = found
    pio.defaults.topojson = TOPOJSON_DIR.as_uri() + "/"
    pio.defaults.mathjax = None
    return pio.to_image(fig, format=fmt, width=fig.layout.width or WIDTH, height=fig.layout.height or HEIGHT)
