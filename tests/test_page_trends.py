from tests.pages import app, maps, texts


def test_trends_of_revoke_article_50(fake_api):
    at = app("trends", petition="241584")
    assert not at.exception
    assert at.title[0].value.startswith("Trends: Revoke Article 50")
    page = texts(at)
    assert "8 snapshots" in page and "frozen" in page
    animation = maps(at)["animation"]["layers"]
    assert len(animation["frames"]) == 7  # the frozen snapshot is left out
    assert all(len(f["cls"]) == 650 and len(f["values"]) == 650 for f in animation["frames"])
    assert animation["frames"][0]["label"] == "21 Mar 23:10" and animation["frames"][-1]["label"] == "01 Apr 12:07"
    at.radio(key="trend_metric").set_value("growth_per_1000").run()
    assert not at.exception
    growth = maps(at)["animation"]["layers"]
    assert len(growth["frames"]) == 6 and growth["title"].startswith("Growth per 1,000")
    assert not [k for k in maps(at) if k not in ("animation", "spread")]


def test_spreading_fastest_between_two_snapshots(fake_api):
    at = app("trends", petition="700143")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 20 and table["growth_per_1000"].is_monotonic_decreasing
    spread = maps(at)["spread"]["layers"]
    assert len(spread["frames"]) == 1 and len(spread["frames"][0]["cls"]) == 650


def test_one_snapshot_says_how_to_start_tracking(fake_api):
    at = app("trends", petition="239406")
    assert not at.exception
    assert "python -m petitions.track 239406" in texts(at)
