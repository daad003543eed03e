"""One constituency across many petitions: where it signs most, and what is unusually popular there."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import geopandas as gpd
import pandas as pd
import shapely

from geo.join import join_petition
from petitions.model import Petition

COLUMNS = ["id", "action", "state", "signatures", "per_1000", "index", "rank", "of", "total", "source"]


def constituency_across(petitions: Iterable[tuple[Petition, str]], code: str) -> pd.DataFrame:
    """This constituency's figures in each petition whose constituency set contains it.

    `petitions` pairs each petition with a phrase naming where it came from. Sorted by signatures.
    """
    rows = []
    for petition, source in petitions:
        table = join_petition(petition).table
        match = table[table["ons_code"] == code]
        if match.empty:
            continue
        row = match.iloc[0]
        rows.append({"id": petition.id, "action": petition.action, "state": petition.state,
                     "signatures": int(row["signatures"]), "per_1000": float(row["per_1000"]),
                     "index": float(row["index"]), "rank": int(row["rank"]), "of": len(table),
                     "total": petition.signature_count, "source": source})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values("signatures", ascending=False, ignore_index=True)


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
