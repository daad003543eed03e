"""One seat across every stored petition: the corpus for the seat (estimated across the 2024 boundary change),
its profile (geo/analysis/unusual.py's verdicts), filters, comparisons and exports. No Streamlit."""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.analysis.metrics import per_1000
from geo.analysis.unusual import (
    FDR,
    MIN_EXPECTED,
    MIN_RATIO,
    MIN_SIGNATURES,
    MIN_TOTAL,
    Overall,
    assess,
    described,
    overall,
)
from geo.reference.crosswalk import NEW, OLD, Crosswalk

CORPUS_COLUMNS = ["petition_id", "action", "state", "here", "total", "set", "estimated"]
LatestCounts = Callable[[str], pd.DataFrame]  # the store's latest_counts_for(ons_code)
Weighted = Callable[[dict[str, float]], pd.Series]  # the store's weighted_latest(weights)


def seat_corpus(latest_counts_for: LatestCounts, code: str, set_name: str, walk: Crosswalk,
                petition_sets: dict[int, str] | pd.Series | None = None,
                weighted: Weighted | None = None) -> pd.DataFrame:
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
    given = petition_sets if isinstance(petition_sets, pd.Series) else pd.Series(petition_sets or {}, dtype=object)
    known = given.astype(object).reindex(base.index).to_numpy(dtype=object)  # plain arrays: 30,000 rows in ms
    mine, other = base["mine"].to_numpy(), base["other"].to_numpy()
    has_set = pd.notna(known)
    own = np.where(has_set, known == set_name, mine > 0)
    keep = has_set | (mine > 0) | (other > 0)
    base["set"] = pd.Series(np.where(own, set_name, other_set).astype(object), index=base.index, dtype=object)
    base["here"] = np.minimum(np.where(own, mine, other), base["total"].to_numpy())  # never above the UK total
    base["estimated"] = ~own
    base = base[keep]
    return base.reset_index()[CORPUS_COLUMNS]


@dataclass(frozen=True)
class SeatProfile:
    """A seat's profile: `rows` is the corpus with the verdicts (geo/analysis/unusual.py) and any petition facts."""

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
        return described(rows[rows["popular"]].sort_values(["ratio", "here"], ascending=False).head(n))

    def unpopular(self, rows: pd.DataFrame | None = None, n: int = 10) -> pd.DataFrame:
        rows = self.rows if rows is None else rows
        return described(rows[rows["unpopular"]].sort_values(["ratio", "expected"], ascending=[True, False]).head(n))


def seat_profile(corpus: pd.DataFrame, code: str, set_name: str, table: pd.DataFrame,
                 facts: pd.DataFrame | None = None) -> SeatProfile:
    """The profile of seat `code` of `set_name`, whose reference `table` (ons_code, name, population) is given;
    `facts` (petition_id, parliament, states, departments, topics) are joined for the filters."""
    people = table.set_index("ons_code")
    if code not in people.index:
        raise KeyError(f"{code} is not a constituency of this set")
    verdicts = assess(corpus["here"].to_numpy(), corpus["total"].to_numpy(), describe=False)  # words when shown
    rows = pd.concat([corpus.reset_index(drop=True), verdicts.drop(columns=["here", "total"])], axis=1)
    if facts is not None and len(facts):
        rows = rows.join(facts.drop_duplicates("petition_id").set_index("petition_id"), on="petition_id")
    summary = overall(corpus["here"].to_numpy(), corpus["total"].to_numpy(), float(people.at[code, "population"]),
                      float(people["population"].sum()))
    return SeatProfile(code, str(people.at[code, "name"]), set_name, summary, rows)


def profile_of_store(latest_counts_for: LatestCounts, weighted: Weighted | None, code: str, set_name: str,
                     walk: Crosswalk, table: pd.DataFrame, facts: pd.DataFrame) -> SeatProfile:
    """The profile from a store's queries and its petition facts (petition_id, title, parliament, states,
    departments, topics, set; as HistoryStore.petition_facts gives them, with each petition's boundary set)."""
    known = facts[facts["set"].notna()]
    corpus = seat_corpus(latest_counts_for, code, set_name, walk, pd.Series(known["set"].to_numpy(dtype=object),
                                                                             index=known["petition_id"].to_numpy()),
                         weighted)
    titles = corpus["petition_id"].map(pd.Series(facts["title"].to_numpy(), index=facts["petition_id"].to_numpy()))
    corpus["action"] = titles.where(titles.notna(), corpus["action"])  # the document's, where the store has none
    return seat_profile(corpus, code, set_name, table,
                        facts[["petition_id", "parliament", "states", "departments", "topics"]])


def petition_sets(parliaments: pd.Series) -> np.ndarray:
    """Each petition's boundary set from its parliament ('2019–2024' → pcon2010, '2024–' → pcon2024; None when
    unknown), as an object array."""
    values = pd.Series(parliaments, dtype=object).where(pd.notna(parliaments), "").to_numpy(dtype=object)
    sets = np.where(values >= "2024", NEW, OLD).astype(object)
    sets[values == ""] = None
    return sets


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


