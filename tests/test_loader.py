import json

import httpx
import pytest

from petitions.api import NotFound, PetitionsAPI
from petitions.loader import Loaded, load, mirror_petitions, offline_list, seed_store
from petitions.model import PetitionError, read_petition_file
from petitions.store import Store


def api(handler):
    return PetitionsAPI(httpx.Client(transport=httpx.MockTransport(handler)), sleep=lambda s: None)


def offline(request):
    raise httpx.ConnectError("no network")


class FakeStore:
    def __init__(self, saved=None):
        self.added, self.saved = [], saved

    def add(self, petition, fetched_at=None):
        self.added.append((petition.id, fetched_at))
        return 1

    def latest_document(self, pid):
        return self.saved


def test_live_fetch_is_stored_as_a_snapshot(petition_files):
    doc = json.loads(petition_files["239406"].read_text())
    store = FakeStore()
    loaded = load("239406", api(lambda r: httpx.Response(200, json=doc)), store)
    assert loaded.origin == "live" and loaded.note == ""
    assert store.added and store.added[0][0] == 239406


def test_unreachable_falls_back_to_the_mirror(mirror):
    loaded = load("239406", api(offline), FakeStore(), mirror)
    assert loaded.origin == "mirror" and loaded.petition.signature_count == 14846
    assert "data as of 11 Aug 2019" in loaded.note


def test_unreachable_prefers_the_saved_copy(petition_files, mirror):
    doc = json.loads(petition_files["700143"].read_text())
    from datetime import UTC, datetime
    loaded = load("700143", api(offline), FakeStore((doc, datetime(2026, 1, 2, tzinfo=UTC))), mirror)
    assert loaded.origin == "saved" and "02 Jan 2026" in loaded.note


def test_unreachable_and_nothing_saved_says_what_to_do(tmp_path):
    with pytest.raises(PetitionError, match="no saved copy of petition 1234 — try again when online"):
        load("1234", api(offline), FakeStore(), tmp_path)


def test_not_found_is_not_hidden_by_offline_copies(mirror):
    with pytest.raises(NotFound):
        load("239406", api(lambda r: httpx.Response(404)), FakeStore(), mirror)


def test_local_file(petition_files):
    loaded = load(str(petition_files["603658"]))
    assert isinstance(loaded, Loaded) and loaded.origin == "file" and len(loaded.petition.constituencies) == 153


def test_mirror_petitions_take_the_newest_snapshot(mirror):
    items = {i.id: i for i in mirror_petitions(mirror)}
    assert set(items) == {239406, 241584, 332711, 550951, 603658, 700143}
    assert items[241584].signature_count == read_petition_file(
        mirror / "petitions" / "241584" / "2019-04-01T1207.json").signature_count


@pytest.mark.parametrize("state, q, ids", [
    ("all", "", [241584, 700143, 332711, 550951, 239406, 603658]),
    ("open", "", [241584, 700143]),
    ("closed", "EU", [550951]),
    ("with_response", "", [241584, 332711, 550951, 239406]),
    ("all", "reading prison", [603658]),
    ("rejected", "", []),
])
def test_offline_list_filters_like_the_official_list(mirror, state, q, ids):
    from petitions.loader import mirror_documents
    items, last = offline_list(mirror_documents(mirror), state, q)
    assert [i.id for i in items] == ids and last == 1


def test_seed_store_is_idempotent(mirror, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    first = seed_store(store, mirror)
    assert first >= 8 + 13 and seed_store(store, mirror) == 0
    assert set(store.petitions()["id"]) == {239406, 241584, 332711, 550951, 603658, 700143}
