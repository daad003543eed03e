"""The store's contract, run once per engine (SQLite and PostgreSQL), plus the SQLite migration."""

import json
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from petitions.model import read_petition_file
from petitions.store import MAX_FRAMES, HistoryStore, PostgresStore, SQLiteStore, open_store
from tests.conftest import ROOT
from tests.legacy_store import LegacyStore
from tests.test_store_keyframes import answered, assert_keyframes_hold_their_snapshots, direct

WRITER = r"""
import sys, random
from datetime import datetime, timedelta, UTC
from petitions.store import open_store
store = open_store(sys.argv[1]); start = int(sys.argv[2])
codes = [f"E14{n:06d}" for n in range(1063, 1063 + 650)]
rng = random.Random(start)
for i in range(start, start + 100000):
    when = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=i)
    with store.batch():  # a sweep of two petitions: both or neither
        for pid in (9, 10):
            store.add_snapshot(pid, fetched_at=when, updated_at=when, signature_count=i, action="Synthetic",
                               state="open", constituencies=[(c, rng.randint(0, 999)) for c in codes])
    print(i, flush=True)
"""


@pytest.fixture
def store(store_url) -> HistoryStore:
    return open_store(store_url)


def every_answer(store, pid: int) -> dict:
    """Every query's answer about one petition (the frames: up to 40 snapshots)."""
    snaps = store.snapshots(pid)
    ids = snaps["snapshot_id"].tolist()
    frames = ids[:: max(1, len(ids) // MAX_FRAMES + 1)][:MAX_FRAMES]
    codes = store.counts(pid, ids[-1:])["ons_code"].tolist()
    latest = store.latest_counts_for(codes[0]) if codes else None
    doc = store.latest_document(pid)
    return {"snapshots": snaps.drop(columns="snapshot_id"),
            "counts": store.counts(pid, frames).drop(columns="snapshot_id"),
            "countries": store.country_counts(pid, frames).drop(columns="snapshot_id"),
            "history": store.seat_counts(pid, codes[0]).drop(columns="snapshot_id") if codes else None,
            "growth": store.growth(pid, ids[0], ids[-1]), "stale": [ids.index(i) for i in store.stale_snapshots(pid)],
            "latest": None if latest is None else latest.drop(columns="snapshot_id"),
            "document": doc, "petitions": store.petitions()}


def assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], pd.DataFrame):
            pd.testing.assert_frame_equal(a[key].reset_index(drop=True), b[key].reset_index(drop=True),
                                          check_dtype=False, obj=key)
        else:
            assert a[key] == b[key], key


def test_open_store_by_url(tmp_path, monkeypatch):
    assert isinstance(open_store(tmp_path / "plain.sqlite"), SQLiteStore)
    assert open_store(f"sqlite:///{tmp_path}/u.sqlite").path == tmp_path / "u.sqlite"
    monkeypatch.setenv("PETITIONMAP_STORE", str(tmp_path / "elsewhere.sqlite"))
    assert open_store().path == tmp_path / "elsewhere.sqlite" and (tmp_path / "elsewhere.sqlite").exists()
    monkeypatch.setenv("PETITIONMAP_STORE", f"sqlite:///{tmp_path}/env.sqlite")
    assert open_store().path == tmp_path / "env.sqlite"
    for bad in ("mysql://x/y", "sqlite://relative"):
        with pytest.raises(ValueError, match="sqlite:///"):
            open_store(bad)


def test_postgres_url_opens_postgres(postgres_server):
    store = open_store(postgres_server())
    assert isinstance(store, PostgresStore) and isinstance(store, HistoryStore)


def test_import_folder_is_idempotent(store, mirror):
    folder = mirror / "petitions" / "241584"
    assert store.import_folder(folder) == 8
    rows = store.table_rows()
    assert store.import_folder(folder) == 0
    assert store.table_rows() == rows and rows["keyframes"] > 0  # nothing written twice, keyframes included
    snaps = store.snapshots(241584)
    assert len(snaps) == 8 and snaps["fetched_at"].is_monotonic_increasing
    newest = read_petition_file(folder / "2019-04-01T1207.json")
    assert snaps["signature_count"].iloc[-1] == newest.signature_count
    last = store.counts(241584, [snaps["snapshot_id"].iloc[-1]])
    assert last["signature_count"].sum() == newest.constituency_total


