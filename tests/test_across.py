import pytest

from geo.analysis.across import local_slug, neighbours
from geo.reference.datasets import load_set


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
