from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from petitions.model import read_petition_file
from petitions.projection import (
    duration_text,
    outlook,
    rate_over,
    recent_rates,
    slowing,
    weighted_quantile,
)
from petitions.store import Store

T0 = datetime(2024, 11, 24, 12, 0, tzinfo=UTC)


def series(counts, step=timedelta(hours=1), start=T0):
    return pd.DataFrame({"fetched_at": [start + i * step for i in range(len(counts))], "signature_count": counts})


@pytest.fixture(scope="module")
def p700143(mirror):
    return read_petition_file(mirror / "petitions" / "700143.json")


@pytest.fixture(scope="module")
def series700143(mirror):
    totals = pd.read_csv(mirror / "petitions" / "700143-timeseries" / "totals.csv")
    return pd.DataFrame({"fetched_at": pd.to_datetime(totals["snapshot_utc"], utc=True),
                         "signature_count": totals.iloc[:, -1]})


@pytest.fixture(scope="module")
def stored241584(mirror, tmp_path_factory):
    """Revoke Article 50's eight snapshots as the store holds them, and its newest document."""
    store = Store(tmp_path_factory.mktemp("store") / "history.sqlite")
    assert store.import_folder(mirror / "petitions" / "241584") == 8
    newest = sorted((mirror / "petitions" / "241584").glob("*.json"))[-1]
    return store.snapshots(241584), read_petition_file(newest)


def crossing(snaps: pd.DataFrame, level: int) -> datetime:
    """When a real series passed `level`, interpolated between the snapshots either side."""
    s = snaps.sort_values("fetched_at").reset_index(drop=True)
    i = int((s["signature_count"] >= level).idxmax())
    a, b = s.iloc[i - 1], s.iloc[i]
    share = (level - a.signature_count) / (b.signature_count - a.signature_count)
    return (a.fetched_at + (b.fetched_at - a.fetched_at) * share).to_pydatetime()


@pytest.mark.parametrize("counts, step, window, expected", [
    ([0, 100, 200], timedelta(hours=1), timedelta(hours=1), 100.0),
    ([0, 100, 400], timedelta(minutes=30), timedelta(hours=1), 400.0),  # two half-hours: 400 in one hour
    ([0, 100, 300], timedelta(minutes=54), timedelta(hours=1), 200 / 0.9),  # 54 min counts as the last hour
    ([0, 100], timedelta(minutes=20), timedelta(hours=1), None),  # history shorter than an hour
    ([0, 2400], timedelta(days=1), timedelta(hours=1), None),  # snapshots a day apart say nothing of an hour
    ([0, 2400, 4800], timedelta(days=1), timedelta(days=1), 100.0),
    ([500, 400], timedelta(hours=1), timedelta(hours=1), -100.0),  # the site removed signatures
])
def test_rate_over_a_window(counts, step, window, expected):
    rate = rate_over(series(counts, step), window)
    assert (rate is None) if expected is None else rate.per_hour == pytest.approx(expected)


@pytest.mark.parametrize("values, weights, q, expected", [
    ([1, 2, 3], [1, 1, 1], 0.5, 2.0),
    ([1, 3], [1, 1], 0.5, 2.0),
    ([1, 3], [3, 1], 0.5, 1.0 + 2 * (0.5 - 0.375) / 0.5),  # the long interval weighs more
    ([5, 5, 5], [1, 2, 3], 0.9, 5.0),
    ([1, 2, 3], [1, 1, 1], 0.0, 1.0),
])
def test_weighted_quantile(values, weights, q, expected):
    import numpy as np

    assert weighted_quantile(np.array(values, float), np.array(weights, float), q) == pytest.approx(expected)


@pytest.mark.parametrize("span, text", [
    (timedelta(days=26, hours=3, minutes=1), "26 days 3 hours"),
    (timedelta(days=1), "1 day"),
    (timedelta(days=2, minutes=5), "2 days"),
    (timedelta(hours=5, minutes=20), "5 hours 20 minutes"),
    (timedelta(minutes=1), "1 minute"),
    (timedelta(seconds=30), "under a minute"),
])
def test_duration_text(span, text):
    assert duration_text(span) == text


def open_petition(p, count):
    return replace(p, signature_count=count, state="open", closed_at=None, response_threshold_reached_at=None,
                   debate_threshold_reached_at=None)


@pytest.mark.parametrize("counts", [[5000] * 30, [5000, 5000], [5000, 4990, 4980, 4970]])
def test_a_flat_or_falling_series_never_projects(p700143, counts):
    p = open_petition(p700143, counts[-1])
    for projection in outlook(p, series(counts)).projections:
        assert projection.status == "not_growing"
        assert projection.eta is projection.earliest is projection.latest is None


def test_the_real_series_levelling_off_never_projects(p700143, series700143):
    """700143's last two records: 3,025,922 then 3,025,920 (it closed)."""
    p = open_petition(p700143, 3_025_920)
    (projection,) = outlook(p, series700143.tail(2), thresholds=(4_000_000,)).projections
    assert projection.status == "not_growing"


