"""Every address and link the app builds, opened in a real browser; and the petition page's facts beside the
official page's (screenshots under artifacts/screenshots/)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from dashboard.harness import SCREENSHOTS
from dashboard.ui import map_link
from petitions.offline import mirror_documents

pytestmark = pytest.mark.browser

TITLE = "Undertake an independent enquiry into the role of Russia in Brexit."
# Each page's address and what it must show (no "Page not found", the page's own heading, its links).
VIEW = "View on petition.parliament.uk"
PAGES = [
    ("/", "h1", TITLE, [VIEW]),
    ("/?petition=239406", "h1", TITLE, [VIEW]),
    ("/petition?petition=239406", "h1", TITLE, [VIEW]),
    ("/petition?petition=700143&c=E14001063", "h3", "Aldershot", [VIEW, "Sign this petition"]),
    ("/constituency?petition=239406&c=E14000602", "h2", "Bristol West", []),
    ("/trends?petition=241584", "h1", "Trends: Revoke Article 50", []),
    ("/trends?petition=241584&metric=per_1000&from=2019-03-23T1207&to=2019-03-26T1207", "h1", "Trends: Revoke", []),
    ("/browse", "h1", "Browse petitions", []),
    ("/browse?state=closed&q=prison&archived=1", "h1", "Browse petitions", []),
]
OUTSIDE = {"petition.parliament.uk"}  # the only outside host a link may lead to (not opened: no internet in tests)


def open_page(page, url: str, tag: str, text: str, links: list[str] = ()) -> None:
    page.goto(url)
    page.locator(tag).filter(has_text=text).first.wait_for()
    for name in links:
        page.get_by_role("link", name=name).first.wait_for()
    page.locator('[data-testid="stAppRunning"], [data-testid="stStatusWidget"]').first.wait_for(state="detached")
    assert page.get_by_text("Page not found").count() == 0, url


def links_on(page, base: str) -> tuple[set[str], set[str]]:
    """(links into the app, links out of it) of every anchor on the page."""
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    inside = {h for h in hrefs if h.startswith(base)}
    return inside, set(hrefs) - inside


def test_every_page_address_and_every_link_the_app_builds_opens(page, app):
    inside, outside = set(), set()
    for path, tag, text, links in PAGES:
        open_page(page, app.url + path, tag, text, links)
        found = links_on(page, app.url)
        inside |= found[0]
        outside |= found[1]
    open_page(page, app.url + "/?petition=239406&view=hex", "h1", TITLE)
    page.wait_for_function("() => location.pathname === '/petition' && location.search.includes('view=hex')")
    # the Constituency page's "Open map" links (drawn in a data grid canvas, so built here the same way)
    for petition in mirror_documents():
        code = max(petition.constituencies, key=lambda c: c.signature_count).ons_code
        inside.add(app.url + map_link(petition.id, code))
    nav = {urlsplit(u).path for u in inside}
    assert {"/petition", "/constituency", "/trends", "/browse"} <= nav
    for url in sorted(inside):
        path = urlsplit(url).path
        tag, text = {"/constituency": ("h1", "Constituency"), "/trends": ("h1", "Trends"),
                     "/browse": ("h1", "Browse petitions")}.get(path, ("h1", ""))
        open_page(page, url, tag, text)
    for url in outside:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.hostname in OUTSIDE, url
    assert "https://petition.parliament.uk/petitions/239406" in outside
    assert "https://petition.parliament.uk/petitions/700143/signatures/new" in outside


def test_239406_beside_the_official_page(page, app):
    open_page(page, f"{app.url}/petition?petition=239406", "h1", TITLE)
    page.get_by_text("Top 10 in the UK").wait_for()  # the whole page: the rerun that follows the drawn map
    page.locator('[data-testid="stAppRunning"], [data-testid="stStatusWidget"]').first.wait_for(state="detached")
    page.locator("h3").filter(has_text="14,846 signatures").wait_for()
    body = page.locator('[data-testid="stMain"]').inner_text()
    for seed in (TITLE, "This petition was submitted during the 2017–2019 Parliament", "This petition is closed",
                 "This petition ran for 6 months", "14,846", "This response was given on 18 March 2019",
                 "We have not seen evidence of successful interference in UK democratic processes"):
        assert seed in body, seed
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "20-239406-facts.png"))
    page.get_by_text("Read the response in full").click()
    page.get_by_text("Read the response in full").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "21-239406-response.png"))


def test_top_10_table_shows_all_its_columns_at_1400px(page, app):
    for metric in ("signatures", "index"):
        open_page(page, f"{app.url}/petition?petition=239406&metric={metric}", "h1", TITLE)
        heading = page.get_by_text("Top 10 in the UK").first
        heading.wait_for()
        table = page.locator('[data-testid="stMarkdownContainer"] table').filter(has_text="Index vs UK").first
        table.scroll_into_view_if_needed()
        fit = table.evaluate("""t => { const box = t.closest('[data-testid="stMarkdownContainer"]');
            return {table: t.getBoundingClientRect().right, box: box.getBoundingClientRect().right,
                    scroll: box.scrollWidth, client: box.clientWidth,
                    heads: [...t.querySelectorAll('th')].map(h => h.textContent)}; }""")
        assert fit["heads"] == ["Constituency", "Signatures", "Per 1,000", "Index vs UK"], fit
        assert fit["table"] <= fit["box"] + 1 and fit["scroll"] <= fit["client"] + 1, fit  # no column cut off
    table.screenshot(path=str(SCREENSHOTS / "22-top10-1400px.png"))


def test_open_petition_has_its_sign_link_and_deadline(page, app):
    open_page(page, f"{app.url}/petition?petition=700143", "h1", "Call a General Election")
    link = page.get_by_role("link", name="Sign this petition")
    assert link.get_attribute("href") == "https://petition.parliament.uk/petitions/700143/signatures/new"
    assert "Deadline 20 May 2025" in page.locator('[data-testid="stMain"]').inner_text()
    page.screenshot(path=str(SCREENSHOTS / "23-700143-open.png"))


JS_BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {l: r.left, r: r.right, t: r.top, b: r.bottom}; };
  const player = document.querySelector('.pm-player:not([hidden])');
  const rate = [...document.querySelectorAll('.js-plotly-plot')]
    .find(p => p.textContent.includes('Signatures per hour'));
  return {buttons: player ? [...player.querySelectorAll('button')].map(box) : [],
          label: player ? box(player.querySelector('input[type=range]')) : null,
          ticks: rate ? [...rate.querySelectorAll('g.xtick text')].map(t => t.textContent) : [],
          legend: [...document.querySelectorAll('g.legend text.legendtext')].map(t => t.textContent)};
}"""



def test_trends_charts_read_well(page, app):
    open_page(page, f"{app.url}/trends?petition=241584", "h1", "Trends: Revoke")
    page.locator(".pm-player:not([hidden]) input[type=range]").first.wait_for()
    page.locator(".pm-player:not([hidden])").first.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('g.legend text.legendtext').length >= 2")
    boxes = page.evaluate(JS_BOXES)
    label = boxes["label"]
    assert boxes["buttons"], boxes
    for b in boxes["buttons"]:  # Play/Pause never cover the slider
        assert b["r"] <= label["l"] or b["l"] >= label["r"] or b["b"] <= label["t"] or b["t"] >= label["b"], boxes
    assert boxes["ticks"] and all("." not in t for t in boxes["ticks"]), boxes["ticks"]  # minutes, not 59.9996 s
    assert "Total (petition.parliament.uk, abroad included)" in boxes["legend"]
    assert "Sum of UK constituencies (abroad excluded)" in boxes["legend"]
    page.screenshot(path=str(SCREENSHOTS / "24-trends-slider-buttons.png"))
    page.locator('[data-testid="stPlotlyChart"]').first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "25-trends-charts.png"))
