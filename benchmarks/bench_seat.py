"""Benchmark the Constituency page's seat profile: python -m benchmarks.bench_seat

One 2024 seat over a corpus of 30,000 petitions (half on the 2010 boundaries, estimated onto the seat through
the overlap lookup; half on the 2024 boundaries), each with a count in every seat: the store's queries (the
seat and its predecessors), the statistics (geo/unusual.py) and the three lists, as the page's server time
before drawing. Synthetic counts generated here (SQLite, bulk-loaded as a backfill leaves it); the real lookup
comes from the data mirror (PETITIONMAP_MIRROR). Medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks import median_ms
from benchmarks.bench_store import corpus
from geo.crosswalk import load_crosswalk
from geo.datasets import load_set
from geo.seat import filter_rows, seat_corpus, seat_profile
from petitions.store import open_store

SEAT = "E14001131"  # Bristol Central: made from Bristol West
SPLIT = "E14001582"  # a 2024 seat made from parts of six 2010 seats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_seat", description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    walk = load_crosswalk()
    table = load_set("pcon2024").table
    half = args.petitions // 2
    sets = {pid: "pcon2024" if pid <= half else "pcon2010" for pid in range(1, args.petitions + 1)}
    rng = np.random.default_rng(3)
    facts = pd.DataFrame({"petition_id": list(sets), "parliament": ["2024–" if s == "pcon2024" else "2019–2024"
                                                                    for s in sets.values()],
                          "states": [("closed",)] * len(sets),
                          "departments": [(f"Department {i}",) for i in rng.integers(0, 20, len(sets))],
                          "topics": [(f"Topic {i}",) for i in rng.integers(0, 40, len(sets))]})
    rows: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "corpus.sqlite")
        loaded = corpus(store, half, codes=sorted(set(walk.pairs["new"])))
        loaded += corpus(store, args.petitions - half, seed=10, codes=sorted(set(walk.pairs["old"])), start=half + 1)
        for seat in (SEAT, SPLIT):
            def profile(seat: str = seat):
                found = seat_corpus(store.latest_counts_for, seat, "pcon2024", walk, sets, store.weighted_latest)
                p = seat_profile(found, seat, "pcon2024", table, facts)
                shown = filter_rows(p.rows)
                return p.most_signed(shown), p.popular(shown), p.unpopular(shown)

            ms = median_ms(profile, args.repeat)
            parts = len(walk.weights_into(seat, "pcon2024"))
            rows[f"seat profile, {args.petitions:,} petitions, {seat} ({parts} predecessor(s))"] = f"{ms:.0f} ms"
        found = seat_corpus(store.latest_counts_for, SPLIT, "pcon2024", walk, sets, store.weighted_latest)
        rows["statistics alone (geo.unusual via seat_profile)"] = \
            f"{median_ms(lambda: seat_profile(found, SPLIT, 'pcon2024', table, facts), args.repeat):.0f} ms"
        rows["store query, one seat"] = f"{median_ms(lambda: store.latest_counts_for(SEAT), args.repeat):.0f} ms"
        store.close()
    for key, value in rows.items():
        print(f"{key:74} {value:>10}")
    print(f"(corpus loaded in {loaded:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
