import pytest

from geo.analysis.breakdowns import abroad, by_nation, by_region, totals
from petitions.model import read_petition_file
from tests.documents import joined


@pytest.fixture(scope="module")
def general_election(petition_files):
    p = read_petition_file(petition_files["700143"])
    return p, joined(p).table


def test_nations_add_up(general_election):
    p, table = general_election
    nations = by_nation(table).set_index("nation")
    assert set(nations.index) == {"England", "Scotland", "Wales", "Northern Ireland"}
    assert nations["signatures"].sum() == p.constituency_total
    assert nations.loc["Wales", "per_1000"] == pytest.approx(68242 / 3131640 * 1000)


def test_regions_use_the_official_counts_when_present(general_election):
    p, table = general_election
    regions, source = by_region(p, table)
    assert "regional counts" in source and len(regions) == 12
    assert regions.set_index("region").loc["North East", "signatures"] == 73354


def test_regions_are_summed_when_absent(petition_files):
    p = read_petition_file(petition_files["239406"])
    regions, source = by_region(p, joined(p).table)
    assert source == "summed from the constituencies" and regions["signatures"].sum() == 13933


def test_abroad_excludes_the_uk_and_totals_split(general_election):
    p, _ = general_election
    foreign = abroad(p)
    assert "GB" not in set(foreign["code"]) and foreign["signatures"].is_monotonic_decreasing
    split = totals(p)
    assert split["constituencies"] + split["abroad"] + split["unmatched"] == split["total"] == 1462163
    assert split["abroad"] == foreign["signatures"].sum() == 9426
