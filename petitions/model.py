"""Typed model of a petition document from petition.parliament.uk."""

from __future__ import annotations

import json
import math
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
    def constituency_total(self) -> int:
        """Signatures matched to a constituency (excludes abroad and unmatched postcodes)."""
        return sum(c.signature_count for c in self.constituencies)


def parse_petition(doc: Any) -> Petition:
    """Parse a petition document (the API's JSON, already decoded) into a Petition."""
    if not isinstance(doc, dict):
        raise PetitionError("not a petition document: expected a JSON object")
    data = doc.get("data")
    if not isinstance(data, dict):
        if isinstance(data, list):
            raise PetitionError("not a petition document: this is a list of petitions")
        raise PetitionError("not a petition document: no 'data' object")
    kind = data.get("type")
    if kind not in ("petition", "archived-petition", "archived_petition"):
        raise PetitionError(f"not a petition document: data.type is {kind!r}")
    attrs = data.get("attributes")
    if not isinstance(attrs, dict):
        raise PetitionError("not a petition document: no 'attributes' object")
    pid = _id(data.get("id"))
    for key in ("action", "signature_count"):
        if attrs.get(key) is None:
            raise PetitionError(f"petition {pid} has no '{key}'")
    links = doc.get("links")
    self_link = str(links.get("self") or "") if isinstance(links, dict) else ""
    signature_count = _int(attrs["signature_count"], "signature_count")
    state = _text(attrs.get("state"), "state") or "unknown"
    if attrs.get("signatures_by_constituency") is None and signature_count > 0 and state != "rejected":
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
        constituencies=_unique(tuple(
            ConstituencyCount(
                ons_code=_text(c["ons_code"], "constituency ons_code").strip().upper(),
                name=_text(c.get("name"), "constituency name") or _text(c["ons_code"], "constituency ons_code"),
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
                  https_url(value.get("video_url")), _text(value.get("overview"), "debate overview"))


def _rejection(value: Any) -> str | None:
    if isinstance(value, dict) and (value.get("code") or value.get("details")):
        return _text(value.get("details"), "rejection details") or _text(value.get("code"), "rejection code")
    return None


def _parliament(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("period") or value.get("name")
    return value if isinstance(value, str) and value else None
