"""The map element: one Streamlit custom component (v2) for every map of the dashboard.

Its script and the geometry are static files under /app/static/geo/ whose names carry a hash of their
content, so the browser fetches each once; a rerun sends only classes and figures for the seats.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from typing import Any

import streamlit as st

from petitions.settings import current

HERE = resources.files(__package__)  # map.js and map.css ship beside this module
STATIC = current().static
STATE_KEYS = ("view", "metric", "scheme", "area")


def write_static(name: str, suffix: str, text: str) -> str:
    """Write `text` once as /app/static/geo/<name>-<hash><suffix>; returns its URL."""
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    path = STATIC / "geo" / f"{name}-{digest}{suffix}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return f"/app/static/geo/{path.name}"


def script_url() -> str:
    js = (HERE / "map.js").read_text(encoding="utf-8")
    css = (HERE / "map.css").read_text(encoding="utf-8")
    return write_static("map", ".js", js.replace('"/*CSS*/"', json.dumps(css)))


# A small module that starts the geometry download and imports the cached script (a component's own JS
# travels with every rerun, so it stays this small).
_LOADER = """export default async function (args) {
  const geometry = (globalThis.__petitionmapGeometry ??= new Map());
  const d = args.data || {}, urls = d.geometry || {}, url = urls[(d.state || {}).view] || urls.map;
  if (url && !geometry.has(url)) geometry.set(url, fetch(url).then(r => {
    if (!r.ok) throw new Error(`map geometry ${r.status}`);
    return r.json();
  }).catch(e => { geometry.delete(url); throw e; }));
  const m = await import(new URL(SCRIPT, location.origin).href);
  return m.default(args);
}
""".replace("SCRIPT", json.dumps(script_url()))
_COMPONENT = st.components.v2.component("petitionmap_map", js=_LOADER, isolate_styles=False)


def _copy(key: str, name: str, target: str) -> Callable[[], None]:
    def copy() -> None:
        value = (st.session_state.get(key) or {}).get(name)
        if isinstance(value, str) and value:
            st.session_state[target] = value
    return copy


def map_element(*, key: str, geometry: dict[str, str], values: dict[str, Any] | None = None,
                layers: dict[str, Any] | None = None, state: dict[str, str] | None = None,
                selected: str | None = None, controls: Sequence[str] = (), areas: Sequence[str] = (),
                summary: str = "", label: str = "Map", title: str | None = None, focus: Sequence[str] | None = None,
                height: int | None = None, on_select: Callable[[], None] | None = None,
                state_targets: dict[str, str] | None = None, deferred: bool = False) -> Any:
    """Mount the map. `values` (a petition, see geo.render.maps.map_values) or `layers` (frames of one measure).

    A click or Enter on a seat calls `on_select` with st.session_state[key]["select"] holding its ONS code;
    a control change copies its value into st.session_state[state_targets[name]].
    `deferred`: the page holds back its parts below the map; once the map is drawn the browser sends a
    "drawn" trigger, and that rerun draws them (see first_view_only).
    """
    data = {"geometry": geometry, "values": values, "layers": layers, "state": state or {}, "selected": selected,
            "controls": list(controls), "areas": list(areas), "summary": summary, "label": label, "title": title,
            "focus": list(focus) if focus else None, "height": height, "selectable": on_select is not None,
            "deferred": deferred}
    callbacks: dict[str, Callable[[], None]] = {"on_select_change": on_select or (lambda: None),
                                                "on_drawn_change": lambda: None}
    for name, target in (state_targets or {}).items():
        callbacks[f"on_{name}_change"] = _copy(key, name, target)
    return _COMPONENT(key=key, data=data, **callbacks)  # type: ignore[arg-type]  # on_<name>_change: any name


def picked(key: str, codes: Iterable[str], target: str = "c") -> Callable[[], None]:
    """A selection callback: the clicked seat's code into st.session_state[target], if it is one of `codes`."""
    allowed = set(codes)

    def pick() -> None:
        code = (st.session_state.get(key) or {}).get("select")
        if isinstance(code, str) and code in allowed:
            st.session_state[target] = code
    return pick


def first_view_only(page: str) -> bool:
    """True on a session's first run of `page`, False on every later run.

    Streamlit's frontend fetches an element kind's code when the kind first arrives, and (python -m
    benchmarks.timeline) showed the map element only once the run's end had reached the browser and been
    rendered: every element a first run sends after the map delays it. So that run sends the first view
    (title, progress, map, seat finder); the map's "drawn" trigger then reruns the page whole, and any other
    rerun (a click, another petition) is whole too. Measured side by side, 11 loads each: the top ten,
    breakdowns and downloads held back this way take 0.17 s off navigation → 650 seats drawn.
    """
    key = f"_whole_{page}"
    first = not st.session_state.get(key)
    st.session_state[key] = True
    return first