def test_import_timeseries_is_idempotent(store, mirror):
    folder = mirror / "petitions" / "700143-timeseries"
    totals = pd.read_csv(folder / "totals.csv")
    rows = pd.read_csv(folder / "by-constituency.csv")
    assert store.import_timeseries(folder) == 13
    assert store.import_timeseries(folder) == 0
    snaps = store.snapshots(700143)
    assert snaps["constituency_total"].tolist() == totals["readme_total_signatures_sum_of_constituencies"].tolist()
    assert (snaps["source"] == "series").all()
    every = store.counts(700143, snaps["snapshot_id"].tolist())
    assert len(every) == 13 * 650 and every["signature_count"].sum() == rows["signature_count"].sum()
    assert store.petitions().set_index("id").loc[700143, "snapshots"] == 13


def test_every_snapshot_of_241584_matches_its_file(store, mirror):
    folder = mirror / "petitions" / "241584"
    store.import_folder(folder)
    snaps = store.snapshots(241584)
    ids = snaps["snapshot_id"].tolist()
    counts = store.counts(241584, ids)
    countries = store.country_counts(241584, ids)
    assert (snaps["source"] == "file").all()
    for path, row in zip(sorted(folder.glob("*.json")), snaps.itertuples()):
        p = read_petition_file(path)
        assert f"{row.fetched_at:%Y-%m-%dT%H%M}" == path.stem  # the file name is the snapshot time (UTC)
        assert row.signature_count == p.signature_count and row.updated_at == p.updated_at
        mine = counts[counts["snapshot_id"] == row.snapshot_id].set_index("ons_code")["signature_count"]
        assert mine[mine > 0].to_dict() == {c.ons_code: c.signature_count for c in p.constituencies
                                            if c.signature_count}
        assert row.constituency_total == p.constituency_total
        assert countries[countries["snapshot_id"] == row.snapshot_id]["signature_count"].sum() == \
            sum(c.signature_count for c in p.countries)


def test_only_changed_counts_are_rows_and_documents_only_when_text_changes(store, petition_files):
    p = read_petition_file(petition_files["603658"])
    doc = json.loads(json.dumps(p.raw))
    attrs = doc["data"]["attributes"]
    store.add(p, datetime(2024, 7, 1, 9, 0, tzinfo=UTC))
    first = store.table_rows()
    listed = len(attrs["signatures_by_constituency"]) + len(attrs["signatures_by_country"]) + \
        len(attrs["signatures_by_region"])
    assert first["counts"] == listed - sum(1 for key in ("signatures_by_constituency", "signatures_by_country",
                                                         "signatures_by_region")
                                           for e in attrs[key] if e["signature_count"] == 0)
    assert first["documents"] == 1
    # two signatures more, in one seat (and so one region and one country): three rows, no document
    attrs["signature_count"] += 2
    attrs["updated_at"] = "2024-07-01T09:05:00.000Z"
    attrs["signatures_by_constituency"][0]["signature_count"] += 2
    attrs["signatures_by_country"][0]["signature_count"] += 2
    attrs["signatures_by_region"][0]["signature_count"] += 2
    from petitions.model import parse_petition
    sid = store.add(parse_petition(doc), datetime(2024, 7, 1, 9, 5, tzinfo=UTC))
    second = store.table_rows()
    assert second["counts"] - first["counts"] == 3 and second["documents"] == 1
    assert store.snapshots(603658).set_index("snapshot_id").loc[sid, "changed"] == 1
    assert store.latest_document(603658)[0] == doc  # rebuilt exactly from the skeleton and the counts
    # a non-count field changes: the document is stored again
    attrs["action"] = "Turn Reading prison into an arts hub"
    attrs["updated_at"] = "2024-07-01T09:10:00.000Z"
    store.add(parse_petition(doc), datetime(2024, 7, 1, 9, 10, tzinfo=UTC))
    assert store.table_rows()["documents"] == 2 and store.table_rows()["counts"] == second["counts"]
    assert store.latest_document(603658)[0] == doc
    assert store.petitions().set_index("id").loc[603658, "action"] == "Turn Reading prison into an arts hub"


def test_every_mirror_document_is_rebuilt_exactly(store, petition_files):
    for name, path in petition_files.items():
        p = read_petition_file(path)
        store.add(p, datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=len(name)))
        assert store.latest_document(p.id)[0] == p.raw, name