def noisy(amplitude):
    """A steady 100 an hour with the hourly gains alternating ± amplitude (the same total)."""
    gains = [100 + (amplitude if i % 2 else -amplitude) for i in range(24)]
    counts = [1000]
    for g in gains:
        counts.append(counts[-1] + g)
    return series(counts)


def test_the_range_widens_with_noise(p700143):
    p = open_petition(p700143, 3400)
    widths = []
    for amplitude in (0, 10, 40, 80):
        (projection,) = outlook(p, noisy(amplitude), thresholds=(10_000,)).projections
        assert projection.status == "projected"
        assert projection.earliest <= projection.eta <= projection.latest
        widths.append(projection.latest - projection.earliest)
    assert widths[0] == timedelta(0)  # a steady series: one date
    assert widths == sorted(widths) and len(set(widths)) == 4
    (steady,) = outlook(p, noisy(0), thresholds=(10_000,)).projections
    assert steady.eta == T0 + timedelta(hours=24) + timedelta(hours=(10_000 - 3400) / 100)


def test_at_this_rate_not_before_it_closes(p700143):
    """Opened 20 Nov 2024, closes 20 May 2025: 100 an hour from 5,000 needs 950 hours for 100,000."""
    p = open_petition(p700143, 5000)
    late = series([5000 - 100 * (24 - i) for i in range(25)], start=datetime(2025, 5, 1, tzinfo=UTC))
    response, debate = outlook(p, late).projections
    assert response.status == "projected" and response.eta == datetime(2025, 5, 4, 2, tzinfo=UTC)  # 2 May + 50 h
    assert debate.status == "not_before_close" and debate.eta > debate.closes
    assert debate.closes == datetime(2025, 5, 20, 23, 59, 59, tzinfo=UTC)


def test_a_closed_petition_below_a_threshold_is_not_projected(p700143):
    p = replace(open_petition(p700143, 5000), state="closed", closed_at=datetime(2025, 5, 20, tzinfo=UTC))
    assert [x.status for x in outlook(p, series([4000, 5000])).projections] == ["closed", "closed"]


def test_no_history_says_so(p700143):
    p = open_petition(p700143, 5000)
    o = outlook(p, series([5000]))
    assert o.recent is None and [x.status for x in o.projections] == ["no_history", "no_history"]


def test_reached_thresholds_say_how_long_they_took(p700143, stored241584):
    """From the documents: opened → response / debate threshold."""
    snaps, p241584 = stored241584
    for p, took in ((p700143, ("3 days 7 hours", "3 days 12 hours")),
                    (p241584, ("26 days 3 hours", "28 days 10 hours"))):
        response, debate = outlook(p, snaps).projections
        assert (response.status, debate.status) == ("reached", "reached")
        assert (duration_text(response.took), duration_text(debate.took)) == took
    assert response.reached_at == datetime(2019, 3, 18, 13, 26, 30, 257000, tzinfo=UTC)


def test_real_series_rates(series700143, stored241584):
    """700143's first day: snapshots hours apart, so no last-hour rate; its last-day rate is 1.55 M → 2.59 M."""
    first = series700143.head(6)
    assert rate_over(first, timedelta(hours=1)) is None
    day = rate_over(first, timedelta(days=1))
    assert day.start == datetime(2024, 11, 25, 13, 18, 4, tzinfo=UTC)
    assert day.per_hour == pytest.approx((2_585_119 - 2_089_815) / day.hours)
    snaps, _ = stored241584
    mean, low, high = recent_rates(snaps.head(4))  # 21 Mar 23:10 → 22 Mar 21:32: the surge
    assert mean.per_hour == pytest.approx((3_759_530 - 2_002_343) / mean.hours)
    assert low < mean.per_hour < high
    assert slowing(snaps) is not None  # the surge faded: its rates fall over the week


@pytest.mark.parametrize("name, prefix, level", [
    ("700143", 5, 2_500_000),  # from 1.55 M → 2.32 M in the first day, when does it pass 2.5 M?
    ("700143", 8, 3_000_000),  # slowing from 2.87 M: it passed 3 M only months later
    ("241584", 5, 6_000_000),  # Revoke Article 50, 4.2 M on 23 Mar: 6 M about 31 Mar
])
def test_the_real_crossing_lies_in_the_plausible_range(p700143, series700143, stored241584, name, prefix, level):
    snaps, p = (series700143, p700143) if name == "700143" else stored241584
    known = snaps.sort_values("fetched_at").head(prefix)
    p = open_petition(p, int(known["signature_count"].iloc[-1]))
    (projection,) = outlook(p, known, thresholds=(level,)).projections
    assert projection.status == "projected"
    actual = crossing(snaps, level)
    assert projection.earliest <= actual
    assert projection.latest is None or actual <= projection.latest
