"""Saved copies: the mirror folder of the official sources (petition documents, snapshot series, saved list
pages), seeding the snapshot store from it, and the official list's filters emulated over what is held locally."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from petitions.api import STATES, ListItem, parse_list
from petitions.model import (
    GENERAL_ELECTIONS,
    Petition,
    PetitionError,
    parliament_of,
    parse_petition,
    read_petition_file,
)
from petitions.settings import current
from petitions.store import LISTING_COLUMNS, listing_frame

_SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{4}\.json$")


def mirror_dir() -> Path | None:
    """The mirror folder of the official sources given by PETITIONMAP_MIRROR, if any."""
    return current().mirror


def mirror_petitions(mirror: Path | None = None) -> list[ListItem]:
    """The petitions in the mirror folder (newest snapshot of snapshot folders), most signed first."""
    items = {p.id: _item(p) for p in mirror_documents(mirror)}
    return sorted(items.values(), key=lambda i: -i.signature_count)


@dataclass(frozen=True)
class Refused:
    """A file of the mirror that looks like a petition document but could not be read, and why."""

    path: Path
    reason: str

    @property
    def line(self) -> str:
        return f"{self.path.name}: {self.reason}"


def mirror_documents(mirror: Path | None = None) -> list[Petition]:
    """Every petition document of the mirror folder (newest snapshot of snapshot folders)."""
    return mirror_scan(mirror)[0]


def mirror_scan(mirror: Path | None = None) -> tuple[list[Petition], list[Refused]]:
    """The mirror's petition documents, and the files refused with their reasons (never dropped silently)."""
    out, refused = [], []
    for path in mirror_files(mirror if mirror is not None else mirror_dir()):
        try:
            out.append(read_petition_file(path))
        except PetitionError as exc:
            refused.append(Refused(path, str(exc)))
    return out, refused


@dataclass(frozen=True)
class SavedList:
    """A saved page of the official list (/petitions.json?q=…&state=…&page=…)."""

    q: str
    state: str
    page: int
    last_page: int | None
    archived: bool
    petitions: tuple[Petition, ...]


def saved_lists(mirror: Path | None = None) -> tuple[list[SavedList], list[Refused]]:
    """Every saved list page of the mirror (petitions/list-*.json), and the ones refused with a reason.

    Each page's query comes from its own links.self, as the site served it.
    """
    mirror = mirror if mirror is not None else mirror_dir()
    if mirror is None or not (mirror / "petitions").is_dir():
        return [], []
    pages, refused = [], []
    for path in sorted((mirror / "petitions").glob("list-*.json")):
        try:
            pages.append(_saved_list(path))
        except PetitionError as exc:
            refused.append(Refused(path, str(exc)))
    return pages, refused


def _saved_list(path: Path) -> SavedList:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PetitionError(f"not a readable JSON list page ({exc.__class__.__name__})") from None
    listing = parse_list(doc)  # checks the layout
    self_link = urlsplit(str((doc.get("links") or {}).get("self") or ""))
    query = parse_qs(self_link.query)
    petitions = []
    for entry in doc["data"]:
        try:
            petitions.append(parse_petition(entry, list_entry=True))  # entries: petitions in the top-level layout
        except PetitionError:
            continue
    if len(petitions) < len(listing.items):
        raise PetitionError(f"{len(listing.items) - len(petitions)} of its petitions cannot be read")
    return SavedList(q=" ".join(query.get("q", [""])[0].lower().split()), state=query.get("state", ["all"])[0],
                     page=int(query.get("page", ["1"])[0]), last_page=listing.last_page,
                     archived=self_link.path.startswith("/archived/"), petitions=tuple(petitions))


def seed_store(store: Any, mirror: Path | None = None) -> int:
    """Put the mirror's petitions and snapshot series into a store (idempotent); returns snapshots added."""
    mirror = mirror if mirror is not None else mirror_dir()
    if mirror is None or not (mirror / "petitions").is_dir():
        return 0
    added = 0
    for sub in sorted((mirror / "petitions").iterdir()):  # snapshot series first: they carry fetch times
        if sub.is_dir() and sub.name.isdigit():
            added += store.import_folder(sub)
        elif sub.is_dir() and sub.name.endswith("-timeseries") and sub.name.split("-")[0].isdigit():
            added += store.import_timeseries(sub)
    for petition in mirror_documents(mirror):
        added += store.add(petition, petition.updated_at, source="file") is not None
    return added


