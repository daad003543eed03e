import json

import httpx
import pytest

from petitions.api import NotFound, PetitionsAPI, Unreachable, parse_list, parse_source
from petitions.model import PetitionError


@pytest.mark.parametrize("text, expected", [
    ("239406", 239406), (" 239406 ", 239406), (239406, 239406),
    ("https://petition.parliament.uk/petitions/239406", 239406),
    ("https://petition.parliament.uk/petitions/239406.json", 239406),
    ("https://petition.parliament.uk/archived/petitions/239406.json", 239406),
    ("https://petition.parliament.uk/petitions/239406/", 239406),
    ("petition.parliament.uk/petitions/700143", 700143),
])
def test_parse_source_accepts_numbers_and_official_links(text, expected):
    assert parse_source(text) == expected


@pytest.mark.parametrize("text, words", [
    ("http://petition.parliament.uk/petitions/1", "only https://petition.parliament.uk"),
    ("https://evil.example/petitions/1", "only https://petition.parliament.uk"),
    ("https://petition.parliament.uk.evil.com/petitions/1", "only https://petition.parliament.uk"),
    ("https://petition.parliament.uk/help", "not a petition link"),
    ("0", "not a petition number"), ("", "enter a petition number"), ("abc", "not a petition number"),
    ("missing.json", "no such file"),
])
def test_parse_source_refuses_everything_else(text, words):
    with pytest.raises(PetitionError, match=words):
        parse_source(text)


def test_parse_source_local_file(petition_files):
    assert parse_source(str(petition_files["239406"])) == petition_files["239406"]


class FakeAPI:
    """A MockTransport handler that records requests and answers from a script of responses."""

    def __init__(self, routes):
        self.routes = routes
        self.seen: list[httpx.URL] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request.url)
        assert request.url.host == "petition.parliament.uk" and request.url.scheme == "https"
        answer = self.routes.get(request.url.path, 404)
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, int):
            return httpx.Response(answer)
        if isinstance(answer, bytes):
            return httpx.Response(200, content=answer, headers={"cache-control": "max-age=60"})
        return httpx.Response(200, json=answer, headers={"cache-control": "max-age=60"})


def api_for(routes, clock=lambda: 1000.0):
    fake = FakeAPI(routes)
    sleeps: list[float] = []
    api = PetitionsAPI(httpx.Client(transport=httpx.MockTransport(fake)), sleep=sleeps.append, clock=clock)
    return api, fake, sleeps


@pytest.fixture(scope="module")
def doc239406(petition_files):
    return json.loads(petition_files["239406"].read_text())


def test_live_petition(doc239406):
    api, fake, _ = api_for({"/petitions/239406.json": doc239406})
    assert api.petition(239406).signature_count == 14846


def test_archive_fallback_after_404(doc239406):
    api, fake, _ = api_for({"/archived/petitions/239406.json": doc239406})
    assert api.petition(239406).id == 239406
    assert [u.path for u in fake.seen] == ["/petitions/239406.json", "/archived/petitions/239406.json"]


def test_not_found_anywhere():
    api, _, _ = api_for({})
    with pytest.raises(NotFound, match="petition 5 was not found"):
        api.petition(5)


def test_429_then_success_backs_off(doc239406):
    api, fake, sleeps = api_for({"/petitions/239406.json": [429, 429, doc239406]})
    assert api.petition(239406).id == 239406
    assert len(fake.seen) == 3 and sleeps == [0.5, 1.0]


def test_500_forever_gives_up():
    api, fake, sleeps = api_for({"/petitions/1.json": [500]})
    with pytest.raises(Unreachable, match="HTTP 500 after 4 tries"):
        api.petition(1)
    assert len(fake.seen) == 4 and len(sleeps) == 3


def test_timeout_is_retried_then_reported():
    api, fake, _ = api_for({"/petitions/1.json": [httpx.ReadTimeout("slow")]})
    with pytest.raises(Unreachable, match="did not answer in time"):
        api.petition(1)
    assert len(fake.seen) == 4


def test_no_network():
    api, _, _ = api_for({"/petitions/1.json": [httpx.ConnectError("no route")]})
    with pytest.raises(Unreachable, match="no network"):
        api.petition(1)


def test_truncated_json(petition_files):
    api, _, _ = api_for({"/petitions/239406.json": petition_files["239406"].read_bytes()[:3000]})
    with pytest.raises(PetitionError, match="truncated or invalid JSON"):
        api.petition(239406)


def test_non_petition_json():
    api, _, _ = api_for({"/petitions/1.json": {"data": {"type": "user", "id": 1, "attributes": {}}}})
    with pytest.raises(PetitionError, match="not a petition document"):
        api.petition(1)


def test_max_age_is_honoured(doc239406):
    now = [1000.0]
    api, fake, _ = api_for({"/petitions/239406.json": doc239406}, clock=lambda: now[0])
    api.petition(239406)
    now[0] += 59
    api.petition(239406)
    assert len(fake.seen) == 1
    now[0] += 2
    api.petition(239406)
    assert len(fake.seen) == 2


def test_list_page_from_the_real_endpoint(mirror):
    page = json.loads((mirror / "petitions" / "list-q-climate-change-page-1.json").read_text())
    api, fake, _ = api_for({"/petitions.json": page})
    listing = api.list(state="all", q="climate change", page=1)
    assert len(listing.items) == 50 and listing.next_page == 2 and listing.last_page == 8
    assert fake.seen[0].params["q"] == "climate change"
    assert listing.items[0].id == 563380


def test_list_refuses_unknown_state():
    api, _, _ = api_for({})
    with pytest.raises(PetitionError, match="unknown state"):
        api.list(state="secret")


def test_parse_list_last_page_has_no_next():
    listing = parse_list({"data": [], "links": {"next": None, "last": "https://x/petitions.json?page=3"}})
    assert listing.next_page is None and listing.last_page == 3
