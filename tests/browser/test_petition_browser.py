"""The petition page's map element in a real browser: draws 650 seats in each view, hover text, click and
keyboard selection, zoom presets, wheel zoom and drag, hex labels, the grey class, the map-first layout."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.harness import (
    JS_INDEX_OF,
    is_local,
    map_control,
    map_state,
    point_in,
    screenshot,
    start_app,
    stop_app,
    wait_for_map,
    wait_for_redraw,
)

pytestmark = pytest.mark.browser

TITLE = "Undertake an independent enquiry into the role of Russia in Brexit."
LONDON_2024 = "E14001081"  # Battersea (2024 set)
BRISTOL_WEST = "E14000602"
EVIL_MP = '<img src=x onerror="window.__pwned=1"><b>Evil</b> & MP'


def names(constituency_sets, set_name: str) -> dict[str, str]:
    table = constituency_sets[set_name].table
    return dict(zip(table["ons_code"], table["name"]))


def contrast(text: str, background: str) -> float:
    """WCAG contrast of two computed CSS colours (a translucent background is laid over white)."""
    def rgb(css: str) -> list[float]:
        parts = [float(v) for v in re.findall(r"[\d.]+", css)]
        alpha = parts[3] if len(parts) == 4 else 1.0
        return [c * alpha + 255 * (1 - alpha) for c in parts[:3]]

    def luminance(channels: list[float]) -> float:
        lin = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted([luminance(rgb(text)), luminance(rgb(background))], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def open_page(page, url: str, count: int = 650) -> dict:
    page.goto(url)
    wait_for_map(page, count)
    return map_state(page)


def detail_heading(page, name: str):
    """The selected seat's panel heading (an h3 under the map)."""
    return page.locator("h3").filter(has_text=re.compile(rf"^{re.escape(name)}$")).first


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def hover(page, index: int) -> tuple[dict, str]:
    point = point_in(page, index)
    page.mouse.move(point["x"] - 3, point["y"])
    page.mouse.move(point["x"], point["y"], steps=2)
    tip = page.locator(".pm-tip")
    tip.wait_for(state="visible", timeout=5_000)
    return point, tip.inner_text()


def test_map_draws_650_seats_in_each_view(page, app):
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    state = open_page(page, app.url)
    assert state["count"] == 650 and state["view"] == "map" and state["selected"] == ""
    assert state["title"] == "Signatures" and len(state["ticks"].split("|")) == 6
    assert len(set(state["fills"].split())) >= 5  # several classes are coloured
    assert page.locator("h1").first.inner_text().strip() == TITLE
    assert "data as of" in page.locator('[data-testid="stAlert"]').first.inner_text()  # offline: the saved copy
    assert page.locator(".pm-summary").inner_text().startswith("Most signed in Bristol West")
    label = page.locator(".pm-svg").get_attribute("aria-label")
    assert "650 constituencies" in label and "Most signed in Bristol West" in label
    legend = page.locator(".pm-legend li").first.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e.closest('.pm-legend')).backgroundColor]")
    assert contrast(*legend) >= 4.5, legend  # legend text on its panel
    screenshot(page, "01-map-1400")
    map_control(page, "Hex map")
    hexes = wait_for_redraw(page, state, ("first",))
    assert hexes["view"] == "hex" and hexes["count"] == 650 and hexes["ticks"] == state["ticks"]
    page.wait_for_url(re.compile(r"[?&]view=hex(&|$)"))
    geometry = [u for u in fetched if "/app/static/geo/" in u and u.endswith(".json")]
    assert len([u for u in geometry if "-map-" in u]) == 1 and len([u for u in geometry if "-hex-" in u]) == 1
    assert not any("PlotlyChart" in u or "plotly" in u.lower() for u in fetched)  # no charting bundle
    screenshot(page, "02-hex-1400")


