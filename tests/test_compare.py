import numpy as np
import pandas as pd
import pytest

from geo.analysis.compare import (
    Side,
    align,
    compare,
    correlation,
    difference_classes,
    difference_layer,
    strongest,
)

CODES = ["S1", "S2", "S3", "S4"]
POP = pd.Series([1000, 1000, 1000, 1000], index=CODES, dtype="float64")


def s(values, codes=CODES):
    return pd.Series(values, index=codes, dtype="float64")


@pytest.mark.parametrize("a, b, difference, r, top_a, top_b", [
    ([10, 20, 30, 40], [10, 20, 30, 40], [0, 0, 0, 0], 1.0, [], []),  # the same petition
    ([10, 20, 30, 40], [30, 60, 90, 120], [0, 0, 0, 0], 1.0, [], []),  # three times bigger, same spread
    ([100, 0, 0, 0], [25, 25, 25, 25], [75, -25, -25, -25], None, ["S1"], ["S2", "S3", "S4"]),
    ([1, 2, 3, 4], [4, 3, 2, 1], [-30, -10, 10, 30], -1.0, ["S4", "S3"], ["S1", "S2"]),  # mirror images
    ([0, 0, 50, 50], [50, 50, 0, 0], [-50, -50, 50, 50], -1.0, ["S3", "S4"], ["S1", "S2"]),  # counter-petition
])
def test_comparison_of_synthetic_pairs(a, b, difference, r, top_a, top_b):
    table = compare(s(a), s(b), POP)
    assert table["difference"].tolist() == pytest.approx(difference)
    assert table["share_a"].sum() == pytest.approx(100) and table["share_b"].sum() == pytest.approx(100)
    assert table["per_1000_a"].tolist() == pytest.approx([v for v in a])  # 1,000 residents each
    got = correlation(table["per_1000_a"], table["per_1000_b"]) if np.std(a) and np.std(b) else None
    assert got == (pytest.approx(r) if r is not None else None)
    assert strongest(table) == (top_a, top_b)


def test_index_is_each_petitions_own_uk_rate():
    pop = s([1000, 1000, 2000, 4000])
    table = compare(s([10, 10, 20, 40]), s([1, 0, 0, 7]), pop)  # A: the same rate everywhere
    assert table["index_a"].tolist() == pytest.approx([1, 1, 1, 1])
    assert table["index_b"].tolist() == pytest.approx([1 / 1000 / (8 / 8000), 0, 0, 7 / 4000 / (8 / 8000)])


def test_index_layers_share_one_legend():
    from geo.analysis.compare import index_layers

    table = compare(s([10, 10, 20, 40]), s([1, 0, 0, 7]), s([1000, 1000, 2000, 4000]))
    la, lb = index_layers(table, CODES, ("a", "b"))
    assert la["legend"] is lb["legend"] and la["frames"][0]["values"] == [1.0, 1.0, 1.0, 1.0]
    assert lb["frames"][0]["cls"][1] == "z"  # no signatures: the grey class


def test_correlation_known_value_and_constant():
    x, y = s([1, 2, 3, 4]), s([1, 3, 2, 4])
    assert correlation(x, y) == pytest.approx(0.8)
    assert correlation(x, s([5, 5, 5, 5])) is None


def test_relative_strength_uses_rates_not_sizes():
    """A is twice B's share in S1: log2 ratio 1 (with the pseudo-count nearly so)."""
    table = compare(s([200, 100, 100, 100]), s([1000, 1000, 1000, 1000]), POP)
    assert table.loc["S1", "relative"] > table.loc["S2", "relative"] == pytest.approx(table.loc["S3", "relative"])


def test_align_moves_only_the_older_set(mirror):
    from geo.reference.crosswalk import load_crosswalk
    from petitions.model import read_petition_file
    from tests.documents import joined

    old = joined(read_petition_file(mirror / "petitions" / "239406.json"))
    new = joined(read_petition_file(mirror / "petitions" / "700143.json"))
    side = lambda r: Side("x", r.table.set_index("ons_code")["signatures"], r.cset)  # noqa: E731
    a, b, cset, estimated = align(side(old), side(new), load_crosswalk())
    assert cset is new.cset and estimated == (True, False)
    assert len(a) == 650 and a.sum() == pytest.approx(old.table["signatures"].sum())  # nothing lost
    assert set(a.index) == set(new.table["ons_code"])
    b, a, cset, estimated = align(side(new), side(old), load_crosswalk())  # either way round
    assert cset is new.cset and estimated == (False, True) and a.sum() == pytest.approx(old.table["signatures"].sum())
    same = align(side(new), side(new), load_crosswalk())
    assert same[2] is new.cset and same[3] == (False, False)


@pytest.mark.parametrize("diff", [[-2, -1, 0, 1, 2], [-5, -0.5, 0.1, 0.2, 3, 9], [0.001, -0.002, 0.0]])
def test_difference_classes_are_centred_on_zero(diff):
    cls, legend = difference_classes(np.array(diff), "A", "B")
    flipped, _ = difference_classes(-np.array(diff), "A", "B")
    top = len(legend) - 1
    if len(legend) == 5:
        assert (flipped == top - cls).all()  # a seat's class mirrors when A and B swap
    middle = [e["label"] for e in legend if e["label"].startswith("within")]
    assert middle and all(cls[np.array(diff) == 0] == [e["label"] for e in legend].index(middle[0]))


def test_difference_classes_of_identical_petitions():
    cls, legend = difference_classes(np.zeros(4))
    assert cls.tolist() == [0, 0, 0, 0] and legend == [{"label": "the same share", "colour": legend[0]["colour"]}]


def test_difference_layer_follows_the_geometry_order():
    table = compare(s([100, 0, 0, 0]), s([25, 25, 25, 25]), POP)
    layer = difference_layer(table, ["S4", "S1", "S2", "S3"], "A", "B")
    assert layer["frames"][0]["values"] == [-25.0, 75.0, -25.0, -25.0]
    assert len(layer["frames"][0]["cls"]) == 4 and layer["legend"]


def test_difference_legend_of_a_known_spread():
    """|difference| has median 1 and 90th percentile 2: the bounds of the classes, in points."""
    cls, legend = difference_classes(np.array([-2, -1, 0, 1, 2]), "A", "B")
    assert [e["label"] for e in legend] == ["B ahead by 1.0–2.0 pts", "within ±1.0 pts", "A ahead by 1.0–2.0 pts"]
    assert cls.tolist() == [0, 1, 1, 1, 2]
