"""Security items 1-4 of the hostile-visitor review, in a real browser: no server file is read through the URL,
no traceback is shown, document text is plain text, and names in charts and the CSV are text, not markup."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import quote

import pytest

from dashboard.harness import ROOT, SCREENSHOTS, is_local, point_in, screenshot, start_app, stop_app, wait_for_map

pytestmark = pytest.mark.browser

EVIL = "evil.example"
EVIL_MP = f'<a href="https://{EVIL}/mp">Evil MP</a>'
EVIL_COUNTRY = f'<a href="https://{EVIL}/c">Evilland</a>'
FORMULA_MP = f'=HYPERLINK("https://{EVIL}/x","Click")'
ACTION = f"Cut $5 and $10 fees [click here](https://{EVIL}/a) **now** https://{EVIL}/bare"
BACKGROUND = (f"![tracker](https://{EVIL}/pixel.png)\n\n# Injected heading\n\nIt costs $5 and $10 a day.\n\n"
              f"<img src=https://{EVIL}/img.png> Mail me@{EVIL} or see www.{EVIL}")


def texts_on_page(page) -> str:
    return page.locator("section.stMain, [data-testid='stMain']").first.inner_text()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def outside_links(page) -> list[str]:
    selector = f'a[href*="{EVIL}"], img[src*="{EVIL}"], image[href*="{EVIL}"]'
    return page.evaluate("(s) => [...document.querySelectorAll(s)].map(e => e.outerHTML)", selector)


# ---- 1. no server file through ?petition= ---------------------------------------------------------------------

def test_the_url_never_reads_a_server_file(page, app, mirror, tmp_path):
    doc = json.loads((mirror / "petitions" / "603658.json").read_text())
    doc["data"]["attributes"]["action"] = "SECRET FILE CONTENT"
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps(doc))
    for value, words in ((str(secret), "not a petition number or petition.parliament.uk link"),
                         ("../shared/data/petitions/332711.json", "not a petition number or petition.parliament.uk"),
                         ("/etc/shadow", "not a petition number or petition.parliament.uk link")):
        page.goto(f"{app.url}/?petition={quote(value, safe='')}")
        alert = page.locator('[data-testid="stAlert"]').filter(has_text="No petition to show").first
        alert.wait_for(timeout=30_000)
        shown = alert.inner_text()
        assert words in shown and "valid JSON" not in shown and "no such file" not in shown
        body = texts_on_page(page)
        assert "SECRET FILE CONTENT" not in body and "Junction 10" not in body
    shot(page, "sec-1-file-url")


# ---- 2. no traceback ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def broken_app(mirror, tmp_path_factory):
    """The dashboard with unreadable boundary files and no cache: every map page fails inside."""
    folder = tmp_path_factory.mktemp("broken")
    fake = folder / "mirror"
    (fake / "boundaries").mkdir(parents=True)
    for name in ("README.md", "hexmaps", "population", "electorate", "lookups", "petitions"):
        (fake / name).symlink_to(mirror / name)
    for name in ("pcon2010", "pcon2024"):
        (fake / "boundaries" / f"{name}.geojson").write_text('{"type": "FeatureCollection", "features": [')
    (folder / "cache").mkdir()
    running = start_app(fake, env={"PETITIONMAP_CACHE": str(folder / "cache")})
    yield running
    stop_app(running)


def test_a_failure_inside_shows_no_traceback_or_server_path(page, broken_app):
    page.goto(broken_app.url)
    page.get_by_text("This app has encountered an error").first.wait_for(timeout=60_000)
    body = page.locator("body").inner_text()
    for leak in ("Traceback", "DataError", ".py", "/tmp/", "geojson", str(ROOT), "line "):
        assert leak not in body, f"{leak!r} shown to the visitor"
    assert "refused" in broken_app.log_tail(200)  # the details are in the server's log
    shot(page, "sec-2-no-traceback")


# ---- 3 and 4: a hostile document ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_app(mirror, tmp_path_factory):
    """The dashboard offline on a mirror whose 239406 document carries Markdown, HTML and formulas."""
    fake = tmp_path_factory.mktemp("hostile") / "mirror"
    (fake / "petitions").mkdir(parents=True)
    for name in ("README.md", "boundaries", "hexmaps", "population", "electorate", "lookups"):
        (fake / name).symlink_to(mirror / name)
    doc = json.loads((mirror / "petitions" / "239406.json").read_text())
    attrs = doc["data"]["attributes"]
    attrs.update(action=ACTION, background=BACKGROUND, additional_details="$x^2$ and <b>bold</b> :red[red]")
    attrs["government_response"]["summary"] = f"[Official](https://{EVIL}/r) $1 + $2"
    for entry in attrs["signatures_by_constituency"]:
        entry["mp"] = EVIL_MP
    attrs["signatures_by_constituency"][0]["mp"] = FORMULA_MP
    attrs["signatures_by_country"][0].update(name=EVIL_COUNTRY, code="EV", signature_count=5000)
    attrs["debate"] = {"debated_on": "2019-06-01", "transcript_url": "javascript:alert(1)",
                       "video_url": f"https://{EVIL} onmouseover=alert(1)", "overview": "# Not a heading"}
    (fake / "petitions" / "239406.json").write_text(json.dumps(doc))
    running = start_app(fake)
    yield running
    stop_app(running)


def test_document_text_is_plain_text(page, hostile_app, requests_seen):
    page.goto(hostile_app.url)
    wait_for_map(page)
    page.get_by_text("Background and details").first.click()
    page.get_by_text("It costs $5 and $10 a day.").first.wait_for(timeout=15_000)
    for label in ("Read the response in full", "What was said"):
        page.locator('[data-testid="stExpander"] summary').filter(has_text=label).first.click()
    page.get_by_text("# Not a heading").first.wait_for(timeout=15_000)
    title = page.locator("h1").first.inner_text().strip().replace("\u2060", "")
    assert title == ACTION  # as written: no link, no bold, no maths
    body = texts_on_page(page)
    for literal in ("# Injected heading", f"![tracker](https://{EVIL}/pixel.png)", "$x^2$ and <b>bold</b> :red[red]",
                    f"<img src=https://{EVIL}/img.png>", f"[Official](https://{EVIL}/r) $1 + $2"):
        assert literal in body, literal
    assert outside_links(page) == []
    assert page.locator(".katex, .katex-display").count() == 0  # no maths typeset
    assert page.locator("h1, h2, h3").filter(has_text="Injected heading").count() == 0
    assert page.locator("a").filter(has_text="transcript").count() == 0  # javascript: and a spaced URL dropped
    assert page.locator("a").filter(has_text="Watch the debate").count() == 0
    assert [u for u in requests_seen if EVIL in u] == [] and all(is_local(u) for u in requests_seen)
    page.locator("h1").first.scroll_into_view_if_needed()
    shot(page, "sec-3-plain-text")


def test_names_in_hover_bars_and_csv_are_text(page, hostile_app):
    page.goto(hostile_app.url)
    wait_for_map(page)
    point = point_in(page, 300)
    page.mouse.move(point["x"] - 4, point["y"])
    page.mouse.move(point["x"], point["y"], steps=2)
    tooltip = page.locator(".pm-tip")
    tooltip.wait_for(state="visible", timeout=10_000)
    assert EVIL_MP in tooltip.inner_text()  # shown as written
    assert tooltip.locator("a").count() == 0
    screenshot(page, "sec-4-hover")

    page.get_by_role("tab", name="From abroad").click()
    table = page.locator('[data-testid="stMarkdownContainer"] table').filter(has_text="Evilland").first
    table.wait_for(timeout=15_000)
    assert EVIL_COUNTRY in table.inner_text().replace("\u2060", "") and table.locator("a").count() == 0
    assert outside_links(page) == []

    page.get_by_text("All constituencies: table and downloads").first.click()
    with page.expect_download(timeout=30_000) as download:
        page.locator('[data-testid="stDownloadButton"] button').filter(has_text="CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    mps = {row["mp"] for row in rows}
    assert "'" + FORMULA_MP in mps and FORMULA_MP not in mps and EVIL_MP in mps
    assert not any(row[c].startswith(("=", "+", "-", "@")) for row in rows for c in ("name", "mp", "region"))
