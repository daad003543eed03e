import json
from datetime import UTC, datetime

import httpx
import pytest

from petitions.api import NotFound, PetitionsAPI
from petitions.loader import Loaded, load
from petitions.model import PetitionError, parse_petition, read_petition_file
from petitions.offline import (
    listing_facts,
    mirror_documents,
    mirror_petitions,
    mirror_scan,
    offline_list,
    saved_lists,
    seed_store,
)
from tests.documents import amended, as_dump, real, write

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
    assert loaded.note.startswith("Showing the local mirror's copy (data as of 11 Aug 2019 23:00 UTC, ")
    assert loaded.note.endswith("because the live data could not be used: cannot reach petition.parliament.uk "
                                "(no network?).")
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
    loaded = load("700143", api(offline), FakeStore((doc, datetime(2026, 1, 2, 3, 4, tzinfo=UTC))), mirror,
                  now=datetime(2026, 1, 5, 4, 0, tzinfo=UTC))
    assert loaded.origin == "saved" and loaded.petition.id == 700143
    assert loaded.note == ("Showing the saved copy (data as of 02 Jan 2026 03:04 UTC, 3 days old) because the live "
                           "data could not be used: cannot reach petition.parliament.uk (no network?).")


@pytest.mark.parametrize("use_mirror", [False, True])
def test_unreachable_and_nothing_saved_says_what_to_do(tmp_path, mirror, monkeypatch, use_mirror):
    monkeypatch.delenv("PETITIONMAP_MIRROR", raising=False)
    with pytest.raises(PetitionError) as err:
        load("1234", api(offline), FakeStore(), mirror if use_mirror else None)
    message = str(err.value)
    assert "cannot reach petition.parliament.uk" in message and "\n" not in message
    assert "no saved copy of petition 1234 — try again later" in message


def test_not_found_without_a_copy_says_so(mirror):
    with pytest.raises(NotFound, match="petition 1234 was not found"):
        load("1234", api(lambda r: httpx.Response(404)), FakeStore(), mirror)


def test_not_found_with_a_copy_shows_the_copy_and_says_why(mirror):
    loaded = load("239406", api(lambda r: httpx.Response(404)), FakeStore(), mirror)
    assert loaded.origin == "mirror" and "petition 239406 was not found on petition.parliament.uk" in loaded.note


def test_bad_source_is_refused_before_any_request():
    with pytest.raises(PetitionError, match="only petition.parliament.uk petition links"):
        load("https://evil.example/petitions/1", api(lambda r: pytest.fail("no request expected")))


def test_local_file(petition_files):
    loaded = load(str(petition_files["603658"]), files=True)
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
    _, refused = mirror_scan(tmp_path)  # listed with the reason, not dropped silently
    assert [(r.path.name, r.reason) for r in refused] == [
        ("1.json", "not a petition document: data.type is 'user'"),
        ("2.json", f"{tmp_path / 'petitions' / '2.json'} is not valid JSON (line 1, column 94)")]


def test_mirror_reads_the_public_dump_layout(mirror, tmp_path):
    for name in ("239406", "700143"):
        write(tmp_path, f"petitions/{name}.json", as_dump(real(mirror / "petitions" / f"{name}.json")))
    series = sorted((mirror / "petitions" / "241584").glob("*.json"))
    for path in series:
        write(tmp_path, f"petitions/241584/{path.name}", as_dump(real(path)))
    docs, refused = mirror_scan(tmp_path)
    assert refused == [] and {p.id for p in docs} == {239406, 700143, 241584}
    assert {p.id: p.signature_count for p in docs}[241584] == 6031967  # the newest snapshot
    from petitions.store import open_store as Store

    store = Store(tmp_path / "s.sqlite")
    assert seed_store(store, tmp_path) == len(series) + 2
    assert len(store.snapshots(241584)) == len(series)


