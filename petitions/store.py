"""The snapshot store: petitions over time in SQLite (WAL), one transaction per snapshot."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from petitions.model import Petition, PetitionError, read_petition_file

STORE_ENV = "PETITIONMAP_STORE"
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "history.sqlite"
_SNAPSHOT_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS petitions (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    state TEXT NOT NULL,
    document TEXT,              -- the newest full document, for offline use
    document_fetched_at TEXT
);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    fetched_at TEXT NOT NULL,   -- UTC, ISO 8601
    updated_at TEXT NOT NULL,   -- the document's own updated_at ('' when unknown)
    signature_count INTEGER NOT NULL,
    constituency_total INTEGER NOT NULL,
    UNIQUE (petition_id, updated_at, signature_count, constituency_total)
);
CREATE TABLE IF NOT EXISTS constituency_counts (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    ons_code TEXT NOT NULL,
    signature_count INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, ons_code)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS counts_by_code ON constituency_counts (ons_code, snapshot_id);
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
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    def add(self, petition: Petition, fetched_at: datetime | None = None) -> int | None:
        """Store one snapshot (all its counts in one transaction); None when it was stored already."""
        when = (fetched_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        updated = petition.updated_at.isoformat() if petition.updated_at else ""
        return self._insert(petition.id, petition.action, petition.state, when, updated, petition.signature_count,
                            [(c.ons_code, c.signature_count) for c in petition.constituencies],
                            [(c.code, c.signature_count) for c in petition.countries],
                            json.dumps(petition.raw, separators=(",", ":")) if petition.raw else None)

    def import_folder(self, folder: str | Path) -> int:
        """Import petition documents named by their snapshot time (YYYY-MM-DDTHHMM.json); returns snapshots added."""
        added = 0
        for path in sorted(Path(folder).glob("*.json")):
            match = _SNAPSHOT_NAME.match(path.stem)
            if not match:
                continue
            day, hh, mm = match.groups()
            when = datetime.fromisoformat(f"{day}T{hh}:{mm}:00+00:00")
            added += self.add(read_petition_file(path), when) is not None
        return added

    def import_timeseries(self, folder: str | Path, petition_id: int | None = None) -> int:
        """Import the CSV series layout (totals.csv, by-constituency.csv); returns snapshots added."""
        folder = Path(folder)
        pid = petition_id or int(folder.name.split("-")[0])
        try:
            totals = pd.read_csv(folder / "totals.csv")
            counts = pd.read_csv(folder / "by-constituency.csv", dtype={"ons_code": str})
        except (OSError, ValueError) as exc:
            raise PetitionError(f"cannot read the series in {folder}: {exc}") from None
        known = self._petition_action(pid)
        added = 0
        for when, rows in counts.groupby("snapshot_utc", sort=True):
            total_rows = totals.loc[totals["snapshot_utc"] == when]
            constituency_total = int(rows["signature_count"].sum())
            # The series records only constituency counts; its total is their sum.
            total = int(total_rows.iloc[0, -1]) if len(total_rows) else constituency_total
            stamp = datetime.fromisoformat(str(when).replace("Z", "+00:00")).isoformat(timespec="seconds")
            added += self._insert(pid, known or f"Petition {pid}", "open", stamp, stamp, total,
                                  list(zip(rows["ons_code"], rows["signature_count"].astype(int))), [],
                                  None) is not None
        return added

    def petitions(self) -> pd.DataFrame:
        """Stored petitions: id, action, state, snapshots, latest_total, last_fetched."""
        return self._frame("""
            SELECT p.id, p.action, p.state, COUNT(s.id) AS snapshots,
                   (SELECT signature_count FROM snapshots WHERE petition_id = p.id
                    ORDER BY fetched_at DESC LIMIT 1) AS latest_total,
                   MAX(s.fetched_at) AS last_fetched
            FROM petitions p LEFT JOIN snapshots s ON s.petition_id = p.id
            GROUP BY p.id ORDER BY last_fetched DESC""", (), ["last_fetched"])

    def latest_document(self, pid: int) -> tuple[dict[str, Any], datetime] | None:
        """The newest full document stored for a petition and when it was fetched."""
        with self._connect() as db:
            row = db.execute("SELECT document, document_fetched_at FROM petitions WHERE id = ?", (pid,)).fetchone()
        if not row or not row[0]:
            return None
        return json.loads(row[0]), datetime.fromisoformat(row[1])

    def snapshots(self, pid: int) -> pd.DataFrame:
        """snapshot_id, fetched_at, updated_at, signature_count, constituency_total, oldest first."""
        return self._frame("""SELECT id AS snapshot_id, fetched_at, updated_at, signature_count, constituency_total
                              FROM snapshots WHERE petition_id = ? ORDER BY fetched_at, id""", (pid,), ["fetched_at"])

    def counts(self, pid: int) -> pd.DataFrame:
        """Long form: snapshot_id, fetched_at, ons_code, signature_count."""
        return self._frame("""SELECT c.snapshot_id, s.fetched_at, c.ons_code, c.signature_count
                              FROM constituency_counts c JOIN snapshots s ON s.id = c.snapshot_id
                              WHERE s.petition_id = ? ORDER BY s.fetched_at, c.ons_code""", (pid,), ["fetched_at"])

    def history(self, pid: int, ons_code: str) -> pd.DataFrame:
        """One constituency over time: fetched_at, signature_count (0 where absent from a snapshot)."""
        return self._frame("""SELECT s.fetched_at, COALESCE(c.signature_count, 0) AS signature_count
                              FROM snapshots s LEFT JOIN constituency_counts c
                                ON c.snapshot_id = s.id AND c.ons_code = ?
                              WHERE s.petition_id = ? ORDER BY s.fetched_at""", (ons_code, pid), ["fetched_at"])

    def latest_counts_for(self, ons_code: str) -> pd.DataFrame:
        """For every stored petition, its newest snapshot's count here and that snapshot's constituency total."""
        return self._frame("""
            SELECT s.petition_id, p.action, s.fetched_at, COALESCE(c.signature_count, 0) AS signature_count,
                   s.constituency_total
            FROM snapshots s JOIN petitions p ON p.id = s.petition_id
            LEFT JOIN constituency_counts c ON c.snapshot_id = s.id AND c.ons_code = ?
            WHERE s.id = (SELECT id FROM snapshots WHERE petition_id = s.petition_id
                          ORDER BY fetched_at DESC, id DESC LIMIT 1)""", (ons_code,), ["fetched_at"])

    def integrity(self) -> str:
        """SQLite's own integrity check ('ok' when sound)."""
        with self._connect() as db:
            return db.execute("PRAGMA integrity_check").fetchone()[0]

    def _insert(self, pid: int, action: str, state: str, fetched_at: str, updated_at: str, total: int,
                constituencies: list[tuple[str, int]], countries: list[tuple[str, int]],
                document: str | None) -> int | None:
        constituency_total = sum(int(n) for _, n in constituencies)
        with self._connect() as db, _transaction(db):
            db.execute("""INSERT INTO petitions (id, action, state) VALUES (?, ?, ?)
                          ON CONFLICT(id) DO UPDATE SET action = excluded.action, state = excluded.state""",
                       (pid, action, state))
            if document is not None:
                db.execute("""UPDATE petitions SET document = ?, document_fetched_at = ? WHERE id = ?
                              AND (document_fetched_at IS NULL OR document_fetched_at <= ?)""",
                           (document, fetched_at, pid, fetched_at))
            cursor = db.execute("""INSERT OR IGNORE INTO snapshots
                                   (petition_id, fetched_at, updated_at, signature_count, constituency_total)
                                   VALUES (?, ?, ?, ?, ?)""",
                                (pid, fetched_at, updated_at, total, constituency_total))
            if cursor.rowcount == 0:
                return None
            sid = int(cursor.lastrowid)
            db.executemany("INSERT INTO constituency_counts VALUES (?, ?, ?)",
                           [(sid, code, int(n)) for code, n in constituencies])
            db.executemany("INSERT INTO country_counts VALUES (?, ?, ?)",
                           [(sid, code, int(n)) for code, n in countries])
            return sid

    def _petition_action(self, pid: int) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT action FROM petitions WHERE id = ?", (pid,)).fetchone()
        return row[0] if row else None

    def _frame(self, sql: str, params: tuple, dates: list[str]) -> pd.DataFrame:
        with self._connect() as db:
            frame = pd.read_sql_query(sql, db, params=params)
        for column in dates:
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
        return frame

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA synchronous = NORMAL")
            yield db
        finally:
            db.close()


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT: a killed process leaves nothing half-written."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
