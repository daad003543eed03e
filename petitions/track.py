"""Poll petitions and store every new snapshot: python -m petitions.track ID [ID ...] --every 5m

Also: --all-open (every open petition, politely: see petitions/sweep.py), --backfill [--parliament 2017]
(final counts of closed and archived petitions, resumable) and --import FOLDER (documents in a folder).

Honours the API's max-age (never polls a petition faster than that), backs off on errors and keeps
going; SIGINT/SIGTERM stop it cleanly, even in the middle of a slow request. Each snapshot is one
transaction in the store, so several trackers may share a store and a killed one leaves nothing partial.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from petitions.api import PetitionsAPI, default_client, parse_source
from petitions.command import USAGE, Parser, fail
from petitions.loader import one_line
from petitions.model import PetitionError
from petitions.settings import current
from petitions.store import HistoryStore, open_store, store_errors

MIN_INTERVAL = 60.0  # the API's Cache-Control max-age: polling faster only re-reads the same document
MAX_BACKOFF = 3600.0  # failing petitions are retried at least hourly
_UNITS = {"s": 1, "m": 60, "h": 3600}


def parse_interval(text: str) -> float:
    """'30s', '5m', '1h', '1.5m' (or plain seconds) → seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"not an interval: {text!r} (use e.g. 30s, 5m, 1h)")
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]


def track(ids: list[int], every: float, store: HistoryStore, api: PetitionsAPI, *, once: bool = False,
          log: Callable[[str], None] | None = None, sleep: Callable[[float], None] = time.sleep,
          stop: Callable[[], bool] = lambda: False, clock: Callable[[], float] = time.monotonic) -> None:
    """Poll each petition every `every` seconds until `stop()`; a failing petition backs off exponentially
    (up to MAX_BACKOFF) while the others go on. `clock` (seconds, monotonic) and `sleep` go together."""
    log = log or _log
    due = {pid: 0.0 for pid in ids}
    failures = {pid: 0 for pid in ids}
    while not stop():
        for pid in ids:
            if stop():
                return
            if due[pid] > clock():
                continue
            try:
                petition, fetched = api.petition_live(pid)  # a refused document is never stored
                sid = store.add(petition, datetime.fromtimestamp(fetched.fetched_at, UTC))
            except Exception as exc:  # one petition's failure, whatever it is, never stops the others
                failures[pid] += 1
                wait = min(every * 2 ** (failures[pid] - 1), MAX_BACKOFF)
                due[pid] = clock() + wait
                log(f"petition {pid}: {one_line(exc)}; retrying in {wait:.0f} s")
                continue
            failures[pid] = 0
            due[pid] = clock() + every
            log(f"petition {pid}: {petition.signature_count:,} signatures"
                + (f" (snapshot {sid})" if sid else " (unchanged)"))
        if once:
            return
        sleep(max(0.05, min(due.values()) - clock()))


def main(argv: list[str] | None = None) -> int:
    """The command line; 0 when stopped by a signal or done (--once), 1 for bad input, 2 for bad usage."""
    parser = Parser(prog="python -m petitions.track", description=(__doc__ or "").splitlines()[0])
    arguments(parser)
    return run(parser.parse_args(argv))


def arguments(parser: argparse.ArgumentParser) -> None:
    """The tracker's arguments (also `petitionmap track`)."""
    parser.add_argument("ids", nargs="*", help="petition numbers")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--all-open", action="store_true", help="track every open petition (sweeps every ~5 min)")
    mode.add_argument("--backfill", action="store_true", help="store final counts of closed and archived petitions")
    mode.add_argument("--import", dest="folder", help="import the petition documents of a folder")
    parser.add_argument("--parliament", help="--backfill: one archived parliament only, e.g. 2017")
    parser.add_argument("--every", default="5m", help="poll interval, e.g. 30s, 5m, 1h (at least 60 s)")
    parser.add_argument("--store", help="store: a SQLite path, sqlite:///… or postgresql://… "
                                        "(default $PETITIONMAP_STORE or data/history.sqlite)")
    parser.add_argument("--once", action="store_true", help="poll each petition once and exit")


