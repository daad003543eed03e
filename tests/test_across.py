import pytest

from geo.across import local_slug, neighbours, seat_across
from geo.datasets import load_set
from geo.join import join_petition
from petitions.loader import mirror_documents
from petitions.store import open_store


@pytest.fixture(scope="module")
def stored(mirror, tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("across") / "s.sqlite")
    for p in mirror_documents(mirror):
        store.add(p, p.updated_at, source="file")
    return store


def across(store, code, set_name="pcon2010"):
    return seat_across(store.latest_counts_for(code), code, load_set(set_name).table,
                       lambda pid, sid: store.counts(pid, [sid]))


def test_across_petitions_of_the_same_set(stored, mirror):
    table = across(stored, "E14000602")  # Bristol West, 2010 set
    assert set(table["id"]) == {239406, 241584, 332711, 550951, 603658}  # 700143 uses the 2024 set
    assert table["signatures"].is_monotonic_decreasing
    row = table.set_index("id").loc[239406]
    assert row["signatures"] == 100 and row["rank"] == 1 and row["of"] == 650 and row["index"] > 3
    for p in mirror_documents(mirror):  # the same figures as joining each whole document
        if p.id == 700143:
            continue
        joined = join_petition(p).table.set_index("ons_code").loc["E14000602"]
        mine = table.set_index("id").loc[p.id]
        assert (mine["signatures"], mine["rank"]) == (joined["signatures"], joined["rank"])
        assert mine["per_1000"] == pytest.approx(joined["per_1000"]) and mine["index"] == pytest.approx(joined["index"])


def test_shared_scottish_code_appears_in_both_sets(stored):
    assert 700143 in set(across(stored, "S14000021")["id"])
    assert 239406 in set(across(stored, "S14000021")["id"])


def test_neighbours_share_a_boundary():
    table = load_set("pcon2010").table
    near = neighbours(table, "E14000530")  # Aldershot
    assert near[0] == "E14000530" and 3 <= len(near) <= 8
    assert neighbours(table, "S14000027") == ["S14000027"]  # the Western Isles touch nothing
    with pytest.raises(KeyError):
        neighbours(table, "X")


@pytest.mark.parametrize("name, slug", [
    ("Aldershot", "aldershot"), ("Brighton, Pavilion", "brighton-pavilion"), ("Ynys Môn", "ynys-mon"),
    ("Hornsey & Friern Barnet", "hornsey-and-friern-barnet")])
def test_local_slug(name, slug):
    assert local_slug(name) == slug
