import pytest

from geo.across import constituency_across, local_slug, neighbours
from geo.datasets import load_set
from petitions.loader import mirror_documents


def test_across_petitions_of_the_same_set(mirror):
    known = [(p, "mirror") for p in mirror_documents(mirror)]
    table = constituency_across(known, "E14000602")  # Bristol West, 2010 set
    assert set(table["id"]) == {239406, 241584, 332711, 550951, 603658}  # 700143 uses the 2024 set
    assert table["signatures"].is_monotonic_decreasing
    row = table.set_index("id").loc[239406]
    assert row["signatures"] == 100 and row["rank"] == 1 and row["of"] == 650 and row["index"] > 3


def test_shared_scottish_code_appears_in_both_sets(mirror):
    known = [(p, "mirror") for p in mirror_documents(mirror)]
    assert 700143 in set(constituency_across(known, "S14000021")["id"])
    assert 239406 in set(constituency_across(known, "S14000021")["id"])


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
