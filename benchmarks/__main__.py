"""Run every benchmark: python -m benchmarks [NAME ...]

Each module benchmarks/bench_<name>.py exposes main(); they run in turn with their default settings.
Names select some of them (e.g. `python -m benchmarks core store`).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
import time
from pathlib import Path


def modules() -> list[str]:
    """The benchmark modules, by name (core, store, ...), sorted."""
    folder = Path(__file__).resolve().parent
    return sorted(m.name.removeprefix("bench_") for m in pkgutil.iter_modules([str(folder)])
                  if m.name.startswith("bench_"))


def main(argv: list[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv)
    known = modules()
    unknown = [n for n in names if n.removeprefix("bench_") not in known]
    if unknown:
        print(f"error: no benchmark {', '.join(unknown)}; there are: {', '.join(known)}", file=sys.stderr)
        return 2
    status = 0
    for name in [n.removeprefix("bench_") for n in names] or known:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"== {name} ==", flush=True)
        began = time.perf_counter()
        saved, sys.argv = sys.argv, [f"python -m benchmarks.bench_{name}"]  # each module parses its own defaults
        try:
            takes_argv = bool(inspect.signature(module.main).parameters)
            result = module.main([]) if takes_argv else module.main()
        finally:
            sys.argv = saved
        status = status or (result if isinstance(result, int) else 0)
        print(f"({name}: {time.perf_counter() - began:.1f} s)\n", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
