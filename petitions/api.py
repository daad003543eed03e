"""The petition.parliament.uk JSON API: fetch petitions, list pages and local pages."""

from __future__ import annotations

import builtins
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload
from urllib.parse import parse_qs, urlsplit

import httpx

from petitions.model import (
    MAX_ID,
    SITE,
    Petition,
    PetitionError,
    _id,
    _int,
    _text,
    decode_json,
    parse_petition,
    parse_petition_text,
    short,
)
from petitions.settings import API_BASE_ENV, current

HOST = "petition.parliament.uk"
OFFICIAL_HOSTS = (HOST, "www." + HOST)
MAP_SITE = "petitionmap.unboxedconsulting.com"  # the "Show on a map" site: its ?petition=N links are accepted
DEADLINE = 15.0  # seconds for a whole fetch, retries and the archive fallback included
MIN_TRY = 1.0  # seconds an attempt needs at least: a retry with less time left is not made
MAX_BYTES = 10_000_000  # the largest real petition document is ~200 KB
_LOCAL_BASE = re.compile(r"^http://(127\.0\.0\.1|localhost)(:\d+)?/?$")
_ID = re.compile(r"0*([1-9][0-9]{0,8})")
STATES = ("all", "open", "closed", "rejected", "awaiting_response", "with_response",
          "awaiting_debate", "debated", "not_debated")
_PATH_ID = re.compile(r"^/(?:archived/)?petitions/([0-9]{1,20})(?:\.json|/signatures/new|/signatures)?/?$")


