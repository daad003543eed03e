"""Every st.cache_* of the dashboard lives here; pages call these instead of the core directly."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import streamlit as st

from geo.analysis.history import Trend, build_trend, frame_ids, stale_snapshots
from geo.analysis.join import JoinResult, join_petition, petition_set
from geo.analysis.seat import SeatProfile, corpus_sums, petition_sets, profile_of_store, signing_matrix
from geo.reference.crosswalk import Crosswalk, load_crosswalk, onto_2024
from geo.reference.datasets import ConstituencySet, load_set
from geo.render.maps import map_values, summary
from geo.render.pictures import set_geometry
from petitions import loader, offline
from petitions.api import ListItem, ListPage, PetitionsAPI
from petitions.model import Petition, PetitionError, parse_petition
from petitions.postcode import postcode_slug
from petitions.store import HistoryStore, facts_frame, facts_of, open_store, store_errors

PLOTLY_CONFIG = {"displaylogo": False, "scrollZoom": False,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


@st.cache_resource(show_spinner=False)
def api() -> PetitionsAPI:
    """One API client for the process. Its max-age cache holds the HTTP documents; `petition` below holds the
    outcome of a load (parsed, stored as a snapshot, or the offline fallback, so an offline page does not retry
    on every rerun). Live mode (dashboard/live.py) loads past `petition` on every tick so that each tick is stored,
    and relies on the client's max-age to ask the site no more often than the site allows."""
    return PetitionsAPI()


@st.cache_resource(show_spinner=False)
def store() -> HistoryStore | None:
    """The snapshot store ($PETITIONMAP_STORE: SQLite or PostgreSQL), or None when it cannot be opened."""
    try:
        store = open_store()
        offline.seed_store(store)
        return store
    except store_errors(ValueError):  # an unusable store must not take the page down (PetitionError too)
        return None


def constituency_set(name: str) -> ConstituencySet:
    """Reference data of a constituency set (shared, never mutated; `load_set` keeps one per process)."""
    return load_set(name)


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def petition(pid: int) -> loader.Loaded:
    """A petition by its number (canonical: one cache entry per petition); live for up to 60 s (the max-age)."""
    history = store()
    loaded = loader.load_id(pid, api=api(), store=history)
    if history is None and loaded.origin == "live":
        return replace(loaded, history="the snapshot store cannot be opened")
    return loaded


@st.cache_data(show_spinner=False, max_entries=32)
def joined(_petition: Petition, key: tuple[int, str, int]) -> JoinResult:
    """The petition joined to its constituency set; `key` identifies the petition's version."""
    return join_petition(_petition, constituency_set(petition_set(_petition)))


def join(p: Petition) -> JoinResult:
    return joined(p, (p.id, str(p.updated_at), p.signature_count))


@st.cache_resource(show_spinner=False)
def geometry_url(_cset: ConstituencySet, set_name: str, view: str) -> str:
    """URL of the set's projected drawing in one view, written once as a static file the browser caches."""
    from dashboard.components.mapview import write_static

    doc = set_geometry(_cset, view)
    return write_static(f"{set_name}-{view}", ".json", json.dumps(doc, separators=(",", ":")))


def geometry_urls(cset: ConstituencySet) -> dict[str, str]:
    return {view: geometry_url(cset, cset.name, view) for view in ("map", "hex")}


def geometry_codes(cset: ConstituencySet) -> list[str]:
    """The seats of a set in the drawing's order (by ONS code, as the set's table is sorted)."""
    return cset.table["ons_code"].tolist()


@st.cache_data(show_spinner=False, max_entries=32)
def petition_values(_result: JoinResult, key: tuple[int, str, int, str]) -> tuple[dict, str]:
    """The map's classes and hover figures for a joined petition, and its one-sentence summary."""
    return map_values(_result.table, geometry_codes(_result.cset)), summary(_result.table)


def values(p: Petition, result: JoinResult) -> tuple[dict, str]:
    return petition_values(result, (p.id, str(p.updated_at), p.signature_count, result.set_name))


@st.cache_data(show_spinner=False, max_entries=16)
def estimated(_result: JoinResult, key: tuple[int, str, int]) -> JoinResult:
    """A 2010–2024 petition estimated onto the 2024 boundaries; `key` identifies the petition's version."""
    return onto_2024(_result, crosswalk(), constituency_set("pcon2024"))


