"""One seat across every stored petition: the corpus for the seat (estimated across the 2024 boundary change),
its profile (geo/unusual.py's verdicts), filters, comparisons and exports. No Streamlit."""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.crosswalk import NEW, OLD, Crosswalk
from geo.unusual import FDR, MIN_EXPECTED, MIN_RATIO, MIN_SIGNATURES, MIN_TOTAL, Overall, assess, overall

CORPUS_COLUMNS = ["petition_id", "action", "state", "here", "total", "set", "estimated"]
LatestCounts = Callable[[str], pd.DataFrame]  # the store's latest_counts_for(ons_code)
Weighted = Callable[[dict[str, float]], pd.Series]  # the store's weighted_latest(weights)


def seat_corpus(latest_counts_for: LatestCounts, code: str, set_name: str, walk: Crosswalk,
                petition_sets: dict[int, str] | None = None, weighted: Weighted | None = None) -> pd.DataFrame:
    """Every stored petition's latest count in one seat: counted where the petition uses the seat's own set,
    estimated through the overlap lookup where it uses the other set (`estimated` True).

    A petition's set comes from `petition_sets` (its parliament) when known, else from where its signatures
    are: in this seat (own set) or in the seats of the other set that overlap it. A petition with no signature
    in either and no known set is left out (nothing says which boundaries it used)."""
    own = latest_counts_for(code)
    onto = NEW if set_name == NEW else OLD
    weights = walk.weights_into(code, onto)
    base = pd.DataFrame({"petition_id": own["petition_id"].astype("int64"), "action": own["action"],
                         "state": own["state"], "mine": own["signature_count"].astype("float64"),
                         "total": own["constituency_total"].astype("float64")}).set_index("petition_id")
    if list(weights.index) == [code]:  # a Scottish seat kept whole with its code: both sets count it alike
        base["other"] = base["mine"]
    else:
        estimate = (weighted or _weighted(latest_counts_for))({str(c): float(w) for c, w in weights.items()})
        base["other"] = estimate.reindex(base.index, fill_value=0.0)
    other_set = OLD if onto == NEW else NEW
    known = pd.Series(petition_sets or {}, dtype=object).reindex(base.index)
    guess = np.select([base["mine"] > 0, base["other"] > 0], [set_name, other_set], default=None)  # type: ignore[call-overload]  # an object array: None where neither set has signatures
    chosen = known.where(known.notna(), pd.Series(guess, index=base.index))
    base["set"] = chosen
    base = base[base["set"].notna()]
    estimated = base["set"] != set_name
    base["here"] = base["other"].where(estimated, base["mine"])
    base["estimated"] = estimated
    base["here"] = np.minimum(base["here"], base["total"])  # an estimate never exceeds the petition's UK total
    return base.reset_index()[CORPUS_COLUMNS]


@dataclass(frozen=True)
class SeatProfile:
    """A seat's profile: `rows` is the corpus with the verdicts (geo/unusual.py) and any petition facts."""

    code: str
    name: str
    set_name: str
    overall: Overall
    rows: pd.DataFrame

    @property
    def estimated(self) -> int:
        return int(self.rows["estimated"].sum())

    def most_signed(self, rows: pd.DataFrame | None = None, n: int = 10) -> pd.DataFrame:
        rows = self.rows if rows is None else rows
        return rows.nlargest(n, "here", keep="first")

    def popular(self, rows: pd.DataFrame | None = None, n: int = 10) -> pd.DataFrame:
        rows = self.rows if rows is None else rows
        return rows[rows["popular"]].sort_values(["ratio", "here"], ascending=False).head(n)

    def unpopular(self, rows: pd.DataFrame | None = None, n: int = 10) -> pd.DataFrame:
        rows = self.rows if rows is None else rows
        return rows[rows["unpopular"]].sort_values(["ratio", "expected"], ascending=[True, False]).head(n)


