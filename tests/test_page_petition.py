import re

import pytest

from tests.pages import app, clear_caches, drawn, map_event, maps, plain_texts, texts, title

TITLE = "Undertake an independent enquiry into the role of Russia in Brexit."


def test_opens_on_239406_with_progress_and_map(fake_api):
    at = app()
    assert not at.exception
    assert title(at) == TITLE
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


def test_the_first_view_comes_first_and_the_rest_once_the_map_is_drawn(fake_api):
    below = ("Top 10 in the UK", "Breakdowns")
    at = app()
    assert maps(at)["map"]["deferred"] is True
    assert title(at) == TITLE and len(at.get("progress")) == 2 and "Government responded" in texts(at)
    downloads = "All constituencies: table and downloads"
    assert not any(part in texts(at) for part in below) and downloads not in [e.label for e in at.expander]
    drawn(at)
    assert not at.exception and all(part in texts(at) for part in below)
    assert maps(at)["map"]["deferred"] is False and downloads in [e.label for e in at.expander]
    map_event(at, "map", trigger=("select", "E14000602"))
    assert all(part in texts(at) for part in below)
    again = app()
    again.run()  # any rerun, not only the map's trigger, sends the whole page
    assert all(part in texts(again) for part in below) and maps(again)["map"]["deferred"] is False


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
    assert title(at) == "Call a General Election"
    data = maps(at)["map"]
    assert data["state"] == {"view": "hex", "metric": "index", "scheme": "quantiles", "area": "UK"}
    assert data["selected"] == "E14001063" and data["geometry"]["hex"].startswith("/app/static/geo/pcon2024-hex-")
    assert at.selectbox(key="c").value == "E14001063"
    assert "Aldershot" in texts(at) and "Alex Baker MP" in texts(at)


def shown(markdown: str) -> str:
    """Markdown source as the reader sees it: escapes and the auto-link breaker removed."""
    return markdown.replace("\\", "").replace("\u2060", "")


@pytest.mark.parametrize("typed, words", [
    ("https://evil.example/petitions/1", "only petition.parliament.uk petition links are accepted"),
    ("abc", "not a petition number or petition.parliament.uk link: 'abc'"),
    ("99999999", "petition 99999999 was not found"),
    ("/etc/passwd", "not a petition number or petition.parliament.uk link: '/etc/passwd'"),
    ("../../shared/data/petitions/332711.json", "not a petition number or petition.parliament.uk link"),
    ("²³⁹⁴⁰⁶", "write petition numbers with the digits 0-9"),
    ("0", "is not a petition number"),
    ("-239406", "is not a petition number"),
    ("1" * 5000, "at most 9 digits, not 5,000"),
    ("https://[::1/petitions/1", "not a valid link"),
    ("javascript:alert(1)", "not a petition number or petition.parliament.uk link"),
    ("https://petition.parliament.uk@evil.example/petitions/1", "only petition.parliament.uk petition links"),
])
def test_bad_input_shows_a_message_and_keeps_the_petition(fake_api, typed, words):
    at = app()
    at.text_input(key="petition_input").set_value(typed).run()
    assert not at.exception
    errors = [shown(e.value) for e in at.sidebar.error]
    assert len(errors) == 1 and words in errors[0] and len(errors[0]) < 200, errors
    assert title(at) == TITLE


def test_an_emptied_box_clears_the_message(fake_api):
    at = app()
    at.text_input(key="petition_input").set_value("abc").run()
    assert len(at.sidebar.error) == 1
    at.text_input(key="petition_input").set_value("").run()
    assert not at.exception and len(at.sidebar.error) == 0 and title(at) == TITLE


@pytest.mark.parametrize("value, words", [
    ("../../shared/data/petitions/332711.json", "not a petition number or petition.parliament.uk link"),
    ("/etc/shadow", "not a petition number or petition.parliament.uk link: '/etc/shadow'"),
    ("99999999", "petition 99999999 was not found"),
    ("①②③", "write petition numbers with the digits 0-9"),
    ("x" * 3000, "not a petition number or petition.parliament.uk link: 'xxxx"),
])
def test_a_bad_petition_in_the_url_shows_the_reason(fake_api, value, words):
    at = app(petition=value)
    assert not at.exception and not title(at)
    page = [shown(e.value) for e in at.main.error]
    assert len(page) == 1 and page[0].startswith("No petition to show: ") and words in page[0], page
    assert len(page[0]) < 300


