from datetime import datetime

import pytest

from geo.sets import SHARED_SCOTTISH, detect_set, in_set, nation_of

SHARED = sorted(SHARED_SCOTTISH)


@pytest.mark.parametrize("code, set_name, expected", [
    ("E14000530", "pcon2010", True), ("E14001062", "pcon2010", True), ("E14001063", "pcon2010", False),
    ("E14001063", "pcon2024", True), ("E14001605", "pcon2024", True), ("E14001606", "pcon2024", False),
    ("W07000041", "pcon2010", True), ("W07000081", "pcon2024", True), ("N06000001", "pcon2010", True),
    ("N05000018", "pcon2024", True), ("N06000001", "pcon2024", False), ("S14000001", "pcon2010", True),
    ("S14000060", "pcon2024", True), ("S14000021", "pcon2010", True), ("S14000021", "pcon2024", True),
    ("S14000022", "pcon2024", False), ("X1", "pcon2010", False),
])
def test_in_set(code, set_name, expected):
    assert in_set(code, set_name) is expected


@pytest.mark.parametrize("codes, parliament, opened, expected", [
    (["E14000530", "S14000021"], None, None, "pcon2010"),
    (["E14001063", "S14000021"], None, None, "pcon2024"),
    (["E14001063", "E14001064", "E14000530"], None, None, "pcon2024"),  # majority of exclusive codes
    (SHARED, "2017-2019", None, "pcon2010"),
    (SHARED, "2024-", None, "pcon2024"),
    (SHARED, None, datetime(2019, 1, 1), "pcon2010"),
    (SHARED, None, datetime(2025, 1, 1), "pcon2024"),
    ([], None, datetime(2020, 5, 1), "pcon2010"),
])
def test_detect_set(codes, parliament, opened, expected):
    assert detect_set(codes, parliament, opened) == expected


@pytest.mark.parametrize("code, nation", [("E1", "England"), ("W1", "Wales"), ("S1", "Scotland"),
                                          ("N1", "Northern Ireland")])
def test_nation_of(code, nation):
    assert nation_of(code) == nation
