"""The embed view in a real browser: nothing but the map block, and no request leaves this machine."""

from __future__ import annotations

import pytest

from dashboard.harness import is_local, screenshot, wait_for_map

pytestmark = pytest.mark.browser

# Visible page elements outside the embed block (Streamlit's element containers, headings, the sidebar).
JS_OUTSIDE = """() => [...document.querySelectorAll(
    '[data-testid="stElementContainer"], [data-testid="stSidebar"], header[data-testid="stHeader"], h1, h2')]
  .filter(e => !e.closest('.st-key-embed') && !e.querySelector('.st-key-embed'))
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
  .map(e => e.getAttribute('data-testid') || e.tagName)"""


def test_embed_shows_only_the_map_block(page, app):
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.set_viewport_size({"width": 400, "height": 500})
    page.goto(f"{app.url}/?petition=700143&embed=map")
    wait_for_map(page)
    block = page.locator(".st-key-embed")
    block.get_by_text("signatures", exact=False).first.wait_for()
    assert page.evaluate(JS_OUTSIDE) == []
    text = block.inner_text()
    assert "1,462,163 signatures" in text and "data as of" in text and "100,000 reached" in text
    sign = block.get_by_role("link", name="Sign this petition")
    assert sign.get_attribute("href") == "https://petition.parliament.uk/petitions/700143/signatures/new"
    box = sign.bounding_box()
    assert box and box["y"] + box["height"] <= 500  # everything within a 400 × 500 frame
    assert page.locator('[data-testid="stProgress"]').count() == 1
    screenshot(page, "30-embed-400x500", scroll=False)
    assert seen and all(is_local(u) for u in seen), [u for u in seen if not is_local(u)]

