import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from petitions.store import Store
from petitions.track import parse_interval
from tests.conftest import ROOT


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("5m", 300), ("1h", 3600), ("2", 2), ("1.5m", 90)])
def test_parse_interval(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "5x", "-1m", "0s", "m"])
def test_parse_interval_refuses(text):
    with pytest.raises(ValueError, match="not an interval"):
        parse_interval(text)


@pytest.fixture
def fake_api(petition_files):
    """A fake petitions API on 127.0.0.1: counts grow each call; a 429, a 500 and a slow answer on the way."""
    doc = json.loads(petition_files["239406"].read_text())
    calls = {"n": 0}
    script = {2: 429, 3: 429, 5: 500, 6: 500, 8: "slow"}  # the client retries once itself

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            calls["n"] += 1
            step = script.get(calls["n"])
            if isinstance(step, int):
                self.send_response(step)
                self.end_headers()
                return
            if step == "slow":
                time.sleep(1.5)
            attrs = doc["data"]["attributes"]
            attrs["signature_count"] += 10
            attrs["updated_at"] = f"2019-08-11T23:{calls['n'] % 60:02d}:00.000Z"
            attrs["signatures_by_constituency"][0]["signature_count"] += 10
            body = json.dumps(doc).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "max-age=0")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", calls
    server.shutdown()


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


def test_tracker_refuses_bad_arguments():
    done = subprocess.run([sys.executable, "-m", "petitions.track", "abc"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("error:") and "Traceback" not in done.stderr


def test_tracker_only_talks_to_this_machine_in_tests(tmp_path):
    env = {**os.environ, "PETITIONMAP_API_BASE": "http://example.com"}
    done = subprocess.run([sys.executable, "-m", "petitions.track", "1", "--once", "--store", str(tmp_path / "x")],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "127.0.0.1" in done.stderr