def seat_profile(corpus: pd.DataFrame, code: str, set_name: str, table: pd.DataFrame,
                 facts: pd.DataFrame | None = None) -> SeatProfile:
    """The profile of seat `code` of `set_name`, whose reference `table` (ons_code, name, population) is given;
    `facts` (petition_id, parliament, states, departments, topics) are joined for the filters."""
    people = table.set_index("ons_code")
    if code not in people.index:
        raise KeyError(f"{code} is not a constituency of this set")
    verdicts = assess(corpus["here"].to_numpy(), corpus["total"].to_numpy())
    rows = pd.concat([corpus.reset_index(drop=True), verdicts.drop(columns=["here", "total"])], axis=1)
    if facts is not None and len(facts):
        rows = rows.join(facts.drop_duplicates("petition_id").set_index("petition_id"), on="petition_id")
    summary = overall(corpus["here"].to_numpy(), corpus["total"].to_numpy(), float(people.at[code, "population"]),
                      float(people["population"].sum()))
    return SeatProfile(code, str(people.at[code, "name"]), set_name, summary, rows)


def filter_rows(rows: pd.DataFrame, parliament: str | None = None, state: str | None = None,
                department: str | None = None, topic: str | None = None) -> pd.DataFrame:
    """Rows of a profile for one parliament, state (open, closed, rejected, debated, responded), department
    or topic; None = any. Facts a petition does not have (not stored) never match a filter."""
    keep = pd.Series(True, index=rows.index)
    if parliament:
        keep &= rows.get("parliament", pd.Series(None, index=rows.index)) == parliament
    if state:
        states = rows.get("states", pd.Series([()] * len(rows), index=rows.index))
        keep &= (rows["state"] == state) | states.map(lambda s: isinstance(s, tuple) and state in s)
    for column, wanted in (("departments", department), ("topics", topic)):
        if wanted:
            values = rows.get(column, pd.Series([()] * len(rows), index=rows.index))
            keep &= values.map(lambda v, w=wanted: isinstance(v, tuple) and w in v)
    return rows[keep]


def options(rows: pd.DataFrame, column: str) -> list[str]:
    """The values a filter offers: those present in the rows (tuples flattened), sorted."""
    if column not in rows:
        return []
    found: set[str] = set()
    for value in rows[column].dropna():
        found.update(value if isinstance(value, tuple) else (value,))
    return sorted(found)


def area_rates(sums: pd.Series, table: pd.DataFrame, code: str, neighbours: Iterable[str]) -> pd.DataFrame:
    """The seat beside its neighbours, region, nation and the UK on one scale: signatures per 1,000 residents
    over the corpus's petitions of this set. `sums`: each seat's total over those petitions, by ONS code."""
    t = table.set_index("ons_code")
    signed = sums.reindex(t.index, fill_value=0).astype("float64")
    row = t.loc[code]
    areas = [(str(row["name"]), "this seat", [code])]
    areas += [(str(t.at[c, "name"]), "neighbour", [c]) for c in neighbours if c != code and c in t.index]
    for kind in ("region", "nation"):
        if kind == "region" and row["region"] == row["nation"]:
            continue  # Scotland, Wales and Northern Ireland are region and nation at once
        areas.append((str(row[kind]), kind, list(t.index[t[kind] == row[kind]])))
    areas.append(("United Kingdom", "UK", list(t.index)))
    out = [{"area": name, "kind": kind, "signatures": int(signed[codes].sum()),
            "per_1000": float(signed[codes].sum() / t.loc[codes, "population"].sum() * 1000)}
           for name, kind, codes in areas]
    return pd.DataFrame(out)


