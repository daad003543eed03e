"""The static-file gzip middleware (dashboard/compress.py) over Starlette's own static handlers, as in Streamlit:
gzip when accepted, identity when not, each file version compressed once, headers right."""

from __future__ import annotations

import asyncio
import gzip
import os
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import FileResponse, PlainTextResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient
from streamlit.web.server.starlette.starlette_gzip_middleware import SelectiveGZipMiddleware

from dashboard.compress import MIN_SIZE, StaticGzip, accepts_gzip

SCRIPT = b"".join(b"function f%d(a, b) { return a + b * %d; }\n" % (i, i) for i in range(2000))
IDENTITY = {"Accept-Encoding": "identity"}
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.mark.parametrize(("header", "accepted"), [
    ("gzip", True), ("gzip, deflate, br, zstd", True), ("br;q=1.0, gzip;q=0.8", True), ("GZIP", True),
    ("x-gzip", True), ("*", True), ("identity", False), ("", False), ("br", False), ("gzip;q=0", False),
    ("*;q=0", False), ("gzip;q=0, *", False), ("deflate, *;q=0.1", True), ("gzip;q=nonsense", False),
])
def test_accepts_gzip(header, accepted):
    assert accepts_gzip(header) is accepted


@pytest.fixture
def site(tmp_path):
    """Streamlit's two kinds of static route: a StaticFiles mount (/static/, immutable cache headers) and a
    FileResponse route (/app/static/), under Streamlit's own per-request gzip, wrapped in StaticGzip."""
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "index.js").write_bytes(SCRIPT)
    (tmp_path / "js" / "tiny.js").write_bytes(b"x" * (MIN_SIZE - 1))
    (tmp_path / "logo.png").write_bytes(os.urandom(4000))
    (tmp_path / "geo.json").write_bytes(b'{"paths": [' + b'"M1 2L3 4Z",' * 3000 + b'""]}')

    class Immutable(StaticFiles):
        async def get_response(self, path, scope):
            response = await super().get_response(path, scope)
            response.headers["Cache-Control"] = "public, immutable, max-age=31536000"
            return response

    async def app_static(request):
        return FileResponse(tmp_path / request.path_params["path"], media_type="application/json")

    async def other(request):
        return PlainTextResponse("y" * 5000)

    inner = SelectiveGZipMiddleware(Starlette(routes=[
        Route("/app/static/{path:path}", app_static), Route("/other", other),
        Mount("/static", Immutable(directory=tmp_path))]))
    middleware = StaticGzip(inner)
    return tmp_path, middleware, TestClient(middleware), TestClient(inner)  # the last: Streamlit alone


def fetch(client, url, headers, method="GET"):
    """Status, headers and the bytes as they travel (not decoded)."""
    with client.stream(method, url, headers=headers) as response:
        return response.status_code, response.headers, b"".join(response.iter_raw())


def test_gzip_when_accepted_with_headers_kept(site):
    _, _, client, _ = site
    status, plain, body = fetch(client, "/static/js/index.js", IDENTITY)
    assert (status, body) == (200, SCRIPT)
    status, headers, raw = fetch(client, "/static/js/index.js", GZIP)
    assert status == 200
    assert gzip.decompress(raw) == SCRIPT
    assert headers["content-encoding"] == "gzip"
    assert headers["content-length"] == str(len(raw)) and len(raw) < len(SCRIPT) / 3
    assert headers["vary"] == "Accept-Encoding"
    assert headers["etag"] == "W/" + plain["etag"]
    for name in ("cache-control", "last-modified", "content-type"):
        assert headers[name] == plain[name]
    assert "accept-ranges" not in headers


@pytest.mark.parametrize("accept", [IDENTITY, {"Accept-Encoding": "br"}, {"Accept-Encoding": "gzip;q=0"}])
def test_identity_when_not_accepted_is_unchanged(site, accept):
    folder, middleware, client, streamlit = site
    for url in ("/static/js/index.js", "/app/static/geo.json"):
        assert fetch(client, url, accept) == fetch(streamlit, url, accept)
    assert middleware.compressions == 0
    status, headers, body = fetch(client, "/static/js/index.js", IDENTITY)
    assert (status, body) == (200, SCRIPT) and "content-encoding" not in headers


