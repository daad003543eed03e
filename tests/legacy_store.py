"""The store as the previous release wrote it (schema 2: every count of every snapshot, the newest document
whole), to build a store with that code and test the migration. Copied from that release's petitions/store.py."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from petitions.model import Petition

SCHEMA_V2 = """
CREATE TABLE IF NOT EXISTS petitions (
    id INTEGER PRIMARY KEY, action TEXT NOT NULL, state TEXT NOT NULL, document TEXT, document_fetched_at TEXT);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY, petition_id INTEGER NOT NULL REFERENCES petitions(id), fetched_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, signature_count INTEGER NOT NULL, constituency_total INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT 'api', UNIQUE (petition_id, updated_at, signature_count, constituency_total));
CREATE TABLE IF NOT EXISTS constituency_counts (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id), ons_code TEXT NOT NULL, signature_count INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, ons_code)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS country_counts (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id), code TEXT NOT NULL, signature_count INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, code)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS snapshots_by_petition ON snapshots (petition_id, fetched_at);
"""


class LegacyStore:
    def __init__(self, path) -> None:
        self.path = path
        with sqlite3.connect(path) as db:
            db.executescript(SCHEMA_V2)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA user_version = 2")

    def add(self, petition: Petition, fetched_at: datetime, *, source: str = "api") -> None:
        self.add_snapshot(petition.id, fetched_at=fetched_at, updated_at=petition.updated_at,
                          signature_count=petition.signature_count,
                          constituencies=[(c.ons_code, c.signature_count) for c in petition.constituencies],
                          countries=[(c.code, c.signature_count) for c in petition.countries],
                          action=petition.action, state=petition.state, document=petition.raw or None, source=source)

    def add_snapshot(self, pid, *, fetched_at, updated_at, signature_count, constituencies, countries=(),
                     action=None, state=None, document=None, source="api") -> None:
        when = _utc_text(fetched_at)
        updated = _utc_text(updated_at, timespec="auto") if updated_at else ""
        places = [(str(code), int(n)) for code, n in constituencies]
        nations = [(str(code), int(n)) for code, n in countries]
        text = json.dumps(document, separators=(",", ":")) if document else None
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT OR IGNORE INTO petitions (id, action, state) VALUES (?, ?, ?)",
                   (pid, action or f"Petition {pid}", state or "unknown"))
        newest = db.execute("SELECT MAX(fetched_at) FROM snapshots WHERE petition_id = ?", (pid,)).fetchone()[0]
        if newest is None or when >= newest:
            db.execute("UPDATE petitions SET action = COALESCE(?, action), state = COALESCE(?, state) "
                       "WHERE id = ?", (action, state, pid))
        if text is not None:
            db.execute("""UPDATE petitions SET document = ?, document_fetched_at = ? WHERE id = ?
                          AND (document_fetched_at IS NULL OR document_fetched_at <= ?)""", (text, when, pid, when))
        cursor = db.execute("""INSERT OR IGNORE INTO snapshots (petition_id, fetched_at, updated_at,
                               signature_count, constituency_total, source) VALUES (?, ?, ?, ?, ?, ?)""",
                            (pid, when, updated, int(signature_count), sum(n for _, n in places), source))
        if cursor.rowcount:
            sid = int(cursor.lastrowid or 0)
            db.executemany("INSERT INTO constituency_counts VALUES (?, ?, ?)", [(sid, c, n) for c, n in places])
            db.executemany("INSERT INTO country_counts VALUES (?, ?, ?)", [(sid, c, n) for c, n in nations])
        db.execute("COMMIT")
        db.close()


def _utc_text(value: datetime, timespec: str = "seconds") -> str:
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.isoformat(timespec=timespec)
