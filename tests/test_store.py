import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from petitions.model import read_petition_file
from petitions.store import Store
from tests.conftest import ROOT

WRITER = r"""
import sys, random
from datetime import datetime, timedelta, UTC
from petitions.model import Petition, ConstituencyCount
from petitions.store import Store
store = Store(sys.argv[1]); start = int(sys.argv[2])
codes = [f"E14{n:06d}" for n in range(1063, 1063 + 650)]
for i in range(start, start + 100000):
    p = Petition(id=9, action="Synthetic", background="", additional_details="", state="open", signature_count=i,
                 updated_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=i),
                 constituencies=tuple(ConstituencyCount(c, c, None, random.randint(0, 999)) for c in codes))
    store.add(p, datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=i))
    print(i, flush=True)
"""


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "history.sqlite")


def test_import_folder_is_idempotent(store, mirror):
    folder = mirror / "petitions" / "241584"
    assert store.import_folder(folder) == 8
    assert store.import_folder(folder) == 0
    snaps = store.snapshots(241584)
    assert len(snaps) == 8 and snaps["fetched_at"].is_monotonic_increasing
    newest = read_petition_file(folder / "2019-04-01T1207.json")
    assert snaps["signature_count"].iloc[-1] == newest.signature_count
    counts = store.counts(241584)
    assert counts[counts["snapshot_id"] == snaps["snapshot_id"].iloc[-1]]["signature_count"].sum() == \
        newest.constituency_total


def test_import_timeseries_is_idempotent(store, mirror):
    folder = mirror / "petitions" / "700143-timeseries"
    assert store.import_timeseries(folder) == 13
    assert store.import_timeseries(folder) == 0
    snaps = store.snapshots(700143)
    assert snaps["constituency_total"].iloc[0] == 1549004
    assert len(store.counts(700143)) == 13 * 650


def test_same_document_twice_is_one_snapshot(store, petition_files):
    p = read_petition_file(petition_files["239406"])
    assert store.add(p) is not None
    assert store.add(p) is None
    assert len(store.snapshots(239406)) == 1
    doc, _ = store.latest_document(239406)
    assert doc["data"]["id"] == 239406


def test_history_and_latest_counts(store, mirror):
    store.import_folder(mirror / "petitions" / "241584")
    history = store.history(241584, "E14000530")
    assert history["signature_count"].tolist() == [1737, 1737, 4443, 4705, 5204, 6173, 7081, 7485]
    latest = store.latest_counts_for("E14000530")
    assert latest.iloc[0]["signature_count"] == 7485


def test_sigkill_during_writes_leaves_only_whole_snapshots(tmp_path):
    path = tmp_path / "killed.sqlite"
    Store(path)
    rng = random.Random(7)
    start = 0
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(start)], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()  # it has begun writing
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        start += 100000
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    per_snapshot = db.execute("""SELECT s.id, COUNT(c.ons_code) FROM snapshots s
                                 LEFT JOIN constituency_counts c ON c.snapshot_id = s.id GROUP BY s.id""").fetchall()
    assert len(per_snapshot) >= 5
    assert {n for _, n in per_snapshot} == {650}


def test_concurrent_writers_and_a_reader(tmp_path, petition_files):
    path = tmp_path / "busy.sqlite"
    Store(path)
    docs = [read_petition_file(p) for name, p in petition_files.items() if name.startswith("241584@")]
    errors = []

    def write():
        try:
            mine = Store(path)
            for p in docs:
                mine.add(p)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    def read():
        try:
            mine = Store(path)
            for _ in range(30):
                mine.snapshots(241584)
                mine.counts(241584)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write), threading.Thread(target=write), threading.Thread(target=read)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(Store(path).snapshots(241584)) == 8
    assert Store(path).integrity() == "ok"


def test_store_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PETITIONMAP_STORE", str(tmp_path / "elsewhere.sqlite"))
    assert Store().path == tmp_path / "elsewhere.sqlite"
    assert os.path.exists(tmp_path / "elsewhere.sqlite")
