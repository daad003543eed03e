"""Shared fixtures: the real data mirror, an isolated snapshot store, loaded constituency sets, small synthetic sets."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

ROOT = Path(__file__).resolve().parent.parent
MIRROR = Path(os.environ.get("PETITIONMAP_MIRROR") or ROOT.parent / "shared" / "data").resolve()


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
    from geo.datasets import load_set

    return {name: load_set(name) for name in ("pcon2010", "pcon2024")}


def squares_set(codes: list[str], populations: list[int], name: str = "pcon2024"):
    """A tiny synthetic constituency set: unit squares in a row, with the given codes and populations."""
    from geo.datasets import ConstituencySet

    table = gpd.GeoDataFrame({
        "ons_code": codes, "name": [f"Seat {c}" for c in codes],
        "nation": ["England"] * len(codes), "region": ["London"] * len(codes),
        "population": populations, "electorate": [p // 2 for p in populations],
        "hex_q": list(range(len(codes))), "hex_r": [0] * len(codes),
    }, geometry=[shapely.box(i, 0, i + 1, 1) for i in range(len(codes))], crs="EPSG:4326")
    return ConstituencySet(name, table, ("synthetic",))


# Debian's postgresql package (15 on these machines); the newest installed version is used.
PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit()
             else 0, default=Path("/usr/lib/postgresql/15/bin"))


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL 15 cluster on 127.0.0.1 (a free port, its socket in a temp folder), stopped at the
    end of the session; yields a function that makes a fresh empty database and returns its URL."""
    import itertools
    import shutil
    import socket
    import subprocess
    import tempfile

    if not (PG_BIN / "initdb").is_file():
        pytest.fail(f"PostgreSQL is missing ({PG_BIN}): apt-get install postgresql (.ci/run does)")
    root = Path(tempfile.mkdtemp(prefix="petitionmap-pg-"))
    as_root = os.geteuid() == 0  # initdb refuses root: run the cluster as the postgres user
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(root, "postgres")
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if as_root:
        shutil.chown(sockets, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = lambda *args: subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)  # noqa: E731
    run(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60", "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c max_connections=200", "start")
    admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    counter = itertools.count()

    def new_database() -> str:
        import psycopg

        name = f"t{os.getpid()}_{next(counter)}"
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@127.0.0.1:{port}/{name}"

    try:
        yield new_database
    finally:
        subprocess.run([*prefix, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A fresh, empty store of each engine: the contract tests run once per engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite'}"
    return request.getfixturevalue("postgres_server")()


from tests.pages import fake_api  # noqa: E402, F401 - the page tests' fixture (network faked from the mirror)
