"""Every page with every petition of the mirror runs without an exception (OpenMS test_gui.py style): catches
shape-specific crashes (a 153-seat petition, 644 listed seats, a snapshot folder, the 2024 set, a closed one)."""

import pytest

from tests.conftest import MIRROR
from tests.pages import app

PAGES = ("petition", "constituency", "trends")  # the pages that show a petition; Browse lists them
PETITIONS = sorted(p.stem for p in (MIRROR / "petitions").iterdir() if p.stem.isdigit())


def test_the_mirror_holds_the_petitions_this_smoke_test_is_about():
    assert PETITIONS == ["239406", "241584", "332711", "550951", "603658", "700143"]


@pytest.mark.parametrize("pid", PETITIONS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_every_mirror_petition(fake_api, page, pid):
    at = app(page, petition=pid)
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["petition"] == pid  # the petition asked for, not a fallback


@pytest.mark.parametrize("state", ["open", "closed", "all"])
def test_browse_runs_offline_over_the_mirror(fake_api, state):
    fake_api.down = True
    at = app("browse", state=state)
    assert not at.exception, [e.message for e in at.exception]
