"""The snapshot store: petitions over time in SQLite (WAL), one transaction per snapshot.

Several processes (trackers, the dashboard) may share one store: WAL lets readers read while a writer
writes, a busy timeout makes writers wait for each other, and UNIQUE(petition_id, updated_at,
signature_count, constituency_total) with INSERT OR IGNORE keeps one row per distinct snapshot.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from petitions.model import Petition, PetitionError, read_petition_file

STORE_ENV = "PETITIONMAP_STORE"
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "history.sqlite"
SOURCES = ("api", "file", "series")  # where a snapshot came from; "series" totals are constituency sums
BUSY_TIMEOUT_MS = 30_000
SCHEMA_VERSION = 2
TIMESERIES_TOTAL = "readme_total_signatures_sum_of_constituencies"
_SNAPSHOT_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS petitions (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    state TEXT NOT NULL,
    document TEXT,              -- the newest full document, for offline use
    document_fetched_at TEXT    -- UTC, ISO 8601: "cached copy, data as of …"
);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    fetched_at TEXT NOT NULL,   -- UTC, ISO 8601 to the second (sorts as text)
    updated_at TEXT NOT NULL,   -- the document's own updated_at ('' when unknown)
    signature_count INTEGER NOT NULL,
    constituency_total INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT 'api',
    UNIQUE (petition_id, updated_at, signature_count, constituency_total)
);
CREATE TABLE IF NOT EXISTS constituency_counts (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    ons_code TEXT NOT NULL,
    signature_count INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, ons_code)   -- history(): one lookup per snapshot
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS country_counts (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    code TEXT NOT NULL,
    signature_count INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, code)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS snapshots_by_petition ON snapshots (petition_id, fetched_at);
"""


