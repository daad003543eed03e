import pytest

from petitions.api import Unreachable
from petitions.model import PetitionError
from petitions.postcode import normalise_postcode, postcode_slug
from tests.fake_local import LocalLookup, fake_local_site


@pytest.fixture
def fake_site(monkeypatch):
    server = fake_local_site()
    monkeypatch.setenv("PETITIONMAP_API_BASE", f"http://127.0.0.1:{server.server_address[1]}")
    yield server
    server.shutdown()


@pytest.mark.parametrize("text, code", [("bs8 1th", "BS81TH"), (" SW1A  1AA ", "SW1A1AA"), ("m11ae", "M11AE"),
                                        ("EH1 1YZ", "EH11YZ")])
def test_postcodes_are_normalised(text, code):
    assert normalise_postcode(text) == code


@pytest.mark.parametrize("text", ["", "Bristol", "BS8", "12345", "BS8 1THX", "=cmd()"])
def test_not_a_postcode_is_refused_by_name(text):
    with pytest.raises(PetitionError, match="not a UK postcode"):
        normalise_postcode(text)


@pytest.mark.parametrize("postcode, slug", [("BS8 1TH", "bristol-central"),
                                            ("sw1a1aa", "cities-of-london-and-westminster"),
                                            ("ZZ9 9ZZ", None)])
def test_postcode_lookup_against_the_fake_official_site(fake_site, postcode, slug):
    assert postcode_slug(postcode) == slug
    assert LocalLookup.seen[-1] == normalise_postcode(postcode)  # sent as the site expects it


def test_a_redirect_elsewhere_is_refused(fake_site):
    with pytest.raises(PetitionError, match="unexpected address"):
        postcode_slug("EH1 1YZ")


def test_a_failing_site_is_unreachable(fake_site):
    with pytest.raises(Unreachable, match="HTTP 503"):
        postcode_slug("BR1 1AA")


def test_offline_is_unreachable(monkeypatch):
    monkeypatch.setenv("PETITIONMAP_API_BASE", "http://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(Unreachable, match="cannot be reached"):
        postcode_slug("BS8 1TH")
