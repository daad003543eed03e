"""Load a petition the way the dashboard needs: live when possible, else the best saved copy."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from petitions import offline
from petitions.api import NotFound, PetitionsAPI, parse_source
from petitions.model import (
    Petition,
    PetitionError,
    parse_petition,
    read_petition_file,
)


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
        copy, refused = _offline_copy(where, store, mirror if mirror is not None else offline.mirror_dir())
        if copy is None:
            if refused:
                raise PetitionError(f"{reason}; the saved copy of petition {where} was refused: {refused}") from None
            if isinstance(exc, NotFound):
                raise
            raise PetitionError(f"{reason}; no saved copy of petition {where} — try again later") from None
        return replace(copy, reason=reason, checked_at=now or datetime.now(UTC))
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
    for path in offline.mirror_files(mirror):
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