def on_2024(p: Petition, result: JoinResult) -> JoinResult:
    return estimated(result, (p.id, str(p.updated_at), p.signature_count))


@st.cache_data(ttl=600, show_spinner=False)
def mirror_list() -> list[ListItem]:
    """Petitions available offline (the mirror folder)."""
    return offline.mirror_petitions()


@st.cache_data(ttl=60, show_spinner=False)
def choices() -> tuple[list[ListItem], bool]:
    """The picker's list and whether it is live: open petitions by signatures, else the mirror's.

    The outcome is cached either way, so an offline page does not retry the API on every rerun.
    """
    try:
        return list(api().list(state="open").items), True
    except PetitionError:
        return mirror_list(), False


@st.cache_data(ttl=60, show_spinner=False)
def petition_list(state: str, q: str, page: int, archived: bool) -> ListPage:
    """A page of the official petition list (live)."""
    return api().list(state=state, q=q, page=page, archived=archived)


@st.cache_data(ttl=60, show_spinner=False)
def listing() -> pd.DataFrame:
    """Every petition held, as the official list filters it: the store's facts and latest totals (no document
    parsed; the store seeds itself from the mirror), or the mirror's documents when there is no store."""
    saved = store()
    if saved is not None:
        try:
            return saved.listing()
        except store_errors():  # a locked or broken store: the mirror's petitions only
            pass
    return offline.listing_facts(offline.mirror_documents())


@st.cache_data(ttl=60, show_spinner=False)
def local_petitions(slug: str) -> list[ListItem]:
    """Live: popular petitions in a constituency (current parliament)."""
    return api().local(slug)


@st.cache_data(ttl=600, show_spinner=False)
def saved_lists() -> list[offline.SavedList]:
    """The saved pages of the official list (the mirror's petitions/list-*.json)."""
    return offline.saved_lists()[0]


@st.cache_data(ttl=600, show_spinner=False)
def refused() -> list[str]:
    """The mirror's files that could not be read, one line each with the reason."""
    return [r.line for r in offline.mirror_scan()[1] + offline.saved_lists()[1]]


def offline_list(state: str, q: str, page: int, archived: bool = False) -> tuple[list[ListItem], int]:
    """The petition list from what is held locally (mirror, store and saved list pages), with the live filters."""
    return offline.offline_list(listing(), state, q, page, archived, saved_lists())


@st.cache_data(ttl=60, show_spinner=False)
def trend(pid: int) -> Trend | None:
    """A petition's stored snapshots as a Trend (None when the store is unavailable or empty)."""
    saved = store()
    if saved is None:
        return None
    try:
        snapshots = saved.snapshots(pid)
        if snapshots.empty:
            return None
        stale = stale_snapshots(snapshots, saved.stale_snapshots(pid))
        return build_trend(snapshots, saved.counts(pid, frame_ids(snapshots, stale)), stale)
    except store_errors():  # a locked or broken store: no history, the page still shows
        return None


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def growth(pid: int, start: int, end: int) -> pd.DataFrame:
    """Growth per constituency between two stored snapshots (empty when the store is unavailable)."""
    saved = store()
    return saved.growth(pid, start, end) if saved is not None else pd.DataFrame(
        columns=["ons_code", "count_from", "count_to", "growth"])


def crosswalk() -> Crosswalk:
    """The 2010 ↔ 2024 overlap lookup (shared, never mutated; `load_crosswalk` keeps one per process)."""
    return load_crosswalk()


@st.cache_data(ttl=60, show_spinner=False)
def petition_facts() -> pd.DataFrame:
    """What the filters need of every petition held (title, parliament, states, departments, topics, updated_at,
    set): from the store's table of facts, or from the mirror's documents when there is no store."""
    saved = store()
    facts = None
    if saved is not None:
        try:
            facts = saved.petition_facts()
        except store_errors():  # a locked or broken store: the mirror's petitions only
            pass
    if facts is None:
        facts = facts_frame([(p.id, *facts_of(p), str(p.updated_at or "")) for p in offline.mirror_documents()])
    facts["set"] = petition_sets(facts["parliament"])
    facts["parliament"] = facts["parliament"].replace("", None)
    return facts


