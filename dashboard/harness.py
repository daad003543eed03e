"""The dashboard in a subprocess on a free localhost port, driven by Debian's Chromium through Playwright:
the harness of the browser tests (tests/browser/) and the browser benchmark (benchmarks/bench_browser.py).

Starting the app, waiting for /_stcore/health, launching Chromium, the probes of the map element, and
MirrorAPI: petition.parliament.uk answered from the data mirror (for AppTest page tests and benchmarks).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from petitions.settings import current

ROOT = current().root
CHROMIUM = str(current().chromium)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1400, "height": 1000}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
START_TIMEOUT = 60.0  # seconds for the app to answer /_stcore/health
DRAW_TIMEOUT = 30_000  # ms for a map to draw or redraw

# The map element (dashboard/components/map.js): one path.pm-seat per constituency in the first .pm-map;
# its data-* attributes say what is drawn (view, metric, area, frame box, selection, labels).
JS_COUNT = ("() => { const m = document.querySelector('.pm-map');"
            " return m && !m.dataset.loading ? m.querySelectorAll('.pm-view.pm-on path.pm-seat').length : 0; }")
JS_STATE = """() => {
  const m = document.querySelector('.pm-map');
  if (!m) return null;
  const paths = [...m.querySelectorAll('.pm-view.pm-on path.pm-seat')];
  return {count: paths.length, first: paths.length ? paths[0].getAttribute('d').slice(0, 80) : '',
          fills: paths.map(p => p.getAttribute('fill')).join(' '),
          ticks: [...m.querySelectorAll('.pm-legend li')].map(e => e.textContent).join('|'),
          title: (m.querySelector('.pm-legend-title') || {}).textContent || '',
          selected: m.dataset.selected || '', view: m.dataset.view || '', box: m.dataset.box || '',
          area: m.dataset.area || '', labels: m.dataset.labels || '', loading: !!m.dataset.loading};
}"""
# A point inside the i-th constituency that the pointer really hits there, with its ONS code.
JS_INSIDE = """(i) => {
  const p = document.querySelector('.pm-map').querySelectorAll('.pm-view.pm-on path.pm-seat')[i];
  const r = p.getBoundingClientRect(), m = p.getScreenCTM().inverse();
  for (const f of [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8])
    for (const g of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
      const x = r.x + r.width * g, y = r.y + r.height * f;
      if (p.isPointInFill(new DOMPoint(x, y).matrixTransform(m)) && document.elementFromPoint(x, y) === p)
        return {x, y, code: p.dataset.code, width: r.width, height: r.height};
    }
  return null;
}"""
# Index of the seat path of an ONS code (-1 when not drawn).
JS_INDEX_OF = """(code) => [...document.querySelector('.pm-map').querySelectorAll('.pm-view.pm-on path.pm-seat')]
  .findIndex(p => p.dataset.code === code)"""


@dataclass
class App:
    """A running dashboard: its base URL, process and log file."""

    url: str
    process: subprocess.Popen
    log: Path
    store: Path
    tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(mirror: Path, store: Path) -> dict[str, str]:
    """The app's environment: the mirror, a private store, and no way out of this machine."""
    env = dict(os.environ)
    dead = "http://127.0.0.1:9"  # nothing listens there: any outside fetch fails at once → offline fallback
    env.update({
        "PETITIONMAP_MIRROR": str(mirror), "PETITIONMAP_STORE": str(store),
        "HTTP_PROXY": dead, "HTTPS_PROXY": dead, "ALL_PROXY": dead,
        "http_proxy": dead, "https_proxy": dead, "all_proxy": dead,
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
        # A manually set address also stops Streamlit asking checkip.amazonaws.com for the external IP.
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1", "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "STREAMLIT_SERVER_RUN_ON_SAVE": "false",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    })
    return env


