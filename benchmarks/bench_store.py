"""Benchmark the snapshot store, SQLite and PostgreSQL side by side: python -m benchmarks.bench_store

- the Trends page's queries on one petition of N snapshots (default 10,000; 5-minute polls, 100 seats changing
  per poll: 1 M changed rows), and the store's size per million changed rows; counts at 40 frames both from
  keyframes and as before them (a seek per seat and frame in counts), in the same run;
- the Constituency page's query, the latest count of every petition in one seat, over a corpus of 30,000
  petitions × 650 seats (SQLite; bulk-loaded through the schema, as a backfill leaves it);
- the Browse page offline over 30,000 petitions: the store's listing facts and one page of the list, and as
  before, parsing every stored document (timed on --documents real documents, scaled to the corpus).

Synthetic data generated here; medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks import median_ms, mirror
from petitions import store as store_module
from petitions.settings import current
from petitions.store import CONSTITUENCY, SQLiteStore, SQLStore, _pack_changes, open_store

CONSTITUENCIES = 650
PID = 700143
CODES = [f"E14{n:06d}" for n in range(1063, 1063 + CONSTITUENCIES)]  # the 2024 set's English codes


def build(store: SQLStore, snapshots: int, changing: int = 100, seed: int = 5) -> float:
    """Write `snapshots` 5-minute polls of one petition, `changing` seats gaining signatures in each, one
    transaction per snapshot (as the tracker writes them); returns the seconds taken."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(100, 5_000, CONSTITUENCIES)
    start = datetime(2024, 11, 24, tzinfo=UTC)
    began = time.perf_counter()
    for i in range(snapshots):
        moved = rng.choice(CONSTITUENCIES, changing, replace=False)
        counts[moved] += rng.integers(1, 20, changing)
        when = start + timedelta(minutes=5 * i)
        total = int(counts.sum() * 1.02)  # abroad and unmatched postcodes: in the total, in no constituency
        store.add_snapshot(PID, fetched_at=when, updated_at=when, signature_count=total,
                           constituencies=zip(CODES, counts.tolist()), action="Synthetic petition", state="open")
    return time.perf_counter() - began


