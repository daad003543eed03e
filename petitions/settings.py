"""Every setting of petitionmap in one frozen object, read from the environment.

| variable | setting | default |
|---|---|---|
| PETITIONMAP_MIRROR | `mirror`: a folder laid out like the official sources (work offline) | none |
| PETITIONMAP_CACHE | `cache`: normalised reference data | data/cache |
| PETITIONMAP_STORE | `store`: the snapshot store, a path, sqlite:///… or postgresql://… | data/history.sqlite |
| PETITIONMAP_API_BASE | `api_base`: tests only, a fake petitions API on this machine | none |
| PETITIONMAP_CHROMIUM | `chromium`: the browser the browser tests and benchmarks drive | /usr/bin/chromium |
| PETITIONMAP_LIVE_EVERY | `live_every`: seconds between live mode's fetches (shorter in tests; at least 1) | 60 |

The project's own folders (data/, the dashboard's static/ and views/) are fixed relative to `root`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MIRROR_ENV = "PETITIONMAP_MIRROR"
CACHE_ENV = "PETITIONMAP_CACHE"
STORE_ENV = "PETITIONMAP_STORE"
API_BASE_ENV = "PETITIONMAP_API_BASE"
CHROMIUM_ENV = "PETITIONMAP_CHROMIUM"
LIVE_ENV = "PETITIONMAP_LIVE_EVERY"
ROOT = Path(__file__).resolve().parent.parent  # the project folder (an editable install runs from it)
DEFAULT_STORE = ROOT / "data" / "history.sqlite"


@dataclass(frozen=True)
class Settings:
    """The environment as the project understands it; see the module docstring."""

    mirror: Path | None
    cache: Path
    store: str
    api_base: str | None
    chromium: Path
    root: Path = ROOT
    live_every: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, root: Path = ROOT) -> Settings:
        """The settings named by `env` (default: this process's environment); empty values count as unset."""
        env = os.environ if env is None else env
        mirror = env.get(MIRROR_ENV)
        return cls(mirror=Path(mirror) if mirror else None,
                   cache=Path(env.get(CACHE_ENV) or root / "data" / "cache"),
                   store=env.get(STORE_ENV) or str(root / "data" / "history.sqlite"),
                   api_base=env.get(API_BASE_ENV) or None,
                   chromium=Path(env.get(CHROMIUM_ENV) or "/usr/bin/chromium"),
                   root=root, live_every=_seconds(env.get(LIVE_ENV), 60.0))

    @property
    def manifest(self) -> Path:
        """data/manifest.json: every reference dataset, its source and licence."""
        return self.root / "data" / "manifest.json"

    @property
    def app(self) -> Path:
        """The dashboard's entry script (what `streamlit run` is given)."""
        return self.root / "dashboard" / "app.py"

    @property
    def pages(self) -> Path:
        """The dashboard's page scripts."""
        return self.root / "dashboard" / "views"

    @property
    def static(self) -> Path:
        """The folder Streamlit serves at /app/static/ (server.enableStaticServing looks beside the app)."""
        return self.root / "dashboard" / "static"


def _seconds(text: str | None, default: float) -> float:
    try:
        return max(1.0, float(text)) if text else default
    except ValueError:
        return default


def current() -> Settings:
    """The settings of this process as its environment stands now.

    Read afresh on each call (a handful of dictionary look-ups), so that a test changing one variable is seen;
    every reader goes through here, and nothing else reads PETITIONMAP_* or derives a path of its own.
    """
    return Settings.from_env()
