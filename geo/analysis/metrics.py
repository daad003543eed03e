"""Per-constituency metrics and colour-scale class breaks."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

Scheme = Literal["quantiles", "fisher_jenks", "log"]
SCHEMES: dict[str, str] = {"quantiles": "Quantiles", "fisher_jenks": "Natural breaks (Fisher-Jenks)",
                           "log": "Log scale"}


def per_1000(signatures: Any, population: Any) -> Any:
    """Signatures per 1,000 residents (numbers, Series or arrays alike)."""
    return signatures / population * 1000


def area_rate(rows: pd.DataFrame) -> float:
    """Signatures per 1,000 residents of an area made of seats (`signatures` and `population` columns)."""
    return float(per_1000(rows["signatures"].sum(), rows["population"].sum()))


def add_metrics(table: pd.DataFrame) -> pd.DataFrame:
    """Add per_1000, share, index and ranks to a table with `signatures` and `population`.

    index = local signatures per resident ÷ UK signatures per resident (1.0 = typical).
    Ranks: 1 = most; ties share the best rank.
    """
    out = table.copy()
    signatures = out["signatures"].astype("float64")
    population = out["population"].astype("float64")
    total = signatures.sum()
    out["per_1000"] = per_1000(signatures, population)
    out["share"] = signatures / total if total else 0.0
    uk_rate = total / population.sum()
    out["index"] = (signatures / population) / uk_rate if uk_rate else 0.0
    out["rank"] = signatures.rank(ascending=False, method="min").astype("int64")
    out["rank_rate"] = out["per_1000"].rank(ascending=False, method="min").astype("int64")
    return out


def class_breaks(values: pd.Series | np.ndarray, scheme: Scheme = "quantiles", k: int = 6) -> list[float]:
    """Upper bounds of k colour classes (the last is the maximum).

    Quantiles and Fisher-Jenks come from mapclassify; 'log' gives powers-of-ten style breaks.
    Fewer classes are returned when the values have fewer distinct levels.
    """
    v = np.asarray(values, dtype="float64")
    v = v[np.isfinite(v)]
    if v.size == 0:
        return [0.0]
    distinct = np.unique(v)
    if distinct.size <= k:
        return distinct.tolist()
    if scheme == "log":
        return _log_breaks(v, k)
    import mapclassify

    if scheme == "quantiles":
        bins = mapclassify.Quantiles(v, k=k).bins
    elif scheme == "fisher_jenks":
        bins = fisher_jenks(v, k)
    else:
        raise ValueError(f"unknown classification scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
    # Floating-point noise (mostly-zero data gives bounds like 4e-17) must not make a class of its own.
    return sorted(set(float(b) for b in np.round(bins, 9)))


def classify(values: pd.Series | np.ndarray, breaks: list[float]) -> np.ndarray:
    """Class index (0-based) of each value: the first break that is ≥ the value."""
    idx = np.searchsorted(np.asarray(breaks), np.asarray(values, dtype="float64"), side="left")
    return np.minimum(idx, len(breaks) - 1)


def fisher_jenks(values: np.ndarray, k: int) -> list[float]:
    """Exact Fisher-Jenks natural breaks (the optimum mapclassify.FisherJenks finds), vectorised.

    mapclassify's own version needs numba to be fast; this dynamic programme takes milliseconds.
    """
    x = np.sort(np.asarray(values, dtype="float64"))
    n = x.size
    k = min(k, np.unique(x).size)
    cs = np.concatenate([[0.0], np.cumsum(x)])
    cs2 = np.concatenate([[0.0], np.cumsum(x * x)])
    a = np.arange(n + 1)[:, None]
    b = np.arange(n + 1)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        ssd = (cs2[b] - cs2[a]) - (cs[b] - cs[a]) ** 2 / (b - a)
    ssd = np.where(b > a, ssd, np.inf)  # ssd[a, b]: sum of squared deviations of x[a:b]
    cost = ssd[0].copy()
    starts = []
    for _ in range(1, k):
        total = cost[:, None] + ssd
        best = np.argmin(total, axis=0)
        starts.append(best)
        cost = total[best, np.arange(n + 1)]
    ends, end = [n], n
    for best in reversed(starts):
        end = int(best[end])
        ends.append(end)
    return [float(x[e - 1]) for e in sorted(set(ends)) if e > 0]


def ordinal(n: int) -> str:
    """1 → '1st', 12 → '12th', 22 → '22nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _log_breaks(v: np.ndarray, k: int) -> list[float]:
    lo = max(float(v[v > 0].min()) if (v > 0).any() else 1.0, 1e-9)
    hi = float(v.max())
    if hi <= lo:
        return [hi]
    edges = np.geomspace(lo, hi, k)
    breaks = [float(_nice(e)) for e in edges[:-1]] + [hi]
    if (v <= 0).any():
        breaks = [0.0] + breaks
    return sorted(set(breaks))


def _nice(x: float) -> float:
    """Round to 1, 2 or 5 × a power of ten (legend-friendly)."""
    if x <= 0:
        return 0.0
    exp = np.floor(np.log10(x))
    base = x / 10**exp
    step = 1 if base < 1.5 else 2 if base < 3.5 else 5 if base < 7.5 else 10
    return float(step * 10**exp)