def corpus_sums(totals: pd.Series, own: Iterable[str], other: Iterable[str], onto: str, walk: Crosswalk
                ) -> pd.Series:
    """Each seat of a set (`own` codes) over every stored petition: its own count of the petitions on its
    boundaries plus the estimate, through the overlap lookup, of those on the other set's (`other` codes) —
    the scale of the seat's headline figures. `totals`: the store's code_totals. The codes both sets share
    count both sets' petitions already, so they are not estimated again."""
    own = list(own)
    counted = totals.reindex(own, fill_value=0).astype("float64")
    elsewhere = totals.reindex(sorted(set(other) - set(own)), fill_value=0).astype("float64")
    estimate = walk.estimate(elsewhere[elsewhere > 0], onto)
    return counted.add(estimate.reindex(own, fill_value=0.0), fill_value=0.0)


def area_rates(sums: pd.Series, table: pd.DataFrame, code: str, neighbours: Iterable[str],
               similar: Iterable[str] = ()) -> pd.DataFrame:
    """The seat beside its neighbours, similar seats, region, nation and the UK on one scale: signatures per
    1,000 residents over the corpus's petitions of this set. `sums`: each seat's total over those petitions."""
    t = table.set_index("ons_code")
    signed = sums.reindex(t.index, fill_value=0).astype("float64")
    row = t.loc[code]
    areas = [(str(row["name"]), "this seat", [code])]
    areas += [(str(t.at[c, "name"]), "neighbour", [c]) for c in neighbours if c != code and c in t.index]
    areas += [(str(t.at[c, "name"]), "similar", [c]) for c in similar if c != code and c in t.index]
    for kind in ("region", "nation"):
        if kind == "region" and row["region"] == row["nation"]:
            continue  # Scotland, Wales and Northern Ireland are region and nation at once
        areas.append((str(row[kind]), kind, list(t.index[t[kind] == row[kind]])))
    areas.append(("United Kingdom", "UK", list(t.index)))
    out = [{"area": name, "kind": kind, "ons_code": codes[0] if len(codes) == 1 else "",
            "signatures": int(signed[codes].sum()),
            "per_1000": float(per_1000(signed[codes].sum(), t.loc[codes, "population"].sum()))}
           for name, kind, codes in areas]
    return pd.DataFrame(out)


SIMILAR_PETITIONS = 300  # the most signed petitions of a boundary set make a seat's signing pattern
MIN_SIMILAR = 20  # fewer petitions than this cannot tell seats' patterns apart
SIMILAR_MEANS = (f"“Similar” seats sign the same petitions more, and the same ones less, than other seats do: "
                 f"over the {SIMILAR_PETITIONS} most signed petitions held on these boundaries, each seat's share of "
                 f"every petition's signatures (on a log scale) correlates most closely with this seat's. It says "
                 f"nothing about size, place or party, only about which petitions people there sign.")


def signing_matrix(counts_of: Callable[[list[int], list[str]], pd.DataFrame], totals: pd.Series,
                   sets: dict[int, str], set_name: str, codes: Iterable[str], n: int = SIMILAR_PETITIONS
                   ) -> pd.DataFrame:
    """Seats (rows, `codes`) × the `n` most signed petitions of `set_name` (columns): latest counts. `totals`:
    each petition's signatures (petition_id → count); `counts_of`: the store's latest_counts_of."""
    codes = list(codes)
    ranked = totals[totals >= MIN_TOTAL].sort_values(ascending=False, kind="stable")
    ids = [int(pid) for pid in ranked.index if sets.get(int(pid)) == set_name][:n]
    long = counts_of(ids, codes)
    wide = long.pivot_table(index="ons_code", columns="petition_id", values="signature_count", aggfunc="sum",
                            fill_value=0) if len(long) else pd.DataFrame()
    return wide.reindex(index=codes, columns=ids, fill_value=0).astype("int64")


def similar_seats(matrix: pd.DataFrame, code: str, n: int = 5) -> pd.Series:
    """The `n` seats whose signing pattern correlates most with `code`'s (ONS code → Pearson r, highest first);
    empty when fewer than MIN_SIMILAR petitions make the pattern or the seat signed none of them."""
    if matrix.shape[1] < MIN_SIMILAR or code not in matrix.index:
        return pd.Series(dtype="float64")
    x = matrix.to_numpy(dtype="float64")
    signed = x.sum(axis=1) > 0
    # Share of each petition's signatures, smoothed so a seat with none of a petition's signatures stays finite.
    logs = np.log((x + 0.5) / (x.sum(axis=0, keepdims=True) + 0.5 * len(x)))
    z = logs - logs.mean(axis=1, keepdims=True)
    norm = np.linalg.norm(z, axis=1)
    i = matrix.index.get_loc(code)
    if not signed[i] or norm[i] == 0:
        return pd.Series(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        r = z @ z[i] / (norm * norm[i])
    found = pd.Series(r, index=matrix.index)[signed & (norm > 0)].drop(code)
    return found.sort_values(ascending=False, kind="stable").head(n)


def profile_csv(profile: SeatProfile) -> bytes:
    """The profile as CSV: one row per petition with its verdict (a text cell a spreadsheet would run as a
    formula gets a leading ')."""
    rows = described(profile.rows.sort_values(["here", "petition_id"], ascending=[False, True]))
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
