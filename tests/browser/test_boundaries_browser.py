"""A 2010–2024 petition on the 2024 boundaries (estimate) in a real browser: opened from a shared link, marked an
estimate in the legend and the hover, fitting 390 px, and switched back by its toggle."""

from __future__ import annotations

import pytest

from dashboard.harness import JS_INDEX_OF, map_state, point_in, wait_for_map, wait_for_redraw

pytestmark = pytest.mark.browser
NO_SIDE_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.mark.parametrize("width, height", [(1400, 1000), (390, 844)])
def test_a_shared_estimate_link_opens_marked_and_toggles_back(page, app, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app.url}/petition?petition=239406&boundaries=2024&c=E14001131")
    wait_for_map(page)
    state = map_state(page)
    assert "(estimate)" in state["title"] and state["selected"] == "E14001131"
    assert page.get_by_text("Estimate from the 2010–2024 seats").count() == 1  # the seat's panel
    assert page.evaluate(NO_SIDE_SCROLL), f"horizontal scroll at {width} px"
    index = page.evaluate(JS_INDEX_OF, "E14001131")
    point = point_in(page, index)
    page.mouse.move(point["x"], point["y"])
    tip = page.locator(".pm-tip")
    tip.wait_for(state="visible")
    assert "Bristol Central" in tip.inner_text() and "Estimate: counted on the 2010–2024 boundaries" in tip.inner_text()
    toggle = page.locator("label").filter(has_text="Show on 2024 boundaries (estimate)").locator("input")
    assert toggle.is_checked()
    before = map_state(page)
    toggle.scroll_into_view_if_needed()
    page.get_by_text("Show on 2024 boundaries (estimate)").click()
    after = wait_for_redraw(page, before, ("title", "first"))
    assert "estimate" not in after["title"]
    page.wait_for_function("() => !new URLSearchParams(location.search).has('boundaries')")
