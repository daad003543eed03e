from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from petitions.live import gainers, hour_apart

T = datetime(2024, 11, 25, 12, tzinfo=UTC)


def snaps(minutes):
    return pd.DataFrame({"snapshot_id": range(1, len(minutes) + 1),
                         "fetched_at": [T + timedelta(minutes=m) for m in minutes]})


@pytest.mark.parametrize("minutes, pair", [
    ([0, 30, 60], (1, 3)),
    ([0, 5, 10, 60, 65], (3, 5)),  # the newest snapshot at least 54 minutes before the latest
    ([0, 30], None),  # not an hour of history
    ([0, 300], None),  # five hours apart is not "the last hour"
    ([0], None),
])
def test_hour_apart(minutes, pair):
    assert hour_apart(snaps(minutes)) == pair


def test_gainers_largest_first():
    counts = pd.DataFrame({"snapshot_id": [1, 1, 1, 2, 2, 2, 2], "ons_code": ["A", "B", "C", "A", "B", "C", "D"],
                           "signature_count": [10, 10, 10, 15, 40, 10, 5]})
    top = gainers(counts, 1, 2, n=2)
    assert top.to_dict("list") == {"ons_code": ["B", "A"], "gained": [30, 5]}
    assert gainers(counts, 1, 2)["ons_code"].tolist() == ["B", "A", "D"]  # C did not move


def test_live_panel_only_for_open_petitions_fetched_live(fake_api):
    from tests.pages import app

    at = app(petition="700143")
    assert not at.exception
    assert "**Live** · 1,462,163 signatures · updated " in "\n".join(m.proto.body for m in at.markdown)
    at = app(petition="239406")  # closed
    assert not at.exception and "**Live**" not in "\n".join(m.proto.body for m in at.markdown)


def test_live_panel_names_the_seats_that_gained_in_the_last_hour(fake_api, mirror, tmp_path):
    """Two stored fetches an hour apart (the live fetch of the mirror's document is the seeded copy again)."""
    from petitions.model import read_petition_file
    from petitions.store import open_store
    from tests.pages import app

    p = read_petition_file(mirror / "petitions" / "700143.json")
    counts = {c.ons_code: c.signature_count for c in p.constituencies}
    store = open_store(tmp_path / "app.sqlite")  # the store the app opens (fake_api's PETITIONMAP_STORE)
    for minutes, less in ((121, {"E14001063": 300, "E14001064": 100}), (60, {})):  # Aldershot, Aldridge-Brownhills
        when = datetime.now(UTC) - timedelta(minutes=minutes)
        store.add_snapshot(700143, fetched_at=when, updated_at=when, signature_count=p.signature_count - minutes,
                           constituencies=[(c, n - less.get(c, 0)) for c, n in counts.items()])
    store.close()
    at = app(petition="700143")
    assert not at.exception
    shown = "\n".join(m.proto.body for m in at.markdown)
    assert "Gaining most in the last hour: **Aldershot** (+300), **Aldridge-Brownhills** (+100)" in shown
