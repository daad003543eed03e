"""Local services for tests and benchmarks: an HTTP server on 127.0.0.1, a throwaway PostgreSQL cluster."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path


class Clock:
    """A simulated clock: `sleep` advances it at once (a tracker's day in seconds); `wall` is epoch time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def wall(self) -> float:
        return 1_750_000_000 + self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


def local_server(handler):
    """Serve `handler` (a BaseHTTPRequestHandler class) on 127.0.0.1 on a free port, in a daemon thread."""
    handler.log_message = lambda self, *args: None
    handler.disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms delayed-ACK stall
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# Debian's postgresql package (15 on these machines); the newest installed version is used.
PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit()
             else 0, default=Path("/usr/lib/postgresql/15/bin"))


@contextmanager
def throwaway_cluster() -> Iterator[Callable[[], str]]:
    """Start a cluster (initdb + pg_ctl), yield a function making a fresh database (its URL), stop and delete it."""
    if not (PG_BIN / "initdb").is_file():
        raise RuntimeError(f"PostgreSQL is missing ({PG_BIN}): apt-get install postgresql (.ci/run does)")
    root = Path(tempfile.mkdtemp(prefix="petitionmap-pg-"))
    as_root = os.geteuid() == 0  # initdb refuses root: run the cluster as the postgres user
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if as_root:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)

    try:
        run(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60", "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c max_connections=200", "start")
        admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        counter = itertools.count()

        def new_database() -> str:
            import psycopg

            name = f"t{os.getpid()}_{next(counter)}"
            with psycopg.connect(admin, autocommit=True) as db:
                db.execute(f"CREATE DATABASE {name}")
            return f"postgresql://postgres@127.0.0.1:{port}/{name}"

        yield new_database
    finally:
        subprocess.run([*prefix, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
