import pandas as pd
import pytest

from geo.reference.crosswalk import build_crosswalk, load_crosswalk
from petitions.model import read_petition_file


def by_code(path):
    petition = read_petition_file(path)
    return pd.Series({c.ons_code: c.signature_count for c in petition.constituencies}, dtype="float64")


@pytest.fixture(scope="module")
def walk():
    return load_crosswalk()


def test_the_real_lookup_covers_both_sets(walk, constituency_sets):
    assert set(walk.pairs["old"]) == set(constituency_sets["pcon2010"].table["ons_code"])
    assert set(walk.pairs["new"]) == set(constituency_sets["pcon2024"].table["ons_code"])
    assert walk.pairs.groupby("old")["to_new"].sum().round(9).eq(1).all()
    assert walk.pairs.groupby("new")["to_old"].sum().round(9).eq(1).all()


@pytest.mark.parametrize("name, onto", [("239406", "pcon2024"), ("550951", "pcon2024"), ("603658", "pcon2024"),
                                        ("700143", "pcon2010")])
def test_estimates_conserve_totals_on_the_real_lookup(walk, petition_files, name, onto):
    counts = by_code(petition_files[name])
    estimated = walk.estimate(counts, onto)
    assert estimated.sum() == pytest.approx(counts.sum(), abs=0.5)  # Σ estimated = Σ original, within rounding
    assert (estimated >= 0).all() and len(estimated) <= 650


def test_a_seat_that_did_not_change_keeps_its_count(walk):
    whole = walk.pairs[(walk.pairs["to_new"] > 0.999) & (walk.pairs["to_old"] > 0.999)].iloc[0]
    assert walk.estimate(pd.Series({whole["old"]: 123.0}), "pcon2024")[whole["new"]] == pytest.approx(123)


def test_split_seat_shares_by_residents():
    overlap = pd.DataFrame({"PARL10": ["A", "A", "B"], "PARL25": ["X", "Y", "Y"],
                            "overlap_pop": ["300", "100", "100"]})
    walk = build_crosswalk(overlap, pd.DataFrame({"UKPARL.2025": ["X", "Y"], "PCON24CD": ["N1", "N2"]}))
    assert walk.estimate(pd.Series({"A": 40.0, "B": 10.0}), "pcon2024").to_dict() == {"N1": 30.0, "N2": 20.0}
    assert walk.estimate(pd.Series({"N2": 10.0}), "pcon2010").to_dict() == {"A": 5.0, "B": 5.0}
    assert walk.predecessors("N2")["old"].tolist() == ["A", "B"]
    assert walk.successors("A")["new"].tolist() == ["N1", "N2"]


def test_unknown_codes_are_named_not_dropped(walk):
    with pytest.raises(ValueError, match="not in the pcon2010↔pcon2024 lookup"):
        walk.estimate(pd.Series({"E14999999": 5.0}), "pcon2024")


@pytest.mark.parametrize("values, expected", [
    ([0.5, 0.5], [1, 0]), ([1.2, 1.3, 1.5], [1, 1, 2]), ([2.0, 3.0], [2, 3]), ([0.4, 0.4, 0.2], [1, 0, 0]),
    ([], []), ([0.3], [0])])
def test_whole_numbers_keep_the_rounded_sum(values, expected):
    from geo.reference.crosswalk import whole_numbers

    got = whole_numbers(pd.Series(values, dtype="float64"))
    assert got.tolist() == expected and got.sum() == round(sum(values))


@pytest.mark.parametrize("name", ["239406", "550951", "603658"])
def test_a_2010_petition_onto_2024_boundaries_keeps_its_total(walk, petition_files, name):
    from geo.export import attribution_line, to_csv_bytes
    from geo.reference.crosswalk import onto_2024
    from geo.reference.datasets import load_set
    from tests.documents import joined

    result = joined(read_petition_file(petition_files[name]))
    moved = onto_2024(result, walk, load_set("pcon2024"))
    assert moved.set_name == "pcon2024" and moved.estimated_from == "pcon2010" and len(moved.table) == 650
    assert moved.total == result.total  # Σ estimated = Σ original, exactly, in whole signatures
    exact = walk.estimate(result.table.set_index("ons_code")["signatures"].astype("float64"), "pcon2024")
    rows = moved.table.set_index("ons_code")["signatures"]
    assert (rows - exact.reindex(rows.index, fill_value=0)).abs().max() < 1  # each seat within rounding
    assert moved.petition is result.petition
    assert attribution_line(moved).startswith("Estimated onto the boundaries from 2024")
    header = to_csv_bytes(moved).decode().splitlines()[0]
    assert "estimated_from" in header and "estimated_from" not in to_csv_bytes(result).decode().splitlines()[0]
    with pytest.raises(ValueError, match="only a petition on the pcon2010"):
        onto_2024(moved, walk, load_set("pcon2024"))