def test_each_version_compressed_once(site):
    folder, middleware, client, _ = site
    first = [fetch(client, "/static/js/index.js", GZIP)[2] for _ in range(3)]
    assert middleware.compressions == 1 and first[0] == first[1] == first[2]
    geometry = [fetch(client, "/app/static/geo.json", GZIP) for _ in range(3)]
    assert middleware.compressions == 2  # Streamlit's per-request gzip below never saw the header
    assert all(h["content-encoding"] == "gzip" and gzip.decompress(r) == (folder / "geo.json").read_bytes()
               for _, h, r in geometry)
    (folder / "js" / "index.js").write_bytes(SCRIPT + b"// v2\n")  # a new version: a new ETag
    assert gzip.decompress(fetch(client, "/static/js/index.js", GZIP)[2]) == SCRIPT + b"// v2\n"
    assert middleware.compressions == 3


def test_concurrent_first_requests_compress_once(site):
    _, middleware, _, _ = site

    async def both():
        transport = httpx.ASGITransport(app=middleware)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await asyncio.gather(*(client.get("/static/js/index.js", headers=GZIP) for _ in range(4)))

    with ThreadPoolExecutor(1) as pool:  # a loop of its own (Playwright's may be running in this thread)
        responses = pool.submit(asyncio.run, both()).result()
    assert middleware.compressions == 1
    assert all(r.headers["content-encoding"] == "gzip" and r.content == SCRIPT for r in responses)


def test_head_conditional_and_range(site):
    _, _, client, _ = site
    _, gz, raw = fetch(client, "/static/js/index.js", GZIP)
    status, head, body = fetch(client, "/static/js/index.js", GZIP, method="HEAD")
    assert (status, body) == (200, b"")
    assert head["content-encoding"] == "gzip" and head["content-length"] == str(len(raw))
    status, headers, body = fetch(client, "/static/js/index.js", GZIP | {"If-None-Match": gz["etag"]})
    assert (status, body) == (304, b"")
    assert headers["etag"] == gz["etag"] and headers["vary"] == "Accept-Encoding"
    status, headers, body = fetch(client, "/static/js/index.js", GZIP | {"Range": "bytes=0-99"})
    assert (status, body) == (206, SCRIPT[:100])
    assert "content-encoding" not in headers and headers["content-range"] == f"bytes 0-99/{len(SCRIPT)}"


@pytest.mark.parametrize("url", ["/static/js/tiny.js", "/static/logo.png", "/static/missing.js"])
def test_small_binary_or_missing_files_pass_through(site, url):
    folder, middleware, client, _ = site
    status, headers, body = fetch(client, url, GZIP)
    assert "content-encoding" not in headers and middleware.compressions == 0
    if status == 200:
        assert body == (folder / url.removeprefix("/static/")).read_bytes()
    else:
        assert status == 404


def test_other_paths_left_to_streamlit(site):
    _, middleware, client, _ = site
    status, headers, raw = fetch(client, "/other", GZIP)
    assert status == 200 and headers["content-encoding"] == "gzip"  # Streamlit's own gzip, per request
    assert gzip.decompress(raw) == b"y" * 5000 and middleware.compressions == 0 and not middleware.cache


def test_memory_used_up_sends_files_as_they_are(site):
    folder, default, _, _ = site
    middleware = StaticGzip(default.app, memory=1)  # room for the first compressed file only
    client = TestClient(middleware)
    assert fetch(client, "/static/js/index.js", GZIP)[1]["content-encoding"] == "gzip"
    for _ in range(2):
        status, headers, body = fetch(client, "/app/static/geo.json", GZIP)
        assert (status, body) == (200, (folder / "geo.json").read_bytes()) and "content-encoding" not in headers
    assert middleware.compressions == 1
