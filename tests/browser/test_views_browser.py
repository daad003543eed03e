"""Constituency, Trends and export in a real browser: the map element on every page, click and search
selection, PNG download, and the Trends animation playing in the browser."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from dashboard.harness import JS_INDEX_OF, map_state, point_in, screenshot, wait_for_map, wait_for_redraw

pytestmark = pytest.mark.browser

# Each seat's own colour in drawing order, for the n-th map of the page.
JS_COLOURS = """(n) => [...document.querySelectorAll('.pm-map')[n].querySelectorAll('.pm-view.pm-on path.pm-seat')]
  .map(p => p.getAttribute('fill')).join('|')"""


def test_click_on_the_map_carries_over_to_the_constituency_page(page, app, constituency_sets):
    page.goto(app.url)
    wait_for_map(page)
    point = point_in(page, 120)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(f"() => location.search.includes('c={point['code']}')")
    page.get_by_role("link", name="Constituency").click()
    name = dict(zip(constituency_sets["pcon2010"].table["ons_code"], constituency_sets["pcon2010"].table["name"]))
    page.locator("h2").filter(has_text=name[point["code"]]).first.wait_for()
    page.wait_for_function(f"() => location.search.includes('c={point['code']}')")  # the URL follows
    wait_for_map(page)  # the neighbours map, on the same element
    state = map_state(page)
    assert state["selected"] == point["code"] and "per 1,000" in state["title"]
    muted = page.locator(".pm-view.pm-on path.pm-seat:not(.pm-muted)").count()
    assert 2 <= muted <= 12  # the seat and its neighbours stand out
    screenshot(page, "20-constituency-by-click")


def test_search_picks_a_constituency_and_a_neighbour_click_moves_on(page, app):
    page.goto(f"{app.url}/constituency?petition=239406")
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Constituency").locator("input")
    box.click()
    box.fill("Bristol W")
    page.keyboard.press("Enter")
    page.locator("h2").filter(has_text="Bristol West").first.wait_for()
    page.wait_for_function("() => location.search.includes('c=E14000602')")
    wait_for_map(page)
    neighbour = page.evaluate("""() => [...document.querySelectorAll('.pm-view.pm-on path.pm-seat:not(.pm-muted)')]
        .map(p => p.dataset.code).find(c => c !== 'E14000602')""")
    point = point_in(page, page.evaluate(JS_INDEX_OF, neighbour))
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(f"() => location.search.includes('c={neighbour}')")
    assert map_state(page)["selected"] == neighbour
    screenshot(page, "21-constituency-by-search")


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


def test_trends_animation_plays_in_the_browser(page, app):
    page.goto(f"{app.url}/trends?petition=241584")
    wait_for_map(page)
    page.locator(".pm-player").first.scroll_into_view_if_needed()
    before = page.evaluate(JS_COLOURS, 0)
    assert page.locator(".pm-frame").first.inner_text() == "22 Mar 18:31"  # the stale two are left out
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(str(f))))
    slider = page.locator(".pm-player input[type=range]").first
    slider.evaluate("(s) => { s.value = s.max; s.dispatchEvent(new Event('input')); }")
    page.wait_for_function("([before]) => (" + JS_COLOURS + ")(0) !== before", arg=[before])
    after = page.evaluate(JS_COLOURS, 0)
    assert after.count("|") == 649
    changed = sum(a != b for a, b in zip(after.split("|"), before.split("|")))
    assert changed > 100  # 21 March → 1 April: most constituencies moved up a class
    assert page.locator(".pm-frame").first.inner_text() == "01 Apr 12:07"
    page.locator(".pm-play").first.click()  # Play from the end restarts at the first frame
    page.wait_for_function("() => document.querySelector('.pm-frame').textContent !== '01 Apr 12:07'")
    page.wait_for_function("() => document.querySelector('.pm-play').textContent.includes('Play')", timeout=15_000)
    assert page.locator(".pm-frame").first.inner_text() == "01 Apr 12:07"  # played to the end
    assert sent == []  # every frame was already in the page
    screenshot(page, "22-trends-animation")
    spread = page.locator(".pm-map").nth(1)
    assert spread.locator(".pm-view.pm-on path.pm-seat").count() == 650
    assert "Growth per 1,000" in spread.locator(".pm-legend-title").inner_text()


def test_trends_view_switch_redraws_both_maps_as_hexes(page, app):
    page.goto(f"{app.url}/trends?petition=241584")
    wait_for_map(page)
    before = map_state(page)
    page.locator(".pm-bar button").filter(has_text="Hex map").first.click()
    assert wait_for_redraw(page, before, ("view",))["view"] == "hex"
    page.wait_for_function("() => document.querySelectorAll('.pm-map')[1].dataset.view === 'hex'")
    page.wait_for_function("() => location.search.includes('view=hex')")
