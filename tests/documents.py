"""Test documents built in code from the mirror's real ones (re-wrapped or amended, never saved)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any


def real(path: Path) -> dict[str, Any]:
    """A mirror document as served (the API's {"links", "data"} layout)."""
    return json.loads(path.read_text(encoding="utf-8"))


def as_dump(doc: dict[str, Any]) -> dict[str, Any]:
    """The same petition in the public dumps' layout: the petition object at the top level."""
    data = copy.deepcopy(doc["data"])
    return {"type": data["type"], "id": data["id"], "links": doc.get("links") or {},
            "attributes": data["attributes"]}


def amended(doc: dict[str, Any], **attrs: Any) -> dict[str, Any]:
    """A copy of a real API document with some attributes replaced."""
    out = copy.deepcopy(doc)
    out["data"]["attributes"].update(attrs)
    return out


def write(folder: Path, name: str, doc: Any) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def joined(petition: Any) -> Any:
    """A petition joined to the set it was counted on (the caller's part of `join_petition`)."""
    from geo.analysis.join import join_petition, petition_set
    from geo.reference.datasets import load_set

    return join_petition(petition, load_set(petition_set(petition)))
