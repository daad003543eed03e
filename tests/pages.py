"""Helpers for AppTest page tests: the app with its network faked from the mirror."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import httpx
import pytest
import streamlit as st
from streamlit.runtime.caching.cache_utils import CachedFunc
from streamlit.testing.v1 import AppTest

from dashboard.harness import MirrorAPI
from petitions.api import PetitionsAPI
from petitions.settings import current
from tests.conftest import MIRROR

APP = str(current().app)

_SEEDED: dict[str, Path] = {}  # "store": the seeded store of the session, while a fake_api test runs


def _copy_seeded_store() -> None:
    """Before a page test's first run: a store that does not exist yet, which the app would seed from the
    session's mirror, starts as a copy of `seeded_store` (the app's own seeding then finds it all there, as on
    its second start). A test that wrote the store first, or gave the app another mirror, keeps its own."""
    settings = current()
    target = Path(settings.store)
    if ("store" not in _SEEDED or "://" in settings.store or target.exists() or not target.parent.is_dir()
            or settings.mirror is None or settings.mirror.resolve() != MIRROR):
        return
    with closing(sqlite3.connect(_SEEDED["store"])) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)


@pytest.fixture(scope="session")
def seeded_store(mirror, tmp_path_factory) -> Path:
    """A SQLite store as the app leaves it after seeding itself from the mirror, made once per session."""
    from petitions.offline import seed_store
    from petitions.store import open_store

    path = tmp_path_factory.mktemp("seeded") / "app.sqlite"
    store = open_store(path)
    seed_store(store)
    store.close()
    return path


@pytest.fixture
def fake_api(mirror, monkeypatch, tmp_path, seeded_store):
    """The app's network faked from the mirror, its caches empty, its own store (see `app` for its contents)."""
    from dashboard import cache

    monkeypatch.setitem(_SEEDED, "store", seeded_store)
    monkeypatch.setenv("PETITIONMAP_STORE", str(tmp_path / "app.sqlite"))
    clear_caches()
    fake = MirrorAPI(mirror)
    client = PetitionsAPI(httpx.Client(transport=httpx.MockTransport(fake)), sleep=lambda s: None)
    monkeypatch.setattr(cache, "api", lambda: client)
    yield fake
    clear_caches()


def clear_caches() -> None:
    """Empty every cache of the dashboard (dashboard/cache.py) but the map geometry: `geometry_url` is the same
    for every test (the drawing of the reference data, a content-named static file) and costs a second to draw."""
    from dashboard import cache

    st.cache_data.clear()
    for cached in vars(cache).values():
        if isinstance(cached, CachedFunc) and cached is not cache.geometry_url:
            cached.clear()


def app(page: str | None = None, /, **params: str) -> AppTest:
    _copy_seeded_store()
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(f"views/{page}.py")
    at.run()
    return at


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def texts(at: AppTest) -> str:
    """Every markdown, caption, metric, alert and title on the page as one string."""
    parts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error",
                                  "text")
             for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def title(at: AppTest) -> str:
    """The page's title: a plain st.title, or the escaped Markdown heading that document text is shown in."""
    for element in at.markdown:
        if element.value.startswith("# "):
            return re.sub(r"\\(.)", r"\1", element.value[2:]).replace("\u2060", "")
    return at.title[0].value if at.title else ""


def plain_texts(at: AppTest) -> str:
    """Every st.text on the page (document text is shown through it)."""
    return "\n".join(e.proto.body for e in at.get("text"))
def maps(at: AppTest) -> dict[str, dict]:
    """The data each map element was given, by its key ("map", "near", "animation", "spread")."""
    out = {}
    for element in at.get("bidi_component"):
        key = element.proto.id.rsplit("-", 1)[-1]
        out[key] = json.loads(element.proto.json)
    return out


def drawn(at: AppTest, key: str = "map") -> AppTest:
    """Rerun as the browser does once the map is drawn on a first view (the rest of the page follows)."""
    return map_event(at, key, trigger=("drawn", True))


def map_event(at: AppTest, key: str, *, trigger: tuple[str, object] | None = None,
              state: dict[str, object] | None = None) -> AppTest:
    """Rerun as the browser does after the map element sends a trigger (a seat picked) or new state."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    element = next(e for e in at.get("bidi_component") if e.proto.id.endswith(f"-{key}"))
    states = WidgetStates()
    states.widgets.extend(at._tree.get_widget_states().widgets)
    if state is not None:
        widget = states.widgets.add()
        widget.id = element.proto.id
        widget.json_value = json.dumps(state)
    if trigger is not None:
        widget = states.widgets.add()
        widget.id = _make_trigger_id(element.proto.id, "events")
        widget.json_trigger_value = json.dumps([{"event": trigger[0], "value": trigger[1]}])
    return at._run(widget_state=states)