@pytest.mark.parametrize("value", ["0239406", "00239406", "https://petition.parliament.uk/petitions/239406",
                                   "http://www.petition.parliament.uk/petitions/239406/signatures/new",
                                   "https://petitionmap.unboxedconsulting.com/?petition=239406"])
def test_a_petition_in_the_url_is_canonical_before_it_is_fetched(fake_api, value):
    from dashboard import cache

    at = app(petition=value)
    assert not at.exception and title(at) == TITLE
    assert at.query_params["petition"] == "239406"
    assert [u for u in fake_api.seen if "/239406" in u] == ["https://petition.parliament.uk/petitions/239406.json"]
    at2 = app(petition="0" + value if value.isdigit() else "239406")
    assert not at2.exception and len([u for u in fake_api.seen if "/239406" in u]) == 1  # one cache entry
    assert cache.petition(239406).petition.id == 239406


@pytest.mark.parametrize("link", [
    "https://petition.parliament.uk/petitions/332711", "https://petition.parliament.uk/petitions/332711/signatures/new",
    "https://petition.parliament.uk/petitions/332711?reveal_response=yes", "http://www.petition.parliament.uk/petitions/332711/",
    "petition.parliament.uk/petitions/332711#signatures", "https://petitionmap.unboxedconsulting.com/?petition=332711",
    "0332711"])
def test_typing_a_link_switches_petition(fake_api, link):
    at = app()
    at.text_input(key="petition_input").set_value(link).run()
    assert not at.exception and title(at) == "Reject the proposals for Junction 10 of the A3/M25"
    assert at.query_params["petition"] == "332711"
    assert {u.split("?")[0] for u in fake_api.seen} <= {"https://petition.parliament.uk/petitions/239406.json",
                                                        "https://petition.parliament.uk/petitions/332711.json",
                                                        "https://petition.parliament.uk/petitions.json"}


def test_unreachable_api_shows_the_saved_copy(fake_api):
    fake_api.down = True
    at = app()
    assert not at.exception and title(at) == TITLE
    assert "data as of" in texts(at)


def test_unreachable_api_without_a_store_shows_the_mirror_copy(fake_api, monkeypatch):
    from dashboard import cache

    fake_api.down = True  # the transport raises httpx.ConnectError
    monkeypatch.setattr(cache, "store", lambda: None)
    at = app()
    assert not at.exception and title(at) == TITLE
    notes = [shown(e.value) for e in at.info]
    assert len(notes) == 1
    assert notes[0].startswith("Showing the local mirror's copy (data as of 11 Aug 2019 23:00 UTC, ")
    assert notes[0].endswith("days old) because the live data could not be used: cannot reach petition.parliament.uk "
                             "(no network?).")
    assert [b.proto.value for b in at.get("progress")] == [100, 14]
    assert len(maps(at)["map"]["values"]["signatures"]) == 650
    assert fake_api.seen  # it did try the API first


def test_unreachable_api_and_no_copy_keeps_the_petition(fake_api):
    at = app()
    fake_api.down = True
    at.text_input(key="petition_input").set_value("123456").run()
    assert not at.exception
    assert any("no saved copy of petition 123456" in e.value for e in at.sidebar.error)
    assert title(at) == TITLE


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


