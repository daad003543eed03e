"""The store's keyframes and packed changes (derived from the changed count rows), run once per engine: every
answer equals the one read straight from the count rows, and a store written before them gets them on opening."""

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from petitions import store as store_module
from petitions.store import COUNTRY, MAX_FRAMES, open_store

SEATS = [f"E14{n:06d}" for n in range(530, 560)]
STILL = "E14000600"  # listed by every snapshot with the same count: it never changes after the first
LATE = "E14000601"  # listed from the 20th snapshot on
EMPTIED = SEATS[0]  # every signature there removed (as invalid) at the 25th


@pytest.fixture(autouse=True)
def small_keyframes(monkeypatch):
    """A keyframe once 40 changed rows follow the last: the first snapshot (33 rows) is not one, every ~7th is."""
    monkeypatch.setattr(store_module, "KEYFRAME_ROWS", 40)


def write(store, pid: int, snapshots: int, seed: int = 1, order: list[int] | None = None) -> None:
    """`snapshots` 5-minute polls of one petition, a few seats moving in each (in `order` when given)."""
    rng = random.Random(seed)
    counts = {c: rng.randint(0, 50) for c in SEATS}
    polls = []
    for i in range(snapshots):
        for code in rng.sample(SEATS, 4):
            counts[code] = max(0, counts[code] + rng.randint(-2, 9))
        if i == 25:
            counts[EMPTIED] = 0
        seats = [*counts.items(), (STILL, 7)] + ([(LATE, i)] if i >= 20 else [])
        total = sum(n for _, n in seats)
        polls.append(dict(fetched_at=datetime(2025, 3, 1, tzinfo=UTC) + timedelta(minutes=5 * i),
                          signature_count=total + 3, constituencies=seats, countries=[("GB", total), ("FR", i % 3)]))
    for i in order if order is not None else range(snapshots):
        poll = polls[i]
        store.add_snapshot(pid, updated_at=poll["fetched_at"], action="Synthetic", state="open", **poll)


def direct(store, pid: int, snapshot_ids, kind: int = 0) -> pd.DataFrame:
    """Counts at snapshots read straight from the count rows: each code's newest row at or before the snapshot,
    zero when it has none; snapshot_id, code, signature_count, oldest snapshot first, in code order."""
    times = dict(store._rows("SELECT id, t FROM snapshots WHERE petition_id = ?", (pid,)))
    rows = pd.DataFrame(store._rows("""SELECT k.code, c.t, c.signature_count FROM counts c
                                       JOIN codes k ON k.id = c.code_id WHERE c.petition_id = ? AND k.kind = ?""",
                                    (pid, kind)), columns=["code", "t", "signature_count"]).sort_values("t")
    codes = sorted(r[0] for r in store._rows("""SELECT k.code FROM petition_codes pc JOIN codes k ON k.id = pc.code_id
                                               WHERE pc.petition_id = ? AND k.kind = ?""", (pid, kind)))
    out = []
    for sid in sorted(snapshot_ids, key=times.get):
        newest = rows[rows["t"] <= times[sid]].drop_duplicates("code", keep="last").set_index("code")
        out += [(sid, code, int(newest["signature_count"].get(code, 0))) for code in codes]
    return pd.DataFrame(out, columns=["snapshot_id", "code", "signature_count"])


def answered(store, pid: int, snapshot_ids, kind: int = 0) -> pd.DataFrame:
    ask = store.counts if kind == 0 else store.country_counts
    frames = [ask(pid, snapshot_ids[i:i + MAX_FRAMES]) for i in range(0, len(snapshot_ids), MAX_FRAMES)]
    frame = pd.concat(frames, ignore_index=True).rename(columns={"ons_code": "code"})
    return frame[["snapshot_id", "code", "signature_count"]]


def keyframe_positions(store, pid: int) -> list[int]:
    """Where the petition's keyframes are, as positions in its snapshots (oldest 0)."""
    times = [r[0] for r in store._rows("SELECT t FROM snapshots WHERE petition_id = ? ORDER BY t", (pid,))]
    return [times.index(r[0]) for r in store._rows("SELECT t FROM keyframes WHERE petition_id = ? ORDER BY t", (pid,))]


def assert_keyframes_hold_their_snapshots(store, pid: int) -> None:
    """Each keyframe is every count of its snapshot, as the count rows say."""
    rows = pd.DataFrame(store._rows("SELECT code_id, t, signature_count FROM counts WHERE petition_id = ?", (pid,)),
                        columns=["code_id", "t", "signature_count"]).sort_values("t")
    for t, body in store._rows("SELECT t, body FROM keyframes WHERE petition_id = ?", (pid,)):
        vector = store_module._unpack_vector(body)
        newest = rows[rows["t"] <= t].drop_duplicates("code_id", keep="last")
        assert {k: int(vector[k]) for k in np.flatnonzero(vector)} == \
            {k: n for k, n in zip(newest["code_id"], newest["signature_count"]) if n}, t


