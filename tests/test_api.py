import json
from pathlib import Path

import httpx
import pytest

from petitions.api import NotFound, PetitionsAPI, Unreachable, parse_list, parse_source
from petitions.loader import load
from petitions.model import PetitionError

OFFICIAL = "https://petition.parliament.uk"


@pytest.mark.parametrize("text, expected", [
    ("239406", 239406), (" 239406 ", 239406), ("\t239406\n", 239406), (239406, 239406),
    ("0239406", 239406), ("00239406", 239406), ("999999999", 999_999_999), ("1", 1),
    (f"{OFFICIAL}/petitions/239406", 239406),
    (f"{OFFICIAL}/petitions/239406.json", 239406),
    (f"{OFFICIAL}/petitions/239406/", 239406),
    (f"{OFFICIAL}/archived/petitions/239406", 239406),
    (f"{OFFICIAL}/archived/petitions/239406.json", 239406),
    (f"{OFFICIAL}/petitions/239406?reveal_response=yes", 239406),
    (f"{OFFICIAL}/petitions/239406/signatures/new", 239406),
    (f"{OFFICIAL}/petitions/239406/signatures/new/", 239406),
    (f"{OFFICIAL}/petitions/239406#debate-threshold", 239406),
    (f"{OFFICIAL}/petitions/239406/?reveal_response=yes#response", 239406),
    ("http://petition.parliament.uk/petitions/239406", 239406),
    ("https://www.petition.parliament.uk/petitions/239406", 239406),
    ("http://www.petition.parliament.uk/archived/petitions/239406", 239406),
    ("www.petition.parliament.uk/petitions/239406", 239406),
    ("https://PETITION.parliament.uk/petitions/239406", 239406),
    ("petition.parliament.uk/petitions/700143", 700143),
    ("https://petitionmap.unboxedconsulting.com/?petition=241584", 241584),
    ("https://petitionmap.unboxedconsulting.com?petition=241584", 241584),
    ("http://petitionmap.unboxedconsulting.com/?petition=241584#map", 241584),
    ("petitionmap.unboxedconsulting.com/?petition=241584&area=uk", 241584),
])
def test_parse_source_accepts_numbers_and_official_links(text, expected):
    assert parse_source(text) == expected


# Per class of bad input: (text, words of the one-line message).
REFUSED = {
    "other hosts": [
        ("https://evil.example/petitions/1", "only petition.parliament.uk petition links are accepted"),
        ("https://petition.parliament.uk.evil.com/petitions/1", "not links to 'petition.parliament.uk.evil.com'"),
        ("https://evil.com/petition.parliament.uk/petitions/1", "only petition.parliament.uk petition links"),
        ("https://petitionmap.unboxedconsulting.com.evil.com/?petition=1", "only petition.parliament.uk"),
        ("https://petition.parliament.uk:8443/petitions/1", "only petition.parliament.uk petition links"),
    ],
    "other schemes": [
        ("ftp://petition.parliament.uk/petitions/1", "not 'ftp' links"),
        ("javascript://petition.parliament.uk/petitions/1", "not 'javascript' links"),
        ("file:///etc/passwd", "not 'file' links"),
    ],
    "userinfo tricks": [
        ("https://petition.parliament.uk@evil.com/petitions/1", "only petition.parliament.uk petition links"),
        ("https://user:pw@petition.parliament.uk/petitions/1", "only petition.parliament.uk petition links"),
    ],
    "broken or split links": [
        ("https://[::1/petitions/1", "not a valid link"),
        ("https://petition.parliament.uk/petitions/1\r\nHost: evil.com", "cannot contain spaces or line breaks"),
        ("https://petition.parliament.uk/petitions/1\n2", "cannot contain spaces or line breaks"),
        ("https://petition.parliament.uk/petitions/ 1", "cannot contain spaces or line breaks"),
    ],
    "not a petition page": [
        ("https://petition.parliament.uk/help", "not a link to a petition"),
        ("https://petition.parliament.uk/petitions/1/edit", "not a link to a petition"),
        ("https://petition.parliament.uk/petitions/../etc/passwd", "not a link to a petition"),
        ("https://petitionmap.unboxedconsulting.com/", "names no petition"),
        ("https://petitionmap.unboxedconsulting.com/?petition=1&petition=2", "names no petition"),
    ],
    "not ASCII digits": [
        ("²³⁹⁴⁰⁶", "with the digits 0-9"), ("①②③", "with the digits 0-9"), ("٢٣٩٤٠٦", "with the digits 0-9"),
        ("２３９４０６", "with the digits 0-9"),
        ("https://petition.parliament.uk/petitions/²³⁹", "not a link to a petition"),
    ],
    "zero, negative, huge": [
        ("0", "'0' is not a petition number"), ("000", "is not a petition number"), (0, "0 is not a petition number"),
        (-5, "-5 is not a petition number"), ("-5", "'-5' is not a petition number"), ("+5", "is not a petition"),
        ("1234567890", "at most 9 digits, not 10"), ("9" * 5000, "at most 9 digits, not 5,000"),
        (10**30, "not a petition number"), ("https://petition.parliament.uk/petitions/0", "is not a petition number"),
        ("https://petitionmap.unboxedconsulting.com/?petition=-3", "is not a petition number"),
    ],
    "empty": [("", "enter a petition number"), ("   ", "enter a petition number")],
    "files on the web": [
        ("abc", "not a petition number or petition.parliament.uk link: 'abc'"),
        ("/etc/passwd", "not a petition number or petition.parliament.uk link"),
        ("../../shared/data/petitions/239406.json", "not a petition number or petition.parliament.uk link"),
    ],
}


