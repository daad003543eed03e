"""Reference data for both constituency sets: fetched, validated, normalised and cached.

Order of sources for each dataset in data/manifest.json: the cache (data/cache/), then the
mirror folder in PETITIONMAP_MIRROR, then the official URL. Every file is validated on arrival;
a bad file is refused with a message naming what is wrong and any previous good copy is kept.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.reference.sets import SETS, in_set, nation_of, region_name
from petitions.settings import MIRROR_ENV, ROOT, current

MANIFEST = current().manifest
# Coverage simplification (Visvalingam-Whyatt on shared edges; the tolerance is the square root of
# the smallest triangle area kept, in degrees) and coordinate rounding (4 decimals, ~10 m). The ONS
# "BUC" layers are already ultra-generalised; this keeps a 650-seat map near 450 KB of GeoJSON.
SIMPLIFY_TOLERANCE = 0.012
DECIMALS = 4


class DataError(RuntimeError):
    """A dataset is missing or invalid; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Dataset:
    """One entry of the manifest."""

    id: str
    set: str
    kind: str
    format: str
    url: str
    licence: str
    attribution: str
    expected_count: int
    code_column: str
    mirror_path: str
    name_column: str | None = None
    value_column: str | None = None
    region_column: str | None = None
    encoding: str = "utf-8"
    corrections: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True, eq=False)  # one object per set: hashed and compared by identity
class ConstituencySet:
    """Everything known about one set's 650 constituencies, keyed by ONS code.

    `table` columns: ons_code, name, nation, region, population, electorate, hex_q, hex_r, geometry
    (coverage-simplified, EPSG:4326), sorted by ons_code.
    """

    name: str
    table: gpd.GeoDataFrame
    attribution: tuple[str, ...]


def manifest() -> list[Dataset]:
    """All datasets of the manifest."""
    raw = json.loads(MANIFEST.read_text(encoding="utf-8"))
    out = []
    for entry in raw["datasets"]:
        fields = {k: v for k, v in entry.items() if k in Dataset.__dataclass_fields__}
        fields["corrections"] = tuple(entry.get("corrections", ()))
        out.append(Dataset(**fields))
    return out


ESTIMATE_NOTE = ("Estimated onto the boundaries from 2024 from counts on the 2010–2024 boundaries, sharing each old "
                 "seat's signatures among the new seats by where its residents live (mySociety's population-weighted "
                 "overlap lookup, CC BY 4.0); not counted by petition.parliament.uk.")


def attribution(cset: ConstituencySet, *, estimated: bool = False, lookup: bool = False) -> list[str]:
    """Sources and licences of a petition drawn on `cset`, one line each: how it was estimated (when it was), the
    petition data, the set's boundaries, population and hexmap, and (with `lookup`) the 2010 ↔ 2024 lookup."""
    petitions = json.loads(MANIFEST.read_text(encoding="utf-8"))["petition_attribution"]
    return ([ESTIMATE_NOTE] if estimated else []) + [petitions, *cset.attribution] + (
        [dataset("pcon2010", "lookup").attribution] if lookup else [])


def dataset(set_name: str, kind: str) -> Dataset:
    """The manifest entry for a set and kind ('boundaries', 'hexmap', 'population', 'electorate')."""
    for ds in manifest():
        if ds.set == set_name and ds.kind == kind:
            return ds
    raise DataError(f"no {kind} dataset for {set_name} in {MANIFEST.name}")


def cache_dir() -> Path:
    """Folder of normalised datasets (git-ignored)."""
    return current().cache


def ensure(ds: Dataset, *, refresh: bool = False, download: Callable[[Dataset], bytes] | None = None) -> Path:
    """Path of the dataset's normalised cache file, filling the cache when needed."""
    target = cache_dir() / f"{ds.id}.parquet"
    if target.exists() and not refresh:
        return target
    raw, origin = _fetch(ds, download)
    try:
        frames = _normalise(ds, raw)
    except DataError as exc:
        keep = " (the previous good copy is kept)" if target.exists() else ""
        raise DataError(f"{origin} refused: {exc}{keep}") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix, frame in frames.items():
        _atomic_parquet(frame, cache_dir() / f"{ds.id}{suffix}.parquet")
    return target


