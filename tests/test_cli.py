"""The `petitionmap` command, in-process: each subcommand reaches its module; one error style and exit status."""

import os
import sys

import pytest

from dashboard.cli import main
from petitions.settings import current


def run(capsys, *argv: str) -> tuple[int, str]:
    try:
        status = main(list(argv))
    except SystemExit as exit_:  # argparse's usage errors
        status = exit_.code
    return status, capsys.readouterr().err


def one_line(err: str, words: str) -> None:
    assert err.startswith("error: ") and err.count("\n") == 1 and words in err and "Traceback" not in err, err


@pytest.mark.parametrize("argv, status, words", [
    ([], 2, "required: COMMAND"), (["bogus"], 2, "invalid choice: 'bogus'"), (["track"], 2, "give petition numbers"),
    (["track", "abc"], 1, "not a petition number"), (["export", "239406"], 2, "say what to write"),
    (["run", "--port", "0"], 1, "not a port: 0"), (["run", "--port", "x"], 2, "invalid int value"),
    (["data", "--bogus"], 2, "unrecognized arguments: --bogus"),
])
def test_errors_are_one_line_with_the_exit_status_of_their_kind(capsys, argv, status, words):
    code, err = run(capsys, *argv)
    assert code == status
    one_line(err, words)


@pytest.fixture
def execs(monkeypatch, tmp_path):
    """Record what `run` and `bench` would replace this process with, and the folder they would do it in."""
    seen = []
    monkeypatch.chdir(tmp_path)  # restored afterwards: the command changes into the project folder

    def execv(path, args):
        seen.append((os.getcwd(), args))
        raise SystemExit(0)
    monkeypatch.setattr(os, "execv", execv)
    return seen


def test_run_serves_the_dashboard_from_the_project_folder(execs, capsys):
    assert run(capsys, "run", "--port", "8615")[0] == 0
    root = current().root
    assert execs == [(str(root), [sys.executable, "-m", "streamlit", "run", str(root / "dashboard" / "serve.py"),
                                  "--server.port", "8615"])]


def test_bench_runs_the_named_benchmarks_from_the_project_folder(execs, capsys):
    assert run(capsys, "bench", "core", "store")[0] == 0
    assert execs == [(str(current().root), [sys.executable, "-m", "benchmarks", "core", "store"])]


def test_data_fills_the_cache_and_reports_the_mirror(capsys, tmp_path, monkeypatch, mirror):
    monkeypatch.setenv("PETITIONMAP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PETITIONMAP_MIRROR", str(mirror))
    assert main(["data"]) == 0
    said = capsys.readouterr()
    assert len(list((tmp_path / "cache").glob("*.parquet"))) >= 10
    assert "pcon2024-boundaries:" in said.out and "mirror petitions: 6 documents" in said.err


def test_data_without_mirror_or_network_is_one_line(capsys, tmp_path, monkeypatch):
    import httpx

    monkeypatch.setenv("PETITIONMAP_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("PETITIONMAP_MIRROR")

    def offline(method, url, **kw):
        raise httpx.ConnectError("no network")
    monkeypatch.setattr(httpx, "stream", offline)
    status, err = run(capsys, "data")
    assert status == 1
    one_line(err, "set PETITIONMAP_MIRROR to a mirror folder to work offline")


def test_export_writes_through_the_command(capsys, tmp_path, petition_files):
    out = tmp_path / "out.csv"
    assert main(["export", str(petition_files["603658"]), "--csv", str(out)]) == 0
    assert out.read_text().startswith("ons_code,name,mp,signatures") and "petition 603658" in capsys.readouterr().out