@pytest.mark.parametrize("text, words", [case for cases in REFUSED.values() for case in cases],
                         ids=[f"{kind}-{i}" for kind, cases in REFUSED.items() for i in range(len(cases))])
def test_parse_source_refuses_everything_else(text, words):
    with pytest.raises(PetitionError) as err:
        parse_source(text)
    message = str(err.value)
    assert words in message and "\n" not in message and "\r" not in message
    assert len(message) < 200  # the input is echoed at most 60 characters


def test_error_messages_echo_at_most_60_characters_as_text():
    with pytest.raises(PetitionError) as err:
        parse_source("[click me](https://evil.example) " + "x" * 100_000)
    assert len(str(err.value)) < 130 and "xxxxx…" in str(err.value)


def test_parse_source_never_opens_a_file_for_the_web(tmp_path, monkeypatch):
    path = tmp_path / "239406.json"
    path.write_text("{}")
    monkeypatch.setattr(Path, "is_file", lambda self: pytest.fail("the web input looked at the disk"))
    monkeypatch.setattr(Path, "exists", lambda self: pytest.fail("the web input looked at the disk"))
    for text in (str(path), path, "missing.json", "~/.ssh/id_rsa"):
        with pytest.raises(PetitionError, match="enter a petition number|not a petition number"):
            parse_source(text)


def test_parse_source_local_file_on_the_command_line(petition_files):
    path = petition_files["239406"]
    assert parse_source(str(path), files=True) == path
    assert parse_source(f"  {path}  ", files=True) == path
    assert parse_source(path, files=True) == path
    assert parse_source("239406", files=True) == 239406
    with pytest.raises(PetitionError, match="no such file: 'missing.json'"):
        parse_source("missing.json", files=True)


class FakeAPI:
    """A MockTransport handler that records requests and answers from a script of responses per path.

    A path's answer is a status code, a JSON-able object, raw bytes or an exception; a list is played
    in order, its last entry repeating.
    """

    def __init__(self, routes):
        self.routes = routes
        self.seen: list[httpx.URL] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request.url)
        if request.url.host != "petition.parliament.uk" or request.url.scheme != "https":
            return httpx.Response(599)  # and the teardown check fails the test
        answer = self.routes.get(request.url.path, 404)
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        if isinstance(answer, int):
            return httpx.Response(answer)
        if isinstance(answer, bytes):
            return httpx.Response(200, content=answer, headers={"cache-control": "max-age=60"})
        return httpx.Response(200, json=answer, headers={"cache-control": "max-age=60"})