def test_counts_at_every_snapshot_equal_the_count_rows(store_url):
    store = open_store(store_url)
    write(store, 1, 60)
    ids = store.snapshots(1)["snapshot_id"].tolist()
    at = keyframe_positions(store, 1)
    # keyframes there, a snapshot before the first, between two, exactly on one and after the last
    assert len(at) >= 5 and at[0] > 0 and at[-1] < len(ids) - 1 and any(b - a > 1 for a, b in zip(at, at[1:]))
    for kind in (0, COUNTRY):
        pd.testing.assert_frame_equal(answered(store, 1, ids, kind), direct(store, 1, ids, kind), check_dtype=False)
    still = store.counts(1, ids[:MAX_FRAMES])
    assert still[still["ons_code"] == STILL]["signature_count"].eq(7).all()
    emptied = store.counts(1, ids[24:26]).set_index(["snapshot_id", "ons_code"])["signature_count"]
    assert emptied.loc[ids[24], EMPTIED] > 0 and emptied.loc[ids[25], EMPTIED] == 0
    assert store.seat_counts(1, LATE)["signature_count"].tolist() == [0] * 20 + list(range(20, 60))
    for a, b in [(0, at[0]), (at[0], at[1]), (at[1] + 1, at[-1] + 2), (3, 59)]:  # growth: any two snapshots
        both = direct(store, 1, [ids[a], ids[b]]).pivot(index="code", columns="snapshot_id", values="signature_count")
        grown = store.growth(1, ids[a], ids[b]).set_index("ons_code")
        assert grown["count_from"].to_dict() == both[ids[a]].to_dict()
        assert grown["count_to"].to_dict() == both[ids[b]].to_dict()
    assert_keyframes_hold_their_snapshots(store, 1)


def test_a_petition_with_fewer_snapshots_than_a_keyframe_needs(store_url):
    store = open_store(store_url)
    write(store, 2, 2)
    ids = store.snapshots(2)["snapshot_id"].tolist()
    assert keyframe_positions(store, 2) == []
    pd.testing.assert_frame_equal(answered(store, 2, ids), direct(store, 2, ids), check_dtype=False)


def test_snapshots_written_out_of_order_keep_keyframes_and_changes_true(store_url, tmp_path):
    shuffled = open_store(store_url)
    order = random.Random(8).sample(range(50), 50)
    write(shuffled, 3, 50, order=order)  # earlier snapshots inserted between later ones rewrite their changes
    in_order = open_store(tmp_path / "ordered.sqlite")
    write(in_order, 3, 50)
    ids = shuffled.snapshots(3)["snapshot_id"].tolist()
    for kind in (0, COUNTRY):
        pd.testing.assert_frame_equal(answered(shuffled, 3, ids, kind), direct(shuffled, 3, ids, kind),
                                      check_dtype=False)
    pd.testing.assert_frame_equal(answered(shuffled, 3, ids).drop(columns="snapshot_id"),
                                  answered(in_order, 3, in_order.snapshots(3)["snapshot_id"].tolist())
                                  .drop(columns="snapshot_id"), check_dtype=False)
    assert_keyframes_hold_their_snapshots(shuffled, 3)
    packed = {t: dict(zip(*(a.tolist() for a in store_module._unpack_changes(body))))
              for t, body in shuffled._rows("SELECT t, body FROM deltas WHERE petition_id = 3", ())}
    rows: dict[int, dict[int, int]] = {}
    for code_id, t, n in shuffled._rows("SELECT code_id, t, signature_count FROM counts WHERE petition_id = 3", ()):
        rows.setdefault(t, {})[code_id] = n
    assert packed == rows  # the packed changes are the count rows, snapshot by snapshot


def test_keyframes_are_equal_across_engines(postgres_server, tmp_path):
    stores = [open_store(tmp_path / "a.sqlite"), open_store(postgres_server())]
    for store in stores:
        write(store, 1, 60)
        write(store, 2, 2, seed=2)
    for pid in (1, 2):
        ids = [store.snapshots(pid)["snapshot_id"].tolist() for store in stores]
        assert keyframe_positions(stores[0], pid) == keyframe_positions(stores[1], pid)
        for kind in (0, COUNTRY):
            pd.testing.assert_frame_equal(answered(stores[0], pid, ids[0], kind).drop(columns="snapshot_id"),
                                          answered(stores[1], pid, ids[1], kind).drop(columns="snapshot_id"),
                                          check_dtype=False)


def test_a_store_written_before_keyframes_gets_them_on_opening(store_url, mirror):
    store = open_store(store_url)
    write(store, 1, 60)
    store.import_folder(mirror / "petitions" / "241584")
    tables = {name: store._rows(f"SELECT petition_id, t, body FROM {name} ORDER BY petition_id, t", ())
              for name in ("deltas", "keyframes")}
    answers = {pid: store.counts(pid, store.snapshots(pid)["snapshot_id"].tolist()[-MAX_FRAMES:])
               for pid in (1, 241584)}
    with store._write() as db:  # as today's main branch leaves a store: no keyframes, no packed changes
        db.run("DROP TABLE deltas")
        db.run("DROP TABLE keyframes")
        db.run("DELETE FROM meta WHERE key = 'keyframes'")
    store.close()
    for _ in range(2):  # built once; opening again changes nothing
        reopened = open_store(store_url)
        assert {name: reopened._rows(f"SELECT petition_id, t, body FROM {name} ORDER BY petition_id, t", ())
                for name in tables} == tables
        for pid, frame in answers.items():
            pd.testing.assert_frame_equal(reopened.counts(pid, frame["snapshot_id"].unique().tolist()), frame)
        reopened.close()
    reopened = open_store(store_url)
    reopened.rebuild_keyframes()
    rebuilt = reopened._rows("SELECT petition_id, t, body FROM keyframes ORDER BY petition_id, t", ())
    assert rebuilt == tables["keyframes"]
    assert reopened.integrity() == "ok"
