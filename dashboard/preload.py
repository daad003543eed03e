"""The petition page's first view, started sooner: an ASGI middleware in front of Streamlit's server
(dashboard/serve.py, outside the gzip one), and TCP_NODELAY on the server's connections.

Measured (python -m benchmarks.timeline: requests, websocket messages and the map's steps on one time line),
a first load spent its time waiting, not working:
- `/` ran a whole script (the hidden home page) only to st.switch_page to /petition and run it again:
  ≈ 0.6 s before the petition page's first message. Here `/` is answered with a redirect to /petition,
  query kept (an embed, `?embed=…`, stays where it is; the home page still switches for Streamlit's
  own navigation).
- On a kept-alive connection every response after the first waited ≈ 40 ms for the browser's delayed ACK
  (see `nodelay`): with Chromium's 6 connections per host, ≈ 60 bundles of Streamlit's bootstrap and 36
  of the first view's widgets queued at 40 ms each.
- Streamlit's frontend asks for an element's bundle only when the element's message arrives: the map
  element's (BidiComponent, with the Arrow helpers it imports) waited behind the widgets' bundles, and
  the map's own script after it. Here the page's HTML lists those few as `<link rel="modulepreload">`.
  Preloading every first-view widget's bundle as well measured slower: they compete with Streamlit's own
  bootstrap requests (health, host-config) before the websocket opens.
"""

from __future__ import annotations

import gzip
import importlib
import re
import socket
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from dashboard.compress import ASGIApp, Message, Receive, Scope, Send, accepts_gzip

# The map element's bundle; the names are the stems of Streamlit's chunks (static/js/<Name>.<hash>.js),
# whose hashes change with every Streamlit version.
MAP_BUNDLES = ("BidiComponent",)
SERVER_PATHS = ("/_stcore/", "/static/", "/app/static/", "/component/", "/media/", "/favicon")
_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"\./([\w.\-]+\.js)"')


def frontend() -> Path:
    """Streamlit's built frontend (index.html and static/js/)."""
    import streamlit

    return Path(streamlit.__file__).with_name("static")


def bundle_paths(folder: Path, names: Iterable[str], skip: set[str]) -> list[str]:
    """The chunks `names` in `folder` (static/js/) and the chunks they import, recursively, each once,
    each named before its imports, as URL paths relative to the page ("./static/js/…"); `skip`: file
    names the page loads anyway. A name with no chunk (another Streamlit version) is left out."""
    order: list[str] = []
    seen = set(skip)

    def visit(file: str) -> None:
        if file in seen or not (folder / file).is_file():
            return
        seen.add(file)
        order.append(file)
        for imported in _IMPORT.findall((folder / file).read_text(encoding="utf-8", errors="replace")):
            visit(imported)

    for name in names:
        for path in sorted(folder.glob(f"{name}.*.js")):
            if re.fullmatch(rf"{re.escape(name)}\.[\w\-]+\.js", path.name):
                visit(path.name)
    return [f"./static/js/{file}" for file in order]


def hints(index_html: str, folder: Path, extra: Iterable[str] = ()) -> str:
    """The `<link rel="modulepreload">` lines for the map element's bundles not already in `index_html`,
    then for `extra` (absolute URL paths: the map element's script)."""
    listed = set(re.findall(r"static/js/([\w.\-]+\.js)", index_html))
    urls = bundle_paths(folder, MAP_BUNDLES, listed) + [u for u in extra if u not in index_html]
    return "".join(f'<link rel="modulepreload" crossorigin href="{u}">' for u in urls)


