"""Choosing a constituency: by name (either boundary set), by postcode (through the official site) or by MP."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, ui
from geo.analysis.across import local_slug
from petitions.api import Unreachable
from petitions.model import PetitionError
from petitions.postcode import normalise_postcode

SET_LABEL = {"pcon2010": "2010–2024 boundaries", "pcon2024": "boundaries from 2024"}


def seats(sets: dict[str, pd.DataFrame]) -> tuple[dict[str, str], dict[str, str]]:
    """Each seat's set and its label (name and boundaries)."""
    seat_set: dict[str, str] = {}
    labels: dict[str, str] = {}
    for name, table in sets.items():  # five Scottish codes are in both sets: the 2024 one is kept
        for code, seat in zip(table["ons_code"], table["name"]):
            if code not in seat_set:
                seat_set[code], labels[code] = name, f"{seat} ({SET_LABEL[name]})"
    return seat_set, labels


def find(text: str, new_seats: pd.DataFrame, labels: dict[str, str], mps: dict[str, str]) -> None:
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
        by_slug = {local_slug(n): c for c, n in zip(new_seats["ons_code"], new_seats["name"])}
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


def choose(new_seats: pd.DataFrame, labels: dict[str, str], mps: dict[str, str]) -> str:
    """The seat box and the search box beside it; the chosen seat's code ("" for none)."""
    if st.session_state["c"] not in labels:
        st.session_state["c"] = ""
    pick, search = st.columns([3, 2])
    code = pick.selectbox("Constituency", ["", *sorted(labels, key=labels.__getitem__)], key="c",
                          format_func=lambda c: labels.get(c, "Type a name…"))
    search.text_input("…or a postcode or MP's name", key="find",
                      on_change=lambda: find(st.session_state["find"], new_seats, labels, mps),
                      placeholder="e.g. BS8 1TH or Debbonaire")
    if st.session_state.get("find_message"):
        search.caption(ui.md_escape(st.session_state["find_message"]))
    return str(code or "")
