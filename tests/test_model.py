import json

import pytest

from petitions.model import PetitionError, parse_petition, parse_petition_text, read_petition_file


def doc(**attrs):
    base = {"action": "Do a thing", "signature_count": 12, "state": "open"}
    return {"links": {"self": "https://petition.parliament.uk/petitions/1.json"},
            "data": {"type": "petition", "id": 1, "attributes": base | attrs}}


def test_real_document_parses_every_field(petition_files):
    p = read_petition_file(petition_files["239406"])
    assert p.id == 239406
    assert p.action == "Undertake an independent enquiry into the role of Russia in Brexit."
    assert p.state == "closed" and p.signature_count == 14846
    assert len(p.constituencies) == 650 and p.constituency_total == 13933
    assert len(p.countries) == 57
    assert p.government_response and str(p.government_response.responded_on) == "2019-03-18"
    assert p.response_threshold_reached_at.date().isoformat() == "2019-03-06"
    assert p.url == "https://petition.parliament.uk/petitions/239406"


def test_2016_document_with_open_at_and_no_regions():
    p = parse_petition(doc(open_at="2016-02-01T10:00:00.000Z", signatures_by_constituency=[
        {"name": "Aldershot", "ons_code": "E14000530", "mp": None, "signature_count": 3}]))
    assert p.opened_at.year == 2016
    assert p.regions == ()
    assert p.constituencies[0].mp is None


def test_absent_optional_fields_are_none():
    p = parse_petition(doc())
    assert p.government_response is None and p.debate is None and p.closed_at is None
    assert p.constituencies == () and p.rejection is None


def test_archived_parliament_period():
    d = doc(parliament={"period": "2017-2019"})
    d["data"]["type"] = "archived-petition"
    p = parse_petition(d)
    assert p.parliament == "2017-2019" and p.archived
    assert p.url.endswith("/archived/petitions/1")


@pytest.mark.parametrize("bad, words", [
    ("a string", "JSON object"),
    ({"data": []}, "list of petitions"),
    ({"links": {}}, "no 'data'"),
    ({"data": {"type": "user", "id": 1, "attributes": {}}}, "data.type is 'user'"),
    ({"data": {"type": "petition", "id": "x", "attributes": {"action": "a", "signature_count": 1}}}, "data.id"),
    ({"data": {"type": "petition", "id": 1, "attributes": {"signature_count": 1}}}, "no 'action'"),
    (doc(signature_count="many"), "not a number"),
    (doc(signatures_by_constituency=[{"name": "x", "signature_count": 1}]), "without 'ons_code'"),
])
def test_non_petition_documents_are_refused_with_a_reason(bad, words):
    with pytest.raises(PetitionError) as err:
        parse_petition(bad)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_truncated_json_is_a_one_line_error(petition_files):
    text = petition_files["239406"].read_text()[:5000]
    with pytest.raises(PetitionError, match="not valid JSON"):
        parse_petition_text(text, origin="239406.json")


def test_list_page_is_not_a_petition(mirror):
    with pytest.raises(PetitionError, match="list of petitions"):
        parse_petition(json.loads((mirror / "petitions" / "list-q-climate-change-page-1.json").read_text()))
