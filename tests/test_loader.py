import json
from datetime import UTC, datetime

import httpx
import pytest

from petitions.api import NotFound, PetitionsAPI
from petitions.loader import Loaded, load, mirror_documents, mirror_petitions, offline_list, seed_store
from petitions.model import PetitionError, read_petition_file

ALL_IDS = {239406, 241584, 332711, 550951, 603658, 700143}


def api(handler):
    return PetitionsAPI(httpx.Client(transport=httpx.MockTransport(handler)), sleep=lambda s: None,
                        clock=lambda: 1_700_000_000.0)


def offline(request):
    raise httpx.ConnectError("no network")


class FakeStore:
    """The two methods the loader needs of petitions.store.Store."""

    def __init__(self, saved=None):
        self.added, self.saved, self.asked = [], saved, []

    def add(self, petition, fetched_at=None):
        self.added.append((petition.id, fetched_at))
        return 1

    def latest_document(self, pid):
        self.asked.append(pid)
        return self.saved


def test_live_fetch_is_stored_as_a_snapshot(petition_files):
    doc = json.loads(petition_files["239406"].read_text())
    store = FakeStore()
    loaded = load("239406", api(lambda r: httpx.Response(200, json=doc)), store)
    assert loaded.origin == "live" and loaded.note == "" and loaded.petition.signature_count == 14846
    when = datetime.fromtimestamp(1_700_000_000, UTC)
    assert store.added == [(239406, when)] and loaded.as_of == when


def test_live_fetch_without_a_store(petition_files):
    doc = json.loads(petition_files["700143"].read_text())
    assert load(700143, api(lambda r: httpx.Response(200, json=doc))).origin == "live"


def test_unreachable_falls_back_to_the_mirror(mirror):
    store = FakeStore()
    loaded = load("239406", api(offline), store, mirror)
    assert loaded.origin == "mirror" and loaded.petition.signature_count == 14846
    assert loaded.note == "Offline: showing the local mirror's copy, data as of 11 Aug 2019 23:00 UTC."
    assert store.asked == [239406] and store.added == []  # a mirror copy is not a new snapshot


def test_unreachable_uses_the_mirror_named_by_the_environment(mirror, monkeypatch):
    monkeypatch.setenv("PETITIONMAP_MIRROR", str(mirror))
    loaded = load("https://petition.parliament.uk/petitions/603658", api(offline))
    assert loaded.origin == "mirror" and "data as of" in loaded.note and loaded.petition.id == 603658


def test_unreachable_snapshot_folder_gives_the_newest_snapshot(mirror):
    loaded = load("241584", api(offline), None, mirror)
    newest = read_petition_file(mirror / "petitions" / "241584" / "2019-04-01T1207.json")
    assert loaded.origin == "mirror" and loaded.petition == newest


def test_unreachable_prefers_the_saved_copy(petition_files, mirror):
    doc = json.loads(petition_files["700143"].read_text())
    loaded = load("700143", api(offline), FakeStore((doc, datetime(2026, 1, 2, 3, 4, tzinfo=UTC))), mirror)
    assert loaded.origin == "saved" and loaded.petition.id == 700143
    assert loaded.note == ("petition.parliament.uk is unreachable: showing the saved copy, "
                           "data as of 02 Jan 2026 03:04 UTC.")


@pytest.mark.parametrize("use_mirror", [False, True])
def test_unreachable_and_nothing_saved_says_what_to_do(tmp_path, mirror, monkeypatch, use_mirror):
    monkeypatch.delenv("PETITIONMAP_MIRROR", raising=False)
    with pytest.raises(PetitionError) as err:
        load("1234", api(offline), FakeStore(), mirror if use_mirror else None)
    message = str(err.value)
    assert "cannot reach petition.parliament.uk" in message and "\n" not in message
    assert "no saved copy of petition 1234 — try again when online, or open a saved JSON file" in message


def test_not_found_is_not_hidden_by_offline_copies(mirror):
    with pytest.raises(NotFound):
        load("239406", api(lambda r: httpx.Response(404)), FakeStore(), mirror)


def test_bad_source_is_refused_before_any_request():
    with pytest.raises(PetitionError, match="only https://petition.parliament.uk"):
        load("https://evil.example/petitions/1", api(lambda r: pytest.fail("no request expected")))


def test_local_file(petition_files):
    loaded = load(str(petition_files["603658"]))
    assert isinstance(loaded, Loaded) and loaded.origin == "file" and len(loaded.petition.constituencies) == 153
    assert loaded.note.startswith("From a local file (data as of ")


def test_mirror_petitions_take_the_newest_snapshot(mirror):
    items = mirror_petitions(mirror)
    by_id = {i.id: i for i in items}
    assert set(by_id) == ALL_IDS and len(items) == len(ALL_IDS)
    assert by_id[241584].signature_count == read_petition_file(
        mirror / "petitions" / "241584" / "2019-04-01T1207.json").signature_count
    assert [i.signature_count for i in items] == sorted((i.signature_count for i in items), reverse=True)


def test_mirror_skips_what_is_not_a_petition(mirror, tmp_path):
    (tmp_path / "petitions").mkdir()
    (tmp_path / "petitions" / "1.json").write_text('{"data": {"type": "user"}}')
    (tmp_path / "petitions" / "2.json").write_text((mirror / "petitions" / "603658.json").read_text()[:99])
    (tmp_path / "petitions" / "603658.json").write_text((mirror / "petitions" / "603658.json").read_text())
    assert [i.id for i in mirror_petitions(tmp_path)] == [603658]
    assert mirror_petitions(tmp_path / "nowhere") == []


@pytest.mark.parametrize("state, q, ids", [
    ("all", "", [241584, 700143, 332711, 550951, 239406, 603658]),
    ("open", "", [241584, 700143]),
    ("closed", "EU", [550951]),
    ("with_response", "", [241584, 332711, 550951, 239406]),
    ("all", "reading prison", [603658]),
    ("all", "READING Prison", [603658]),
    ("rejected", "", []),
])
def test_offline_list_filters_like_the_official_list(mirror, state, q, ids):
    items, last = offline_list(mirror_documents(mirror), state, q)
    assert [i.id for i in items] == ids and last == 1


def test_offline_list_pages(mirror):
    docs = mirror_documents(mirror) * 20  # 120 items: pages of 50
    first, last = offline_list(docs, "all", page=1)
    third, _ = offline_list(docs, "all", page=3)
    assert last == 3 and len(first) == 50 and len(third) == 20


def test_seed_store_is_idempotent(mirror, tmp_path):
    from petitions.store import open_store as Store

    store = Store(tmp_path / "s.sqlite")
    first = seed_store(store, mirror)
    assert first >= 8 + 13 and seed_store(store, mirror) == 0
    assert set(store.petitions()["id"]) == ALL_IDS
