"""Typed model of a petition document from petition.parliament.uk."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

RESPONSE_THRESHOLD = 10_000  # signatures for a Government response
DEBATE_THRESHOLD = 100_000  # signatures for Parliament to consider a debate
SITE = "https://petition.parliament.uk"
MAX_ID = 999_999_999  # petition numbers are 1 to 9 digits
MAX_COUNT = 1_000_000_000  # ~160 times the largest real petition (6.1 million): above it, a corrupt document
MAX_FILE_BYTES = 10_000_000  # the largest real document is ~200 KB


class PetitionError(ValueError):
    """A petition could not be loaded; the message is one line, fit for the user."""


@dataclass(frozen=True)
class ConstituencyCount:
    ons_code: str
    name: str
    mp: str | None
    signature_count: int


@dataclass(frozen=True)
class CountryCount:
    code: str
    name: str
    signature_count: int


@dataclass(frozen=True)
class RegionCount:
    ons_code: str
    name: str
    signature_count: int


@dataclass(frozen=True)
class GovernmentResponse:
    responded_on: date | None
    summary: str
    details: str


@dataclass(frozen=True)
class Debate:
    debated_on: date | None
    transcript_url: str | None
    video_url: str | None
    overview: str
    debate_pack_url: str | None = None


@dataclass(frozen=True)
class Department:
    acronym: str
    name: str
    url: str | None


@dataclass(frozen=True)
class Business:
    """An item of "other parliamentary business" (the site's emails to signers)."""

    subject: str
    body: str
    created_at: datetime | None


@dataclass(frozen=True)
class Outcome:
    """Where a petition stands on debate, in the official site's terms.

    kind: "debated" (on `day`), "scheduled" (for `day`), "not_debated" (the Petitions Committee decided
    not to; `reasons` gives theirs), "awaiting" (over 100,000, no decision yet) or "none".
    """

    kind: str
    day: date | None = None
    reasons: str = ""
    transcript_url: str | None = None
    video_url: str | None = None
    debate_pack_url: str | None = None

    @property
    def text(self) -> str:
        when = f"{self.day:%-d %B %Y}" if self.day else "a date not given"
        return {"debated": f"Parliament debated this petition on {when}",
                "scheduled": f"Parliament will debate this petition on {when}",
                "not_debated": "The Petitions Committee decided not to debate this petition",
                "awaiting": "This petition will be considered for debate",
                "none": ""}[self.kind]


# Polling days of the general elections that began each parliament; a petition belongs to the
# parliament in which it was created (petitions close when Parliament is dissolved).
GENERAL_ELECTIONS = (date(2010, 5, 6), date(2015, 5, 7), date(2017, 6, 8), date(2019, 12, 12), date(2024, 7, 4))


def parliament_of(day: date | datetime | None) -> str | None:
    """The parliament ("2017–2019") a date falls in; "2024–" for the current one; None before 2010."""
    if day is None:
        return None
    d = day.date() if isinstance(day, datetime) else day
    starts = [g for g in GENERAL_ELECTIONS if g <= d]
    if not starts:
        return None
    i = GENERAL_ELECTIONS.index(starts[-1])
    end = GENERAL_ELECTIONS[i + 1].year if i + 1 < len(GENERAL_ELECTIONS) else ""
    return f"{starts[-1].year}–{end}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_between(start: datetime, end: datetime) -> int:
    """Whole calendar months from start to end, rounded to the nearest (6 for a standard petition)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day - start.day >= 15:
        months += 1
    elif start.day - end.day >= 15:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class Petition:
    id: int
    action: str
    background: str
    additional_details: str
    state: str
    signature_count: int
    created_at: datetime | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    updated_at: datetime | None = None
    response_threshold_reached_at: datetime | None = None
    government_response_at: datetime | None = None
    debate_threshold_reached_at: datetime | None = None
    scheduled_debate_date: date | None = None
    debate_outcome_at: datetime | None = None
    government_response: GovernmentResponse | None = None
    debate: Debate | None = None
    rejection: str | None = None
    parliament: str | None = None  # archived documents: the period, e.g. "2017-2019"
    archived: bool = False
    departments: tuple[Department, ...] = ()
    topics: tuple[str, ...] = ()
    other_business: tuple[Business, ...] = ()
    constituencies: tuple[ConstituencyCount, ...] = ()
    countries: tuple[CountryCount, ...] = ()
    regions: tuple[RegionCount, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def url(self) -> str:
        """The petition's official page."""
        kind = "archived/petitions" if self.archived else "petitions"
        return f"{SITE}/{kind}/{self.id}"

    @property
    def sign_url(self) -> str | None:
        """The official signing page, for open petitions only."""
        return f"{SITE}/petitions/{self.id}/signatures/new" if self.state == "open" else None

    @property
    def deadline(self) -> date | None:
        """The last day to sign: the closing date, else six months after opening (the standard run)."""
        if self.closed_at is not None:
            return self.closed_at.date()
        if self.opened_at is None:
            return None
        return add_months(self.opened_at.date(), 6)

    @property
    def ran_for_months(self) -> int | None:
        """How long a closed petition was open, in months (the official page: "ran for 6 months")."""
        if self.opened_at is None or self.closed_at is None:
            return None
        return months_between(self.opened_at, self.closed_at)

    @property
    def parliament_period(self) -> str | None:
        """The parliament the petition was submitted in: the document's, else derived from its dates."""
        given = (self.parliament or "").replace("-", "–").strip()
        if re.fullmatch(r"\d{4}–(\d{4})?", given):
            return given
        return parliament_of(self.created_at or self.opened_at or self.closed_at)

    @property
    def outcome(self) -> Outcome:
        """The debate outcome as the official site words it."""
        d = self.debate
        links = (d.transcript_url, d.video_url, d.debate_pack_url) if d else (None, None, None)
        if d is not None and d.debated_on is not None:
            return Outcome("debated", d.debated_on, "", *links)
        if self.debate_outcome_at is not None:  # an outcome without a debate date: not debated
            return Outcome("not_debated", None, d.overview if d else "", *links)
        if self.scheduled_debate_date is not None:
            return Outcome("scheduled", self.scheduled_debate_date, "", *links)
        if self.debate_threshold_reached_at is not None:
            return Outcome("awaiting")
        return Outcome("none")

    @property
    def constituency_total(self) -> int:
        """Signatures matched to a constituency (excludes abroad and unmatched postcodes)."""
        return sum(c.signature_count for c in self.constituencies)


PETITION_TYPES = ("petition", "archived-petition", "archived_petition")


def petition_object(doc: Any) -> dict[str, Any]:
    """The petition object of a document in either layout: the API's {"links", "data": {…}} or the
    public dumps' petition at the top level ({"type": "petition", "id", "links", "attributes"})."""
    if not isinstance(doc, dict):
        raise PetitionError("not a petition document: expected a JSON object")
    if "data" not in doc and doc.get("type") in PETITION_TYPES:
        return doc
    data = doc.get("data")
    if not isinstance(data, dict):
        if isinstance(data, list):
            raise PetitionError("not a petition document: this is a list of petitions")
        raise PetitionError("not a petition document: no 'data' object and no top-level petition")
    return data


def parse_petition(doc: Any, *, list_entry: bool = False) -> Petition:
    """Parse a petition document (already decoded JSON, either layout) into a Petition.

    `list_entry`: an entry of a /petitions.json list page, which carries no breakdown by constituency.
    """
    data = petition_object(doc)
    kind = data.get("type")
    if kind not in PETITION_TYPES:
        raise PetitionError(f"not a petition document: data.type is {kind!r}")
    attrs = data.get("attributes")
    if not isinstance(attrs, dict):
        raise PetitionError("not a petition document: no 'attributes' object")
    pid = _id(data.get("id"))
    for key in ("action", "signature_count"):
        if attrs.get(key) is None:
            raise PetitionError(f"petition {pid} has no '{key}'")
    links = doc.get("links") or data.get("links")
    self_link = str(links.get("self") or "") if isinstance(links, dict) else ""
    signature_count = _int(attrs["signature_count"], "signature_count")
    state = _text(attrs.get("state"), "state") or "unknown"
    if (attrs.get("signatures_by_constituency") is None and signature_count > 0 and state != "rejected"
            and not list_entry):
        raise PetitionError(f"petition {pid} has {signature_count:,} signatures but no 'signatures_by_constituency'")
    return Petition(
        id=pid,
        action=_text(attrs["action"], "action").strip(),
        background=_text(attrs.get("background"), "background"),
        additional_details=_text(attrs.get("additional_details"), "additional_details"),
        state=state,
        signature_count=signature_count,
        created_at=_datetime(attrs.get("created_at")),
        # 2016-era documents say open_at rather than opened_at
        opened_at=_datetime(attrs.get("opened_at") or attrs.get("open_at")),
        closed_at=_datetime(attrs.get("closed_at")),
        updated_at=_datetime(attrs.get("updated_at")),
        response_threshold_reached_at=_datetime(attrs.get("response_threshold_reached_at")),
        government_response_at=_datetime(attrs.get("government_response_at")),
        debate_threshold_reached_at=_datetime(attrs.get("debate_threshold_reached_at")),
        scheduled_debate_date=_date(attrs.get("scheduled_debate_date")),
        debate_outcome_at=_datetime(attrs.get("debate_outcome_at")),
        government_response=_response(attrs.get("government_response")),
        debate=_debate(attrs.get("debate")),
        rejection=_rejection(attrs.get("rejection")),
        parliament=_parliament(attrs.get("parliament")),
        archived="archived" in str(kind) or "/archived/" in self_link,
        departments=tuple(_department(d) for d in _list(attrs, "departments")),
        topics=tuple(_text(t, "topic") for t in _topics(attrs) if t),
        other_business=tuple(_business(b) for b in _list(attrs, "other_parliamentary_business")),
        constituencies=_unique(tuple(
            ConstituencyCount(
                ons_code=(code := _text(c["ons_code"], "constituency ons_code").strip().upper()),
                name=_text(c.get("name"), "constituency name") or code,
                mp=_text(c.get("mp"), "constituency mp") or None,
                signature_count=_int(c.get("signature_count"), "constituency signature_count"),
            )
            for c in _list(attrs, "signatures_by_constituency")
        )),
        countries=tuple(
            CountryCount(_text(c.get("code"), "country code"),
                         _text(c.get("name"), "country name") or _text(c.get("code"), "country code"),
                         _int(c.get("signature_count"), "country signature_count"))
            for c in _list(attrs, "signatures_by_country")
        ),
        regions=tuple(
            RegionCount(_text(c.get("ons_code"), "region ons_code"), _text(c.get("name"), "region name"),
                        _int(c.get("signature_count"), "region signature_count"))
            for c in _list(attrs, "signatures_by_region")
        ),
        raw=doc,
    )


def read_petition_file(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> Petition:
    """Read a petition JSON file from disk (at most `max_bytes`)."""
    p = Path(path)
    try:
        with p.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise PetitionError(f"cannot read {p}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise PetitionError(f"{p} is larger than {max_bytes // 1_000_000} MB: not a petition document")
    return parse_petition(decode_json(data, origin=str(p)))


def parse_petition_text(text: str | bytes, origin: str = "document") -> Petition:
    """Decode JSON text and parse it; truncated or invalid JSON gives a one-line error."""
    return parse_petition(decode_json(text, origin))


def decode_json(data: str | bytes, origin: str = "document") -> Any:
    """JSON text (UTF-8, a byte-order mark allowed) → Python values; anything else is a PetitionError."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PetitionError(f"{origin} is not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(data.removeprefix("\ufeff"), parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise PetitionError(f"{origin} is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise PetitionError(f"{origin} is nested too deeply to be a petition document") from None
    except ValueError as exc:  # NaN/Infinity, or an integer of thousands of digits
        raise PetitionError(f"{origin} is not valid JSON ({str(exc).splitlines()[0][:60]})") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _list(attrs: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = attrs.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise PetitionError(f"'{key}' is not a list of objects")
    if key == "signatures_by_constituency" and any("ons_code" not in v for v in value):
        raise PetitionError("'signatures_by_constituency' has an entry without 'ons_code'")
    return value


def _department(d: dict[str, Any]) -> Department:
    acronym = _text(d.get("acronym"), "department acronym")
    return Department(acronym, _text(d.get("name"), "department name") or acronym, https_url(d.get("url")))


def _topics(attrs: dict[str, Any]) -> list[Any]:
    topics = attrs.get("topics")
    return topics if isinstance(topics, list) else []


def _business(b: dict[str, Any]) -> Business:
    return Business(_text(b.get("subject"), "business subject"), _text(b.get("body"), "business body"),
                    _datetime(b.get("created_at")))


def _int(value: Any, what: str) -> int:
    """A count: a whole number from 0 to MAX_COUNT (booleans, fractions, infinities and text refused)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PetitionError(f"{what} is not a whole number: {short(value)}")
    if value < 0:
        raise PetitionError(f"{what} is negative: {short(value)}")
    if value > MAX_COUNT:
        raise PetitionError(f"{what} is impossibly large: {short(value)}")
    return value


def _id(value: Any) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise PetitionError(f"not a petition document: data.id is not a petition number: {short(value)}")
    return value


def _text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PetitionError(f"{what} is not text: {short(value)}")
    return value


def _unique(counts: tuple[ConstituencyCount, ...]) -> tuple[ConstituencyCount, ...]:
    seen: set[str] = set()
    for c in counts:
        if c.ons_code in seen:
            raise PetitionError(f"constituency {short(c.ons_code)} is listed twice in 'signatures_by_constituency'")
        seen.add(c.ons_code)
    return counts


def short(value: Any, limit: int = 60) -> str:
    """A value as it may appear in a one-line message: its repr, at most `limit` characters."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return "a number of more than 60 digits"  # str() of a huge int is refused, and long anyway
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "an object"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def https_url(value: Any) -> str | None:
    """A link we may show: an https URL with a host and no spaces or control characters; else None."""
    if not isinstance(value, str) or not value.startswith("https://") or len(value) > 2000:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ch in "<>\"\\`" for ch in value):
        return None
    try:
        host = urlsplit(value).hostname
    except ValueError:
        return None
    return value if host and "@" not in value.split("/")[2] else None


def _datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _response(value: Any) -> GovernmentResponse | None:
    if not isinstance(value, dict) or not (value.get("summary") or value.get("details")):
        return None
    return GovernmentResponse(_date(value.get("responded_on")), _text(value.get("summary"), "response summary"),
                              _text(value.get("details"), "response details"))


def _debate(value: Any) -> Debate | None:
    if not isinstance(value, dict) or not any(value.values()):
        return None
    return Debate(_date(value.get("debated_on")), https_url(value.get("transcript_url")),
                  https_url(value.get("video_url")), _text(value.get("overview"), "debate overview"),
                  https_url(value.get("debate_pack_url")))


def _rejection(value: Any) -> str | None:
    if isinstance(value, dict) and (value.get("code") or value.get("details")):
        return _text(value.get("details"), "rejection details") or _text(value.get("code"), "rejection code")
    return None


def _parliament(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("period") or value.get("name")
    return value if isinstance(value, str) and value else None