def test_breakdowns_and_downloads(fake_api, monkeypatch, petition_files):
    """Each download's bytes, made by the very callables the page hands to st.download_button."""
    import io
    import json
    import struct

    import pandas as pd
    from streamlit.elements.widgets.button import ButtonMixin

    offered = {}
    original = ButtonMixin.download_button

    def recording(self, label, data, file_name=None, mime=None, **kw):
        offered[label] = (data, file_name, mime)
        return original(self, label, data, file_name=file_name, mime=mime, **kw)
    monkeypatch.setattr(ButtonMixin, "download_button", recording)
    at = drawn(app(petition="700143"))
    assert not at.exception
    assert "9,426 come from abroad" in texts(at)
    assert not at.get("download_button") and not at.toggle  # the first view loads neither widget's bundle
    at.session_state["downloads"] = True  # the expander opened
    at.run()
    assert [b.proto.label for b in at.get("download_button")] == ["CSV", "GeoJSON", "Map PNG", "Map SVG"]
    doc = json.loads(petition_files["700143"].read_text())
    counts = {c["ons_code"]: c["signature_count"] for c in doc["data"]["attributes"]["signatures_by_constituency"]}
    made = {label: data() for label, (data, _, _) in offered.items()}

    table = pd.read_csv(io.BytesIO(made["CSV"]), dtype={"mp": str})
    assert len(table) == 650 and dict(zip(table["ons_code"], table["signatures"])) == counts
    features = json.loads(made["GeoJSON"])["features"]
    assert len(features) == 650
    assert {f["properties"]["ons_code"]: f["properties"]["signatures"] for f in features} == counts
    png = made["Map PNG"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1000, 1250)
    svg = made["Map SVG"].decode()
    assert svg.startswith("<svg") and svg.count('class="seat"') == 650 and "Call a General Election" in svg
    assert {label: name for label, (_, name, _) in offered.items()} == {
        "CSV": "petition-700143.csv", "GeoJSON": "petition-700143.geojson",
        "Map PNG": "petition-700143-signatures-map-uk.png", "Map SVG": "petition-700143-signatures-map-uk.svg"}


def test_the_official_page_facts_of_239406(fake_api):
    at = app()
    assert not at.exception and title(at) == TITLE
    shown = texts(at)
    assert "This petition was submitted during the 2017–2019 Parliament" in shown
    assert "This petition is closed · This petition ran for 6 months" in shown
    assert "14,846 signatures" in shown
    assert "This response was given on 18 March 2019" in shown
    summary = "We have not seen evidence of successful interference in UK democratic processes,"
    assert plain_texts(at).startswith("Background") is False and summary in plain_texts(at)
    assert [e.label for e in at.expander][:2] == ["Background and details", "Read the response in full"]
    buttons = {b.proto.label: b.proto.url for b in at.get("link_button")}
    assert buttons == {"View on petition.parliament.uk": "https://petition.parliament.uk/petitions/239406"}


def test_open_petition_has_deadline_days_left_and_a_sign_link(fake_api):
    at = app(petition="700143")
    assert not at.exception
    assert "This petition is open · Deadline 20 May 2025 · " in texts(at)
    buttons = {b.proto.label: b.proto.url for b in at.get("link_button")}
    assert buttons["Sign this petition"] == "https://petition.parliament.uk/petitions/700143/signatures/new"
    assert "This petition will be considered for debate" in texts(at)
    assert "Government department: Cabinet Office" in plain_texts(at)


def test_the_public_dump_layout_in_the_mirror_opens_offline(fake_api, mirror, tmp_path, monkeypatch):
    from tests.documents import as_dump, real, write

    write(tmp_path, "petitions/239406.json", as_dump(real(mirror / "petitions" / "239406.json")))
    monkeypatch.setenv("PETITIONMAP_MIRROR", str(tmp_path))
    fake_api.down = True
    at = app()
    assert not at.exception and title(at) == TITLE
    assert "copy (data as of 11 Aug 2019" in texts(at)  # the store's seeded copy or the mirror's own


def test_a_refused_document_says_why_on_the_page(fake_api, tmp_path, monkeypatch):
    from tests.documents import write

    write(tmp_path, "petitions/239406.json", {"data": {"type": "petition", "id": 239406, "attributes": {}}})
    monkeypatch.setenv("PETITIONMAP_MIRROR", str(tmp_path))
    fake_api.down = True
    at = app()
    assert not at.exception
    assert "the saved copy of petition 239406 was refused: petition 239406 has no 'action'" in shown(at.error[-1].value)


