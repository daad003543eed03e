"""Typed model of a petition document from petition.parliament.uk."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

RESPONSE_THRESHOLD = 10_000  # signatures for a Government response
DEBATE_THRESHOLD = 100_000  # signatures for Parliament to consider a debate
SITE = "https://petition.parliament.uk"


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
    try:
        pid = int(data["id"])
    except (KeyError, TypeError, ValueError):
        raise PetitionError("not a petition document: data.id is missing or not a number") from None
    for key in ("action", "signature_count"):
        if attrs.get(key) is None:
            raise PetitionError(f"petition {pid} has no '{key}'")
    self_link = str((doc.get("links") or {}).get("self") or "")
    return Petition(
        id=pid,
        action=str(attrs["action"]).strip(),
        background=attrs.get("background") or "",
        additional_details=attrs.get("additional_details") or "",
        state=attrs.get("state") or "unknown",
        signature_count=_int(attrs["signature_count"], "signature_count"),
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
        constituencies=tuple(
            ConstituencyCount(
                ons_code=str(c["ons_code"]).strip().upper(),
                name=str(c.get("name") or c["ons_code"]),
                mp=c.get("mp") or None,
                signature_count=_int(c.get("signature_count"), "constituency signature_count"),
            )
            for c in _list(attrs, "signatures_by_constituency")
        ),
        countries=tuple(
            CountryCount(str(c.get("code") or ""), str(c.get("name") or c.get("code")),
                         _int(c.get("signature_count"), "country signature_count"))
            for c in _list(attrs, "signatures_by_country")
        ),
        regions=tuple(
            RegionCount(str(c.get("ons_code") or ""), str(c.get("name") or ""),
                        _int(c.get("signature_count"), "region signature_count"))
            for c in _list(attrs, "signatures_by_region")
        ),
        raw=doc,
    )


def read_petition_file(path: str | Path) -> Petition:
    """Read a petition JSON file from disk."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise PetitionError(f"cannot read {p}: {exc.strerror or exc}") from None
    return parse_petition_text(text, origin=str(p))


def parse_petition_text(text: str, origin: str = "document") -> Petition:
    """Decode JSON text and parse it; truncated or invalid JSON gives a one-line error."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PetitionError(f"{origin} is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    return parse_petition(doc)


def _list(attrs: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = attrs.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise PetitionError(f"'{key}' is not a list of objects")
    if key == "signatures_by_constituency" and any("ons_code" not in v for v in value):
        raise PetitionError("'signatures_by_constituency' has an entry without 'ons_code'")
    return value


def _int(value: Any, what: str) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise PetitionError(f"{what} is not a number: {value!r}") from None
    if n < 0:
        raise PetitionError(f"{what} is negative: {n}")
    return n


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
    return GovernmentResponse(_date(value.get("responded_on")), value.get("summary") or "",
                              value.get("details") or "")


def _debate(value: Any) -> Debate | None:
    if not isinstance(value, dict) or not any(value.values()):
        return None
    return Debate(_date(value.get("debated_on")), value.get("transcript_url"),
                  value.get("video_url"), value.get("overview") or "")


def _rejection(value: Any) -> str | None:
    if isinstance(value, dict) and (value.get("code") or value.get("details")):
        return value.get("details") or value.get("code")
    return None


def _parliament(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("period") or value.get("name")
    return str(value) if value else None
