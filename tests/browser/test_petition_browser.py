"""The petition page in a real browser: the map draws, hovers, clicks, switches, restores shared links, stays local."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import (
    choose_radio,
    is_local,
    map_state,
    point_in,
    screenshot,
    wait_for_map,
    wait_for_redraw,
)

pytestmark = pytest.mark.browser

TITLE = "Undertake an independent enquiry into the role of Russia in Brexit."
LONDON_2024 = "E14001081"  # Battersea (2024 set)


def names(constituency_sets, set_name: str) -> dict[str, str]:
    table = constituency_sets[set_name].table
    return dict(zip(table["ons_code"], table["name"]))


def open_page(page, url: str, count: int = 650) -> dict:
    page.goto(url)
    wait_for_map(page, count)
    return map_state(page)


def detail_heading(page, name: str):
    """The detail panel's heading (an h3 in the left column) for a constituency."""
    return page.locator("h3").filter(has_text=re.compile(rf"^{re.escape(name)}$")).first


def test_map_draws_650_constituencies(page, app):
    state = open_page(page, app.url)
    assert state["count"] == 650 and state["traces"] == 1  # nothing selected: no outline trace
    assert state["title"] == "Signatures" and len(state["ticks"].split("|")) == 6
    assert len(state["fills"].split(") ")) >= 5  # several classes are coloured
    assert page.locator("h1").first.inner_text().strip() == TITLE
    assert "data as of" in page.locator('[data-testid="stAlert"]').first.inner_text()  # offline: the saved copy
    screenshot(page, "01-map")


def test_hover_shows_the_tooltip(page, app, constituency_sets):
    open_page(page, app.url)
    point = point_in(page, 300)
    page.mouse.move(point["x"] - 4, point["y"])
    page.mouse.move(point["x"], point["y"], steps=2)
    tooltip = page.locator("g.hoverlayer g.hovertext").first
    tooltip.wait_for(timeout=5_000)
    text = tooltip.text_content()
    assert names(constituency_sets, "pcon2010")[point["code"]] in text
    assert "Signatures:" in text and "Per 1,000 residents:" in text and "Rank:" in text and "of 650" in text
    screenshot(page, "02-hover")


def test_click_selects_a_constituency(page, app, constituency_sets):
    open_page(page, app.url)
    point = point_in(page, 300)
    name = names(constituency_sets, "pcon2010")[point["code"]]
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(rf"[?&]c={point['code']}(&|$)"), timeout=15_000)
    detail_heading(page, name).wait_for(timeout=15_000)
    page.wait_for_function("document.querySelectorAll('g.trace.choropleth').length === 2", timeout=15_000)
    wait_for_map(page)  # the first trace still draws all 650
    outline = page.locator("g.trace.choropleth").nth(1).locator("path")
    assert outline.count() == 1
    assert page.get_by_role("combobox", name="Find a constituency").input_value() == name
    assert point["code"] in page.locator('[data-testid="stCaptionContainer"]').filter(has_text=point["code"]).first \
        .inner_text()
    screenshot(page, "03-click-selected")


def test_switching_to_hex_and_per_1000_redraws(page, app):
    before = open_page(page, app.url)
    with page.expect_response(lambda r: "/app/static/geo/" in r.url and "-hex-" in r.url, timeout=15_000) as hit:
        choose_radio(page, "Hex map")
    assert hit.value.ok
    hexes = wait_for_redraw(page, before, ("first",), count=650)
    assert hexes["first"] != before["first"]
    assert hexes["ticks"] == before["ticks"]  # same metric, same legend
    assert page.get_by_role("radio", name="Hex map").is_checked()
    screenshot(page, "04-hex")

    choose_radio(page, "Per 1,000")
    rates = wait_for_redraw(page, hexes, ("ticks", "title"), count=650, title="per 1,000")
    assert "per 1,000" in rates["title"] and rates["ticks"] != hexes["ticks"]
    page.wait_for_url(re.compile(r"[?&]metric=per_1000(&|$)"), timeout=10_000)  # written as the run ends
    screenshot(page, "05-hex-per-1000")

    choose_radio(page, "Index vs UK")
    index = wait_for_redraw(page, rates, ("ticks", "fills"), count=650, title="Index vs UK")
    assert "Index vs UK" in index["title"] and "rgb(247, 247, 247)" in index["fills"]  # the neutral class
    screenshot(page, "06-hex-index")


def test_shared_link_restores_the_view(page, app, constituency_sets):
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    query = f"petition=700143&view=hex&metric=per_1000&area=London&c={LONDON_2024}"
    state = open_page(page, f"{app.url}/?{query}", count=75)  # London has 75 seats in the 2024 set
    assert state["traces"] == 2 and "per 1,000" in state["title"]
    assert page.locator("h1").first.inner_text().strip() == "Call a General Election"
    assert any("/app/static/geo/pcon2024-hex-" in u for u in fetched)
    assert not any("/app/static/geo/pcon2024-map-" in u for u in fetched)
    assert page.get_by_role("radio", name="Hex map").is_checked()
    assert page.get_by_role("radio", name="Per 1,000").is_checked()
    assert page.get_by_role("combobox", name="Area").input_value() == "London"
    detail_heading(page, names(constituency_sets, "pcon2024")[LONDON_2024]).wait_for(timeout=10_000)
    kept = parse_qs(urlsplit(page.url).query)
    assert {k: v[0] for k, v in kept.items() if k != "scheme"} == dict(
        petition="700143", view="hex", metric="per_1000", area="London", c=LONDON_2024)
    screenshot(page, "07-shared-link")


def test_no_request_leaves_localhost(page, app, requests_seen):
    open_page(page, app.url)
    point = point_in(page, 100)
    page.mouse.move(point["x"], point["y"], steps=2)
    choose_radio(page, "Hex map")
    wait_for_redraw(page, map_state(page), ("first",), count=650)
    assert any("/app/static/geo/" in u for u in requests_seen)
    assert any(u.startswith("ws://127.0.0.1") for u in requests_seen)  # the Streamlit session
    outside = sorted({u for u in requests_seen if not is_local(u)})
    assert outside == [], f"requests left localhost: {outside[:10]}"
