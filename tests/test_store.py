import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import pandas as pd
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


def test_every_snapshot_of_241584_matches_its_file(store, mirror):
    folder = mirror / "petitions" / "241584"
    store.import_folder(folder)
    snaps = store.snapshots(241584).set_index("snapshot_id")
    counts = store.counts(241584).groupby("snapshot_id")["signature_count"].sum()
    countries = store.country_counts(241584).groupby("snapshot_id")["signature_count"].sum()
    assert (snaps["source"] == "file").all()
    for path, (sid, row) in zip(sorted(folder.glob("*.json")), snaps.iterrows()):
        p = read_petition_file(path)
        # the file name is the snapshot time (UTC)
        assert f"{row['fetched_at']:%Y-%m-%dT%H%M}" == path.stem
        assert row["signature_count"] == p.signature_count and row["updated_at"] == p.updated_at
        assert counts[sid] == row["constituency_total"] == p.constituency_total
        assert countries[sid] == sum(c.signature_count for c in p.countries)


def test_timeseries_sums_match_the_csv_files(store, mirror):
    folder = mirror / "petitions" / "700143-timeseries"
    totals = pd.read_csv(folder / "totals.csv")
    rows = pd.read_csv(folder / "by-constituency.csv")
    assert store.import_timeseries(folder) == 13  # petition number from the folder name
    snaps = store.snapshots(700143)
    assert snaps["constituency_total"].tolist() == totals["readme_total_signatures_sum_of_constituencies"].tolist()
    assert (snaps["source"] == "series").all()
    assert store.counts(700143)["signature_count"].sum() == rows["signature_count"].sum()
    assert store.petitions().set_index("id").loc[700143, "snapshots"] == 13


def test_an_older_file_does_not_replace_the_newer_document(store, mirror):
    folder = mirror / "petitions" / "241584"
    newest = read_petition_file(folder / "2019-04-01T1207.json")
    store.add(newest, datetime(2019, 4, 1, 12, 7, tzinfo=UTC))
    store.import_folder(folder)  # older snapshots arrive afterwards
    doc, when = store.latest_document(241584)
    assert doc["data"]["attributes"]["signature_count"] == newest.signature_count
    assert when == datetime(2019, 4, 1, 12, 7, tzinfo=UTC)
    assert store.petitions().set_index("id").loc[241584, "latest_total"] == newest.signature_count


def test_a_naive_fetch_time_is_utc(store, petition_files):
    store.add(read_petition_file(petition_files["603658"]), datetime(2024, 7, 1, 9, 30))
    assert store.latest_document(603658)[1] == datetime(2024, 7, 1, 9, 30, tzinfo=UTC)
    assert str(store.snapshots(603658)["fetched_at"].iloc[0]) == "2024-07-01 09:30:00+00:00"


def test_latest_counts_for_ranks_petitions_in_one_constituency(store, petition_files):
    for name in ("239406", "603658", "550951"):
        store.add(read_petition_file(petition_files[name]))
    reading_east = "E14000889"  # the Reading prison petition is most signed there
    ranked = store.latest_counts_for(reading_east)
    local = ranked.set_index("petition_id")
    assert set(local.index) == {239406, 603658, 550951}
    expected = {c.ons_code: c.signature_count for c in read_petition_file(petition_files["603658"]).constituencies}
    assert local.loc[603658, "signature_count"] == expected[reading_east] == 455
    assert ranked["signature_count"].is_monotonic_decreasing
    assert local.loc[603658, "constituency_total"] == sum(expected.values())
    # a constituency missing from a breakdown counts as zero
    everywhere = {c.ons_code for c in read_petition_file(petition_files["550951"]).constituencies}
    nowhere = store.latest_counts_for(sorted(everywhere - set(expected))[0])
    assert nowhere.set_index("petition_id").loc[603658, "signature_count"] == 0


