"""A fake petitions API on 127.0.0.1 that answers each petition with a chosen fault, and a fake clock.

Reached through $PETITIONMAP_API_BASE (petitions.api.default_client), as the dashboard, the export CLI and
the tracker reach it in the tests.
"""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# Each fault: what a client should say about it (words of the reason).
FAULTS = {
    "404": "was not found on petition.parliament.uk",
    "410": "HTTP 410: removed",
    "429": "answered HTTP 429 and asked to wait 120 s",
    "500": "answered HTTP 500 after 4 tries",
    "503": "answered HTTP 503 after 4 tries",
    "drip": "was too slow sending /petitions/",
    "reset": "the connection to petition.parliament.uk broke off",
    "bad-gzip": "sent a badly compressed response",
    "truncated": "is not valid JSON",
    "renamed-list": "but no 'signatures_by_constituency'",
    "50MB": "sent more than 10 MB",
    "50MB-chunked": "sent more than 10 MB",
    "wrong-id": "sent petition 700143 when asked for petition",
    "deep": "nested too deeply",
    "1e400": "signature_count is not a whole number: inf",
}
_PATH = re.compile(r"^/(archived/)?petitions/(\d+)\.json$")


class FakeClock:
    """Monotonic time for the client: each reading advances `tick` seconds, each sleep its length."""

    def __init__(self, tick: float = 0.01) -> None:
        self.now = 0.0
        self.tick = tick
        self.slept: list[float] = []

    def __call__(self) -> float:
        self.now += self.tick
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class FaultAPI:
    """Serves /petitions/N.json: documents from `docs`, or the fault named in `faults[N]`."""

    def __init__(self, docs: dict[int, bytes]) -> None:
        self.docs = docs
        self.faults: dict[int, str] = {}
        self.seen: list[str] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the http.server API
                api.seen.append(self.path)
                match = _PATH.match(self.path.split("?")[0])
                pid = int(match.group(2)) if match else 0
                api.answer(self, pid, archived=bool(match and match.group(1)))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def answer(self, h: BaseHTTPRequestHandler, pid: int, archived: bool) -> None:
        fault = self.faults.get(pid, "ok")
        doc = self.docs.get(pid)
        if doc is None or (archived and fault not in ("404", "410")):
            return _status(h, 404)
        if fault in ("404", "410", "500", "503"):
            return _status(h, int(fault))
        if fault == "429":
            return _status(h, 429, {"Retry-After": "120"})
        if fault == "drip":  # a byte every 5 ms, for ever (until the client hangs up)
            _head(h, 200, {"Content-Length": str(len(doc))})
            try:
                for byte in doc:
                    h.wfile.write(bytes([byte]))
                    h.wfile.flush()
                    time.sleep(0.005)
            except OSError:
                pass
            return None
        if fault == "reset":  # half the body, then a TCP reset
            _head(h, 200, {"Content-Length": str(len(doc))})
            h.wfile.write(doc[: len(doc) // 2])
            h.wfile.flush()
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.shutdown(socket.SHUT_RDWR)
            h.close_connection = True
            return None
        if fault == "bad-gzip":
            return _body(h, b"\x1f\x8b\x08\x00this is not gzip" + doc[:100], {"Content-Encoding": "gzip"})
        if fault == "truncated":
            return _body(h, doc[:3000])
        if fault == "renamed-list":
            return _body(h, doc.replace(b'"signatures_by_constituency"', b'"signatures_by_constituencies"'))
        if fault == "50MB":
            _head(h, 200, {"Content-Length": str(50_000_000)})
            return None
        if fault == "50MB-chunked":  # no length given: the client must count
            _head(h, 200, {"Transfer-Encoding": "chunked"})
            chunk = b" " * 1_000_000
            try:
                for _ in range(50):
                    h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                h.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass
            return None
        if fault == "wrong-id":
            return _body(h, self.docs[700143])
        if fault == "deep":
            return _body(h, b"[" * 100_000 + b"]" * 100_000)
        if fault == "1e400":
            text = json.loads(doc)
            text["data"]["attributes"]["signature_count"] = "INFINITY"
            return _body(h, json.dumps(text).replace('"INFINITY"', "1e400").encode())
        return _body(h, doc)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _head(h: BaseHTTPRequestHandler, status: int, headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    h.send_header("Content-Type", "application/json")
    h.end_headers()


def _status(h: BaseHTTPRequestHandler, status: int, headers: dict[str, str] | None = None) -> None:
    _head(h, status, {"Content-Length": "0", **(headers or {})})


def _body(h: BaseHTTPRequestHandler, body: bytes, headers: dict[str, str] | None = None) -> None:
    _head(h, 200, {"Content-Length": str(len(body)), **(headers or {})})
    try:
        h.wfile.write(body)
    except OSError:
        pass


@pytest.fixture
def fault_api(mirror: Path, monkeypatch):
    """A FaultAPI serving the mirror's 239406, 603658 and 700143, named by $PETITIONMAP_API_BASE."""
    folder = mirror / "petitions"
    api = FaultAPI({pid: (folder / f"{pid}.json").read_bytes() for pid in (239406, 603658, 700143)})
    monkeypatch.setenv("PETITIONMAP_API_BASE", api.base)
    yield api
    api.stop()
