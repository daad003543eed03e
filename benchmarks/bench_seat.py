"""Benchmark the Constituency page's seat profile: python -m benchmarks.bench_seat

One 2024 seat over a corpus of 30,000 petitions (half on the 2010 boundaries, estimated onto the seat through
the overlap lookup; half on the 2024 boundaries), each with a count in every seat, as the page's server work
before drawing: the petitions' facts for the filters, every seat's sums (the comparisons), the store's queries
for the seat and its predecessors, the statistics (geo/analysis/unusual.py), the three lists and the similar seats.

Before and after, side by side in one run: before, the facts came from parsing every stored document and the
sums from a scan of every latest count; after, both are tables the store keeps as it writes. Parsing documents
is timed on --documents real documents (the mirror's petition 550951 stored under that many ids) and scaled
to the corpus, since 30,000 stored documents would take hours to write here. Synthetic counts generated here
(SQLite, bulk-loaded as a backfill leaves it); the real lookup comes from the data mirror (PETITIONMAP_MIRROR).
Medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks import median_ms, mirror
from benchmarks.bench_store import corpus
from geo.analysis.seat import filter_rows, petition_sets, profile_of_store, signing_matrix, similar_seats
from geo.reference.crosswalk import load_crosswalk
from geo.reference.datasets import load_set
from petitions.model import parse_petition, read_petition_file
from petitions.store import CONSTITUENCY, SQLStore, open_store

SEAT = "E14001131"  # Bristol Central: made from Bristol West
SPLIT = "E14001582"  # a 2024 seat made from parts of six 2010 seats
OLD_SUMS = """SELECT c.code, SUM(l.signature_count) FROM latest l JOIN codes c ON c.id = l.code_id
              WHERE c.kind = ? GROUP BY c.code"""  # code_totals before the store kept the sums


def put_facts(store: SQLStore, sets: dict[int, str], seed: int = 3) -> None:
    """The facts a backfill's add() leaves for each petition (bulk-loaded, as the counts are)."""
    rng = np.random.default_rng(seed)
    departments, topics = rng.integers(0, 20, len(sets)), rng.integers(0, 40, len(sets))
    with store._write() as db:
        db.many("""INSERT INTO petition_facts (petition_id, title, parliament, states, departments, topics,
                   updated_at, fetched_at) VALUES (?, ?, ?, 'closed', ?, ?, '2020-01-01T00:00:00+00:00',
                   '2020-01-01T00:00:00+00:00')""",
                [(pid, f"Petition {pid}", "2024–" if s == "pcon2024" else "2019–2024", f"Department {d}",
                  f"Topic {t}") for (pid, s), d, t in zip(sets.items(), departments, topics)])
    store.refresh_seat_tables()  # the sums of the bulk-loaded counts


def parse_ms_per_document(folder: Path, documents: int, repeat: int) -> float:
    """Milliseconds per petition of the old facts path: read each stored document back and parse it."""
    store = open_store(folder / "documents.sqlite")
    real = read_petition_file(mirror() / "petitions" / "550951.json")
    with store.batch():
        for pid in range(1, documents + 1):
            store.add(replace(real, id=pid), datetime(2024, 1, 1, tzinfo=UTC))

    def facts() -> list[tuple]:
        out = []
        for pid in store.petitions()["id"]:
            saved = store.latest_document(int(pid))
            assert saved is not None, "every petition here was stored with its document"
            p = parse_petition(saved[0])
            out.append((p.id, p.action, p.parliament_period, p.state, tuple(d.name for d in p.departments), p.topics))
        return out

    ms = median_ms(facts, repeat)
    store.close()
    return ms / documents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_seat", description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=30_000)
    parser.add_argument("--documents", type=int, default=300, help="documents parsed to time the old facts path")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    walk = load_crosswalk()
    table = load_set("pcon2024").table
    half = args.petitions // 2
    sets = {pid: "pcon2024" if pid <= half else "pcon2010" for pid in range(1, args.petitions + 1)}
    rows: dict[str, tuple[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "corpus.sqlite")
        loaded = corpus(store, half, codes=sorted(set(walk.pairs["new"])))
        loaded += corpus(store, args.petitions - half, seed=10, codes=sorted(set(walk.pairs["old"])), start=half + 1)
        put_facts(store, sets)

        def facts_table() -> pd.DataFrame:
            facts = store.petition_facts()
            facts["set"] = petition_sets(facts["parliament"])
            return facts

        facts = facts_table()
        parse = parse_ms_per_document(Path(tmp), args.documents, max(1, args.repeat // 5)) * args.petitions
        table_ms = median_ms(facts_table, args.repeat)
        rows["petition facts for the filters"] = (f"{parse:.0f} ms", f"{table_ms:.0f} ms")
        scan = median_ms(lambda: store._rows(OLD_SUMS, (CONSTITUENCY,)), max(1, args.repeat // 5))
        sums = median_ms(store.code_totals, args.repeat)
        rows["every seat's sums (comparisons on one scale)"] = (f"{scan:.0f} ms", f"{sums:.1f} ms")
        def matrix() -> pd.DataFrame:  # once per boundary set (the page caches it), not per seat
            totals = store.petitions().set_index("id")["latest_total"]
            return signing_matrix(store.latest_counts_of, totals, sets, "pcon2024", table["ons_code"])

        shares = matrix()
        rows["signing patterns of the 300 most signed petitions (once per set)"] = (
            "-", f"{median_ms(matrix, max(1, args.repeat // 5)):.0f} ms")
        for seat in (SEAT, SPLIT):
            def profile(seat: str = seat):
                p = profile_of_store(store.latest_counts_for, store.weighted_latest, seat, "pcon2024", walk, table,
                                     facts)
                shown = filter_rows(p.rows)
                return p.most_signed(shown), p.popular(shown), p.unpopular(shown), similar_seats(shares, seat)

            ms = median_ms(profile, args.repeat)
            parts = len(walk.weights_into(seat, "pcon2024"))
            rows[f"seat profile, {seat} ({parts} predecessor(s))"] = (f"{ms:.0f} ms", f"{ms:.0f} ms")
            rows[f"page's server work, {seat}: facts + sums + profile"] = (
                f"{parse + scan + ms:.0f} ms", f"{table_ms + sums + ms:.0f} ms")
        rows["store query, one seat"] = (f"{median_ms(lambda: store.latest_counts_for(SEAT), args.repeat):.0f} ms",) * 2
        store.close()
    print(f"{args.petitions:,} petitions{'':50} {'before':>10} {'after':>10}")
    for key, (before, after) in rows.items():
        print(f"{key:66} {before:>10} {after:>10}")
    print(f"(corpus loaded in {loaded:.0f} s; the old facts path timed on {args.documents} stored documents and "
          f"scaled to {args.petitions:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