def test_same_document_twice_is_one_snapshot(store, petition_files):
    p = read_petition_file(petition_files["239406"])
    assert store.add(p) is not None
    assert store.add(p) is None
    assert len(store.snapshots(239406)) == 1
    doc, _ = store.latest_document(239406)
    assert doc["data"]["id"] == 239406


def test_history_growth_and_latest_counts(store, mirror):
    store.import_folder(mirror / "petitions" / "241584")
    history = store.seat_counts(241584, "E14000530")
    assert history["signature_count"].tolist() == [1737, 1737, 4443, 4705, 5204, 6173, 7081, 7485]
    ids = history["snapshot_id"].tolist()
    grown = store.growth(241584, ids[0], ids[-1]).set_index("ons_code")
    assert grown.loc["E14000530"].tolist() == [1737, 7485, 7485 - 1737]
    assert store.latest_counts_for("E14000530").iloc[0]["signature_count"] == 7485
    assert store.seat_counts(241584, "X99999999")["signature_count"].eq(0).all()


def test_frozen_breakdown_is_a_stale_snapshot(store, mirror):
    store.import_folder(mirror / "petitions" / "241584")
    snaps = store.snapshots(241584)
    frozen = snaps[snaps["fetched_at"] == pd.Timestamp("2019-03-22 14:00", tz="UTC")]["snapshot_id"].tolist()
    assert store.stale_snapshots(241584) == frozen


def test_a_run_of_frozen_snapshots_is_stale_throughout(store):
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i, (total, here) in enumerate([(100, 50), (150, 50), (150, 50), (160, 80)]):
        store.add_snapshot(5, fetched_at=start + timedelta(minutes=i), updated_at=start + timedelta(minutes=i),
                           signature_count=total, constituencies=[("E14000530", here)])
    ids = store.snapshots(5)["snapshot_id"].tolist()
    assert store.stale_snapshots(5) == ids[1:3]


def test_counts_of_chosen_snapshots(store, mirror):
    store.import_folder(mirror / "petitions" / "241584")
    ids = store.snapshots(241584)["snapshot_id"].tolist()
    some = store.counts(241584, [ids[0], ids[-1]])
    assert set(some["snapshot_id"]) == {ids[0], ids[-1]} and len(some) == 2 * 650
    with pytest.raises(ValueError, match="at most 40"):
        store.counts(241584, range(1, 50))


def test_an_older_file_does_not_replace_the_newer_document(store, mirror):
    folder = mirror / "petitions" / "241584"
    newest = read_petition_file(folder / "2019-04-01T1207.json")
    store.add(newest, datetime(2019, 4, 1, 12, 7, tzinfo=UTC))
    store.import_folder(folder)  # older snapshots arrive afterwards
    doc, when = store.latest_document(241584)
    assert doc == newest.raw
    assert when == datetime(2019, 4, 1, 12, 7, tzinfo=UTC)
    assert store.petitions().set_index("id").loc[241584, "latest_total"] == newest.signature_count


def test_snapshots_in_any_order_give_the_same_answers(store_url, mirror, tmp_path):
    files = sorted((mirror / "petitions" / "241584").glob("*.json"))
    in_order = open_store(tmp_path / "ordered.sqlite")
    in_order.import_folder(mirror / "petitions" / "241584")
    shuffled = open_store(store_url)
    for path in random.Random(3).sample(files, len(files)):
        day, hm = path.stem.split("T")
        shuffled.add(read_petition_file(path), datetime.fromisoformat(f"{day}T{hm[:2]}:{hm[2:]}:00+00:00"),
                     source="file")
    assert_same(every_answer(in_order, 241584), every_answer(shuffled, 241584))
    assert shuffled.table_rows()["counts"] == in_order.table_rows()["counts"]  # still changes only
    last = shuffled.snapshots(241584)["snapshot_id"].iloc[-1]
    newest = shuffled.counts(241584, [last]).set_index("ons_code")["signature_count"]
    for code in newest.index[::50]:  # each seat's latest count is the newest snapshot's
        assert shuffled.latest_counts_for(code)["signature_count"].tolist() == [newest[code]]


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


