"""Load a petition the way the dashboard needs: live when possible, else the best saved copy."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from petitions.api import ListItem, NotFound, PetitionsAPI, parse_list, parse_source
from petitions.model import (
    GENERAL_ELECTIONS,
    Petition,
    PetitionError,
    parliament_of,
    parse_petition,
    read_petition_file,
)
from petitions.settings import current

_SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{4}\.json$")


class SnapshotStore(Protocol):
    """What the loader needs of the history store (petitions.store.Store)."""

    def add(self, petition: Petition, fetched_at: datetime | None = None) -> int | None: ...

    def latest_document(self, pid: int) -> tuple[dict[str, Any], datetime] | None: ...


@dataclass(frozen=True)
class Loaded:
    """A petition and where it came from: 'live', 'saved' (local store), 'mirror' or 'file'.

    `reason`: why the live data is not shown; `history`: why this fetch was not stored ("" when it was).
    """

    petition: Petition
    origin: str
    as_of: datetime | None
    reason: str = ""
    history: str = ""
    checked_at: datetime | None = None

    @property
    def note(self) -> str:
        """One line for the page when the data is not live, or was not stored."""
        when = f"data as of {self.as_of:%d %b %Y %H:%M} UTC" if self.as_of else "date unknown"
        if self.as_of and self.checked_at:
            when += f", {age_text(self.checked_at - self.as_of)} old"
        copy = {"saved": "the saved copy", "mirror": "the local mirror's copy"}.get(self.origin)
        lines = []
        if self.origin == "file":
            lines.append(f"From a local file ({when}).")
        elif copy:
            lines.append(f"Showing {copy} ({when}) because the live data could not be used: {self.reason}.")
        if self.history:
            lines.append(f"History is off: {self.history}.")
        return " ".join(lines)


def age_text(age: timedelta) -> str:
    """'5 minutes', '3 hours', '12 days'."""
    seconds = max(0, int(age.total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n:,} {unit}{'s' if n != 1 else ''}"
    return "less than a minute"


def load(source: str | int | Path, api: PetitionsAPI | None = None, store: SnapshotStore | None = None,
         mirror: Path | None = None, *, files: bool = False, now: datetime | None = None) -> Loaded:
    """Load from a number or link (or, with `files`, a local file): the input is parsed here, once."""
    where = parse_source(source, files=files)
    if isinstance(where, Path):
        petition = read_petition_file(where)
        return Loaded(petition, "file", petition.updated_at)
    return load_id(where, api, store, mirror, now=now)


def load_id(where: int, api: PetitionsAPI | None = None, store: SnapshotStore | None = None,
            mirror: Path | None = None, *, now: datetime | None = None) -> Loaded:
    """Load a petition by its canonical number (already parsed). Live fetches are stored as snapshots; when the
    live fetch fails in any way, the newest saved or mirrored copy is used, with the reason."""
    api = api or PetitionsAPI()
    try:
        petition, fetched = api.petition_live(where)
    except PetitionError as exc:
        reason = one_line(exc)
        offline, refused = _offline_copy(where, store, mirror if mirror is not None else mirror_dir())
        if offline is None:
            if refused:
                raise PetitionError(f"{reason}; the saved copy of petition {where} was refused: {refused}") from None
            if isinstance(exc, NotFound):
                raise
            raise PetitionError(f"{reason}; no saved copy of petition {where} — try again later") from None
        return replace(offline, reason=reason, checked_at=now or datetime.now(UTC))
    fetched_at = datetime.fromtimestamp(fetched.fetched_at, UTC)
    history = ""
    if store is not None:
        try:
            store.add(petition, fetched_at)
        except Exception as exc:  # any store's failure (locked, full, read-only) must not hide a fetched petition
            history = f"this fetch was not saved ({one_line(exc)})"
    return Loaded(petition, "live", fetched_at, history=history)


def one_line(exc: BaseException) -> str:
    """An error as one line of at most 300 characters."""
    lines = (str(exc) or type(exc).__name__).splitlines() or [type(exc).__name__]
    return lines[0][:300]


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
    for path in _mirror_files(mirror if mirror is not None else mirror_dir()):
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


def _offline_copy(pid: int, store: SnapshotStore | None, mirror: Path | None) -> tuple[Loaded | None, str]:
    """The newest good copy of a petition in the store or the mirror (None when there is none), and why
    a copy that exists was refused ("" when none was)."""
    copies, refused = [], ""
    if store is not None:
        try:
            saved = store.latest_document(pid)
            if saved is not None:
                copies.append(Loaded(parse_petition(saved[0]), "saved", saved[1]))
        except Exception:  # noqa: S110 - an unreadable store (locked, gone, a copy now refused) has no copy to offer
            pass
    for path in _mirror_files(mirror):
        if path.stem == str(pid) or path.parent.name == str(pid):
            try:
                petition = read_petition_file(path)
            except PetitionError as exc:
                refused = one_line(exc)
                continue
            if petition.id == pid:
                copies.append(Loaded(petition, "mirror", petition.updated_at))
    if not copies:
        return None, refused
    oldest = datetime.min.replace(tzinfo=UTC)
    return max(copies, key=lambda c: c.as_of.astimezone(UTC) if c.as_of else oldest), ""


def _mirror_files(mirror: Path | None) -> list[Path]:
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


def offline_list(petitions: list[Petition], state: str = "open", q: str = "", page: int = 1,
                 archived: bool = False, lists: Sequence[SavedList] = ()) -> tuple[list[ListItem], int]:
    """The list endpoint's filters (state, words of q, archived) and paging over petitions held locally:
    whole documents, and the petitions of saved list pages (which the site found for their query).

    Returns one page of items, most signed first, and the number of the last page.
    """
    words = [w for w in q.lower().split() if w]
    found = {pid for s in lists if s.q == " ".join(words) and s.archived == archived for pid in
             (p.id for p in s.petitions)}
    pool: dict[int, tuple[Petition, bool]] = {}
    for s in lists:  # a saved page says whether its petitions are in the archive
        pool.update({p.id: (p, s.archived) for p in s.petitions})
    pool.update({p.id: (p, is_archived(p)) for p in petitions})  # whole documents win over list entries
    matched = [p for p, old in pool.values() if old == archived and _in_state(p, state)
               and (p.id in found or all(w in f"{p.action} {p.background}".lower() for w in words))]
    matched.sort(key=lambda p: -p.signature_count)
    last = max(1, -(-len(matched) // PAGE_SIZE))
    chunk = matched[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return [_item(p) for p in chunk], last


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
