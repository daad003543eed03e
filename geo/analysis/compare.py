"""Two petitions seat by seat: on one constituency set, shares, their difference, rates and correlation.

Petitions on different sets are both shown on the 2024 seats: the 2010 one is estimated onto them through
the population overlap crosswalk (geo.reference.crosswalk), an estimate that the page marks as one.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo.analysis.metrics import per_1000
from geo.reference.crosswalk import NEW, Crosswalk
from geo.reference.datasets import ConstituencySet
from geo.render.maps import DIVERGING, class_string, legend_classes

SHRINK = 0.01  # shares are moved 1% toward an even spread before taking ratios: a seat with none is not
# infinitely weak, and equal shares still give a ratio of exactly 1
TIE = 1e-9


@dataclass(frozen=True)
class Side:
    """One petition (or one snapshot of it) as counts per seat of its set."""

    label: str
    counts: pd.Series  # ons_code → signatures
    cset: ConstituencySet


def align(a: Side, b: Side, crosswalk: Crosswalk) -> tuple[pd.Series, pd.Series, ConstituencySet, tuple[bool, bool]]:
    """Both sides on one set: (counts a, counts b, the set, (a estimated, b estimated)). On different sets
    both go on the 2024 seats (the set of the side already on them); the other side is estimated onto them (its
    total kept)."""
    if a.cset.name == b.cset.name:
        return a.counts.astype("float64"), b.counts.astype("float64"), a.cset, (False, False)
    moved = [s.counts.astype("float64") if s.cset.name == NEW else crosswalk.estimate(s.counts, onto=NEW)
             for s in (a, b)]
    return moved[0], moved[1], a.cset if a.cset.name == NEW else b.cset, (a.cset.name != NEW, b.cset.name != NEW)


def compare(a: pd.Series, b: pd.Series, population: pd.Series) -> pd.DataFrame:
    """Per seat (the population's index): counts, shares (%), difference in points (A − B), rates per
    1,000 residents, the index vs each petition's own UK rate and the relative strength log2(share A /
    share B), both shares shrunk by SHRINK."""
    codes = population.index
    ca = a.reindex(codes).fillna(0).astype("float64")
    cb = b.reindex(codes).fillna(0).astype("float64")
    share_a = ca / ca.sum() * 100 if ca.sum() else ca * 0
    share_b = cb / cb.sum() * 100 if cb.sum() else cb * 0
    even = 100 / len(codes)
    smooth_a, smooth_b = ((1 - SHRINK) * x + SHRINK * even for x in (share_a, share_b))
    return pd.DataFrame({"a": ca, "b": cb, "share_a": share_a, "share_b": share_b,
                         "difference": share_a - share_b,
                         "per_1000_a": per_1000(ca, population), "per_1000_b": per_1000(cb, population),
                         "index_a": _index(ca, population), "index_b": _index(cb, population),
                         "relative": np.log2(smooth_a / smooth_b)}, index=codes)


def _index(counts: pd.Series, population: pd.Series) -> pd.Series:
    """Each seat's rate over the petition's UK rate (1.0 = as common there as across the UK)."""
    total = counts.sum()
    return counts / population / (total / population.sum()) if total else counts * 0


def correlation(x: pd.Series, y: pd.Series) -> float | None:
    """Pearson's r of two rates over the seats (None when either is constant)."""
    if x.std() == 0 or y.std() == 0 or len(x) < 2:
        return None
    return float(np.corrcoef(x.to_numpy(dtype="float64"), y.to_numpy(dtype="float64"))[0, 1])


def strongest(table: pd.DataFrame, n: int = 10) -> tuple[list[str], list[str]]:
    """The seats where A is strongest relative to B, and where B is strongest relative to A."""
    up = table.sort_values(["relative", "difference"], ascending=False, kind="stable")["relative"]
    down = table.sort_values(["relative", "difference"], ascending=True, kind="stable")["relative"]
    return [c for c, r in up.items() if r > TIE][:n], [c for c, r in down.items() if r < -TIE][:n]


DIFF_COLOURS = [DIVERGING[0], DIVERGING[1], DIVERGING[3], DIVERGING[5], DIVERGING[6]]  # B strong … A strong


