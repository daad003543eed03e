import json

from tests.pages import app, texts


def test_lists_the_official_page_with_pagination(fake_api):
    at = app("browse")
    assert not at.exception and at.title[0].value == "Browse petitions"
    rows = at.dataframe[0].value
    assert len(rows) == 50
    assert "Page 1 of 8" in texts(at)
    assert any("state=open" in url and "page=1" in url for url in fake_api.seen)
    at.number_input(key="page").set_value(2).run()
    assert any("page=2" in url for url in fake_api.seen)


def test_search_and_state_reach_the_api(fake_api):
    at = app("browse")
    at.text_input(key="q").set_value("climate change").run()
    at.selectbox(key="state").set_value("debated").run()
    assert not at.exception
    assert any("q=climate+change" in url and "state=debated" in url for url in fake_api.seen)


def test_offline_lists_saved_petitions_with_the_same_controls(fake_api):
    fake_api.down = True
    at = app("browse")
    assert not at.exception
    assert "offline" in texts(at)
    open_now = set(at.dataframe[0].value["Petition"])
    assert "Call a General Election" in open_now  # the mirror's document
    assert "Revoke Article 50 and remain in the EU." not in open_now  # 2017–2019: in the archive
    at.toggle(key="archived").set_value(True).run()
    assert list(at.dataframe[0].value["Petition"]) == ["Revoke Article 50 and remain in the EU."]
    at.selectbox(key="state").set_value("closed").run()
    at.text_input(key="q").set_value("prison").run()
    assert list(at.dataframe[0].value["Petition"]) == ["Reopen the competition for selling Reading prison to new bids"]
    assert at.query_params["archived"] == "1" and at.query_params["state"] == "closed"


def test_offline_search_finds_the_saved_result_page(fake_api, mirror):
    import json

    saved = json.loads((mirror / "petitions" / "list-q-climate-change-page-1.json").read_text())
    fake_api.down = True
    at = app("browse", q="climate change", state="all")
    assert not at.exception and at.text_input(key="q").value == "climate change"
    assert len(at.dataframe[0].value) == 50
    assert set(at.dataframe[0].value["id"]) == {int(e["id"]) for e in saved["data"]}


def test_state_search_and_page_live_in_the_url(fake_api):
    at = app("browse", state="with_response", q="climate change", page="2", archived="1")
    assert not at.exception
    assert at.selectbox(key="state").value == "with_response" and at.number_input(key="page").value == 2
    assert at.toggle(key="archived").value is True
    assert any("/archived/petitions.json" in u and "state=with_response" in u and "page=2" in u and "q=climate" in u
               for u in fake_api.seen)
    assert dict(at.query_params) == {"state": "with_response", "q": "climate change", "page": "2", "archived": "1"}


def test_progress_has_one_labelled_meaning(fake_api):
    at = app("browse")
    frame = at.dataframe[0].value
    assert (frame["Progress"] == (frame["Signatures"] / 100_000).clip(upper=1.0)).all()
    config = json.loads(at.dataframe[0].proto.columns)["Progress"]
    assert config["label"] == "Toward 100,000 (debate)"


def test_refused_files_are_listed_with_their_reasons(fake_api, tmp_path, monkeypatch):
    from tests.documents import write

    write(tmp_path, "petitions/5.json", {"data": {"type": "petition", "id": 5, "attributes": {"action": "x"}}})
    monkeypatch.setenv("PETITIONMAP_MIRROR", str(tmp_path))
    at = app("browse")
    assert not at.exception
    assert at.expander[-1].label == "1 saved file(s) could not be read"
    assert "5.json: petition 5 has no 'signature_count'" in "\n".join(e.proto.body for e in at.get("text"))