def test_saved_list_pages_are_used_offline(mirror):
    lists, refused = saved_lists(mirror)
    assert refused == [] and [(s.q, s.state, s.page, s.last_page, s.archived, len(s.petitions))
                              for s in lists] == [("climate change", "all", 1, 8, False, 50)]
    expected = [p.id for p in lists[0].petitions]
    held = listing_facts(mirror_documents(mirror))
    items, _ = offline_list(held, "all", "Climate  change", lists=lists)
    assert sorted(i.id for i in items) == sorted(expected)
    items, _ = offline_list(held, "debated", "climate change", lists=lists)
    assert items and all(p.state != "open" for p in lists[0].petitions if p.id in {i.id for i in items})
    archived, _ = offline_list(held, "all", "climate change", archived=True, lists=lists)
    assert archived == []  # the saved page is of the current list, not the archive


@pytest.mark.parametrize("state, q, archived, ids", [
    ("all", "", True, [241584, 332711, 550951, 239406, 603658]),  # earlier parliaments: the archive
    ("all", "", False, [700143]),
    ("open", "", False, [700143]),
    ("open", "", True, [241584]),
    ("closed", "EU", True, [550951]),
    ("with_response", "", True, [241584, 332711, 550951, 239406]),
    ("all", "reading prison", True, [603658]),
    ("all", "READING Prison", True, [603658]),
    ("rejected", "", True, []),
    ("awaiting_debate", "", False, [700143]),
    ("awaiting_debate", "", True, [241584]),  # its debate was scheduled for 1 April 2019
])
def test_offline_list_filters_like_the_official_list(mirror, state, q, archived, ids):
    items, last = offline_list(listing_facts(mirror_documents(mirror)), state, q, archived=archived)
    assert [i.id for i in items] == ids and last == 1
    assert all(i.archived == archived for i in items)


def test_offline_list_pages(mirror):
    from dataclasses import replace

    # 125 archived petitions: pages of 50, 50 and 25

    docs = [replace(p, id=p.id * 100 + i) for i in range(25) for p in mirror_documents(mirror)]
    first, last = offline_list(listing_facts(docs), "all", page=1, archived=True)
    third, _ = offline_list(listing_facts(docs), "all", page=3, archived=True)
    assert last == 3 and len(first) == 50 and len(third) == 25


def test_seed_store_is_idempotent(mirror, tmp_path):
    from petitions.store import open_store as Store

    store = Store(tmp_path / "s.sqlite")
    first = seed_store(store, mirror)
    assert first >= 8 + 13 and seed_store(store, mirror) == 0
    assert set(store.petitions()["id"]) == ALL_IDS


def test_not_debated_is_listed_under_not_debated_offline(mirror):
    from tests.test_model import NOT_DEBATED

    docs = mirror_documents(mirror)
    not_debated = parse_petition(as_dump(amended(real(mirror / "petitions" / "550951.json"),
                                                 debate_outcome_at="2021-03-01T10:00:00Z", debate=NOT_DEBATED)))
    docs = [d for d in docs if d.id != 550951] + [not_debated]
    ids = {state: [i.id for i in offline_list(listing_facts(docs), state, archived=True)[0]] for state in
           ("debated", "not_debated", "awaiting_debate")}
    assert ids == {"debated": [], "not_debated": [550951], "awaiting_debate": [241584]}


def test_the_offline_list_from_the_store_is_the_list_from_documents(mirror, tmp_path):
    from petitions.api import STATES
    from petitions.store import open_store

    store = open_store(tmp_path / "s.sqlite")
    seed_store(store, mirror)
    lists = saved_lists(mirror)[0]
    documents = listing_facts(mirror_documents(mirror))
    # the store lists each petition with its latest total (700143: a newer snapshot series than its document)
    totals = store.petitions().set_index("id")["latest_total"]
    assert totals[700143] != documents.set_index("petition_id").at[700143, "signature_count"]
    documents["signature_count"] = documents["petition_id"].map(totals)
    held = store.listing()
    for state in STATES:
        for archived in (False, True):
            for q in ("", "climate change", "prison", "EU"):
                assert offline_list(held, state, q, 1, archived, lists) == \
                    offline_list(documents, state, q, 1, archived, lists), (state, archived, q)
    assert offline_list(held, "all", "climate change", 1, False, lists)[0]  # the saved page's petitions
