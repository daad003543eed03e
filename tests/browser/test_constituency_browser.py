"""The Constituency page in a real browser: its lists' links open the petition's map with the seat selected,
and the page fits 1400 px and 390 px without a horizontal scroll (screenshots under artifacts/screenshots/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.harness import SCREENSHOTS

pytestmark = pytest.mark.browser

NAMES = {"E14000602": "Bristol West", "E14001131": "Bristol Central"}  # the only seats these pages link to
NO_SIDE_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def settle(page, url: str, heading: str) -> None:
    page.goto(url)
    page.locator("h2").filter(has_text=heading).first.wait_for()
    page.get_by_text("Unusually unpopular here").first.wait_for()
    page.get_by_role("combobox", name="Constituency").wait_for()
    page.locator('[data-testid="stAppRunning"], [data-testid="stStatusWidget"]').first.wait_for(state="detached")


def list_links(page, title: str) -> list[str]:
    """The hrefs of the list under a bold heading."""
    return page.evaluate("""(title) => {
        const strong = [...document.querySelectorAll('strong')].find(s => s.textContent.trim() === title);
        let block = strong.closest('[data-testid="stElementContainer"]').nextElementSibling;
        return [...block.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
    }""", title)


@pytest.mark.parametrize("width, height", [(1400, 1000), (390, 844)])
@pytest.mark.parametrize("code, heading, name", [("E14000602", "Bristol West", "bristol-west-2010"),
                                                 ("E14001131", "Bristol Central", "bristol-central-2024")])
def test_profile_fits_without_a_side_scroll(page, app, width, height, code, heading, name):
    page.set_viewport_size({"width": width, "height": height})
    settle(page, f"{app.url}/constituency?c={code}", heading)
    assert page.evaluate(NO_SIDE_SCROLL), f"horizontal scroll at {width} px"
    page.set_viewport_size({"width": width, "height": 3400 if width < 800 else 2600})  # the whole page in one picture
    page.get_by_role("combobox", name="Constituency").wait_for()
    page.get_by_role("button", name="Profile as CSV").wait_for()
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for()  # the comparison table has drawn
    page.wait_for_timeout(500)
    assert page.evaluate(NO_SIDE_SCROLL), f"horizontal scroll at {width} px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"constituency-{name}-{width}.png"))


def test_every_list_link_opens_the_petitions_map_with_the_seat_selected(page, app):
    opened = 0
    for code, heading in (("E14000602", "Bristol West"), ("E14001131", "Bristol Central")):
        settle(page, f"{app.url}/constituency?c={code}", heading)
        links = {h for t in ("Most signed here", "Unusually popular here", "Unusually unpopular here")
                 for h in list_links(page, t)}
        assert links, heading
        for href in sorted(links):
            match = re.fullmatch(r"/petition\?petition=(\d+)&c=(\w+)", href)
            assert match, href
            page.goto(app.url + href)
            page.locator("h1").first.wait_for()
            page.wait_for_function("(c) => new URLSearchParams(location.search).get('c') === c", arg=match[2])
            assert page.get_by_text("Page not found").count() == 0, href
            seat = page.get_by_role("combobox", name="Find a constituency")
            seat.wait_for()
            assert seat.input_value() == NAMES[match[2]], href  # the seat is selected on the petition's map
            opened += 1
    assert opened >= 8


def test_the_one_page_summary_downloads_as_a_png(page, app):
    settle(page, f"{app.url}/constituency?c=E14001131", "Bristol Central")
    with page.expect_download() as download:
        page.get_by_role("button", name="One-page summary (PNG)").click()
    assert download.value.suggested_filename == "E14001131-summary.png"
    body = Path(download.value.path()).read_bytes()
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(body[16:20], "big") == 1240
