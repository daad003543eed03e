import json
from datetime import UTC, date, datetime

import pytest

from petitions.model import PetitionError, parse_petition, parse_petition_text, read_petition_file


def doc(kind="petition", **attrs):
    base = {"action": "Do a thing", "signature_count": 12, "state": "open", "signatures_by_constituency": []}
    return {"links": {"self": "https://petition.parliament.uk/petitions/1.json"},
            "data": {"type": kind, "id": 1, "attributes": base | attrs}}


def test_real_document_parses_every_field(petition_files):
    p = read_petition_file(petition_files["239406"])
    assert p.id == 239406
    assert p.action == "Undertake an independent enquiry into the role of Russia in Brexit."
    assert p.state == "closed" and p.signature_count == 14846
    assert len(p.constituencies) == 650 and p.constituency_total == 13933
    assert len(p.countries) == 57
    assert p.government_response and p.government_response.responded_on == date(2019, 3, 18)
    assert p.response_threshold_reached_at.date() == date(2019, 3, 6)
    assert p.url == "https://petition.parliament.uk/petitions/239406"


@pytest.mark.parametrize("name, pid, signatures, constituencies", [
    ("239406", 239406, 14846, 650), ("332711", 332711, 46388, 644), ("550951", 550951, 43263, 650),
    ("603658", 603658, 1142, 153), ("700143", 700143, 1462163, 650),
])
def test_every_mirror_petition_parses(petition_files, name, pid, signatures, constituencies):
    p = read_petition_file(petition_files[name])
    raw = json.loads(petition_files[name].read_text())["data"]["attributes"]
    assert (p.id, p.signature_count, len(p.constituencies)) == (pid, signatures, constituencies)
    # abroad and unmatched postcodes belong to no constituency
    assert p.constituency_total == sum(c["signature_count"] for c in raw["signatures_by_constituency"])
    assert p.constituency_total < p.signature_count


def test_2016_document_with_open_at_and_no_regions():
    p = parse_petition(doc(open_at="2016-02-01T10:00:00.000Z", signatures_by_constituency=[
        {"name": "Aldershot", "ons_code": "E14000530", "mp": "Leo Docherty MP", "signature_count": 3}]))
    assert p.opened_at == datetime(2016, 2, 1, 10, 0, tzinfo=UTC)
    assert p.regions == () and p.countries == ()
    assert p.constituencies[0].ons_code == "E14000530" and p.constituencies[0].signature_count == 3


def test_null_mp_is_none_not_the_string_none():
    p = parse_petition(doc(signatures_by_constituency=[
        {"name": "Vacant", "ons_code": "E14000530", "mp": None, "signature_count": 3},
        {"name": "No MP key", "ons_code": "E14000531", "signature_count": 4}]))
    assert [c.mp for c in p.constituencies] == [None, None]


def test_codes_are_normalised():
    p = parse_petition(doc(signatures_by_constituency=[{"ons_code": " e14000530 ", "signature_count": 7}]))
    assert p.constituencies[0].ons_code == "E14000530" and p.constituencies[0].signature_count == 7
    assert p.constituencies[0].name == " e14000530 "  # a nameless entry is labelled with its code


def test_absent_optional_fields_are_none():
    p = parse_petition(doc())
    assert p.government_response is None and p.debate is None and p.closed_at is None
    assert p.opened_at is None and p.scheduled_debate_date is None and p.parliament is None
    assert p.constituencies == () and p.rejection is None and p.background == "" and not p.archived


@pytest.mark.parametrize("attrs, field, expected", [
    ({"closed_at": "2019-08-11T09:00:00.000Z"}, "closed_at", datetime(2019, 8, 11, 9, tzinfo=UTC)),
    ({"closed_at": "not a date"}, "closed_at", None),
    ({"closed_at": None}, "closed_at", None),
    ({"scheduled_debate_date": "2019-04-01"}, "scheduled_debate_date", date(2019, 4, 1)),
    ({"government_response": {"summary": "", "details": ""}}, "government_response", None),
    ({"debate": {"debated_on": None, "overview": None}}, "debate", None),
    ({"rejection": {"code": "duplicate", "details": None}}, "rejection", "duplicate"),
    ({"rejection": {"code": "irrelevant", "details": "Not for Parliament"}}, "rejection", "Not for Parliament"),
    ({"parliament": {"period": "2017-2019"}}, "parliament", "2017-2019"),
    ({"parliament": "2015-2017"}, "parliament", "2015-2017"),
    ({"state": None}, "state", "unknown"),
])
def test_optional_fields(attrs, field, expected):
    assert getattr(parse_petition(doc(**attrs)), field) == expected


