"""Benchmark --all-open against a fake petitions API on 127.0.0.1: python -m benchmarks.bench_track [--hours H]

4,800 open petitions (96 list pages of 50), a year's worth of signature inflow at its busiest (60 million a
year, heavy-tailed across petitions and seats), time-compressed: a simulated clock drives the tracker, so a
simulated day takes minutes. Prints requests, bytes downloaded (gzip), rows stored and store bytes, for SQLite
and PostgreSQL, for the simulated hours and scaled to a day.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import numpy as np

from benchmarks.bench_store import CODES, store_bytes
from petitions.api import _Rebase
from petitions.store import open_store
from petitions.sweep import BUSY_EVERY, OpenTracker, PoliteClient
from tests.services import Clock, local_server, throwaway_cluster

OPEN = 4_800
PER_YEAR = 60_000_000
PAGE = 50
COUNTRIES = [f"C{i:02d}" for i in range(60)]
REGIONS = [f"R{i:02d}" for i in range(12)]


class World:
    """Open petitions and their counts per seat, advanced with the simulated clock."""

    def __init__(self, n: int = OPEN, seed: int = 11) -> None:
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.ids = np.arange(100_000, 100_000 + self.n)
        self.weight = self.rng.pareto(1.2, self.n) + 0.01  # a few petitions take most signatures
        self.weight /= self.weight.sum()
        self.seats = self.rng.dirichlet(np.full(len(CODES), 2.0))
        self.counts = self.rng.integers(0, 30, (self.n, len(CODES)))
        self.abroad = self.rng.integers(0, 100, self.n)
        self.updated = np.zeros(self.n)
        self.state = np.array(["open"] * self.n, dtype=object)
        self.at = 0.0
        self.lock = threading.Lock()

    def advance(self, now: float) -> None:
        with self.lock:
            seconds = now - self.at
            if seconds <= 0:
                return
            self.at = now
            new = self.rng.poisson(PER_YEAR / 365 / 86400 * seconds)
            per_petition = self.rng.multinomial(new, self.weight)
            for i in np.flatnonzero(per_petition):
                self.counts[i] += self.rng.multinomial(per_petition[i], self.seats)
                self.updated[i] = now
            if self.rng.random() < seconds / 3200:  # ~27 petitions close a day (a six-month lifetime)
                self.state[self.rng.integers(0, self.n)] = "closed"

    def total(self, i: int) -> int:
        return int(self.counts[i].sum() + self.abroad[i])

    def stamp(self, i: int) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(1_750_000_000 + self.updated[i]))

    def document(self, i: int) -> dict:
        pid = int(self.ids[i])
        return {"links": {"self": f"https://petition.parliament.uk/petitions/{pid}.json"}, "data": {
            "type": "petition", "id": pid, "attributes": {
                "action": f"Synthetic petition {pid}", "background": "Background text. " * 20,
                "additional_details": "Details. " * 30, "state": str(self.state[i]),
                "signature_count": self.total(i), "updated_at": self.stamp(i),
                "created_at": "2025-01-01T00:00:00.000Z", "opened_at": "2025-01-02T00:00:00.000Z",
                "signatures_by_constituency": [{"name": f"Seat {c}", "ons_code": c, "mp": f"MP for {c}",
                                                "signature_count": int(n)} for c, n in zip(CODES, self.counts[i])],
                "signatures_by_country": [{"name": c, "code": c, "signature_count": int(self.abroad[i] // 60)}
                                          for c in COUNTRIES],
                "signatures_by_region": [{"name": r, "ons_code": r, "signature_count": int(self.counts[i][j::12].sum())}
                                         for j, r in enumerate(REGIONS)]}}}

    def page(self, page: int) -> dict:
        with self.lock:
            open_ = [i for i in range(self.n) if self.state[i] == "open"]
            open_.sort(key=lambda i: -self.total(i))
            last = -(-len(open_) // PAGE)
            items = [{"type": "petition", "id": int(self.ids[i]), "attributes": {
                "action": f"Synthetic petition {int(self.ids[i])}", "state": "open", "signature_count": self.total(i),
                "updated_at": self.stamp(i)}} for i in open_[(page - 1) * PAGE: page * PAGE]]
        base = "https://petition.parliament.uk/petitions.json?state=open"
        return {"links": {"last": f"{base}&page={last}", "next": f"{base}&page={page + 1}" if page < last else None},
                "data": items}


def serve(world: World, clock: Clock):
    index = {int(pid): i for i, pid in enumerate(world.ids)}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            world.advance(clock())
            url = urlsplit(self.path)
            if url.path == "/petitions.json":
                body, etag = world.page(int(parse_qs(url.query).get("page", ["1"])[0])), None
            else:
                i = index[int(url.path.rsplit("/", 1)[-1].removesuffix(".json"))]
                etag = f'"{world.total(i)}-{world.updated[i]}-{world.state[i]}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with world.lock:
                    body = world.document(i)
            data = gzip.compress(json.dumps(body).encode(), 6)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "max-age=60")
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(data)

    return local_server(Handler)


def day(url: str, hours: float, n: int) -> dict[str, str]:
    clock = Clock()
    world = World(n)
    server = serve(world, clock)
    try:
        store = open_store(url)
        empty = store_bytes(store)
        client = PoliteClient(httpx.Client(transport=_Rebase(f"http://127.0.0.1:{server.server_address[1]}"),
                                           timeout=30), clock=clock, wall=clock.wall, sleep=clock.sleep)
        tracker = OpenTracker(store, client, log=lambda m: None)
        began = time.perf_counter()
        sweeps = int(hours * 3600 / BUSY_EVERY)
        tracker.run(lambda: False, sweeps=1)  # the first sweep fetches every petition
        first = (client.requests, client.bytes, store.table_rows()["counts"])
        tracker.run(lambda: False, sweeps=sweeps - 1)
        seconds = time.perf_counter() - began
        rows = store.table_rows()
        size = store_bytes(store) - empty
    finally:
        server.shutdown()
    scale = 24 / (hours - BUSY_EVERY / 3600)  # the sweeps after the first, scaled to a day
    later = (client.requests - first[0], client.bytes - first[1], rows["counts"] - first[2])
    return {"simulated hours (sweeps)": f"{hours:g} ({sweeps})", "wall time": f"{seconds:.0f} s",
            "first sweep: requests, MB": f"{first[0]:,}, {first[1] / 1e6:.0f}",
            "later sweeps: requests a day": f"{later[0] * scale:,.0f}",
            "later sweeps: MB a day (gzip)": f"{later[1] / 1e6 * scale:,.0f}",
            "later sweeps: count rows a day": f"{later[2] * scale:,.0f}",
            "snapshots stored": f"{rows['snapshots']:,}", "count rows stored": f"{rows['counts']:,}",
            "documents stored": f"{rows['documents']:,}", "store MB": f"{size / 1e6:.0f}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_track", description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=2.0, help="simulated hours (the first sweep fetches all)")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--petitions", type=int, default=OPEN, help="open petitions")
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp, throwaway_cluster() as new_database:
        for engine in args.engines.split(","):
            results[engine] = day(str(Path(tmp) / "day.sqlite") if engine == "sqlite" else new_database(), args.hours,
                                  args.petitions)
    print(f"--all-open, {args.petitions:,} open petitions, {PER_YEAR:,} signatures a year")
    print(f"{'':34} " + "  ".join(f"{e:>22}" for e in results))
    for key in next(iter(results.values())):
        print(f"{key:34} " + "  ".join(f"{results[e][key]:>22}" for e in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