@st.cache_data(ttl=60, show_spinner=False)
def seat_mps() -> dict[str, str]:
    """Each seat's MP as published with the newest petition that lists it (ONS code → name): the newest few
    documents of each boundary set, read until every seat of the set is named."""
    facts = petition_facts().sort_values("updated_at", ascending=False)
    saved = store()
    mirror = {p.id: p for p in offline.mirror_documents()} if saved is None else {}
    found: dict[str, str] = {}
    for set_name in ("pcon2024", "pcon2010"):
        seats = set(constituency_set(set_name).table["ons_code"])
        for pid in facts.loc[facts["set"] == set_name, "petition_id"].head(20):
            p = mirror.get(int(pid)) or _stored_petition(saved, int(pid))
            for c in p.constituencies if p is not None else ():
                if c.mp and c.ons_code not in found:
                    found[c.ons_code] = c.mp
            if seats <= found.keys():
                break
    return found


def _stored_petition(saved: HistoryStore | None, pid: int) -> Petition | None:
    try:
        doc = saved.latest_document(pid) if saved is not None else None
        return parse_petition(doc[0]) if doc is not None else None
    except store_errors(PetitionError):  # a broken copy names no MP
        return None


@st.cache_data(ttl=60, show_spinner=False, max_entries=32)
def seat_profile(code: str, set_name: str) -> SeatProfile:
    """One seat across every stored petition (the store seeds itself from the mirror)."""
    saved = store()
    latest = saved.latest_counts_for if saved is not None else _no_counts
    return profile_of_store(latest, saved.weighted_latest if saved is not None else None, code, set_name,
                            crosswalk(), constituency_set(set_name).table, petition_facts())


@st.cache_data(ttl=600, show_spinner=False, max_entries=2)
def signing(set_name: str) -> pd.DataFrame:
    """Every seat of a set × the most signed petitions held on its boundaries (counts), for similar seats; empty
    when the store is unavailable."""
    saved = store()
    if saved is None:
        return pd.DataFrame()
    facts = petition_facts()
    try:
        totals = saved.petitions().set_index("id")["latest_total"]
        return signing_matrix(saved.latest_counts_of, totals, dict(zip(facts["petition_id"], facts["set"])),
                              set_name, constituency_set(set_name).table["ons_code"])
    except store_errors():  # a locked or broken store: no similar seats, the page still shows
        return pd.DataFrame()


@st.cache_data(ttl=60, show_spinner=False)
def seat_totals() -> pd.Series:
    """Each seat's signatures over every stored petition (the store keeps the sums), for comparisons on one
    scale."""
    saved = store()
    return saved.code_totals() if saved is not None else pd.Series(dtype="int64")


def seat_sums(set_name: str) -> pd.Series:
    """Each seat of one set over every stored petition, those on the other boundaries estimated onto it."""
    other = "pcon2010" if set_name == "pcon2024" else "pcon2024"
    return corpus_sums(seat_totals(), constituency_set(set_name).table["ons_code"],
                       constituency_set(other).table["ons_code"], set_name, crosswalk())


@st.cache_data(ttl=3600, show_spinner=False, max_entries=256)
def postcode_seat(postcode: str) -> str | None:
    """The slug of a postcode's seat from the official site (cached: postcodes rarely move)."""
    return postcode_slug(postcode)


def _no_counts(code: str) -> pd.DataFrame:
    return pd.DataFrame(columns=["petition_id", "action", "state", "signature_count", "constituency_total"])


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def snapshots(pid: int, version: tuple[str, int]) -> pd.DataFrame | None:
    """A petition's stored snapshots (totals only), None when the store is unavailable; `version` (the
    document's updated_at and count) makes a new fetch read them again."""
    saved = store()
    if saved is None:
        return None
    try:
        return saved.snapshots(pid)
    except store_errors():  # a locked or broken store: no history, the page still shows
        return None


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def snapshot_counts(pid: int, snapshot_id: int) -> pd.Series | None:
    """Signatures per ONS code at one stored snapshot (None when the store is unavailable)."""
    saved = store()
    if saved is None:
        return None
    try:
        rows = saved.counts(pid, [snapshot_id])
    except store_errors():  # a locked or broken store: the page says so
        return None
    return rows.groupby("ons_code")["signature_count"].sum()