class Store:
    """Snapshots of petitions. Safe for several processes: WAL, busy timeout, unique snapshots."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or os.environ.get(STORE_ENV) or DEFAULT_PATH)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                _migrate(db)

    def add(self, petition: Petition, fetched_at: datetime | None = None, *, source: str = "api") -> int | None:
        """Store one snapshot of a petition (document and counts); the new snapshot id, or None if stored already.

        `fetched_at` defaults to now; a naive time is taken as UTC.
        """
        return self.add_snapshot(
            petition.id, fetched_at=fetched_at or datetime.now(UTC), updated_at=petition.updated_at,
            signature_count=petition.signature_count,
            constituencies=[(c.ons_code, c.signature_count) for c in petition.constituencies],
            countries=[(c.code, c.signature_count) for c in petition.countries],
            action=petition.action, state=petition.state, document=petition.raw or None, source=source)

    def add_snapshot(self, pid: int, *, fetched_at: datetime, updated_at: datetime | None, signature_count: int,
                     constituencies: Iterable[tuple[str, int]], countries: Iterable[tuple[str, int]] = (),
                     action: str | None = None, state: str | None = None, document: dict[str, Any] | None = None,
                     source: str = "api") -> int | None:
        """Store one snapshot from its parts, in one transaction; the new snapshot id, or None if stored already.

        Action and state (and the saved document) follow the newest snapshot; a petition first seen
        without an action is called "Petition <id>" until a document names it.
        """
        if source not in SOURCES:
            raise ValueError(f"unknown snapshot source {source!r}")
        when = _utc_text(fetched_at)
        updated = _utc_text(updated_at, timespec="auto") if updated_at else ""  # as earlier versions wrote it
        places = [(str(code), int(n)) for code, n in constituencies]
        nations = [(str(code), int(n)) for code, n in countries]
        text = json.dumps(document, separators=(",", ":")) if document else None
        with self._connect() as db, _transaction(db):
            db.execute("INSERT OR IGNORE INTO petitions (id, action, state) VALUES (?, ?, ?)",
                       (pid, action or f"Petition {pid}", state or "unknown"))
            newest = db.execute("SELECT MAX(fetched_at) FROM snapshots WHERE petition_id = ?", (pid,)).fetchone()[0]
            if newest is None or when >= newest:  # an older file imported later must not undo a newer state
                db.execute("UPDATE petitions SET action = COALESCE(?, action), state = COALESCE(?, state) "
                           "WHERE id = ?", (action, state, pid))
            if text is not None:
                db.execute("""UPDATE petitions SET document = ?, document_fetched_at = ? WHERE id = ?
                              AND (document_fetched_at IS NULL OR document_fetched_at <= ?)""", (text, when, pid, when))
            cursor = db.execute("""INSERT OR IGNORE INTO snapshots (petition_id, fetched_at, updated_at,
                                   signature_count, constituency_total, source) VALUES (?, ?, ?, ?, ?, ?)""",
                                (pid, when, updated, int(signature_count), sum(n for _, n in places), source))
            if cursor.rowcount == 0:
                return None
            sid = int(cursor.lastrowid or 0)
            db.executemany("INSERT INTO constituency_counts VALUES (?, ?, ?)", [(sid, c, n) for c, n in places])
            db.executemany("INSERT INTO country_counts VALUES (?, ?, ?)", [(sid, c, n) for c, n in nations])
            return sid

    def import_folder(self, folder: str | Path) -> int:
        """Import petition documents named by their snapshot time in UTC (YYYY-MM-DDTHHMM.json); returns snapshots
        added. Idempotent; other file names are ignored."""
        added = 0
        for path in sorted(Path(folder).glob("*.json")):
            match = _SNAPSHOT_NAME.match(path.stem)
            if not match:
                continue
            day, hh, mm = match.groups()
            when = datetime.fromisoformat(f"{day}T{hh}:{mm}:00+00:00")
            added += self.add(read_petition_file(path), when, source="file") is not None
        return added

    def import_timeseries(self, folder: str | Path, petition_id: int | None = None) -> int:
        """Import the CSV series layout (totals.csv, by-constituency.csv); returns snapshots added. Idempotent.

        The petition number defaults to the folder name's prefix ("700143-timeseries"). The series records
        constituency counts only: each snapshot's signature_count is their sum (source "series").
        """
        folder = Path(folder)
        pid = petition_id if petition_id is not None else _id_from_folder(folder)
        try:
            totals = pd.read_csv(folder / "totals.csv", dtype={"snapshot_utc": str})
            counts = pd.read_csv(folder / "by-constituency.csv", dtype={"snapshot_utc": str, "ons_code": str})
            counts["signature_count"] = counts["signature_count"].astype("int64")
        except (OSError, ValueError, KeyError, pd.errors.ParserError) as exc:
            raise PetitionError(f"cannot read the series in {folder}: {exc}") from None
        # The series' own total column is the sum of its constituency rows (the name says so).
        column = TIMESERIES_TOTAL if TIMESERIES_TOTAL in totals.columns else totals.columns[-1]
        total_of = dict(zip(totals["snapshot_utc"], totals[column]))
        added = 0
        for when, rows in counts.groupby("snapshot_utc", sort=True):
            stamp = _parse_utc(str(when))
            places = list(zip(rows["ons_code"].str.strip().str.upper(), rows["signature_count"].tolist()))
            total = int(total_of.get(when, rows["signature_count"].sum()))
            added += self.add_snapshot(pid, fetched_at=stamp, updated_at=stamp, signature_count=total,
                                       constituencies=places, source="series") is not None
        return added

    def petitions(self) -> pd.DataFrame:
        """Stored petitions, most recently fetched first: id, action, state, snapshots, latest_total, last_fetched."""
        return self._frame("""
            SELECT p.id, p.action, p.state, COUNT(s.id) AS snapshots,
                   (SELECT signature_count FROM snapshots WHERE petition_id = p.id
                    ORDER BY fetched_at DESC, id DESC LIMIT 1) AS latest_total,
                   MAX(s.fetched_at) AS last_fetched
            FROM petitions p LEFT JOIN snapshots s ON s.petition_id = p.id
            GROUP BY p.id ORDER BY last_fetched DESC, p.id""", (), ["last_fetched"])

    def latest_document(self, pid: int) -> tuple[dict[str, Any], datetime] | None:
        """The newest full document stored for a petition and when it was fetched (UTC), for offline use."""
        with self._connect() as db:
            row = db.execute("SELECT document, document_fetched_at FROM petitions WHERE id = ?", (pid,)).fetchone()
        if not row or not row[0]:
            return None
        return json.loads(row[0]), datetime.fromisoformat(row[1])

    def snapshots(self, pid: int) -> pd.DataFrame:
        """snapshot_id, fetched_at, updated_at, signature_count, constituency_total, source; oldest first."""
        frame = self._frame("""SELECT id AS snapshot_id, fetched_at, updated_at, signature_count, constituency_total,
                                      source
                               FROM snapshots WHERE petition_id = ? ORDER BY fetched_at, id""", (pid,),
                            ["fetched_at"])
        frame["updated_at"] = pd.to_datetime(frame["updated_at"].replace("", None), utc=True, format="ISO8601")
        return frame

    def counts(self, pid: int, snapshot_ids: Iterable[int] | None = None) -> pd.DataFrame:
        """Long form, oldest snapshot first: snapshot_id, fetched_at, ons_code, signature_count.

        All snapshots, or only `snapshot_ids` (e.g. the frames of an animation): about 1 s per 1,000 snapshots.
        """
        only = "" if snapshot_ids is None else "AND s.id IN (SELECT value FROM json_each(?))"
        params: tuple[Any, ...] = (pid,) if snapshot_ids is None else (pid, json.dumps([int(i) for i in snapshot_ids]))
        return self._frame(f"""SELECT c.snapshot_id, s.fetched_at, c.ons_code, c.signature_count
                               FROM snapshots s JOIN constituency_counts c ON c.snapshot_id = s.id
                               WHERE s.petition_id = ? {only} ORDER BY s.fetched_at, s.id, c.ons_code""", params,
                           ["fetched_at"])

    def country_counts(self, pid: int) -> pd.DataFrame:
        """Long form, oldest snapshot first: snapshot_id, fetched_at, code, signature_count."""
        return self._frame("""SELECT c.snapshot_id, s.fetched_at, c.code, c.signature_count
                              FROM snapshots s JOIN country_counts c ON c.snapshot_id = s.id
                              WHERE s.petition_id = ? ORDER BY s.fetched_at, s.id, c.code""", (pid,), ["fetched_at"])

    def history(self, pid: int, ons_code: str) -> pd.DataFrame:
        """One constituency over time: snapshot_id, fetched_at, signature_count (0 where absent from a snapshot)."""
        return self._frame("""SELECT s.id AS snapshot_id, s.fetched_at,
                                     COALESCE(c.signature_count, 0) AS signature_count
                              FROM snapshots s LEFT JOIN constituency_counts c
                                ON c.snapshot_id = s.id AND c.ons_code = ?
                              WHERE s.petition_id = ? ORDER BY s.fetched_at, s.id""",
                           (ons_code.strip().upper(), pid), ["fetched_at"])

    def latest_counts_for(self, ons_code: str) -> pd.DataFrame:
        """For every stored petition, its newest snapshot's count in one constituency (0 when absent) and that
        snapshot's constituency total: petition_id, action, state, snapshot_id, fetched_at, signature_count,
        constituency_total; most signed here first."""
        return self._frame("""
            SELECT p.id AS petition_id, p.action, p.state, s.id AS snapshot_id, s.fetched_at,
                   COALESCE(c.signature_count, 0) AS signature_count, s.constituency_total
            FROM petitions p
            JOIN snapshots s ON s.id = (SELECT id FROM snapshots WHERE petition_id = p.id
                                        ORDER BY fetched_at DESC, id DESC LIMIT 1)
            LEFT JOIN constituency_counts c ON c.snapshot_id = s.id AND c.ons_code = ?
            ORDER BY signature_count DESC, p.id""", (ons_code.strip().upper(),), ["fetched_at"])

    def integrity(self) -> str:
        """SQLite's own integrity check ('ok' when sound)."""
        with self._connect() as db:
            return str(db.execute("PRAGMA integrity_check").fetchone()[0])

    def _frame(self, sql: str, params: tuple[Any, ...], dates: list[str]) -> pd.DataFrame:
        with self._connect() as db:
            frame = pd.read_sql_query(sql, db, params=params)
        for column in dates:
            # One distinct time per snapshot, repeated over its 650 rows in counts(): parse each once.
            codes, unique = pd.factorize(frame[column])
            parsed = pd.DatetimeIndex(pd.to_datetime(pd.Series(unique, dtype=object), utc=True, format="ISO8601"))
            frame[column] = parsed.take(codes, allow_fill=True, fill_value=pd.NaT) if len(frame) else parsed
        return frame

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA synchronous = NORMAL")  # WAL: a crash loses at most the last commits, never consistency
            yield db
        finally:
            db.close()


def _migrate(db: sqlite3.Connection) -> None:
    """Create the schema, or bring a store written by an earlier version up to date (under a write lock)."""
    with _transaction(db):
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return  # another process got here first
        existing = {row[1] for row in db.execute("PRAGMA table_info(snapshots)")}
        if existing and "source" not in existing:
            db.execute("ALTER TABLE snapshots ADD COLUMN source TEXT NOT NULL DEFAULT 'api'")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute("DROP INDEX IF EXISTS counts_by_code")  # version 1: unused by any query, doubled the writes
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT: a process killed midway leaves nothing half-written."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _utc_text(value: datetime, timespec: str = "seconds") -> str:
    """ISO 8601 in UTC; a naive time is taken to be UTC already."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.isoformat(timespec=timespec)


def _parse_utc(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise PetitionError(f"not a snapshot time: {text!r}") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _id_from_folder(folder: Path) -> int:
    head = folder.name.split("-")[0]
    if not head.isdigit():
        raise PetitionError(f"cannot tell the petition number from the folder name {folder.name!r}; pass petition_id")
    return int(head)
