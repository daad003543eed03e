"""The two Westminster constituency sets and how to tell which one a list of codes uses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

SETS = ("pcon2010", "pcon2024")

# ONS code ranges of each set (inclusive). The 2024 set uses N05 for Northern Ireland;
# five Scottish codes were kept unchanged in 2024 and so belong to both sets.
_RANGES: dict[str, list[tuple[str, int, int]]] = {
    "pcon2010": [("E14", 530, 1062), ("W07", 41, 80), ("S14", 1, 59), ("N06", 1, 18)],
    "pcon2024": [("E14", 1063, 1605), ("W07", 81, 112), ("S14", 60, 111), ("N05", 1, 18)],
}
SHARED_SCOTTISH = frozenset({"S14000021", "S14000027", "S14000045", "S14000048", "S14000051"})
NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}
# The 2024 general election (4 July 2024) is the first on the new boundaries.
_NEW_BOUNDARIES = datetime(2024, 7, 4).date()


def in_set(code: str, set_name: str) -> bool:
    """True when the ONS code is a constituency of the set."""
    if set_name == "pcon2024" and code in SHARED_SCOTTISH:
        return True
    prefix, number = code[:3], code[3:]
    if not number.isdigit():
        return False
    n = int(number)
    return any(prefix == p and lo <= n <= hi for p, lo, hi in _RANGES[set_name])


def detect_set(codes: Iterable[str], parliament: str | None = None, opened: datetime | None = None) -> str:
    """Decide the constituency set from the whole set of codes a petition carries.

    Codes that belong to only one set decide; the five shared Scottish codes cannot.
    With no deciding code, an archived document's parliament period or the opening date does.
    """
    votes = {name: 0 for name in SETS}
    for code in set(codes):
        members = _members(code)
        if len(members) == 1:
            votes[members[0]] += 1
    if votes["pcon2010"] != votes["pcon2024"]:
        return max(votes, key=lambda k: votes[k])
    if parliament:
        return "pcon2024" if parliament[:4] >= "2024" else "pcon2010"
    if opened is not None and opened.date() < _NEW_BOUNDARIES:
        return "pcon2010"
    return "pcon2024"


@lru_cache(maxsize=4096)
def _members(code: str) -> tuple[str, ...]:
    """The sets a code belongs to (a petition's 650 codes are looked up on every join)."""
    return tuple(name for name in SETS if in_set(code, name))


def nation_of(code: str) -> str:
    """England, Wales, Scotland or Northern Ireland, from the code's first letter."""
    return NATIONS.get(code[:1], "Unknown")


def region_name(label: str) -> str:
    """Region name from a hex layout's region label (an E12/W92/S92/N92 code or a 2-letter abbreviation)."""
    return _REGIONS.get(label, label)


_REGIONS = {
    "E12000001": "North East", "E12000002": "North West", "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands", "E12000005": "West Midlands", "E12000006": "East of England",
    "E12000007": "London", "E12000008": "South East", "E12000009": "South West",
    "W92000004": "Wales", "S92000003": "Scotland", "N92000002": "Northern Ireland",
    "NE": "North East", "NW": "North West", "YH": "Yorkshire and The Humber", "EM": "East Midlands",
    "WM": "West Midlands", "EA": "East of England", "LO": "London", "SE": "South East",
    "SW": "South West", "WA": "Wales", "SC": "Scotland", "NI": "Northern Ireland",
}
