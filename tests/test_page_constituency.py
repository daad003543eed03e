import json

from tests.pages import app, map_event, maps, texts


def test_pick_a_constituency_by_name(fake_api):
    at = app("constituency")
    assert not at.exception and at.title[0].value == "Constituency"
    at.selectbox(key="c").set_value("E14000602").run()
    assert not at.exception
    page = texts(at)
    assert "Bristol West" in page and "Thangam Debbonaire MP" in page and "1st" in page
    assert at.query_params["c"] == "E14000602"
    near = maps(at)["near"]
    assert near["selected"] == "E14000602" and near["focus"][0] == "E14000602" and 3 <= len(near["focus"]) <= 10
    assert near["state"]["metric"] == "per_1000" and near["controls"] == []
    across = at.dataframe[1].value  # most signed here, from the mirror and the store
    assert 239406 in set(across["id"]) and 700143 not in set(across["id"])


def test_clicking_a_neighbour_on_the_map_opens_it(fake_api):
    at = app("constituency", c="E14000602")
    neighbour = maps(at)["near"]["focus"][1]
    map_event(at, "near", trigger=("select", neighbour))
    assert not at.exception and at.selectbox(key="c").value == neighbour
    assert maps(at)["near"]["selected"] == neighbour and at.query_params["c"] == neighbour


def test_selection_carries_over_from_the_map_page_url(fake_api):
    at = app("constituency", petition="700143", c="E14001063")
    assert not at.exception
    assert at.selectbox(key="c").value == "E14001063"
    assert "Aldershot" in texts(at) and "Alex Baker MP" in texts(at)


def test_seat_with_no_mp_says_so(fake_api, mirror, tmp_path, monkeypatch):
    import json
    doc = json.loads((mirror / "petitions" / "239406.json").read_text())
    for entry in doc["data"]["attributes"]["signatures_by_constituency"]:
        if entry["ons_code"] == "E14000602":
            entry["mp"] = None
    monkeypatch.setattr(type(fake_api), "__call__", lambda self, request: fake_api._json(json.dumps(doc).encode()))
    at = app("constituency", c="E14000602")
    assert not at.exception and "seat vacant" in texts(at)


def test_open_map_links_are_the_petition_page_address(fake_api):
    from dashboard.ui import map_link

    at = app("constituency", c="E14000602")
    for table in at.dataframe[1:3]:
        frame = table.value
        assert list(frame["link"]) == [map_link(int(pid), "E14000602") for pid in frame["id"]]
        assert all(link.startswith("/petition?petition=") and link.endswith("&c=E14000602") for link in frame["link"])
        labels = [c.get("label") for c in json.loads(table.proto.columns).values() if c.get("label")]
        assert labels and all(label[0].isupper() for label in labels), labels
