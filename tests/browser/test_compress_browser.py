"""The petition page in Chromium as `petitionmap run` serves it: Streamlit's bundles and the map's static files
arrive gzip-encoded (dashboard/compress.py), and the map still draws its 650 seats."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from dashboard.compress import MIN_SIZE
from dashboard.harness import wait_for_map

pytestmark = pytest.mark.browser


def test_static_bundles_arrive_gzipped_and_the_map_draws(page, app):
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{app.url}/?petition=239406")
    wait_for_map(page)
    page.wait_for_timeout(300)  # late requests of the first view
    static = [r for r in responses if urlsplit(r.url).path.startswith(("/static/", "/app/static/"))
              and urlsplit(r.url).path.endswith((".js", ".css", ".json")) and r.status == 200]
    paths = {urlsplit(r.url).path for r in static}
    assert any(p.startswith("/static/js/") for p in paths), paths
    assert any(p.startswith("/app/static/geo/") for p in paths), paths
    plain = sorted(urlsplit(r.url).path for r in static
                   if r.headers.get("content-encoding") != "gzip" and len(r.body()) >= MIN_SIZE)
    assert not plain, f"sent uncompressed: {plain}"
    for response in static:
        if response.headers.get("content-encoding") == "gzip":
            assert "accept-encoding" in response.headers.get("vary", "").lower()
    main = max(static, key=lambda r: len(r.body()))  # the largest bundle: fewer bytes on the wire than it holds
    assert main.request.sizes()["responseBodySize"] < len(main.body()) / 2