def difference_classes(diff: np.ndarray, a: str = "A", b: str = "B") -> tuple[np.ndarray, list[dict[str, str]]]:
    """Five classes symmetric about 0: B much / somewhat stronger, about even, A somewhat / much stronger.

    The bounds are the median and the 90th percentile of |difference|, so half the seats read "about even"
    only when the two are that alike; the colours are centred on 0 whatever the spread.
    """
    d = np.asarray(diff, dtype="float64")
    size = np.abs(d)
    near = float(np.quantile(size, 0.5)) if size.size else 0.0
    far = max(float(np.quantile(size, 0.9)) if size.size else 0.0, near)
    if far == 0:
        return np.zeros(d.size, dtype="int64"), [{"label": "the same share", "colour": DIFF_COLOURS[2]}]
    cls = np.select([d < -far, d < -near, d <= near, d <= far], [0, 1, 2, 3], 4)
    digits = 3 if far < 0.01 else 2 if far < 1 else 1
    lo, hi = f"{near:.{digits}f}", f"{far:.{digits}f}"
    legend = [{"label": f"{b} ahead by over {hi} pts", "colour": DIFF_COLOURS[0]},
              {"label": f"{b} ahead by {lo}–{hi} pts", "colour": DIFF_COLOURS[1]},
              {"label": f"within ±{lo} pts", "colour": DIFF_COLOURS[2]},
              {"label": f"{a} ahead by {lo}–{hi} pts", "colour": DIFF_COLOURS[3]},
              {"label": f"{a} ahead by over {hi} pts", "colour": DIFF_COLOURS[4]}]
    used = sorted(set(cls.tolist()))
    remap = {old: new for new, old in enumerate(used)}
    return np.vectorize(remap.get)(cls) if cls.size else cls, [legend[i] for i in used]


def difference_layer(table: pd.DataFrame, codes: list[str], a: str, b: str) -> dict[str, Any]:
    """The map element's layers for the difference map (one frame, share of A minus share of B)."""
    values = table["difference"].reindex(codes).fillna(0).to_numpy()
    cls, legend = difference_classes(values, a, b)
    return {"title": f"Share of {a} minus share of {b} (points)", "legend": legend, "integer": False,
            "frames": [{"label": "", "cls": "".join(str(int(c)) for c in cls),
                        "values": [round(float(v), 3) for v in values]}]}


def scatter(table: pd.DataFrame, names: pd.Series, a: str, b: str, r: float | None):
    """Per-1,000 rates of A (x) against B (y), one point per seat; hover names the seat (as text)."""
    import plotly.graph_objects as go

    title = "Per 1,000 residents, seat by seat" + (f" · r = {r:.2f}" if r is not None else "")
    fig = go.Figure(go.Scatter(
        x=table["per_1000_a"], y=table["per_1000_b"], mode="markers",
        text=[_text(str(names.get(c, c))) for c in table.index],
        marker={"size": 6, "color": "#225ea8", "opacity": 0.6},
        hovertemplate=f"<b>%{{text}}</b><br>{_text(a)}: %{{x:.2f}}<br>{_text(b)}: %{{y:.2f}}"
                      "<extra></extra>"))
    fig.update_layout(title=title, height=460, margin={"l": 0, "r": 10, "t": 40, "b": 0},
                      xaxis={"title": f"{_text(a)} per 1,000", "rangemode": "tozero"},
                      yaxis={"title": f"{_text(b)} per 1,000", "rangemode": "tozero"})
    return fig


def _text(value: Any) -> str:
    """Plotly reads some HTML (<a href>, <b>, <br>) in hover text and titles: escaped, a name shows as written."""
    return html.escape(str(value), quote=False)


def index_layers(table: pd.DataFrame, codes: list[str], titles: tuple[str, str]) -> list[dict[str, Any]]:
    """Map layers of both petitions on one scale: each seat's rate over the petition's own UK rate (1.0 = as
    common there as across the UK), so a petition 400 times smaller is still read on the same colours."""
    rows = table.reindex(codes)
    columns = [rows[f"index_{side}"].fillna(0).to_numpy(dtype="float64") for side in ("a", "b")]
    signed = np.concatenate([rows["a"].fillna(0).to_numpy() > 0, rows["b"].fillna(0).to_numpy() > 0])
    cls, legend = legend_classes(np.concatenate(columns), "index", signed=signed)
    n = len(codes)
    return [{"title": title, "legend": legend, "integer": False,
             "frames": [{"label": "", "cls": class_string(cls[i * n:(i + 1) * n]),
                         "values": [round(float(v), 3) for v in column]}]}
            for i, (title, column) in enumerate(zip(titles, columns))]
