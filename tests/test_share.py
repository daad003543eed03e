import io
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.share import page_url, share_links
from tests.pages import app

URL = "https://maps.example.org/petition?petition=700143&view=hex"


@pytest.mark.parametrize("base, path, params, url", [
    ("https://maps.example.org/petition", "/petition", {"petition": "700143", "view": "hex", "c": ""}, URL),
    ("http://localhost:8661/", "/", {"petition": "1", "embed": "map"}, "http://localhost:8661/?petition=1&embed=map"),
    ("http://localhost:8661/compare", "/compare", {}, "http://localhost:8661/compare"),
    (None, "/petition", {"petition": "1"}, None),
    ("javascript:alert(1)", "/petition", {"petition": "1"}, None),
    ("https://maps.example.org", "/petition", {"petition": "1&x=<b>"}, "https://maps.example.org/petition?petition=1%26x%3D%3Cb%3E"),
])
def test_page_url(base, path, params, url):
    assert page_url(base, path, params) == url


@pytest.mark.parametrize("site, host, field, expected", [
    ("Email", "", "body", "Call a General Election & more\n\n" + URL),
    ("Bluesky", "bsky.app", "text", "Call a General Election & more " + URL),
    ("X", "twitter.com", "url", URL),
    ("Facebook", "www.facebook.com", "u", URL),
    ("WhatsApp", "wa.me", "text", "Call a General Election & more " + URL),
    ("LinkedIn", "www.linkedin.com", "url", URL),
])
def test_share_links_are_plain_urls(site, host, field, expected):
    links = dict(share_links(URL, "Call a General Election & more"))
    parts = urlsplit(links[site])
    assert parts.scheme == ("mailto" if site == "Email" else "https")
    assert parts.netloc == host
    assert parse_qs(parts.query)[field] == [expected]  # the whole address survives, query and all


def test_petition_page_has_copy_link_share_and_card(fake_api):
    at = app(petition="700143")
    assert not at.exception
    copies = lambda: [e for e in at.get("bidi_component") if e.proto.id.endswith("-copy_link")]  # noqa: E731
    assert not copies()  # the first view loads none of the share block's bundles
    at.session_state["share"] = True  # the popover opened
    at.run()
    assert len(copies()) == 1
    card = next(b for b in at.get("download_button") if b.proto.label.startswith("Share card"))
    assert card.proto.label == "Share card (PNG, 1200 × 630)"


def test_share_card_is_1200_by_630(mirror):
    from dataclasses import replace

    from PIL import Image

    from geo.render.card import card_png, card_svg
    from petitions.model import read_petition_file
    from tests.documents import joined

    p = read_petition_file(mirror / "petitions" / "700143.json")
    result = joined(p)
    image = Image.open(io.BytesIO(card_png(result)))
    assert image.size == (1200, 630) and image.format == "PNG"
    svg = card_svg(result)
    assert svg.count('<path d="') == 650 and "1,462,163" in svg and "Data as of 24 November 2024 20:02 UTC" in svg
    hostile = card_svg(replace(result, petition=replace(p, action="<script>x</script> & co")))
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile
