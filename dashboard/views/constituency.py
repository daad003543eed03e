"""Constituency page, for MPs and constituents: one seat across every stored petition, then in this petition."""

import pandas as pd
import streamlit as st

from dashboard import cache, ui
from dashboard.components.mapview import map_element, picked
from geo.analysis.across import local_slug, neighbours
from geo.analysis.metrics import area_rate, ordinal
from geo.analysis.metrics import per_1000 as rate
from geo.analysis.seat import (
    METHOD,
    MIN_SIMILAR,
    SIMILAR_MEANS,
    area_rates,
    filter_rows,
    options,
    profile_csv,
    similar_seats,
    summary_html,
)
from geo.reference.datasets import attribution
from geo.render.seat_summary import summary_png, summary_svg
from petitions.api import Unreachable
from petitions.model import PetitionError
from petitions.postcode import normalise_postcode

LOAD_HINT = ("Load a corpus of every petition with `python -m petitions.track --backfill` (final counts of every "
             "closed and archived petition; resumable) or `python -m petitions.track --import FOLDER` (documents "
             "saved in a folder); `--all-open` keeps open ones current.")
SET_LABEL = {"pcon2010": "2010–2024 boundaries", "pcon2024": "boundaries from 2024"}

SOURCES = " | ".join(attribution(cache.constituency_set("pcon2024"), lookup=True))

st.title("Constituency")
ui.remember_constituency()
loaded = ui.petition_picker()  # optional: a petition to show this seat in, below
sets = {name: cache.constituency_set(name).table for name in ("pcon2024", "pcon2010")}
seat_set: dict[str, str] = {}
labels: dict[str, str] = {}
for name, table in sets.items():  # five Scottish codes are in both sets: the 2024 one is kept
    for code, seat in zip(table["ons_code"], table["name"]):
        if code not in seat_set:
            seat_set[code], labels[code] = name, f"{seat} ({SET_LABEL[name]})"
mps = cache.seat_mps()


def find(text: str) -> None:
    """The search box: a postcode (through the official site) or an MP's name."""
    text = text.strip()
    st.session_state.pop("find_message", None)
    if not text:
        return
    try:
        postcode = normalise_postcode(text)
    except PetitionError:
        postcode = None
    if postcode:
        try:
            slug = cache.postcode_seat(postcode)
        except (Unreachable, PetitionError) as exc:
            st.session_state["find_message"] = (f"The postcode lookup on petition.parliament.uk is unavailable "
                                                f"({exc}); choose the constituency by name instead.")
            return
        by_slug = {local_slug(n): c for c, n in zip(sets["pcon2024"]["ons_code"], sets["pcon2024"]["name"])}
        if slug in by_slug:
            st.session_state["c"] = by_slug[slug]
        else:
            st.session_state["find_message"] = f"petition.parliament.uk finds no constituency for {postcode}."
        return
    hits = sorted({c for c, mp in mps.items() if text.lower() in mp.lower() and c in labels}, key=labels.__getitem__)
    if hits:
        st.session_state["c"] = hits[0]
        if len(hits) > 1:
            st.session_state["find_message"] = "Also: " + "; ".join(f"{mps[c]} ({labels[c]})" for c in hits[1:6])
    else:
        st.session_state["find_message"] = f"No MP named like “{text[:40]}” in the petitions held."


if st.session_state["c"] not in labels:
    st.session_state["c"] = ""
pick, search = st.columns([3, 2])
code = pick.selectbox("Constituency", ["", *sorted(labels, key=labels.__getitem__)], key="c",
                      format_func=lambda c: labels.get(c, "Type a name…"))
search.text_input("…or a postcode or MP's name", key="find", on_change=lambda: find(st.session_state["find"]),
                  placeholder="e.g. BS8 1TH or Debbonaire")
if st.session_state.get("find_message"):
    search.caption(ui.md_escape(st.session_state["find_message"]))
st.session_state["selected"] = code
if not code:
    st.info("Choose a constituency above (by name, postcode or MP), or click one on the petition page's map.")
    ui.sync_url(c=None, petition=st.session_state.get("petition"))
    st.stop()

set_name = seat_set[code]
table = sets[set_name]
row = table.set_index("ons_code").loc[code]
profile = cache.seat_profile(code, set_name)
o = profile.overall
st.header(ui.md_escape(row["name"]))
mp = mps.get(code, "MP not listed in the petitions held")
st.markdown(f"**MP:** {ui.md_escape(mp)} · {ui.md_escape(ui.place(row))} · {SET_LABEL[set_name]} · `{code}`")
st.caption("MP as published by petition.parliament.uk with the newest petition held that lists this seat.")
walk = cache.crosswalk()
other = walk.weights_into(code, set_name).sort_values(ascending=False)
other_names = dict(zip(*(sets["pcon2010" if set_name == "pcon2024" else "pcon2024"][k] for k in ("ons_code", "name"))))
if set_name == "pcon2024" and list(other.index) != [code]:
    made = walk.predecessors(code)
    made = ", ".join(f"{other_names.get(c, c)} ({w:.0%})" for c, w in zip(made["old"], made["to_old"]))
    st.caption(ui.md_escape(f"Made in 2024 from (share of its residents): {made}. Petitions from before 2024 are "
                            "estimated onto this seat by population-weighted overlap and marked “estimate”."))