@pytest.fixture
def make_api():
    """make_api(routes, clock=...) -> (PetitionsAPI over a MockTransport, the fake, recorded sleeps)."""
    fakes: list[FakeAPI] = []

    def make(routes, clock=lambda: 1000.0):
        fake = FakeAPI(routes)
        fakes.append(fake)
        sleeps: list[float] = []
        api = PetitionsAPI(httpx.Client(transport=httpx.MockTransport(fake)), sleep=sleeps.append, clock=clock)
        return api, fake, sleeps

    yield make
    for fake in fakes:  # the client never talks to anyone but the official API
        assert {(u.scheme, u.host) for u in fake.seen} <= {("https", "petition.parliament.uk")}


@pytest.fixture(scope="module")
def doc239406(petition_files):
    return json.loads(petition_files["239406"].read_text())


def test_live_petition(make_api, doc239406):
    api, fake, sleeps = make_api({"/petitions/239406.json": doc239406})
    assert api.petition(239406).signature_count == 14846
    assert [u.path for u in fake.seen] == ["/petitions/239406.json"] and sleeps == []


def test_archive_fallback_after_404(make_api, doc239406):
    api, fake, _ = make_api({"/archived/petitions/239406.json": doc239406})
    assert api.petition(239406).id == 239406
    assert [u.path for u in fake.seen] == ["/petitions/239406.json", "/archived/petitions/239406.json"]


def test_not_found_anywhere(make_api):
    api, fake, sleeps = make_api({})
    with pytest.raises(NotFound) as err:
        api.petition(5)
    assert str(err.value) == "petition 5 was not found on petition.parliament.uk"
    assert len(fake.seen) == 2 and sleeps == []  # a 404 is an answer: not retried


def test_429_then_success_backs_off(make_api, doc239406):
    api, fake, sleeps = make_api({"/petitions/239406.json": [429, 429, doc239406]})
    assert api.petition(239406).id == 239406
    assert len(fake.seen) == 3 and sleeps == [0.5, 1.0]


def test_429_retry_after_is_respected(make_api, doc239406):
    api, fake, sleeps = make_api({"/petitions/239406.json": [
        httpx.Response(429, headers={"retry-after": "7"}), doc239406]})
    assert api.petition(239406).id == 239406
    assert 7.0 in sleeps and len(fake.seen) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_failing_forever_gives_up(make_api, status):
    api, fake, sleeps = make_api({"/petitions/1.json": [status]})
    with pytest.raises(Unreachable) as err:
        api.petition(1)
    assert str(err.value) == f"petition.parliament.uk answered HTTP {status} after 4 tries; try again later"
    assert len(fake.seen) == 4 and sleeps == [0.5, 1.0, 2.0]


def test_other_client_errors_are_not_retried(make_api):
    api, fake, _ = make_api({"/petitions/1.json": [403]})
    with pytest.raises(PetitionError, match="answered HTTP 403"):
        api.petition(1)
    assert len(fake.seen) == 1


def test_timeout_is_retried_then_reported(make_api):
    api, fake, sleeps = make_api({"/petitions/1.json": [httpx.ReadTimeout("slow")]})
    with pytest.raises(Unreachable, match="did not answer in time after 4 tries"):
        api.petition(1)
    assert len(fake.seen) == 4 and len(sleeps) == 3


def test_timeout_then_success(make_api, doc239406):
    api, fake, sleeps = make_api({"/petitions/239406.json": [httpx.ConnectTimeout("slow"), doc239406]})
    assert api.petition(239406).id == 239406 and sleeps == [0.5]


def test_no_network(make_api):
    api, fake, _ = make_api({"/petitions/1.json": [httpx.ConnectError("no route")]})
    with pytest.raises(Unreachable, match="cannot reach petition.parliament.uk"):
        api.petition(1)


def test_truncated_json(make_api, petition_files):
    api, _, _ = make_api({"/petitions/239406.json": petition_files["239406"].read_bytes()[:3000]})
    with pytest.raises(PetitionError) as err:
        api.petition(239406)
    assert "sent for /petitions/239406.json is not valid JSON" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("body, words", [
    ({"data": {"type": "user", "id": 1, "attributes": {}}}, "data.type is 'user'"),
    ("a string", "expected a JSON object"),
    ({"data": [], "links": {}}, "list of petitions"),
])
def test_non_petition_json(make_api, body, words):
    api, _, _ = make_api({"/petitions/1.json": body})
    with pytest.raises(PetitionError, match=words):
        api.petition(1)