def test_the_rest_of_the_page_follows_the_drawn_map(page, app):
    """The first run sends the first view only (title, progress, map); once the map is drawn the browser
    asks for the rest, and the top ten and breakdowns arrive with no action of the visitor's."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    runs: list[list[str]] = [[]]  # the headings and Markdown each script run sent, and "map" for the map

    def received(payload) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
        if msg.WhichOneof("type") == "script_finished":
            runs.append([])
        elif msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            if kind in ("heading", "markdown"):
                runs[-1].append(getattr(element, kind).body)
            elif kind == "bidi_component":
                runs[-1].append("map")

    page.on("websocket", lambda ws: ws.on("framereceived", received))
    open_page(page, f"{app.url}/petition?petition=239406")
    page.get_by_text("Top 10 in the UK").wait_for()
    page.get_by_text("By region").wait_for()
    first = "\n".join(runs[0])
    assert "map" in runs[0] and TITLE in first.replace("\\", "")
    assert "Top 10" not in first and "Breakdowns" not in first
    assert any("Top 10 in the UK" in text for run in runs[1:] for text in run)


def test_the_other_view_is_ready_before_the_switch(page, app):
    """Once the page is idle the hex view is fetched and drawn hidden: the switch fetches nothing and only
    shows it (the Python rerun that follows does not redraw it either)."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    state = open_page(page, f"{app.url}/petition?petition=239406")
    page.wait_for_function("() => document.querySelectorAll('.pm-map .pm-view').length === 2")
    hidden = page.locator(".pm-view:not(.pm-on) path.pm-seat")
    assert hidden.count() == 650 and not hidden.first.is_visible()
    page.evaluate("() => document.querySelector('.pm-view:not(.pm-on)').dataset.probe = 'kept'")
    before = len(fetched)
    map_control(page, "Hex map")
    hexes = wait_for_redraw(page, state, ("view",))
    assert hexes["view"] == "hex" and hexes["count"] == 650
    page.wait_for_url(re.compile(r"[?&]view=hex(&|$)"))
    page.wait_for_timeout(300)  # the rerun's answer has arrived and been applied
    assert page.evaluate("() => document.querySelector('.pm-view.pm-on').dataset.probe") == "kept"
    assert not [u for u in fetched[before:] if u.startswith("/app/static/geo/")]
    assert page.locator(".pm-map .pm-view").count() == 2


def test_hover_shows_name_mp_figures_and_rank(page, app, constituency_sets):
    open_page(page, app.url)
    index = page.evaluate(JS_INDEX_OF, BRISTOL_WEST)
    point, text = hover(page, index)
    assert point["code"] == BRISTOL_WEST
    assert text.splitlines() == ["Bristol West", "Thangam Debbonaire MP", "Signatures: 100",
                                 "Per 1,000 residents: 0.69", "Index vs UK: 3.32", "Rank 1 of 650"]
    point, text = hover(page, 300)
    assert text.splitlines()[0] == names(constituency_sets, "pcon2010")[point["code"]] and "of 650" in text
    screenshot(page, "03-hover")


def test_click_selects_a_seat_in_python_and_the_url(page, app, constituency_sets):
    open_page(page, app.url)
    point = point_in(page, 300)
    name = names(constituency_sets, "pcon2010")[point["code"]]
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(rf"[?&]c={point['code']}(&|$)"), timeout=15_000)
    detail_heading(page, name).wait_for(timeout=15_000)  # Python drew the panel
    assert page.get_by_role("combobox", name="Find a constituency").input_value() == name
    assert map_state(page)["selected"] == point["code"]
    assert page.locator(".pm-selected").get_attribute("d").startswith("M")  # outlined
    screenshot(page, "04-click-selected")


def test_keyboard_steps_between_seats_and_enter_selects(page, app, constituency_sets):
    open_page(page, app.url)
    page.locator(".pm-svg").focus()
    page.locator(".pm-tip").wait_for(state="visible")
    first = page.locator(".pm-tip .pm-tip-name").inner_text()
    for key in ("ArrowRight", "ArrowRight", "ArrowUp"):
        page.keyboard.press(key)
    now = page.locator(".pm-tip .pm-tip-name").inner_text()
    assert now != first and page.locator(".pm-focus").get_attribute("d").startswith("M")
    page.keyboard.press("Enter")
    code = {v: k for k, v in names(constituency_sets, "pcon2010").items()}[now]
    page.wait_for_url(re.compile(rf"[?&]c={code}(&|$)"), timeout=15_000)
    detail_heading(page, now).wait_for(timeout=15_000)
    screenshot(page, "05-keyboard")


