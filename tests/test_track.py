import json
import os
import signal
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler

import pytest

from petitions.api import Fetched, PetitionsAPI, Unreachable
from petitions.model import parse_petition
from petitions.store import open_store as Store
from petitions.track import MAX_BACKOFF, main, parse_interval, track
from tests.conftest import ROOT
from tests.services import Clock, local_server


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("5m", 300), ("1h", 3600), ("2", 2), ("1.5m", 90)])
def test_parse_interval(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "5x", "-1m", "0s", "m"])
def test_parse_interval_refuses(text):
    with pytest.raises(ValueError, match="not an interval"):
        parse_interval(text)


@pytest.fixture
def serve():
    """Serve a petition document on 127.0.0.1, or whatever `answer(call number)` returns (a status or a
    document); `delay` seconds before each answer."""
    servers = []

    def start(answer, delay: float = 0.0) -> tuple[str, dict]:
        calls = {"n": 0}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                calls["n"] += 1
                time.sleep(delay)
                reply = answer(calls["n"]) if callable(answer) else answer
                if isinstance(reply, int):
                    self.send_response(reply)
                    self.end_headers()
                    return
                body = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", "max-age=0")
                self.end_headers()
                self.wfile.write(body)

        server = local_server(Handler)
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}", calls

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture
def fake_api(serve, petition_files):
    """A fake petitions API on 127.0.0.1: counts grow each call; two 429s and two 500s on the way."""
    doc = json.loads(petition_files["239406"].read_text())
    script = {2: 429, 3: 429, 5: 500, 6: 500}  # the client retries once itself

    def answer(n: int) -> int | dict:
        if n in script:
            return script[n]
        attrs = doc["data"]["attributes"]
        attrs["signature_count"] += 10
        attrs["updated_at"] = f"2019-08-11T23:{n % 60:02d}:00.000Z"
        attrs["signatures_by_constituency"][0]["signature_count"] += 10
        return doc

    return serve(answer)


