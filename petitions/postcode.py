"""Postcode → constituency through petition.parliament.uk's own "petitions local to you" lookup.

The official site answers GET /petitions/local?postcode=SW1A1AA with a redirect to /petitions/local/<slug>,
the slug of the constituency's name (geo.analysis.across.local_slug); an unknown postcode gets a page and no redirect.
"""

from __future__ import annotations

import re

import httpx

from petitions.api import HOST, Unreachable, default_client
from petitions.model import SITE, PetitionError

# A UK postcode: outward code (area, district) and inward code (sector, unit); spaces optional.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_LOCAL = re.compile(r"^/petitions/local/([a-z0-9-]+)/?$")


def normalise_postcode(text: str) -> str:
    """'sw1a 1aa' → 'SW1A1AA'; anything that is not a UK postcode is refused, naming it."""
    plain = " ".join(str(text).upper().split())
    match = _POSTCODE.match(plain) or _POSTCODE.match(plain.replace(" ", ""))
    if not match:
        raise PetitionError(f"not a UK postcode: {str(text)[:20]!r} (e.g. SW1A 1AA)")
    return match.group(1) + match.group(2)


def postcode_slug(postcode: str, client: httpx.Client | None = None, timeout: float = 5.0) -> str | None:
    """The slug of the constituency the official site finds for a postcode; None when it finds none.
    Raises Unreachable when the site cannot be reached (offline)."""
    code = normalise_postcode(postcode)
    client = client or default_client()
    try:
        response = client.get(f"{SITE}/petitions/local", params={"postcode": code}, follow_redirects=False,
                              timeout=timeout)
    except httpx.HTTPError as exc:
        raise Unreachable(f"{HOST} cannot be reached to look the postcode up ({type(exc).__name__})") from None
    if response.status_code in (301, 302, 303, 307, 308):
        where = httpx.URL(response.headers.get("location", ""))
        match = _LOCAL.match(where.path)
        if match and (not where.host or where.host in (HOST, response.request.url.host)):
            return match.group(1)
        raise PetitionError(f"{HOST} answered the postcode lookup with an unexpected address")
    if response.status_code >= 500:
        raise Unreachable(f"{HOST} could not look the postcode up (HTTP {response.status_code})")
    return None
