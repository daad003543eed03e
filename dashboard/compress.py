"""Static files gzipped once: an ASGI middleware in front of Streamlit's server (dashboard/serve.py).

Streamlit 1.67 serves its frontend bundles (/static/) uncompressed on purpose: Starlette's GZipMiddleware
would compress them again on every request. Here each file is compressed once per version (its path and
ETag, which Starlette derives from the file's size and mtime), kept in memory and sent to every browser
that accepts gzip. Clients that do not, range requests and other methods get Streamlit's answer unchanged.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PREFIXES = ("/static/", "/app/static/")  # Streamlit's frontend bundles; our geometry files
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml",
                "application/wasm", "application/manifest+json", "font/ttf", "font/otf")
MIN_SIZE = 256  # bytes: below this gzip saves a few bytes at most
MAX_SIZE = 32_000_000  # bytes: a larger file is sent as it is rather than held in memory
MEMORY = 64_000_000  # bytes of compressed files kept (Streamlit’s whole frontend: ≈ 9 MB); then sent as they are


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding value allows gzip (explicitly, or through `*`, with q > 0)."""
    weights: dict[str, float] = {}
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding:
            weights[coding.strip().lower()] = q
    return weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0))) > 0


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    return next((v for k, v in headers if k.lower() == name), None)


def _compressible(headers: list[tuple[bytes, bytes]]) -> bool:
    kind = (_header(headers, b"content-type") or b"").decode("latin-1").split(";")[0].strip().lower()
    size = _header(headers, b"content-length")
    return (kind.startswith(COMPRESSIBLE) and _header(headers, b"content-encoding") is None
            and _header(headers, b"etag") is not None and size is not None and size.isdigit()
            and MIN_SIZE <= int(size) <= MAX_SIZE)


def _encoded_headers(headers: list[tuple[bytes, bytes]], length: int | None) -> list[tuple[bytes, bytes]]:
    """The headers of the gzip representation: its length, encoding, Vary, and the ETag made weak (the same
    file, other bytes; a weak tag still revalidates: Starlette compares If-None-Match without W/)."""
    out = []
    vary = b""
    for k, v in headers:
        name = k.lower()
        if name == b"vary":
            vary = v
        elif name == b"etag":
            out.append((k, v if v.startswith(b"W/") else b"W/" + v))
        elif name not in (b"content-length", b"accept-ranges"):
            out.append((k, v))
    if b"accept-encoding" not in vary.lower():
        vary = vary + b", Accept-Encoding" if vary else b"Accept-Encoding"
    out.append((b"vary", vary))
    if length is not None:
        out += [(b"content-encoding", b"gzip"), (b"content-length", str(length).encode())]
    return out


class StaticGzip:
    """Serve the files under `prefixes` gzipped to clients that accept it, compressing each version once."""

    def __init__(self, app: ASGIApp, *, prefixes: tuple[str, ...] = PREFIXES, level: int = 9,
                 memory: int = MEMORY) -> None:
        self.app = app
        self.prefixes = prefixes
        self.level = level
        self.memory = memory
        self.kept = 0  # bytes held in `cache`
        self.compressions = 0  # files compressed so far (each version once)
        # (path, etag) → gzip bytes, or None when gzip would not be smaller (sent as it is)
        self.cache: dict[tuple[str, bytes], bytes | None] = {}
        self._pending: dict[tuple[str, bytes], asyncio.Future[bytes | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._handles(scope):
            await self.app(scope, receive, send)
            return
        # The layers below (Streamlit's own gzip) answer in identity bytes; the encoding is done here.
        inner = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"])
        await self.app(inner, receive, _Reply(self, scope["path"], scope["method"] == "HEAD", send).send)

    def _handles(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            return False
        if not scope.get("path", "").startswith(self.prefixes):
            return False
        headers = scope.get("headers", ())
        if any(k.lower() in (b"range", b"if-range") for k, _ in headers):
            return False  # ranges describe the file's own bytes: left to Streamlit
        accept = b", ".join(v for k, v in headers if k.lower() == b"accept-encoding").decode("latin-1")
        return accepts_gzip(accept)

    async def compressed(self, key: tuple[str, bytes], body: bytes) -> bytes | None:
        """The gzip bytes of this version of the file, compressed on its first request off the event loop
        (None: sent as it is, when gzip is not smaller or the memory for compressed files is used up)."""
        if key in self.cache:
            return self.cache[key]
        if self.kept >= self.memory:
            return None
        pending = self._pending.get(key)
        if pending is not None:  # the same file asked for again while it is being compressed
            return await asyncio.shield(pending)
        pending = self._pending[key] = asyncio.ensure_future(asyncio.to_thread(self._compress, body))
        try:
            data = self.cache[key] = await pending
        finally:
            del self._pending[key]
        self.kept += len(data or b"")
        return data

    def _compress(self, body: bytes) -> bytes | None:
        self.compressions += 1
        data = gzip.compress(body, compresslevel=self.level, mtime=0)
        return data if len(data) < len(body) else None


class _Reply:
    """One response on its way out: passed through, answered from the cache, or collected and compressed."""

    def __init__(self, owner: StaticGzip, path: str, head: bool, send: Send) -> None:
        self.owner, self.path, self.head, self.out = owner, path, head, send
        self.mode = "pass"
        self.start: Message = {}
        self.key: tuple[str, bytes] = ("", b"")
        self.parts: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            await self._start(message)
        elif message["type"] == "http.response.body" and self.mode == "collect":
            self.parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._finish(b"".join(self.parts))
        elif self.mode == "pass":
            await self.out(message)
        # mode "done": the cached answer went out; the file's own bytes are dropped

    async def _start(self, message: Message) -> None:
        headers = list(message.get("headers", []))
        status = message["status"]
        etag = _header(headers, b"etag")
        if status == 304 and etag is not None and self.owner.cache.get((self.path, etag)) is not None:
            await self.out(dict(message, headers=_encoded_headers(headers, None)))  # as its 200 would say
            return
        if status != 200 or not _compressible(headers):
            await self.out(message)
            return
        self.start, self.key = dict(message, headers=headers), (self.path, etag or b"")
        if self.key not in self.owner.cache:
            self.mode = "collect"
            return
        self.mode = "done"
        await self._send(self.owner.cache[self.key], None)

    async def _finish(self, body: bytes) -> None:
        self.mode = "done"
        if self.head:  # a HEAD has no body to compress: the cached size if known, else as it is
            data = self.owner.cache.get(self.key)
            await self._send(data, body)
            return
        await self._send(await self.owner.compressed(self.key, body), body)

    async def _send(self, data: bytes | None, body: bytes | None) -> None:
        """Send the gzip bytes `data`; without them, the file's own `body`, or (None) let it through."""
        if data is not None:
            await self.out(dict(self.start, headers=_encoded_headers(self.start["headers"], len(data))))
            await self.out({"type": "http.response.body", "body": b"" if self.head else data, "more_body": False})
            return
        await self.out(self.start)
        if body is None:
            self.mode = "pass"
        else:
            await self.out({"type": "http.response.body", "body": body, "more_body": False})
