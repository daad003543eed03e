"""The 'Where it is going' block on the petition page and on Trends (AppTest, network faked from the mirror)."""

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.outlook import projection_text
from petitions.projection import Projection
from tests.pages import app, texts


def test_petition_page_shows_how_long_the_thresholds_took(fake_api):
    at = app(petition="241584")
    assert not at.exception
    page = texts(at)
    assert "Where it is going" in page
    assert "✓ 10,000 reached on 18 Mar 2019, 26 days 3 hours after it opened" in page
    assert "✓ 100,000 reached on 20 Mar 2019, 28 days 10 hours after it opened" in page


def test_trends_shows_the_rates_and_projections(fake_api):
    at = app("trends", petition="700143")
    assert not at.exception
    page = texts(at)
    assert "Where it is going" in page
    assert "✓ 10,000 reached on 23 Nov 2024, 3 days 7 hours after it opened" in page
    assert "Signing now: — over the last hour (no stored snapshots that far apart)" in page


D = datetime(2025, 5, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize("projection, line", [
    (Projection(10_000, "projected", eta=D, earliest=D - timedelta(hours=2), latest=D + timedelta(days=1)),
     "10,000: at this rate about 1 May 2025 12:00 UTC (plausible range 1 May 2025 10:00 UTC to 2 May 2025 12:00 UTC)"),
    (Projection(10_000, "projected", eta=D, earliest=D, latest=D), "10,000: at this rate about 1 May 2025 12:00 UTC"),
    (Projection(100_000, "projected", eta=D, earliest=D - timedelta(hours=2), latest=None),
     "100,000: at this rate about 1 May 2025 12:00 UTC (plausible range 1 May 2025 10:00 UTC to perhaps never, "
     "if it keeps slowing down)"),
    (Projection(100_000, "not_before_close", eta=D + timedelta(days=40), earliest=D, closes=D + timedelta(days=19)),
     "100,000: at this rate, not before it closes on 20 May 2025; at the fastest recent rate by 1 May 2025 12:00 UTC"),
    (Projection(100_000, "not_before_close", eta=None, closes=D), "100,000: at this rate, not before it closes on "
                                                                  "1 May 2025"),
    (Projection(100_000, "not_growing"), "100,000: no projection, the count is not rising in the stored history"),
    (Projection(100_000, "closed"), "100,000: the petition closed before reaching it"),
    (Projection(10_000, "reached"), "✓ 10,000 reached (date not published)"),
])
def test_projection_lines(projection, line):
    assert projection_text(projection) == line