def start_app(mirror: Path, timeout: float = START_TIMEOUT, env: dict[str, str] | None = None,
              script: str = "dashboard/serve.py") -> App:
    """Start `streamlit run <script>` on a free port (`env`: extra variables); returns when
    /_stcore/health says ok. The default is the dashboard as `petitionmap run` serves it (static files
    gzipped); "dashboard/app.py" is the same pages on Streamlit's plain server."""
    tmp = tempfile.TemporaryDirectory(prefix="petitionmap-browser-")
    folder = Path(tmp.name)
    port = free_port()
    log = folder / "app.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)],
            cwd=ROOT, env=app_env(mirror, folder / "history.sqlite") | (env or {}), stdout=out,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    app = App(f"http://127.0.0.1:{port}", process, log, folder / "history.sqlite", tmp)
    local = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stop_app(app)
            raise RuntimeError(f"the dashboard exited with {process.returncode}:\n{app.log_tail()}")
        try:
            with local.open(f"{app.url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return app
        except OSError:
            pass
        time.sleep(0.25)
    stop_app(app)
    raise RuntimeError(f"the dashboard did not answer /_stcore/health within {timeout:.0f} s:\n{app.log_tail()}")


def stop_app(app: App) -> None:
    """Stop the dashboard we started (its own process group), then remove its temporary folder."""
    process = app.process
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)  # start_new_session: the group is ours alone
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    if app.tmp is not None:
        app.tmp.cleanup()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    """Requests that stay on this machine: the app itself, data: and blob: URLs."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOCAL_HOSTS


def wait_for_map(page, count: int = 650, timeout: float = DRAW_TIMEOUT) -> None:
    page.wait_for_function(f"({JS_COUNT})() === {count}", timeout=timeout)


def map_state(page) -> dict:
    return page.evaluate(JS_STATE)


def wait_for_redraw(page, before: dict, keys: tuple[str, ...], count: int | None = 650, title: str | None = None,
                    timeout: float = DRAW_TIMEOUT) -> dict:
    """Wait until the map's state differs from `before` in one of `keys`, shows `count` seats and its
    legend title holds `title`."""
    script = f"""([before, keys, count, title]) => {{ const now = ({JS_STATE})();
        return !!now && !now.loading && (count === null || now.count === count)
          && (title === null || now.title.includes(title)) && keys.some(k => now[k] !== before[k]); }}"""
    page.wait_for_function(script, arg=[before, list(keys), count, title], timeout=timeout)
    return map_state(page)


def choose_radio(page, label: str) -> None:
    """Click a Streamlit radio option by its visible label."""
    page.locator('[data-testid="stRadioOption"]').filter(has_text=label).first.click()


def map_control(page, label: str) -> None:
    """Click one of the map element's own buttons (Map / Hex map / Signatures / Per 1,000 / Index vs UK)."""
    page.locator(".pm-bar button").filter(has_text=label).first.click()


def point_in(page, index: int) -> dict:
    """Scroll the map into view and return a point inside constituency `index`."""
    page.locator(".pm-map").first.scroll_into_view_if_needed()
    point = page.evaluate(JS_INSIDE, index)
    assert point, f"no point inside constituency #{index} found"
    return point


def screenshot(page, name: str, scroll: bool = True) -> Path:
    """A screenshot of the viewport (with the map in view unless told), under artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if scroll:
        page.locator(".pm-map").first.scroll_into_view_if_needed()
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


class MirrorAPI:
    """Serves petition.parliament.uk paths from the mirror; `down` makes it unreachable."""

    def __init__(self, mirror: Path):
        self.mirror = mirror
        self.down = False
        self.seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == "petition.parliament.uk"
        self.seen.append(str(request.url))
        if self.down:
            raise httpx.ConnectError("no network")
        path = request.url.path
        folder = self.mirror / "petitions"
        if path in ("/petitions.json", "/archived/petitions.json"):
            return self._json((folder / "list-q-climate-change-page-1.json").read_bytes())
        name = path.rsplit("/", 1)[-1].removesuffix(".json")
        if path.startswith("/petitions/") and name.isdigit() and (folder / f"{name}.json").exists():
            return self._json((folder / f"{name}.json").read_bytes())
        if path.startswith("/petitions/") and name.isdigit() and (folder / name).is_dir():
            return self._json(sorted((folder / name).glob("*.json"))[-1].read_bytes())  # the newest snapshot
        if path.startswith("/petitions/local/"):
            return self._json(json.dumps({"data": [], "links": {}}).encode())
        return httpx.Response(404)

    @staticmethod
    def _json(body: bytes) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json",
                                                          "cache-control": "max-age=60"})
