from tests.pages import app, maps, texts, title


def test_trends_of_revoke_article_50(fake_api):
    at = app("trends", petition="241584")
    assert not at.exception
    assert title(at).startswith("Trends: Revoke Article 50")
    page = texts(at)
    assert "8 snapshots" in page and "2 snapshot(s) have a stale constituency breakdown" in page
    assert "21 Mar 2019 23:10: its constituency counts sum to 62% of the total, against 94%" in page
    assert "22 Mar 2019 14:00: its constituency counts sum to 39% of the total" in page
    animation = maps(at)["animation"]["layers"]
    assert len(animation["frames"]) == 6  # the stale snapshots are left out
    assert all(len(f["cls"]) == 650 and len(f["values"]) == 650 for f in animation["frames"])
    assert animation["frames"][-1]["label"] == "01 Apr 12:07"
    at.radio(key="trend_metric").set_value("growth_per_1000").run()
    assert not at.exception
    growth = maps(at)["animation"]["layers"]
    assert len(growth["frames"]) == 5 and growth["title"].startswith("Growth per 1,000")
    assert not [k for k in maps(at) if k not in ("animation", "spread")]
    assert at.query_params["metric"] == "growth_per_1000"


def test_spreading_fastest_leaves_stale_snapshots_out_by_default(fake_api):
    at = app("trends", petition="241584")
    assert at.selectbox(key="from").format_func(at.selectbox(key="from").value) == "22 Mar 2019 18:31"
    assert (at.query_params["from"], at.query_params["to"]) == ("2019-03-22T1831", "2019-04-01T1207")
    assert not any("grew by" in w.value for w in at.warning)
    at.toggle(key="include_stale").set_value(True).run()
    box = at.selectbox(key="from")
    assert box.options[0] == "21 Mar 2019 23:10 (stale)"
    box.set_value(next(sid for sid in range(1, 1000) if box.format_func(sid) == box.options[0])).run()
    assert not at.exception
    assert any("grew by 4,436,235 but the total by only 4,029,624" in w.value for w in at.warning)


def test_trends_state_comes_from_the_url(fake_api):
    at = app("trends", petition="241584", metric="per_1000", **{"from": "2019-03-23T1207", "to": "2019-03-26T1207"})
    assert not at.exception
    assert at.radio(key="trend_metric").value == "per_1000"
    assert at.selectbox(key="from").format_func(at.selectbox(key="from").value) == "23 Mar 2019 12:07"
    assert at.selectbox(key="to").format_func(at.selectbox(key="to").value) == "26 Mar 2019 12:07"
    assert dict(at.query_params)["to"] == "2019-03-26T1207"


def test_spreading_fastest_between_two_snapshots(fake_api, mirror, constituency_sets):
    import pandas as pd

    at = app("trends", petition="700143")
    assert not at.exception
    start = at.selectbox(key="from")
    start.select_index(start.options.index("24 Nov 2024 21:10")).run()  # the hourly log's first snapshot
    assert not at.exception and at.selectbox(key="to").options[-1] == "22 Aug 2026 21:20"
    table = at.dataframe[0].value
    assert len(table) == 20 and table["growth_per_1000"].is_monotonic_decreasing
    log = pd.read_csv(mirror / "petitions" / "700143-timeseries" / "by-constituency.csv")
    at_time = {t: dict(zip(g["name"], g["signature_count"])) for t, g in log.groupby("snapshot_utc")}
    before, after = at_time["2024-11-24T21:10:29Z"], at_time["2026-08-22T21:20:37Z"]
    assert table["count_to"].tolist() == [after[n] for n in table["name"]]
    assert table["growth"].tolist() == [after[n] - before[n] for n in table["name"]]
    people = dict(zip(constituency_sets["pcon2024"].table["name"], constituency_sets["pcon2024"].table["population"]))
    assert table["growth_per_1000"].round(6).tolist() == [
        round((after[n] - before[n]) / people[n] * 1000, 6) for n in table["name"]]
    spread = maps(at)["spread"]["layers"]
    assert len(spread["frames"]) == 1 and len(spread["frames"][0]["cls"]) == 650


def test_one_snapshot_says_how_to_start_tracking(fake_api):
    at = app("trends", petition="239406")
    assert not at.exception
    assert "petitionmap track 239406" in texts(at)
