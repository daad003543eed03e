import json
import os
import signal
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler

import pytest

from petitions.store import open_store as Store
from petitions.track import parse_interval
from tests.conftest import ROOT, local_server


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
    """A fake petitions API on 127.0.0.1: counts grow each call; a 429, a 500 and a slow answer on the way."""
    doc = json.loads(petition_files["239406"].read_text())
    script = {2: 429, 3: 429, 5: 500, 6: 500}  # the client retries once itself

    def answer(n: int) -> int | dict:
        if n in script:
            return script[n]
        if n == 8:
            time.sleep(1.5)  # slow, but inside the client's timeout
        attrs = doc["data"]["attributes"]
        attrs["signature_count"] += 10
        attrs["updated_at"] = f"2019-08-11T23:{n % 60:02d}:00.000Z"
        attrs["signatures_by_constituency"][0]["signature_count"] += 10
        return doc

    return serve(answer)


def test_tracker_stores_new_snapshots_and_survives_errors(fake_api, tmp_path):
    base, calls = fake_api
    store_path = tmp_path / "track.sqlite"
    env = {**os.environ, "PETITIONMAP_API_BASE": base}
    proc = subprocess.Popen([sys.executable, "-m", "petitions.track", "239406", "--every", "0.5s",
                             "--store", str(store_path)], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and calls["n"] < 10:
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0
    assert "HTTP 429" in err and "HTTP 500" in err and "Traceback" not in err
    snaps = Store(store_path).snapshots(239406)
    assert len(snaps) >= 4 and snaps["signature_count"].is_monotonic_increasing
    assert snaps["signature_count"].is_unique


@pytest.mark.parametrize("args", [["abc"], ["0"], [], ["1", "--every", "5x"], ["1", "--every", "0s"],
                                  ["1", "--bogus"]])
def test_tracker_refuses_bad_arguments(args, tmp_path):
    done = subprocess.run([sys.executable, "-m", "petitions.track", *args, "--store", str(tmp_path / "s.sqlite")],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and done.stderr.count("\n") == 1, done.stderr


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


def test_once_polls_once_and_exits(serve, petition_files, tmp_path):
    base, calls = serve(json.loads(petition_files["239406"].read_text()))
    proc = tracker(base, tmp_path / "s.sqlite", "--once")
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0 and calls["n"] == 1 and "14,846 signatures" in err
    doc, _ = Store(tmp_path / "s.sqlite").latest_document(239406)
    assert doc["data"]["id"] == 239406


def test_tracker_only_talks_to_this_machine_in_tests(tmp_path):
    env = {**os.environ, "PETITIONMAP_API_BASE": "http://example.com"}
    done = subprocess.run([sys.executable, "-m", "petitions.track", "1", "--once", "--store", str(tmp_path / "x")],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "127.0.0.1" in done.stderr


def test_tracker_stores_the_public_dump_layout(serve, petition_files, tmp_path):
    from tests.documents import as_dump, real

    base, calls = serve(as_dump(real(petition_files["239406"])))
    proc = tracker(base, tmp_path / "s.sqlite", "--once")
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0 and "14,846 signatures" in err, err
    assert len(Store(tmp_path / "s.sqlite").snapshots(239406)) == 1
