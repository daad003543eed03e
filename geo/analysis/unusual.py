"""What is unusually popular (or unpopular) in one seat, measured against the seat's own usual share.

A raw index (signatures per resident here ÷ the UK rate) mostly measures how much a seat signs petitions at
all: a seat full of keen signers is "above the UK" on nearly everything. The question an MP asks is different:
which petitions does *this* seat sign far more (or less) than it usually does? So each petition is compared with
the seat's usual share of a petition's UK signatures, its median share across the corpus.

For petition i with n_i signatures in UK constituencies, x_i of them here, and the seat's usual share p, chance
alone gives x_i ~ Binomial(n_i, p). The tail probability of the observed count is corrected for testing every
petition of at least MIN_TOTAL signatures at once with the Benjamini–Hochberg false-discovery rate. A petition
is listed only when it is also big enough to tell (MIN_SIGNATURES here for "popular", MIN_EXPECTED expected here
for "unpopular") and the difference is large enough to matter (MIN_RATIO), since with a million signatures a
5 % difference is "significant" and means nothing to an MP.

Plain typed numpy/pandas/scipy: no Streamlit, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binom

MIN_TOTAL = 100  # petitions with fewer UK signatures are too noisy to set the seat's usual share
MIN_SIGNATURES = 10  # "unusually popular" needs at least this many signatures here
MIN_EXPECTED = 10.0  # "unusually unpopular" needs at least this many expected here (else 0 is unremarkable)
MIN_RATIO = 1.5  # at least 1.5× (or at most 1/1.5 of) the usual share
FDR = 0.05  # Benjamini–Hochberg false-discovery rate

RESULT_COLUMNS = ["here", "total", "share", "expected", "ratio", "p_high", "p_low", "q_high", "q_low",
                  "popular", "unpopular", "words"]


def usual_share(here: np.ndarray, totals: np.ndarray, min_total: int = MIN_TOTAL) -> float:
    """The seat's typical share of a petition's UK signatures: the median share over petitions with at least
    `min_total` UK signatures (a median, so a few local petitions do not move it); the pooled share
    Σ here ÷ Σ totals when no petition is that big; 0.0 for an empty corpus."""
    here, totals = _arrays(here, totals)
    big = totals >= min_total
    if big.any():
        return float(np.median(here[big] / totals[big]))
    return float(here.sum() / totals.sum()) if totals.sum() > 0 else 0.0


def bh_adjust(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values), in the input's order; NaN stays NaN (not tested)."""
    p = np.asarray(p, dtype="float64")
    q = np.full(p.shape, np.nan)
    tested = ~np.isnan(p)
    m = int(tested.sum())
    if m == 0:
        return q
    values = p[tested]
    order = np.argsort(values)
    ranked = values[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]  # monotone from the largest p down
    out = np.empty(m)
    out[order] = np.minimum(ranked, 1.0)
    q[tested] = out
    return q


def chance_words(q: float) -> str:
    """A q-value in plain words (only petitions under the FDR cut-off are ever described)."""
    if q < 0.001:
        return "very unlikely by chance"
    if q < 0.01:
        return "unlikely by chance"
    return "probably not chance"