def profile_csv(profile: SeatProfile) -> bytes:
    """The profile as CSV: one row per petition with its verdict (a text cell a spreadsheet would run as a
    formula gets a leading ')."""
    rows = profile.rows.sort_values(["here", "petition_id"], ascending=[False, True])
    out = pd.DataFrame({
        "ons_code": profile.code, "constituency": _cell(profile.name), "petition_id": rows["petition_id"],
        "action": rows["action"].map(_cell), "state": rows["state"], "signatures_here": rows["here"].round(1),
        "estimated": rows["estimated"], "uk_signatures": rows["total"].astype("int64"),
        "times_usual_share": rows["ratio"].round(3), "q_value_high": rows["q_high"], "q_value_low": rows["q_low"],
        "verdict": np.select([rows["popular"], rows["unpopular"]], ["unusually popular", "unusually unpopular"], ""),
        "in_words": rows["words"]})
    buffer = io.StringIO()
    out.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def summary_html(profile: SeatProfile, mp: str, attribution: str, n: int = 8) -> str:
    """A one-page printable summary (A4, print from the browser to PDF); every value is HTML-escaped."""
    o = profile.overall
    e = html.escape

    def table(rows: pd.DataFrame, words: bool) -> str:
        if rows.empty:
            return "<p>None.</p>"
        body = "".join(
            f"<tr><td>{e(str(r.action))}{' (estimate)' if r.estimated else ''}</td>"
            f"<td class=n>{r.here:,.0f}</td><td>{e(r.words) if words else f'{r.ratio:.1f}×'}</td></tr>"
            for r in rows.itertuples())
        last = "In words" if words else "vs usual"
        return f"<table><tr><th>Petition</th><th>Here</th><th>{last}</th></tr>{body}</table>"

    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(profile.name)}: petitions</title>
<style>@page {{size: A4; margin: 14mm}} body {{font: 10pt/1.35 system-ui, sans-serif; max-width: 190mm; margin: auto}}
h1 {{font-size: 16pt; margin: 0}} h2 {{font-size: 11pt; margin: 10px 0 4px}} table {{border-collapse: collapse;
width: 100%}} td, th {{border-bottom: 1px solid #ddd; padding: 2px 4px; text-align: left; vertical-align: top}}
.n {{text-align: right}} .k {{display: inline-block; margin-right: 18px}} small {{color: #555}}</style></head><body>
<h1>{e(profile.name)} <small>{e(profile.code)}</small></h1>
<p>MP: {e(mp)}</p>
<p><span class=k><b>{o.signatures:,.0f}</b> signatures over {o.petitions:,} petitions</span>
<span class=k><b>{o.share_of_signatures:.3%}</b> of UK signatures</span>
<span class=k><b>{o.share_of_residents:.3%}</b> of UK residents</span>
<span class=k>usual share of a petition: <b>{o.usual_share:.3%}</b></span></p>
<h2>Most signed here</h2>{table(profile.most_signed(n=n), False)}
<h2>Unusually popular here</h2>{table(profile.popular(n=n), True)}
<h2>Unusually unpopular here</h2>{table(profile.unpopular(n=n), True)}
<p><small>{e(METHOD)} {e(attribution)}</small></p></body></html>"""


METHOD = (f"Each petition is compared with this seat's usual share of a petition's UK signatures (its median share "
          f"over petitions of {MIN_TOTAL}+ signatures). A binomial test says how likely the count here is by chance; "
          f"the Benjamini–Hochberg correction keeps false discoveries under {FDR:.0%} across all petitions; "
          f"listed only at {MIN_RATIO:g}× (or 1/{MIN_RATIO:g}) the usual share or more, with at least "
          f"{MIN_SIGNATURES} signatures here (popular) or {MIN_EXPECTED:g} expected (unpopular). Counts for "
          f"petitions on the other boundaries are estimates by population-weighted overlap.")


def _cell(text: object) -> str:
    value = str(text)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _weighted(latest_counts_for: LatestCounts) -> Weighted:
    """weighted_latest from latest_counts_for, one code at a time (for stores without it)."""
    def weighted(weights: dict[str, float]) -> pd.Series:
        total = pd.Series(dtype="float64")
        for code, w in weights.items():
            counts = latest_counts_for(code).set_index("petition_id")["signature_count"].astype("float64")
            total = total.add(counts[counts > 0] * w, fill_value=0.0)
        return total
    return weighted
