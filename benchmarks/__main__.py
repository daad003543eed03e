"""Run every benchmark: python -m benchmarks [NAME ...] (or `petitionmap bench [NAME ...]`)

Each module benchmarks/bench_<name>.py exposes main(); they run in turn with their default settings.
Names select some of them (e.g. `python -m benchmarks core store`).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import sys
import time

import benchmarks
from petitions.command import USAGE, Parser, fail


def modules() -> list[str]:
    """The benchmark modules, by name (core, store, ...), sorted."""
    return sorted(m.name.removeprefix("bench_") for m in pkgutil.iter_modules(benchmarks.__path__)
                  if m.name.startswith("bench_"))


def arguments(parser: argparse.ArgumentParser) -> None:
    """The benchmark runner's arguments (also `petitionmap bench`)."""
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default all): {', '.join(modules())}")


def run(args: argparse.Namespace) -> int:
    """Run the named benchmarks (all when none is named); the first non-zero status of any."""
    unknown = [n for n in args.names if n not in modules()]
    if unknown:
        return fail(f"no benchmark {', '.join(unknown)}; there are: {', '.join(modules())}", USAGE)
    status = 0
    for name in args.names or modules():
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


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m benchmarks", description=(__doc__ or "").splitlines()[0])
    arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
