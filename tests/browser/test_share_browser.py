"""Sharing in a real browser: "Copy link" copies the page's own address (which holds the view), the share links
are plain links to each site's share address, and opening them loads no third-party script."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.harness import VIEWPORT, is_local, wait_for_map

pytestmark = pytest.mark.browser


def test_copy_link_and_share_links(chromium, app):
    context = chromium.new_context(viewport=VIEWPORT)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app.url)
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    page = context.new_page()
    page.goto(f"{app.url}/petition?petition=239406&view=hex&metric=per_1000")
    wait_for_map(page)
    page.get_by_role("button", name="Share").click()
    copy = page.get_by_role("button", name="Copy link")
    copy.click()
    page.get_by_role("button", name="Link copied").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url and parse_qs(urlsplit(copied).query)["view"] == ["hex"]
    links = {site: page.get_by_role("link", name=site, exact=True).get_attribute("href")
             for site in ("Email", "Bluesky", "X", "Facebook", "WhatsApp", "LinkedIn")}
    assert urlsplit(links["Facebook"]).netloc == "www.facebook.com"
    assert parse_qs(urlsplit(links["Facebook"]).query)["u"][0].startswith(f"{app.url}/petition?petition=239406")
    assert links["Email"].startswith("mailto:?subject=")
    embed = page.locator("code").filter(has_text="embed=map")
    embed.wait_for()  # its code bundle loads when the popover first opens
    assert embed.count() == 1  # the embed code
    assert seen and all(is_local(u) for u in seen), [u for u in seen if not is_local(u)]
    context.close()
