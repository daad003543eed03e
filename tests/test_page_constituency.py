import re

from tests.pages import app, map_event, maps, texts


def listed(at, title):
    """The petition ids of one of the page's three lists, in order, with their link targets."""
    for i, block in enumerate(at.markdown):
        if block.value == f"**{title}**":
            following = at.markdown[i + 1].value if i + 1 < len(at.markdown) else ""
            return re.findall(r"\]\((/petition\?petition=(\d+)&c=(\w+))\)", following)
    raise AssertionError(f"no list {title!r}")


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
    most = [pid for _, pid, _ in listed(at, "Most signed here")]
    assert most[0] == "241584" and {"239406", "700143"} <= set(most)  # the 2024 petition estimated onto 2010


def test_bristol_west_lists_what_it_signs_more_than_usual(fake_api):
    at = app("constituency", c="E14000602")
    popular = {pid for _, pid, _ in listed(at, "Unusually popular here")}
    unpopular = {pid for _, pid, _ in listed(at, "Unusually unpopular here")}
    assert popular == {"239406", "241584"} and "332711" in unpopular  # the A3/M25 junction is far from Bristol
    assert "603658" not in popular | unpopular  # 2 signatures: never unusual
    assert "this seat's usual share; 100 signatures; very unlikely by chance" in texts(at)
    assert "Abolished at the 2024 election" in texts(at) and "Bristol Central (68%)" in texts(at)


def test_a_2024_seat_shows_pre_2024_petitions_as_estimates(fake_api):
    at = app("constituency", c="E14001131")  # Bristol Central
    assert not at.exception
    page = texts(at)
    assert "Carla Denyer MP" in page and "Made in 2024 from" in page and "Bristol West (100%)" in page
    assert "signatures here (estimate)" in page and "Petitions from before 2024 are" in page
    links = listed(at, "Most signed here")
    assert ("/petition?petition=700143&c=E14001131", "700143", "E14001131") in links  # its own set
    assert ("/petition?petition=241584&c=E14000602", "241584", "E14000602") in links  # 2010 map, Bristol West


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
    assert "Aldershot" in texts(at) and "Alex Baker MP" in texts(at) and "In this petition" in texts(at)


def test_without_a_corpus_the_page_says_how_to_load_one(fake_api):
    at = app("constituency", c="E14000602")
    assert "petitionmap track --backfill" in texts(at) and "--import FOLDER" in texts(at)


def test_find_by_mp_name(fake_api):
    at = app("constituency")
    at.text_input(key="find").set_value("debbonaire").run()
    assert not at.exception and at.selectbox(key="c").value == "E14000602"


def test_postcode_offline_says_so_and_keeps_the_name_search(fake_api, monkeypatch):
    monkeypatch.setenv("PETITIONMAP_API_BASE", "http://127.0.0.1:9")  # nothing listens: offline
    at = app("constituency")
    at.text_input(key="find").set_value("BS8 1TH").run()
    assert not at.exception and at.selectbox(key="c").value == ""
    assert "postcode lookup on petition.parliament.uk is unavailable" in texts(at)
    assert "choose the constituency by name instead" in texts(at)


def test_postcode_through_the_fake_official_site(fake_api, monkeypatch):
    from tests.fake_local import fake_local_site

    server = fake_local_site()
    monkeypatch.setenv("PETITIONMAP_API_BASE", f"http://127.0.0.1:{server.server_address[1]}")
    try:
        at = app("constituency")
        at.text_input(key="find").set_value("bs8 1th").run()
        assert not at.exception and at.selectbox(key="c").value == "E14001131"  # bristol-central
        at.text_input(key="find").set_value("ZZ9 9ZZ").run()
        assert "finds no constituency for ZZ99ZZ" in texts(at)
    finally:
        server.shutdown()


def test_filters_narrow_the_lists(fake_api):
    at = app("constituency", c="E14000602")
    at.selectbox(key="f_parliament").set_value("2017–2019").run()
    assert not at.exception
    assert {pid for _, pid, _ in listed(at, "Most signed here")} == {"239406", "241584"}
    at.selectbox(key="f_state").set_value("rejected").run()
    assert "No stored petition matches these filters." in texts(at)


def test_exports(fake_api):
    at = app("constituency", c="E14000602")
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert {"Profile as CSV", "One-page summary (PNG)", "Printable page (HTML)"} <= set(buttons)


def test_similar_seats_need_a_corpus_and_then_follow_the_signing_pattern(fake_api, petition_files, tmp_path):
    import copy
    import json

    import numpy as np

    from geo.reference.datasets import load_set
    from petitions.model import parse_petition
    from petitions.store import open_store

    at = app("constituency", c="E14000602")
    assert "Similar seats need at least 20 petitions" in texts(at) and "“Similar” seats sign" in texts(at)
    names = dict(zip(load_set("pcon2010").table["name"], load_set("pcon2010").table["ons_code"]))
    store = open_store(tmp_path / "app.sqlite")  # the page's store: 25 more petitions of the 2019–2024 parliament
    doc = json.loads(petition_files["550951"].read_text())
    rng = np.random.default_rng(2)
    for i in range(25):
        made = copy.deepcopy(doc)
        made["data"]["id"] = 900_000 + i
        entries = made["data"]["attributes"]["signatures_by_constituency"]
        counts = {e["ons_code"]: int(n) for e, n in zip(entries, rng.lognormal(4, 1, len(entries)) + 1)}
        counts[names["Bath"]] = 2 * counts["E14000602"]  # Bath signs what Bristol West signs, twice as much
        for e in entries:
            e["signature_count"] = counts[e["ons_code"]]
        made["data"]["attributes"]["signature_count"] = sum(counts.values()) + 100
        store.add(parse_petition(made))
    import streamlit as st

    st.cache_data.clear()
    at = app("constituency", c="E14000602")
    assert not at.exception
    table = at.dataframe[0].value
    similar = table[table["area"].str.contains("similar, r = ")]
    assert len(similar) == 5 and similar["area"].iloc[0].startswith("Bath (similar, r = 0.9")  # the real 6 differ
    r = [float(re.search(r"r = (-?[\d.]+)", a).group(1)) for a in similar["area"]]
    assert r == sorted(r, reverse=True) and r[0] > r[1] + 0.3
    assert "Similar seats need" not in texts(at)


def test_without_a_store_the_profile_comes_from_the_mirror(fake_api, monkeypatch, tmp_path):
    (tmp_path / "not-a-folder").write_text("x")
    monkeypatch.setenv("PETITIONMAP_STORE", str(tmp_path / "not-a-folder" / "app.sqlite"))  # cannot be opened
    at = app("constituency", c="E14000602")
    assert not at.exception
    assert "Thangam Debbonaire MP" in texts(at)  # the MP from the mirror's documents
    assert "Only 0 petitions with this seat are stored" in texts(at)