def test_zoom_presets_wheel_drag_and_reset(page, app):
    before = open_page(page, app.url)
    page.locator(".pm-bar select").first.select_option("London")
    london = wait_for_redraw(page, before, ("box",))
    assert london["area"] == "London" and london["count"] == 650
    assert page.locator(".pm-view.pm-on path.pm-seat:not(.pm-muted)").count() == 73  # London stands out
    page.wait_for_url(re.compile(r"[?&]area=London(&|$)"))
    page.get_by_text("Top 10 in London").wait_for()
    uk = [float(v) for v in before["box"].split()]
    ldn = [float(v) for v in london["box"].split()]
    assert ldn[2] < uk[2] / 10 and uk[0] < ldn[0] and uk[1] < ldn[1]
    for area in ("Scotland", "North East", "Northern Ireland"):
        previous = map_state(page)
        page.locator(".pm-bar select").first.select_option(area)
        assert wait_for_redraw(page, previous, ("box",))["area"] == area
    framed = map_state(page)
    box = page.locator(".pm-svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    zoomed = wait_for_redraw(page, framed, ("box",))
    assert float(zoomed["box"].split()[2]) < float(framed["box"].split()[2])
    page.mouse.move(box["x"] + 100, box["y"] + 200)
    page.mouse.down()
    page.mouse.move(box["x"] + 220, box["y"] + 260, steps=6)
    page.mouse.up()
    dragged = map_state(page)
    assert dragged["box"].split()[2:] == zoomed["box"].split()[2:] and dragged["box"] != zoomed["box"]
    page.get_by_role("button", name="Reset the view").click()
    assert map_state(page)["box"] == framed["box"]
    screenshot(page, "06-zoom-preset")


def test_hex_labels_are_readable_when_zoomed(page, app, constituency_sets):
    state = open_page(page, f"{app.url}/?view=hex&area=London")
    assert state["view"] == "hex" and state["labels"] == "on" and state["count"] == 650
    labels = page.evaluate("""() => [...document.querySelectorAll('.pm-view.pm-on .pm-labels text')].map(t => {
        const r = t.getBoundingClientRect(); return {text: t.textContent, h: r.height, w: r.width}; })""")
    assert len(labels) == 650
    shown = [lab for lab in labels if lab["h"] > 0]
    assert shown and min(lab["h"] for lab in shown) >= 9  # readable type, not specks
    index = page.evaluate(JS_INDEX_OF, "E14000639")  # Cities of London and Westminster
    _, text = hover(page, index)
    assert text.splitlines()[0] == "Cities of London and Westminster"  # full name on hover
    assert "CitLW" in [lab["text"] for lab in labels]
    assert page.locator(".pm-view.pm-on .pm-outlines path").count() == 12  # region outlines
    screenshot(page, "07-hex-labels-london")
    page.locator(".pm-bar select").first.select_option("UK")
    assert wait_for_redraw(page, state, ("box",))["labels"] == "off"  # too small to read at UK size


def test_sparse_petition_has_the_grey_no_signatures_class(page, app):
    state = open_page(page, f"{app.url}/?petition=603658")
    ticks = state["ticks"].split("|")
    assert ticks[-1] == "No signatures" and len(ticks) == len(set(ticks))
    swatch = page.locator(".pm-legend li").last.locator(".pm-swatch")
    assert swatch.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(163, 163, 163)"
    assert state["fills"].split().count("#a3a3a3") == 650 - 153
    for label in ticks[:-1]:
        assert re.fullmatch(r"[\d,]+(–[\d,]+)?", label), label  # integer bounds "1–2", "3–5"
    screenshot(page, "08-sparse-603658")


def test_the_whole_map_is_on_the_first_screen_beside_the_title(page, app):
    open_page(page, app.url)
    page.wait_for_timeout(500)
    stage = page.locator(".pm-stage").bounding_box()
    title = page.locator("h1").first.bounding_box()
    bars = page.locator('[data-testid="stProgress"]').last.bounding_box()
    assert stage["y"] >= 0 and stage["y"] + stage["height"] <= 1000 and stage["x"] + stage["width"] <= 1400
    assert stage["height"] >= 600  # the whole UK, large
    assert title["x"] + title["width"] <= stage["x"] and bars["y"] + bars["height"] <= 1000  # beside it
    box = [float(v) for v in map_state(page)["box"].split()]
    svg = page.locator(".pm-svg").bounding_box()
    scale = min(svg["width"] / box[2], svg["height"] / box[3])
    assert box[3] * scale <= svg["height"] + 1 and box[2] * scale <= svg["width"] + 1  # the UK frame fits
    screenshot(page, "09-first-screen-1400", scroll=False)


def test_phone_map_follows_the_progress_bars_and_the_seat_figures_follow_the_map(page, app, constituency_sets):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, app.url)
    page.wait_for_timeout(500)
    bars = page.locator('[data-testid="stProgress"]').last.bounding_box()
    stage = page.locator(".pm-stage").bounding_box()
    assert stage["y"] > bars["y"] and stage["y"] - (bars["y"] + bars["height"]) < 844 - 200  # the next screen
    assert stage["width"] <= 390 and stage["height"] >= 300
    assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollWidth") <= 390
    screenshot(page, "10-phone-390")
    point = point_in(page, page.evaluate(JS_INDEX_OF, BRISTOL_WEST))
    page.mouse.click(point["x"], point["y"])
    heading = detail_heading(page, "Bristol West")
    heading.wait_for(timeout=15_000)
    below = heading.bounding_box()["y"] - (page.locator(".pm-stage").bounding_box()["y"] + stage["height"])
    assert 0 < below < 400  # the figures are right under the map
    heading.scroll_into_view_if_needed()
    screenshot(page, "11-phone-390-selected", scroll=False)


