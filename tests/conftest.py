"""Shared fixtures: the real data mirror, an isolated snapshot store, loaded constituency sets, small synthetic sets."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from petitions.settings import current

# Fixtures of these modules serve every test: fault_api (a fake API on 127.0.0.1), fake_api (the page tests'
# network faked from the mirror).
pytest_plugins = ["tests.fault_api", "tests.pages"]
ROOT = current().root
MIRROR = (current().mirror or ROOT.parent / "shared" / "data").resolve()


@pytest.fixture(scope="session", autouse=True)
def _mirror_env():
    """The code under test reads the mirror from PETITIONMAP_MIRROR: default it to the shared mirror."""
    if os.environ.get("PETITIONMAP_MIRROR"):
        yield
        return
    os.environ["PETITIONMAP_MIRROR"] = str(MIRROR)
    yield
    os.environ.pop("PETITIONMAP_MIRROR", None)


@pytest.fixture(scope="session", autouse=True)
def _isolated_store(tmp_path_factory):
    """No test writes the developer's own snapshot store."""
    os.environ["PETITIONMAP_STORE"] = str(tmp_path_factory.mktemp("store") / "history.sqlite")
    yield


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The read-only data mirror (PETITIONMAP_MIRROR, default <repo>/../shared/data)."""
    assert (MIRROR / "README.md").is_file(), f"the data mirror is missing at {MIRROR}"
    return MIRROR


@pytest.fixture(scope="session")
def petition_files(mirror) -> dict[str, Path]:
    """Every real petition document of the mirror, by a short name ("239406", "241584@2019-03-21T2310")."""
    files = {p.stem: p for p in sorted((mirror / "petitions").glob("*.json")) if p.stem.isdigit()}
    files |= {f"241584@{p.stem}": p for p in sorted((mirror / "petitions" / "241584").glob("*.json"))}
    return files


@pytest.fixture(scope="session")
def constituency_sets(mirror):
    """Both constituency sets loaded once per session: {"pcon2010": ConstituencySet, "pcon2024": ...}."""
    from geo.reference.datasets import load_set

    return {name: load_set(name) for name in ("pcon2010", "pcon2024")}


def squares_set(codes: list[str], populations: list[int], name: str = "pcon2024"):
    """A tiny synthetic constituency set: unit squares in a row, with the given codes and populations."""
    from geo.reference.datasets import ConstituencySet

    table = gpd.GeoDataFrame({
        "ons_code": codes, "name": [f"Seat {c}" for c in codes],
        "nation": ["England"] * len(codes), "region": ["London"] * len(codes),
        "population": populations, "electorate": [p // 2 for p in populations],
        "hex_q": list(range(len(codes))), "hex_r": [0] * len(codes),
    }, geometry=[shapely.box(i, 0, i + 1, 1) for i in range(len(codes))], crs="EPSG:4326")
    return ConstituencySet(name, table, ("synthetic",))


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster for the session; yields a function that makes a fresh empty database and
    returns its URL."""
    from tests.services import throwaway_cluster

    with throwaway_cluster() as new_database:
        yield new_database


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A fresh, empty store of each engine: the contract tests run once per engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite'}"
    return request.getfixturevalue("postgres_server")()
