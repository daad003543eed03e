from tests.pages import app, maps, plotly_specs, texts


def test_compare_two_petitions_on_different_sets(fake_api):
    at = app("compare", a="241584", b="239406")
    assert not at.exception
    page = texts(at)
    assert "A: 241584 uses the 2010 constituencies" not in page  # both 2010: nothing moved
    data = maps(at)
    assert set(data) == {"map_a", "map_b", "map_diff"}
    a, b = data["map_a"]["layers"], data["map_b"]["layers"]
    assert a["legend"] == b["legend"]  # one colour scale
    assert len(a["frames"][0]["cls"]) == 650 and a["title"] != b["title"]
    diff = data["map_diff"]["layers"]
    assert diff["title"] == "Share of A minus share of B (points)"
    assert any(e["label"].startswith("within ±") for e in diff["legend"])
    (spec,) = plotly_specs(at)
    assert len(spec["data"][0]["text"]) == 650 and "r = " in spec["layout"]["title"]["text"]
    assert "Correlation of the two rates over 650 seats: r = " in page
    assert "A: 241584 relatively strongest" in page.replace("\\", "")
    for table in (m.value for m in at.markdown if "Ratio of the shares" in m.value):
        ratios = [float(row.split("|")[-2]) for row in table.splitlines()[2:]]
        assert len(ratios) == 10 and ratios == sorted(ratios, reverse=True) and ratios[-1] > 1
    assert dict(at.query_params) == {"a": "241584", "b": "239406"}
    assert a["title"] == "A: 241584: index vs its UK rate"
    at.radio(key="scale").set_value("per_1000").run()
    a, b = maps(at)["map_a"]["layers"], maps(at)["map_b"]["layers"]
    assert a["legend"] == b["legend"] and a["title"] == "A: 241584 per 1,000 residents"


def test_compare_across_sets_marks_the_estimate(fake_api):
    at = app("compare", a="700143", b="239406")
    assert not at.exception
    assert "B: 239406 uses the 2010 constituencies" in texts(at)
    data = maps(at)
    assert data["map_b"]["layers"]["title"].endswith("(estimate)")
    assert not data["map_a"]["layers"]["title"].endswith("(estimate)")
    assert data["map_a"]["geometry"]["map"].startswith("/app/static/geo/pcon2024-map-")


def test_the_same_petition_at_two_dates(fake_api):
    at = app("compare", a="241584", b="241584", at_a="2019-03-22T1831", at_b="2019-04-01T1207")
    assert not at.exception
    assert at.selectbox(key="at_a").value == "2019-03-22T1831"
    layers = maps(at)["map_a"]["layers"]
    assert layers["title"].startswith("A: 241584 at 22 Mar 2019")
    page = texts(at)
    assert "in constituencies" in page
    values_a = maps(at)["map_a"]["layers"]["frames"][0]["values"]
    values_b = maps(at)["map_b"]["layers"]["frames"][0]["values"]
    assert sum(values_b) > sum(values_a)  # later: more signatures per 1,000


def test_bad_input_is_one_line_where_the_user_is(fake_api):
    at = app("compare", a="241584", b="/etc/passwd")
    assert not at.exception
    assert [e.value for e in at.error][0].startswith("Petition B: not a petition number")
    assert not maps(at)
    at = app("compare", a="241584")
    assert not at.exception and "Enter a second petition" in texts(at)


def test_a_damaged_lookup_is_one_line(fake_api, monkeypatch):
    from dashboard import cache
    from geo.reference.datasets import DataError

    def broken():
        raise DataError("overlap lookup has missing or negative populations")

    monkeypatch.setattr(cache, "crosswalk", broken)
    at = app("compare", a="700143", b="239406")
    assert not at.exception and not maps(at)
    assert at.error[0].value == ("The two petitions cannot be put on one set of seats: overlap lookup has missing "
                                 "or negative populations")