def store_bytes(store: SQLStore) -> int:
    if not isinstance(store, SQLiteStore):
        return int(store._rows("SELECT pg_database_size(current_database())", ())[0][0])
    store._db().run("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in store.path.parent.glob(store.path.name + "*"))


def derived_bytes(store: SQLStore) -> int:
    """Bytes of the keyframes and the packed changes (derived from counts)."""
    if not isinstance(store, SQLiteStore):
        return int(store._rows("SELECT pg_total_relation_size('deltas') + pg_total_relation_size('keyframes')",
                               ())[0][0])
    return int(store._rows("""SELECT SUM(pgsize) FROM dbstat WHERE name IN ('deltas', 'keyframes')
                              OR name LIKE 'sqlite_autoindex_deltas%' OR name LIKE 'sqlite_autoindex_keyframes%'""",
                           ())[0][0])


def states_by_seeks(db: Any, pid: int, ts: Sequence[int]) -> tuple[np.ndarray, list[int]]:
    """SQLStore._states as the store answered before keyframes: a descending seek in counts per seat and frame
    (constituencies only, all that counts() asks for)."""
    frames = " UNION ALL ".join(["SELECT ? AS n, ? AS t"] * len(ts))
    rows = db.rows(f"""WITH f (n, t) AS ({frames})
                       SELECT f.n, pc.code_id, (SELECT c.signature_count FROM counts c
                               WHERE c.petition_id = pc.petition_id AND c.code_id = pc.code_id
                               AND c.t <= f.t ORDER BY c.t DESC LIMIT 1)
                       FROM petition_codes pc JOIN codes k ON k.id = pc.code_id CROSS JOIN f
                       WHERE pc.petition_id = ? AND k.kind = ? ORDER BY pc.code_id, f.n""",
                   [x for i, t in enumerate(ts) for x in (i, t)] + [pid, CONSTITUENCY])
    found = np.array([(n, k, c or 0) for n, k, c in rows], dtype="int64").reshape(-1, 3)
    states = np.zeros((len(ts), int(found[:, 1].max(initial=0)) + 1), dtype="int64")
    states[found[:, 0], found[:, 1]] = found[:, 2]
    return states, [0] * len(ts)


def trends(store: SQLStore, snapshots: int, repeat: int) -> dict[str, float]:
    """The Trends page's questions, medians in ms."""
    snaps = store.snapshots(PID)
    assert len(snaps) == snapshots, len(snaps)
    ids = snaps["snapshot_id"].tolist()
    frames = ids[:: max(1, len(ids) // 39)][:40]
    codes = iter(CODES * (repeat + 1))
    before = copy.copy(store)  # the same store and connection, answering counts() as before keyframes
    before._states = states_by_seeks  # type: ignore[method-assign]
    pd.testing.assert_frame_equal(before.counts(PID, frames), store.counts(PID, frames))
    return {"snapshots and totals": median_ms(lambda: store.snapshots(PID), repeat),
            "stale snapshots": median_ms(lambda: store.stale_snapshots(PID), repeat),
            f"counts at {len(frames)} frames": median_ms(lambda: store.counts(PID, frames), repeat),
            f"counts at {len(frames)} frames, before keyframes (a seek per seat)":
                median_ms(lambda: before.counts(PID, frames), repeat),
            "growth between two snapshots": median_ms(lambda: store.growth(PID, ids[len(ids) // 3], ids[-1]), repeat),
            "one seat's history": median_ms(lambda: store.seat_counts(PID, next(codes)), repeat)}


def trends_page(url: str, repeat: int) -> float:
    """Server time of the Trends page (Streamlit's AppTest, network faked from the mirror) for petition PID, whose
    stored snapshots are the synthetic ones; median ms of fresh runs (the store's answers not cached)."""
    import httpx
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard import cache
    from dashboard.harness import MirrorAPI
    from petitions.api import PetitionsAPI

    os.environ["PETITIONMAP_STORE"] = url
    client = PetitionsAPI(httpx.Client(transport=httpx.MockTransport(MirrorAPI(mirror()))), sleep=lambda s: None)
    cache.api = lambda: client  # type: ignore[assignment]  # the page fetches from the mirror

    def run() -> None:
        st.cache_data.clear()  # every answer from the store again (constituency sets stay loaded)
        at = AppTest.from_file(str(current().app), default_timeout=300)
        at.query_params["petition"] = str(PID)
        at.switch_page("views/trends.py")
        at.run()
        assert not at.exception and any("snapshots from" in c.value for c in at.caption), at.exception

    return median_ms(run, repeat)


def corpus(store: SQLStore, petitions: int, seed: int = 9, codes: list[str] = CODES, start: int = 1) -> float:
    """Bulk-load `petitions` petitions (ids from `start`) with one snapshot each and a count in every seat of
    `codes`."""
    rng = np.random.default_rng(seed)
    began = time.perf_counter()
    ids = store._code_ids(store._db(), [(CONSTITUENCY, c) for c in codes])  # registers the codes
    with store._write() as db:
        db.pending.update(ids)
        code_ids = [ids[(CONSTITUENCY, c)] for c in codes]
        for first in range(start, start + petitions, 1000):
            chunk = range(first, min(first + 1000, start + petitions))
            counts = rng.integers(0, 2_000, (len(chunk), len(codes)))
            db.many("""INSERT INTO petitions (id, action, state, snapshots, latest_t, latest_snapshot, latest_total,
                       latest_constituency_total, last_fetched, last_updated, latest_source)
                       VALUES (?, ?, 'closed', 1, 1000, ?, ?, ?, '2020-01-01T00:00:00+00:00', '', 'api')""",
                    [(pid, f"Petition {pid}", pid, int(row.sum()), int(row.sum())) for pid, row in zip(chunk, counts)])
            db.many("""INSERT INTO snapshots (id, petition_id, t, fetched_at, updated_at, signature_count,
                       constituency_total, source, changed, has_document)
                       VALUES (?, ?, 1000, '2020-01-01T00:00:00+00:00', '', ?, ?, 'api', 650, 0)""",
                    [(pid, pid, int(row.sum()), int(row.sum())) for pid, row in zip(chunk, counts)])
            db.many("INSERT INTO counts (petition_id, code_id, t, signature_count) VALUES (?, ?, 1000, ?)",
                    [(pid, k, int(n)) for pid, row in zip(chunk, counts) for k, n in zip(code_ids, row) if n])
            db.many("INSERT INTO deltas (petition_id, t, body) VALUES (?, 1000, ?)",
                    [(pid, _pack_changes({k: int(n) for k, n in zip(code_ids, row) if n}))
                     for pid, row in zip(chunk, counts)])
            db.many("INSERT INTO latest (code_id, petition_id, signature_count) VALUES (?, ?, ?)",
                    [(k, pid, int(n)) for pid, row in zip(chunk, counts) for k, n in zip(code_ids, row) if n])
            db.many("INSERT INTO petition_codes (petition_id, code_id) VALUES (?, ?)",
                    [(pid, k) for pid in chunk for k in code_ids])
    return time.perf_counter() - began


def listing_corpus(store: SQLStore, petitions: int, seed: int = 11) -> None:
    """Bulk-load `petitions` petitions' rows and listing facts (as add() leaves them), half open, a third archived."""
    rng = np.random.default_rng(seed)
    totals = rng.integers(1, 200_000, petitions)
    words = np.array(["climate", "schools", "prison", "tax", "NHS", "trains", "energy", "housing"])
    with store._write() as db:
        db.many("""INSERT INTO petitions (id, action, state, snapshots, latest_t, latest_snapshot, latest_total,
                   latest_constituency_total, last_fetched, last_updated, latest_source)
                   VALUES (?, ?, ?, 1, 1000, ?, ?, ?, '2020-01-01T00:00:00+00:00', '', 'api')""",
                [(pid, f"Petition {pid}", "open" if pid % 2 else "closed", pid, int(n), int(n))
                 for pid, n in zip(range(1, petitions + 1), totals)])
        db.many("""INSERT INTO petition_facts (petition_id, title, parliament, states, departments, topics,
                   updated_at, fetched_at, background, lists, archived) VALUES (?, ?, '2024–', ?, '', '',
                   '2020-01-01T00:00:00+00:00', '2020-01-01T00:00:00+00:00', ?, ?, ?)""",
                [(pid, f"Petition {pid} on {' and '.join(rng.choice(words, 2))}", "open" if pid % 2 else "closed",
                  f"We ask the Government about {' and '.join(rng.choice(words, 3))}. " * 6,
                  "\x1f".join(["all", "open" if pid % 2 else "closed"] + (["with_response"] if pid % 5 == 0 else [])),
                  int(pid % 3 == 0)) for pid in range(1, petitions + 1)])


def offline_browse(folder: Path, petitions: int, documents: int, repeat: int) -> tuple[float, float, float]:
    """The Browse page offline (SQLite): ms to parse every stored document as before (scaled from `documents`),
    ms for the store's listing facts plus one page, and plus a search."""
    from benchmarks.bench_seat import parse_ms_per_document
    from petitions.offline import offline_list

    before = parse_ms_per_document(folder, documents, max(1, repeat // 5)) * petitions
    store = open_store(folder / "listing.sqlite")
    listing_corpus(store, petitions)
    assert len(offline_list(store.listing(), "open")[0]) == 50
    page = median_ms(lambda: offline_list(store.listing(), "open", "", 2), repeat)
    search = median_ms(lambda: offline_list(store.listing(), "all", "climate prison", 1), repeat)
    store.close()
    return before, page, search


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_store", description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=10_000)
    parser.add_argument("--petitions", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--documents", type=int, default=300,
                        help="documents parsed to time the Browse page's old offline path")
    parser.add_argument("--keyframe-rows", type=int, default=store_module.KEYFRAME_ROWS,
                        help="changed rows between keyframes (to choose the store's KEYFRAME_ROWS)")
    parser.add_argument("--page", action=argparse.BooleanOptionalAction, default=True,
                        help="time the Trends page too (needs the data mirror, PETITIONMAP_MIRROR)")
    args = parser.parse_args(argv)
    store_module.KEYFRAME_ROWS = args.keyframe_rows
    from tests.services import throwaway_cluster

    results: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp, throwaway_cluster() as new_database:
        for engine in args.engines.split(","):
            store = open_store(Path(tmp) / "bench.sqlite" if engine == "sqlite" else new_database())
            empty = store_bytes(store)
            seconds = build(store, args.snapshots)
            rows = store.table_rows()["counts"]
            size = store_bytes(store) - empty
            out = results.setdefault(engine, {})
            derived = derived_bytes(store)
            out["write one snapshot (mean over the build)"] = f"{seconds / args.snapshots * 1000:.2f} ms"
            out["changed count rows"] = f"{rows:,}"
            out["keyframes"] = f"{store.table_rows()['keyframes']:,} (every {store_module.KEYFRAME_ROWS:,} rows)"
            out["store size per million changed rows"] = f"{size / rows * 1e6 / 1e6:.0f} MB"
            out["  of which keyframes and packed changes"] = f"{derived / rows:.0f} MB ({derived / size:.0%})"
            for name, ms in trends(store, args.snapshots, args.repeat).items():
                out[f"Trends, {args.snapshots:,} snapshots: {name}"] = f"{ms:.1f} ms"
            if args.page and current().mirror:
                out[f"Trends page, {args.snapshots:,} snapshots (server time)"] = \
                    f"{trends_page(store.url, 3):.0f} ms"
            store.close()
        store = open_store(Path(tmp) / "corpus.sqlite")
        seconds = corpus(store, args.petitions)
        codes = iter(CODES * (args.repeat + 1))
        ms = median_ms(lambda: store.latest_counts_for(next(codes)), args.repeat)
        results["sqlite"][f"latest counts in one seat, {args.petitions:,} petitions × 650 seats"] = \
            f"{ms:.1f} ms (corpus loaded in {seconds:.0f} s)"
        store.close()
        if current().mirror:
            before, page, search = offline_browse(Path(tmp), args.petitions, args.documents, args.repeat)
            key = f"Browse offline, {args.petitions:,} petitions"
            results["sqlite"][f"{key}: every document parsed (before)"] = f"{before:,.0f} ms"
            results["sqlite"][f"{key}: listing facts + one page"] = f"{page:.0f} ms"
            results["sqlite"][f"{key}: listing facts + a search"] = f"{search:.0f} ms"
    print(f"{'':74} " + "  ".join(f"{e:>12}" for e in results))
    keys = list(dict.fromkeys(k for r in results.values() for k in r))
    for key in keys:
        print(f"{key:74} " + "  ".join(f"{results[e].get(key, '-'):>12}" for e in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
