"""The snapshot store: petitions over time, behind one interface (HistoryStore), in SQLite or PostgreSQL.

`PETITIONMAP_STORE` names the store as a URL: `sqlite:///data/history.sqlite` (a plain path works too; the
default) or `postgresql://user@host/db`. Both engines hold the same schema and answer the same queries:

- a snapshot row per distinct poll (totals only: signature_count, constituency_total);
- a count row only where a constituency's, country's or region's count differs from the petition's
  previous snapshot (at most one seat changes per signature, so this bounds the data by signatures, not by
  polls), with integer ids for the codes; a code absent from a snapshot counts as zero;
- the document without its counts, stored only when a non-count field (text, state, an MP, …) changed;
  the full document of any snapshot is that skeleton with the snapshot's counts put back.
- derived from the count rows, in the same transaction: each snapshot's changes packed in time order, and a
  keyframe (every count at one snapshot) once KEYFRAME_ROWS changed rows follow the previous one, so the
  counts at any snapshot are a keyframe plus at most that many packed rows (rebuild_keyframes remakes them).

Each snapshot is written in one transaction (several in one, for a tracker's sweep): a process killed midway
leaves nothing half-written. Several processes may share a store: SQLite in WAL mode with a busy timeout,
PostgreSQL with a row lock per petition.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from petitions.model import Petition, PetitionError, parse_petition, read_petition_file
from petitions.settings import DEFAULT_STORE as DEFAULT_PATH
from petitions.settings import STORE_ENV, current

SOURCES = ("api", "file", "series")  # where a snapshot came from; "series" totals are constituency sums
BUSY_TIMEOUT_MS = 30_000
SCHEMA_VERSION = 3
MAX_FRAMES = 40  # counts() answers for at most this many snapshots at once (an animation's frames)
TIMESERIES_TOTAL = "readme_total_signatures_sum_of_constituencies"
_SNAPSHOT_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})$")
CONSTITUENCY, COUNTRY, REGION = 0, 1, 2  # kinds of code
# The document's count lists: which kind of code each holds, and the key naming the code.
_LISTS = {"signatures_by_constituency": (CONSTITUENCY, "ons_code"), "signatures_by_country": (COUNTRY, "code"),
          "signatures_by_region": (REGION, "ons_code")}
_WHOLE = "__whole__"  # a document kept with its counts (it could not be split and rebuilt exactly)

SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS petitions (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    state TEXT NOT NULL,
    snapshots INTEGER NOT NULL DEFAULT 0,
    latest_t INTEGER,               -- the newest snapshot's order key, and its facts below
    latest_snapshot INTEGER,
    latest_total INTEGER,
    latest_constituency_total INTEGER,
    last_fetched TEXT,
    last_updated TEXT,
    latest_source TEXT
);
CREATE TABLE IF NOT EXISTS codes (
    id INTEGER PRIMARY KEY,
    kind INTEGER NOT NULL,          -- 0 constituency (ONS code), 1 country, 2 region
    code TEXT NOT NULL,
    UNIQUE (kind, code)
);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL,
    t INTEGER NOT NULL,             -- order key: fetched_at in epoch seconds * 1000 + a tie-breaker
    fetched_at TEXT NOT NULL,       -- UTC, ISO 8601 to the second
    updated_at TEXT NOT NULL,       -- the document's own updated_at ('' when unknown)
    signature_count INTEGER NOT NULL,
    constituency_total INTEGER NOT NULL,
    source TEXT NOT NULL,
    changed INTEGER NOT NULL,       -- constituency rows that differ from the previous snapshot
    has_document INTEGER NOT NULL,  -- 1 when a document came with it
    UNIQUE (petition_id, t),
    UNIQUE (petition_id, updated_at, signature_count, constituency_total)
);
CREATE TABLE IF NOT EXISTS counts (
    petition_id INTEGER NOT NULL,
    code_id INTEGER NOT NULL,
    t INTEGER NOT NULL,
    signature_count INTEGER NOT NULL,
    PRIMARY KEY (petition_id, code_id, t)   -- "the count at time t" is one descending seek
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS petition_codes (
    petition_id INTEGER NOT NULL,
    code_id INTEGER NOT NULL,
    PRIMARY KEY (petition_id, code_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS latest (     -- each petition's newest count per code, by code: one seat's corpus query
    code_id INTEGER NOT NULL,
    petition_id INTEGER NOT NULL,
    signature_count INTEGER NOT NULL,
    PRIMARY KEY (code_id, petition_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (
    petition_id INTEGER NOT NULL,
    t INTEGER NOT NULL,
    body TEXT NOT NULL,             -- the document without its counts, as JSON
    PRIMARY KEY (petition_id, t)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS petitions_by_fetch ON petitions (last_fetched);
"""

POSTGRES_SCHEMA = """
CREATE TABLE IF NOT EXISTS petitions (
    id BIGINT PRIMARY KEY, action TEXT NOT NULL, state TEXT NOT NULL, snapshots INTEGER NOT NULL DEFAULT 0,
    latest_t BIGINT, latest_snapshot BIGINT, latest_total BIGINT, latest_constituency_total BIGINT,
    last_fetched TEXT, last_updated TEXT, latest_source TEXT);
CREATE TABLE IF NOT EXISTS codes (
    id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, kind SMALLINT NOT NULL, code TEXT NOT NULL,
    UNIQUE (kind, code));
CREATE TABLE IF NOT EXISTS snapshots (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, petition_id BIGINT NOT NULL, t BIGINT NOT NULL,
    fetched_at TEXT NOT NULL, updated_at TEXT NOT NULL, signature_count BIGINT NOT NULL,
    constituency_total BIGINT NOT NULL, source TEXT NOT NULL, changed INTEGER NOT NULL,
    has_document SMALLINT NOT NULL,
    UNIQUE (petition_id, t), UNIQUE (petition_id, updated_at, signature_count, constituency_total));
CREATE TABLE IF NOT EXISTS counts (
    petition_id BIGINT NOT NULL, code_id INTEGER NOT NULL, t BIGINT NOT NULL, signature_count INTEGER NOT NULL,
    PRIMARY KEY (petition_id, code_id, t) INCLUDE (signature_count));
CREATE TABLE IF NOT EXISTS petition_codes (
    petition_id BIGINT NOT NULL, code_id INTEGER NOT NULL, PRIMARY KEY (petition_id, code_id));
CREATE TABLE IF NOT EXISTS latest (
    code_id INTEGER NOT NULL, petition_id BIGINT NOT NULL, signature_count INTEGER NOT NULL,
    PRIMARY KEY (code_id, petition_id) INCLUDE (signature_count));
CREATE TABLE IF NOT EXISTS documents (
    petition_id BIGINT NOT NULL, t BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (petition_id, t));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS petitions_by_fetch ON petitions (last_fetched);
"""

# What the seat profile filters and compares on, kept queryable as documents are stored (schema 3 stores get
# them on opening, filled once from what they hold; see SQLStore._ensure_seat_tables).
SEAT_TABLES = """
CREATE TABLE IF NOT EXISTS petition_facts (     -- from each petition's newest stored document
    petition_id BIGINT PRIMARY KEY,
    title TEXT NOT NULL,
    parliament TEXT NOT NULL,       -- '2019–2024', '2024–', or '' when unknown
    states TEXT NOT NULL,           -- its state, then 'debated' and/or 'responded', joined by 0x1f
    departments TEXT NOT NULL,      -- joined by 0x1f
    topics TEXT NOT NULL,           -- joined by 0x1f
    updated_at TEXT NOT NULL,       -- the document's updated_at ('' when unknown)
    fetched_at TEXT NOT NULL,       -- the snapshot it came with (an older file imported later never wins)
    background TEXT NOT NULL DEFAULT '',    -- the offline list searches title and background
    lists TEXT NOT NULL DEFAULT '',         -- the official list's states it is listed under, joined by 0x1f
    archived SMALLINT NOT NULL DEFAULT 0    -- in the official archive (an earlier parliament)
);
CREATE TABLE IF NOT EXISTS code_sums (          -- Σ over every petition of its latest count, per code
    code_id INTEGER PRIMARY KEY,
    total BIGINT NOT NULL
);
"""
SQLITE_SCHEMA += SEAT_TABLES
POSTGRES_SCHEMA += SEAT_TABLES

