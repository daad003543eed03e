"""API faults against a fake API on 127.0.0.1 ($PETITIONMAP_API_BASE): the client, the loader with a real store,
the export CLI and the tracker. No real-time waits: the client's clock and sleeps are faked."""

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from petitions.api import DEADLINE, BadDocument, PetitionsAPI
from petitions.loader import load
from petitions.model import PetitionError
from petitions.store import open_store as Store
from petitions.track import track
from tests.conftest import ROOT
from tests.fault_api import FAULTS, FakeClock

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def client(clock: FakeClock, **kw) -> PetitionsAPI:
    return PetitionsAPI(sleep=clock.sleep, timer=clock, **kw)  # the default client: $PETITIONMAP_API_BASE


@pytest.mark.parametrize("fault", list(FAULTS))
def test_every_fault_falls_back_to_the_newest_saved_copy_with_its_age_and_reason(fault_api, fault, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    first = load(239406, client(FakeClock()), store, mirror=tmp_path / "no-mirror")
    assert first.origin == "live" and first.note == ""
    fault_api.faults[239406] = fault
    clock = FakeClock(tick=1.0 if fault == "drip" else 0.01)
    loaded = load(239406, client(clock), store, mirror=tmp_path / "no-mirror", now=NOW)
    assert loaded.origin == "saved" and loaded.petition == first.petition
    assert FAULTS[fault] in loaded.reason and FAULTS[fault] in loaded.note, loaded.note
    assert "old) because the live data could not be used" in loaded.note and "\n" not in loaded.note
    assert clock.now <= DEADLINE + 2 * clock.tick  # one deadline for the whole fetch, retries and archive included
    assert len(store.snapshots(239406)) == 1  # the refused document replaced nothing
    assert store.latest_document(239406)[0]["data"]["id"] == 239406


@pytest.mark.parametrize("fault", list(FAULTS))
def test_every_fault_without_a_copy_is_a_one_line_error(fault_api, fault, tmp_path):
    fault_api.faults[603658] = fault
    clock = FakeClock(tick=1.0 if fault == "drip" else 0.01)
    with pytest.raises(PetitionError) as err:
        load(603658, client(clock), Store(tmp_path / "s.sqlite"), mirror=tmp_path / "no-mirror")
    assert FAULTS[fault] in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("fault", ["renamed-list", "wrong-id", "deep", "1e400", "truncated"])
def test_a_refused_document_is_a_bad_document(fault_api, fault):
    fault_api.faults[239406] = fault
    with pytest.raises(BadDocument):
        client(FakeClock()).petition(239406)


def test_retry_after_within_the_deadline_is_honoured(fault_api):
    clock = FakeClock()
    api = client(clock, deadline=200)
    fault_api.faults[239406] = "429"
    with pytest.raises(PetitionError, match="HTTP 429"):
        api.petition(239406)
    assert clock.slept[:3] == [60.0, 60.0, 60.0]  # Retry-After: 120, capped at 60 s, replaces the back-off


def test_the_size_cap_refuses_before_reading_everything(fault_api):
    fault_api.faults[239406] = "50MB-chunked"
    with pytest.raises(BadDocument, match="more than 1 MB"):
        client(FakeClock(), max_bytes=1_000_000).petition(239406)


class BrokenStore:
    """A store that is locked (or full, or read-only) on every write and read."""

    def __init__(self, error: Exception):
        self.error = error

    def add(self, petition, fetched_at=None):
        raise self.error

    def latest_document(self, pid):
        raise self.error


@pytest.mark.parametrize("error, words", [
    (sqlite3.OperationalError("database is locked"), "database is locked"),
    (sqlite3.OperationalError("database or disk is full"), "database or disk is full"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "readonly database"),
    (OSError(30, "Read-only file system"), "Read-only file system"),
])
def test_a_broken_store_never_hides_a_fetched_petition(fault_api, tmp_path, error, words):
    loaded = load(239406, client(FakeClock()), BrokenStore(error), mirror=tmp_path)
    assert loaded.origin == "live" and loaded.petition.id == 239406
    assert loaded.note.startswith("History is off: this fetch was not saved (") and words in loaded.note
    fault_api.faults[239406] = "503"  # and with the API down as well: the mirror's copy, no crash
    with pytest.raises(PetitionError, match="no saved copy"):
        load(239406, client(FakeClock()), BrokenStore(error), mirror=tmp_path)


def test_the_dashboard_and_cli_client_reach_the_fake_api(fault_api):
    api = PetitionsAPI()
    assert api.petition(239406).signature_count == 14846
    assert fault_api.seen == ["/petitions/239406.json"]


def test_the_fake_api_may_only_be_on_this_machine(monkeypatch):
    monkeypatch.setenv("PETITIONMAP_API_BASE", "http://example.com")
    with pytest.raises(PetitionError, match="may only name http://127.0.0.1"):
        PetitionsAPI()


@pytest.mark.parametrize("fault, code, words", [
    ("ok", 0, ""), ("renamed-list", 1, FAULTS["renamed-list"]), ("wrong-id", 1, FAULTS["wrong-id"]),
    ("404", 1, FAULTS["404"]), ("1e400", 1, FAULTS["1e400"]),
])
def test_export_cli_against_the_fake_api(fault_api, tmp_path, fault, code, words):
    fault_api.faults[239406] = fault
    env = {**os.environ, "PETITIONMAP_MIRROR": str(tmp_path / "no-mirror"), "PETITIONMAP_API_BASE": fault_api.base}
    done = subprocess.run([sys.executable, "-m", "geo.export", "239406", "--csv", str(tmp_path / "o.csv")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == code and "Traceback" not in done.stderr
    assert words in done.stderr and (tmp_path / "o.csv").exists() == (code == 0)
    assert fault_api.seen and all(p.startswith(("/petitions/239406", "/archived/petitions/239406"))
                                  for p in fault_api.seen)


def test_tracker_one_bad_petition_never_stops_the_others(fault_api, tmp_path):
    """Good, schema-failing, unparseable and failing petitions in one poll: the good ones are stored, the
    bad ones logged and not stored, and the poll goes on to the end."""
    fault_api.faults.update({603658: "deep"})
    fault_api.docs.update({1: fault_api.docs[239406], 2: fault_api.docs[239406], 3: fault_api.docs[239406],
                           4: fault_api.docs[239406]})
    fault_api.faults.update({1: "1e400", 2: "503", 3: "wrong-id", 4: "drip"})
    store = Store(tmp_path / "t.sqlite")
    logs: list[str] = []
    clock = FakeClock(tick=0.3)
    track([1, 603658, 2, 3, 4, 239406, 700143], 60, store, client(clock, retries=1), once=True, log=logs.append)
    assert len(logs) == 7 and all("\n" not in line for line in logs)
    assert set(store.petitions()["id"]) == {239406, 700143}
    by_id = {int(line.split()[1].rstrip(":")): line for line in logs}
    assert "14,846 signatures" in by_id[239406] and "retrying in" in by_id[1]
    for pid, fault in ((1, "1e400"), (603658, "deep"), (2, "503"), (3, "wrong-id"), (4, "drip")):
        assert FAULTS[fault].replace("4 tries", "2 tries") in by_id[pid], by_id[pid]
