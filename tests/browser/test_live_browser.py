"""Live mode in a real browser against a fake API on 127.0.0.1: the count changes, the live panel updates
by itself, and only the fragment reruns (every rerun the browser asks for names the fragment)."""

from __future__ import annotations

import json

import pytest

from dashboard.harness import VIEWPORT, start_app, stop_app
from tests.fault_api import FaultAPI

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(mirror):
    api = FaultAPI({700143: (mirror / "petitions" / "700143.json").read_bytes()})
    app = start_app(mirror, env={"PETITIONMAP_API_BASE": api.base, "PETITIONMAP_LIVE_EVERY": "2"})
    yield app, api
    stop_app(app)
    api.stop()


def test_live_panel_updates_alone(chromium, live_app):
    from streamlit.proto.BackMsg_pb2 import BackMsg

    from petitions.store import open_store

    app, api = live_app
    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    sent: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(f"{app.url}/petition?petition=700143")
    live = page.locator(".st-key-live")
    live.get_by_text("1,462,163 signatures").wait_for(timeout=60_000)
    page.get_by_text("Where it is going").first.wait_for()
    page.get_by_text("Top 10 in the UK").wait_for()  # the rerun that follows the drawn map has been asked for
    sent.clear()
    doc = json.loads(api.docs[700143])
    doc["data"]["attributes"]["signature_count"] = 1_470_000
    api.docs[700143] = json.dumps(doc).encode()
    live.get_by_text("1,470,000 signatures").wait_for(timeout=30_000)
    assert "updated" in live.inner_text() and "s ago" in live.inner_text()
    reruns = [m for m in (BackMsg.FromString(p) for p in sent if isinstance(p, bytes))
              if m.WhichOneof("type") == "rerun_script"]
    assert reruns and all(m.rerun_script.fragment_id for m in reruns)  # never a full rerun
    # outside the fragment the page is as it was drawn
    header = page.locator("h3").filter(has_text=" signatures").first  # the page's count, above the progress bars
    assert header.inner_text() == "1,462,163 signatures"
    counts = open_store(app.store).snapshots(700143)["signature_count"].tolist()
    assert 1_470_000 in counts  # the fetch was stored as a snapshot
    context.close()