elif set_name == "pcon2010":
    went = walk.successors(code)
    into = ", ".join(f"{other_names.get(c, c)} ({w:.0%})" for c, w in zip(went["new"], went["to_new"]))
    st.caption(ui.md_escape(f"Abolished at the 2024 election; its residents went to: {into}. Petitions since 2024 "
                            "are estimated onto this seat by population-weighted overlap and marked “estimate”."))

if o.petitions < 100:
    st.info(f"Only {o.petitions:,} petition{'s' if o.petitions != 1 else ''} with this seat "
            f"{'is' if o.petitions == 1 else 'are'} stored, so few can stand out. " + LOAD_HINT,
            icon=":material/database:")

cols = st.columns(4)
cols[0].metric("Signatures here", f"{o.signatures:,.0f}", help=f"Over {o.petitions:,} stored petitions"
               + (f", {profile.estimated:,} of them estimated across the 2024 boundary change" if profile.estimated
                  else ""))
cols[1].metric("Share of UK signatures", f"{o.share_of_signatures:.3%}")
cols[2].metric("Share of UK residents", f"{o.share_of_residents:.3%}")
cols[3].metric("Signs vs its size", f"{o.index:.2f}×" if o.share_of_signatures else "–",
               help="Share of signatures ÷ share of residents: 1.00× = in proportion to its residents")

st.subheader("Across every stored petition")
rows = profile.rows
f1, f2, f3, f4 = st.columns(4)
parliament = f1.selectbox("Parliament", ["", *options(rows, "parliament")], key="f_parliament",
                          format_func=lambda v: v or "Any parliament")
state = f2.selectbox("State", ["", "open", "closed", "rejected", "debated", "responded"], key="f_state",
                     format_func=lambda v: v.capitalize() if v else "Any state")
department = f3.selectbox("Department", ["", *options(rows, "departments")], key="f_department",
                          format_func=lambda v: v or "Any department")
topic = f4.selectbox("Topic", ["", *options(rows, "topics")], key="f_topic", format_func=lambda v: v or "Any topic")
shown = filter_rows(rows, parliament or None, state or None, department or None, topic or None)


def link_code(estimated: bool) -> str:
    """The seat to select on the petition's own map: this one, or the overlapping seat of the petition's set."""
    return str(other.index[0]) if estimated and len(other) else code


def listing(title: str, picked: pd.DataFrame, words: bool, empty: str) -> None:
    st.markdown(f"**{title}**")
    if picked.empty:
        st.caption(empty)
        return
    lines = []
    for r in picked.itertuples():
        what = ui.md_escape(r.words) if words else f"{r.here:,.0f} signature{'' if round(r.here) == 1 else 's'} here"
        est = " (estimate)" if r.estimated else ""
        lines.append(f"1. [{ui.md_escape(r.action)}]({ui.map_link(int(r.petition_id), link_code(r.estimated))}) — "
                     f"{what}{est}")
    st.markdown("\n".join(lines))


listing("Most signed here", profile.most_signed(shown), False, "No stored petition matches these filters.")
listing("Unusually popular here", profile.popular(shown), True,
        "None stands out: no petition is signed here far more than this seat's usual share beyond chance.")
listing("Unusually unpopular here", profile.unpopular(shown), True,
        "None stands out: no petition is signed here far less than usual beyond chance.")
with st.expander("How “unusually popular” is measured"):
    st.text(METHOD + " So a seat that signs every petition a lot is not “unusual” on each of them: only what it "
                     "signs more (or less) than it usually does.")

st.subheader("Compare with neighbours and similar seats")
near = neighbours(cache.constituency_set(set_name).table, code)
patterns = cache.signing(set_name)
similar = similar_seats(patterns, code)
sums = cache.seat_sums(set_name)
rates = area_rates(sums.round(), table, code, near, similar.index)
rates["kind"] = rates["kind"].where(rates["kind"] != "similar",
                                    rates["ons_code"].map(lambda c: f"similar, r = {similar.get(c, 0.0):.2f}"))
