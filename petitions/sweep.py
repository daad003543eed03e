"""Track every open petition politely, backfill closed ones, import folders: the tracker's bulk modes.

petition.parliament.uk is a public service run for Parliament: the tracker keeps one keep-alive gzip
connection, at most RATE requests a second across everything it does, names itself in its User-Agent, sends
conditional requests, backs the whole client off when the site answers 429 or 5xx and stops on 403. The open
list (about 96 pages of 50) tells each petition's signature_count and updated_at, so only petitions that moved
are fetched: busy ones every ~5 minutes, quiet ones hourly, never sooner than the document's max-age.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from petitions.api import HOST, NotFound, Unreachable
from petitions.model import SITE, Petition, PetitionError, parse_petition, read_petition_file
from petitions.store import HistoryStore, store_errors

USER_AGENT = "petitionmap/1.0 (maps of UK Parliament petitions by constituency; polite tracker)"
RATE = 2.0  # requests per second, sustained, for the whole client
BUSY_EVERY = 300.0  # a petition gaining signatures fast is fetched about every 5 minutes
QUIET_EVERY = 3600.0  # one that moves slowly, hourly
BUSY_PER_HOUR = 60  # signatures an hour that make a petition busy
MAX_BACKOFF = 3600.0
MAX_TRIES = 6


class Forbidden(PetitionError):
    """The site answered 403: it does not want this client; the tracker stops."""


@dataclass
class Reply:
    doc: Any
    fetched_at: float  # the client's clock
    max_age: float
    not_modified: bool = False
    size: int = 0


@dataclass
class PoliteClient:
    """One HTTP connection to the site with a global rate limit, conditional requests and a shared back-off.

    `clock` and `sleep` are injectable (tests run a simulated day without waiting).
    """

    client: httpx.Client | None = None
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    rate: float = RATE
    requests: int = 0
    bytes: int = 0
    log: list[tuple[float, str, int]] = field(default_factory=list)  # (clock, path, status) of every request
    _next: float = 0.0
    _backoff: float = 0.0
    _validators: dict[str, tuple[str, str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.client is None:
            self.client = httpx.Client(timeout=httpx.Timeout(20.0, connect=10.0))
        self.client.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json",
                                    "Accept-Encoding": "gzip"})

    def get(self, path: str, params: dict[str, str] | None = None, *, conditional: bool = True) -> Reply:
        """GET a JSON document; a 304 answers with the document last seen. Raises NotFound, Forbidden,
        Unreachable (after backing off MAX_TRIES times) or PetitionError."""
        url = SITE + path
        key = url + "?" + "&".join(f"{k}={v}" for k, v in sorted((params or {}).items()))
        for _ in range(MAX_TRIES):
            self._wait()
            headers = {}
            seen = self._validators.get(key) if conditional else None
            if seen:
                if seen[0]:
                    headers["If-None-Match"] = seen[0]
                if seen[1]:
                    headers["If-Modified-Since"] = seen[1]
            try:
                response = self.client.get(url, params=params, headers=headers)  # type: ignore[union-attr]
            except httpx.TimeoutException:
                self._back_off(None)
                continue
            except httpx.TransportError:
                raise Unreachable(f"cannot reach {HOST} (no network?)") from None
            self.requests += 1
            size = len(response.content)  # as sent: httpx counts the decoded body; headers say the wire size
            wire = int(response.headers.get("content-length") or size) if response.status_code == 200 else 0
            self.bytes += wire
            self.log.append((self.clock(), path, response.status_code))
            status = response.status_code
            if status == 304 and seen:
                self._backoff = 0.0
                return Reply(seen[2], self.wall(), _max_age(response), not_modified=True)
            if status == 403:
                raise Forbidden(f"{HOST} answered HTTP 403 (forbidden) for {path}: stopping")
            if status == 404:
                raise NotFound(f"not found on {HOST}: {path}")
            if status == 429 or status >= 500:
                self._back_off(response)
                continue
            if status >= 400:
                raise PetitionError(f"{HOST} answered HTTP {status} for {path}")
            try:
                doc = response.json()
            except ValueError:
                raise PetitionError(f"{HOST} sent a truncated or invalid JSON document for {path}") from None
            self._backoff = 0.0
            etag, modified = response.headers.get("etag", ""), response.headers.get("last-modified", "")
            if etag or modified:
                self._validators[key] = (etag, modified, doc)
            return Reply(doc, self.wall(), _max_age(response), size=wire)
        raise Unreachable(f"{HOST} kept answering busy (429/5xx) for {path}; backed off {MAX_TRIES} times")

    def _wait(self) -> None:
        now = self.clock()
        if self._next > now:
            self.sleep(self._next - now)
        self._next = max(now, self._next) + 1.0 / self.rate

    def _back_off(self, response: httpx.Response | None) -> None:
        """Every later request waits: the whole client backs off, not just this URL."""
        retry_after = response.headers.get("retry-after", "") if response is not None else ""
        if retry_after.isdigit():
            self._backoff = min(float(retry_after), MAX_BACKOFF)
        else:
            self._backoff = min(max(self._backoff * 2, 30.0), MAX_BACKOFF)
        self._next = max(self._next, self.clock() + self._backoff)


@dataclass
class Entry:
    """A petition as the open list shows it."""

    id: int
    signature_count: int
    updated_at: str


@dataclass
class Watched:
    signature_count: int
    updated_at: str
    fetched: float = -1e18  # clock of the last fetch
    not_before: float = -1e18  # fetched + max-age


@dataclass
class Summary:
    pages: int = 0
    listed: int = 0
    moved: int = 0
    fetched: int = 0
    unchanged: int = 0
    stored: int = 0
    closed: int = 0
    failed: int = 0
    requests: int = 0
    bytes: int = 0

    def line(self) -> str:
        return (f"sweep: {self.pages} list pages, {self.listed:,} open, {self.moved:,} moved, {self.fetched:,} fetched"
                f" ({self.unchanged:,} unchanged), {self.stored:,} snapshots stored, {self.closed:,} closed,"
                f" {self.failed:,} failed; {self.requests:,} requests, {self.bytes / 1e6:.1f} MB")


class OpenTracker:
    """--all-open: one sweep walks the open list and stores the petitions that moved, in one transaction."""

    def __init__(self, store: HistoryStore, client: PoliteClient, log: Callable[[str], None] | None = None) -> None:
        self.store = store
        self.client = client
        self.log = log or _log
        self.watched: dict[int, Watched] = {}
        known = store.petitions()
        for row in known.itertuples():
            if row.state == "open" and row.latest_total is not None:
                self.watched[int(row.id)] = Watched(int(row.latest_total), _same_time(row.last_updated))

    def walk(self, summary: Summary) -> dict[int, Entry]:
        """Every entry of the open list, following links.next to links.last. Entries shift while the list is
        walked (new petitions push others down a page): duplicates are merged; one pushed past a page boundary
        is looked up by itself if it was being watched."""
        found: dict[int, Entry] = {}
        page: int | None = 1
        last = None
        while page is not None and (last is None or page <= last):
            reply = self.client.get("/petitions.json", {"state": "open", "page": str(page)}, conditional=False)
            summary.pages += 1
            doc = reply.doc if isinstance(reply.doc, dict) else {}
            for item in doc.get("data") or []:
                entry = _entry(item)
                if entry is not None:
                    found[entry.id] = entry
            links = doc.get("links") or {}
            last = _page_of(links.get("last")) or last
            following = _page_of(links.get("next"))
            page = following if following is not None and following > page else None
        return found

    def sweep(self) -> Summary:
        summary = Summary()
        before = (self.client.requests, self.client.bytes)
        listed = self.walk(summary)
        summary.listed = len(listed)
        now = self.client.clock()
        due: list[int] = []
        for pid, entry in listed.items():
            seen = self.watched.get(pid)
            if seen is None or (entry.signature_count, _same_time(entry.updated_at)) != \
                    (seen.signature_count, seen.updated_at):
                summary.moved += 1
                if seen is None or seen.fetched < -1e17:  # not fetched by this tracker yet
                    due.append(pid)
                    continue
                hours = max(now - seen.fetched, 1.0) / 3600
                busy = (entry.signature_count - seen.signature_count) / hours >= BUSY_PER_HOUR
                every = BUSY_EVERY if busy else QUIET_EVERY
                if now >= seen.fetched + every - 1 and now >= seen.not_before:
                    due.append(pid)
        # Watched petitions missing from the list have closed (or shifted past a page edge): fetch each once.
        gone = [pid for pid in self.watched if pid not in listed]
        got: list[tuple[Petition, float]] = []
        for pid in sorted(due) + sorted(gone):
            try:
                reply = self.client.get(f"/petitions/{pid}.json")
                petition = parse_petition(reply.doc)
            except (Forbidden, Unreachable):
                raise
            except PetitionError as exc:  # one bad petition never stops the others
                summary.failed += 1
                self.log(f"petition {pid}: {_one_line(exc)}")
                if pid in gone:
                    self.watched.pop(pid, None)
                continue
            summary.fetched += 1
            summary.unchanged += reply.not_modified
            self._seen(pid, petition, reply)
            if pid in gone and petition.state != "open":
                summary.closed += 1
                self.watched.pop(pid, None)
            if not reply.not_modified:
                got.append((petition, reply.fetched_at))
        with self.store.batch():  # the whole sweep, or nothing
            for petition, fetched_at in got:
                summary.stored += self.store.add(petition, datetime.fromtimestamp(fetched_at, UTC)) is not None
        summary.requests = self.client.requests - before[0]
        summary.bytes = self.client.bytes - before[1]
        return summary

    def _seen(self, pid: int, petition: Petition, reply: Reply) -> None:
        now = self.client.clock()
        updated = _same_time(petition.updated_at.isoformat() if petition.updated_at else "")
        self.watched[pid] = Watched(petition.signature_count, updated, now, now + reply.max_age)

    def run(self, stop: Callable[[], bool], sweeps: int | None = None) -> None:
        """Sweep every BUSY_EVERY seconds until `stop()` (or `sweeps` sweeps)."""
        done = 0
        while not stop() and (sweeps is None or done < sweeps):
            began = self.client.clock()
            try:
                summary = self.sweep()
                self.log(summary.line())
            except Unreachable as exc:
                self.log(f"sweep abandoned, nothing stored: {_one_line(exc)}")
            except store_errors() as exc:
                self.log(f"sweep not stored (the store failed; nothing half-written): {_one_line(exc)}")
            done += 1
            if sweeps is not None and done >= sweeps:
                return
            rest = BUSY_EVERY - (self.client.clock() - began)
            if rest > 0 and not stop():
                self.client.sleep(rest)


LISTS = {"current": "/petitions.json", "archived": "/archived/petitions.json"}


def backfill(store: HistoryStore, client: PoliteClient, parliament: str | None = None,
             progress: Callable[[str], None] | None = None, log: Callable[[str], None] | None = None,
             stop: Callable[[], bool] = lambda: False) -> int:
    """Store the final counts of every closed, rejected and archived petition: walk the list of the current
    parliament and of the archive (one parliament with `parliament`), page by page. Each page is one
    transaction together with the resume point, so an interrupted backfill continues where it stopped.
    Returns snapshots added."""
    progress = progress or _progress
    log = log or _log
    added = 0
    sources = [("archived", {"parliament": parliament})] if parliament else \
        [("current", {}), ("archived", {})]
    for name, extra in sources:
        key = f"backfill:{name}:{parliament or 'all'}"
        page = int(store.get_meta(key) or 0) + 1
        last: int | None = None
        stored = {int(r.id): r.latest_total for r in store.petitions().itertuples()}
        while last is None or page <= last:
            if stop():
                return added
            params = {"state": "all", "page": str(page)} | {k: v for k, v in extra.items() if v}
            reply = client.get(LISTS[name], params, conditional=False)
            doc = reply.doc if isinstance(reply.doc, dict) else {}
            links = doc.get("links") or {}
            last = _page_of(links.get("last")) or page
            got: list[tuple[Petition, float]] = []
            for item in doc.get("data") or []:
                entry = _entry(item)
                state = str((item.get("attributes") or {}).get("state") or "")
                if entry is None or state == "open":
                    continue  # open petitions are --all-open's
                if stored.get(entry.id) == entry.signature_count:
                    continue  # its final counts are stored already
                path = f"/archived/petitions/{entry.id}.json" if name == "archived" else f"/petitions/{entry.id}.json"
                try:
                    one = client.get(path)
                    got.append((parse_petition(one.doc), one.fetched_at))
                except (Forbidden, Unreachable):
                    raise
                except PetitionError as exc:
                    log(f"petition {entry.id}: {_one_line(exc)}")
            with store.batch():
                for petition, fetched_at in got:
                    added += store.add(petition, datetime.fromtimestamp(fetched_at, UTC)) is not None
                    stored[petition.id] = petition.signature_count
                store.set_meta(key, str(page))
            progress(_bar(f"{name} list", page, last, f"{added:,} petitions stored"))
            page += 1
    progress("\n")
    return added


def import_folder(store: HistoryStore, folder: Path, progress: Callable[[str], None] | None = None,
                  log: Callable[[str], None] | None = None) -> tuple[int, int]:
    """Import every petition document of a folder (and its sub-folders), in either layout; a file named by its
    snapshot time (YYYY-MM-DDTHHMM.json) is a snapshot of that time, any other is dated by its updated_at.
    Idempotent. Returns (snapshots added, files refused); each refused file is named with its reason."""
    progress = progress or _progress
    log = log or _log
    files = sorted(p for p in folder.rglob("*.json") if p.is_file())
    added = refused = 0
    for i, path in enumerate(files, 1):
        try:
            petition = read_petition_file(path)
            when = _snapshot_time(path) or petition.updated_at or datetime.now(UTC)
            added += store.add(petition, when, source="file") is not None
        except PetitionError as exc:
            refused += 1
            log(f"{path}: {_one_line(exc)}")
        if i % 20 == 0 or i == len(files):
            progress(_bar("import", i, len(files), f"{added:,} snapshots added, {refused:,} refused"))
    if files:
        progress("\n")
    return added, refused


def _snapshot_time(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.stem, "%Y-%m-%dT%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None


def _entry(item: Any) -> Entry | None:
    if not isinstance(item, dict):
        return None
    attrs = item.get("attributes") or {}
    try:
        return Entry(int(item["id"]), int(attrs.get("signature_count") or 0), str(attrs.get("updated_at") or ""))
    except (KeyError, TypeError, ValueError):
        return None


def _same_time(text: Any) -> str:
    """A time as one comparable text, whichever way it was written ('…Z', '+00:00', with milliseconds)."""
    if not text or not isinstance(text, str):
        return ""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return value.astimezone(UTC).isoformat(timespec="milliseconds")


def _page_of(url: Any) -> int | None:
    if not url:
        return None
    match = re.search(r"[?&]page=(\d+)", str(url))
    return int(match.group(1)) if match else 1


def _max_age(response: httpx.Response) -> float:
    match = re.search(r"max-age=(\d+)", response.headers.get("cache-control", ""))
    return float(match.group(1)) if match else 0.0


def _bar(label: str, done: int, total: int, tail: str) -> str:
    width = 30
    filled = int(width * done / total) if total else width
    return f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} · {tail}"


def _progress(text: str) -> None:
    print(text, end="", file=sys.stderr, flush=True)


def _one_line(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0]


def _log(message: str) -> None:
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} {message}", file=sys.stderr, flush=True)


__all__ = ["PoliteClient", "OpenTracker", "backfill", "import_folder", "Forbidden", "Summary", "USER_AGENT"]
