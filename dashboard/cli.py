"""The `petitionmap` command: one entry point for the dashboard, its data, the exports, the tracker and the
benchmarks.

    petitionmap run [--port 8501]          the dashboard (streamlit run dashboard/serve.py)
    petitionmap data [--refresh]           fill data/cache from the mirror or the official sources
    petitionmap export SOURCE --csv OUT    a petition's table, GeoJSON or map picture
    petitionmap track ID … --every 5m      store snapshots of petitions (also --all-open, --backfill, --import)
    petitionmap bench [NAME …]             the benchmarks, medians side by side

Errors are one line on stderr; the exit status is 1 for bad input and 2 for bad usage (petitions.command).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from petitions.command import Parser, fail
from petitions.settings import current


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="petitionmap", description="Where UK Parliament petitions are signed.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start the dashboard")
    run.add_argument("--port", type=int, default=8501, help="port to serve on (default 8501)")
    run.set_defaults(handler=_run)

    data = commands.add_parser("data", help="fill the reference-data cache (data/cache)")
    data.add_argument("--refresh", action="store_true", help="fetch and normalise every dataset again")
    data.set_defaults(handler=_data)

    # Each subcommand's module owns its arguments; importing it is deferred until it is the one asked for.
    for name, module, summary in (("export", "geo.export", "write a petition's CSV, GeoJSON or map picture"),
                                  ("track", "petitions.track", "store snapshots of petitions as they grow"),
                                  ("bench", "benchmarks.__main__", "run the benchmarks (from the checkout)")):
        if _asked(argv, name):
            sub = commands.add_parser(name, help=summary)
            target = __import__(module, fromlist=["run"])
            target.arguments(sub)
            sub.set_defaults(handler=_bench if name == "bench" else target.run)
        else:
            commands.add_parser(name, help=summary, add_help=False)
    args = parser.parse_args(argv)
    return int(args.handler(args))


def _asked(argv: list[str] | None, name: str) -> bool:
    """Whether `name` is the subcommand on this command line (the first argument that is not an option)."""
    words = [w for w in (sys.argv[1:] if argv is None else argv) if not w.startswith("-")]
    return bool(words) and words[0] == name


def _run(args: argparse.Namespace) -> int:
    """Replace this process by Streamlit serving the dashboard, from the project folder (its .streamlit/):
    dashboard/serve.py, the pages of dashboard/app.py with their static files sent gzipped."""
    settings = current()
    if not 0 < args.port < 65536:
        return fail(f"not a port: {args.port}")
    os.chdir(settings.root)
    os.execv(sys.executable, [sys.executable, "-m", "streamlit", "run", str(settings.app.with_name("serve.py")),
                              "--server.port", str(args.port)])


def _bench(args: argparse.Namespace) -> NoReturn:
    """Replace this process by `python -m benchmarks NAME …` in the project folder: the benchmarks reuse the
    tests' fake services (tests/services.py), which live in the checkout, not in the installed packages."""
    os.chdir(current().root)
    os.execv(sys.executable, [sys.executable, "-m", "benchmarks", *args.names])


def _data(args: argparse.Namespace) -> int:
    from geo.reference.datasets import DataError, fill_cache
    from petitions.offline import report_mirror_petitions

    try:
        fill_cache(refresh=args.refresh)
    except DataError as exc:
        return fail(str(exc))
    for line in report_mirror_petitions():
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
