"""Benchmarks: `make bench` (python -m benchmarks [NAME ...]); medians, not timed tests."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from petitions.settings import current


def median_ms(fn: Callable[[], object], repeat: int, warm_up: bool = True) -> float:
    """Median wall time of `fn` in milliseconds (after one warm-up call unless told otherwise)."""
    if warm_up:
        fn()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def mirror() -> Path:
    """The data mirror the benchmarks read (PETITIONMAP_MIRROR, default the shared mirror beside the project)."""
    return current().mirror or (current().root.parent / "shared" / "data").resolve()
