from tests.pages import app, plotly_specs, texts, title


def test_trends_of_revoke_article_50(fake_api):
    at = app("trends", petition="241584")
    assert not at.exception
    assert title(at).startswith("Trends: Revoke Article 50")
    page = texts(at)
    assert "8 snapshots" in page and "frozen" in page
    specs = plotly_specs(at)
    animation = next(s for s in specs if s.get("frames"))
    assert len(animation["frames"]) == 7  # the frozen snapshot is left out
    assert len(animation["layout"]["sliders"][0]["steps"]) == 7
    assert animation["layout"]["updatemenus"][0]["buttons"][0]["label"].endswith("Play")
    at.radio(key="trend_metric").set_value("growth_per_1000").run()
    assert not at.exception
    assert len(next(s for s in plotly_specs(at) if s.get("frames"))["frames"]) == 6


def test_spreading_fastest_between_two_snapshots(fake_api):
    at = app("trends", petition="700143")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 20 and table["growth_per_1000"].is_monotonic_decreasing


def test_one_snapshot_says_how_to_start_tracking(fake_api):
    at = app("trends", petition="239406")
    assert not at.exception
    assert "python -m petitions.track 239406" in texts(at)
