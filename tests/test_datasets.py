import json
import shutil

import numpy as np
import pandas as pd
import pytest
import shapely

from geo import datasets
from geo.datasets import DataError, dataset, ensure, load_full_boundaries, load_set


@pytest.fixture
def fresh(tmp_path, monkeypatch, mirror):
    """An empty cache and a private copy of the mirror that a test may damage."""
    copy = tmp_path / "mirror"
    for kind in ("boundaries", "hexmaps", "population", "electorate"):
        shutil.copytree(mirror / kind, copy / kind)
    monkeypatch.setenv("PETITIONMAP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PETITIONMAP_MIRROR", str(copy))
    return copy


def test_ensure_fills_the_cache_from_the_mirror(fresh, tmp_path):
    path = ensure(dataset("pcon2024", "population"))
    assert path.parent == tmp_path / "cache"
    frame = pd.read_parquet(path)
    assert len(frame) == 650 and frame["population"].sum() == 67_582_460


def test_no_mirror_and_no_network_says_what_to_do(fresh, monkeypatch):
    monkeypatch.delenv("PETITIONMAP_MIRROR")

    def offline(ds):
        raise DataError(f"cannot download {ds.id}; set PETITIONMAP_MIRROR to a mirror folder to work offline")
    with pytest.raises(DataError, match="PETITIONMAP_MIRROR"):
        ensure(dataset("pcon2010", "population"), download=offline)


def _damage_geojson(path, change):
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


@pytest.mark.parametrize("change, words", [
    (lambda d: d["features"].pop(), "649 constituencies; expected 650"),
    (lambda d: d["features"][1]["properties"].update(PCON24CD=d["features"][0]["properties"]["PCON24CD"]),
     "duplicate codes"),
    (lambda d: [f["properties"].pop("PCON24CD") for f in d["features"]], "missing column(s) PCON24CD"),
    (lambda d: d["features"][0]["properties"].update(PCON24CD="E14000530"), "not in pcon2024"),
])
def test_bad_boundaries_are_refused_and_the_good_copy_kept(fresh, change, words):
    good = ensure(dataset("pcon2024", "boundaries"))
    before = good.read_bytes()
    _damage_geojson(fresh / "boundaries" / "pcon2024.geojson", change)
    with pytest.raises(DataError) as err:
        ensure(dataset("pcon2024", "boundaries"), refresh=True)
    assert words in str(err.value) and "previous good copy is kept" in str(err.value)
    assert good.read_bytes() == before


def test_corrupt_file_is_refused(fresh):
    (fresh / "boundaries" / "pcon2010.geojson").write_text('{"type": "FeatureCollection", "feat')
    with pytest.raises(DataError, match="refused"):
        ensure(dataset("pcon2010", "boundaries"))


def test_missing_value_in_a_csv_is_refused(fresh):
    path = fresh / "population" / "pcon2010.csv"
    lines = path.read_text().splitlines()
    lines[5] = lines[5].split(",")[0] + ","
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match="missing or non-positive"):
        ensure(dataset("pcon2010", "population"))


def test_dirty_2024_electorate_is_cleaned(fresh):
    frame = pd.read_parquet(ensure(dataset("pcon2024", "electorate"))).set_index("ons_code")["electorate"]
    assert len(frame) == 650 and frame.index.is_unique
    assert frame["S14000084"] == 69748  # Glasgow East, labelled S14000083 at source
    assert frame["S14000083"] == 75067  # Falkirk keeps its own
    assert frame["E14001219"] == 73322  # Eastbourne, twice at source


def test_latin1_electorate_2010(fresh):
    frame = pd.read_parquet(ensure(dataset("pcon2010", "electorate")))
    assert len(frame) == 650 and (frame["electorate"] > 15_000).all()  # Na h-Eileanan an Iar: ~21,000


@pytest.mark.parametrize("set_name, population", [("pcon2010", 67_080_418), ("pcon2024", 67_582_460)])
def test_load_set_is_complete(set_name, population):
    table = load_set(set_name).table
    assert len(table) == 650 and table["ons_code"].is_unique and not table.isna().any().any()
    assert table["population"].sum() == population
    assert set(table["nation"]) == {"England", "Wales", "Scotland", "Northern Ireland"}
    assert (table["region"] == "London").sum() == (73 if set_name == "pcon2010" else 75)
    assert table.crs.to_epsg() == 4326


def test_simplified_boundaries_stay_a_coverage():
    simple = np.asarray(load_set("pcon2024").table.geometry.values)
    assert not shapely.is_ccw(shapely.get_exterior_ring(shapely.get_parts(simple))).any()
    coords = shapely.get_coordinates(simple)
    assert np.allclose(coords, np.round(coords, 4))
    # Neighbours share edges: no gaps or overlaps are introduced between them.
    total = shapely.area(simple).sum()
    union = shapely.area(shapely.union_all(simple))
    assert union == pytest.approx(total, rel=0.005)
    full = np.asarray(load_full_boundaries("pcon2024").geometry.values)
    assert shapely.get_num_coordinates(simple).sum() < 0.8 * shapely.get_num_coordinates(full).sum()
    assert shapely.area(simple).sum() == pytest.approx(shapely.area(full).sum(), rel=0.01)


def test_manifest_entries_are_complete():
    entries = datasets.manifest()
    assert {(d.set, d.kind) for d in entries} == {(s, k) for s in ("pcon2010", "pcon2024")
                                                   for k in ("boundaries", "hexmap", "population", "electorate")}
    for d in entries:
        assert d.url.startswith("https://") and d.licence and d.attribution and d.expected_count == 650