@pytest.mark.parametrize("kind", ["archived-petition", "archived_petition"])
def test_archived_parliament_period(kind):
    p = parse_petition(doc(kind, parliament={"period": "2017-2019"}))
    assert p.parliament == "2017-2019" and p.archived
    assert p.url == "https://petition.parliament.uk/archived/petitions/1"


@pytest.mark.parametrize("bad, words", [
    ("a string", "expected a JSON object"),
    ([1, 2], "expected a JSON object"),
    (None, "expected a JSON object"),
    ({"data": []}, "list of petitions"),
    ({"links": {}}, "no 'data'"),
    ({"data": {"type": "user"}}, "data.type is 'user'"),
    ({"data": {"type": "user", "id": 1, "attributes": {}}}, "data.type is 'user'"),
    ({"data": {"type": "petition", "id": 1}}, "no 'attributes'"),
    ({"data": {"type": "petition", "id": "x", "attributes": {"action": "a", "signature_count": 1}}}, "data.id"),
    ({"data": {"type": "petition", "id": 1, "attributes": {"signature_count": 1}}}, "no 'action'"),
    ({"data": {"type": "petition", "id": 1, "attributes": {"action": "a"}}}, "no 'signature_count'"),
    (doc(signature_count="many"), "signature_count is not a whole number"),
    (doc(signature_count=-3), "signature_count is negative"),
    (doc(signatures_by_constituency={"E14000530": 1}), "not a list of objects"),
    (doc(signatures_by_constituency=[{"name": "x", "signature_count": 1}]), "without 'ons_code'"),
    (doc(signatures_by_constituency=[{"ons_code": "E14000530", "signature_count": None}]),
     "constituency signature_count is not a whole number"),
])
def test_non_petition_documents_are_refused_with_a_reason(bad, words):
    with pytest.raises(PetitionError) as err:
        parse_petition(bad)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_list_page_is_not_a_petition(mirror):
    page = json.loads((mirror / "petitions" / "list-q-climate-change-page-1.json").read_text())
    with pytest.raises(PetitionError, match="this is a list of petitions"):
        parse_petition(page)


@pytest.mark.parametrize("cut", [1, 100, 5000, -2])
def test_truncated_json_is_a_one_line_error(petition_files, cut):
    text = petition_files["239406"].read_text()[:cut]
    with pytest.raises(PetitionError) as err:
        parse_petition_text(text, origin="239406.json")
    message = str(err.value)
    assert message.startswith("239406.json is not valid JSON (line ") and "\n" not in message


def test_text_and_file_parse_alike(petition_files):
    path = petition_files["700143"]
    assert parse_petition_text(path.read_text()) == read_petition_file(path)


def test_unreadable_file(tmp_path):
    with pytest.raises(PetitionError, match="cannot read .*nothing.json"):
        read_petition_file(tmp_path / "nothing.json")


def real_doc(petition_files, name="239406"):
    return json.loads(petition_files[name].read_text())


def with_attrs(doc, **changes):
    doc = json.loads(json.dumps(doc))
    doc["data"]["attributes"].update(changes)
    return doc


def first_count(doc, value, key="signature_count", field="signatures_by_constituency"):
    doc = json.loads(json.dumps(doc))
    doc["data"]["attributes"][field][0][key] = value
    return doc


