"""The petition.parliament.uk JSON API: fetch petitions, list pages and local pages."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from petitions.model import SITE, Petition, PetitionError, parse_petition, parse_petition_text

HOST = "petition.parliament.uk"
STATES = ("all", "open", "closed", "rejected", "awaiting_response", "with_response",
          "awaiting_debate", "debated", "not_debated")
_PATH_ID = re.compile(r"^/(archived/)?petitions/(\d+)(\.json)?/?$")


class NotFound(PetitionError):
    """The API has no such petition (HTTP 404)."""


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


def parse_source(source: str | int | Path) -> int | Path:
    """Read what a user typed: a petition number, a petition URL, or a local JSON file path.

    Only https://petition.parliament.uk URLs are accepted; anything else is refused.
    """
    if isinstance(source, int):
        return _valid_id(source)
    if isinstance(source, Path):
        return source
    text = str(source).strip()
    if not text:
        raise PetitionError("enter a petition number or a petition.parliament.uk URL")
    if text.isdigit():
        return _valid_id(int(text))
    if "://" in text or text.startswith(HOST) or text.startswith("www."):
        return _id_from_url(text if "://" in text else "https://" + text)
    path = Path(text).expanduser()
    if path.suffix.lower() == ".json" or path.exists():
        if not path.is_file():
            raise PetitionError(f"no such file: {path}")
        return path
    raise PetitionError(f"not a petition number, petition URL or JSON file: {text[:80]!r}")


class PetitionsAPI:
    """A small client for the petitions API: timeouts, retries with back-off, max-age cache."""

    def __init__(self, client: httpx.Client | None = None, *, retries: int = 3, backoff: float = 0.5,
                 timeout: float = 10.0, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time) -> None:
        self._client = client or httpx.Client(timeout=timeout, headers={"Accept": "application/json",
                                                                         "User-Agent": "petitionmap"})
        self._retries = retries
        self._backoff = backoff
        self._sleep = sleep
        self._clock = clock
        self._cache: dict[str, tuple[float, Fetched]] = {}

    def petition(self, pid: int) -> Petition:
        """Fetch a petition, falling back to the archive for petitions of earlier parliaments."""
        return parse_petition(self.petition_fetched(pid).doc)

    def petition_fetched(self, pid: int) -> Fetched:
        """Like petition(), but the raw document and the time it was fetched."""
        try:
            return self.get(f"/petitions/{pid}.json")
        except NotFound:
            try:
                return self.get(f"/archived/petitions/{pid}.json")
            except NotFound:
                raise NotFound(f"petition {pid} was not found on {HOST}") from None

    def list(self, state: str = "open", q: str = "", page: int = 1, archived: bool = False) -> ListPage:
        """One page (up to 50) of the official petition list."""
        if state not in STATES:
            raise PetitionError(f"unknown state {state!r}; use one of {', '.join(STATES)}")
        params: dict[str, str] = {"state": state, "page": str(page)}
        if q:
            params["q"] = q
        doc = self.get("/archived/petitions.json" if archived else "/petitions.json", params).doc
        return parse_list(doc, archived=archived)

    def local(self, slug: str) -> list[ListItem]:
        """Popular petitions in a constituency (current parliament), from /petitions/local/{slug}.json."""
        doc = self.get(f"/petitions/local/{slug}.json").doc
        return list(parse_list(doc).items)

    def get(self, path: str, params: dict[str, str] | None = None) -> Fetched:
        """GET a JSON document from the API, honouring Cache-Control max-age."""
        url = SITE + path
        key = url + "?" + "&".join(f"{k}={v}" for k, v in sorted((params or {}).items()))
        hit = self._cache.get(key)
        if hit and hit[0] > self._clock():
            return hit[1]
        response = self._request(url, params)
        try:
            doc = response.json()
        except ValueError:
            raise PetitionError(f"{HOST} sent a truncated or invalid JSON document for {path}") from None
        fetched = Fetched(doc, self._clock())
        max_age = _max_age(response.headers.get("cache-control", ""))
        if max_age:
            self._cache[key] = (fetched.fetched_at + max_age, fetched)
        return fetched

    def _request(self, url: str, params: dict[str, str] | None) -> httpx.Response:
        last = ""
        wait = 0.0
        for attempt in range(self._retries + 1):
            if attempt:
                self._sleep(wait)
            wait = self._backoff * 2 ** attempt
            try:
                response = self._client.get(url, params=params)
            except httpx.TimeoutException:
                last = f"{HOST} did not answer in time"
                continue
            except httpx.TransportError:
                raise Unreachable(f"cannot reach {HOST} (no network?)") from None
            if response.status_code == 404:
                raise NotFound(f"not found on {HOST}: {urlsplit(url).path}")
            if response.status_code == 429 or response.status_code >= 500:
                last = f"{HOST} answered HTTP {response.status_code}"
                retry_after = response.headers.get("retry-after", "")
                if retry_after.isdigit():  # the server says how long to wait: that replaces the back-off
                    wait = min(float(retry_after), 60.0)
                continue
            if response.status_code >= 400:
                raise PetitionError(f"{HOST} answered HTTP {response.status_code} for {urlsplit(url).path}")
            return response
        raise Unreachable(f"{last} after {self._retries + 1} tries; try again later")


def parse_list(doc: Any, archived: bool = False) -> ListPage:
    """Parse a /petitions.json list page."""
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise PetitionError("not a petition list: expected an object with a 'data' list")
    items = []
    for entry in doc["data"]:
        attrs = entry.get("attributes") or {}
        try:
            items.append(ListItem(int(entry["id"]), str(attrs.get("action", "")).strip(),
                                  str(attrs.get("state", "")), int(attrs.get("signature_count") or 0),
                                  archived))
        except (KeyError, TypeError, ValueError):
            continue
    links = doc.get("links") or {}
    return ListPage(tuple(items), _page_of(links.get("next")), _page_of(links.get("last")))


def _page_of(url: Any) -> int | None:
    if not url:
        return None
    match = re.search(r"[?&]page=(\d+)", str(url))
    return int(match.group(1)) if match else 1


def _max_age(cache_control: str) -> int:
    match = re.search(r"max-age=(\d+)", cache_control)
    return int(match.group(1)) if match else 0


def _valid_id(pid: int) -> int:
    if pid <= 0:
        raise PetitionError(f"{pid} is not a petition number")
    return pid


def _id_from_url(url: str) -> int:
    parts = urlsplit(url)
    if parts.scheme != "https" or (parts.hostname or "").lower() != HOST:
        raise PetitionError(f"only https://{HOST} petition links are accepted, not {parts.scheme}://{parts.hostname}")
    match = _PATH_ID.match(parts.path)
    if not match:
        raise PetitionError(f"not a petition link: {url[:80]}")
    return _valid_id(int(match.group(2)))


__all__ = ["PetitionsAPI", "NotFound", "Unreachable", "parse_source", "parse_list",
           "parse_petition_text", "STATES", "ListItem", "ListPage", "Fetched"]
