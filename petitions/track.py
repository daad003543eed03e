"""Poll petitions and store every new snapshot: python -m petitions.track ID [ID ...] --every 5m

Honours the API's max-age (never polls a petition faster than that), backs off on errors and keeps
going; SIGINT/SIGTERM stop it between polls. Each snapshot is one transaction in the store.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from petitions.api import PetitionsAPI
from petitions.model import PetitionError, parse_petition
from petitions.store import Store

MIN_INTERVAL = 60.0  # the API's Cache-Control max-age; polling faster only re-reads the cache
MAX_BACKOFF = 3600.0
_UNITS = {"s": 1, "m": 60, "h": 3600}


def parse_interval(text: str) -> float:
    """'30s', '5m', '1h' (or plain seconds) → seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"not an interval: {text!r} (use e.g. 30s, 5m, 1h)")
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]


def track(ids: list[int], every: float, store: Store, api: PetitionsAPI, *, once: bool = False,
          log: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True),
          sleep: Callable[[float], None] = time.sleep, stop: Callable[[], bool] = lambda: False) -> None:
    """Poll each petition every `every` seconds (at least the API's max-age) until stopped."""
    due = {pid: 0.0 for pid in ids}
    failures = {pid: 0 for pid in ids}
    while not stop():
        now = time.monotonic()
        for pid in ids:
            if due[pid] > now or stop():
                continue
            try:
                fetched = api.petition_fetched(pid)
                petition = parse_petition(fetched.doc)
                sid = store.add(petition, datetime.fromtimestamp(fetched.fetched_at, UTC))
                failures[pid] = 0
                due[pid] = now + every
                log(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} petition {pid}: {petition.signature_count:,} signatures"
                    + ("" if sid else " (unchanged)"))
            except PetitionError as exc:
                failures[pid] += 1
                wait = min(every * 2 ** (failures[pid] - 1), MAX_BACKOFF)
                due[pid] = now + wait
                log(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} petition {pid}: {exc}; retrying in {wait:.0f} s")
        if once:
            return
        sleep(max(0.2, min(due.values()) - time.monotonic()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m petitions.track", description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="+", help="petition numbers")
    parser.add_argument("--every", default="5m", help="poll interval, e.g. 30s, 5m, 1h (at least 60 s)")
    parser.add_argument("--store", help="SQLite file (default data/history.sqlite or $PETITIONMAP_STORE)")
    parser.add_argument("--once", action="store_true", help="poll each petition once and exit")
    args = parser.parse_args(argv)
    try:
        ids = [int(i) for i in args.ids]
        every = parse_interval(args.every)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stopping = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.append(True))
    client = _client()
    if client is None and every < MIN_INTERVAL:
        print(f"note: polling every {MIN_INTERVAL:.0f} s, the API's max-age", file=sys.stderr)
        every = MIN_INTERVAL
    api = PetitionsAPI(client=client, retries=1)
    track(ids, every, Store(args.store), api, once=args.once, stop=lambda: bool(stopping),
          sleep=lambda s: _sleep_unless(s, stopping))
    return 0


def _client() -> httpx.Client | None:
    """Tests may point the tracker at a fake API on this machine only (PETITIONMAP_API_BASE)."""
    base = os.environ.get("PETITIONMAP_API_BASE")
    if not base:
        return None
    if not re.match(r"^http://(127\.0\.0\.1|localhost)(:\d+)?$", base):
        raise SystemExit("error: PETITIONMAP_API_BASE may only name http://127.0.0.1 or localhost")
    return httpx.Client(timeout=5, transport=_Rebase(base))


class _Rebase(httpx.HTTPTransport):
    """Send requests for https://petition.parliament.uk to a local test server instead."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self._base = httpx.URL(base)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme=self._base.scheme, host=self._base.host, port=self._base.port)
        request.headers["host"] = self._base.netloc.decode()
        return super().handle_request(request)


def _sleep_unless(seconds: float, stopping: list[bool]) -> None:
    end = time.monotonic() + seconds
    while not stopping and time.monotonic() < end:
        time.sleep(min(0.2, end - time.monotonic()))


if __name__ == "__main__":
    sys.exit(main())
