"""Benchmark the core: python -m benchmarks.bench_core [--repeat R]

Medians of: loading a boundary set from the cache, parsing a petition document, joining counts to a
loaded set with metrics, and the warm path a page takes for a petition (parse + join + metrics), whose
target is 20 ms for 650 constituencies.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial

import pandas as pd

from benchmarks import median_ms, mirror
from geo.analysis.join import join_counts, join_petition, petition_set
from geo.reference.datasets import load_set
from petitions.model import parse_petition_text

PETITIONS = {"239406": "pcon2010", "700143": "pcon2024"}  # a 2017-2019 petition and a 2024 one
TARGET_MS = 20.0


def petition_text(pid: str) -> str:
    """A real petition document from the mirror (PETITIONMAP_MIRROR, default ../shared/data)."""
    path = mirror() / "petitions" / f"{pid}.json"
    if not path.is_file():
        raise SystemExit(f"error: {path} not found; set PETITIONMAP_MIRROR to the data mirror")
    return path.read_text(encoding="utf-8")


def _warm(text: str) -> object:
    """The warm path a page takes for a petition: parse, join, metrics."""
    p = parse_petition_text(text)
    return join_petition(p, load_set(petition_set(p)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_core", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each (default 20)")
    args = parser.parse_args(argv)
    r = args.repeat
    for set_name in ("pcon2010", "pcon2024"):
        ms = median_ms(partial(load_set.__wrapped__, set_name), r)  # bypass the lru_cache: read the cache files
        print(f"load boundary set {set_name} from cache (median of {r}): {ms:.1f} ms")
    missed = False
    for pid, set_name in PETITIONS.items():
        text = petition_text(pid)
        petition = parse_petition_text(text)
        cset = load_set(set_name)
        counts = pd.DataFrame([(c.ons_code, c.mp, c.signature_count) for c in petition.constituencies],
                              columns=["ons_code", "mp", "signatures"])
        print(f"parse petition {pid} ({len(text) / 1000:.0f} kB) (median of {r}): "
              f"{median_ms(partial(parse_petition_text, text), r):.1f} ms")
        print(f"join + metrics {pid}, {len(cset.table)} constituencies (median of {r}): "
              f"{median_ms(partial(join_counts, counts, cset), r):.1f} ms")
        warm = median_ms(partial(_warm, text), r)
        verdict = "ok" if warm <= TARGET_MS else "MISSED"
        missed = missed or warm > TARGET_MS
        print(f"warm parse + join + metrics {pid} (median of {r}): {warm:.1f} ms "
              f"(target <= {TARGET_MS:.0f} ms: {verdict})")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
