import pandas as pd
import pytest

from dashboard.ui import markdown_table


def test_numbers_are_formatted_and_right_aligned():
    frame = pd.DataFrame({"name": ["Bath", "Bristol West"], "signatures": [1200, 3], "per_1000": [1.234, 0.5]})
    assert markdown_table(frame, {"name": "Constituency", "signatures": "Signatures", "per_1000": "Per 1,000",
                                  "absent": "Not a column"}) == (
        "| Constituency | Signatures | Per 1,000 |\n| --- | ---: | ---: |\n"
        "| Bath | 1,200 | 1.23 |\n| Bristol West | 3 | 0.50 |\n")


@pytest.mark.parametrize("text, shown", [
    ("*bold* _it_", r"\*bold\* \_it\_"),
    ("[link](https://x.example)", "\\[link\\](https\u2060\\://x.example)"),  # no link, not even a bare URL
    ("$x^2$", r"\$x^2\$"),
    ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert(1)\>"),
    ("a | b\nc", r"a \| b c"),
    ("St Helens & Co.", r"St Helens \& Co."),
])
def test_text_is_escaped(text, shown):
    row = markdown_table(pd.DataFrame({"country": [text]}), {"country": "Country"}).splitlines()[2]
    assert row == f"| {shown} |"
