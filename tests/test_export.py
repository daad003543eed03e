import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pandas as pd
import pytest

from geo import export
from geo.reference.datasets import DataError
from petitions import loader
from petitions.api import PetitionsAPI

FIRST = ["ons_code", "name", "mp", "signatures", "population", "per_1000", "share", "index", "rank"]


def run(*args):
    """The installed `petitionmap export` command, in a child process that cannot reach the internet (a dead
    proxy), run from another folder than the project's."""
    env = os.environ | {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    command = Path(sys.executable).parent / "petitionmap"
    return subprocess.run([str(command), "export", *args], cwd=Path(args[-1]).parent, capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.fixture
def api_says(monkeypatch):
    """api_says(handler): the export's petition look-ups go to a MockTransport handler instead of the internet."""
    def install(handler):
        def handle(request):
            assert request.url.host == "petition.parliament.uk"
            return handler(request)
        monkeypatch.setattr(loader, "PetitionsAPI", lambda: PetitionsAPI(
            httpx.Client(transport=httpx.MockTransport(handle)), sleep=lambda s: None))
    return install


def offline(request):
    raise httpx.ConnectError("no network")


def test_csv_and_geojson_export_from_the_command_line(petition_files, tmp_path):
    out, geo = tmp_path / "out.csv", tmp_path / "out.geojson"
    done = run(str(petition_files["332711"]), "--csv", str(out), "--geojson", str(geo))
    assert done.returncode == 0, done.stderr
    assert "constituency set: pcon2010 (650 constituencies" in done.stdout
    assert "unmatched codes: none" in done.stdout.splitlines()
    table = pd.read_csv(out, dtype={"mp": str})
    assert list(table.columns[:9]) == FIRST
    assert len(table) == 650 and table["ons_code"].is_unique and table["ons_code"].is_monotonic_increasing
    listed = json.loads(petition_files["332711"].read_text())["data"]["attributes"]["signatures_by_constituency"]
    assert table["signatures"].sum() == sum(c["signature_count"] for c in listed) == 45716
    assert (table["signatures"] == 0).sum() == 6
    assert "petition.parliament.uk" in table["attribution"][0] and "Contains OS data" in table["attribution"][0]
    doc = json.loads(geo.read_text())
    assert len(doc["features"]) == 650
    assert {f["geometry"]["type"] for f in doc["features"]} <= {"Polygon", "MultiPolygon"}
    assert [f["properties"]["ons_code"] for f in doc["features"]] == table["ons_code"].tolist()
    assert sum(f["properties"]["signatures"] for f in doc["features"]) == 45716
    assert "Open Government Licence" in doc["attribution"]


@pytest.mark.parametrize("name, set_name", [("239406", "pcon2010"), ("700143", "pcon2024"), ("603658", "pcon2010")])
def test_csv_export(petition_files, tmp_path, capsys, name, set_name):
    out = tmp_path / "sub" / "out.csv"
    assert export.main([str(petition_files[name]), "--csv", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert f"constituency set: {set_name} (650 constituencies, " in printed[-3]
    assert printed[-2] == "unmatched codes: none" and printed[-1] == f"wrote {out}"
    table = pd.read_csv(out, dtype={"ons_code": str, "name": str, "mp": str})
    assert list(table.columns[:9]) == FIRST and len(table) == 650
    assert table["ons_code"].tolist() == sorted(table["ons_code"])
    listed = json.loads(petition_files[name].read_text())["data"]["attributes"]["signatures_by_constituency"]
    assert table["signatures"].sum() == sum(c["signature_count"] for c in listed)
    row = table.iloc[int(table["signatures"].idxmax())]
    assert row["rank"] == 1
    assert row["per_1000"] == pytest.approx(row["signatures"] / row["population"] * 1000, rel=1e-5)
    assert table["share"].sum() == pytest.approx(1.0, rel=1e-4)


def test_geojson_only(petition_files, tmp_path):
    geo = tmp_path / "out.geojson"
    assert export.main([str(petition_files["700143"]), "--geojson", str(geo)]) == 0
    doc = json.loads(geo.read_text())
    assert len(doc["features"]) == 650 and list(doc["features"][0]["properties"])[:9] == FIRST
    assert doc["features"][0]["properties"]["ons_code"] == "E14001063"
    assert not (tmp_path / "out.csv").exists()


def test_offline_number_uses_the_mirror_copy(api_says, tmp_path, capsys):
    api_says(offline)
    out = tmp_path / "out.csv"
    assert export.main(["700143", "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "constituency set: pcon2024" in printed and "Showing the local mirror's copy (data as of" in printed
    assert len(pd.read_csv(out)) == 650


def test_petition_number_fetched_live(api_says, petition_files, tmp_path, capsys):
    body = petition_files["550951"].read_bytes()
    api_says(lambda request: httpx.Response(200, content=body))
    out = tmp_path / "out.csv"
    assert export.main(["https://petition.parliament.uk/petitions/550951", "--csv", str(out)]) == 0
    assert "unmatched codes: none" in capsys.readouterr().out and len(pd.read_csv(out)) == 650


def _one_line_error(err: str, words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], err
    assert "Traceback" not in err


@pytest.mark.parametrize("source, words", [
    ("missing-file.json", "no such file: 'missing-file.json'"),
    ("https://evil.example/petitions/1", "only petition.parliament.uk petition links"),
    ("http://petition.parliament.uk/petitions/1", "no saved copy of petition 1 "),
    ("0", "'0' is not a petition number"),
    ("²³⁹⁴⁰⁶", "with the digits 0-9"),
    ("9" * 3000, "at most 9 digits"),
    ("https://[::1/petitions/1", "not a valid link"),
    ("99999999", "petition 99999999 was not found on petition.parliament.uk"),
    ("1234", "no saved copy of petition 1234"),
])
def test_bad_input_writes_nothing(api_says, tmp_path, capsys, source, words):
    api_says(lambda request: httpx.Response(404) if "99999999" in request.url.path else offline(request))
    out = tmp_path / "out.csv"
    assert export.main([source, "--csv", str(out)]) != 0
    captured = capsys.readouterr()
    _one_line_error(captured.err, words)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_non_petition_file_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "user.json"
    bad.write_text('{"data": {"type": "user"}}')
    out = tmp_path / "out.csv"
    assert export.main([str(bad), "--csv", str(out)]) == 1
    _one_line_error(capsys.readouterr().err, "not a petition document")
    assert not out.exists()


def test_bad_input_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "out.csv"
    (tmp_path / "out.geojson").write_text("previous")
    status = export.main(["https://petition.parliament.uk.evil.com/petitions/1", "--csv", str(out),
                          "--geojson", str(tmp_path / "out.geojson")])
    said = capsys.readouterr()
    assert status == 1 and said.out == ""
    _one_line_error(said.err, "only petition.parliament.uk petition links")
    assert not out.exists() and (tmp_path / "out.geojson").read_text() == "previous"


def test_a_failing_output_writes_no_output(petition_files, tmp_path, monkeypatch, capsys):
    def broken(result):
        raise DataError("boundaries unavailable")
    monkeypatch.setattr(export, "to_geojson_bytes", broken)
    out = tmp_path / "out.csv"
    assert export.main([str(petition_files["239406"]), "--csv", str(out), "--geojson", str(tmp_path / "g")]) == 1
    _one_line_error(capsys.readouterr().err, "boundaries unavailable")
    assert list(tmp_path.iterdir()) == []  # the CSV was built but is not written alone


def test_nothing_to_write_is_a_usage_error(petition_files, capsys):
    assert export.main([str(petition_files["239406"])]) == 2
    _one_line_error(capsys.readouterr().err, "say what to write")


@pytest.mark.parametrize("where", ["parent is a file", "target is a folder"])
def test_unwritable_output_is_a_one_line_error(petition_files, tmp_path, capsys, where):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "afolder").mkdir()
    out = tmp_path / "afile" / "out.csv" if where == "parent is a file" else tmp_path / "afolder"
    assert export.main([str(petition_files["239406"]), "--csv", str(out)]) == 1
    _one_line_error(capsys.readouterr().err, f"cannot write {out}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "afolder"]
    assert not any((tmp_path / "afolder").iterdir())  # no temporary file left behind


def test_csv_export_of_the_public_dump_layout(petition_files, tmp_path, capsys):
    from tests.documents import as_dump, real, write

    source = write(tmp_path, "dump.json", as_dump(real(petition_files["239406"])))
    out = tmp_path / "out.csv"
    assert export.main([str(source), "--csv", str(out)]) == 0
    assert capsys.readouterr().out.startswith("petition 239406: Undertake an independent enquiry")
    assert pd.read_csv(out)["signatures"].sum() == 13933


def hostile_file(petition_files, tmp_path, **changes):
    doc = json.loads(petition_files["239406"].read_text())
    for key, value in changes.items():
        doc["data"]["attributes"]["signatures_by_constituency"][0][key] = value
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc))
    return path, doc["data"]["attributes"]["signatures_by_constituency"][0]["ons_code"]


@pytest.mark.parametrize("mp", ['=HYPERLINK("https://evil.example","Click")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(1)"])
def test_csv_cells_never_start_a_formula(petition_files, tmp_path, capsys, mp):
    path, code = hostile_file(petition_files, tmp_path, mp=mp)
    out = tmp_path / "out.csv"
    assert export.main([str(path), "--csv", str(out)]) == 0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table.set_index("ons_code").loc[code, "mp"] == "'" + mp
    text_columns = ["name", "mp", "nation", "region", "attribution"]
    assert not table[text_columns].apply(lambda c: c.str.match(r"^[=+\-@]")).any().any()
    assert (table["signatures"].astype(int) >= 0).all()  # numbers are not prefixed


BAD_FILES = [
    ("not UTF-8", lambda doc: json.dumps(doc).replace("Russia", "Rüssia").encode("latin-1"), "is not UTF-8 text"),
    ("deep nesting", lambda doc: b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    ("1e400", lambda doc: json.dumps(doc).replace('"signature_count": 14846', '"signature_count": 1e400').encode(),
     "is not a whole number: inf"),
    ("10^30 in a constituency", lambda doc: json.dumps(doc).replace('"signature_count": 14846',
                                                                    '"signature_count": 1' + "0" * 30).encode(),
     "impossibly large"),
    ("numeric state", lambda doc: json.dumps(doc).replace('"state": "closed"', '"state": 7').encode(),
     "state is not text: 7"),
    ("no code in any set", lambda doc: json.dumps(doc).replace('"ons_code": "E', '"ons_code": "X').replace(
        '"ons_code": "W', '"ons_code": "X').replace('"ons_code": "S', '"ons_code": "X').replace(
        '"ons_code": "N', '"ons_code": "X').encode(), "is a Westminster constituency"),
]


@pytest.mark.parametrize("case, make, words", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_files_exit_1_write_nothing(petition_files, tmp_path, capsys, case, make, words):
    path = tmp_path / "in" / "bad.json"
    path.parent.mkdir()
    path.write_bytes(make(json.loads(petition_files["239406"].read_text())))
    out = tmp_path / "out"
    assert export.main([str(path), "--csv", str(out / "a.csv"), "--geojson", str(out / "a.geojson")]) == 1
    _one_line_error(capsys.readouterr().err, words)
    assert not out.exists()


def test_a_bom_file_is_exported(petition_files, tmp_path, capsys):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + petition_files["239406"].read_bytes())
    assert export.main([str(path), "--csv", str(tmp_path / "a.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "a.csv")) == 650