def test_a_seat_that_empties_reads_zero(store):
    start = datetime(2025, 1, 1, tzinfo=UTC)
    store.add_snapshot(6, fetched_at=start, updated_at=start, signature_count=3,
                       constituencies=[("E14000530", 2), ("E14000531", 1)])
    store.add_snapshot(6, fetched_at=start + timedelta(hours=1), updated_at=start + timedelta(hours=1),
                       signature_count=2, constituencies=[("E14000530", 2)])  # one signature removed as invalid
    assert store.seat_counts(6, "E14000531")["signature_count"].tolist() == [1, 0]
    assert store.latest_counts_for("E14000531").set_index("petition_id").loc[6, "signature_count"] == 0


def test_every_query_is_equal_across_engines(postgres_server, tmp_path, mirror, petition_files):
    stores = [open_store(tmp_path / "a.sqlite"), open_store(postgres_server())]
    for store in stores:
        store.import_folder(mirror / "petitions" / "241584")
        store.import_timeseries(mirror / "petitions" / "700143-timeseries")
        for name in ("239406", "332711", "550951", "603658", "700143"):
            store.add(read_petition_file(petition_files[name]), datetime(2026, 1, 1, tzinfo=UTC))
        store.set_meta("backfill", "page 3")
    for pid in (241584, 700143, 239406, 332711, 603658):
        assert_same(every_answer(stores[0], pid), every_answer(stores[1], pid))
    for code in ("E14000530", "E14001063", "N06000001", "X"):
        pd.testing.assert_frame_equal(stores[0].latest_counts_for(code), stores[1].latest_counts_for(code),
                                      check_dtype=False)
    assert stores[0].table_rows() == stores[1].table_rows()
    assert stores[0].get_meta("backfill") == stores[1].get_meta("backfill") == "page 3"
    assert stores[1].get_meta("nothing") is None