def nodelay(protocol: Any) -> None:
    """Set TCP_NODELAY on every connection the server's HTTP protocol class accepts.

    Streamlit 1.67 makes its listening socket as socket.socket(family), protocol 0, and asyncio sets
    TCP_NODELAY only on connections of protocol IPPROTO_TCP. Without it a response's second write on a
    kept-alive connection waits for the browser's delayed ACK: ≈ 40 ms for every bundle after a
    connection's first, and for websocket messages sent in a row.
    """
    made = protocol.connection_made
    if getattr(made, "nodelay", False):
        return

    def connection_made(self, transport, *args, **kwargs):
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return made(self, transport, *args, **kwargs)

    connection_made.nodelay = True  # type: ignore[attr-defined]
    connection_made.__wrapped__ = made  # type: ignore[attr-defined]
    protocol.connection_made = connection_made


def nodelay_connections() -> None:
    """TCP_NODELAY on the connections of uvicorn's HTTP protocols (h11, and httptools when installed)."""
    for module, name in (("uvicorn.protocols.http.h11_impl", "H11Protocol"),
                         ("uvicorn.protocols.http.httptools_impl", "HttpToolsProtocol")):
        try:
            nodelay(getattr(importlib.import_module(module), name))
        except ImportError:  # httptools is optional
            pass


class FirstView:
    """Redirect `/` to /petition; add the map's preload hints to the page's HTML."""

    def __init__(self, app: ASGIApp, *, extra: Callable[[], list[str]] = list, folder: Path | None = None) -> None:
        self.app = app
        self.extra = extra  # called once, on the first page served (the map's script is written by then)
        self.folder = folder or frontend() / "static" / "js"
        self._hints: bytes | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope["path"].startswith(SERVER_PATHS):
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        if scope["path"] == "/" and "embed" not in dict(parse_qsl(query)):
            await send({"type": "http.response.start", "status": 307,
                        "headers": [(b"location", ("/petition" + (f"?{query}" if query else "")).encode("latin-1")),
                                    (b"content-length", b"0"), (b"cache-control", b"no-store")]})
            await send({"type": "http.response.body", "body": b""})
            return
        # Always the whole page (no 304 for a copy made before these hints changed: it is 8 kB), in identity
        # bytes from below; gzipped here once the hints are in.
        headers = scope["headers"]
        gzip_ok = accepts_gzip(b", ".join(v for k, v in headers if k.lower() == b"accept-encoding").decode("latin-1"))
        inner = dict(scope, headers=[(k, v) for k, v in headers
                                     if k.lower() not in (b"if-none-match", b"if-modified-since", b"accept-encoding")])
        await self.app(inner, receive, _Page(self, send, gzip_ok).send)

    def hint_bytes(self, html: str) -> bytes:
        if self._hints is None:
            self._hints = hints(html, self.folder, self.extra()).encode("utf-8")
        return self._hints


class _Page:
    """One response: an HTML page gets the hints before </head>; anything else passes unchanged."""

    def __init__(self, owner: FirstView, send: Send, gzip_ok: bool) -> None:
        self.owner, self.out, self.gzip_ok = owner, send, gzip_ok
        self.start: Message | None = None
        self.parts: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            sent = {k.lower(): v for k, v in message.get("headers", [])}
            html = sent.get(b"content-type", b"").startswith(b"text/html")
            if message["status"] == 200 and html and b"content-encoding" not in sent:
                self.start = message
                return
        elif message["type"] == "http.response.body" and self.start is not None:
            self.parts.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(self.parts)
            text = body.decode("utf-8", errors="replace")
            if "</head>" in text:
                body = body.replace(b"</head>", self.owner.hint_bytes(text) + b"</head>", 1)
            drop = (b"content-length", b"etag", b"last-modified", b"vary")
            headers = [(k, v) for k, v in self.start.get("headers", []) if k.lower() not in drop]
            headers.append((b"vary", b"Accept-Encoding"))
            if self.gzip_ok:
                body = gzip.compress(body, compresslevel=6, mtime=0)
                headers.append((b"content-encoding", b"gzip"))
            await self.out(dict(self.start, headers=headers + [(b"content-length", str(len(body)).encode())]))
            await self.out({"type": "http.response.body", "body": body, "more_body": False})
            return
        await self.out(message)
