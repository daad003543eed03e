"""The polite tracker against a fake petitions API on 127.0.0.1, with a simulated clock (no real waiting)."""

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from petitions.api import Rebase
from petitions.store import open_store
from petitions.sweep import BUSY_EVERY, QUIET_EVERY, Forbidden, OpenTracker, PoliteClient, backfill, import_folder
from petitions.track import main
from tests.services import Clock, local_server


class Site:
    """Open and closed petitions; list pages of `size`; scripted statuses; hooks run after a list page."""

    def __init__(self, template: dict, n: int = 8, size: int = 3) -> None:
        self.template = template
        self.size = size
        self.petitions = {100 + i: {"count": 1000 * (n - i), "updated": 0, "state": "open", "text": 0}
                          for i in range(n)}
        self.script: dict[str, list[int]] = {}  # path -> statuses to answer first
        self.after_page: dict[int, callable] = {}
        self.seen: list[tuple[str, dict, int]] = []  # path?query, headers, client port
        self.lock = threading.Lock()

    def doc(self, pid: int) -> dict:
        p = self.petitions[pid]
        doc = copy.deepcopy(self.template)
        doc["data"]["id"] = pid
        attrs = doc["data"]["attributes"]
        attrs["signature_count"] = p["count"]
        attrs["state"] = p["state"]
        attrs["updated_at"] = f"2025-06-15T{p['updated'] // 60 % 24:02d}:{p['updated'] % 60:02d}:00.000Z"
        attrs["signatures_by_constituency"][0]["signature_count"] = p["count"] // 10
        return doc

    def etag(self, pid: int) -> str:
        p = self.petitions[pid]
        return f'"{pid}-{p["count"]}-{p["state"]}-{p["text"]}"'

    def listing(self, query: dict, archived: bool) -> dict:
        state = query.get("state", ["open"])[0]
        page = int(query.get("page", ["1"])[0])
        chosen = [pid for pid, p in self.petitions.items() if state == "all" or p["state"] == state]
        if archived:
            chosen = [pid for pid in chosen if self.petitions[pid].get("archived")]
        elif state == "all":
            chosen = [pid for pid in chosen if not self.petitions[pid].get("archived")]
        chosen.sort(key=lambda pid: -self.petitions[pid]["count"])
        last = max(1, -(-len(chosen) // self.size))
        items = [{"type": "petition", "id": pid, "attributes": {
            "action": f"Petition {pid}", "state": self.petitions[pid]["state"],
            "signature_count": self.petitions[pid]["count"],
            "updated_at": self.doc(pid)["data"]["attributes"]["updated_at"]}}
            for pid in chosen[(page - 1) * self.size: page * self.size]]
        base = "https://petition.parliament.uk/" + ("archived/" if archived else "") + f"petitions.json?state={state}"
        links = {"self": f"{base}&page={page}", "first": f"{base}&page=1", "last": f"{base}&page={last}",
                 "next": f"{base}&page={page + 1}" if page < last else None}
        return {"links": links, "data": items}

    def serve(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive

            def do_GET(self):
                url = urlsplit(self.path)
                with site.lock:
                    site.seen.append((self.path, dict(self.headers), self.client_address[1]))
                    scripted = site.script.get(url.path)
                    status = scripted.pop(0) if scripted else None
                    if status:
                        return self.reply(status, b"")
                    query = parse_qs(url.query)
                    if url.path in ("/petitions.json", "/archived/petitions.json"):
                        body = site.listing(query, url.path.startswith("/archived"))
                        hook = site.after_page.pop(int(query.get("page", ["1"])[0]), None)
                        if hook:
                            hook()
                        return self.reply(200, json.dumps(body).encode())
                    pid = int(url.path.rsplit("/", 1)[-1].removesuffix(".json"))
                    if pid not in site.petitions:
                        return self.reply(404, b"")
                    if self.headers.get("If-None-Match") == site.etag(pid):
                        return self.reply(304, b"", etag=site.etag(pid))
                    return self.reply(200, json.dumps(site.doc(pid)).encode(), etag=site.etag(pid))

            def reply(self, status, body, etag=None):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "max-age=60")
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

        return local_server(Handler)

    def petition_fetches(self) -> list[str]:
        return [p for p, _, _ in self.seen if p.startswith(("/petitions/", "/archived/petitions/"))]


@pytest.fixture
def site(petition_files):
    site = Site(json.loads(petition_files["603658"].read_text()))
    server = site.serve()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield site
    server.shutdown()


@pytest.fixture
def clock():
    return Clock()


def client_for(site, clock) -> PoliteClient:
    return PoliteClient(httpx.Client(transport=Rebase(site.base), timeout=5), clock=clock, wall=clock.wall,
                        sleep=clock.sleep)


@pytest.fixture
def tracker(site, clock, tmp_path):
    store = open_store(tmp_path / "s.sqlite")
    return OpenTracker(store, client_for(site, clock), log=lambda m: None)


def test_first_sweep_walks_every_page_despite_shifting_entries(site, tracker):
    # after page 1 is served a new petition tops the list: every later entry shifts down one place
    site.after_page[1] = lambda: site.petitions.update({200: {"count": 99_999, "updated": 1, "state": "open",
                                                              "text": 0}})
    summary = tracker.sweep()
    assert summary.pages == 3 and summary.listed == 8  # the newcomer was above page 1 when it arrived
    assert summary.fetched == summary.stored == 8
    assert set(tracker.store.petitions()["id"]) == set(range(100, 108))
    second = tracker.sweep()
    assert second.listed == 9 and second.stored == 1  # now the newcomer
    lists = [p for p, _, _ in site.seen if p.startswith("/petitions.json")]
    assert all("state=open" in p for p in lists)


def test_an_entry_that_jumps_over_the_walk_is_looked_up_by_itself(site, tracker, clock):
    tracker.sweep()
    clock.sleep(QUIET_EVERY)
    # while page 1 is served, petition 107 (last page) overtakes everyone: the walk misses it
    site.after_page[1] = lambda: site.petitions[107].update(count=50_000, updated=5)
    site.seen.clear()
    summary = tracker.sweep()
    assert "/petitions/107.json" in site.petition_fetches()
    assert summary.stored == 1 and tracker.store.petitions().set_index("id").loc[107, "latest_total"] == 50_000


def test_only_moved_petitions_are_fetched_busy_often_quiet_hourly(site, tracker, clock):
    tracker.sweep()
    first = tracker.watched[101].fetched
    site.seen.clear()
    clock.sleep(BUSY_EVERY)
    site.petitions[100].update(count=site.petitions[100]["count"] + 500, updated=10)  # busy: 6,000 an hour
    site.petitions[101].update(count=site.petitions[101]["count"] + 1, updated=10)  # quiet: 12 an hour
    summary = tracker.sweep()
    assert summary.moved == 2 and site.petition_fetches() == ["/petitions/100.json"]
    quiet = []
    for minutes in range(5, 60, 5):  # 101 waits for its hour; 100 is fetched each time it moves
        site.seen.clear()
        clock.sleep(BUSY_EVERY)
        site.petitions[100].update(count=site.petitions[100]["count"] + 500, updated=10 + minutes)
        tracker.sweep()
        fetched = site.petition_fetches()
        assert "/petitions/100.json" in fetched
        quiet += [tracker.watched[101].fetched] if "/petitions/101.json" in fetched else []
    assert len(quiet) == 1 and QUIET_EVERY - 1 <= quiet[0] - first < QUIET_EVERY + BUSY_EVERY
    assert len(tracker.store.snapshots(100)) == 13 and len(tracker.store.snapshots(101)) == 2


def test_conditional_requests_and_304(site, tracker, clock):
    tracker.sweep()
    clock.sleep(QUIET_EVERY)
    site.petitions[102]["updated"] = 30  # the list says it moved, but the document is unchanged: 304
    site.seen.clear()
    summary = tracker.sweep()
    sent = [h for p, h, _ in site.seen if p == "/petitions/102.json"]
    assert sent and sent[0].get("If-None-Match") == site.etag(102)
    assert summary.fetched == 1 and summary.unchanged == 1 and summary.stored == 0


def test_a_429_backs_the_whole_client_off_and_the_rate_stays_under_two_a_second(site, tracker, clock):
    site.script["/petitions/103.json"] = [429, 503]
    summary = tracker.sweep()
    assert summary.stored == 8
    log = tracker.client.log
    times = [t for t, _, _ in log]
    assert all(b - a >= 0.5 - 1e-9 for a, b in zip(times, times[1:]))  # ≤ 2 requests a second
    first = next(i for i, (_, path, status) in enumerate(log) if status == 429)
    assert log[first + 1][2] == 503 and log[first + 1][0] - log[first][0] >= 30  # backed off
    assert log[first + 2][0] - log[first + 1][0] >= 60  # and doubled
    assert log[first + 2][1] == "/petitions/103.json" and log[first + 2][2] == 200
    assert log[first + 3][0] - log[first + 2][0] < 1  # a success ends the back-off


def test_one_keep_alive_connection_with_gzip_and_a_user_agent(site, tracker):
    tracker.sweep()
    ports = {port for _, _, port in site.seen}
    assert len(ports) == 1
    headers = [h for _, h, _ in site.seen]
    assert all("petitionmap" in h["User-Agent"] and "gzip" in h["Accept-Encoding"] for h in headers)


def test_a_closing_petition_gets_its_last_snapshot(site, tracker, clock):
    tracker.sweep()
    clock.sleep(QUIET_EVERY)
    site.petitions[104].update(state="closed", count=site.petitions[104]["count"] + 3, updated=40)
    summary = tracker.sweep()
    assert summary.closed == 1 and summary.stored == 1
    row = tracker.store.petitions().set_index("id").loc[104]
    assert row["state"] == "closed" and row["latest_total"] == site.petitions[104]["count"]
    clock.sleep(QUIET_EVERY)
    site.seen.clear()
    tracker.sweep()
    assert site.petition_fetches() == []  # no longer watched


def test_a_403_stops_the_tracker(site, tracker):
    site.script["/petitions/101.json"] = [403]
    with pytest.raises(Forbidden, match="403"):
        tracker.sweep()
    assert tracker.store.petitions().empty  # the sweep is one transaction: nothing half-stored


def test_a_restarted_tracker_fetches_only_what_moved(site, tracker, clock):
    tracker.sweep()
    again = OpenTracker(tracker.store, client_for(site, clock), log=lambda m: None)
    site.seen.clear()
    summary = again.sweep()
    assert summary.moved == 0 and site.petition_fetches() == []


def test_backfill_is_resumable(site, clock, tmp_path):
    for pid in (100, 101, 102, 103):
        site.petitions[pid]["state"] = "closed"
    for pid in (104, 105):
        site.petitions[pid].update(state="closed", archived=True)
    store = open_store(tmp_path / "b.sqlite")
    pages = []
    stop_after = {"n": 1}

    def stop():
        return len([p for p, _, _ in site.seen if "petitions.json" in p]) >= stop_after["n"]

    added = backfill(store, client_for(site, clock), progress=pages.append, log=lambda m: None, stop=stop)
    assert added == 3  # page 1 of the current list: the three most signed, all closed
    site.seen.clear()
    added = backfill(store, client_for(site, clock), progress=pages.append, log=lambda m: None)
    listed = [p for p, _, _ in site.seen if "petitions.json" in p]
    assert "page=1" not in listed[0] and "page=2" in listed[0]  # resumed where it stopped
    assert set(store.petitions()["id"]) == {100, 101, 102, 103, 104, 105}
    assert all(p.startswith("/archived/") for p in site.petition_fetches() if p.endswith(("104.json", "105.json")))
    assert any("[" in p and "/" in p for p in pages)  # a progress bar
    assert backfill(store, client_for(site, clock), progress=pages.append, log=lambda m: None) == 0


def test_import_folder_reads_every_document_and_names_bad_ones(mirror, tmp_path):
    folder = tmp_path / "docs"
    (folder / "241584").mkdir(parents=True)
    for path in (mirror / "petitions").glob("*.json"):
        if path.stem.isdigit():
            (folder / path.name).write_bytes(path.read_bytes())
    for path in (mirror / "petitions" / "241584").glob("*.json"):
        (folder / "241584" / path.name).write_bytes(path.read_bytes())
    (folder / "broken.json").write_text('{"data": ')
    store = open_store(tmp_path / "i.sqlite")
    errors = []
    added, refused = import_folder(store, folder, progress=lambda s: None, log=errors.append)
    assert added == 5 + 8 and refused == 1 and "broken.json" in errors[0] and "not valid JSON" in errors[0]
    assert import_folder(store, folder, progress=lambda s: None, log=errors.append) == (0, 1)
    assert len(store.snapshots(241584)) == 8


def test_command_line_import(mirror, tmp_path, capsys):
    assert main(["--import", str(mirror / "petitions" / "241584"), "--store", str(tmp_path / "c.sqlite")]) == 0
    assert "8 snapshots added" in capsys.readouterr().err
    assert main(["--import", str(tmp_path / "nowhere"), "--store", str(tmp_path / "c.sqlite")]) == 1  # bad input
    assert "no such folder" in capsys.readouterr().err


@pytest.mark.parametrize("args, status", [(["--all-open", "5"], 2), (["--parliament", "2017", "1"], 2),
                                          (["--backfill", "--all-open"], 2), (["--backfill", "--parliament", "x"], 1),
                                          ([], 2)])
def test_bulk_modes_refuse_bad_arguments(args, status, tmp_path, capsys):
    try:
        code = main([*args, "--store", str(tmp_path / "s.sqlite")])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == status and err.startswith("error:") and err.count("\n") == 1  # 1: bad input, 2: bad usage


def test_all_open_from_the_command_line_sweeps_then_stops_on_a_signal(site, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    env = {**os.environ, "PETITIONMAP_API_BASE": site.base}
    path = tmp_path / "cli.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "petitions.track", "--all-open", "--store", str(path)], cwd=ROOT,
                            env=env, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()  # the first sweep's summary (real rate limit: about 6 s)
    assert "sweep: 3 list pages, 8 open" in line and "8 snapshots stored" in line, line
    began = time.monotonic()
    proc.send_signal(signal.SIGTERM)  # during the wait for the next sweep
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0 and "stopped" in err and "Traceback" not in err
    assert time.monotonic() - began < 5
    assert len(open_store(path).petitions()) == 8