@pytest.fixture
def signals():
    """main() installs SIGINT/SIGTERM handlers (and ignores both on the way out): give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_tracker_stores_new_snapshots_and_survives_errors(fake_api, tmp_path, monkeypatch):
    base, calls = fake_api
    monkeypatch.setenv("PETITIONMAP_API_BASE", base)
    clock, lines = Clock(), []
    store = Store(tmp_path / "track.sqlite")
    track([239406], 0.5, store, PetitionsAPI(retries=1, sleep=clock.sleep), log=lines.append,
          sleep=clock.sleep, clock=clock, stop=lambda: calls["n"] >= 10)
    log = "\n".join(lines)
    assert "HTTP 429" in log and "HTTP 500" in log and "Traceback" not in log
    snaps = store.snapshots(239406)
    assert len(snaps) >= 4 and snaps["signature_count"].is_monotonic_increasing
    assert snaps["signature_count"].is_unique


class ScriptedAPI:
    """petition_live for the scheduling tests: petitions in `failing` always fail; `polls` records (time, id)."""

    def __init__(self, clock, document, failing=()):
        self.clock, self.document, self.failing, self.polls = clock, document, set(failing), []

    def petition_live(self, pid):
        self.polls.append((self.clock(), pid))
        if pid in self.failing:
            raise Unreachable(f"petition.parliament.uk did not answer for {pid}")
        attrs = self.document["data"]["attributes"]
        attrs["signature_count"] += 1
        return parse_petition(self.document), Fetched(self.document, 1_750_000_000 + self.clock())


def test_a_failing_petition_backs_off_exponentially_while_the_others_keep_their_interval(petition_files, tmp_path):
    clock, lines = Clock(), []
    api = ScriptedAPI(clock, json.loads(petition_files["239406"].read_text()), failing={2})
    store = Store(tmp_path / "s.sqlite")
    track([239406, 2], 60, store, api, log=lines.append, sleep=clock.sleep, clock=clock,
          stop=lambda: clock() > 1000)
    assert [t for t, pid in api.polls if pid == 239406] == [60.0 * i for i in range(17)]
    assert [t for t, pid in api.polls if pid == 2] == [0, 60, 180, 420, 900]  # waits of 60, 120, 240, 480 s
    assert "petition 2: petition.parliament.uk did not answer for 2; retrying in 480 s" in lines
    assert len(store.snapshots(239406)) == 17


def test_the_back_off_is_capped_at_max_backoff(petition_files, tmp_path):
    clock, lines = Clock(), []
    api = ScriptedAPI(clock, json.loads(petition_files["239406"].read_text()), failing={2})
    track([2], 600, Store(tmp_path / "s.sqlite"), api, log=lines.append, sleep=clock.sleep, clock=clock,
          stop=lambda: clock() > 4 * MAX_BACKOFF)
    waits = [b - a for (a, _), (b, _) in zip(api.polls, api.polls[1:])]
    assert waits[:3] == [600, 1200, 2400] and set(waits[3:]) == {MAX_BACKOFF}


def test_once_polls_each_petition_once_and_never_sleeps(petition_files, tmp_path):
    clock = Clock()
    api = ScriptedAPI(clock, json.loads(petition_files["239406"].read_text()), failing={2})
    track([239406, 2], 60, Store(tmp_path / "s.sqlite"), api, once=True, log=lambda line: None,
          sleep=clock.sleep, clock=clock)
    assert api.polls == [(0, 239406), (0, 2)] and clock() == 0


@pytest.mark.parametrize("args, status, words", [
    (["abc"], 1, "not a petition number"), (["0"], 1, "not a petition number"),
    ([], 2, "give petition numbers"), (["1", "--every", "5x"], 1, "not an interval"),
    (["1", "--every", "0s"], 1, "not an interval"), (["1", "--bogus"], 2, "unrecognized arguments: --bogus"),
    (["1", "--all-open"], 2, "not both"), (["1", "--parliament", "2017"], 2, "--parliament goes with --backfill"),
    (["--backfill", "--parliament", "x"], 1, "not a parliament"),
])
def test_tracker_refuses_bad_arguments_in_one_line(args, status, words, tmp_path, capsys):
    try:
        code = main([*args, "--store", str(tmp_path / "s.sqlite")])
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code
    err = capsys.readouterr().err
    assert code == status and err.startswith("error:") and words in err and err.count("\n") == 1, err


def tracker(base: str, store_path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PETITIONMAP_API_BASE": base}
    return subprocess.Popen([sys.executable, "-m", "petitions.track", "239406", "--store", str(store_path), *args],
                            cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)


def wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_tracker_even_during_a_slow_request(sig, serve, petition_files, tmp_path):
    base, calls = serve(json.loads(petition_files["239406"].read_text()), delay=30)
    proc = tracker(base, tmp_path / "s.sqlite", "--every", "1s")
    wait_for(lambda: calls["n"] >= 1)  # the request is in flight, the answer 30 s away
    began = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0 and time.monotonic() - began < 3
    assert "stopped" in err and "Traceback" not in err


def test_two_trackers_on_one_store_store_a_document_once(serve, petition_files, tmp_path):
    base, calls = serve(json.loads(petition_files["239406"].read_text()))
    path = tmp_path / "s.sqlite"
    procs = [tracker(base, path, "--every", "0.2s") for _ in range(2)]
    wait_for(lambda: calls["n"] >= 10)
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    errors = [proc.communicate(timeout=10)[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], errors
    assert len(Store(path).snapshots(239406)) == 1


def test_once_polls_once_and_exits(serve, petition_files, tmp_path, monkeypatch, capsys, signals):
    base, calls = serve(json.loads(petition_files["239406"].read_text()))
    monkeypatch.setenv("PETITIONMAP_API_BASE", base)
    assert main(["239406", "--store", str(tmp_path / "s.sqlite"), "--once"]) == 0
    assert calls["n"] == 1 and "14,846 signatures" in capsys.readouterr().err
    doc, _ = Store(tmp_path / "s.sqlite").latest_document(239406)
    assert doc["data"]["id"] == 239406


def test_tracker_only_talks_to_this_machine_in_tests(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PETITIONMAP_API_BASE", "http://example.com")
    assert main(["1", "--once", "--store", str(tmp_path / "x")]) == 1
    assert "127.0.0.1" in capsys.readouterr().err


def test_tracker_stores_the_public_dump_layout(serve, petition_files, tmp_path, monkeypatch, capsys, signals):
    from tests.documents import as_dump, real

    base, calls = serve(as_dump(real(petition_files["239406"])))
    monkeypatch.setenv("PETITIONMAP_API_BASE", base)
    assert main(["239406", "--store", str(tmp_path / "s.sqlite"), "--once"]) == 0
    assert "14,846 signatures" in capsys.readouterr().err
    assert len(Store(tmp_path / "s.sqlite").snapshots(239406)) == 1
