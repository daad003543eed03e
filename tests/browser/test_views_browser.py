"""Constituency, Trends and export in a real browser: click and search selection, PNG download, phone width,
and the time slider moving the map."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from tests.browser.conftest import point_in, screenshot, wait_for_map

# Each constituency's own colour, in drawing order (the set of colours used can be the same on two dates).
JS_COLOURS = """() => [...document.querySelector('g.trace.choropleth').querySelectorAll('path.choroplethlocation')]
  .map(p => getComputedStyle(p).fill).join('|')"""

pytestmark = pytest.mark.browser


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_click_on_the_map_carries_over_to_the_constituency_page(page, app, constituency_sets):
    page.goto(app.url)
    wait_for_map(page)
    point = point_in(page, 120)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(f"() => location.search.includes('c={point['code']}')")
    page.get_by_role("link", name="Constituency").click()
    name = dict(zip(constituency_sets["pcon2010"].table["ons_code"], constituency_sets["pcon2010"].table["name"]))
    heading = page.locator("h2").filter(has_text=name[point["code"]]).first
    heading.wait_for()
    page.wait_for_function(f"() => location.search.includes('c={point['code']}')")  # the URL follows
    screenshot(page, "10-constituency-by-click")


def test_search_picks_a_constituency(page, app):
    page.goto(f"{app.url}/constituency?petition=239406")
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Constituency").locator("input")
    box.click()
    box.fill("Bristol W")
    page.keyboard.press("Enter")
    page.locator("h2").filter(has_text="Bristol West").first.wait_for()
    assert "Thangam Debbonaire MP" in page.locator('[data-testid="stMarkdown"]').all_inner_texts().__str__()
    page.wait_for_function("() => location.search.includes('c=E14000602')")
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    screenshot(page, "11-constituency-by-search")


def test_png_download_is_a_real_map_picture(page, app):
    page.goto(f"{app.url}/?petition=239406&metric=per_1000")
    wait_for_map(page)
    page.get_by_text("All constituencies: table and downloads").click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Map PNG").click()
    data = open(download.value.path(), "rb").read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1000, 1250) and len(data) > 50_000
    assert len(image.convert("RGB").getcolors(maxcolors=1_000_000)) > 50
    assert download.value.suggested_filename == "petition-239406-per_1000-map-uk.png"


def test_works_at_phone_width(page, app):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{app.url}/?petition=700143&view=hex")
    wait_for_map(page)
    overflow = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert overflow <= 390
    box = page.locator('[data-testid="stPlotlyChart"]').first.bounding_box()
    assert box["width"] <= 390 and box["height"] > 300
    screenshot(page, "12-phone-390px")


def test_trends_slider_moves_the_map(page, app):
    page.goto(f"{app.url}/trends?petition=241584")
    wait_for_map(page)
    before = page.evaluate(JS_COLOURS)
    page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator("g.slider-container")).first \
        .scroll_into_view_if_needed()
    last = page.locator("g.slider-container g.slider-label-group").last  # 1 April 2019
    last.wait_for(state="attached")
    assert "01 Apr" in last.text_content()
    box = last.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(f"([before]) => ({JS_COLOURS})() !== before", arg=[before])
    after = page.evaluate(JS_COLOURS)
    assert after.count("|") == 649 and after != before
    changed = sum(a != b for a, b in zip(after.split("|"), before.split("|")))
    assert changed > 100  # 21 March → 1 April: most constituencies moved up a class
    assert "01 Apr" in page.locator("g.slider-container text.slider-label").first.text_content()
    screenshot(page, "13-trends-slider")