def run(args: argparse.Namespace) -> int:
    """Track as the parsed arguments say."""
    bulk = args.all_open or args.backfill or args.folder is not None
    if bulk and args.ids:
        return fail("give petition numbers or --all-open/--backfill/--import, not both", USAGE)
    if not bulk and not args.ids:
        return fail("give petition numbers, or --all-open, --backfill or --import FOLDER (see --help)", USAGE)
    if args.parliament and not args.backfill:
        return fail("--parliament goes with --backfill", USAGE)
    if args.parliament and not args.parliament.isdigit():
        return fail(f"not a parliament (its first year, e.g. 2017): {args.parliament!r}")
    if bulk:
        return _bulk(args)
    stopper = _Stopper()
    try:
        ids = [_petition_id(i) for i in args.ids]
        every = parse_interval(args.every)
        api = PetitionsAPI(retries=1, sleep=stopper.sleep)  # $PETITIONMAP_API_BASE: a fake API, in tests
        store = open_store(args.store)
    except store_errors(ValueError) as exc:
        return fail(one_line(exc))
    if not current().api_base and every < MIN_INTERVAL:
        _log(f"polling every {MIN_INTERVAL:.0f} s, the API's max-age, not every {every:g} s")
        every = MIN_INTERVAL
    try:
        with stopper:
            track(ids, every, store, api, once=args.once, stop=stopper.stopped, sleep=stopper.sleep)
    except _Stopped:
        pass
    if stopper.stopped():
        _log("stopped")
    return 0


def _bulk(args: argparse.Namespace) -> int:
    """--all-open, --backfill, --import: 0 when done or stopped, 1 for bad input or when the site refuses (403)."""
    from petitions import sweep

    try:
        store = open_store(args.store)
        if args.folder is not None:
            folder = Path(args.folder)
            if not folder.is_dir():
                return fail(f"no such folder: {folder}")
            added, refused = sweep.import_folder(store, folder)
            _log(f"import: {added:,} snapshots added, {refused:,} files refused")
            return 0
        client = sweep.PoliteClient(_client())
    except store_errors(ValueError) as exc:
        return fail(one_line(exc))
    stopper = _Stopper()
    client.sleep = stopper.sleep
    try:
        with stopper:
            if args.backfill:
                added = sweep.backfill(store, client, args.parliament, stop=stopper.stopped)
                _log(f"backfill: {added:,} petitions stored")
            else:
                sweep.OpenTracker(store, client).run(stopper.stopped)
    except _Stopped:
        pass
    except sweep.Forbidden as exc:
        _log(one_line(exc))
        return 1
    except store_errors(PetitionError) as exc:
        _log(f"stopped: {one_line(exc)}")
        return 1
    if stopper.stopped():
        _log("stopped")
    return 0


class _Stopped(BaseException):
    """Raised by the signal handler to abandon whatever is in flight."""


class _Stopper:
    """SIGINT/SIGTERM: stop between polls; a wait or a request in flight is abandoned at once."""

    def __init__(self) -> None:
        self._stopping = False

    def __enter__(self) -> _Stopper:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)  # exiting anyway: a late signal must not cut the goodbye short

    def stopped(self) -> bool:
        return self._stopping

    def sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self._stopping and time.monotonic() < end:
            time.sleep(min(0.1, max(0.0, end - time.monotonic())))

    def _handle(self, signum: int, frame: Any) -> None:
        self._stopping = True
        # Store writes are one transaction each and SQLite rolls back an unfinished one, so abandoning
        # work anywhere is safe; raising here also cuts a slow HTTP request or a back-off wait short.
        raise _Stopped()


def _petition_id(text: str) -> int:
    return parse_source(text)  # a number or a petition link; never a file


def _client() -> httpx.Client | None:
    """Tests may point the tracker at a fake API on this machine only ($PETITIONMAP_API_BASE)."""
    return default_client() if current().api_base else None


def _log(message: str) -> None:
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