def test_metric_switch_recolours_and_reaches_the_url(page, app):
    before = open_page(page, app.url)
    map_control(page, "Per 1,000")
    rates = wait_for_redraw(page, before, ("title",), title="per 1,000")
    assert rates["ticks"] != before["ticks"] and rates["first"] == before["first"]  # same geometry
    page.wait_for_url(re.compile(r"[?&]metric=per_1000(&|$)"))
    map_control(page, "Index vs UK")
    index = wait_for_redraw(page, rates, ("title",), title="Index vs UK")
    assert "#e3ddd0" in index["fills"]  # the neutral class
    assert page.locator(".pm-bar select").nth(1).is_disabled()  # fixed classes for the index
    screenshot(page, "12-index")


def test_shared_link_restores_the_view(page, app, constituency_sets):
    query_string = f"petition=700143&view=hex&metric=per_1000&area=London&c={LONDON_2024}"
    state = open_page(page, f"{app.url}/?{query_string}")
    assert state["view"] == "hex" and "per 1,000" in state["title"] and state["area"] == "London"
    assert state["selected"] == LONDON_2024
    assert page.locator("h1").first.inner_text().strip() == "Call a General Election"
    detail_heading(page, names(constituency_sets, "pcon2024")[LONDON_2024]).wait_for(timeout=10_000)
    kept = {k: v for k, v in query(page).items() if k != "scheme"}
    assert kept == dict(petition="700143", view="hex", metric="per_1000", area="London", c=LONDON_2024)


def test_no_request_leaves_localhost(page, app, requests_seen):
    open_page(page, app.url)
    point = point_in(page, 100)
    page.mouse.move(point["x"], point["y"], steps=2)
    before = map_state(page)
    map_control(page, "Hex map")
    wait_for_redraw(page, before, ("view",))
    assert any("/app/static/geo/" in u for u in requests_seen)
    assert any(u.startswith("ws://127.0.0.1") for u in requests_seen)  # the Streamlit session
    outside = sorted({u for u in requests_seen if not is_local(u)})
    assert outside == [], f"requests left localhost: {outside[:10]}"


@pytest.fixture(scope="module")
def evil_app(mirror, tmp_path_factory):
    """The dashboard on a copy of the mirror whose 239406 lists an MP name made of HTML."""
    folder = tmp_path_factory.mktemp("evil-mirror")
    for entry in mirror.iterdir():
        if entry.name != "petitions":
            (folder / entry.name).symlink_to(entry)
    (folder / "petitions").mkdir()
    for entry in (mirror / "petitions").iterdir():
        if entry.name != "239406.json":
            (folder / "petitions" / entry.name).symlink_to(entry)
    doc = json.loads((mirror / "petitions" / "239406.json").read_text())
    for seat in doc.get("data", doc)["attributes"]["signatures_by_constituency"]:
        if seat["ons_code"] == BRISTOL_WEST:
            seat["mp"] = EVIL_MP
    (folder / "petitions" / "239406.json").write_text(json.dumps(doc))
    running = start_app(folder)
    yield running
    stop_app(running)


def test_html_in_an_mp_name_shows_as_text(page, evil_app):
    open_page(page, evil_app.url)
    _, text = hover(page, page.evaluate(JS_INDEX_OF, BRISTOL_WEST))
    assert text.splitlines()[1] == EVIL_MP
    assert page.locator(".pm-tip img, .pm-tip b").count() == 0
    assert page.evaluate("() => window.__pwned") is None


def test_a_missing_geometry_file_says_so_on_the_map(page, app):
    page.route("**/app/static/geo/*.json", lambda route: route.fulfill(status=404, body="not found"))
    page.goto(app.url)
    alert = page.locator(".pm-error")
    alert.wait_for(timeout=30_000)
    assert "could not be drawn (map geometry 404)" in alert.inner_text()
    assert page.locator("h1").first.inner_text().strip() == TITLE  # the rest of the page is there
    page.get_by_text("Top 10 in the UK").wait_for()  # and what follows the map comes all the same
    page.locator('[data-testid="stAppRunning"], [data-testid="stStatusWidget"]').first.wait_for(state="detached")
    assert page.locator(".pm-error").count() == 1  # the rerun did not add a second message
