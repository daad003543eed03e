"""A constituency across every stored petition: its header, its figures and lists over the corpus, and its
comparison with neighbours and similar seats, with the exports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, ui
from dashboard.seat_search import SET_LABEL
from geo.analysis.across import neighbours
from geo.analysis.metrics import per_1000 as rate
from geo.analysis.seat import (
    METHOD,
    MIN_SIMILAR,
    SIMILAR_MEANS,
    SeatProfile,
    area_rates,
    filter_rows,
    options,
    profile_csv,
    similar_seats,
    summary_html,
)
from geo.reference.datasets import attribution
from geo.render.seat_summary import summary_png, summary_svg

LOAD_HINT = ("Load a corpus of every petition with `petitionmap track --backfill` (final counts of every "
             "closed and archived petition; resumable) or `petitionmap track --import FOLDER` (documents "
             "saved in a folder); `--all-open` keeps open ones current.")


def header(code: str, set_name: str, row: pd.Series, mp: str, sets: dict[str, pd.DataFrame]) -> pd.Series:
    """The seat's name, MP, place and boundaries, and what it was made from or went into in 2024; returns the
    seats of the other set it overlaps (code → share of its residents), largest first."""
    st.header(ui.md_escape(row["name"]))
    st.markdown(f"**MP:** {ui.md_escape(mp)} · {ui.md_escape(ui.place(row))} · {SET_LABEL[set_name]} · `{code}`")
    st.caption("MP as published by petition.parliament.uk with the newest petition held that lists this seat.")
    walk = cache.crosswalk()
    other = walk.weights_into(code, set_name).sort_values(ascending=False)
    across = sets["pcon2010" if set_name == "pcon2024" else "pcon2024"]
    other_names = dict(zip(across["ons_code"], across["name"]))
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
    return other


def corpus(profile: SeatProfile, code: str, other: pd.Series) -> None:
    """The seat's figures over every stored petition and its lists: most signed, unusually popular, unpopular."""
    o = profile.overall
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
            count = f"{r.here:,.0f} signature{'' if round(r.here) == 1 else 's'} here"
            what = ui.md_escape(r.words) if words else count
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


def comparison(profile: SeatProfile, code: str, set_name: str, row: pd.Series, mp: str, table: pd.DataFrame) -> None:
    """The seat beside its neighbours, similar seats, region, nation and the UK; the profile's exports."""
    sources = " | ".join(attribution(cache.constituency_set("pcon2024"), lookup=True))
    st.subheader("Compare with neighbours and similar seats")
    near = neighbours(table, code)
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
        attribution=sources, similar_means=SIMILAR_MEANS if len(similar) else "")), file_name=f"{code}-summary.png",
                      mime="image/png", on_click="ignore", icon=":material/image:",
                      help="An A4 page: the seat's map, headline figures, comparison and lists, ready to print")
    d.download_button("Printable page (HTML)", summary_html(profile, mp, sources),
                      file_name=f"{code}-summary.html", mime="text/html", icon=":material/print:",
                          help="Opens in the browser: print it to PDF (one A4 page)")

