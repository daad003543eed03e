import json

import pandas as pd
import pytest

from geo.analysis.join import JoinResult, join_counts, join_petition
from petitions.model import parse_petition, read_petition_file
from tests.conftest import squares_set
from tests.documents import joined

FIRST = ["ons_code", "name", "mp", "signatures", "population", "per_1000", "share", "index", "rank"]
SNAPSHOTS_241584 = ["2019-03-21T2310", "2019-03-22T1400", "2019-03-22T1831", "2019-03-22T2132",
                    "2019-03-23T1207", "2019-03-24T1207", "2019-03-26T1207", "2019-04-01T1207"]
REAL = [("239406", "pcon2010", 0), ("332711", "pcon2010", 6), ("550951", "pcon2010", 0),
        ("603658", "pcon2010", 497), ("700143", "pcon2024", 0),
        *[(f"241584@{s}", "pcon2010", None) for s in SNAPSHOTS_241584]]


@pytest.mark.parametrize("name, set_name, zeros", REAL, ids=[r[0] for r in REAL])
def test_every_real_petition_joins_completely(petition_files, constituency_sets, name, set_name, zeros):
    path = petition_files[name]
    listed = json.loads(path.read_text())["data"]["attributes"]["signatures_by_constituency"]
    result = joined(read_petition_file(path))
    table = result.table
    assert result.set_name == set_name
    assert len(table) == 650 and table["ons_code"].is_unique
    assert set(table["ons_code"]) == set(constituency_sets[set_name].table["ons_code"])
    assert result.unmatched == ()
    assert int(table["signatures"].sum()) == result.total == sum(c["signature_count"] for c in listed)
    if zeros is not None:
        assert (table["signatures"] == 0).sum() == zeros
    assert int(table["listed"].sum()) == len({c["ons_code"] for c in listed})
    assert table["share"].sum() == pytest.approx(1.0)


def test_mp_and_ranks_come_through(petition_files):
    table = joined(read_petition_file(petition_files["239406"])).table.set_index("ons_code")
    assert table.loc["E14000602", "name"] == "Bristol West"
    assert table.loc["E14000602", "mp"] == "Thangam Debbonaire MP"
    assert table.loc["E14000602", "rank"] == 1 and table.loc["E14000602", "signatures"] == 100


def test_the_set_given_is_used(petition_files, constituency_sets):
    petition = read_petition_file(petition_files["700143"])
    result = join_petition(petition, constituency_sets["pcon2010"])  # the wrong set, on purpose
    assert result.set_name == "pcon2010" and len(result.unmatched) == 650 - 5  # only the shared Scottish codes
    assert result.total == sum(c.signature_count for c in petition.constituencies
                               if c.ons_code in {"S14000021", "S14000027", "S14000045", "S14000048", "S14000051"})


@pytest.mark.parametrize("opened, parliament, set_name", [
    ("2016-02-01T10:00:00.000Z", None, "pcon2010"), (None, "2017-2019", "pcon2010"),
    ("2024-11-24T10:00:00.000Z", None, "pcon2024"),
])
def test_only_shared_scottish_codes_go_by_date(opened, parliament, set_name):
    petition = parse_petition({"data": {"type": "petition", "id": 1, "attributes": {
        "action": "A", "signature_count": 9, "open_at": opened, "parliament": parliament,
        "signatures_by_constituency": [{"ons_code": "S14000021", "mp": None, "signature_count": 9}]}}})
    result = joined(petition)
    assert result.set_name == set_name and result.unmatched == () and result.total == 9


@pytest.fixture
def four_squares():
    return squares_set(["E14001063", "E14001064", "E14001065", "E14001066"], [1000, 2000, 1000, 2000])


def test_synthetic_edge_cases_exact(four_squares):
    counts = pd.DataFrame({"ons_code": ["E14001063", "E14001063", "E14001065", "E14001066", "E14099999"],
                           "signatures": [4, 6, 10, 20, 7],
                           "mp": ["A MP", "A MP", "C MP", None, "Nobody"]})
    result = join_counts(counts, four_squares)
    assert isinstance(result, JoinResult) and result.set_name == "pcon2024"
    assert list(result.table.columns[:9]) == FIRST
    table = result.table.set_index("ons_code")
    assert table.index.tolist() == ["E14001063", "E14001064", "E14001065", "E14001066"]  # absent row kept
    assert table["signatures"].tolist() == [10, 0, 10, 20]  # duplicates summed, absent → 0
    assert result.unmatched == ("E14099999",) and result.total == 40  # reported, not counted, not dropped silently
    assert table["mp"].tolist() == ["A MP", None, "C MP", None]
    assert table["listed"].tolist() == [True, False, True, True]
    assert table["per_1000"].tolist() == [10.0, 0.0, 10.0, 10.0]
    assert table["share"].tolist() == [0.25, 0.0, 0.25, 0.5]
    assert table["index"].tolist() == pytest.approx([1.5, 0.0, 1.5, 1.5])  # UK rate 40 / 6000
    assert table["rank"].tolist() == [2, 4, 2, 1]  # ties share the best rank (method "min")
    assert table["rank_rate"].tolist() == [1, 4, 1, 1]
    assert table["population"].tolist() == [1000, 2000, 1000, 2000]
    assert result.table.crs == four_squares.table.crs
    assert result.table.geometry.equals(four_squares.table.geometry)


def test_uniform_rate_gives_index_one(four_squares):
    counts = pd.DataFrame({"ons_code": ["E14001063", "E14001064", "E14001065", "E14001066"],
                           "signatures": [3, 6, 3, 6]})
    table = join_counts(counts, four_squares).table
    assert table["index"].tolist() == pytest.approx([1.0] * 4)
    assert table["per_1000"].tolist() == [3.0] * 4
    assert table["rank"].tolist() == [3, 1, 3, 1] and table["rank_rate"].tolist() == [1] * 4
    assert table["mp"].tolist() == [None] * 4  # no mp column in the counts


@pytest.mark.parametrize("codes, signatures, unmatched", [
    ([], [], ()),
    (["E14099999", "E14000530", "E14099999"], [1, 2, 3], ("E14000530", "E14099999")),
])
def test_nothing_matched(four_squares, codes, signatures, unmatched):
    result = join_counts(pd.DataFrame({"ons_code": codes, "signatures": signatures}), four_squares)
    assert result.unmatched == unmatched and result.total == 0 and len(result.table) == 4
    assert result.table["share"].tolist() == [0.0] * 4 and result.table["index"].tolist() == [0.0] * 4


def test_the_set_is_not_modified(four_squares):
    before = four_squares.table.copy()
    join_counts(pd.DataFrame({"ons_code": ["E14001063"], "signatures": [5]}), four_squares)
    pd.testing.assert_frame_equal(four_squares.table, before)


def test_counts_must_name_their_columns(four_squares):
    with pytest.raises(ValueError, match="counts lack column\\(s\\): signatures"):
        join_counts(pd.DataFrame({"ons_code": ["x"]}), four_squares)
