import pandas as pd
import pytest

from geo.labels import csv_cell, csv_safe


@pytest.mark.parametrize("value, expected", [
    ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("Thangam Debbonaire MP", "Thangam Debbonaire MP"), ("", ""), ("a=b", "a=b"),
    (-5, -5), (3.5, 3.5), (None, None),
])
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


def test_csv_safe_changes_text_columns_only():
    frame = pd.DataFrame({"name": ["=1+1", "ok"], "n": [-1, 2], "x": [-0.5, 1.0]})
    safe = csv_safe(frame)
    assert safe["name"].tolist() == ["'=1+1", "ok"] and safe["n"].tolist() == [-1, 2]
    assert safe["x"].tolist() == [-0.5, 1.0] and frame["name"][0] == "=1+1"  # the input is not changed