def header_of(doc: dict) -> str:
    """The page header of one document (any layout), drawn alone."""
    from streamlit.testing.v1 import AppTest

    def draw(doc):
        from dashboard import ui
        from petitions.loader import Loaded
        from petitions.model import parse_petition

        ui.header(parse_petition(doc), Loaded(parse_petition(doc), "file", None))
        ui.details(parse_petition(doc))

    return AppTest.from_function(draw, args=(doc,)).run()


def test_not_debated_is_shown_with_the_committee_reasons(petition_files):
    from tests.documents import amended, as_dump, real
    from tests.test_model import NOT_DEBATED

    doc = as_dump(amended(real(petition_files["700143"]), debate_outcome_at="2024-12-10T10:00:00Z",
                          debate=NOT_DEBATED))
    at = header_of(doc)
    assert not at.exception
    assert "The Petitions Committee decided not to debate this petition" in texts(at)
    assert NOT_DEBATED["overview"] in plain_texts(at) and "Debate (date unknown)" not in texts(at)


def test_debated_shows_date_and_links_and_document_text_stays_plain(petition_files):
    from tests.documents import amended, real

    doc = amended(real(petition_files["241584@2019-04-01T1207"]), action="Revoke *Article* 50 $x$ [a](b)",
                  debate_outcome_at="2019-04-02T10:00:00Z", debate={
                      "debated_on": "2019-04-01", "overview": "MPs debated **this**",
                      "transcript_url": "https://hansard.parliament.uk/t", "video_url": "javascript:alert(1)",
                      "debate_pack_url": "https://researchbriefings.parliament.uk/p"},
                  other_parliamentary_business=[{"subject": "Update", "body": "See <b>this</b>", "created_at": None}])
    at = header_of(doc)
    assert not at.exception
    assert title(at) == "Revoke *Article* 50 $x$ [a](b)"
    assert "Parliament debated this petition on 1 April 2019" in texts(at)
    assert "MPs debated **this**" in plain_texts(at) and "See <b>this</b>" in plain_texts(at)
    buttons = {b.proto.label: b.proto.url for b in at.get("link_button")}
    assert buttons["Read the transcript"] == "https://hansard.parliament.uk/t"
    assert "Watch the debate" not in buttons  # not a web link
    assert buttons["Read the research"] == "https://researchbriefings.parliament.uk/p"


def test_every_table_formats_counts_and_labels_in_sentence_case(fake_api):
    import json

    at = drawn(app(petition="700143"))
    markdown = "\n".join(e.value for e in at.markdown)
    assert "| Country | Signatures |" in markdown and "| Australia | 1,132 |" in markdown
    at.session_state["downloads"] = True
    at.run().toggle(key="all_table").set_value(True).run()
    assert at.dataframe, "the table of every constituency"
    for table in at.dataframe:
        config = json.loads(table.proto.columns)
        for name in table.value.columns:
            if name in config:
                label = config[name].get("label") or name
                assert label[0].isupper() and "_" not in label, (name, label)
                if str(table.value[name].dtype).startswith("int"):
                    assert config[name]["type_config"]["format"] == "localized", name
    assert "by index vs UK" in texts(drawn(app(petition="700143", metric="index")))


@pytest.mark.parametrize("name, today, line", [
    ("700143", "2024-11-24", "This petition is open · Deadline 20 May 2025 · 177 days left"),
    ("700143", "2025-05-20", "This petition is open · Deadline 20 May 2025 · 0 days left"),
    ("700143", "2025-05-21", "This petition is open · Deadline 20 May 2025 · the deadline has passed since this "
                             "copy was saved"),
    ("239406", "2026-01-01", "This petition is closed · This petition ran for 6 months"),
])
def test_facts_lines(petition_files, name, today, line):
    from datetime import date

    from dashboard.ui import facts
    from petitions.model import read_petition_file

    assert facts(read_petition_file(petition_files[name]), date.fromisoformat(today))[1] == line