# Derived from counts (rebuilt on opening a store written before them, see SQLStore._ensure_keyframes), written by
# the transaction that writes the snapshot. counts is ordered by code (one seat's history is one range); these
# hold the same changes in time order, packed, so a petition's counts at any snapshot are one keyframe (every
# count at a snapshot) plus the few packed changes after it: a handful of rows instead of a seek per seat.
KEYFRAME_TABLES = """
CREATE TABLE IF NOT EXISTS deltas (             -- one row per snapshot that changed a count
    petition_id BIGINT NOT NULL,
    t BIGINT NOT NULL,
    body {blob} NOT NULL,           -- zlib of int32 code ids then int32 counts: that snapshot's count rows
    PRIMARY KEY (petition_id, t)
);
CREATE TABLE IF NOT EXISTS keyframes (          -- once KEYFRAME_ROWS changes follow the previous keyframe
    petition_id BIGINT NOT NULL,
    t BIGINT NOT NULL,
    body {blob} NOT NULL,           -- zlib of int32 counts indexed by code id: every count at snapshot t
    PRIMARY KEY (petition_id, t)
);
"""
SQLITE_SCHEMA += KEYFRAME_TABLES.format(blob="BLOB")
POSTGRES_SCHEMA += KEYFRAME_TABLES.format(blob="BYTEA")
KEYFRAME_ROWS = 1_000  # changed rows between keyframes: what one frame reads at most (chosen in bench_store)
_SEP = "\x1f"


@runtime_checkable
class HistoryStore(Protocol):
    """What the tracker, the loader and the pages ask of the snapshot store; every answer is computed in the
    engine and is small (one petition's snapshots, ≤ 40 snapshots' counts, one seat): nothing loads a table."""

    url: str

    def add(self, petition: Petition, fetched_at: datetime | None = None, *, source: str = "api") -> int | None:
        """Store one snapshot; its id, or None when stored already."""

    def add_snapshot(self, pid: int, *, fetched_at: datetime, updated_at: datetime | None, signature_count: int,
                     constituencies: Iterable[tuple[str, int]], countries: Iterable[tuple[str, int]] = (),
                     regions: Iterable[tuple[str, int]] = (), action: str | None = None, state: str | None = None,
                     document: dict[str, Any] | None = None, source: str = "api") -> int | None:
        """Store one snapshot from its parts."""

    def batch(self) -> Any:
        """A context in which every add is one transaction (a tracker's sweep)."""

    def import_folder(self, folder: str | Path) -> int:
        """Import snapshot files named by their UTC time; snapshots added."""

    def import_timeseries(self, folder: str | Path, petition_id: int | None = None) -> int:
        """Import the CSV series layout; snapshots added."""

    def petitions(self) -> pd.DataFrame:
        """Every petition with its latest total and state."""

    def latest_document(self, pid: int) -> tuple[dict[str, Any], datetime] | None:
        """The newest full document and when it was fetched."""

    def snapshots(self, pid: int) -> pd.DataFrame:
        """A petition's snapshots and totals, oldest first."""

    def counts(self, pid: int, snapshot_ids: Sequence[int]) -> pd.DataFrame:
        """Constituency counts at ≤ 40 chosen snapshots."""

    def country_counts(self, pid: int, snapshot_ids: Sequence[int]) -> pd.DataFrame:
        """Country counts at ≤ 40 chosen snapshots."""

    def seat_counts(self, pid: int, ons_code: str) -> pd.DataFrame:
        """One constituency over time."""

    def growth(self, pid: int, start: int, end: int) -> pd.DataFrame:
        """Per constituency: the count at two snapshots and the growth between them."""

    def stale_snapshots(self, pid: int) -> list[int]:
        """Snapshots whose constituency breakdown was frozen by the official site."""

    def latest_counts_for(self, ons_code: str) -> pd.DataFrame:
        """Every petition's latest count in one constituency."""

    def weighted_latest(self, weights: Mapping[str, float]) -> pd.Series:
        """Every petition's latest counts in several constituencies, summed with weights."""

    def code_totals(self) -> pd.Series:
        """Each constituency's signatures summed over every petition's latest counts."""

    def petition_facts(self) -> pd.DataFrame:
        """Title, parliament, states, departments and topics of every petition with a stored document."""

    def listing(self) -> pd.DataFrame:
        """Every petition with a stored document as the official list filters it, with its latest total."""

    def latest_counts_of(self, petition_ids: Sequence[int], codes: Sequence[str] | None = None) -> pd.DataFrame:
        """The latest constituency counts of a few chosen petitions (≤ 1,000), long form."""

    def get_meta(self, key: str) -> str | None:
        """A stored setting (e.g. a backfill's progress)."""

    def set_meta(self, key: str, value: str) -> None:
        """Store a setting."""

    def integrity(self) -> str:
        """'ok' when the engine finds the store sound."""


def open_store(target: str | Path | None = None) -> SQLStore:
    """The store named by `target`, else $PETITIONMAP_STORE, else data/history.sqlite.

    `sqlite:///relative/path`, `sqlite:////absolute/path`, a plain path, or `postgresql://…`.
    """
    text = str(target) if target is not None else current().store
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresStore(text)
    if text.startswith("sqlite://"):
        path = text.removeprefix("sqlite://")
        if not path.startswith("/") or path == "/":
            raise ValueError(f"not a SQLite URL: {text[:80]!r} (use sqlite:///relative/path or sqlite:////abs/path)")
        return SQLiteStore(path[1:])
    if re.match(r"^[a-z][a-z0-9+.-]*://", text):
        raise ValueError(f"{STORE_ENV} must be a path, sqlite:///… or postgresql://…, not {text[:60]!r}")
    return SQLiteStore(text)


def store_errors(*also: type[Exception]) -> tuple[type[Exception], ...]:
    """The exceptions a store may raise on a fault of its engine (for callers that must carry on), and `also`."""
    errors: list[type[Exception]] = [*also, sqlite3.Error, OSError]
    try:
        import psycopg
    except ImportError:
        pass
    else:
        errors.append(psycopg.Error)
    return tuple(errors)


