import json
import shutil

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.reference import datasets
from geo.reference.datasets import DataError, dataset, ensure, fill_cache, load_set

KINDS = ("boundaries", "hexmap", "population", "electorate")


@pytest.fixture
def fresh(tmp_path, monkeypatch, mirror):
    """An empty cache in tmp_path and a private copy of the mirror's reference data that a test may damage."""
    copy = tmp_path / "mirror"
    for kind in ("boundaries", "hexmaps", "population", "electorate", "lookups"):
        shutil.copytree(mirror / kind, copy / kind)
    monkeypatch.setenv("PETITIONMAP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PETITIONMAP_MIRROR", str(copy))
    return copy


def test_ensure_fills_the_cache_from_the_mirror(fresh, tmp_path):
    path = ensure(dataset("pcon2024", "population"))
    assert path == tmp_path / "cache" / "pcon2024-population.parquet"
    frame = pd.read_parquet(path)
    assert list(frame.columns) == ["ons_code", "population"]
    assert len(frame) == 650 and frame["population"].sum() == 67_582_460


def test_the_cache_comes_first(fresh):
    path = ensure(dataset("pcon2010", "population"))
    before = path.read_bytes()
    (fresh / "population" / "pcon2010.csv").write_text("garbage")
    assert ensure(dataset("pcon2010", "population")) == path and path.read_bytes() == before


def test_no_mirror_file_downloads_and_validates(fresh, mirror, monkeypatch):
    monkeypatch.delenv("PETITIONMAP_MIRROR")
    asked = []

    def download(ds):
        asked.append(ds.url)
        return (mirror / ds.mirror_path).read_bytes()
    frame = pd.read_parquet(ensure(dataset("pcon2010", "population"), download=download))
    assert asked == [dataset("pcon2010", "population").url] and frame["population"].sum() == 67_080_418


def test_no_mirror_and_no_network_says_what_to_do(fresh, monkeypatch):
    """The real downloader, with the network down: its own message names the way out."""
    import httpx

    monkeypatch.delenv("PETITIONMAP_MIRROR")

    def offline(method, url, **kw):
        raise httpx.ConnectError("no network")
    monkeypatch.setattr(httpx, "stream", offline)
    ds = dataset("pcon2010", "population")
    with pytest.raises(DataError) as error:
        ensure(ds)
    assert str(error.value) == (f"cannot download {ds.id} from {ds.url}: ConnectError; "
                                "set PETITIONMAP_MIRROR to a mirror folder to work offline")


def _edit_json(path, change):
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


def _first_code(d):
    return d["features"][0]["properties"]["PCON24CD"]


BAD_BOUNDARIES = {
    "649 features": (lambda d: d["features"].pop(), "649 constituencies; expected 650"),
    "duplicate code": (lambda d: d["features"][1]["properties"].update(PCON24CD=_first_code(d)),
                       "duplicate codes E14001063"),
    "wrong code column": (lambda d: [f["properties"].update(CODE=f["properties"].pop("PCON24CD"))
                                     for f in d["features"]], "missing column(s) PCON24CD"),
    "code of the other set": (lambda d: d["features"][0]["properties"].update(PCON24CD="E14000530"),
                              "1 code(s) not in pcon2024 (e.g. E14000530)"),
    "no geometry": (lambda d: d["features"][3].update(geometry=None), "some constituencies have no geometry"),
}


@pytest.mark.parametrize("change, words", BAD_BOUNDARIES.values(), ids=BAD_BOUNDARIES.keys())
def test_bad_boundaries_are_refused_naming_the_problem(fresh, change, words):
    _edit_json(fresh / "boundaries" / "pcon2024.geojson", change)
    with pytest.raises(DataError) as err:
        ensure(dataset("pcon2024", "boundaries"))
    message = str(err.value)
    assert message.startswith(str(fresh / "boundaries" / "pcon2024.geojson") + " refused: ")
    assert words in message and "\n" not in message and "previous good copy" not in message
    assert not (fresh.parent / "cache" / "pcon2024-boundaries.parquet").exists()


@pytest.mark.parametrize("damage", [
    lambda p: p.write_text('{"type": "FeatureCollection", "feat'),  # truncated download
    lambda p: p.write_bytes(b""),
    lambda p: _edit_json(p, BAD_BOUNDARIES["649 features"][0]),
    lambda p: _edit_json(p, BAD_BOUNDARIES["duplicate code"][0]),
], ids=["truncated", "empty", "649 features", "duplicate code"])
def test_refresh_with_a_bad_file_keeps_the_good_copy(fresh, damage):
    good = ensure(dataset("pcon2024", "boundaries"))
    full = good.with_name("pcon2024-boundaries-full.parquet")
    before, before_full = good.read_bytes(), full.read_bytes()
    damage(fresh / "boundaries" / "pcon2024.geojson")
    with pytest.raises(DataError) as err:
        ensure(dataset("pcon2024", "boundaries"), refresh=True)
    assert "refused" in str(err.value) and str(err.value).endswith("(the previous good copy is kept)")
    assert good.read_bytes() == before and full.read_bytes() == before_full
    assert sorted(p.name for p in good.parent.iterdir()) == [full.name, good.name]  # no temporary files left


