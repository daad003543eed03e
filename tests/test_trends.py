import pytest

from geo.trends import MAX_FRAMES, _thin, build_trend, frame_ids
from petitions.store import open_store


@pytest.fixture(scope="module")
def revoke(tmp_path_factory, mirror):
    store = open_store(tmp_path_factory.mktemp("trend") / "s.sqlite")
    store.import_folder(mirror / "petitions" / "241584")
    snaps, frozen = store.snapshots(241584), store.stale_snapshots(241584)
    trend = build_trend(snaps, store.counts(241584, frame_ids(snaps, frozen)), frozen)
    return trend, store


def test_trend_detects_set_and_frozen_snapshot(revoke):
    revoke, _ = revoke
    assert revoke.set_name == "pcon2010" and len(revoke.frozen) == 1
    assert len(revoke.rates) == 7


def test_frames_leave_out_frozen_snapshots(revoke):
    revoke, _ = revoke
    frames = revoke.frames("signatures")
    assert len(frames) == 7 and all(len(t) == 650 for _, t in frames)
    growth = revoke.frames("growth_per_1000")
    assert len(growth) == 6 and (growth[0][1]["growth_per_1000"] > 0).any()


def test_spread_between_snapshots(revoke):
    revoke, store = revoke
    ids = revoke.snapshots["snapshot_id"].tolist()
    spread = revoke.spread(store.growth(241584, ids[0], ids[-1]))
    assert len(spread) == 650 and spread["growth_per_1000"].is_monotonic_decreasing
    assert spread["growth"].sum() == revoke.counts[revoke.counts["snapshot_id"] == ids[-1]]["signature_count"].sum() \
        - revoke.counts[revoke.counts["snapshot_id"] == ids[0]]["signature_count"].sum()
    table = revoke.as_table(spread)
    top = spread.iloc[0]
    assert table.set_index("ons_code").loc[top["ons_code"], "per_1000"] == pytest.approx(top["growth_per_1000"])


@pytest.mark.parametrize("n", [1, 5, MAX_FRAMES, MAX_FRAMES + 1, 500])
def test_thinning_keeps_first_and_last(n):
    ids = list(range(n))
    kept = _thin(ids)
    assert kept[0] == 0 and kept[-1] == n - 1 and len(kept) == min(n, MAX_FRAMES)
