"""Benchmark the campaigners' pieces: python -m benchmarks.bench_campaign

Server time of the Compare page's core (241584 against 239406 on one set, and 700143 against 239406 across the
boundary change), the 1200 x 630 share card (SVG, and PNG through resvg), and live mode's "gaining most in the
last hour" over a store holding a day of fetches every minute. Real petitions from the data mirror
(PETITIONMAP_MIRROR); medians of --repeat runs, side by side.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from benchmarks import median_ms
from geo.analysis.compare import Side, align, compare, correlation, difference_layer, index_layers, scatter, strongest
from geo.analysis.join import join_petition, petition_set
from geo.reference.crosswalk import load_crosswalk
from geo.reference.datasets import load_set
from geo.render.card import card_png, card_svg
from petitions.live import gainers, hour_apart
from petitions.model import read_petition_file
from petitions.store import open_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_campaign", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--fetches", type=int, default=1440, help="stored fetches of the live petition")
    args = parser.parse_args(argv)
    folder = Path(os.environ.get("PETITIONMAP_MIRROR") or Path(__file__).resolve().parents[2] / "shared" / "data")
    docs = {pid: read_petition_file(folder / "petitions" / f"{pid}.json") for pid in (239406, 700143)}
    docs[241584] = read_petition_file(sorted((folder / "petitions" / "241584").glob("*.json"))[-1])
    joined = {pid: join_petition(p, load_set(petition_set(p))) for pid, p in docs.items()}
    walk = load_crosswalk()
    sets = {name: load_set(name).table.set_index("ons_code") for name in ("pcon2010", "pcon2024")}

    def side(pid: int) -> Side:
        r = joined[pid]
        return Side(str(pid), r.table.set_index("ons_code")["signatures"], r.cset)

    def page(a: int, b: int):
        counts_a, counts_b, cset, _ = align(side(a), side(b), walk)
        table = compare(counts_a, counts_b, sets[cset.name]["population"])
        codes = sorted(table.index)
        r = correlation(table["per_1000_a"], table["per_1000_b"])
        return (index_layers(table, codes, ("A", "B")), difference_layer(table, codes, "A", "B"),
                scatter(table, sets[cset.name]["name"], "A", "B", r), strongest(table))

    rows = {"compare 241584 vs 239406 (one set)": median_ms(lambda: page(241584, 239406), args.repeat),
            "compare 700143 vs 239406 (estimated across sets)": median_ms(lambda: page(700143, 239406), args.repeat),
            "share card SVG (700143)": median_ms(lambda: card_svg(joined[700143]), args.repeat),
            "share card PNG (700143)": median_ms(lambda: card_png(joined[700143]), args.repeat)}
    p = docs[700143]
    counts = [(c.ons_code, c.signature_count) for c in p.constituencies]
    rng = np.random.default_rng(5)
    start = datetime(2024, 11, 24, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "live.sqlite")
        with store.batch():
            for i in range(args.fetches):  # a fetch a minute; a few seats move each time
                counts = [(c, n + int(rng.poisson(0.3))) for c, n in counts]
                when = start + timedelta(minutes=i)
                store.add_snapshot(p.id, fetched_at=when, updated_at=when, signature_count=p.signature_count + i,
                                   constituencies=counts)

        def last_hour():
            pair = hour_apart(store.snapshots(p.id))
            return gainers(store.counts(p.id, list(pair)), *pair) if pair else None

        rows[f"live: seats gaining most in the last hour ({args.fetches:,} stored fetches)"] = \
            median_ms(last_hour, args.repeat)
        store.close()
    for key, ms in rows.items():
        print(f"{key:74} {ms:>8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
