from pathlib import Path

import pytest

from petitions.settings import ROOT, Settings


def test_defaults_when_nothing_is_set():
    s = Settings.from_env({})
    assert (s.mirror, s.api_base, s.live_every) == (None, None, 60.0)
    assert s.cache == ROOT / "data" / "cache" and s.store == str(ROOT / "data" / "history.sqlite")
    assert s.chromium == Path("/usr/bin/chromium")


@pytest.mark.parametrize(("name", "value", "field", "expected"), [
    ("PETITIONMAP_MIRROR", "/m", "mirror", Path("/m")),
    ("PETITIONMAP_MIRROR", "", "mirror", None),  # empty counts as unset
    ("PETITIONMAP_CACHE", "/c", "cache", Path("/c")),
    ("PETITIONMAP_STORE", "postgresql://h/db", "store", "postgresql://h/db"),
    ("PETITIONMAP_API_BASE", "http://127.0.0.1:9", "api_base", "http://127.0.0.1:9"),
    ("PETITIONMAP_CHROMIUM", "/b", "chromium", Path("/b")),
    ("PETITIONMAP_LIVE_EVERY", "2", "live_every", 2.0),
    ("PETITIONMAP_LIVE_EVERY", "0.1", "live_every", 1.0),  # never faster than once a second
    ("PETITIONMAP_LIVE_EVERY", "soon", "live_every", 60.0),  # not a number: the default
])
def test_each_variable(name, value, field, expected):
    assert getattr(Settings.from_env({name: value}), field) == expected


def test_project_paths_follow_the_root(tmp_path):
    s = Settings.from_env({}, root=tmp_path)
    assert s.manifest == tmp_path / "data" / "manifest.json" and s.pages == tmp_path / "dashboard" / "views"
    assert s.store == str(tmp_path / "data" / "history.sqlite")