def assess(here: np.ndarray, totals: np.ndarray, usual: float | None = None, *, fdr: float = FDR,
           min_total: int = MIN_TOTAL, min_signatures: int = MIN_SIGNATURES, min_expected: float = MIN_EXPECTED,
           min_ratio: float = MIN_RATIO, describe: bool = True) -> pd.DataFrame:
    """Each petition's count here against the seat's usual share, one row per input petition (same order).

    `here[i]`: signatures in this seat; `totals[i]`: signatures in all UK constituencies. `usual` defaults to
    usual_share(here, totals). Columns: RESULT_COLUMNS (`popular`/`unpopular` are the listed verdicts; `words`
    says it in plain English for listed rows, '' otherwise; with `describe` False it is left '' for
    described() to fill in for the rows shown).
    """
    here, totals = _arrays(here, totals)
    p = usual_share(here, totals, min_total) if usual is None else float(usual)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"a usual share must be between 0 and 1, not {p!r}")
    expected = totals * p
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(totals > 0, here / totals, np.nan)
        ratio = np.where(expected > 0, here / expected, np.nan)
    # The family of tests is chosen by petition size only (never by the outcome here, which would bias it);
    # the minimum count and ratio are applied after the correction, so they can only remove discoveries.
    tested = (totals >= min_total) & (expected > 0)
    n, x = np.rint(totals).astype("int64"), np.rint(here).astype("int64")  # estimates across boundaries are fractional
    p_high = np.where(tested, binom.sf(x - 1, n, p), np.nan)  # P(X ≥ x)
    p_low = np.where(tested, binom.cdf(x, n, p), np.nan)  # P(X ≤ x)
    q_high, q_low = bh_adjust(p_high), bh_adjust(p_low)
    popular = tested & (np.nan_to_num(q_high, nan=1.0) < fdr) & (here >= min_signatures) & (ratio >= min_ratio)
    unpopular = tested & (np.nan_to_num(q_low, nan=1.0) < fdr) & (expected >= min_expected) & (
        ratio <= 1 / min_ratio)
    out = pd.DataFrame({"here": x, "total": n, "share": share, "expected": expected, "ratio": ratio,
                        "p_high": p_high, "p_low": p_low, "q_high": q_high, "q_low": q_low,
                        "popular": popular, "unpopular": unpopular, "words": np.full(len(x), "", dtype=object)})
    return described(out) if describe else out


def described(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of assess() with `words` filled in for the listed (popular or unpopular) ones."""
    listed = np.flatnonzero((rows["popular"] | rows["unpopular"]).to_numpy())
    if not len(listed):
        return rows
    rows = rows.copy()
    words = rows["words"].to_numpy(dtype=object).copy()
    ratio, here, expected = (rows[c].to_numpy() for c in ("ratio", "here", "expected"))
    q = np.where(rows["popular"].to_numpy(), rows["q_high"].to_numpy(), rows["q_low"].to_numpy())
    for i in listed:
        words[i] = _words(ratio[i], int(round(here[i])), expected[i], q[i])
    rows["words"] = pd.Series(words, index=rows.index, dtype=object)
    return rows


@dataclass(frozen=True)
class Overall:
    """How much a seat signs across the corpus: its share of all UK signatures against its share of residents."""

    signatures: int
    uk_signatures: int
    share_of_signatures: float
    share_of_residents: float
    usual_share: float
    petitions: int

    @property
    def index(self) -> float:
        """1.0 = signs in proportion to its residents; 1.3 = 30 % more."""
        return self.share_of_signatures / self.share_of_residents if self.share_of_residents else float("nan")


def overall(here: np.ndarray, totals: np.ndarray, population: float, uk_population: float) -> Overall:
    """The seat's totals across every petition given."""
    here, totals = _arrays(here, totals)
    if population < 0 or uk_population <= 0 or population > uk_population:
        raise ValueError(f"population {population!r} of {uk_population!r} is not a seat of the UK")
    signed, everyone = round(float(here.sum())), round(float(totals.sum()))  # estimates are fractional
    return Overall(signed, everyone, signed / everyone if everyone else 0.0, population / uk_population,
                   usual_share(here, totals), int(len(here)))


def _words(ratio: float, here: int, expected: float, q: float) -> str:
    times = f"{ratio:.1f}×" if ratio >= 0.95 else f"{ratio:.2f}×"
    count = f"{here:,} signature{'s' if here != 1 else ''}"
    if ratio < 1:
        count += f" where about {expected:,.0f} were usual"
    return f"{times} this seat's usual share; {count}; {chance_words(q)}"


def _arrays(here: np.ndarray, totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    here, totals = np.asarray(here, dtype="float64"), np.asarray(totals, dtype="float64")
    if here.shape != totals.shape or here.ndim != 1:
        raise ValueError(f"counts here ({here.shape}) and UK totals ({totals.shape}) must be two lists of one length")
    if np.isnan(here).any() or np.isnan(totals).any() or (here < 0).any() or (here > totals).any():
        raise ValueError("every count here must be a number between 0 and its petition's UK total")
    return here, totals