@pytest.fixture
def page_on_fault_api(fault_api, monkeypatch, tmp_path):
    """The app's API client reaches the fake API through $PETITIONMAP_API_BASE; sleeps and clock are faked."""
    from dashboard import cache
    from petitions.api import PetitionsAPI
    from tests.fault_api import FakeClock

    monkeypatch.setenv("PETITIONMAP_STORE", str(tmp_path / "app.sqlite"))
    monkeypatch.setenv("PETITIONMAP_MIRROR", str(tmp_path / "no-mirror"))
    clear_caches()
    clock = FakeClock()
    client = PetitionsAPI(sleep=clock.sleep, timer=clock)
    monkeypatch.setattr(cache, "api", lambda: client)
    yield fault_api
    clear_caches()


@pytest.mark.parametrize("fault", ["404", "410", "429", "503", "reset", "truncated", "renamed-list", "50MB",
                                   "wrong-id", "deep"])
def test_api_faults_after_the_cache_expires_keep_the_petition(page_on_fault_api, fault):
    import streamlit as st

    from tests.fault_api import FAULTS

    at = app()
    assert not at.exception and title(at) == TITLE and not at.info  # live, and stored
    page_on_fault_api.faults[239406] = fault
    st.cache_data.clear()  # the 60 s cache has expired
    at = app()
    assert not at.exception and title(at) == TITLE
    notes = [shown(e.value) for e in at.info]
    assert len(notes) == 1 and notes[0].startswith("Showing the saved copy (data as of ") and FAULTS[fault] in notes[0]
    assert [b.proto.value for b in at.get("progress")] == [100, 14]
    assert len(maps(at)["map"]["values"]["signatures"]) == 650


def test_a_locked_store_never_takes_the_page_down(page_on_fault_api, monkeypatch):
    import sqlite3

    from dashboard import cache

    class Locked:
        def add(self, petition, fetched_at=None):
            raise sqlite3.OperationalError("database is locked")

        def latest_document(self, pid):
            raise sqlite3.OperationalError("database is locked")

        def petitions(self):
            raise sqlite3.OperationalError("database is locked")

        def snapshots(self, pid):
            raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(cache, "store", lambda: Locked())
    at = app()
    assert not at.exception and title(at) == TITLE
    assert any("History is off: this fetch was not saved (database is locked)" in shown(e.value) for e in at.info)


def test_a_store_that_cannot_be_opened_says_history_is_off(page_on_fault_api, monkeypatch):
    from dashboard import cache

    monkeypatch.setattr(cache, "store", lambda: None)
    at = app()
    assert not at.exception and title(at) == TITLE
    assert [shown(e.value) for e in at.info] == ["History is off: the snapshot store cannot be opened."]


def test_a_2010_petition_shown_on_2024_boundaries_is_marked_an_estimate(fake_api):
    at = app()
    at.toggle(key="on2024").set_value(True).run()
    assert not at.exception
    data = maps(at)["map"]
    assert data["geometry"]["map"].startswith("/app/static/geo/pcon2024-map-")
    assert sum(data["values"]["signatures"]) == 13_933  # the constituency total, kept whole
    assert data["title"] == "Signatures (estimate)" and set(data["values"]["mp"]) == {
        "Estimate: counted on the 2010–2024 boundaries"}
    assert at.query_params["boundaries"] == "2024"
    assert "population-weighted overlap lookup" in texts(at) and "estimates on the 2024 boundaries" in texts(at)
    at.selectbox(key="c").set_value("E14001131").run()  # Bristol Central, a 2024 seat
    assert "Estimate from the 2010–2024 seats" in texts(at) and at.query_params["c"] == "E14001131"
    at.toggle(key="on2024").set_value(False).run()
    assert maps(at)["map"]["geometry"]["map"].startswith("/app/static/geo/pcon2010-map-")
    assert "boundaries" not in at.query_params


def test_a_shared_link_opens_the_estimate_and_a_2024_petition_has_no_toggle(fake_api):
    at = app(boundaries="2024", c="E14001131")
    assert not at.exception and at.toggle(key="on2024").value
    assert maps(at)["map"]["selected"] == "E14001131"
    at = app(petition="700143", boundaries="2024")
    assert not at.exception and not [t for t in at.toggle if t.key == "on2024"]
    assert maps(at)["map"]["geometry"]["map"].startswith("/app/static/geo/pcon2024-map-")
    assert "boundaries" not in at.query_params
