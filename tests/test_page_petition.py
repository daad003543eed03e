import re

import pytest

from tests.pages import app, map_event, maps, texts

TITLE = "Undertake an independent enquiry into the role of Russia in Brexit."


def test_opens_on_239406_with_progress_and_map(fake_api):
    at = app()
    assert not at.exception
    assert at.title[0].value == TITLE
    bars = at.get("progress")
    assert [b.proto.value for b in bars] == [100, 14]
    assert "10,000 reached on 6 March 2019" in bars[0].proto.text
    assert "14,846 of 100,000" in bars[1].proto.text
    assert "Government responded on 18 March 2019" in texts(at)
    data = maps(at)["map"]
    assert data["geometry"]["map"].startswith("/app/static/geo/pcon2010-map-")
    assert data["geometry"]["hex"].startswith("/app/static/geo/pcon2010-hex-")
    assert all(len(data["values"]["classes"][m]["quantiles"]["cls"]) == 650 for m in ("signatures", "index"))
    assert len(data["values"]["signatures"]) == 650 and data["selected"] is None
    assert data["summary"].startswith("Most signed in Bristol West")
    assert not at.get("plotly_chart")  # no charting bundle on the first view


def test_the_map_sends_no_geometry(fake_api):
    at = app()
    element = next(e for e in at.get("bidi_component"))
    assert len(element.proto.json) < 60_000 and '"paths"' not in element.proto.json
    assert not re.search(r"M-?\d+ -?\d+l", element.proto.json)  # no SVG path in the rerun's data
    assert len(element.proto.js_content) < 1000  # the script itself is a cached static file


def test_clicking_a_seat_selects_it_and_shares_it(fake_api):
    at = app()
    map_event(at, "map", trigger=("select", "E14000602"))
    assert not at.exception
    assert at.selectbox(key="c").value == "E14000602"
    assert "Bristol West" in texts(at) and "Thangam Debbonaire MP" in texts(at)
    assert maps(at)["map"]["selected"] == "E14000602"
    assert at.query_params["c"] == "E14000602"


@pytest.mark.parametrize("picked", ["S99999999", "<b>x</b>", 42, ""])
def test_a_seat_not_in_the_set_is_ignored(fake_api, picked):
    at = app()
    map_event(at, "map", trigger=("select", picked))
    assert not at.exception and at.selectbox(key="c").value == ""
    assert "c" not in at.query_params


@pytest.mark.parametrize("name, value", [("view", "hex"), ("metric", "per_1000"), ("metric", "index"),
                                         ("area", "London"), ("scheme", "fisher_jenks")])
def test_map_controls_reach_the_url_and_the_table(fake_api, name, value):
    at = app()
    map_event(at, "map", state={name: value})
    assert not at.exception
    assert at.query_params[name] == value
    assert maps(at)["map"]["state"][name] == value
    if name == "area":
        assert "Top 10 in London" in texts(at)


def test_shared_url_restores_the_view(fake_api):
    at = app(petition="700143", view="hex", metric="index", area="UK", c="E14001063")
    assert not at.exception
    assert at.title[0].value == "Call a General Election"
    data = maps(at)["map"]
    assert data["state"] == {"view": "hex", "metric": "index", "scheme": "quantiles", "area": "UK"}
    assert data["selected"] == "E14001063" and data["geometry"]["hex"].startswith("/app/static/geo/pcon2024-hex-")
    assert at.selectbox(key="c").value == "E14001063"
    assert "Aldershot" in texts(at) and "Alex Baker MP" in texts(at)


@pytest.mark.parametrize("typed, words", [
    ("https://evil.example/petitions/1", "only https://petition.parliament.uk"),
    ("abc", "not a petition number"),
    ("99999999", "not found"),
    ("/etc/passwd", "enter a petition number or a petition.parliament.uk link"),
])
def test_bad_input_shows_a_message_and_keeps_the_petition(fake_api, typed, words):
    at = app()
    at.text_input(key="petition_input").set_value(typed).run()
    assert not at.exception
    assert any(words in e.value for e in at.sidebar.error)
    assert at.title[0].value == TITLE


def test_typing_a_link_switches_petition(fake_api):
    at = app()
    at.text_input(key="petition_input").set_value("https://petition.parliament.uk/petitions/332711").run()
    assert not at.exception and at.title[0].value == "Reject the proposals for Junction 10 of the A3/M25"
    assert at.query_params["petition"] == "332711"


def test_unreachable_api_shows_the_saved_copy(fake_api):
    fake_api.down = True
    at = app()
    assert not at.exception and at.title[0].value == TITLE
    assert "data as of" in texts(at)


def test_unreachable_api_without_a_store_shows_the_mirror_copy(fake_api, monkeypatch):
    from dashboard import cache

    fake_api.down = True  # the transport raises httpx.ConnectError
    monkeypatch.setattr(cache, "store", lambda: None)
    at = app()
    assert not at.exception and at.title[0].value == TITLE
    notes = [e.value for e in at.info]
    assert notes == ["Offline: showing the local mirror's copy, data as of 11 Aug 2019 23:00 UTC."]
    assert [b.proto.value for b in at.get("progress")] == [100, 14]
    assert len(maps(at)["map"]["values"]["signatures"]) == 650
    assert fake_api.seen  # it did try the API first


def test_unreachable_api_and_no_copy_keeps_the_petition(fake_api):
    at = app()
    fake_api.down = True
    at.text_input(key="petition_input").set_value("123456").run()
    assert not at.exception
    assert any("no saved copy of petition 123456" in e.value for e in at.sidebar.error)
    assert at.title[0].value == TITLE


def test_choosing_a_constituency_outlines_it_and_shares_it(fake_api):
    at = app()
    at.selectbox(key="c").set_value("E14000602").run()
    assert not at.exception
    assert maps(at)["map"]["selected"] == "E14000602"
    assert "Bristol West" in texts(at) and "Thangam Debbonaire MP" in texts(at)
    assert at.query_params["c"] == "E14000602"


def test_sparse_petition_has_a_grey_no_signatures_class(fake_api):
    at = app(petition="603658")
    assert not at.exception
    classes = maps(at)["map"]["values"]["classes"]["signatures"]["quantiles"]
    assert classes["cls"].count("z") == 650 - 153 and classes["legend"][-1]["label"] == "No signatures"


def test_breakdowns_and_downloads(fake_api):
    at = app(petition="700143")
    assert not at.exception
    assert "9,426 come from abroad" in texts(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["CSV", "GeoJSON", "Map PNG", "Map SVG"]