# Bad files, by class: bytes of a file → words of the one-line refusal.
BAD_FILES = {
    "not UTF-8": (lambda d: json.dumps(d).replace("Russia", "Russ\u00eda").encode("latin-1"), "is not UTF-8 text"),
    "deeply nested": (lambda d: b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "deeply nested inside": (lambda d: json.dumps(with_attrs(d, background=[[[[]]]])).encode()
                             .replace(b"[[[[]]]]", b"[" * 50_000 + b"]" * 50_000), "nested too deeply"),
    "1e400": (lambda d: json.dumps(d).replace('"signature_count": 14846', '"signature_count": 1e400').encode(),
              "signature_count is not a whole number: inf"),
    "NaN": (lambda d: json.dumps(d).replace('"signature_count": 14846', '"signature_count": NaN').encode(),
            "not valid JSON (NaN is not a JSON number)"),
    "an integer of 5000 digits": (lambda d: json.dumps(d).replace('"signature_count": 14846',
                                                                  '"signature_count": ' + "9" * 5000).encode(),
                                  "not valid JSON"),
    "10^30 signatures": (lambda d: json.dumps(with_attrs(d, signature_count=10**30)).encode(),
                         "signature_count is impossibly large"),
    "10^30 in a constituency": (lambda d: json.dumps(first_count(d, 10**30)).encode(),
                                "constituency signature_count is impossibly large"),
    "negative count": (lambda d: json.dumps(first_count(d, -4)).encode(), "constituency signature_count is negative"),
    "boolean count": (lambda d: json.dumps(first_count(d, True)).encode(),
                      "constituency signature_count is not a whole number: True"),
    "fractional count": (lambda d: json.dumps(first_count(d, 2.5)).encode(),
                         "constituency signature_count is not a whole number: 2.5"),
    "count as text": (lambda d: json.dumps(with_attrs(d, signature_count="14846")).encode(),
                      "signature_count is not a whole number: '14846'"),
    "country count a list": (lambda d: json.dumps(first_count(d, [1], field="signatures_by_country")).encode(),
                             "country signature_count is not a whole number: a list"),
    "numeric state": (lambda d: json.dumps(with_attrs(d, state=3)).encode(), "state is not text: 3"),
    "numeric action": (lambda d: json.dumps(with_attrs(d, action=12)).encode(), "action is not text: 12"),
    "object background": (lambda d: json.dumps(with_attrs(d, background={"a": 1})).encode(),
                          "background is not text: an object"),
    "numeric ONS code": (lambda d: json.dumps(first_count(d, 14000530, key="ons_code")).encode(),
                         "constituency ons_code is not text: 14000530"),
    "numeric MP": (lambda d: json.dumps(first_count(d, 5, key="mp")).encode(), "constituency mp is not text: 5"),
    "duplicate ONS codes": (lambda d: json.dumps(first_count(d, d["data"]["attributes"]["signatures_by_constituency"]
                                                              [1]["ons_code"], key="ons_code")).encode(),
                            "is listed twice in 'signatures_by_constituency'"),
    "duplicate after normalising": (lambda d: json.dumps(first_count(d, " " + d["data"]["attributes"]
                                                                     ["signatures_by_constituency"][1]["ons_code"]
                                                                     .lower(), key="ons_code")).encode(),
                                    "is listed twice"),
    "no constituency list": (lambda d: json.dumps(with_attrs(d, signatures_by_constituency=None)).encode(),
                             "has 14,846 signatures but no 'signatures_by_constituency'"),
    "renamed constituency list": (lambda d: json.dumps(d).replace('"signatures_by_constituency"',
                                                                  '"signatures_by_constituencies"').encode(),
                                  "no 'signatures_by_constituency'"),
    "id zero": (lambda d: json.dumps(d).replace('"id": 239406', '"id": 0').encode(), "data.id is not a petition"),
    "id boolean": (lambda d: json.dumps(d).replace('"id": 239406', '"id": true').encode(), "data.id is not a petition"),
    "id of 10 digits": (lambda d: json.dumps(d).replace('"id": 239406', '"id": 1234567890').encode(),
                        "data.id is not a petition"),
    "id in other digits": (lambda d: json.dumps(d).replace('"id": 239406', '"id": "²³⁹"').encode(),
                           "data.id is not a petition"),
    "truncated": (lambda d: json.dumps(d).encode()[:5000], "is not valid JSON (line 1, column"),
    "empty": (lambda d: b"", "is not valid JSON"),
    "a list": (lambda d: b"[1, 2]", "expected a JSON object"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_with_a_reason(petition_files, tmp_path, case):
    make, words = BAD_FILES[case]
    path = tmp_path / "bad.json"
    path.write_bytes(make(real_doc(petition_files)))
    with pytest.raises(PetitionError) as err:
        read_petition_file(path)
    message = str(err.value)
    assert words in message and "\n" not in message and len(message) < 300, message


@pytest.mark.parametrize("prefix", [b"\xef\xbb\xbf", b"  \n"])
def test_a_byte_order_mark_or_blank_lines_are_accepted(petition_files, tmp_path, prefix):
    path = tmp_path / "bom.json"
    path.write_bytes(prefix + petition_files["239406"].read_bytes())
    assert read_petition_file(path) == read_petition_file(petition_files["239406"])
    assert parse_petition_text(path.read_bytes()) == read_petition_file(path)


def test_whole_float_counts_are_read_as_integers(petition_files):
    p = parse_petition(first_count(with_attrs(real_doc(petition_files), signature_count=14846.0), 7.0))
    assert p.signature_count == 14846 and p.constituencies[0].signature_count == 7
    assert isinstance(p.signature_count, int)


def test_files_over_the_size_cap_are_refused_unread(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2_000_001)
    with pytest.raises(PetitionError, match="is larger than 2 MB"):
        read_petition_file(path, max_bytes=2_000_000)


@pytest.mark.parametrize("url, kept", [
    ("https://www.parliament.uk/debate", True), ("javascript:alert(1)", False), ("http://example.com", False),
    ("https://evil.example/a b", False), ("https://x.example/\"onmouseover=", False), ("https://", False),
    ("https://user@evil.example/", False), (["https://a.example"], False), ("https://[::1/", False),
])
def test_only_https_links_are_kept(url, kept):
    from petitions.model import https_url

    assert (https_url(url) == url) is kept