class SQLStore:
    """The schema and every query, written once for both engines (`?` placeholders)."""

    url = ""
    _local: threading.local

    # --- engine hooks -------------------------------------------------------------------------------
    def _connection(self) -> Any:
        raise NotImplementedError

    def _begin_write(self, db: Any) -> None:
        raise NotImplementedError

    def _begin_read(self, db: Any) -> None:
        raise NotImplementedError

    def _lock_petition(self, db: Any, pid: int) -> None:
        """Serialise writers of one petition (SQLite's write lock already covers the whole store)."""

    def _register_codes(self, db: Any, keys: list[tuple[int, str]]) -> None:
        db.many("INSERT INTO codes (kind, code) VALUES (?, ?) ON CONFLICT (kind, code) DO NOTHING", keys)

    # --- transactions -------------------------------------------------------------------------------
    def _setup(self) -> None:
        self._local = threading.local()
        self._codes: dict[tuple[int, str], int] = {}
        self._kinds: dict[int, int] = {}
        self._lock = threading.Lock()

    def _db(self) -> _DB:
        db = getattr(self._local, "db", None)
        if db is None:
            db = _DB(self._connection(), self._placeholder)
            self._local.db = db
        return db

    _placeholder = "?"

    @contextmanager
    def _write(self) -> Iterator[_DB]:
        db = self._db()
        if db.depth:  # inside batch(): one transaction for everything
            db.depth += 1
            try:
                yield db
            finally:
                db.depth -= 1
            return
        self._begin_write(db)
        db.depth = 1
        try:
            yield db
        except BaseException:
            db.depth = 0
            db.pending.clear()
            db.rollback()
            raise
        db.depth = 0
        db.commit()
        with self._lock:
            self._codes.update(db.pending)
            self._kinds.update({v: k[0] for k, v in db.pending.items()})
        db.pending.clear()

    @contextmanager
    def _read(self) -> Iterator[_DB]:
        db = self._db()
        if db.depth:
            yield db
            return
        self._begin_read(db)
        try:
            yield db
        finally:
            db.rollback()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Every add inside is one transaction: all of a tracker's sweep is stored, or none of it."""
        with self._write():
            yield

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # --- writing ------------------------------------------------------------------------------------
    def add(self, petition: Petition, fetched_at: datetime | None = None, *, source: str = "api") -> int | None:
        """Store one snapshot of a petition (document and counts); the new snapshot id, or None if stored already.

        `fetched_at` defaults to now; a naive time is taken as UTC.
        """
        return self._add(
            petition.id, fetched_at=fetched_at or datetime.now(UTC), updated_at=petition.updated_at,
            signature_count=petition.signature_count,
            constituencies=[(c.ons_code, c.signature_count) for c in petition.constituencies],
            countries=[(c.code, c.signature_count) for c in petition.countries],
            regions=[(r.ons_code, r.signature_count) for r in petition.regions],
            action=petition.action, state=petition.state, document=petition.raw or None, source=source,
            snapshot_id=None, facts=_all_facts(petition) if petition.raw else None)  # parsed already: not again

    def add_snapshot(self, pid: int, *, fetched_at: datetime, updated_at: datetime | None, signature_count: int,
                     constituencies: Iterable[tuple[str, int]], countries: Iterable[tuple[str, int]] = (),
                     regions: Iterable[tuple[str, int]] = (), action: str | None = None, state: str | None = None,
                     document: dict[str, Any] | None = None, source: str = "api",
                     snapshot_id: int | None = None) -> int | None:
        """Store one snapshot from its parts, in one transaction; the new snapshot id, or None if stored already.

        Action and state follow the newest snapshot; a petition first seen without an action is called
        "Petition <id>" until a document names it.
        """
        return self._add(pid, fetched_at=fetched_at, updated_at=updated_at, signature_count=signature_count,
                         constituencies=constituencies, countries=countries, regions=regions, action=action,
                         state=state, document=document, source=source, snapshot_id=snapshot_id,
                         facts=_facts(document) if document else None)

    def _add(self, pid: int, *, fetched_at: datetime, updated_at: datetime | None, signature_count: int,
             constituencies: Iterable[tuple[str, int]], countries: Iterable[tuple[str, int]],
             regions: Iterable[tuple[str, int]], action: str | None, state: str | None,
             document: dict[str, Any] | None, source: str, snapshot_id: int | None,
             facts: tuple[str, ...] | None) -> int | None:
        if source not in SOURCES:
            raise ValueError(f"unknown snapshot source {source!r}")
        values: dict[tuple[int, str], int] = {}
        for kind, pairs in ((CONSTITUENCY, constituencies), (COUNTRY, countries), (REGION, regions)):
            for code, n in pairs:
                key = (kind, _norm(kind, code))
                values[key] = values.get(key, 0) + int(n)  # a code listed twice is summed, as the join does
        when = _as_utc(fetched_at)
        updated = _utc_text(updated_at, timespec="auto") if updated_at else ""  # as earlier versions wrote it
        skeleton = _skeleton(document, signature_count, updated_at, values) if document else None
        total = sum(n for (kind, _), n in values.items() if kind == CONSTITUENCY)
        with self._write() as db:
            sid = self._insert(db, pid, when, updated, int(signature_count), total, values, action, state,
                               skeleton, source, snapshot_id)
            if sid is not None and facts is not None:
                self._put_facts(db, pid, facts, updated, _utc_text(when))
            return sid

    def _insert(self, db: _DB, pid: int, when: datetime, updated: str, signature_count: int, total: int,
                values: dict[tuple[int, str], int], action: str | None, state: str | None, skeleton: str | None,
                source: str, snapshot_id: int | None) -> int | None:
        db.run("INSERT INTO petitions (id, action, state) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
               (pid, action or f"Petition {pid}", state or "unknown"))
        self._lock_petition(db, pid)
        if db.one("""SELECT 1 FROM snapshots WHERE petition_id = ? AND updated_at = ? AND signature_count = ?
                     AND constituency_total = ?""", (pid, updated, signature_count, total)):
            return None
        base = int(when.timestamp()) * 1000
        taken = db.one("SELECT MAX(t) FROM snapshots WHERE petition_id = ? AND t >= ? AND t < ?",
                       (pid, base, base + 1000))
        t = base if taken is None or taken[0] is None else int(taken[0]) + 1
        if t >= base + 1000:
            raise PetitionError(f"petition {pid}: more than 1,000 snapshots within one second")
        ids = self._code_ids(db, list(values))
        new = {ids[key]: n for key, n in values.items()}
        before = db.one("SELECT MAX(t) FROM snapshots WHERE petition_id = ? AND t < ?", (pid, t))
        after = db.one("SELECT MIN(t) FROM snapshots WHERE petition_id = ? AND t > ?", (pid, t))
        t_before = None if before is None or before[0] is None else int(before[0])
        t_after = None if after is None or after[0] is None else int(after[0])
        previous, since = self._state(db, pid, t_before) if t_before is not None else ({}, 0)
        changes = {k: n for k, n in new.items() if previous.get(k, 0) != n}
        changes |= {k: 0 for k, n in previous.items() if n and k not in new}
        kinds = {ids[key]: key[0] for key in values}
        kinds |= self._kinds_of(db, [k for k in changes if k not in kinds])
        changed = sum(1 for k in changes if kinds[k] == CONSTITUENCY)
        row = db.row(f"""INSERT INTO snapshots ({'id, ' if snapshot_id else ''}petition_id, t, fetched_at, updated_at,
                         signature_count, constituency_total, source, changed, has_document)
                         VALUES ({'?, ' if snapshot_id else ''}?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                     ((snapshot_id,) if snapshot_id else ()) + (
                         pid, t, _utc_text(when), updated, signature_count, total, source, changed,
                         int(skeleton is not None)))
        sid = int(row[0])
        db.many("INSERT INTO counts (petition_id, code_id, t, signature_count) VALUES (?, ?, ?, ?)",
                [(pid, k, t, n) for k, n in changes.items()])
        if changes:
            db.run("INSERT INTO deltas (petition_id, t, body) VALUES (?, ?, ?)", (pid, t, _pack_changes(changes)))
        if since + len(changes) >= KEYFRAME_ROWS:
            db.run("INSERT INTO keyframes (petition_id, t, body) VALUES (?, ?, ?)",
                   (pid, t, _pack_vector(previous | changes)))
        db.many("INSERT INTO petition_codes (petition_id, code_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(pid, k) for k in new if k not in previous])
        if t_after is not None:
            self._rebase_next(db, pid, t_after, changes, previous)
        else:  # the newest snapshot: its changes are the petition's latest counts
            db.many("""INSERT INTO latest (code_id, petition_id, signature_count) VALUES (?, ?, ?)
                       ON CONFLICT (code_id, petition_id) DO UPDATE SET signature_count = excluded.signature_count""",
                    [(k, pid, n) for k, n in changes.items()])
            self._add_code_sums(db, {k: n - previous.get(k, 0) for k, n in changes.items()
                                     if kinds[k] == CONSTITUENCY})
        if skeleton is not None:
            self._put_document(db, pid, t, t_after, skeleton)
        self._refresh_petition(db, pid, action, state, newest=t_after is None)
        return sid

    def _rebase_next(self, db: _DB, pid: int, t_next: int, changes: dict[int, int], previous: dict[int, int]) -> None:
        """A snapshot inserted before another: the later one's rows were changes against the older state."""
        own = dict(db.rows(f"""SELECT code_id, signature_count FROM counts WHERE petition_id = ? AND t = ?
                              AND code_id IN ({','.join('?' * len(changes))})""",
                           (pid, t_next, *changes))) if changes else {}
        packed = db.one("SELECT body FROM deltas WHERE petition_id = ? AND t = ?", (pid, t_next))
        rows = dict(zip(*(a.tolist() for a in _unpack_changes(packed[0])))) if packed else {}
        for k, n in changes.items():
            value = own.get(k, previous.get(k, 0))  # what the later snapshot holds
            if value == n:
                db.run("DELETE FROM counts WHERE petition_id = ? AND code_id = ? AND t = ?", (pid, k, t_next))
                rows.pop(k, None)
            else:
                db.run("""INSERT INTO counts (petition_id, code_id, t, signature_count) VALUES (?, ?, ?, ?)
                          ON CONFLICT (petition_id, code_id, t)
                          DO UPDATE SET signature_count = excluded.signature_count""",
                       (pid, k, t_next, value))
                rows[k] = value
        if changes:  # the later snapshot's packed rows follow (its keyframe, if any, holds the same counts still)
            db.run("DELETE FROM deltas WHERE petition_id = ? AND t = ?", (pid, t_next))
            if rows:
                db.run("INSERT INTO deltas (petition_id, t, body) VALUES (?, ?, ?)", (pid, t_next, _pack_changes(rows)))
            db.run("""UPDATE snapshots SET changed = (SELECT COUNT(*) FROM counts c JOIN codes k ON k.id = c.code_id
                      WHERE c.petition_id = ? AND c.t = ? AND k.kind = ?) WHERE petition_id = ? AND t = ?""",
                   (pid, t_next, CONSTITUENCY, pid, t_next))

    def _put_document(self, db: _DB, pid: int, t: int, t_next: int | None, skeleton: str) -> None:
        """Store the document's skeleton when it differs from the one in force; keep later snapshots' own."""
        current = db.one("SELECT body FROM documents WHERE petition_id = ? AND t <= ? ORDER BY t DESC LIMIT 1",
                         (pid, t))
        if current is None or current[0] != skeleton:
            db.run("INSERT INTO documents (petition_id, t, body) VALUES (?, ?, ?)", (pid, t, skeleton))
            if t_next is not None and current is not None:
                own = db.one("SELECT 1 FROM documents WHERE petition_id = ? AND t = ?", (pid, t_next))
                if own is None:  # the later snapshot kept the earlier document
                    db.run("INSERT INTO documents (petition_id, t, body) VALUES (?, ?, ?)", (pid, t_next, current[0]))

    def _refresh_petition(self, db: _DB, pid: int, action: str | None, state: str | None, newest: bool) -> None:
        if newest:  # an older file imported later must not undo a newer state
            db.run("UPDATE petitions SET action = COALESCE(?, action), state = COALESCE(?, state) WHERE id = ?",
                   (action, state, pid))
        db.run("""UPDATE petitions SET snapshots = snapshots + 1, latest_t = s.t, latest_snapshot = s.id,
                  latest_total = s.signature_count,
                  latest_constituency_total = s.constituency_total, last_fetched = s.fetched_at,
                  last_updated = s.updated_at, latest_source = s.source
                  FROM (SELECT * FROM snapshots WHERE petition_id = ? ORDER BY t DESC LIMIT 1) AS s
                  WHERE petitions.id = ?""", (pid, pid))

    def _code_ids(self, db: _DB, keys: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
        known = {k: self._codes.get(k) or db.pending.get(k) for k in keys}
        missing = [k for k, v in known.items() if v is None]
        if missing:
            self._register_codes(db, missing)
            found: dict[tuple[int, str], int] = {}
            for i in range(0, len(missing), 400):
                chunk = missing[i:i + 400]
                where = " OR ".join(["(kind = ? AND code = ?)"] * len(chunk))
                found |= {(int(kind), code): int(cid) for cid, kind, code in
                          db.rows(f"SELECT id, kind, code FROM codes WHERE {where}", [x for k in chunk for x in k])}
            db.pending.update(found)
            known.update(found)
        return known  # type: ignore[return-value]

    def _state(self, db: _DB, pid: int, t: int) -> tuple[dict[int, int], int]:
        """Every non-zero count at order key t by code id, and how many changed rows follow its keyframe."""
        states, since = self._states(db, pid, [t])
        held = np.flatnonzero(states[0])
        return dict(zip(held.tolist(), states[0][held].tolist())), since[0]

    def _states(self, db: _DB, pid: int, ts: Sequence[int]) -> tuple[np.ndarray, list[int]]:
        """A petition's counts at each order key of `ts` (a row each, a column per code id; zero where it never
        counted), from the newest keyframe at or before each and the packed changes after it; and how many
        changed rows each lies after its keyframe."""
        if not ts:
            return np.zeros((0, 0), dtype="int64"), []
        # The keyframes from the newest at or before the oldest of ts, up to the newest of ts.
        keys = [int(r[0]) for r in db.rows("""SELECT t FROM keyframes WHERE petition_id = ? AND t <= ?
                                              AND t >= COALESCE((SELECT MAX(t) FROM keyframes WHERE petition_id = ?
                                                                 AND t <= ?), ?) ORDER BY t""",
                                           (pid, max(ts), pid, min(ts), -(2 ** 62)))]
        groups: dict[int | None, list[int]] = {}  # keyframe → the positions in ts it serves, oldest first
        for i in sorted(range(len(ts)), key=lambda i: ts[i]):
            at = bisect_right(keys, ts[i])
            groups.setdefault(keys[at - 1] if at else None, []).append(i)
        bases = [t for t in groups if t is not None]
        vectors = {int(t): _unpack_vector(body) for t, body in db.rows(
            f"SELECT t, body FROM keyframes WHERE petition_id = ? AND t IN ({','.join('?' * len(bases))})",
            (pid, *bases))} if bases else {}
        states: list[np.ndarray] = [np.zeros(0, dtype="int64")] * len(ts)
        since = [0] * len(ts)
        for base, members in groups.items():
            changes = [(int(t), *_unpack_changes(body)) for t, body in db.rows(
                "SELECT t, body FROM deltas WHERE petition_id = ? AND t > ? AND t <= ? ORDER BY t",
                (pid, -(2 ** 62) if base is None else base, ts[members[-1]]))]
            start = vectors[base] if base is not None else np.zeros(0, dtype="int64")  # before any: from nothing
            state = np.zeros(max([len(start)] + [int(ids[-1]) + 1 for _, ids, _ in changes if len(ids)]),
                             dtype="int64")
            state[:len(start)] = start
            done = applied = 0
            for i in members:
                while done < len(changes) and changes[done][0] <= ts[i]:
                    _, ids, counts = changes[done]
                    state[ids] = counts
                    applied += len(ids)
                    done += 1
                states[i], since[i] = state.copy(), applied
        out = np.zeros((len(ts), max((len(s) for s in states), default=0)), dtype="int64")
        for i, state in enumerate(states):
            out[i, :len(state)] = state
        return out, since

    def _kinds_of(self, db: _DB, ids: Sequence[int]) -> dict[int, int]:
        """Each code id's kind (cached once committed)."""
        kinds = {k: self._kinds[k] for k in ids if k in self._kinds}
        missing = [k for k in ids if k not in kinds]
        for i in range(0, len(missing), 500):
            chunk = missing[i:i + 500]
            found = {int(k): int(kind) for k, kind in
                     db.rows(f"SELECT id, kind FROM codes WHERE id IN ({','.join('?' * len(chunk))})", chunk)}
            kinds |= found
            pending = set(db.pending.values())  # a code of an open transaction may yet be rolled back
            with self._lock:
                self._kinds.update({k: v for k, v in found.items() if k not in pending})
        return kinds

    # --- importing ----------------------------------------------------------------------------------
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

    # --- queries ------------------------------------------------------------------------------------
    def petitions(self) -> pd.DataFrame:
        """Stored petitions, most recently fetched first: id, action, state, snapshots, latest_total, last_fetched,
        last_updated."""
        return self._frame("""SELECT id, action, state, snapshots, latest_total, last_fetched, last_updated
                              FROM petitions ORDER BY last_fetched DESC, id""", (),
                           ["id", "action", "state", "snapshots", "latest_total", "last_fetched", "last_updated"],
                           dates=["last_fetched"])

    def latest_document(self, pid: int) -> tuple[dict[str, Any], datetime] | None:
        """The newest full document stored for a petition and when it was fetched (UTC), for offline use."""
        with self._read() as db:
            snap = db.one("""SELECT t, fetched_at, signature_count, updated_at FROM snapshots
                             WHERE petition_id = ? AND has_document = 1 ORDER BY t DESC LIMIT 1""", (pid,))
            if snap is None:
                return None
            t = int(snap[0])
            body = db.one("SELECT body FROM documents WHERE petition_id = ? AND t <= ? ORDER BY t DESC LIMIT 1",
                          (pid, t))
            state = self._states(db, pid, [t])[0][0]
            values = {(int(kind), code): int(state[k]) if k < len(state) else 0 for k, kind, code in db.rows(
                """SELECT k.id, k.kind, k.code FROM petition_codes pc JOIN codes k ON k.id = pc.code_id
                   WHERE pc.petition_id = ?""", (pid,))}
        if body is None:
            return None
        updated = datetime.fromisoformat(snap[3]) if snap[3] else None
        return _rebuild(body[0], int(snap[2]), updated, values), datetime.fromisoformat(snap[1])

    def snapshots(self, pid: int) -> pd.DataFrame:
        """snapshot_id, fetched_at, updated_at, signature_count, constituency_total, source, changed; oldest first.

        `changed`: how many constituency counts differ from the previous snapshot.
        """
        frame = self._frame("""SELECT id, fetched_at, updated_at, signature_count, constituency_total, source, changed
                               FROM snapshots WHERE petition_id = ? ORDER BY t""", (pid,),
                            ["snapshot_id", "fetched_at", "updated_at", "signature_count", "constituency_total",
                             "source", "changed"], dates=["fetched_at"])
        frame["updated_at"] = pd.to_datetime(frame["updated_at"].replace("", None), utc=True, format="ISO8601")
        return frame

    def counts(self, pid: int, snapshot_ids: Sequence[int]) -> pd.DataFrame:
        """Constituency counts at chosen snapshots (at most 40, e.g. an animation's frames), long form, oldest
        snapshot first: snapshot_id, fetched_at, ons_code, signature_count (every code the petition ever listed)."""
        return self._counts_at(pid, snapshot_ids, CONSTITUENCY, "ons_code")

    def country_counts(self, pid: int, snapshot_ids: Sequence[int]) -> pd.DataFrame:
        """Country counts at chosen snapshots (at most 40): snapshot_id, fetched_at, code, signature_count."""
        return self._counts_at(pid, snapshot_ids, COUNTRY, "code")

    def _counts_at(self, pid: int, snapshot_ids: Sequence[int], kind: int, name: str) -> pd.DataFrame:
        ids = sorted({int(i) for i in snapshot_ids})
        if len(ids) > MAX_FRAMES:
            raise ValueError(f"counts of at most {MAX_FRAMES} snapshots at once, not {len(ids)}")
        columns = ["snapshot_id", "fetched_at", name, "signature_count"]
        with self._read() as db:
            snaps = db.rows(f"""SELECT id, t, fetched_at FROM snapshots WHERE petition_id = ?
                               AND id IN ({','.join('?' * len(ids))}) ORDER BY t""", (pid, *ids)) if ids else []
            codes = dict(db.rows("""SELECT k.id, k.code FROM petition_codes pc JOIN codes k ON k.id = pc.code_id
                                    WHERE pc.petition_id = ? AND k.kind = ?""", (pid, kind)))
            if not snaps or not codes:
                return self._frame_of([], columns, dates=["fetched_at"])
            states = self._states(db, pid, [int(r[1]) for r in snaps])[0]
        code_ids = np.array(sorted(codes), dtype="int64")
        names = np.array([codes[k] for k in code_ids.tolist()], dtype=object)
        order = np.argsort(names, kind="stable")  # in code order
        values = _columns(states, code_ids)[:, order]
        frame = pd.DataFrame({"snapshot_id": np.repeat([r[0] for r in snaps], len(order)),
                              "fetched_at": np.repeat(np.array([r[2] for r in snaps], dtype=object), len(order)),
                              name: np.tile(names[order], len(snaps)), "signature_count": values.ravel()})
        return self._frame_of(frame, columns, dates=["fetched_at"])

    def seat_counts(self, pid: int, ons_code: str) -> pd.DataFrame:
        """One constituency over time: snapshot_id, fetched_at, signature_count (0 where absent from a snapshot)."""
        code_id = self._code_id(CONSTITUENCY, ons_code)
        with self._read() as db:
            snaps = db.rows("SELECT id, t, fetched_at FROM snapshots WHERE petition_id = ? ORDER BY t", (pid,))
            changes = db.rows("""SELECT t, signature_count FROM counts WHERE petition_id = ? AND code_id = ?
                                 ORDER BY t""", (pid, code_id))
        # The seat's count at each snapshot is its newest change at or before it (the seat's rows only).
        at = np.array([c[0] for c in changes], dtype="int64")
        values = np.array([0] + [c[1] for c in changes], dtype="int64")
        times = np.array([r[1] for r in snaps], dtype="int64")
        counts = values[np.searchsorted(at, times, side="right")]
        return self._frame_of([(r[0], r[2], int(n)) for r, n in zip(snaps, counts)],
                              ["snapshot_id", "fetched_at", "signature_count"], dates=["fetched_at"])

    def growth(self, pid: int, start: int, end: int) -> pd.DataFrame:
        """Per constituency the petition listed: ons_code, count_from (snapshot `start`), count_to (`end`), growth."""
        with self._read() as db:
            found = dict(db.rows("SELECT id, t FROM snapshots WHERE petition_id = ? AND id IN (?, ?)",
                                 (pid, int(start), int(end))))
            rows: list[tuple[Any, ...]] = []
            if int(start) in found and int(end) in found:
                codes = db.rows("""SELECT k.id, k.code FROM petition_codes pc JOIN codes k ON k.id = pc.code_id
                                   AND k.kind = ? WHERE pc.petition_id = ? ORDER BY k.code""", (CONSTITUENCY, pid))
                states = _columns(self._states(db, pid, [int(found[int(start)]), int(found[int(end)])])[0],
                                  np.array([k for k, _ in codes], dtype="int64"))
                rows = [(code, int(a), int(b)) for (_, code), a, b in zip(codes, states[0], states[1])]
        frame = pd.DataFrame(rows, columns=["ons_code", "count_from", "count_to"])
        frame["growth"] = frame["count_to"] - frame["count_from"]
        return frame.astype({"count_from": "int64", "count_to": "int64", "growth": "int64"})

    def stale_snapshots(self, pid: int) -> list[int]:
        """Snapshots whose constituency counts equal the previous snapshot's although the total changed.

        petition.parliament.uk sometimes freezes its constituency breakdown under load (21–22 March 2019,
        "Revoke Article 50"): such snapshots would show no growth anywhere, which is false. Each is compared
        with the last snapshot whose breakdown did change (a run of frozen snapshots is frozen throughout).
        """
        rows = self._rows("""
            WITH s AS (SELECT id, t, signature_count, changed,
                              SUM(CASE WHEN changed > 0 THEN 1 ELSE 0 END) OVER (ORDER BY t) AS run,
                              ROW_NUMBER() OVER (ORDER BY t) AS n
                       FROM snapshots WHERE petition_id = ?),
                 r AS (SELECT id, t, signature_count, changed, n,
                              FIRST_VALUE(signature_count) OVER (PARTITION BY run ORDER BY t) AS base FROM s)
            SELECT id FROM r WHERE changed = 0 AND n > 1 AND signature_count <> base ORDER BY t""", (pid,))
        return [int(r[0]) for r in rows]

    def latest_counts_for(self, ons_code: str) -> pd.DataFrame:
        """For every stored petition, its newest snapshot's count in one constituency (0 when absent) and that
        snapshot's constituency total: petition_id, action, state, snapshot_id, fetched_at, signature_count,
        constituency_total, signature_total, source; most signed here first."""
        code_id = self._code_id(CONSTITUENCY, ons_code)
        # Two scans in key order (the seat's latest counts, the petitions) matched here: no seek per petition
        # and no sort in the engine.
        with self._read() as db:
            here = db.rows("SELECT petition_id, signature_count FROM latest WHERE code_id = ? ORDER BY petition_id",
                           (code_id,))
            rows = db.rows("""SELECT id, action, state, latest_snapshot, last_fetched, latest_constituency_total,
                                     latest_total, latest_source
                              FROM petitions WHERE latest_t IS NOT NULL ORDER BY id""", ())
        frame = pd.DataFrame(rows, columns=["petition_id", "action", "state", "snapshot_id", "fetched_at",
                                            "constituency_total", "signature_total", "source"])
        ids = frame["petition_id"].to_numpy(dtype="int64")
        found = np.array(here, dtype="int64").reshape(-1, 2)
        at = np.searchsorted(ids, found[:, 0])
        hit = at < len(ids)
        hit[hit] = ids[at[hit]] == found[hit, 0]
        counts = np.zeros(len(ids), dtype="int64")
        counts[at[hit]] = found[hit, 1]
        order = np.lexsort((ids, -counts))  # most signed here first, then by petition
        frame.insert(5, "signature_count", counts)
        return self._frame_of(frame.take(order).reset_index(drop=True), list(frame.columns), dates=["fetched_at"])

    def weighted_latest(self, weights: Mapping[str, float]) -> pd.Series:
        """Σ weight × latest count over several constituencies, per petition (petition_id → float; petitions with
        no count there are absent): e.g. a 2024 seat's estimate from the 2010 seats it was made from, summed by the
        engine in one scan per code."""
        ids = {self._code_id(CONSTITUENCY, c): float(w) for c, w in weights.items()}
        ids.pop(-1, None)
        if not ids:
            return pd.Series(dtype="float64")
        cases = " ".join("WHEN ? THEN ?" for _ in ids)
        rows = self._rows(f"""SELECT petition_id, SUM(signature_count * CASE code_id {cases} END) FROM latest
                              WHERE code_id IN ({', '.join('?' * len(ids))}) GROUP BY petition_id""",
                          [v for pair in ids.items() for v in pair] + list(ids))
        values = np.array(rows, dtype="float64").reshape(-1, 2)
        return pd.Series(values[:, 1], index=values[:, 0].astype("int64"))

    def code_totals(self) -> pd.Series:
        """Each constituency's signatures over every petition's latest counts (ONS code → sum), for comparing
        seats, regions and nations on one scale; kept as counts are stored (one row per code to read)."""
        rows = self._rows("""SELECT c.code, s.total FROM code_sums s JOIN codes c ON c.id = s.code_id
                             WHERE c.kind = ? AND s.total <> 0""", (CONSTITUENCY,))
        return pd.Series({str(code): int(total) for code, total in rows}, dtype="int64")

    def get_meta(self, key: str) -> str | None:
        row = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return str(row[0][0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as db:
            db.run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   (key, value))

    def integrity(self) -> str:
        return "ok"

    def table_rows(self) -> dict[str, int]:
        """Rows per table (for benchmarks and the tracker's summary)."""
        tables = ("petitions", "snapshots", "counts", "documents", "codes", "latest", "deltas", "keyframes")
        return {name: int(self._rows(f"SELECT COUNT(*) FROM {name}", ())[0][0]) for name in tables}

    # --- the seat profile's tables (petition facts, per-code sums) -----------------------------------------
    def petition_facts(self) -> pd.DataFrame:
        """What the seat profile filters on, for every petition a document was stored for: petition_id, title,
        parliament ('' unknown), states, departments, topics (tuples), updated_at; by petition."""
        return facts_frame(self._rows("""SELECT petition_id, title, parliament, states, departments, topics,
                                         updated_at FROM petition_facts ORDER BY petition_id""", ()))

    def listing(self) -> pd.DataFrame:
        """Every petition a document was stored for, as the official list filters it (no document parsed):
        petition_id, action, background, state, lists (the list states it is under), archived, signature_count
        (its latest total); by petition."""
        return listing_frame([(pid, title, background, states.split(_SEP)[0], lists, archived, int(total or 0))
                              for pid, title, background, states, lists, archived, total in self._rows(
                                  """SELECT f.petition_id, f.title, f.background, f.states, f.lists, f.archived,
                                            p.latest_total FROM petition_facts f JOIN petitions p
                                     ON p.id = f.petition_id ORDER BY f.petition_id""", ())])

    def latest_counts_of(self, petition_ids: Sequence[int], codes: Sequence[str] | None = None) -> pd.DataFrame:
        """The latest constituency counts of chosen petitions (at most 1,000; e.g. the most signed, to compare
        seats' signing patterns), in every seat or in `codes` only: petition_id, ons_code, signature_count
        (non-zero counts only)."""
        ids = sorted({int(i) for i in petition_ids})
        code_ids = None if codes is None else sorted({self._code_id(CONSTITUENCY, c) for c in codes} - {-1})
        if len(ids) > 1_000:
            raise ValueError(f"latest counts of at most 1,000 petitions at once, not {len(ids)}")
        columns = ["petition_id", "ons_code", "signature_count"]
        if not ids:
            return pd.DataFrame(columns=columns).astype({"petition_id": "int64", "signature_count": "int64"})
        # One seek per (seat, petition) in latest's key (code_id, petition_id): no scan of the whole table.
        seats = "" if code_ids is None else f" AND k.id IN ({','.join('?' * len(code_ids))})"
        rows = self._rows(f"""SELECT l.petition_id, k.code, l.signature_count FROM codes k
                              JOIN latest l ON l.code_id = k.id AND l.petition_id IN ({','.join('?' * len(ids))})
                              WHERE k.kind = ?{seats} AND l.signature_count <> 0 ORDER BY l.petition_id, k.code""",
                          (*ids, CONSTITUENCY, *(code_ids or ())))
        return pd.DataFrame(rows, columns=columns).astype({"petition_id": "int64", "signature_count": "int64"})

    def refresh_seat_tables(self) -> None:
        """Recompute the per-code sums from the latest counts and fill facts missing for stored documents (on
        opening a store written before these tables, or after a bulk load that bypassed add())."""
        with self._write() as db:
            self._fill_seat_tables(db)

    def _ensure_seat_tables(self) -> None:
        """Build what a store written by an earlier version lacks, once (another process may be first)."""
        keys = (_KEYFRAME_META, _SEAT_META, _LISTING_META)
        if len(self._rows("SELECT key FROM meta WHERE key IN (?, ?, ?)", keys)) == len(keys):
            return
        with self._write() as db:
            if not db.sqlite:
                db.run("SELECT pg_advisory_xact_lock(7003143)")  # one process fills them
            self._ensure_keyframes(db)
            if not db.one("SELECT value FROM meta WHERE key = ?", (_SEAT_META,)):
                for statement in SEAT_TABLES.split(";"):
                    if statement.strip():
                        db.run(statement)
                self._fill_seat_tables(db)
                db.run("INSERT INTO meta (key, value) VALUES (?, '1')", (_SEAT_META,))
            if not db.one("SELECT value FROM meta WHERE key = ?", (_LISTING_META,)):
                self._add_listing_columns(db)
                db.run("INSERT INTO meta (key, value) VALUES (?, '1')", (_LISTING_META,))

    def _add_listing_columns(self, db: _DB) -> None:
        """petition_facts as written before it held the offline list's filters: add them, from every petition's
        newest document (parsed once, here)."""
        if db.sqlite:
            have = {r[1] for r in db.rows("PRAGMA table_info(petition_facts)", ())}
        else:
            have = {r[0] for r in db.rows("""SELECT column_name FROM information_schema.columns
                                             WHERE table_name = 'petition_facts'""", ())}
        if set(_LISTING_COLUMNS) <= have:
            return
        for name, kind in _LISTING_COLUMNS.items():
            if name not in have:
                db.run(f"ALTER TABLE petition_facts ADD COLUMN {name} {kind}")
        db.run("DELETE FROM petition_facts")
        self._fill_seat_tables(db)

    def _fill_seat_tables(self, db: _DB) -> None:
        db.run("DELETE FROM code_sums")
        db.run("""INSERT INTO code_sums (code_id, total) SELECT l.code_id, SUM(l.signature_count) FROM latest l
                  JOIN codes k ON k.id = l.code_id WHERE k.kind = ? GROUP BY l.code_id""", (CONSTITUENCY,))
        missing = db.rows("""SELECT p.id FROM petitions p WHERE NOT EXISTS (SELECT 1 FROM petition_facts f
                             WHERE f.petition_id = p.id) ORDER BY p.id""", ())
        for (pid,) in missing:
            snap = db.one("""SELECT fetched_at, updated_at FROM snapshots WHERE petition_id = ? AND has_document = 1
                             ORDER BY t DESC LIMIT 1""", (pid,))
            saved = self.latest_document(int(pid)) if snap else None
            facts = _facts(saved[0]) if saved else None
            if facts is not None and snap is not None:
                self._put_facts(db, int(pid), facts, str(snap[1]), str(snap[0]))

    def rebuild_keyframes(self) -> None:
        """Rebuild the packed changes and keyframes of every petition from its count rows (they are derived)."""
        with self._write() as db:
            self._fill_keyframes(db)

    def _ensure_keyframes(self, db: _DB) -> None:
        """Give a store written before keyframes its packed changes and keyframes, once (idempotent)."""
        if db.one("SELECT value FROM meta WHERE key = ?", (_KEYFRAME_META,)):
            return  # another process got here first
        for statement in KEYFRAME_TABLES.format(blob="BLOB" if db.sqlite else "BYTEA").split(";"):
            if statement.strip():
                db.run(statement)
        self._fill_keyframes(db)
        db.run("INSERT INTO meta (key, value) VALUES (?, '1')", (_KEYFRAME_META,))

    def _fill_keyframes(self, db: _DB) -> None:
        db.run("DELETE FROM deltas")
        db.run("DELETE FROM keyframes")
        for (pid,) in db.rows("SELECT id FROM petitions ORDER BY id", ()):
            rows = np.array(db.rows("""SELECT t, code_id, signature_count FROM counts WHERE petition_id = ?
                                       ORDER BY t, code_id""", (int(pid),)), dtype="int64").reshape(-1, 3)
            starts = np.flatnonzero(np.diff(rows[:, 0], prepend=-1)) if len(rows) else np.zeros(0, dtype="int64")
            state: dict[int, int] = {}
            since = 0
            for first, end in zip(starts.tolist(), [*starts[1:].tolist(), len(rows)]):
                changes = dict(zip(rows[first:end, 1].tolist(), rows[first:end, 2].tolist()))
                t = int(rows[first, 0])
                state |= changes
                db.run("INSERT INTO deltas (petition_id, t, body) VALUES (?, ?, ?)", (pid, t, _pack_changes(changes)))
                since += len(changes)
                if since >= KEYFRAME_ROWS:
                    db.run("INSERT INTO keyframes (petition_id, t, body) VALUES (?, ?, ?)",
                           (pid, t, _pack_vector(state)))
                    since = 0

    def _add_code_sums(self, db: _DB, deltas: dict[int, int]) -> None:
        """Keep code_sums equal to Σ latest counts: add each code's change (in code order, so that two
        writers' row locks never cross)."""
        db.many("""INSERT INTO code_sums (code_id, total) VALUES (?, ?)
                   ON CONFLICT (code_id) DO UPDATE SET total = code_sums.total + excluded.total""",
                [(k, d) for k, d in sorted(deltas.items()) if d])

    def _put_facts(self, db: _DB, pid: int, facts: tuple[Any, ...], updated: str, fetched: str) -> None:
        db.run("""INSERT INTO petition_facts (petition_id, title, parliament, states, departments, topics,
                  background, lists, archived, updated_at, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                  ON CONFLICT (petition_id) DO UPDATE SET title = excluded.title, parliament = excluded.parliament,
                  states = excluded.states, departments = excluded.departments, topics = excluded.topics,
                  background = excluded.background, lists = excluded.lists, archived = excluded.archived,
                  updated_at = excluded.updated_at, fetched_at = excluded.fetched_at
                  WHERE excluded.fetched_at >= petition_facts.fetched_at""", (pid, *facts, updated, fetched))

    def _code_id(self, kind: int, code: str) -> int:
        key = (kind, _norm(kind, code))
        if key in self._codes:
            return self._codes[key]
        rows = self._rows("SELECT id FROM codes WHERE kind = ? AND code = ?", key)
        if not rows:
            return -1  # a code no petition has listed: every count is zero
        with self._lock:
            self._codes[key] = int(rows[0][0])
            self._kinds[int(rows[0][0])] = kind
        return int(rows[0][0])

    def _rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self._read() as db:
            return db.rows(sql, params)

    def _frame(self, sql: str, params: Sequence[Any], columns: list[str], dates: Sequence[str] = ()) -> pd.DataFrame:
        return self._frame_of(self._rows(sql, params), columns, dates)

    @staticmethod
    def _frame_of(rows: list[tuple[Any, ...]] | pd.DataFrame, columns: list[str],
                  dates: Sequence[str] = ()) -> pd.DataFrame:
        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=columns)
        for column in dates:
            # One distinct time per snapshot, repeated over its 650 rows in counts(): parse each once.
            codes, unique = pd.factorize(frame[column])
            parsed = pd.DatetimeIndex(pd.to_datetime(pd.Series(unique, dtype=object), utc=True, format="ISO8601"))
            frame[column] = parsed.take(codes, allow_fill=True, fill_value=pd.NaT) if len(frame) else parsed
        return frame


class SQLiteStore(SQLStore):
    """The embedded default: one SQLite file in WAL mode (readers never wait for the writer)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._setup()
        self.path = Path(path or DEFAULT_PATH)
        self.url = f"sqlite:///{self.path}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self._db()
        if db.row("PRAGMA journal_mode")[0] != "wal":
            db.run("PRAGMA journal_mode=WAL")
        if db.row("PRAGMA user_version")[0] < SCHEMA_VERSION:
            self._migrate(db)
        self._ensure_seat_tables()

    def _connection(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA cache_size = -32000")  # 32 MB of pages per connection
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL: a crash loses at most the last commits, never consistency
        return conn

    def _begin_write(self, db: _DB) -> None:
        db.run("BEGIN IMMEDIATE")  # take the write lock first: no deadlock between a reader turned writer

    def _begin_read(self, db: _DB) -> None:
        db.run("BEGIN")  # one consistent view of the WAL for a multi-statement answer

    def integrity(self) -> str:
        """SQLite's own integrity check ('ok' when sound)."""
        return str(self._rows("PRAGMA integrity_check", ())[0][0])

    def _migrate(self, db: _DB) -> None:
        """Create the schema, or bring a store written by an earlier version up to date, in one transaction."""
        self._begin_write(db)
        try:
            version = db.row("PRAGMA user_version")[0]
            if version < SCHEMA_VERSION:  # else another process got here first
                tables = {r[0] for r in db.rows("SELECT name FROM sqlite_master WHERE type = 'table'", ())}
                old = "constituency_counts" in tables
                if old:
                    for name in ("snapshots_by_petition", "counts_by_code"):
                        db.run(f"DROP INDEX IF EXISTS {name}")
                    for name in ("petitions", "snapshots", "constituency_counts", "country_counts"):
                        db.run(f"ALTER TABLE {name} RENAME TO old_{name}")
                for statement in SQLITE_SCHEMA.split(";"):
                    if statement.strip():
                        db.run(statement)
                if old:
                    self._copy_old(db)
                db.run(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            db.pending.clear()
            db.rollback()
            raise
        db.commit()
        with self._lock:
            self._codes.update(db.pending)
            self._kinds.update({v: k[0] for k, v in db.pending.items()})
        db.pending.clear()

    def _copy_old(self, db: _DB) -> None:
        """Schema 1–2 (every count of every snapshot, the newest document whole) → changed counts only."""
        columns = {r[1] for r in db.rows("PRAGMA table_info(old_snapshots)", ())}
        source = "source" if "source" in columns else "'api'"
        for pid, action, state, document, doc_at in db.rows(
                "SELECT id, action, state, document, document_fetched_at FROM old_petitions ORDER BY id", ()):
            snaps = db.rows(f"""SELECT id, fetched_at, updated_at, signature_count, {source} FROM old_snapshots
                                WHERE petition_id = ? ORDER BY fetched_at, id""", (pid,))
            doc = json.loads(document) if document else None
            # The document belongs to the snapshot fetched with it (else the newest).
            with_doc = next((s[0] for s in snaps if s[1] == doc_at), snaps[-1][0] if snaps else None)
            for sid, fetched, updated, total, src in snaps:
                values = {(CONSTITUENCY, code): int(n) for code, n in db.rows(
                    "SELECT ons_code, signature_count FROM old_constituency_counts WHERE snapshot_id = ?", (sid,))}
                values |= {(COUNTRY, code): int(n) for code, n in db.rows(
                    "SELECT code, signature_count FROM old_country_counts WHERE snapshot_id = ?", (sid,))}
                skeleton = None
                if doc is not None and sid == with_doc:
                    values |= _region_values(doc)
                    skeleton = _skeleton(doc, int(total), datetime.fromisoformat(updated) if updated else None, values)
                ctotal = sum(n for (kind, _), n in values.items() if kind == CONSTITUENCY)
                self._insert(db, int(pid), datetime.fromisoformat(fetched), updated, int(total), ctotal, values,
                             None, None, skeleton, src if src in SOURCES else "api", int(sid))
            db.run("INSERT INTO petitions (id, action, state) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE "
                   "SET action = excluded.action, state = excluded.state", (pid, action, state))
        for name in ("constituency_counts", "country_counts", "snapshots", "petitions"):
            db.run(f"DROP TABLE old_{name}")


class PostgresStore(SQLStore):
    """PostgreSQL (psycopg 3) for several trackers, many dashboard replicas and readers elsewhere."""

    _placeholder = "%s"

    def __init__(self, url: str) -> None:
        try:
            import psycopg  # noqa: F401 - only this engine needs it
        except ImportError:
            raise ValueError("a postgresql:// store needs psycopg: pip install -r requirements.txt") from None
        self._setup()
        self.url = url
        with self._write() as db:
            db.run("SELECT pg_advisory_xact_lock(7003143)")  # one process creates the schema
            for statement in POSTGRES_SCHEMA.split(";"):
                if statement.strip():
                    db.run(statement)
        self._ensure_seat_tables()

    def _connection(self) -> Any:
        import psycopg

        return psycopg.connect(self.url, autocommit=True, connect_timeout=10,
                               application_name="petitionmap")

    def _begin_write(self, db: _DB) -> None:
        db.run("BEGIN")

    def _begin_read(self, db: _DB) -> None:
        db.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def _lock_petition(self, db: _DB, pid: int) -> None:
        db.run("SELECT 1 FROM petitions WHERE id = ? FOR UPDATE", (pid,))

    def _register_codes(self, db: _DB, keys: list[tuple[int, str]]) -> None:
        # Codes only ever grow and an unused one is harmless: commit them at once, on a connection of their own,
        # so two sweeps meeting a new code never wait on each other's whole transaction.
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=10) as other:
            with other.cursor() as cur:
                cur.executemany("INSERT INTO codes (kind, code) VALUES (%s, %s) ON CONFLICT (kind, code) DO NOTHING",
                                keys)

    def integrity(self) -> str:
        """'ok' when every count row refers to a snapshot and every snapshot's petition exists."""
        orphans = self._rows("""SELECT (SELECT COUNT(*) FROM counts c WHERE NOT EXISTS (SELECT 1 FROM snapshots s
                                        WHERE s.petition_id = c.petition_id AND s.t = c.t))
                                     + (SELECT COUNT(*) FROM snapshots s WHERE NOT EXISTS
                                        (SELECT 1 FROM petitions p WHERE p.id = s.petition_id))""", ())[0][0]
        return "ok" if orphans == 0 else f"{orphans} orphaned rows"


class _DB:
    """One connection with the few calls the store makes, in either engine's placeholder style."""

    def __init__(self, conn: Any, placeholder: str) -> None:
        self.conn = conn
        self.sqlite = isinstance(conn, sqlite3.Connection)
        self.placeholder = placeholder
        self.depth = 0
        self.pending: dict[tuple[int, str], int] = {}  # codes registered in the open transaction

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(self._sql(sql), params)

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.conn.execute(self._sql(sql), params).fetchone()

    def row(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
        """The one row of a query that always answers one (a PRAGMA, an INSERT … RETURNING)."""
        row = self.one(sql, params)
        if row is None:
            raise sqlite3.DatabaseError(f"no row from {sql.split()[0]} …")
        return row

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(self._sql(sql), params).fetchall()

    def many(self, sql: str, seq: Sequence[Sequence[Any]]) -> None:
        if not seq:
            return
        if self.sqlite:
            self.conn.executemany(sql, seq)
        else:
            with self.conn.cursor() as cur:
                cur.executemany(self._sql(sql), seq)

    def commit(self) -> None:
        self.run("COMMIT")

    def rollback(self) -> None:
        try:
            self.run("ROLLBACK")
        except Exception:  # noqa: BLE001 - nothing to roll back (e.g. the connection is gone)
            pass

    def close(self) -> None:
        self.conn.close()


# --- documents without their counts -------------------------------------------------------------------
def _attributes(doc: Any) -> dict[str, Any] | None:
    """The object holding a document's counts: the API's data.attributes, or the top level of a flat layout."""
    if not isinstance(doc, dict):
        return None
    data = doc.get("data")
    if isinstance(data, dict) and isinstance(data.get("attributes"), dict):
        return data["attributes"]
    return doc if "signature_count" in doc else None


def _skeleton(doc: dict[str, Any], signature_count: int, updated_at: datetime | None,
              values: dict[tuple[int, str], int]) -> str:
    """The document as JSON without its counts, or whole (marked) when it cannot be rebuilt exactly from them."""
    copy = json.loads(json.dumps(doc))
    attrs = _attributes(copy)
    if attrs is not None:
        attrs.pop("signature_count", None)
        if updated_at is not None and attrs.get("updated_at") == _api_time(updated_at):
            attrs.pop("updated_at")
        for key in _LISTS:
            for entry in attrs.get(key) or []:
                if isinstance(entry, dict):
                    entry.pop("signature_count", None)
        text = json.dumps(copy, separators=(",", ":"), sort_keys=True)
        if _rebuild(text, signature_count, updated_at, values) == doc:
            return text
    return json.dumps({_WHOLE: doc}, separators=(",", ":"), sort_keys=True)


def _rebuild(text: str, signature_count: int, updated_at: datetime | None,
             values: dict[tuple[int, str], int]) -> dict[str, Any]:
    doc = json.loads(text)
    if _WHOLE in doc:
        return doc[_WHOLE]
    data = doc.get("data")
    attrs = data["attributes"] if isinstance(data, dict) and isinstance(data.get("attributes"), dict) else doc
    attrs["signature_count"] = signature_count
    if "updated_at" not in attrs and updated_at is not None:
        attrs["updated_at"] = _api_time(updated_at)
    for key, (kind, name) in _LISTS.items():
        for entry in attrs.get(key) or []:
            if isinstance(entry, dict):
                entry["signature_count"] = values.get((kind, _norm(kind, entry.get(name))), 0)
    return doc


Store = open_store  # the name earlier versions used

FACT_COLUMNS = ["petition_id", "title", "parliament", "states", "departments", "topics", "updated_at"]
_SEAT_META = "seat_tables"  # set once a store's petition_facts and code_sums have been filled
_KEYFRAME_META = "keyframes"  # set once a store's deltas and keyframes have been built
_LISTING_META = "listing_facts"  # set once petition_facts holds what the offline list filters on
_LISTING_COLUMNS = {"background": "TEXT NOT NULL DEFAULT ''", "lists": "TEXT NOT NULL DEFAULT ''",
                    "archived": "SMALLINT NOT NULL DEFAULT 0"}
LISTING_COLUMNS = ["petition_id", "action", "background", "state", "lists", "archived", "signature_count"]


def facts_of(p: Petition) -> tuple[str, str, str, str, str]:
    """A petition's title, parliament, states (its state, then debated and/or responded), departments and
    topics, as petition_facts stores them."""
    states = (p.state,) + (("debated",) if p.debate else ()) + (("responded",) if p.government_response else ())
    return (p.action, p.parliament_period or "", _SEP.join(states), _SEP.join(d.name for d in p.departments),
            _SEP.join(p.topics))


def facts_frame(rows: Sequence[tuple[Any, ...]]) -> pd.DataFrame:
    """Stored facts rows (petition_id, *facts_of, updated_at) as a frame of FACT_COLUMNS, lists as tuples."""
    data: dict[str, Any] = dict(zip(FACT_COLUMNS, zip(*rows) if rows else [()] * len(FACT_COLUMNS)))
    for column in ("states", "departments", "topics"):  # split as Python lists: 30,000 rows in a few ms
        data[column] = pd.Series([tuple(v.split(_SEP)) if v else () for v in data[column]], dtype=object)
    data["petition_id"] = np.asarray(data["petition_id"], dtype="int64")
    return pd.DataFrame(data, columns=FACT_COLUMNS)


def _all_facts(p: Petition) -> tuple[Any, ...]:
    """What petition_facts stores of a petition: facts_of, then what the offline list filters on."""
    from petitions.offline import listing_of

    return facts_of(p) + listing_of(p)


def listing_frame(rows: Sequence[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows of LISTING_COLUMNS (lists joined by 0x1f) as a frame, lists as tuples, archived as bool."""
    data: dict[str, Any] = dict(zip(LISTING_COLUMNS, zip(*rows) if rows else [()] * len(LISTING_COLUMNS)))
    data["lists"] = pd.Series([tuple(v.split(_SEP)) if v else () for v in data["lists"]], dtype=object)
    data["archived"] = np.asarray(data["archived"], dtype=bool)
    for column in ("petition_id", "signature_count"):
        data[column] = np.asarray(data[column], dtype="int64")
    return pd.DataFrame(data, columns=LISTING_COLUMNS)


def _facts(document: dict[str, Any]) -> tuple[Any, ...] | None:
    try:
        return _all_facts(parse_petition(document))
    except PetitionError:  # a document the model refuses has no facts to filter on
        return None


def _region_values(doc: dict[str, Any]) -> dict[tuple[int, str], int]:
    attrs = _attributes(doc) or {}
    out: dict[tuple[int, str], int] = {}
    for entry in attrs.get("signatures_by_region") or []:
        if isinstance(entry, dict):
            key = (REGION, _norm(REGION, entry.get("ons_code")))
            out[key] = out.get(key, 0) + int(entry.get("signature_count") or 0)
    return out


def _columns(states: np.ndarray, code_ids: np.ndarray) -> np.ndarray:
    """The columns of `states` (rows of counts by code id) for `code_ids`; zero beyond a row's end."""
    out = np.zeros((len(states), len(code_ids)), dtype="int64")
    inside = code_ids < states.shape[1]
    out[:, inside] = states[:, code_ids[inside]]
    return out


def _pack_changes(changes: Mapping[int, int]) -> bytes:
    ids = np.fromiter(sorted(changes), dtype="<i4", count=len(changes))
    return zlib.compress(ids.tobytes() + np.array([changes[k] for k in ids.tolist()], dtype="<i4").tobytes(), 1)


def _unpack_changes(body: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A deltas row's code ids and counts."""
    pairs = np.frombuffer(zlib.decompress(body), dtype="<i4")
    return pairs[:len(pairs) // 2], pairs[len(pairs) // 2:]


def _pack_vector(values: Mapping[int, int]) -> bytes:
    vector = np.zeros(max(values, default=-1) + 1, dtype="<i4")
    vector[list(values)] = list(values.values())
    return zlib.compress(vector.tobytes(), 1)


def _unpack_vector(body: bytes) -> np.ndarray:
    return np.frombuffer(zlib.decompress(body), dtype="<i4")


def _api_time(value: datetime) -> str:
    """A time as petition.parliament.uk writes it: 2019-08-11T23:00:00.259Z."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _norm(kind: int, code: Any) -> str:
    text = str(code or "").strip()
    return text.upper() if kind == CONSTITUENCY else text


def _as_utc(value: datetime) -> datetime:
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.replace(microsecond=0)


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
