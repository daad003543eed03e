"""The store's seat-profile tables (petition facts, per-code sums), run once per engine, plus their migration."""

import random
import sqlite3
from datetime import UTC, datetime, timedelta

import pandas as pd

from petitions.model import parse_petition, read_petition_file
from petitions.store import open_store


def sums_by_scan(store, codes) -> dict[str, int]:
    """Each code's Σ latest counts, one seat at a time (the query the sums must agree with)."""
    out = {c: int(store.latest_counts_for(c)["signature_count"].sum()) for c in codes}
    return {c: n for c, n in out.items() if n}


def test_code_totals_follow_every_write(store_url):
    store = open_store(store_url)
    codes = [f"E14{n:06d}" for n in range(530, 540)]
    rng = random.Random(4)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    steps = [(pid, hour) for pid in (1, 2, 3) for hour in range(5)]
    rng.shuffle(steps)  # snapshots arrive out of order: earlier ones are inserted before later ones
    for pid, hour in steps:
        when = start + timedelta(hours=hour)
        seats = [(c, rng.randint(0, 50)) for c in rng.sample(codes, rng.randint(1, len(codes)))]  # some vanish
        store.add_snapshot(pid, fetched_at=when, updated_at=when, signature_count=999, constituencies=seats,
                           countries=[("FR", rng.randint(1, 9))])
        assert store.code_totals().to_dict() == sums_by_scan(store, codes), (pid, hour)
    assert "FR" not in store.code_totals()


def test_facts_are_kept_from_the_newest_document(store_url, mirror, petition_files):
    store = open_store(store_url)
    for name in ("239406", "603658", "700143"):
        store.add(read_petition_file(petition_files[name]), datetime(2026, 1, 1, tzinfo=UTC))
    folder = mirror / "petitions" / "241584"
    newest = read_petition_file(folder / "2019-04-01T1207.json")
    store.add(newest, datetime(2019, 4, 1, 12, 7, tzinfo=UTC))
    store.import_folder(folder)  # older files afterwards: the newest document's facts stay
    store.add_snapshot(5, fetched_at=datetime(2025, 1, 1, tzinfo=UTC), updated_at=None, signature_count=1,
                       constituencies=[("E14000530", 1)])  # counts only: no facts
    facts = store.petition_facts().set_index("petition_id")
    assert sorted(facts.index) == [239406, 241584, 603658, 700143]
    for pid, p in [(pid, parse_petition(store.latest_document(pid)[0])) for pid in facts.index]:
        assert facts.at[pid, "title"] == p.action
        assert facts.at[pid, "parliament"] == p.parliament_period
        assert facts.at[pid, "departments"] == tuple(d.name for d in p.departments)
        assert facts.at[pid, "topics"] == tuple(p.topics)
    assert facts.at[239406, "states"] == ("closed", "responded")
    assert facts.at[700143, "parliament"] == "2024–" and facts.at[239406, "parliament"] == "2017–2019"
    assert facts.at[241584, "title"] == newest.action and facts.at[241584, "states"][0] == newest.state
    listed = store.listing().set_index("petition_id")
    assert sorted(listed.index) == sorted(facts.index)
    assert listed.at[241584, "background"] == newest.background and listed.at[241584, "state"] == newest.state
    assert listed.at[241584, "signature_count"] == newest.signature_count  # the latest total
    assert pd.Timestamp(facts.at[241584, "updated_at"]) == pd.Timestamp(newest.updated_at)


def test_a_store_without_the_tables_gets_them_filled_on_opening(tmp_path, mirror, petition_files):
    from petitions.offline import seed_store

    fresh, old = open_store(tmp_path / "fresh.sqlite"), open_store(tmp_path / "old.sqlite")
    for store in (fresh, old):
        seed_store(store, mirror)
    old.close()
    with sqlite3.connect(old.path) as db:  # as a schema-3 store written before these tables existed
        db.execute("DROP TABLE petition_facts")
        db.execute("DROP TABLE code_sums")
        db.execute("DELETE FROM meta")
    reopened = open_store(old.path)
    pd.testing.assert_frame_equal(reopened.petition_facts(), fresh.petition_facts())
    assert len(fresh.petition_facts()) == 6  # every mirror petition
    pd.testing.assert_series_equal(reopened.code_totals().sort_index(), fresh.code_totals().sort_index())
    assert reopened.code_totals().sum() == sum(
        int(reopened.latest_counts_for(c)["signature_count"].sum()) for c in fresh.code_totals().index)
    assert reopened.integrity() == "ok"


def test_seat_tables_are_equal_across_engines(postgres_server, tmp_path, mirror):
    from petitions.offline import seed_store

    stores = [open_store(tmp_path / "a.sqlite"), open_store(postgres_server())]
    for store in stores:
        seed_store(store, mirror)
    pd.testing.assert_frame_equal(stores[0].petition_facts(), stores[1].petition_facts())
    pd.testing.assert_frame_equal(stores[0].listing(), stores[1].listing())
    pd.testing.assert_series_equal(stores[0].code_totals().sort_index(), stores[1].code_totals().sort_index())


def test_latest_counts_of_chosen_petitions(store_url, mirror, petition_files):
    store = open_store(store_url)
    for name in ("239406", "603658", "700143"):
        store.add(read_petition_file(petition_files[name]), datetime(2026, 1, 1, tzinfo=UTC))
    got = store.latest_counts_of([603658, 239406, 1])
    for pid in (603658, 239406):
        expected = {c.ons_code: c.signature_count for c in read_petition_file(petition_files[str(pid)]).constituencies
                    if c.signature_count}
        assert got[got["petition_id"] == pid].set_index("ons_code")["signature_count"].to_dict() == expected
    assert set(got["petition_id"]) == {603658, 239406}
    two = store.latest_counts_of([239406, 603658], ["E14000889", "E14000602", "X"])
    assert set(two["ons_code"]) == {"E14000889", "E14000602"} and len(two) == 4
    assert store.latest_counts_of([]).empty


def test_the_listing_is_the_documents_and_parses_none(store_url, mirror, monkeypatch):
    from petitions import model, offline
    from petitions import store as store_module
    from petitions.offline import listing_facts, seed_store

    store = open_store(store_url)
    seed_store(store, mirror)
    expected = listing_facts([parse_petition(store.latest_document(pid)[0]) for pid in store.petitions()["id"]])
    expected["signature_count"] = expected["petition_id"].map(store.petitions().set_index("id")["latest_total"])

    def parse(*args, **kwargs):
        raise AssertionError("a stored document was parsed")
    for module in (model, store_module, offline):
        monkeypatch.setattr(module, "parse_petition", parse)
    listed = store.listing()
    pd.testing.assert_frame_equal(listed, expected.sort_values("petition_id").reset_index(drop=True))
    assert set(listed["petition_id"]) == {239406, 241584, 332711, 550951, 603658, 700143}


def test_a_store_without_the_listing_facts_gets_them_on_opening(store_url, mirror):
    from petitions.offline import seed_store

    store = open_store(store_url)
    seed_store(store, mirror)
    listed, facts = store.listing(), store.petition_facts()
    with store._write() as db:  # petition_facts as today's main branch writes it
        for column in ("background", "lists", "archived"):
            db.run(f"ALTER TABLE petition_facts DROP COLUMN {column}")
        db.run("DELETE FROM meta WHERE key = 'listing_facts'")
    store.close()
    for _ in range(2):  # filled once; opening again changes nothing
        reopened = open_store(store_url)
        pd.testing.assert_frame_equal(reopened.listing(), listed)
        pd.testing.assert_frame_equal(reopened.petition_facts(), facts)
        reopened.close()
