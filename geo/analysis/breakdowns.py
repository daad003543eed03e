"""Breakdowns of a petition: by nation, by region and from abroad by country."""

from __future__ import annotations

import pandas as pd

from geo.analysis.metrics import per_1000
from petitions.model import Petition

UK_CODE = "GB"  # signatures_by_country lists the United Kingdom itself under GB


def by_nation(table: pd.DataFrame) -> pd.DataFrame:
    """Signatures and per 1,000 residents for England, Scotland, Wales and Northern Ireland."""
    return _aggregate(table, "nation")


def by_region(petition: Petition, table: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Per region: the document's own `signatures_by_region` when present, else summed from constituencies.

    Returns the table and a phrase naming the source.
    """
    summed = _aggregate(table, "region")
    if not petition.regions:
        return summed, "summed from the constituencies"
    official = pd.DataFrame({"key": [_key(r.name) for r in petition.regions],
                             "official": [r.signature_count for r in petition.regions]})
    merged = summed.assign(key=summed["region"].map(_key)).merge(official, on="key", how="left")
    merged["signatures"] = merged["official"].fillna(merged["signatures"]).astype("int64")
    merged["per_1000"] = per_1000(merged["signatures"], merged["population"])
    out = merged.drop(columns=["key", "official"]).sort_values("signatures", ascending=False, ignore_index=True)
    return out, "from petition.parliament.uk's regional counts"


def abroad(petition: Petition) -> pd.DataFrame:
    """Signatures from outside the UK, by country, most first."""
    rows = [(c.name, c.code, c.signature_count) for c in petition.countries if c.code != UK_CODE]
    frame = pd.DataFrame(rows, columns=["country", "code", "signatures"])
    return frame.sort_values(["signatures", "country"], ascending=[False, True], ignore_index=True)


def totals(petition: Petition) -> dict[str, int]:
    """Where the signature count goes: constituencies, UK but unmatched, abroad."""
    abroad_total = sum(c.signature_count for c in petition.countries if c.code != UK_CODE)
    in_constituencies = petition.constituency_total
    return {"total": petition.signature_count, "constituencies": in_constituencies, "abroad": abroad_total,
            "unmatched": max(petition.signature_count - in_constituencies - abroad_total, 0)}


def _aggregate(table: pd.DataFrame, column: str) -> pd.DataFrame:
    out = table.groupby(column, as_index=False)[["signatures", "population"]].sum()
    out["per_1000"] = per_1000(out["signatures"], out["population"])
    return out.sort_values("signatures", ascending=False, ignore_index=True)


def _key(name: str) -> str:
    return name.lower().replace(" the ", " ").strip()
