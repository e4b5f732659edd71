"""The ledger schema as named migrations, applied in order, each in its own transaction
and recorded in ``migrations``. A ledger written by a newer eventledger is refused."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timezone
from typing import Any

from eventledger.errors import StoreError

__all__ = ["MIGRATIONS", "migrate"]

log = logging.getLogger(__name__)


_M001_INITIAL = """
        CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,                 -- SHA-256 of the raw bytes (blobs.sha256)
            seq INTEGER NOT NULL UNIQUE,         -- ingest order
            source TEXT NOT NULL,
            url TEXT,
            title TEXT,
            outlet TEXT,
            bylines TEXT NOT NULL,               -- JSON list
            published TEXT,
            published_basis TEXT,
            text_sha256 TEXT NOT NULL,
            text TEXT NOT NULL,
            copy_of TEXT REFERENCES documents(id),
            copy_similarity REAL,
            signature BLOB NOT NULL,             -- MinHash signature (near copies)
            record TEXT NOT NULL,                -- the extraction record, JSON, without text
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX documents_text_sha ON documents(text_sha256);
        CREATE TABLE document_bands (
            band TEXT NOT NULL,
            document_id TEXT NOT NULL REFERENCES documents(id),
            PRIMARY KEY (band, document_id)
        ) WITHOUT ROWID;
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            lat REAL,
            lon REAL
        );
        CREATE TABLE entity_aliases (
            entity_id TEXT NOT NULL REFERENCES entities(id),
            alias TEXT NOT NULL,
            PRIMARY KEY (entity_id, alias)
        ) WITHOUT ROWID;
        CREATE TABLE entity_roles (
            entity_id TEXT NOT NULL REFERENCES entities(id),
            role TEXT NOT NULL,
            document_id TEXT NOT NULL REFERENCES documents(id),
            PRIMARY KEY (entity_id, role, document_id)
        ) WITHOUT ROWID;
        CREATE TABLE mentions (
            document_id TEXT NOT NULL REFERENCES documents(id),
            entity_id TEXT NOT NULL REFERENCES entities(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (document_id, start, entity_id)
        ) WITHOUT ROWID;
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE figures (
            id TEXT PRIMARY KEY,                 -- document_id:index
            document_id TEXT NOT NULL REFERENCES documents(id),
            idx INTEGER NOT NULL,
            value REAL NOT NULL,
            high REAL NOT NULL,
            approx INTEGER NOT NULL,
            kind TEXT NOT NULL,
            per TEXT,
            subject TEXT NOT NULL,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            event_id TEXT
        );
        CREATE INDEX figures_kind ON figures(kind);
        CREATE INDEX figures_event ON figures(event_id);
        CREATE TABLE quotes (
            id TEXT PRIMARY KEY,                 -- document_id:index
            document_id TEXT NOT NULL REFERENCES documents(id),
            idx INTEGER NOT NULL,
            speaker TEXT,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE INDEX quotes_speaker ON quotes(speaker);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            mode TEXT,
            date TEXT,
            date_precision TEXT,
            place_id TEXT,
            first_seq INTEGER NOT NULL,
            review_status TEXT NOT NULL DEFAULT 'unreviewed',
            reviewed_by TEXT,
            reviewed_at TEXT
        );
        CREATE INDEX events_type_date ON events(type, date);
        CREATE INDEX events_date ON events(date);
        CREATE TABLE reports (
            id TEXT PRIMARY KEY,                 -- document_id:index
            event_id TEXT NOT NULL REFERENCES events(id),
            document_id TEXT NOT NULL REFERENCES documents(id),
            idx INTEGER NOT NULL,
            type TEXT NOT NULL,
            mode TEXT,
            date TEXT,
            date_precision TEXT,
            place_id TEXT,
            actors TEXT NOT NULL,                -- JSON list of entity ids
            targets TEXT NOT NULL,
            figure_ids TEXT NOT NULL,            -- JSON list of figures.id
            attribution TEXT,                    -- JSON or null
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE INDEX reports_event ON reports(event_id);
        CREATE INDEX reports_document ON reports(document_id);
        CREATE TABLE log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail TEXT NOT NULL,                -- JSON
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
"""

_M002_REVIEW = """
        CREATE TABLE users (
            name TEXT PRIMARY KEY,               -- a reviewer's login name
            password_hash TEXT NOT NULL,         -- argon2id, PHC string
            created_at TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,              -- review order, assigned by the writer
            at TEXT NOT NULL,
            reviewer TEXT NOT NULL REFERENCES users(name),
            target_kind TEXT NOT NULL,           -- event | figure | quote | report
            target_id TEXT NOT NULL,
            event_id TEXT,                       -- the ledger event it concerns
            action TEXT NOT NULL,                -- confirm | reject | correct | regroup
            old_value TEXT,                      -- JSON
            new_value TEXT,                      -- JSON
            reason TEXT NOT NULL,
            log_seq INTEGER NOT NULL,            -- its entry in the hash-chained log
            log_hash TEXT NOT NULL
        );
        CREATE INDEX reviews_target ON reviews(target_kind, target_id);
        CREATE INDEX reviews_event ON reviews(event_id);
"""

_M003_LOOKUPS = """
        -- a document's rows, read by every ingest's log digest and by verify
        CREATE INDEX figures_document ON figures(document_id);
        CREATE INDEX quotes_document ON quotes(document_id);
        CREATE INDEX entity_roles_document ON entity_roles(document_id);
        -- the events filters: an actor by id or alias, an outlet, case-insensitively
        CREATE INDEX entity_aliases_alias ON entity_aliases(alias COLLATE NOCASE);
        CREATE INDEX documents_outlet ON documents(outlet COLLATE NOCASE);
        CREATE INDEX events_place ON events(place_id);
        CREATE TABLE report_actors (
            entity_id TEXT NOT NULL,
            report_id TEXT NOT NULL REFERENCES reports(id),
            PRIMARY KEY (entity_id, report_id)
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO report_actors(entity_id, report_id)
            SELECT a.value, r.id FROM reports r, json_each(r.actors) a;
"""

_M004_STORIES = """
        -- stories (spec/ledger.md "Stories"): every ledger event is in one; each document's
        -- term vector and blocking keys are what the grouping compares a new document with
        ALTER TABLE events ADD COLUMN story_id TEXT;
        ALTER TABLE events ADD COLUMN status TEXT NOT NULL DEFAULT 'occurred';
        UPDATE events SET story_id = 'st-' || substr(id, 4);
        CREATE INDEX events_story ON events(story_id, type, date);
        ALTER TABLE reports ADD COLUMN status TEXT NOT NULL DEFAULT 'occurred';
        ALTER TABLE reports ADD COLUMN salience TEXT NOT NULL DEFAULT 'main';
        ALTER TABLE reports ADD COLUMN date_basis TEXT;
        ALTER TABLE reports ADD COLUMN attributed_to TEXT;   -- JSON list, outermost claimant first
        ALTER TABLE figures ADD COLUMN attributed_to TEXT;   -- JSON list, outermost claimant first
        CREATE TABLE story_docs (
            document_id TEXT PRIMARY KEY REFERENCES documents(id),
            story_id TEXT NOT NULL,
            day TEXT,                            -- the time window's day: published, else reported
            vector TEXT NOT NULL                 -- JSON {term: weight}, unit length
        );
        CREATE INDEX story_docs_story ON story_docs(story_id);
        CREATE INDEX story_docs_day ON story_docs(day);
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            documents INTEGER NOT NULL,
            centroid TEXT NOT NULL               -- JSON {term: weight}: its documents' vectors summed, unit length
        );
        INSERT INTO stories(id, documents, centroid) SELECT story_id, 0, '{}' FROM events GROUP BY story_id;
        CREATE TABLE story_keys (
            key TEXT NOT NULL,
            document_id TEXT NOT NULL REFERENCES documents(id),
            day TEXT,
            PRIMARY KEY (key, document_id)
        ) WITHOUT ROWID;
        CREATE INDEX story_keys_day ON story_keys(key, day);
"""

_M005_TAMPER = """
        -- signed checkpoints of the log's Merkle tree (store/checkpoint.py); the web app serves the latest
        CREATE TABLE checkpoints (
            tree_size INTEGER PRIMARY KEY,       -- log entries covered
            root_hash TEXT NOT NULL,             -- RFC 6962 Merkle tree hash, hex
            at TEXT NOT NULL,
            public_key TEXT NOT NULL,            -- ed25519 <base64>
            signature TEXT NOT NULL              -- base64 Ed25519 signature of checkpoint_body()
        );
        -- a reviewer's sessions end when this changes (logout, new password)
        ALTER TABLE users ADD COLUMN session_gen INTEGER NOT NULL DEFAULT 0;
"""

_M006_KIT = """
        -- the accountability kit (eventledger/kit/): exhibits and their links, records
        -- requests and their updates, staging sites; every write is also a log entry
        CREATE TABLE exhibits (
            sha256 TEXT PRIMARY KEY REFERENCES blobs(sha256),  -- the file's bytes, stored unchanged
            filename TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            source_url TEXT,                     -- where it was collected from, or
            device TEXT,                         -- the device that made it
            collected_by TEXT NOT NULL,
            collected_at TEXT,                   -- when it was collected (as stated by the collector)
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            note TEXT,
            metadata TEXT NOT NULL,              -- JSON: EXIF/GPS, duration/codec, page count
            document_id TEXT,                    -- the ledger document of its text (PDF, text)
            released INTEGER NOT NULL DEFAULT 0  -- 1: a reviewer released the original (location, faces)
        );
        CREATE TABLE exhibit_links (
            sha256 TEXT NOT NULL REFERENCES exhibits(sha256),
            target_kind TEXT NOT NULL,           -- event | story | request
            target_id TEXT NOT NULL,
            linked_by TEXT NOT NULL,
            linked_at TEXT NOT NULL,
            PRIMARY KEY (sha256, target_kind, target_id)
        );
        CREATE INDEX exhibit_links_target ON exhibit_links(target_kind, target_id);
        CREATE TABLE exhibit_citations (
            sha256 TEXT NOT NULL REFERENCES exhibits(sha256),
            document_id TEXT NOT NULL,            -- the exhibit's text as a ledger document
            start INTEGER NOT NULL,                -- the cited sentence: document.text[start:end]
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            target_kind TEXT NOT NULL,            -- event | story | request
            target_id TEXT NOT NULL,
            cited_by TEXT NOT NULL,
            cited_at TEXT NOT NULL,
            PRIMARY KEY (sha256, start, target_kind, target_id)
        );
        CREATE TABLE records_requests (
            id TEXT PRIMARY KEY,                 -- rr-<n>
            agency TEXT NOT NULL,
            law TEXT NOT NULL,                   -- foia | cpra
            filed TEXT NOT NULL,                 -- YYYY-MM-DD, the day the agency received it
            subject TEXT NOT NULL,
            tracking TEXT,                       -- the agency's tracking number
            status TEXT NOT NULL,
            extended INTEGER NOT NULL DEFAULT 0,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE request_updates (
            request_id TEXT NOT NULL REFERENCES records_requests(id),
            idx INTEGER NOT NULL,
            status TEXT NOT NULL,
            on_date TEXT NOT NULL,
            by_name TEXT NOT NULL,
            note TEXT,
            at TEXT NOT NULL,
            PRIMARY KEY (request_id, idx)
        );
        CREATE TABLE request_links (
            request_id TEXT NOT NULL REFERENCES records_requests(id),
            target_kind TEXT NOT NULL,           -- event | story
            target_id TEXT NOT NULL,
            PRIMARY KEY (request_id, target_kind, target_id)
        );
        CREATE TABLE staging_sites (
            id TEXT PRIMARY KEY,                 -- site-<n>
            name TEXT NOT NULL,
            lat REAL,
            lon REAL,
            uncertainty_m REAL,                  -- how far the point may be off, when known
            occurred TEXT NOT NULL,              -- the day it was used (past only)
            event_id TEXT,                       -- evidence: a ledger event
            exhibit_sha256 TEXT,                 -- and/or an exhibit
            note TEXT,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE TABLE parcel_layers (
            sha256 TEXT PRIMARY KEY REFERENCES blobs(sha256),  -- the GeoJSON, or the shapefile's parts zipped
            filename TEXT NOT NULL,
            owner_field TEXT NOT NULL,           -- the attribute naming a parcel's owner
            city_owners TEXT NOT NULL,           -- JSON list: owner names that mean city-owned
            loaded_by TEXT NOT NULL,
            loaded_at TEXT NOT NULL
        );
        CREATE INDEX log_subject ON log(subject);
"""

_M007_SEAL_LOOKUPS = """
        -- every write seals its rows by document (store/seal.py): without this index each
        -- ingest scanned the whole story_keys table, so its cost grew with the ledger
        CREATE INDEX story_keys_document ON story_keys(document_id);
"""

# (name, SQL script). Append new migrations; never edit an applied one.
MIGRATIONS: list[tuple[str, str]] = [
    ("001_initial", _M001_INITIAL),
    ("002_review", _M002_REVIEW),
    ("003_lookups", _M003_LOOKUPS),
    ("004_stories", _M004_STORIES),
    ("005_tamper", _M005_TAMPER),
    ("006_kit", _M006_KIT),
    ("007_seal_lookups", _M007_SEAL_LOOKUPS),
]


def migrate(db: Any, path: str, upto: str | None = None) -> list[str]:
    """Apply the migrations this ledger lacks, in order (only up to ``upto`` when given), and
    return their names; refuse a ledger from a newer version.

    ``db`` is an SQLite connection or a backend.PgConnection (then the scripts are
    pg_schema's). Each migration runs in one transaction under the writer lock and is
    re-checked inside it, so processes opening one new ledger at once apply it once."""
    scripts = _scripts(db, path)
    names = [n for n, _ in scripts]
    if upto is not None:
        scripts = scripts[: names.index(upto) + 1]
    try:
        done = {r[0] for r in db.execute("SELECT name FROM migrations")}
    except sqlite3.OperationalError:  # no migrations table yet: a new ledger
        done = set()
    _refuse_newer(done, names, path)
    applied: list[str] = []
    for name, sql in scripts:
        if name in done:
            continue
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            now_done = {r[0] for r in db.execute("SELECT name FROM migrations")}
            _refuse_newer(now_done, names, path)
            if name not in now_done:
                _run_script(db, sql)
                now = datetime.now(timezone.utc).isoformat(timespec="seconds")
                db.execute("INSERT INTO migrations(name, applied_at) VALUES (?, ?)", (name, now))
                applied.append(name)
            db.execute("COMMIT")
        except BaseException as e:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                last = applied[-1] if applied else max(done, default="empty")
                raise StoreError(f"{path}: cannot upgrade the ledger: migration {name} failed ({e}); it was rolled"
                                 f" back and the ledger stays at {last}") from e
            raise
    if applied:
        log.info("%s: ledger upgraded with migrations %s", path, ", ".join(applied))
    return applied


def _scripts(db: Any, path: str) -> list[tuple[str, str]]:
    if getattr(db, "backend", "sqlite") != "postgresql":
        return MIGRATIONS
    from eventledger.store.pg_schema import PG_MIGRATIONS

    missing = [n for n, _ in MIGRATIONS if n not in PG_MIGRATIONS]
    if missing:
        raise StoreError(f"{path}: this eventledger has no PostgreSQL form of migrations {missing}"
                         " (add them to store/pg_schema.py)")
    return [(n, PG_MIGRATIONS[n]) for n, _ in MIGRATIONS]


def _refuse_newer(done: set[str], known: list[str], path: str) -> None:
    unknown = done - set(known)
    if unknown:
        raise StoreError(
            f"{path}: written by a newer eventledger (unknown migrations {sorted(unknown)}; this version knows"
            f" {known[0]} to {known[-1]}); upgrade eventledger to open it"
        )


def _run_script(db: Any, sql: str) -> None:
    """Run a migration script inside the open transaction (executescript would commit it)."""
    if getattr(db, "backend", "sqlite") == "postgresql":
        db.executescript(sql)
        return
    stmt = ""
    for line in sql.splitlines(keepends=True):
        stmt += line
        if sqlite3.complete_statement(stmt):
            db.execute(stmt)
            stmt = ""
    if stmt.strip():
        db.execute(stmt)
