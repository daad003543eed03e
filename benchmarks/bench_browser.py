"""Benchmark the petition page in Debian's Chromium: python -m benchmarks.bench_browser [--runs N]

Starts the dashboard on a free localhost port (offline, from the mirror), then prints medians of:
navigation → map drawn (target ≤ 3 s), a metric switch and a view switch (click → map redrawn,
target ≤ 1 s each), the figure JSON sent for the geographic and the hex map, the one-off geometry files
served from /app/static/geo/, and the dashboard process's peak memory (VmHWM).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402 - the browser tests' helpers start the app the same way
    CHROMIUM,
    VIEWPORT,
    choose_radio,
    launch_chromium,
    map_state,
    start_app,
    stop_app,
    wait_for_map,
    wait_for_redraw,
)

PETITION = "239406"
NAVIGATION_TARGET_S = 3.0
SWITCH_TARGET_S = 1.0


def mirror() -> Path:
    value = os.environ.get("PETITIONMAP_MIRROR")
    return Path(value) if value else (ROOT.parent / "shared" / "data").resolve()


def verdict(value: float, target: float) -> str:
    return f"[target ≤ {target:g} s]" + ("" if value <= target else "  ✗ over target")


def navigate(browser, url: str) -> tuple[float, list[str]]:
    """Seconds from page.goto to 650 constituencies drawn, in a fresh context (new session, cold cache)."""
    context = browser.new_context(viewport=VIEWPORT)
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    page = context.new_page()
    began = time.perf_counter()
    page.goto(url, wait_until="commit")
    wait_for_map(page)
    seconds = time.perf_counter() - began
    context.close()
    return seconds, seen


def switches(browser, url: str, runs: int, labels: tuple[str, str], keys: tuple[str, ...],
             titles: tuple[str | None, str | None] = (None, None)) -> list[float]:
    """Seconds from a radio click to the map redrawn (legend `titles` shown), alternating two options."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(url)
    wait_for_map(page)
    times = []
    for i in range(runs):
        before = map_state(page)
        began = time.perf_counter()
        choice = int(i % 2 == 0)
        choose_radio(page, labels[choice])
        wait_for_redraw(page, before, keys, count=650, title=titles[choice])
        times.append(time.perf_counter() - began)
    context.close()
    return times


def figure_sizes() -> dict[str, int]:
    """Bytes of the petition page's map figure (geometry by URL, as the page sends it), per view."""
    from geo.join import join_petition
    from geo.maps import choropleth, figure_bytes
    from petitions.model import read_petition_file

    result = join_petition(read_petition_file(mirror() / "petitions" / f"{PETITION}.json"))
    return {view: figure_bytes(choropleth(result.table, "signatures", view=view,
                                          geojson=f"/app/static/geo/{result.set_name}-{view}-0123456789.json"))
            for view in ("map", "hex")}


def served_size(url: str) -> tuple[int, int]:
    """(bytes of the file, bytes on the wire when the browser asks for gzip)."""
    local = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    with local.open(url, timeout=10) as response:
        plain = len(response.read())
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with local.open(request, timeout=10) as response:
        wire = len(response.read())
    return plain, wire


def peak_memory_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_browser", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("skipped: playwright is not installed")
        return 0
    if not Path(CHROMIUM).exists():
        print(f"skipped: no Chromium at {CHROMIUM}")
        return 0

    app = start_app(mirror())
    try:
        url = f"{app.url}/?petition={PETITION}"
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                cold, seen = navigate(browser, url)  # the first visit also loads the sets and seeds the store
                navigation = [navigate(browser, url)[0] for _ in range(args.runs)]
                metric = switches(browser, url, args.runs, ("Index vs UK", "Per 1,000"), ("ticks", "title"),
                                  ("Index vs UK", "per 1,000"))
                view = switches(browser, url, args.runs, ("Map", "Hex map"), ("first",))
                hex_seen = navigate(browser, url.replace("?", "?view=hex&"))[1]
            finally:
                browser.close()
        geometry = sorted({u.split("?")[0] for u in seen + hex_seen if "/app/static/geo/" in u})
        memory = peak_memory_mb(app.process.pid)

        nav = statistics.median(navigation)
        print(f"navigation → map drawn (median of {len(navigation)}): {nav:.2f} s  {verdict(nav, NAVIGATION_TARGET_S)}"
              f"  (first visit, cold server caches: {cold:.2f} s)")
        for name, times in (("metric switch", metric), ("view switch", view)):
            value = statistics.median(times)
            print(f"{name} → map redrawn (median of {len(times)}): {value:.2f} s  {verdict(value, SWITCH_TARGET_S)}")
        for view_name, size in figure_sizes().items():
            label = "geographic map" if view_name == "map" else "hex map"
            print(f"figure sent for the {label} (JSON spec, geometry by URL): {size / 1024:,.0f} KB ({size:,} bytes)")
        for link in geometry:
            plain, wire = served_size(link)
            print(f"geometry file, fetched once and cached: {link.rsplit('/', 1)[-1]}: {plain / 1024:,.0f} KB"
                  + (f" ({wire / 1024:,.0f} KB gzipped on the wire)" if wire < plain else " (not compressed)"))
        if memory is not None:
            print(f"dashboard peak memory (VmHWM after the runs): {memory:,.0f} MB")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"(machine: {os.cpu_count()} CPUs, load average {load:.1f}; timings grow with other work on it)")
    finally:
        stop_app(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