def _edit_csv(path, line, new):
    lines = path.read_text(encoding="latin-1").splitlines()
    lines[line] = new(lines[line])
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")


BAD_CSV = {
    "missing value": ("pcon2010", "population", 5, lambda s: s.split(",")[0] + ",",
                      "column 'pop_2020' has missing or non-positive values (e.g. ['E14000534'])"),
    "zero value": ("pcon2010", "population", 1, lambda s: s.split(",")[0] + ",0",
                   "column 'pop_2020' has missing or non-positive values (e.g. ['E14000530'])"),
    "wrong value column": ("pcon2010", "population", 0, lambda s: "gss,population", "missing column(s) pop_2020"),
    "wrong code column": ("pcon2010", "population", 0, lambda s: "code,pop_2020", "missing column(s) gss"),
    "duplicate code": ("pcon2010", "population", 2, lambda s: "E14000530," + s.split(",")[1],
                       "duplicate codes E14000530"),
    "missing row": ("pcon2010", "population", 3, lambda s: "", "649 constituencies; expected 650"),
}


@pytest.mark.parametrize("set_name, kind, line, new, words", BAD_CSV.values(), ids=BAD_CSV.keys())
def test_bad_csv_is_refused_naming_the_problem(fresh, set_name, kind, line, new, words):
    _edit_csv(fresh / dataset(set_name, kind).mirror_path, line, new)
    with pytest.raises(DataError) as err:
        ensure(dataset(set_name, kind))
    assert words in str(err.value) and "\n" not in str(err.value)


def test_refresh_with_a_bad_csv_keeps_the_good_copy(fresh):
    good = ensure(dataset("pcon2010", "population"))
    before = good.read_bytes()
    _edit_csv(fresh / "population" / "pcon2010.csv", 5, lambda s: s.split(",")[0] + ",")
    with pytest.raises(DataError, match=r"missing or non-positive .*\(the previous good copy is kept\)"):
        ensure(dataset("pcon2010", "population"), refresh=True)
    assert good.read_bytes() == before


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(layout="odd-q"), "hex layout is 'odd-q'; expected 'odd-r'"),
    (lambda d: d.pop("hexes"), "not a HexJSON document"),
    (lambda d: d["hexes"]["E14001075"].update(q=d["hexes"]["E14001074"]["q"], r=d["hexes"]["E14001074"]["r"]),
     "two constituencies share a hex"),
])
def test_bad_hexmap_is_refused(fresh, change, words):
    _edit_json(fresh / "hexmaps" / "pcon2024.hexjson", change)
    with pytest.raises(DataError, match=words):
        ensure(dataset("pcon2024", "hexmap"))


def test_dirty_2024_electorate_is_cleaned(fresh):
    raw = pd.read_csv(fresh / "electorate" / "pcon2024.csv")
    assert len(raw) == 652  # the source is dirty: the cleaning below must not be a no-op
    frame = pd.read_parquet(ensure(dataset("pcon2024", "electorate")))
    assert len(frame) == 650 and frame["ons_code"].is_unique
    values = frame.set_index("ons_code")["electorate"]
    assert values["S14000084"] == 69748  # Glasgow East, labelled S14000083 at source
    assert values["S14000083"] == 75067  # Falkirk keeps its own
    assert (frame["ons_code"] == "E14001219").sum() == 1 and values["E14001219"] == 73322  # Eastbourne, twice at source
    assert (frame["ons_code"] == "E14001299").sum() == 1 and values["E14001299"] == 71145  # Hyndburn, twice at source


def test_latin1_electorate_2010(fresh):
    frame = pd.read_parquet(ensure(dataset("pcon2010", "electorate")))
    assert len(frame) == 650 and frame["ons_code"].is_unique
    assert (frame["electorate"] > 15_000).all()  # the smallest, Na h-Eileanan an Iar, has ~21,000


