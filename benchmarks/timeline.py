"""Where the petition page's first load spends its time: python -m benchmarks.timeline [--runs N] [--path P]

Not a benchmark of its own (`make bench` does not run it): a diagnosis. Starts the dashboard as served
(dashboard/serve.py), loads the petition page in fresh contexts of Debian's Chromium and prints, from the
Chrome DevTools Protocol and probes in the page, a timeline in ms after navigation: every request's start
and end, the websocket's messages (the one that carries the map element, the script run's end), when the
map element's JS runs, when its geometry fetch starts and ends, and when the 650th seat is in the DOM.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import time

from benchmarks import mirror
from dashboard.harness import VIEWPORT, launch_chromium, start_app, stop_app, wait_for_map

PETITION = "239406"

# Page-side probes, in performance.now() ms (navigation start = 0).
PROBE = """
(() => {
  const marks = (globalThis.__pmMarks = {});
  const at = name => { if (!(name in marks)) marks[name] = performance.now(); };
  const realFetch = globalThis.fetch;
  globalThis.fetch = function (input, ...rest) {
    const url = String(input && input.url || input);
    if (url.includes('/app/static/geo/')) {
      at('geometry fetch start');
      return realFetch.call(this, input, ...rest).then(r => { at('geometry response'); return r; });
    }
    return realFetch.call(this, input, ...rest);
  };
  const seen = () => {
    if (document.querySelector('[data-testid="stMarkdown"], [data-testid="stHeading"]')) at('first text');
    for (const e of document.querySelectorAll('[data-testid^="st"]')) at('DOM ' + e.dataset.testid);
    const m = document.querySelector('.pm-map');
    if (m) at('map element in DOM');
    if (m && m.querySelectorAll('.pm-view.pm-on path.pm-seat').length >= 650) {
      at('650 seats in DOM');
      obs.disconnect();
    }
  };
  const obs = new MutationObserver(seen);
  document.addEventListener('DOMContentLoaded', () => {
    at('DOMContentLoaded');
    obs.observe(document.documentElement, {childList: true, subtree: true});
  });
})();
"""


def describe(raw: bytes) -> str:
    """A ForwardMsg's kind: its type, and for a delta the element it carries."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    try:
        msg.ParseFromString(raw)
    except Exception:  # noqa: BLE001  (not a ForwardMsg)
        return "?"
    kind = msg.WhichOneof("type") or "?"
    if kind == "delta":
        delta = msg.delta
        part = delta.WhichOneof("type")
        if part == "new_element":
            element = delta.new_element.WhichOneof("type")
            extra = delta.new_element.bidi_component.component_name if element == "bidi_component" else ""
            return f"element {element} {extra}".strip()
        return part or "delta"
    if kind == "script_finished":
        return f"script_finished {msg.script_finished}"
    return kind


def one_load(browser, url: str, bare: bool = False) -> tuple[float, list[tuple[float, str]]]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(PROBE)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    events: list[tuple[float, str]] = []  # (CDP monotonic seconds, text)
    requests: dict[str, dict] = {}

    def sent(e):
        requests[e["requestId"]] = {"url": e["request"]["url"], "start": e["timestamp"]}

    def finished(e):
        r = requests.get(e["requestId"])
        if r is not None:
            r["end"] = e["timestamp"]
            r["bytes"] = e.get("encodedDataLength", 0)

    def frame(kind):
        def on(e):
            data = e["response"]["payloadData"]
            raw = base64.b64decode(data) if e["response"].get("opcode") == 2 else data.encode()
            events.append((e["timestamp"], f"ws {kind} {len(raw):>7} B {describe(raw) if kind == '<-' else ''}"))
        return on

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.webSocketFrameReceived", frame("<-"))
    cdp.on("Network.webSocketFrameSent", frame("->"))
    began = time.perf_counter()
    page.goto(url, wait_until="commit")
    if bare:
        page.get_by_text("Bare Streamlit page").wait_for()
    else:
        wait_for_map(page)
    total = time.perf_counter() - began
    page.wait_for_timeout(300)
    marks = page.evaluate("globalThis.__pmMarks")
    # CDP timestamps are monotonic seconds; the document request's start is the origin
    doc = min((r for r in requests.values() if r["url"].startswith(url.split("?")[0])), key=lambda r: r["start"])
    origin = doc["start"]
    rows = []
    for r in requests.values():
        name = r["url"].split("?")[0].rsplit("/", 1)[-1] or r["url"]
        end = r.get("end")
        rows.append(((r["start"] - origin) * 1000,
                     f"req {name[:48]:<48} start {1000 * (r['start'] - origin):7.0f}  end "
                     + (f"{1000 * (end - origin):7.0f}  {r.get('bytes', 0) / 1000:7.1f} kB" if end else "      -")))
    rows += [((t - origin) * 1000, f"{text}  at {1000 * (t - origin):7.0f}") for t, text in events]
    rows += [(v, f"page: {k}  at {v:7.0f}") for k, v in marks.items()]
    context.close()
    return total, sorted(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.timeline", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--path", default=f"/?petition={PETITION}")
    parser.add_argument("--bare", action="store_true", help="the bare Streamlit page instead (to its first text)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    app = start_app(mirror(), script="benchmarks/bare_app.py" if args.bare else "dashboard/serve.py")
    path = "/" if args.bare else args.path
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                one_load(browser, app.url + path, args.bare)  # warm the server's caches
                totals = []
                for run in range(args.runs):
                    total, rows = one_load(browser, app.url + path, args.bare)
                    totals.append(total)
                    print(f"--- run {run + 1}: navigation → ready {total:.2f} s")
                    for _, text in rows:
                        print("  " + text)
                print(f"median navigation → ready: {statistics.median(totals):.2f} s")
            finally:
                browser.close()
    finally:
        stop_app(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
