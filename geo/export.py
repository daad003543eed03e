"""Exports of a joined petition: CSV, GeoJSON and map pictures; also the command line.

    python -m geo.export SOURCE --csv OUT.csv [--geojson OUT.geojson] [--png OUT.png]

SOURCE is a petition number, a petition.parliament.uk URL or a local JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.analysis.join import JoinResult, join_petition, petition_set
from geo.labels import csv_safe
from geo.reference.datasets import DataError, attribution, load_full_boundaries, load_set
from petitions.command import USAGE, Parser, fail
from petitions.loader import load
from petitions.model import PetitionError

CSV_COLUMNS = ["ons_code", "name", "mp", "signatures", "population", "per_1000", "share", "index", "rank"]
EXTRA_COLUMNS = ["rank_rate", "nation", "region", "electorate"]


def export_table(result: JoinResult) -> pd.DataFrame:
    """One row per constituency of the set, sorted by ons_code, export columns first."""
    table = pd.DataFrame(result.table.drop(columns="geometry"))
    table = table[CSV_COLUMNS + EXTRA_COLUMNS].sort_values("ons_code", ignore_index=True)
    if result.estimated_from:  # every figure of every row is an estimate, and says so
        table["estimated_from"] = result.estimated_from
    return table


def attribution_line(result: JoinResult) -> str:
    """The attribution of an export on one line (and, for an estimate, how it was estimated)."""
    return " | ".join(attribution(result.cset, estimated=bool(result.estimated_from)))


def to_csv_bytes(result: JoinResult) -> bytes:
    """The CSV export as bytes; the last column carries the attribution (first row only)."""
    table = export_table(result)
    table["attribution"] = [attribution_line(result)] + [""] * (len(table) - 1)
    return csv_safe(table).to_csv(index=False, float_format="%.6g").encode("utf-8")


def to_geojson_bytes(result: JoinResult) -> bytes:
    """The GeoJSON export (unsimplified boundaries) as bytes."""
    full = load_full_boundaries(result.cset.name)[["ons_code", "geometry"]]
    frame = gpd.GeoDataFrame(export_table(result).merge(full, on="ons_code", how="left"),
                             geometry="geometry", crs="EPSG:4326")
    doc = json.loads(frame.to_json(drop_id=True))
    doc["attribution"] = attribution_line(result)  # a GeoJSON foreign member, kept by most tools
    return json.dumps(doc, separators=(",", ":")).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (1 for bad input, 2 for bad usage)."""
    parser = Parser(prog="python -m geo.export", description=(__doc__ or "").splitlines()[0])
    arguments(parser)
    return run(parser.parse_args(argv))


def arguments(parser: argparse.ArgumentParser) -> None:
    """The export's arguments (also `petitionmap export`)."""
    parser.add_argument("source", help="petition number, petition.parliament.uk URL, or JSON file")
    parser.add_argument("--csv", type=Path, help="write the table as CSV")
    parser.add_argument("--geojson", type=Path, help="write the table with boundaries as GeoJSON")
    parser.add_argument("--png", type=Path, help="write a picture of the map as PNG")
    parser.add_argument("--metric", default="signatures", choices=["signatures", "per_1000", "index"])
    parser.add_argument("--view", default="map", choices=["map", "hex"])


def run(args: argparse.Namespace) -> int:
    """Write the exports the parsed arguments ask for."""
    if not (args.csv or args.geojson or args.png):
        return fail("say what to write: --csv, --geojson and/or --png", USAGE)
    try:
        loaded = load(args.source, files=True)
        petition = loaded.petition
        result = join_petition(petition, load_set(petition_set(petition)))
        outputs: list[tuple[Path, Callable[[], bytes]]] = []
        if args.csv:
            outputs.append((args.csv, lambda: to_csv_bytes(result)))
        if args.geojson:
            outputs.append((args.geojson, lambda: to_geojson_bytes(result)))
        if args.png:
            from geo.render.pictures import map_image

            outputs.append((args.png, lambda: map_image(result, args.metric, view=args.view)))
        payloads = [(path, make()) for path, make in outputs]  # build all before writing any
    except (PetitionError, DataError, OSError) as exc:
        return fail(str(exc))
    print(f"petition {petition.id}: {petition.action}")
    if loaded.note:
        print(loaded.note)
    print(f"constituency set: {result.set_name} ({len(result.table)} constituencies, "
          f"{result.total:,} signatures in constituencies)")
    print("unmatched codes: " + (", ".join(result.unmatched) if result.unmatched else "none"))
    for path, payload in payloads:
        try:
            _atomic_write(path, payload)
        except OSError as exc:
            return fail(f"cannot write {path}: {exc.strerror or exc}")
        print(f"wrote {path}")
    return 0


def _atomic_write(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)  # a failed write leaves no temporary file behind


if __name__ == "__main__":
    sys.exit(main())