def test_sigkill_during_writes_leaves_only_whole_sweeps(store_url):
    store = open_store(store_url)
    rng = random.Random(7)
    start = 0
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, store_url, str(start)], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()  # it has begun writing
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        start += 100000
    assert store.integrity() == "ok"
    nine, ten = store.snapshots(9), store.snapshots(10)
    assert len(nine) >= 4 and nine["signature_count"].tolist() == ten["signature_count"].tolist()
    ids = nine["snapshot_id"].tolist()
    sample = ids[:: max(1, len(ids) // 39)][:40]
    counts = store.counts(9, sample).groupby("snapshot_id")["signature_count"].agg(["sum", "size"])
    totals = nine.set_index("snapshot_id").loc[sample, "constituency_total"]
    assert (counts["size"] == 650).all() and counts["sum"].tolist() == totals.tolist()
    assert store.petitions().set_index("id").loc[9, "snapshots"] == len(nine)
    # the keyframes and packed changes were written with their snapshots, or not at all
    assert store.table_rows()["keyframes"] > 0
    pd.testing.assert_frame_equal(answered(store, 9, sample), direct(store, 9, sample), check_dtype=False)
    assert_keyframes_hold_their_snapshots(store, 9)


def test_concurrent_writers_and_a_reader(store_url, petition_files):
    open_store(store_url)
    docs = [read_petition_file(p) for name, p in petition_files.items() if name.startswith("241584@")]
    errors = []

    def write():
        try:
            mine = open_store(store_url)
            for p in docs:
                mine.add(p)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    def read():
        try:
            mine = open_store(store_url)
            for _ in range(30):
                snaps = mine.snapshots(241584)
                if len(snaps):
                    last = mine.counts(241584, snaps["snapshot_id"].tolist()[-1:])
                    assert last["signature_count"].sum() == snaps["constituency_total"].iloc[-1]
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write), threading.Thread(target=write), threading.Thread(target=read)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(open_store(store_url).snapshots(241584)) == 8
    assert open_store(store_url).integrity() == "ok"


def test_two_writer_processes_and_a_reader(store_url, mirror):
    open_store(store_url)
    script = ("import sys; from petitions.store import open_store; s = open_store(sys.argv[1]); "
              "print(s.import_folder(sys.argv[2]) + s.import_timeseries(sys.argv[3]))")
    args = [store_url, str(mirror / "petitions" / "241584"), str(mirror / "petitions" / "700143-timeseries")]
    procs = [subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    reader = open_store(store_url)
    reads = 0
    while any(p.poll() is None for p in procs):
        for pid in (241584, 700143):
            snaps = reader.snapshots(pid)
            if len(snaps):  # a reader never sees a snapshot without all its counts
                last = reader.counts(pid, snaps["snapshot_id"].tolist()[-1:])
                assert last["signature_count"].sum() == snaps["constituency_total"].iloc[-1]
        reads += 1
    outputs = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert sum(int(out) for out, _ in outputs) == 8 + 13  # each snapshot added by exactly one of them
    assert reads > 0
    assert len(reader.snapshots(241584)) == 8 and len(reader.snapshots(700143)) == 13
    assert reader.integrity() == "ok"


# --- the migration (SQLite: the only engine earlier versions wrote) ---------------------------------
def test_a_store_written_by_the_previous_release_is_migrated(tmp_path, mirror, petition_files):
    old = LegacyStore(tmp_path / "v2.sqlite")
    fresh = open_store(tmp_path / "fresh.sqlite")
    folder = mirror / "petitions" / "241584"
    for target in (old, fresh):
        for path in sorted(folder.glob("*.json")):
            day, hm = path.stem.split("T")
            target.add(read_petition_file(path), datetime.fromisoformat(f"{day}T{hm[:2]}:{hm[2:]}:00+00:00"),
                       source="file")
        for name in ("239406", "603658"):
            target.add(read_petition_file(petition_files[name]), datetime(2026, 1, 1, tzinfo=UTC))
    with sqlite3.connect(old.path) as db:
        old_ids = [r[0] for r in db.execute("SELECT id FROM snapshots WHERE petition_id = 241584 ORDER BY id")]
    migrated = open_store(old.path)
    assert migrated.snapshots(241584)["snapshot_id"].tolist() == old_ids  # ids survive: shared links keep working
    for pid in (241584, 239406, 603658):
        mine, theirs = every_answer(migrated, pid), every_answer(fresh, pid)
        mine.pop("petitions"), theirs.pop("petitions")
        assert_same(mine, theirs)
    pd.testing.assert_frame_equal(migrated.petitions(), fresh.petitions())
    assert migrated.latest_document(241584)[0] == read_petition_file(folder / "2019-04-01T1207.json").raw
    with sqlite3.connect(old.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "constituency_counts" not in tables and not any(t.startswith("old_") for t in tables)
    assert migrated.integrity() == "ok"
    assert open_store(old.path).add(read_petition_file(petition_files["239406"])) is None  # still idempotent


def test_a_store_of_the_first_schema_is_upgraded(tmp_path, petition_files):
    path = tmp_path / "v1.sqlite"
    with sqlite3.connect(path) as db:  # the schema as first released (user_version 0)
        db.executescript(V1_SCHEMA)
        db.execute("INSERT INTO petitions VALUES (1, 'Old', 'closed', NULL, NULL)")
        db.execute("INSERT INTO snapshots VALUES (4, 1, '2019-01-01T00:00:00+00:00', '', 20, 12)")
        db.executemany("INSERT INTO constituency_counts VALUES (4, ?, ?)", [("E14000530", 5), ("E14000531", 7)])
    store = open_store(path)
    assert store.snapshots(1)["source"].tolist() == ["api"]
    assert store.seat_counts(1, "E14000531")["signature_count"].tolist() == [7]
    p = read_petition_file(petition_files["239406"])
    assert store.add(p, datetime(2019, 8, 12, tzinfo=UTC)) is not None
    assert store.add(p) is None
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_history_looks_counts_up_by_key_not_by_scanning(tmp_path, petition_files, monkeypatch):
    """The plan of every query Store.history really runs, with its real parameters: index look-ups only."""
    from petitions import store as store_module

    store = open_store(tmp_path / "plan.sqlite")
    store.add(read_petition_file(petition_files["239406"]))
    ran = []
    rows = store_module._DB.rows

    def recording(db, sql, params=()):
        ran.append((sql, tuple(params)))
        return rows(db, sql, params)
    monkeypatch.setattr(store_module._DB, "rows", recording)
    assert store.seat_counts(239406, "E14000530")["signature_count"].tolist() == [22]
    assert len(ran) >= 2
    with sqlite3.connect(store.path) as db:
        for sql, params in ran:
            plan = " ".join(str(row[-1]) for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            assert "SCAN" not in plan and "SEARCH" in plan, (sql, plan)


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
