import json
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import ROOT

FIRST = ["ons_code", "name", "mp", "signatures", "population", "per_1000", "share", "index", "rank"]


def run(*args):
    return subprocess.run([sys.executable, "-m", "geo.export", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_csv_and_geojson_export(petition_files, tmp_path):
    out, geo = tmp_path / "out.csv", tmp_path / "out.geojson"
    done = run(str(petition_files["332711"]), "--csv", str(out), "--geojson", str(geo))
    assert done.returncode == 0, done.stderr
    assert "constituency set: pcon2010" in done.stdout and "unmatched codes: none" in done.stdout
    table = pd.read_csv(out)
    assert list(table.columns[:9]) == FIRST
    assert len(table) == 650 and table["ons_code"].is_monotonic_increasing
    assert table["signatures"].sum() == 45716 and (table["signatures"] == 0).sum() == 6
    assert "petition.parliament.uk" in table["attribution"][0] and "Contains OS data" in table["attribution"][0]
    doc = json.loads(geo.read_text())
    assert len(doc["features"]) == 650 and doc["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert doc["features"][0]["properties"]["ons_code"] == "E14000530"
    assert "Open Government Licence" in doc["attribution"]


@pytest.mark.parametrize("source, words", [
    ("missing-file.json", "no such file"),
    ("https://evil.example/petitions/1", "only https://petition.parliament.uk"),
])
def test_bad_input_writes_nothing(tmp_path, source, words):
    out = tmp_path / "out.csv"
    done = run(source, "--csv", str(out))
    assert done.returncode != 0
    assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr and not out.exists()


def test_offline_number_uses_the_mirror_copy(tmp_path):
    out = tmp_path / "out.csv"
    done = run("700143", "--csv", str(out))
    assert done.returncode == 0, done.stderr
    assert "pcon2024" in done.stdout and "data as of" in done.stdout
    assert len(pd.read_csv(out)) == 650
