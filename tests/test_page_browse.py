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
    assert set(at.dataframe[0].value["Petition"]) == {"Revoke Article 50 and remain in the EU.",
                                                       "Call a General Election"}
    at.selectbox(key="state").set_value("closed").run()
    at.text_input(key="q").set_value("prison").run()
    assert list(at.dataframe[0].value["Petition"]) == ["Reopen the competition for selling Reading prison to new bids"]
