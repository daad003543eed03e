import pandas as pd
import pytest

from geo.analysis.history import frozen_snapshots, growth, rate_per_hour
from petitions.store import open_store


def snaps(rows):
    return pd.DataFrame(rows, columns=["snapshot_id", "fetched_at", "signature_count"]).assign(
        fetched_at=lambda f: pd.to_datetime(f["fetched_at"], utc=True))


def counts(rows):
    return pd.DataFrame(rows, columns=["snapshot_id", "ons_code", "signature_count"])


@pytest.mark.parametrize("rows, expected", [
    ([(1, "2025-01-01T00:00", 0), (2, "2025-01-01T02:00", 100)], [50.0]),
    ([(1, "2025-01-01T00:00", 10), (2, "2025-01-01T00:30", 40), (3, "2025-01-01T01:30", 40)], [60.0, 0.0]),
    ([(1, "2025-01-01T00:00", 10)], []),
])
def test_rate_per_hour(rows, expected):
    assert rate_per_hour(snaps(rows))["per_hour"].tolist() == pytest.approx(expected)


def test_frozen_needs_same_breakdown_and_changed_total():
    s = snaps([(1, "2025-01-01T00:00", 10), (2, "2025-01-01T01:00", 20), (3, "2025-01-01T02:00", 20),
               (4, "2025-01-01T03:00", 30)])
    c = counts([(1, "A", 5), (1, "B", 5), (2, "A", 5), (2, "B", 5), (3, "A", 5), (3, "B", 5),
                (4, "A", 9), (4, "B", 6)])
    # 3 still shows snapshot 1's breakdown while the total has risen since: still frozen.
    assert frozen_snapshots(s, c) == [2, 3]


def test_nothing_changed_is_not_frozen():
    s = snaps([(1, "2025-01-01T00:00", 10), (2, "2025-01-01T01:00", 10)])
    c = counts([(1, "A", 5), (1, "B", 5), (2, "A", 5), (2, "B", 5)])
    assert frozen_snapshots(s, c) == []


def test_the_real_frozen_breakdown_of_march_2019(tmp_path, mirror):
    store = open_store(tmp_path / "s.sqlite")
    store.import_folder(mirror / "petitions" / "241584")
    s = store.snapshots(241584)
    frozen = frozen_snapshots(s, store.counts(241584, s["snapshot_id"].tolist()))
    assert frozen == store.stale_snapshots(241584)  # the store's own answer agrees
    assert [s.set_index("snapshot_id").loc[i, "fetched_at"].strftime("%d %H:%M") for i in frozen] == ["22 14:00"]


@pytest.mark.parametrize("rows, start, end, expected", [
    # a constituency absent from a snapshot counts as zero there
    ([(1, "A", 5), (1, "B", 7), (2, "A", 9), (2, "B", 7), (2, "C", 3)], 1, 2,
     {"A": (5, 9, 4), "B": (7, 7, 0), "C": (0, 3, 3)}),
    # signatures removed by the site: growth is negative, not hidden
    ([(1, "A", 10), (2, "A", 8)], 1, 2, {"A": (10, 8, -2)}),
    # backwards in time is allowed and mirrors the forward growth
    ([(1, "A", 5), (2, "A", 9)], 2, 1, {"A": (9, 5, -4)}),
    # the same snapshot twice: no growth anywhere
    ([(1, "A", 5), (1, "B", 6)], 1, 1, {"A": (5, 5, 0), "B": (6, 6, 0)}),
])
def test_growth(rows, start, end, expected):
    g = growth(counts(rows), start, end)
    assert g.columns.tolist() == ["ons_code", "count_from", "count_to", "growth"]
    assert {r.ons_code: (r.count_from, r.count_to, r.growth) for r in g.itertuples()} == expected


def test_rate_per_hour_columns_and_falls():
    out = rate_per_hour(snaps([(1, "2025-01-01T00:00", 100), (2, "2025-01-01T00:15", 90),
                               (3, "2025-01-01T00:15", 95)]))
    # the second pair has no time between it: no rate; the fall shows as negative
    assert out.columns.tolist() == ["fetched_at", "per_hour", "gained", "hours"]
    assert out["per_hour"].tolist() == [-40.0] and out["gained"].tolist() == [-10]


def test_rate_per_hour_of_the_real_surge(tmp_path, mirror):
    store = open_store(tmp_path / "s.sqlite")
    store.import_folder(mirror / "petitions" / "241584")
    rates = rate_per_hour(store.snapshots(241584))
    assert len(rates) == 7 and (rates["per_hour"] > 0).all()
    # 21 Mar 23:10 -> 22 Mar 14:00, about a million signatures in under 15 hours
    assert 60_000 < rates["per_hour"].iloc[0] < 80_000


def test_stale_breakdowns_of_the_real_march_2019_series(tmp_path, mirror):
    from geo.analysis.history import stale_snapshots

    store = open_store(tmp_path / "s.sqlite")
    store.import_folder(mirror / "petitions" / "241584")
    s = store.snapshots(241584)
    stale = stale_snapshots(s, store.stale_snapshots(241584))
    at = s.set_index("snapshot_id")["fetched_at"]
    assert {f"{at[i]:%d %H:%M}": why for i, why in stale.items()} == {
        "21 23:10": "its constituency counts sum to 62% of the total, against 94% in the rest of the series",
        "22 14:00": "its constituency counts sum to 39% of the total, against 94% in the rest of the series; "
                    "its constituency counts are those of an earlier snapshot although the total rose"}


@pytest.mark.parametrize("totals, sums, expected", [
    ([1000, 2000, 3000], [900, 1800, 2700], []),  # a steady share
    ([1000, 2000, 3000], [500, 1800, 2700], [1]),  # far below the others
    ([1000, 2000], [600, 1900], [1]),  # two snapshots: each judged against the other
    ([1000, 2000, 3000], [800, 1800, 2700], []),  # 80% against 90%: within the tolerance
    ([1000, 0, 3000], [900, 0, 2700], []),  # no total: no share to judge
    ([10, 2000, 3000], [2, 1800, 2700], []),  # 10 signatures, 8 from abroad: too few to judge
])
def test_stale_share_table(totals, sums, expected):
    from geo.analysis.history import stale_snapshots

    s = snaps([(i + 1, f"2025-01-01T0{i}:00", t) for i, t in enumerate(totals)]).assign(constituency_total=sums)
    assert list(stale_snapshots(s)) == expected


@pytest.mark.parametrize("start_sums, end_sums, warned", [((10, 100), (60, 200), False), ((10, 100), (120, 200), True)])
def test_growth_warning_when_constituencies_outgrow_the_total(start_sums, end_sums, warned):
    from geo.analysis.history import growth_warning

    s = snaps([(1, "2025-01-01T00:00", start_sums[1]), (2, "2025-01-01T01:00", end_sums[1])]).assign(
        constituency_total=[start_sums[0], end_sums[0]])
    assert (growth_warning(s, 1, 2) is not None) == warned


@pytest.mark.parametrize("values", [[], [0.5], [0.5, 0.9], [0.9, 0.1, 0.5], [0.8, 0.8, 0.2, 0.8],
                                    [0.3, 0.1, 0.4, 0.1, 0.5, 0.9, 0.2]])
def test_median_of_the_others_matches_the_direct_answer(values):
    import numpy as np

    from geo.analysis.history import _median_of_others

    v = np.array(values, dtype="float64")
    direct = [float(pd.Series(np.delete(v, i)).median()) if len(v) > 1 else float("nan") for i in range(len(v))]
    assert np.allclose(_median_of_others(v), direct, equal_nan=True)
