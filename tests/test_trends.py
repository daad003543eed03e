import pytest

from geo.analysis.history import MAX_FRAMES, _thin, build_trend, frame_ids, stale_snapshots
from petitions.store import open_store


@pytest.fixture(scope="module")
def revoke_store(tmp_path_factory, mirror):
    store = open_store(tmp_path_factory.mktemp("trend") / "s.sqlite")
    store.import_folder(mirror / "petitions" / "241584")
    return store


@pytest.fixture(scope="module")
def revoke(revoke_store):
    snaps = revoke_store.snapshots(241584)
    stale = stale_snapshots(snaps, revoke_store.stale_snapshots(241584))
    return build_trend(snaps, revoke_store.counts(241584, frame_ids(snaps, stale)), stale)


def stamp(trend, sid):
    return f"{trend.snapshots.set_index('snapshot_id').loc[sid, 'fetched_at']:%d %b %H:%M}"


def test_trend_detects_set_and_stale_snapshots(revoke, revoke_store):
    store = revoke_store
    assert revoke.set_name == "pcon2010" and set(revoke.stale) == set(revoke.frozen)
    assert [stamp(revoke, i) for i in revoke.stale] == ["21 Mar 23:10", "22 Mar 14:00"]
    assert set(store.stale_snapshots(241584)) < set(revoke.stale)  # the store finds the frozen one
    assert len(revoke.rates) == 7


def test_frames_leave_out_stale_snapshots(revoke):
    frames = revoke.frames("signatures")
    assert len(frames) == 6 and all(len(t) == 650 for _, t in frames)
    growth = revoke.frames("growth_per_1000")
    assert len(growth) == 5 and (growth[0][1]["growth_per_1000"] > 0).any()


def test_growth_never_exceeds_the_total_without_a_warning(revoke, revoke_store):
    s = revoke.snapshots.set_index("snapshot_id")
    ids = s.index.tolist()
    for a, b in [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]:
        grown = revoke.spread(revoke_store.growth(241584, a, b))["growth"].sum()
        over = grown > s.loc[b, "signature_count"] - s.loc[a, "signature_count"]
        assert (revoke.growth_warning(a, b) is not None) == over
    usable = [i for i in ids if i not in revoke.stale]
    assert revoke.growth_warning(usable[0], usable[-1]) is None  # the page's default: from 22 Mar 18:31
    assert "grew by 2,073,757 but the total by only 1,564,787" in revoke.growth_warning(ids[0], ids[2])
    warning = revoke.growth_warning(ids[0], ids[-1])
    assert "grew by 4,436,235 but the total by only 4,029,624" in warning


def test_charts_name_what_they_count_and_tick_in_minutes(revoke):
    from geo.render.charts import rate_chart, total_chart

    fig = total_chart(revoke.snapshots, {10_000: "10,000", 100_000: "100,000"})
    assert [t.name for t in fig.data] == ["Total (petition.parliament.uk, abroad included)",
                                          "Sum of UK constituencies (abroad excluded)"]
    rates = rate_chart(revoke.rates.head(1))
    assert rates.layout.xaxis.type == "category" and list(rates.data[0].x) == ["22 Mar 14:00"]


def test_spread_between_snapshots(revoke, revoke_store):
    store = revoke_store
    ids = revoke.snapshots["snapshot_id"].tolist()
    spread = revoke.spread(store.growth(241584, ids[0], ids[-1]))
    assert len(spread) == 650 and spread["growth_per_1000"].is_monotonic_decreasing
    totals = revoke.snapshots.set_index("snapshot_id")["constituency_total"]
    assert spread["growth"].sum() == totals[ids[-1]] - totals[ids[0]]
    table = revoke.as_table(spread)
    top = spread.iloc[0]
    assert table.set_index("ons_code").loc[top["ons_code"], "per_1000"] == pytest.approx(top["growth_per_1000"])


@pytest.mark.parametrize("n", [1, 5, MAX_FRAMES, MAX_FRAMES + 1, 500])
def test_thinning_keeps_first_and_last(n):
    ids = list(range(n))
    kept = _thin(ids)
    assert kept[0] == 0 and kept[-1] == n - 1 and len(kept) == min(n, MAX_FRAMES)