class NotFound(PetitionError):
    """The API has no such petition (HTTP 404, or 410 for a removed one)."""

    def __init__(self, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.status = status

    @property
    def status_note(self) -> str:
        return " (HTTP 410: removed)" if self.status == 410 else ""


class BadDocument(PetitionError):
    """The API answered with something that is not a valid petition document (never stored)."""


class Unreachable(PetitionError):
    """The API could not be reached or kept failing."""


@dataclass(frozen=True)
class Fetched:
    """A decoded JSON document and when it was fetched (epoch seconds)."""

    doc: Any
    fetched_at: float


@dataclass(frozen=True)
class ListItem:
    id: int
    action: str
    state: str
    signature_count: int
    archived: bool = False


@dataclass(frozen=True)
class ListPage:
    items: tuple[ListItem, ...]
    next_page: int | None
    last_page: int | None


@overload
def parse_source(source: str | int | Path, *, files: Literal[False] = False) -> int: ...
@overload
def parse_source(source: str | int | Path, *, files: bool) -> int | Path: ...
def parse_source(source: str | int | Path, *, files: bool = False) -> int | Path:
    """Read what a user typed: a petition number or a petition link; with `files`, also a local JSON file.

    Links: petition.parliament.uk (https, http, www.; /petitions/N, /archived/petitions/N, .json,
    /signatures/new, any query or fragment) and the "Show on a map" site's ?petition=N. Nothing is
    fetched from a link: only its petition number is kept. The web page passes files=False, so a
    visitor's text never opens a file on the server.
    """
    if isinstance(source, bool) or not isinstance(source, str | int | Path):
        raise PetitionError(ENTER)
    if isinstance(source, int):
        return _valid_id(source)
    if isinstance(source, Path):
        if not files:
            raise PetitionError(ENTER)
        return _local_file(source)
    text = source.strip()
    if not text:
        raise PetitionError(ENTER)
    digits = text[1:] if text[0] in "+-" else text
    if digits and all(ch.isnumeric() for ch in digits):
        return _id_text(text)
    lower = text.lower()
    if "://" in text or lower.startswith((HOST, "www.", MAP_SITE)):
        return _id_from_url(text if "://" in text else "https://" + text)
    if files:
        return _local_file(Path(text).expanduser())
    raise PetitionError(f"not a petition number or petition.parliament.uk link: {short(text)}")


ENTER = "enter a petition number or a petition.parliament.uk link"


class PetitionsAPI:
    """A small client for the petitions API: retries with back-off inside one deadline per fetch, a size
    cap, a max-age cache. Tests inject `sleep` and the clocks (`clock`: wall time, `timer`: monotonic)."""

    def __init__(self, client: httpx.Client | None = None, *, retries: int = 3, backoff: float = 0.5,
                 timeout: float = 5.0, deadline: float = DEADLINE, max_bytes: int = MAX_BYTES,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.time,
                 timer: Callable[[], float] = time.monotonic) -> None:
        self._client = client or default_client()
        self._retries = retries
        self._backoff = backoff
        self._timeout = timeout
        self._deadline = deadline
        self._max_bytes = max_bytes
        self._sleep = sleep
        self._clock = clock
        self._timer = timer
        self._cache: dict[str, tuple[float, Fetched]] = {}

    def petition(self, pid: int) -> Petition:
        """Fetch a petition, falling back to the archive for petitions of earlier parliaments."""
        return self.petition_live(pid)[0]

    def petition_live(self, pid: int) -> tuple[Petition, Fetched]:
        """The petition, checked: a document that fails the schema or is another petition is refused."""
        fetched = self.petition_fetched(pid)
        try:
            petition = parse_petition(fetched.doc)
        except PetitionError as exc:
            raise BadDocument(f"{HOST} sent a document for petition {pid} that is refused: {exc}") from None
        if petition.id != pid:
            raise BadDocument(f"{HOST} sent petition {petition.id} when asked for petition {pid}: refused")
        return petition, fetched

    def petition_fetched(self, pid: int) -> Fetched:
        """The raw document of a petition and the time it was fetched; one deadline covers both paths."""
        end = self._timer() + self._deadline
        try:
            return self.get(f"/petitions/{pid}.json", end=end)
        except NotFound:
            try:
                return self.get(f"/archived/petitions/{pid}.json", end=end)
            except NotFound as exc:
                raise NotFound(f"petition {pid} was not found on {HOST}{exc.status_note}") from None

    def list(self, state: str = "open", q: str = "", page: int = 1, archived: bool = False) -> ListPage:
        """One page (up to 50) of the official petition list."""
        if state not in STATES:
            raise PetitionError(f"unknown state {short(state)}; use one of {', '.join(STATES)}")
        params: dict[str, str] = {"state": state, "page": str(page)}
        if q:
            params["q"] = q
        doc = self.get("/archived/petitions.json" if archived else "/petitions.json", params).doc
        return parse_list(doc, archived=archived)

    def local(self, slug: str) -> builtins.list[ListItem]:
        """Popular petitions in a constituency (current parliament), from /petitions/local/{slug}.json."""
        doc = self.get(f"/petitions/local/{slug}.json").doc
        return list(parse_list(doc).items)

    def get(self, path: str, params: dict[str, str] | None = None, end: float | None = None) -> Fetched:
        """GET a JSON document from the API, honouring Cache-Control max-age; `end` is the deadline (timer)."""
        url = SITE + path
        key = url + "?" + "&".join(f"{k}={v}" for k, v in sorted((params or {}).items()))
        hit = self._cache.get(key)
        if hit and hit[0] > self._clock():
            return hit[1]
        body, headers = self._request(url, params, self._timer() + self._deadline if end is None else end)
        try:
            doc = decode_json(body, origin=f"the document {HOST} sent for {path}")
        except PetitionError as exc:
            raise BadDocument(str(exc)) from None
        fetched = Fetched(doc, self._clock())
        max_age = _max_age(headers.get("cache-control", ""))
        if max_age:
            self._cache[key] = (fetched.fetched_at + max_age, fetched)
        return fetched

    def _request(self, url: str, params: dict[str, str] | None, end: float) -> tuple[bytes, httpx.Headers]:
        path = urlsplit(url).path
        last = f"{HOST} did not answer within {self._deadline:g} s"
        wait = 0.0
        tries = 0
        for attempt in range(self._retries + 1):
            if attempt:
                if self._timer() + wait + MIN_TRY > end:
                    break  # no time left within the deadline to try again
                self._sleep(wait)
            wait = self._backoff * 2 ** attempt
            tries += 1
            try:
                status, headers, body = self._get_once(url, params, end)
            except _TooSlow:
                last = f"{HOST} was too slow sending {path} (cut off at {self._deadline:g} s)"
                break
            except httpx.TimeoutException:
                last = f"{HOST} did not answer in time"
                continue
            except httpx.DecodingError:
                last = f"{HOST} sent a badly compressed response for {path}"
                continue
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                last = f"the connection to {HOST} broke off while fetching {path}"
                continue
            except httpx.TransportError:
                raise Unreachable(f"cannot reach {HOST} (no network?)") from None
            if status == 200:
                return body, headers
            if status in (404, 410):
                raise NotFound(f"not found on {HOST}: {path}", status)
            if status == 429 or status >= 500:
                last = f"{HOST} answered HTTP {status}"
                retry_after = headers.get("retry-after", "").strip()
                if retry_after.isascii() and retry_after.isdigit():  # the server's wait replaces the back-off
                    wait = min(float(retry_after[:6]), 60.0)
                    if self._timer() + wait > end:
                        last += f" and asked to wait {retry_after[:6]} s"
                        break
                continue
            raise PetitionError(f"{HOST} answered HTTP {status} for {path}")
        raise Unreachable(f"{last} after {tries} {'try' if tries == 1 else 'tries'}; try again later")

    def _get_once(self, url: str, params: dict[str, str] | None, end: float) -> tuple[int, httpx.Headers, bytes]:
        """One GET, its body read in chunks: refused past max_bytes, cut off before the deadline can pass.

        Every network wait (connect, each read) is bounded by `step`; connecting and the first answer take
        at most half the time left, and no read starts that could end after the deadline.
        """
        step = max(0.05, min(self._timeout, (end - self._timer()) / 2))
        with self._client.stream("GET", url, params=params, timeout=httpx.Timeout(step)) as response:
            if response.status_code != 200:
                return response.status_code, response.headers, b""
            length = response.headers.get("content-length", "")
            if length.isascii() and length.isdigit() and int(length[:12]) > self._max_bytes:
                raise _too_big(url, self._max_bytes)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self._max_bytes:
                    raise _too_big(url, self._max_bytes)
                if self._timer() + step > end:
                    raise _TooSlow()
                chunks.append(chunk)
            return 200, response.headers, b"".join(chunks)


def parse_list(doc: Any, archived: bool = False) -> ListPage:
    """Parse a /petitions.json list page."""
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise PetitionError("not a petition list: expected an object with a 'data' list")
    items = []
    for entry in doc["data"]:
        attrs = entry.get("attributes") if isinstance(entry, dict) else None
        if not isinstance(attrs, dict):
            continue
        try:  # an entry that fails the checks is left out; the rest of the page stands
            items.append(ListItem(_id(entry.get("id")), _text(attrs.get("action"), "action").strip(),
                                  _text(attrs.get("state"), "state"), _int(attrs.get("signature_count") or 0,
                                                                           "signature_count"), archived))
        except PetitionError:
            continue
    links = doc.get("links")
    links = links if isinstance(links, dict) else {}
    return ListPage(tuple(items), _page_of(links.get("next")), _page_of(links.get("last")))


def _page_of(url: Any) -> int | None:
    if not url:
        return None
    match = re.search(r"[?&]page=([0-9]{1,6})(?![0-9])", str(url)[:2000])
    return int(match.group(1)) if match else 1


def _max_age(cache_control: str) -> int:
    match = re.search(r"max-age=(\d+)", cache_control)
    return int(match.group(1)) if match else 0


def _valid_id(pid: int) -> int:
    if not 1 <= pid <= MAX_ID:
        raise PetitionError(f"{short(pid)} is not a petition number (they run from 1 to {MAX_ID:,})")
    return pid


def _id_text(text: str) -> int:
    """A petition number as typed: ASCII digits, leading zeros allowed (0239406 is 239406)."""
    if not text.isascii():
        raise PetitionError(f"write petition numbers with the digits 0-9: {short(text)}")
    match = _ID.fullmatch(text)
    if match:
        return int(match.group(1))
    if text.startswith(("-", "+")) or not text.strip("0"):
        raise PetitionError(f"{short(text)} is not a petition number (they run from 1 to {MAX_ID:,})")
    raise PetitionError(f"a petition number has at most 9 digits, not {len(text.lstrip('0')):,}")


def _id_from_url(url: str) -> int:
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        raise PetitionError(f"a link cannot contain spaces or line breaks: {short(url)}")
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.lower()
    except ValueError:
        raise PetitionError(f"not a valid link: {short(url)}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise PetitionError(f"only {HOST} petition links are accepted, not {short(parts.scheme)} links")
    if netloc in OFFICIAL_HOSTS:
        match = _PATH_ID.match(parts.path)
        if not match:
            raise PetitionError(f"not a link to a petition: {short(url)}")
        return _id_text(match.group(1))
    if netloc == MAP_SITE and parts.path in ("", "/"):
        values = parse_qs(parts.query).get("petition", [])
        if len(values) == 1:
            return _id_text(values[0].strip())
        raise PetitionError(f"this map link names no petition: {short(url)}")
    raise PetitionError(f"only {HOST} petition links are accepted, not links to {short(parts.netloc)}")


def _local_file(path: Path) -> Path:
    """A local JSON file (command line only): it must exist; its size is capped when it is read."""
    try:
        if path.is_file():
            return path
    except (OSError, ValueError):
        pass
    raise PetitionError(f"no such file: {short(str(path))}")


def default_client() -> httpx.Client:
    """The HTTP client: to petition.parliament.uk, or, in tests, to a fake API on this machine named by
    $PETITIONMAP_API_BASE (http://127.0.0.1 or http://localhost only)."""
    headers = {"Accept": "application/json", "User-Agent": "petitionmap"}
    base = current().api_base
    if not base:
        return httpx.Client(headers=headers)
    if not _LOCAL_BASE.match(base):
        raise PetitionError(f"{API_BASE_ENV} may only name http://127.0.0.1 or http://localhost, not {short(base)}")
    return httpx.Client(headers=headers, transport=Rebase(base.rstrip("/")))


class Rebase(httpx.HTTPTransport):
    """Send requests meant for https://petition.parliament.uk to the local test server instead."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self._base = httpx.URL(base)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme=self._base.scheme, host=self._base.host, port=self._base.port)
        request.headers["host"] = self._base.netloc.decode()
        return super().handle_request(request)


class _TooSlow(Exception):
    """The body was still arriving when the fetch's deadline came."""


def _too_big(url: str, limit: int) -> PetitionError:
    return BadDocument(f"{HOST} sent more than {limit // 1_000_000} MB for {urlsplit(url).path}: refused")


__all__ = ["PetitionsAPI", "NotFound", "Unreachable", "BadDocument", "default_client", "parse_source", "parse_list",
           "parse_petition_text", "STATES", "ListItem", "ListPage", "Fetched"]
