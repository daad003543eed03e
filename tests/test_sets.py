from datetime import datetime

import pytest

from geo.reference.sets import SHARED_SCOTTISH, detect_set, in_set, nation_of, region_name

SHARED = sorted(SHARED_SCOTTISH)


def test_the_shared_scottish_codes_are_exactly_the_codes_both_real_sets_hold(constituency_sets):
    both = set(constituency_sets["pcon2010"].table["ons_code"]) & set(constituency_sets["pcon2024"].table["ons_code"])
    assert SHARED_SCOTTISH == both and len(both) == 5


@pytest.mark.parametrize("code, set_name, expected", [
    ("E14000530", "pcon2010", True), ("E14001062", "pcon2010", True), ("E14001063", "pcon2010", False),
    ("E14000529", "pcon2010", False), ("E14000530", "pcon2024", False),
    ("E14001063", "pcon2024", True), ("E14001605", "pcon2024", True), ("E14001606", "pcon2024", False),
    ("W07000041", "pcon2010", True), ("W07000080", "pcon2010", True), ("W07000081", "pcon2010", False),
    ("W07000081", "pcon2024", True), ("W07000112", "pcon2024", True), ("W07000113", "pcon2024", False),
    ("N06000001", "pcon2010", True), ("N06000018", "pcon2010", True), ("N06000001", "pcon2024", False),
    ("N05000001", "pcon2024", True), ("N05000018", "pcon2024", True), ("N05000001", "pcon2010", False),
    ("S14000001", "pcon2010", True), ("S14000059", "pcon2010", True), ("S14000060", "pcon2010", False),
    ("S14000060", "pcon2024", True), ("S14000111", "pcon2024", True), ("S14000001", "pcon2024", False),
    *[(code, s, True) for code in SHARED for s in ("pcon2010", "pcon2024")],
    ("S14000022", "pcon2024", False), ("X1", "pcon2010", False), ("", "pcon2024", False),
    ("E14", "pcon2010", False), ("E12000007", "pcon2010", False),
])
def test_in_set(code, set_name, expected):
    assert in_set(code, set_name) is expected


@pytest.mark.parametrize("set_name", ["pcon2010", "pcon2024"])
def test_in_set_agrees_with_the_real_boundaries(constituency_sets, set_name):
    codes = set(constituency_sets[set_name].table["ons_code"])
    other = constituency_sets["pcon2024" if set_name == "pcon2010" else "pcon2010"].table["ons_code"]
    assert all(in_set(c, set_name) for c in codes)
    assert {c for c in other if in_set(c, set_name)} == SHARED_SCOTTISH


@pytest.mark.parametrize("codes, parliament, opened, expected", [
    # the five shared Scottish codes alone: the parliament period decides, else the opening date
    (SHARED, "2017-2019", None, "pcon2010"),
    (SHARED, "2015-2017", datetime(2025, 1, 1), "pcon2010"),  # the period wins over the date
    (SHARED, "2019-2024", None, "pcon2010"),
    (SHARED, "2024-2029", None, "pcon2024"),
    (SHARED, "2024-", datetime(2019, 1, 1), "pcon2024"),
    (SHARED, None, datetime(2019, 1, 1), "pcon2010"),
    (SHARED, None, datetime(2024, 7, 3, 23, 59), "pcon2010"),
    (SHARED, None, datetime(2024, 7, 4), "pcon2024"),
    (SHARED, None, datetime(2025, 1, 1), "pcon2024"),
    (SHARED[:1], None, datetime(2016, 2, 1), "pcon2010"),
    (SHARED, None, None, "pcon2024"),  # nothing to go on: the current set
    ([], None, datetime(2020, 5, 1), "pcon2010"),
    # exclusive codes decide, whatever the dates say
    (["E14000530", "S14000021"], None, None, "pcon2010"),
    (["E14000530", *SHARED], "2024-2029", datetime(2025, 1, 1), "pcon2010"),
    (["E14001063", "S14000021"], None, datetime(2019, 1, 1), "pcon2024"),
    (["N06000001"], None, None, "pcon2010"),
    (["N05000001"], None, datetime(2019, 1, 1), "pcon2024"),
    # mixed sets: the majority of exclusive codes
    (["E14001063", "E14001064", "E14000530"], None, None, "pcon2024"),
    (["E14000530", "E14000531", "W07000081", *SHARED], None, datetime(2025, 1, 1), "pcon2010"),
    (["E14000530", "E14000530", "E14000530", "E14001063", "E14001064"], None, None, "pcon2024"),  # codes, not rows
    # a tie of exclusive codes falls back to the period or date
    (["E14000530", "E14001063"], "2017-2019", None, "pcon2010"),
    (["E14000530", "E14001063"], None, datetime(2025, 1, 1), "pcon2024"),
    # codes of neither set do not vote
    (["X99", "E99999999", *SHARED], None, datetime(2019, 1, 1), "pcon2010"),
])
def test_detect_set(codes, parliament, opened, expected):
    assert detect_set(codes, parliament, opened) == expected


def test_detect_set_takes_any_iterable():
    assert detect_set(iter(["E14001063"])) == "pcon2024"


@pytest.mark.parametrize("code, nation", [("E14000530", "England"), ("W07000081", "Wales"), ("S14000021", "Scotland"),
                                          ("N05000001", "Northern Ireland"), ("X1", "Unknown"), ("", "Unknown")])
def test_nation_of(code, nation):
    assert nation_of(code) == nation


@pytest.mark.parametrize("label, name", [("E12000007", "London"), ("LO", "London"), ("S92000003", "Scotland"),
                                         ("YH", "Yorkshire and The Humber"), ("Elsewhere", "Elsewhere")])
def test_region_name(label, name):
    assert region_name(label) == name
