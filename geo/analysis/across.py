"""Where a constituency sits: its neighbours, and its page on petition.parliament.uk."""

from __future__ import annotations

import re
import unicodedata

import geopandas as gpd
import shapely


def neighbours(table: gpd.GeoDataFrame, code: str) -> list[str]:
    """ONS codes of the constituencies that share a boundary with this one (itself first)."""
    rows = table.set_index("ons_code")
    if code not in rows.index:
        raise KeyError(f"{code} is not in this constituency set")
    shape = rows.geometry.loc[code]
    # Coverage-simplified edges are shared exactly; a hair of tolerance covers the rounding.
    hits = table.geometry.sindex.query(shapely.buffer(shape, 1e-4), predicate="intersects")
    others = [c for c in table["ons_code"].iloc[hits] if c != code]
    return [code, *sorted(others)]


def local_slug(name: str) -> str:
    """The slug of a constituency's local page on petition.parliament.uk ("Brighton, Pavilion" → brighton-pavilion)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()  # Môn → Mon
    return re.sub(r"[^a-z0-9]+", "-", plain.lower().replace("&", "and")).strip("-")
