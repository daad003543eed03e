import pytest

from dashboard.ui import md_escape

WJ = "\u2060"


@pytest.mark.parametrize("text, expected", [
    ("Undertake an independent enquiry into the role of Russia in Brexit.",
     "Undertake an independent enquiry into the role of Russia in Brexit."),
    ("Cut $5 and $10", "Cut \\$5 and \\$10"),
    ("[x](https://evil.example)", f"\\[x\\](https{WJ}\\://evil.example)"),
    ("![i](a.png)", "\\!\\[i\\](a.png)"),
    ("**bold** _it_ `code` ~~s~~", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~"),
    ("<b>x</b> &amp;", "\\<b\\>x\\</b\\> \\&amp;"),
    (":red[x] :material/home:", "\\:red\\[x\\] \\:material/home\\:"),
    ("# heading", "\\# heading"), ("- item", "\\- item"), ("1. item", "1\\. item"), ("> quote", "\\> quote"),
    ("www.evil.example", f"www{WJ}.evil.example"), ("me@evil.example", f"me@{WJ}evil.example"),
    ("two\n\nlines\r\n", "two lines"),
])
def test_md_escape(text, expected):
    assert md_escape(text) == expected