shown_rates = rates.assign(area=rates["area"] + " (" + rates["kind"] + ")")  # three columns fit a phone's width
st.dataframe(shown_rates, hide_index=True, width="stretch", column_order=["area", "per_1000", "signatures"],
             column_config={"area": "Area", "signatures": st.column_config.NumberColumn("Signatures",
                                                                                        format="localized"),
                            "per_1000": st.column_config.NumberColumn("Per 1,000", format="%.1f")})
st.caption(f"Signatures per 1,000 residents over every stored petition; those on the other boundaries are "
           f"estimated onto the {SET_LABEL[set_name]} by population-weighted overlap, as in the figures above.")
if similar.empty:
    st.caption(f"Similar seats need at least {MIN_SIMILAR} petitions of 100+ signatures held on these boundaries "
               f"({patterns.shape[1]} now). " + LOAD_HINT)
st.caption(SIMILAR_MEANS)

per_1000 = rate(sums, table.set_index("ons_code")["population"].reindex(sums.index))
a, b, d = st.columns(3)
a.download_button("Profile as CSV", profile_csv(profile), file_name=f"{code}-petitions.csv", mime="text/csv",
                  icon=":material/download:")
b.download_button("One-page summary (PNG)", lambda: summary_png(summary_svg(
    profile, mp=mp, place=ui.place(row), boundaries=SET_LABEL[set_name], rates=rates, per_1000=per_1000, focus=near,
    attribution=SOURCES, similar_means=SIMILAR_MEANS if len(similar) else "")), file_name=f"{code}-summary.png",
                  mime="image/png", on_click="ignore", icon=":material/image:",
                  help="An A4 page: the seat's map, headline figures, comparison and lists, ready to print")
d.download_button("Printable page (HTML)", summary_html(profile, mp, SOURCES),
                  file_name=f"{code}-summary.html", mime="text/html", icon=":material/print:",
                  help="Opens in the browser: print it to PDF (one A4 page)")

if loaded is None or cache.join(loaded.petition).set_name != set_name:
    ui.sync_url(c=code, petition=st.session_state.get("petition"))
    st.stop()

# --- this seat in the petition chosen in the sidebar (its map is the map branch's) ------------------------
p = loaded.petition
result = cache.join(p)
table = result.table
names = dict(zip(table["ons_code"], table["name"]))
rows = table.set_index("ons_code")
row = rows.loc[code]
of = len(table)
st.subheader("In this petition")
ui.plain_text(f"Petition: {p.action}")
if loaded.note:
    st.info(ui.md_escape(loaded.note), icon=":material/cloud_off:")

left, right = st.columns([3, 2], gap="medium")
with left:
    cols = st.columns(4)
    cols[0].metric("Signatures", f"{int(row['signatures']):,}")
    cols[1].metric("Per 1,000 residents", f"{row['per_1000']:.2f}")
    cols[2].metric(f"Rank of {of}", ordinal(int(row["rank"])),
                   help=f"{ordinal(int(row['rank_rate']))} of {of} per 1,000 residents")
    cols[3].metric("Index vs UK", f"{row['index']:.2f}", help="1.0 = the UK rate; 2.0 = twice it")
    compare = []
    areas = {row["name"]: table[table["ons_code"] == code], row["region"]: table[table["region"] == row["region"]],
             row["nation"]: table[table["nation"] == row["nation"]], "United Kingdom": table}
    for label, rows_of in areas.items():  # Scotland, Wales and Northern Ireland are region and nation at once
        compare.append({"Area": label, "Signatures": int(rows_of["signatures"].sum()),
                        "Per 1,000 residents": area_rate(rows_of)})
    st.dataframe(compare, hide_index=True, width="stretch",
                 column_config={"Signatures": st.column_config.NumberColumn(format="localized"),
                                "Per 1,000 residents": st.column_config.NumberColumn(format="%.2f")})
with right:
    values, _ = cache.values(p, result)
    near = neighbours(table, code)
    map_element(key="near", geometry=cache.geometry_urls(result.cset), values=values,
                state={"view": "map", "metric": "per_1000", "scheme": "quantiles", "area": "UK"}, selected=code,
                focus=near, height=360, label=f"{row['name']} and its neighbours",
                on_select=picked("near", names))
    st.caption("This constituency (outlined) and its neighbours, per 1,000 residents; colours on the UK-wide scale.")

if result.set_name == "pcon2024":
    try:
        local = cache.local_petitions(local_slug(row["name"]))
        st.markdown("**Popular here now** (petition.parliament.uk, current parliament)")
        st.dataframe([{"Petition": i.action, "Signatures": i.signature_count, "State": i.state} for i in local],
                     hide_index=True, width="stretch")
    except PetitionError as exc:
        st.caption(f"Live list of popular petitions here unavailable: {ui.md_escape(str(exc))}")

ui.sync_url(petition=str(p.id), c=code)
