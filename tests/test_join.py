import pandas as pd
import pytest

from geo.join import join_counts, join_petition
from petitions.model import read_petition_file
from tests.conftest import squares_set

EXPECTED_SET = {"700143": "pcon2024"}


def test_every_real_petition_joins_completely(petition_files):
    for name, path in petition_files.items():
        petition = read_petition_file(path)
        result = join_petition(petition)
        assert result.set_name == EXPECTED_SET.get(name, "pcon2010"), name
        assert len(result.table) == 650 and result.table["ons_code"].is_unique, name
        assert result.unmatched == (), name
        assert result.total == petition.constituency_total, name


@pytest.mark.parametrize("name, zeros", [("332711", 6), ("603658", 497), ("239406", 0)])
def test_absent_constituencies_count_zero(petition_files, name, zeros):
    table = join_petition(read_petition_file(petition_files[name])).table
    assert (table["signatures"] == 0).sum() == zeros


def test_mp_and_ranks_come_through(petition_files):
    table = join_petition(read_petition_file(petition_files["239406"])).table.set_index("ons_code")
    assert table.loc["E14000602", "name"] == "Bristol West"
    assert table.loc["E14000602", "mp"] == "Thangam Debbonaire MP"
    assert table.loc["E14000602", "rank"] == 1 and table.loc["E14000602", "signatures"] == 100


def test_synthetic_edge_cases():
    cset = squares_set(["E14001063", "E14001064", "E14001065"], [1000, 2000, 1000])
    counts = pd.DataFrame({"ons_code": ["E14001063", "E14001063", "E14001065", "E14099999"],
                           "signatures": [4, 6, 5, 7]})
    result = join_counts(counts, cset)
    table = result.table.set_index("ons_code")
    assert table["signatures"].to_dict() == {"E14001063": 10, "E14001064": 0, "E14001065": 5}
    assert result.unmatched == ("E14099999",)
    assert table.loc["E14001063", "per_1000"] == 10.0
    assert table.loc["E14001063", "index"] == pytest.approx(10 / 1000 / (15 / 4000))
    assert list(result.table.columns[:9]) == ["ons_code", "name", "mp", "signatures", "population", "per_1000",
                                              "share", "index", "rank"]


def test_counts_must_name_their_columns():
    with pytest.raises(ValueError, match="signatures"):
        join_counts(pd.DataFrame({"ons_code": ["x"]}), squares_set(["E14001063"], [10]))


def test_null_mp_and_absent_rows_are_told_apart():
    cset = squares_set(["E14001063", "E14001064", "E14001065"], [1000, 1000, 1000])
    counts = pd.DataFrame({"ons_code": ["E14001063", "E14001064"], "signatures": [1, 2], "mp": ["A MP", None]})
    table = join_counts(counts, cset).table.set_index("ons_code")
    assert table["mp"].tolist() == ["A MP", None, None]
    assert table["listed"].tolist() == [True, True, False]