def fill_cache(refresh: bool = False, log: Callable[[str], None] = print) -> None:
    """Fetch every dataset of the manifest (the `make data` step)."""
    for ds in manifest():
        path = ensure(ds, refresh=refresh)
        log(f"{ds.id}: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


@lru_cache(maxsize=4)
def load_set(set_name: str) -> ConstituencySet:
    """Load a constituency set from the cache (filling it first if empty)."""
    if set_name not in SETS:
        raise DataError(f"unknown constituency set {set_name!r}; expected one of {', '.join(SETS)}")
    table = gpd.read_parquet(ensure(dataset(set_name, "boundaries")))
    hexes = pd.read_parquet(ensure(dataset(set_name, "hexmap")))
    population = pd.read_parquet(ensure(dataset(set_name, "population")))
    electorate = pd.read_parquet(ensure(dataset(set_name, "electorate")))
    for extra in (hexes, population, electorate):
        table = table.merge(extra, on="ons_code", how="left", validate="one_to_one")
    table["nation"] = table["ons_code"].map(nation_of)
    table["region"] = table["region"].fillna(table["nation"])
    table = table[["ons_code", "name", "nation", "region", "population", "electorate", "hex_q", "hex_r",
                   "geometry"]].sort_values("ons_code", ignore_index=True)
    attribution = tuple(dict.fromkeys(dataset(set_name, k).attribution
                                      for k in ("boundaries", "population", "hexmap")))
    return ConstituencySet(set_name, gpd.GeoDataFrame(table, geometry="geometry", crs="EPSG:4326"), attribution)


def load_full_boundaries(set_name: str) -> gpd.GeoDataFrame:
    """The unsimplified boundaries (ons_code, name, geometry), for exports."""
    path = ensure(dataset(set_name, "boundaries")).with_name(f"{set_name}-boundaries-full.parquet")
    return gpd.read_parquet(path)


# --- fetching -----------------------------------------------------------------------------------

def _fetch(ds: Dataset, download: Callable[[Dataset], bytes] | None) -> tuple[bytes, str]:
    mirror = current().mirror
    if mirror is not None:
        path = mirror / ds.mirror_path
        if path.is_file():
            return path.read_bytes(), str(path)
    return (download or _download)(ds), ds.url


def _download(ds: Dataset) -> bytes:
    import httpx

    chunks: list[bytes] = []
    try:
        with httpx.stream("GET", ds.url, timeout=60, follow_redirects=True) as response:
            response.raise_for_status()
            total = int(response.headers.get("content-length") or 0)
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                _progress(ds.id, sum(map(len, chunks)), total)
    except httpx.HTTPError as exc:
        raise DataError(f"cannot download {ds.id} from {ds.url}: {exc.__class__.__name__}; "
                        f"set {MIRROR_ENV} to a mirror folder to work offline") from None
    print(file=sys.stderr)
    return b"".join(chunks)


def _progress(name: str, done: int, total: int) -> None:
    if total:
        filled = int(30 * done / total)
        print(f"\r{name} [{'#' * filled}{'.' * (30 - filled)}] {done / 1e6:.1f} MB", end="", file=sys.stderr)
    else:
        print(f"\r{name} {done / 1e6:.1f} MB", end="", file=sys.stderr)


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


# --- validation and normalisation -----------------------------------------------------------------

def _normalise(ds: Dataset, raw: bytes) -> dict[str, pd.DataFrame]:
    """Validate a downloaded file and turn it into cache frames {file suffix: frame}."""
    if ds.kind == "boundaries":
        full = _boundaries(ds, raw)
        simple = full.copy()
        simple["geometry"] = simplify_coverage(full.geometry.values)
        return {"": simple, "-full": full}
    if ds.kind == "hexmap":
        return {"": _hexmap(ds, raw)}
    if ds.kind == "lookup":
        return {"": _lookup(ds, raw)}
    return {"": _values(ds, raw)}


def simplify_coverage(geoms: Any, tolerance: float = SIMPLIFY_TOLERANCE, decimals: int = DECIMALS) -> Any:
    """Simplify polygons as one coverage (shared edges stay shared) and round coordinates."""
    simple = shapely.coverage_simplify(np.asarray(geoms), tolerance)
    # Snapping to the grid (rather than rounding) keeps every shape valid; shared vertices snap alike.
    return plotly_ready(shapely.set_precision(simple, 10.0 ** -decimals))


def plotly_ready(geoms: Any) -> Any:
    """Drop zero-area parts and wind every exterior ring clockwise.

    Plotly draws with d3-geo, which reads a counter-clockwise exterior ring as the whole globe
    except that polygon (a map flooded in one colour); simplification can flip a few rings.
    """
    parts, index = shapely.get_parts(np.asarray(geoms), return_index=True)
    keep = shapely.area(parts) > 0
    merged = shapely.multipolygons(parts[keep], indices=index[keep])
    return shapely.orient_polygons(merged, exterior_cw=True)


def _boundaries(ds: Dataset, raw: bytes) -> gpd.GeoDataFrame:
    try:
        frame = gpd.read_file(io.BytesIO(raw))
    except Exception as exc:  # pyogrio raises several types for unreadable input
        raise DataError(f"not a readable GeoJSON file ({exc.__class__.__name__})") from None
    _require(frame, [ds.code_column, ds.name_column or ds.code_column])
    if frame.crs is None:
        raise DataError("the file has no CRS")
    if frame.crs.to_epsg() != 4326 and not frame.crs.equals("OGC:CRS84"):
        frame = frame.to_crs("EPSG:4326")
    frame = frame.set_crs("EPSG:4326", allow_override=True)
    if frame.geometry.isna().any() or frame.geometry.is_empty.any():
        raise DataError("some constituencies have no geometry")
    out = gpd.GeoDataFrame({"ons_code": frame[ds.code_column].astype(str).str.strip(),
                            "name": frame[ds.name_column].astype(str)},
                           geometry=plotly_ready(shapely.make_valid(frame.geometry.values)), crs="EPSG:4326")
    _check_codes(ds, out["ons_code"])
    return out.sort_values("ons_code", ignore_index=True)


def _hexmap(ds: Dataset, raw: bytes) -> pd.DataFrame:
    try:
        doc = json.loads(raw)
        hexes = doc["hexes"]
        layout = doc.get("layout")
    except (ValueError, KeyError, TypeError):
        raise DataError("not a HexJSON document (no 'hexes')") from None
    if layout != "odd-r":
        raise DataError(f"hex layout is {layout!r}; expected 'odd-r'")
    rows = [{"ons_code": code.strip(), "hex_q": int(h["q"]), "hex_r": int(h["r"]),
             "region": region_name(str(h.get(ds.region_column or "", "")))} for code, h in hexes.items()]
    frame = pd.DataFrame(rows)
    _check_codes(ds, frame["ons_code"])
    if frame.duplicated(["hex_q", "hex_r"]).any():
        raise DataError("two constituencies share a hex")
    frame["region"] = frame["region"].replace("", None)
    return frame


def _values(ds: Dataset, raw: bytes) -> pd.DataFrame:
    try:
        frame = pd.read_csv(io.BytesIO(raw), encoding=ds.encoding, dtype={ds.code_column: str})
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataError(f"not a readable CSV file ({exc.__class__.__name__})") from None
    _require(frame, [ds.code_column, ds.value_column or ""])
    frame[ds.code_column] = frame[ds.code_column].astype(str).str.strip()
    frame = frame.drop_duplicates()  # the 2024 electorate file repeats whole rows
    for fix in ds.corrections:
        wrong = (frame[ds.code_column] == fix["from"]) & (frame[ds.name_column or ""] == fix["name"])
        frame.loc[wrong, ds.code_column] = fix["to"]
    values = pd.to_numeric(frame[ds.value_column].astype(str).str.replace(",", ""), errors="coerce")
    out = pd.DataFrame({"ons_code": frame[ds.code_column], ds.kind: values})
    out = out[out["ons_code"].map(lambda c: in_set(c, ds.set))]
    _check_codes(ds, out["ons_code"])
    if out[ds.kind].isna().any() or (out[ds.kind] <= 0).any():
        bad = out.loc[out[ds.kind].isna() | (out[ds.kind] <= 0), "ons_code"].tolist()[:3]
        raise DataError(f"column {ds.value_column!r} has missing or non-positive values (e.g. {bad})")
    out[ds.kind] = out[ds.kind].astype("int64")
    return out.reset_index(drop=True)


def _lookup(ds: Dataset, raw: bytes) -> pd.DataFrame:
    """A lookup between sets, kept as text (crosswalk.py reads the numbers): every code of its set once."""
    try:
        frame = pd.read_csv(io.BytesIO(raw), encoding=ds.encoding, dtype=str)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataError(f"not a readable CSV file ({exc.__class__.__name__})") from None
    _require(frame, [ds.code_column, ds.name_column or "", ds.value_column or ""])
    frame[ds.code_column] = frame[ds.code_column].str.strip()
    _check_codes(ds, frame[ds.code_column].drop_duplicates())
    return frame.reset_index(drop=True)


def _require(frame: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c and c not in frame.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}")


def _check_codes(ds: Dataset, codes: pd.Series) -> None:
    dupes = codes[codes.duplicated()].unique().tolist()
    if dupes:
        raise DataError(f"duplicate codes {', '.join(dupes[:3])}")
    foreign = [c for c in codes if not in_set(c, ds.set)]
    if foreign:
        raise DataError(f"{len(foreign)} code(s) not in {ds.set} (e.g. {', '.join(foreign[:3])})")
    if len(codes) != ds.expected_count:
        raise DataError(f"{len(codes)} constituencies; expected {ds.expected_count}")
