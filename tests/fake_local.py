"""A fake petition.parliament.uk "petitions local to you" lookup on 127.0.0.1 (for tests of postcode → seat)."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.services import local_server

POSTCODES = {"BS81TH": "bristol-central", "SW1A1AA": "cities-of-london-and-westminster",
             "EH11YZ": "/elsewhere", "BR11AA": "!500"}


class LocalLookup(BaseHTTPRequestHandler):
    """/petitions/local?postcode=… → 302 to /petitions/local/<slug>, as the official site does; else a page."""

    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        parts = urlsplit(self.path)
        postcode = parse_qs(parts.query).get("postcode", [""])[0]
        LocalLookup.seen.append(postcode)
        slug = POSTCODES.get(postcode)
        if parts.path == "/petitions/local" and slug == "!500":
            self.send_response(503)
            self.end_headers()
        elif parts.path == "/petitions/local" and slug:
            self.send_response(302)
            self.send_header("Location", slug if slug.startswith("/") else f"/petitions/local/{slug}")
            self.end_headers()
        else:
            body = b"<html><body>We couldn't find a constituency for that postcode</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


def fake_local_site():
    """Start the fake site; returns the server (its base is http://127.0.0.1:<port>)."""
    return local_server(LocalLookup)
