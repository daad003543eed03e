import pandas as pd
import pytest

from petitions.history import frozen_snapshots, growth, rate_per_hour
from petitions.store import Store


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
    store = Store(tmp_path / "s.sqlite")
    store.import_folder(mirror / "petitions" / "241584")
    s = store.snapshots(241584)
    frozen = frozen_snapshots(s, store.counts(241584))
    assert [s.set_index("snapshot_id").loc[i, "fetched_at"].strftime("%d %H:%M") for i in frozen] == ["22 14:00"]


def test_growth():
    c = counts([(1, "A", 5), (1, "B", 7), (2, "A", 9), (2, "B", 7), (2, "C", 3)])
    g = growth(c, 1, 2).set_index("ons_code")
    assert g.loc["A"].tolist() == [5, 9, 4]
    assert g.loc["B", "growth"] == 0 and g.loc["C"].tolist() == [0, 3, 3]