def test_history_looks_counts_up_by_key_not_by_scanning(store):
    with sqlite3.connect(store.path) as db:
        plan = " ".join(str(row[-1]) for row in db.execute(
            """EXPLAIN QUERY PLAN SELECT s.fetched_at, c.signature_count FROM snapshots s
               LEFT JOIN constituency_counts c ON c.snapshot_id = s.id AND c.ons_code = ?
               WHERE s.petition_id = ?""", ("E14000530", 1)))
    assert "SCAN" not in plan and "PRIMARY KEY" in plan


def test_counts_of_chosen_snapshots(store, mirror):
    store.import_folder(mirror / "petitions" / "241584")
    ids = store.snapshots(241584)["snapshot_id"].tolist()
    some = store.counts(241584, [ids[0], ids[-1]])
    assert set(some["snapshot_id"]) == {ids[0], ids[-1]} and len(some) == 2 * 650


def test_a_store_of_the_first_schema_is_upgraded(tmp_path, petition_files):
    path = tmp_path / "v1.sqlite"
    with sqlite3.connect(path) as db:  # the schema as first released (user_version 0)
        db.executescript(V1_SCHEMA)
    store = Store(path)
    p = read_petition_file(petition_files["239406"])
    assert store.add(p, datetime(2019, 8, 12, tzinfo=UTC)) is not None
    assert store.add(p) is None
    assert store.snapshots(239406)["source"].tolist() == ["api"]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 2
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_writer_processes_and_a_reader(tmp_path, mirror):
    path = tmp_path / "shared.sqlite"
    Store(path)
    script = ("import sys; from petitions.store import Store; s = Store(sys.argv[1]); "
              "print(s.import_folder(sys.argv[2]) + s.import_timeseries(sys.argv[3]))")
    args = [str(path), str(mirror / "petitions" / "241584"), str(mirror / "petitions" / "700143-timeseries")]
    procs = [subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    reader = Store(path)
    reads = 0
    while any(p.poll() is None for p in procs):
        for pid in (241584, 700143):
            counts = reader.counts(pid)
            # a reader never sees a snapshot without all its counts
            assert counts.groupby("snapshot_id").size().eq(650).all()
            assert set(counts["snapshot_id"]) <= set(reader.snapshots(pid)["snapshot_id"])
        reads += 1
    outputs = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert sum(int(out) for out, _ in outputs) == 8 + 13  # each snapshot added by exactly one of them
    assert reads > 0
    assert len(reader.snapshots(241584)) == 8 and len(reader.snapshots(700143)) == 13
    assert reader.integrity() == "ok"


V1_SCHEMA = """
CREATE TABLE petitions (id INTEGER PRIMARY KEY, action TEXT NOT NULL, state TEXT NOT NULL, document TEXT,
    document_fetched_at TEXT);
CREATE TABLE snapshots (id INTEGER PRIMARY KEY, petition_id INTEGER NOT NULL REFERENCES petitions(id),
    fetched_at TEXT NOT NULL, updated_at TEXT NOT NULL, signature_count INTEGER NOT NULL,
    constituency_total INTEGER NOT NULL, UNIQUE (petition_id, updated_at, signature_count, constituency_total));
CREATE TABLE constituency_counts (snapshot_id INTEGER NOT NULL REFERENCES snapshots(id), ons_code TEXT NOT NULL,
    signature_count INTEGER NOT NULL, PRIMARY KEY (snapshot_id, ons_code)) WITHOUT ROWID;
CREATE INDEX counts_by_code ON constituency_counts (ons_code, snapshot_id);
CREATE TABLE country_counts (snapshot_id INTEGER NOT NULL REFERENCES snapshots(id), code TEXT NOT NULL,
    signature_count INTEGER NOT NULL, PRIMARY KEY (snapshot_id, code)) WITHOUT ROWID;
CREATE INDEX snapshots_by_petition ON snapshots (petition_id, fetched_at);
"""