def mirror_files(mirror: Path | None) -> list[Path]:
    """Petition documents in the mirror: <id>.json, and the newest file of each <id>/ snapshot folder."""
    if mirror is None or not (mirror / "petitions").is_dir():
        return []
    folder = mirror / "petitions"
    files = [p for p in folder.glob("*.json") if p.stem.isdigit()]
    for sub in folder.iterdir():
        if sub.is_dir() and sub.name.isdigit():
            snaps = sorted(p for p in sub.glob("*.json") if _SNAPSHOT_NAME.match(p.name))
            if snaps and not (folder / f"{sub.name}.json").exists():
                files.append(snaps[-1])
    return sorted(files)


PAGE_SIZE = 50  # the official list endpoint's page size
CURRENT_PARLIAMENT = parliament_of(GENERAL_ELECTIONS[-1])


def offline_list(facts: pd.DataFrame, state: str = "open", q: str = "", page: int = 1, archived: bool = False,
                 lists: Sequence[SavedList] = ()) -> tuple[list[ListItem], int]:
    """The list endpoint's filters (state, words of q, archived) and paging over petitions held locally: their
    facts (HistoryStore.listing, or listing_facts of documents), and the petitions of saved list pages (which the
    site found for their query).

    Returns one page of items, most signed first, and the number of the last page.
    """
    words = [w for w in q.lower().split() if w]
    found = {pid for s in lists if s.q == " ".join(words) and s.archived == archived for pid in
             (p.id for p in s.petitions)}
    pool: dict[int, tuple[Any, ...]] = {}
    for s in lists:  # a saved page says whether its petitions are in the archive
        pool.update({int(r[0]): (*r[:5], s.archived, r[6]) for r in _rows(listing_facts(s.petitions))})
    pool.update({int(r[0]): r for r in _rows(facts)})  # whole documents win over list entries
    matched = [ListItem(int(pid), action, state_, int(count), bool(old))
               for pid, action, background, state_, under, old, count in pool.values()
               if bool(old) == archived and state in under
               and (pid in found or all(w in f"{action} {background}".lower() for w in words))]
    matched.sort(key=lambda i: (-i.signature_count, i.id))
    last = max(1, -(-len(matched) // PAGE_SIZE))
    return matched[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], last


def listing_of(p: Petition) -> tuple[str, str, int]:
    """What the offline list filters a petition on besides its title and state, as the store keeps it: its
    background, the official list's states it is under (joined by 0x1f) and whether it is in the archive."""
    return p.background, "\x1f".join(s for s in STATES if _in_state(p, s)), int(is_archived(p))


def listing_facts(petitions: Sequence[Petition]) -> pd.DataFrame:
    """Documents' listing facts, as HistoryStore.listing gives them (the mirror's, when there is no store)."""
    return listing_frame([(p.id, p.action, p.background, p.state, *listing_of(p)[1:], p.signature_count)
                          for p in petitions])


def _rows(facts: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    return zip(*(facts[c].tolist() for c in LISTING_COLUMNS))


def is_archived(p: Petition) -> bool:
    """In the official archive: marked so, or submitted during an earlier parliament."""
    return p.archived or (p.parliament_period not in (None, CURRENT_PARLIAMENT))


def _item(p: Petition) -> ListItem:
    return ListItem(p.id, p.action, p.state, p.signature_count, is_archived(p))


def _in_state(p: Petition, state: str) -> bool:
    """The official list's states, derived from a petition document."""
    responded = p.government_response is not None or p.government_response_at is not None
    outcome = p.outcome.kind
    return {
        "all": True,
        "open": p.state == "open",
        "closed": p.state == "closed",
        "rejected": p.state == "rejected",
        "awaiting_response": p.response_threshold_reached_at is not None and not responded,
        "with_response": responded,
        "awaiting_debate": outcome in ("awaiting", "scheduled"),
        "debated": outcome == "debated",
        "not_debated": outcome == "not_debated",
    }.get(state, False)


def report_mirror_petitions() -> list[str]:
    """One line on the mirror's petition documents and list pages, then one per refused file with its reason."""
    if current().mirror is None:
        return []
    docs, refused = mirror_scan()
    lists, refused_lists = saved_lists()
    lines = [f"mirror petitions: {len(docs)} documents, {len(lists)} saved list pages, "
             f"{len(refused) + len(refused_lists)} refused"]
    return lines + [f"refused {r.path}: {r.reason}" for r in refused + refused_lists]
