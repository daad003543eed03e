import pytest

from dashboard.embed import goal
from petitions.model import read_petition_file
from tests.pages import app, maps, texts


@pytest.mark.parametrize("page", [None, "petition"])  # / and /petition
def test_embed_is_the_map_block_only(fake_api, page):
    at = app(page, petition="700143", embed="map")
    assert not at.exception
    assert list(maps(at)) == ["map"]
    page = texts(at)
    assert "1,462,163 signatures" in page and "data as of" in page
    assert [b.proto.url for b in at.get("link_button")] == [
        "https://petition.parliament.uk/petitions/700143/signatures/new"]
    assert not at.sidebar.children and not at.get("text_input")


def test_a_closed_petition_has_no_sign_link(fake_api):
    at = app(petition="239406", embed="map")
    assert not at.exception and not at.get("link_button")


def test_a_bad_petition_is_one_line(fake_api):
    at = app(petition="/etc/passwd", embed="map")
    assert not at.exception and not maps(at)
    assert at.error[0].value.startswith("This map cannot be shown: not a petition number")


@pytest.mark.parametrize("count, share, words", [
    (4_000, 0.4, "40% of the 10,000 for a Government response"),
    (25_000, 0.25, "25% of the 100,000 for a debate"),
    (150_000, 1.0, "100,000 reached: considered for a debate"),
])
def test_goal(mirror, count, share, words):
    from dataclasses import replace

    p = replace(read_petition_file(mirror / "petitions" / "700143.json"), signature_count=count)
    assert goal(p) == (pytest.approx(share), words)
