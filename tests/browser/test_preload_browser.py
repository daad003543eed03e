"""The first view in Chromium as `petitionmap run` serves it (dashboard/preload.py): `/` lands on /petition with
its query, the page's HTML preloads the map element's bundle and script, and each is fetched once."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from dashboard.harness import wait_for_map

pytestmark = pytest.mark.browser


def test_root_lands_on_the_petition_page_with_the_map_preloaded_and_fetched_once(page, app):
    documents, fetched = [], []
    page.on("response", lambda r: documents.append(r) if r.request.resource_type == "document" else None)
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    page.goto(f"{app.url}/?petition=239406&view=hex")
    wait_for_map(page)
    page.wait_for_timeout(300)  # late requests of the first view
    assert urlsplit(page.url).path == "/petition" and "petition=239406" in page.url and "view=hex" in page.url
    assert documents[0].status == 307 and len(documents) == 2  # one redirect, no script run on the way
    html = documents[-1].text()
    preloaded = re.findall(r'<link rel="modulepreload" crossorigin href="([^"]+)">', html)
    script = next(p for p in preloaded if p.startswith("/app/static/geo/map-"))
    bundle = next(p for p in preloaded if re.fullmatch(r"\./static/js/BidiComponent\.[\w\-]+\.js", p))
    assert html.index(script) < html.index("</head>")
    assert fetched.count(script) == 1, "the preloaded map script was fetched again"
    assert fetched.count(bundle.removeprefix(".")) == 1, "the preloaded bundle was fetched again"
    geometry = [p for p in fetched if p.startswith("/app/static/geo/") and p.endswith(".json")]
    assert geometry and len(geometry) == len(set(geometry))
    assert page.evaluate("() => document.querySelector('.pm-map').dataset.view") == "hex"


def test_an_embed_stays_at_its_own_address(page, app):
    page.goto(f"{app.url}/?embed=map&petition=239406")
    wait_for_map(page)
    assert urlsplit(page.url).path == "/" and "embed=map" in page.url
