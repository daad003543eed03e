"""Benchmark the snapshot store: python -m benchmarks.bench_store [--snapshots N] [--repeat R]

Builds N synthetic snapshots × 650 constituencies of one petition in a temporary store (one transaction
per snapshot, as the tracker writes them), then times the dashboard's queries and prints medians.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from benchmarks import median_ms
from petitions.store import open_store as Store

CONSTITUENCIES = 650
PID = 700143
# The 2024 set's English codes, enough of them for 650 synthetic constituencies.
CODES = [f"E14{n:06d}" for n in range(1063, 1063 + CONSTITUENCIES)]


def build(store: Store, snapshots: int, seed: int = 5) -> float:
    """Write `snapshots` growing snapshots of one petition; returns the seconds taken."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(100, 5_000, CONSTITUENCIES)
    start = datetime(2024, 11, 24, tzinfo=UTC)
    began = time.perf_counter()
    for i in range(snapshots):
        counts = counts + rng.integers(0, 50, CONSTITUENCIES)
        when = start + timedelta(minutes=5 * i)
        total = int(counts.sum() * 1.02)  # abroad and unmatched postcodes: in the total, in no constituency
        store.add_snapshot(PID, fetched_at=when, updated_at=when, signature_count=total,
                           constituencies=zip(CODES, counts.tolist()), action="Synthetic petition", state="open")
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_store", description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite")
        seconds = build(store, args.snapshots)
        size = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
        print(f"store import {args.snapshots}x{CONSTITUENCIES}: {seconds:.1f} s "
              f"({seconds / args.snapshots * 1000:.2f} ms per snapshot, {size:.0f} MB)")
        rows = len(store.history(PID, CODES[0]))
        assert rows == args.snapshots, rows
        codes = iter(CODES * args.repeat)
        print(f"history one constituency (median of {args.repeat}): "
              f"{median_ms(lambda: store.history(PID, next(codes)), args.repeat, warm_up=False):.1f} ms")
        print(f"snapshots of the petition (median of {args.repeat}): "
              f"{median_ms(lambda: store.snapshots(PID), args.repeat, warm_up=False):.1f} ms")
        frames = list(range(1, args.snapshots + 1, max(1, args.snapshots // 40)))
        print(f"counts of {len(frames)} snapshots, an animation (median of {args.repeat}): "
              f"{median_ms(lambda: store.counts(PID, frames), args.repeat, warm_up=False):.1f} ms")
        print(f"latest counts in one constituency (median of {args.repeat}): "
              f"{median_ms(lambda: store.latest_counts_for(next(codes)), args.repeat, warm_up=False):.1f} ms")
        print(f"add one snapshot to the full store (median of {args.repeat}): "
              f"{median_ms(lambda: build(store, 1, seed=next(_seeds)), args.repeat, warm_up=False):.1f} ms")
    return 0


_seeds = iter(range(1_000, 1_000_000))

if __name__ == "__main__":
    sys.exit(main())