def test_max_age_is_honoured(make_api, doc239406):
    now = [1000.0]
    api, fake, _ = make_api({"/petitions/239406.json": doc239406}, clock=lambda: now[0])
    first = api.petition_fetched(239406)
    now[0] += 59
    assert api.petition_fetched(239406) == first and first.fetched_at == 1000.0
    assert len(fake.seen) == 1
    now[0] += 2
    again = api.petition_fetched(239406)
    assert len(fake.seen) == 2 and again.fetched_at == 1061.0


def test_no_max_age_means_no_cache(make_api, doc239406):
    api, fake, _ = make_api({"/petitions/239406.json": httpx.Response(200, json=doc239406,
                                                                       headers={"cache-control": "no-cache"})})
    api.petition(239406)
    api.petition(239406)
    assert len(fake.seen) == 2


@pytest.fixture(scope="module")
def list_page(mirror):
    return json.loads((mirror / "petitions" / "list-q-climate-change-page-1.json").read_text())


def test_list_page_from_the_real_endpoint(make_api, list_page):
    api, fake, _ = make_api({"/petitions.json": list_page})
    listing = api.list(state="all", q="climate change", page=1)
    assert len(listing.items) == 50 and listing.next_page == 2 and listing.last_page == 8
    assert dict(fake.seen[0].params) == {"state": "all", "page": "1", "q": "climate change"}
    first = list_page["data"][0]
    assert listing.items[0].id == int(first["id"]) == 563380
    assert listing.items[0].signature_count == first["attributes"]["signature_count"]
    assert all(i.action and i.state for i in listing.items)


def test_list_pages_are_cached_separately(make_api, list_page):
    api, fake, _ = make_api({"/petitions.json": list_page})
    api.list(page=1)
    api.list(page=2)
    api.list(page=1)
    assert [u.params["page"] for u in fake.seen] == ["1", "2"]


def test_archived_list(make_api, list_page):
    api, fake, _ = make_api({"/archived/petitions.json": list_page})
    listing = api.list(state="closed", archived=True)
    assert fake.seen[0].path == "/archived/petitions.json" and all(i.archived for i in listing.items)


def test_list_refuses_unknown_state(make_api):
    api, fake, _ = make_api({})
    with pytest.raises(PetitionError, match="unknown state 'secret'"):
        api.list(state="secret")
    assert fake.seen == []


@pytest.mark.parametrize("links, next_page, last_page", [
    ({"next": None, "last": "https://x/petitions.json?page=3"}, None, 3),
    ({"next": "https://x/petitions.json?page=2&state=open", "last": "https://x/petitions.json?state=open&page=9"},
     2, 9),
    ({}, None, None),
])
def test_parse_list_pages(links, next_page, last_page):
    listing = parse_list({"data": [], "links": links})
    assert (listing.next_page, listing.last_page) == (next_page, last_page)


def test_parse_list_refuses_a_petition(doc239406):
    with pytest.raises(PetitionError, match="not a petition list"):
        parse_list(doc239406)


def test_load_petition_from_number_and_file(make_api, doc239406, petition_files):
    api, fake, _ = make_api({"/petitions/239406.json": doc239406})
    assert load("https://petition.parliament.uk/petitions/239406", api).petition.id == 239406
    assert load(str(petition_files["603658"]), api, files=True).petition.id == 603658
    assert len(fake.seen) == 1  # a file never reaches the API


@pytest.mark.parametrize("deadline", [15.0, 4.0])
def test_a_server_that_never_answers_is_cut_off_within_one_deadline(deadline):
    """Each attempt waits its whole timeout (the fake clock jumps by it); retries and the archive
    fallback all fit in the one deadline."""
    from tests.fault_api import FakeClock

    clock = FakeClock(tick=0.0)
    waits: list[float] = []

    def hang(request):
        wait = request.extensions["timeout"]["read"]
        waits.append(wait)
        clock.now += wait
        raise httpx.ReadTimeout("no answer")

    api = PetitionsAPI(httpx.Client(transport=httpx.MockTransport(hang)), sleep=clock.sleep, timer=clock,
                       deadline=deadline)
    with pytest.raises(Unreachable, match="did not answer in time"):
        api.petition(239406)
    assert clock.now <= deadline and len(waits) >= 2 and max(waits) <= 5.0
