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
    assert p.constituencies[0].name == "E14000530"  # a nameless entry is labelled with its (normalised) code


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


# --- both document layouts, and the official page's facts ------------------------------------------

from petitions.model import months_between, parliament_of  # noqa: E402
from tests.documents import amended, as_dump, real  # noqa: E402

MIRROR_IDS = ["239406", "332711", "550951", "603658", "700143", "241584@2019-03-21T2310"]


@pytest.mark.parametrize("name", MIRROR_IDS)
def test_public_dump_layout_parses_like_the_api_layout(petition_files, name):
    api = real(petition_files[name])
    a, b = parse_petition(api), parse_petition(as_dump(api))
    assert b == a and b.constituency_total == a.constituency_total and b.countries == a.countries
    assert b.url == a.url


def test_a_list_page_is_still_refused_with_its_reason(mirror):
    with pytest.raises(PetitionError, match="list of petitions"):
        read_petition_file(mirror / "petitions" / "list-q-climate-change-page-1.json")
    with pytest.raises(PetitionError, match="no 'data' object and no top-level petition"):
        parse_petition({"type": "petition-list", "attributes": {}})


@pytest.mark.parametrize("day, period", [
    (date(2010, 5, 5), None), (date(2010, 5, 6), "2010–2015"), (date(2015, 5, 6), "2010–2015"),
    (date(2015, 5, 7), "2015–2017"), (date(2017, 6, 8), "2017–2019"), (date(2019, 1, 27), "2017–2019"),
    (date(2019, 12, 12), "2019–2024"), (date(2024, 7, 3), "2019–2024"), (date(2024, 7, 4), "2024–"),
    (None, None),
])
def test_parliament_from_dates(day, period):
    assert parliament_of(day) == period


@pytest.mark.parametrize("name, period, months", [
    ("239406", "2017–2019", 6), ("332711", "2019–2024", 6), ("550951", "2019–2024", 6),
    ("603658", "2019–2024", 6), ("700143", "2024–", None),
])
def test_parliament_and_run_of_every_mirror_petition(petition_files, name, period, months):
    p = read_petition_file(petition_files[name])
    assert p.parliament is None  # none of the mirror's documents say it: it is derived
    assert p.parliament_period == period
    ran = months_between(p.opened_at, p.closed_at) if p.closed_at else None
    assert ran == months


def test_sign_link_only_on_open_petitions(petition_files):
    assert read_petition_file(petition_files["700143"]).sign_url == (
        "https://petition.parliament.uk/petitions/700143/signatures/new")
    assert read_petition_file(petition_files["239406"]).sign_url is None


def test_departments_topics_and_other_business(petition_files):
    p = read_petition_file(petition_files["332711"])
    assert [(d.acronym, d.name) for d in p.departments] == [("DfT", "Department for Transport")]
    assert p.topics == () and p.other_business == ()
    api = amended(real(petition_files["332711"]), topics=["transport"], other_parliamentary_business=[
        {"subject": "MPs debate road schemes", "body": "On 1 March MPs debated…",
         "created_at": "2021-03-02T10:00:00Z"}])
    p = parse_petition(as_dump(api))
    assert p.topics == ("transport",)
    assert p.other_business[0].subject == "MPs debate road schemes"
    assert p.other_business[0].created_at == datetime(2021, 3, 2, 10, tzinfo=UTC)


NOT_DEBATED = {"debated_on": None, "transcript_url": None, "video_url": None, "debate_pack_url": None,
               "overview": "The Committee decided not to debate this petition because MPs debated it on 1 March."}


@pytest.mark.parametrize("name, attrs, kind, day", [
    ("239406", {}, "none", None),
    ("700143", {}, "awaiting", None),  # over 100,000, no decision yet
    ("241584@2019-04-01T1207", {}, "scheduled", date(2019, 4, 1)),
    ("241584@2019-04-01T1207", {"debate_outcome_at": "2019-04-02T10:00:00Z", "debate": {
        "debated_on": "2019-04-01", "transcript_url": "https://hansard.parliament.uk/x", "video_url": None,
        "overview": "MPs debated"}}, "debated", date(2019, 4, 1)),
    ("700143", {"debate_outcome_at": "2024-12-10T10:00:00Z", "debate": NOT_DEBATED}, "not_debated", None),
])
def test_debate_outcomes_as_the_official_site_words_them(petition_files, name, attrs, kind, day):
    p = parse_petition(as_dump(amended(real(petition_files[name]), **attrs)))
    assert (p.outcome.kind, p.outcome.day) == (kind, day)
    if kind == "not_debated":
        assert p.outcome.reasons.startswith("The Committee decided not to debate")
        assert p.outcome.text == "The Petitions Committee decided not to debate this petition"
    if kind == "debated":
        assert p.outcome.text == "Parliament debated this petition on 1 April 2019"
        assert p.outcome.transcript_url == "https://hansard.parliament.uk/x"


@pytest.mark.parametrize("given, period", [
    ({"period": "2015-2017"}, "2015–2017"),  # the archive's own member wins over the dates
    ("2015-2017", "2015–2017"),
    ({"period": "<b>$x$</b>"}, "2017–2019"),  # not a period: derived from the dates instead
    (None, "2017–2019"),
])
def test_parliament_member_when_present(petition_files, given, period):
    p = parse_petition(amended(real(petition_files["239406"]), parliament=given))
    assert p.parliament_period == period


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
