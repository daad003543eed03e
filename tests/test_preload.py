"""The first-view middleware (dashboard/preload.py) over Starlette, as in Streamlit: `/` redirected to /petition
with its query, the page's HTML given preload hints for the map element's bundle (each once, imports included,
none the page lists already), everything else unchanged; the hints against Streamlit's real frontend; and
TCP_NODELAY on the connections uvicorn accepts."""

from __future__ import annotations

import gzip
import re
import socket

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient
from streamlit.web.server.starlette.starlette_gzip_middleware import SelectiveGZipMiddleware

from dashboard.preload import MAP_BUNDLES, FirstView, bundle_paths, frontend, hints, nodelay, nodelay_connections

PAGE = ('<html><head><script type="module" src="./static/js/index.A1.js"></script>'
        '<link rel="modulepreload" crossorigin href="./static/js/shared.S1.js"></head><body></body></html>')


@pytest.fixture
def chunks(tmp_path):
    """Chunks as Streamlit builds them: an element bundle importing helpers, one helper the page lists."""
    files = {
        "BidiComponent.B1.js": 'import{a}from"./serialization.C1.js";import{b}from"./shared.S1.js";'
                               'const lazy=()=>import("./Huge.H1.js");',
        "serialization.C1.js": 'import"./recordbatch.R1.js";export const a=1;',
        "recordbatch.R1.js": 'import{a}from"./serialization.C1.js";export const r=1;',  # a cycle
        "TextInput.T1.js": 'import{a}from"./serialization.C1.js";',
        "TextInputHelpers.X1.js": "export const x=1;",  # another name with the same beginning
        "shared.S1.js": "", "Huge.H1.js": "",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_bundles_with_their_static_imports_once_in_order(chunks):
    assert bundle_paths(chunks, ["BidiComponent", "TextInput", "Missing"], {"shared.S1.js"}) == [
        "./static/js/BidiComponent.B1.js", "./static/js/serialization.C1.js", "./static/js/recordbatch.R1.js",
        "./static/js/TextInput.T1.js"]


def app(folder, extra=lambda: ["/app/static/geo/map-abc.js"]):
    async def page(request):  # like Streamlit's index.html: revalidated by its ETag
        if request.headers.get("if-none-match") == '"page-1"':
            return Response(status_code=304, headers={"etag": '"page-1"'})
        return HTMLResponse(PAGE, headers={"etag": '"page-1"', "cache-control": "no-cache"})

    async def other(request):
        return PlainTextResponse("x" * 600)

    inner = SelectiveGZipMiddleware(Starlette(routes=[Route("/_stcore/health", other), Route("/{path:path}", page)]))
    return TestClient(FirstView(inner, extra=extra, folder=folder), follow_redirects=False)


@pytest.mark.parametrize(("url", "location"), [
    ("/", "/petition"), ("/?petition=239406&view=hex", "/petition?petition=239406&view=hex")])
def test_root_redirects_to_the_petition_page_keeping_the_query(chunks, url, location):
    response = app(chunks).get(url)
    assert response.status_code == 307 and response.headers["location"] == location


def test_an_embed_stays_at_the_root(chunks):
    response = app(chunks).get("/?embed=map&petition=239406")
    assert response.status_code == 200 and "modulepreload" in response.text


def test_page_gets_the_hints_gzipped_when_accepted(chunks):
    client = app(chunks)
    with client.stream("GET", "/petition?petition=1", headers={"Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip" and response.headers["content-length"] == str(len(raw))
    html = gzip.decompress(raw).decode()
    listed = re.findall(r'<link rel="modulepreload" crossorigin href="([^"]+)">', html)
    assert listed == ["./static/js/shared.S1.js", "./static/js/BidiComponent.B1.js",
                      "./static/js/serialization.C1.js", "./static/js/recordbatch.R1.js",
                      "/app/static/geo/map-abc.js"]
    assert html.index("map-abc.js") < html.index("</head>")
    assert "etag" not in response.headers  # the page always comes whole: its hints may have changed
    plain = client.get("/petition", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == html


def test_no_304_for_a_page_cached_before_the_hints(chunks):
    response = app(chunks).get("/petition", headers={"If-None-Match": '"page-1"'})
    assert response.status_code == 200 and "BidiComponent" in response.text


def test_other_responses_pass_unchanged(chunks):
    calls = []
    client = app(chunks, extra=lambda: calls.append(1) or [])
    response = client.get("/_stcore/health", headers={"Accept-Encoding": "gzip"})
    assert response.text == "x" * 600 and response.headers["content-encoding"] == "gzip"  # Streamlit's own gzip
    assert client.post("/").status_code == 405 and not calls  # not a GET: no redirect, no page


def test_hints_computed_once(chunks):
    calls = []
    client = app(chunks, extra=lambda: calls.append(1) or ["/app/static/geo/map-1.js"])
    client.get("/petition")
    client.get("/constituency")
    assert calls == [1]


def test_streamlits_frontend_has_the_map_elements_bundle():
    """Against the installed Streamlit: the map element's chunk is there (names change with versions)."""
    folder = frontend() / "static" / "js"
    index = (frontend() / "index.html").read_text()
    links = hints(index, folder)
    for name in MAP_BUNDLES:
        assert re.search(rf'href="\./static/js/{name}\.[\w\-]+\.js"', links), name
    assert not any(f"static/js/{u}" in index for u in re.findall(r"static/js/([\w.\-]+\.js)", links))


class Transport:
    def __init__(self, sock):
        self.sock = sock

    def get_extra_info(self, name):
        return self.sock if name == "socket" else None


@pytest.fixture
def tcp_pair():
    """A kept-alive TCP connection as Streamlit 1.67 accepts it: a listening socket of protocol 0."""
    server = socket.socket(socket.AF_INET)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname())
    accepted, _ = server.accept()
    yield accepted
    for s in (accepted, client, server):
        s.close()


def test_connections_get_nodelay_once_patched(tcp_pair):
    class Protocol:  # an asyncio protocol like uvicorn's: connection_made receives the transport
        def connection_made(self, transport):
            self.transport = transport

    original = Protocol.connection_made
    assert tcp_pair.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0  # what asyncio leaves it at
    nodelay(Protocol)
    nodelay(Protocol)  # twice: still one wrapper
    assert Protocol.connection_made.__wrapped__ is original
    protocol = Protocol()
    transport = Transport(tcp_pair)
    protocol.connection_made(transport)
    assert protocol.transport is transport  # uvicorn's own connection_made still runs
    assert tcp_pair.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def test_uvicorns_protocol_is_patched():
    from uvicorn.protocols.http.h11_impl import H11Protocol

    nodelay_connections()
    assert getattr(H11Protocol.connection_made, "nodelay", False)