def test_coverage_simplification_keeps_a_coverage(fresh):
    path = ensure(dataset("pcon2024", "boundaries"))
    simple = np.asarray(pd.read_parquet(path).pipe(lambda f: shapely.from_wkb(f["geometry"])))
    full = np.asarray(shapely.from_wkb(pd.read_parquet(path.with_name("pcon2024-boundaries-full.parquet"))["geometry"]))
    assert len(simple) == len(full) == 650
    # every exterior ring clockwise (plotly reads counter-clockwise rings as "everything but")
    assert not shapely.is_ccw(shapely.get_exterior_ring(shapely.get_parts(simple))).any()
    # coordinates rounded to 4 decimals
    coords = shapely.get_coordinates(simple)
    assert np.array_equal(coords, np.round(coords, 4))
    # no overlaps between simplified neighbours, no gaps opened: union ≈ sum of areas
    areas = shapely.area(simple)
    left, right = shapely.STRtree(simple).query(simple, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(simple[left[pairs]], simple[right[pairs]])).sum()
    assert overlap < 1e-6 * areas.sum()
    assert shapely.area(shapely.union_all(simple)) == pytest.approx(areas.sum(), rel=0.005)
    # neighbours that share a border in the full boundaries still share one after simplification
    a, b = shapely.STRtree(full).query(full, predicate="touches")
    a, b = a[a < b], b[a < b]
    border = shapely.length(shapely.intersection(shapely.boundary(full[a]), shapely.boundary(full[b])))
    a, b = a[border > 0.01], b[border > 0.01]
    assert len(a) > 1500
    still = shapely.length(shapely.intersection(shapely.boundary(simple[a]), shapely.boundary(simple[b])))
    assert (still > 0).all()
    # and it is a simplification: fewer points, same land
    assert shapely.get_num_coordinates(simple).sum() < 0.8 * shapely.get_num_coordinates(full).sum()
    assert areas.sum() == pytest.approx(shapely.area(full).sum(), rel=0.01)
    assert shapely.is_valid(full).all()  # the unsimplified shapes (exports) are made valid on arrival


def test_simplify_coverage_on_squares():
    squares = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1.000049)]
    simple = datasets.simplify_coverage(squares)
    assert shapely.get_coordinates(simple)[:, 1].max() == 1.0  # rounded to 4 decimals
    assert shapely.area(shapely.intersection(simple[0], simple[1])) == 0
    assert shapely.length(shapely.intersection(simple[0].boundary, simple[1].boundary)) == 1.0
    assert not shapely.is_ccw(shapely.get_exterior_ring(shapely.get_parts(simple))).any()


def test_fill_cache_then_load_set_from_it(fresh, tmp_path):
    lines = []
    fill_cache(log=lines.append)
    assert len(lines) == 10
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted(
        [f"{s}-{k}.parquet" for s in ("pcon2010", "pcon2024") for k in KINDS]
        + ["pcon2010-to-2024-overlap.parquet", "parl2025-to-pcon2024.parquet"]
        + ["pcon2010-boundaries-full.parquet", "pcon2024-boundaries-full.parquet"])
    cset = load_set.__wrapped__("pcon2024")  # not the process-wide lru_cache: this cache folder
    assert len(cset.table) == 650 and cset.table["population"].sum() == 67_582_460


@pytest.mark.parametrize("set_name, population", [("pcon2010", 67_080_418), ("pcon2024", 67_582_460)])
def test_load_set_is_complete(constituency_sets, set_name, population):
    cset = constituency_sets[set_name]
    table = cset.table
    assert cset.name == set_name
    assert list(table.columns) == ["ons_code", "name", "nation", "region", "population", "electorate", "hex_q",
                                   "hex_r", "geometry"]
    assert len(table) == 650 and table["ons_code"].is_unique and table["ons_code"].is_monotonic_increasing
    assert not table.isna().any().any()
    assert table["population"].sum() == population
    assert (table["electorate"] < table["population"]).all()
    assert table[["hex_q", "hex_r"]].drop_duplicates().shape[0] == 650
    assert table["nation"].value_counts().to_dict() == (
        {"England": 533, "Scotland": 59, "Wales": 40, "Northern Ireland": 18} if set_name == "pcon2010"
        else {"England": 543, "Scotland": 57, "Wales": 32, "Northern Ireland": 18})
    assert (table["region"] == "London").sum() == (73 if set_name == "pcon2010" else 75)
    assert table.crs.to_epsg() == 4326 and not table.geometry.is_empty.any()
    assert any("Contains OS data" in a for a in cset.attribution)


def test_load_set_refuses_an_unknown_set():
    with pytest.raises(DataError, match="unknown constituency set 'pcon2019'"):
        load_set("pcon2019")


def test_manifest_entries_are_complete():
    entries = datasets.manifest()
    assert {(d.set, d.kind) for d in entries} == {(s, k) for s in ("pcon2010", "pcon2024") for k in (*KINDS, "lookup")}
    for d in entries:
        assert d.url.startswith("https://") and d.licence and d.attribution and d.expected_count == 650


def test_make_data_lists_refused_mirror_documents_with_reasons(mirror, tmp_path, monkeypatch):
    from petitions.offline import report_mirror_petitions
    from tests.documents import as_dump, real, write

    write(tmp_path, "petitions/239406.json", as_dump(real(mirror / "petitions" / "239406.json")))
    write(tmp_path, "petitions/5.json", {"data": {"type": "petition", "id": 5, "attributes": {"action": "x"}}})
    shutil.copy(mirror / "petitions" / "list-q-climate-change-page-1.json", tmp_path / "petitions")
    monkeypatch.setenv("PETITIONMAP_MIRROR", str(tmp_path))
    assert report_mirror_petitions() == [
        "mirror petitions: 1 documents, 1 saved list pages, 1 refused",
        f"refused {tmp_path / 'petitions' / '5.json'}: petition 5 has no 'signature_count'"]
