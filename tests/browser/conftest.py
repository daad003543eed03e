"""Browser-test fixtures over the app harness (dashboard/harness.py, shared with benchmarks/bench_browser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.harness import CHROMIUM, DRAW_TIMEOUT, VIEWPORT, App, is_local, launch_chromium, start_app, stop_app

# ---- fixtures ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def app(mirror) -> Iterator[App]:
    """The dashboard, started once for the browser tests and stopped at the end."""
    running = start_app(mirror)
    yield running
    stop_app(running)


@pytest.fixture(scope="session")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (install Debian's chromium package)")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def requests_seen() -> list[str]:
    """Every URL any test page requested (HTTP, WebSocket), in order."""
    return []


@pytest.fixture
def page(chromium, app, requests_seen):
    """A fresh browser context (a new Streamlit session) with every request URL recorded; after the test, none
    of its requests may have left this machine."""
    seen: list[str] = []

    def record(url: str) -> None:
        seen.append(url)
        requests_seen.append(url)

    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(DRAW_TIMEOUT)
    context.on("request", lambda request: record(request.url))
    tab = context.new_page()
    tab.on("websocket", lambda ws: record(ws.url))
    yield tab
    context.close()
    outside = sorted({u for u in seen if not is_local(u)})
    assert outside == [], f"requests left localhost: {outside[:10]}"
