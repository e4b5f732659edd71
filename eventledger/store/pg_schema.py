"""The ledger schema in PostgreSQL: one script per migration of ``schema.MIGRATIONS``, under
the same name, so a ledger records the same versions on either backend.

Translated by hand from the SQLite scripts, column for column: INTEGER -> BIGINT,
REAL -> DOUBLE PRECISION, BLOB -> BYTEA, TEXT -> TEXT COLLATE "C" (SQLite compares and sorts
text by bytes), no WITHOUT ROWID; the FTS5 table and its trigger become ``documents_fts``
(``seq``, ``tsv``) filled by a trigger and searched through a GIN index, with the 'simple'
text search configuration (lower-cased words, no stemming, as FTS5's unicode61).

A new SQLite migration needs its PostgreSQL script here, same name, same order:
tests/test_postgres.py fails until it has one and the two schemas have the same columns.
"""

from __future__ import annotations

__all__ = ["PG_MIGRATIONS"]

_T = 'TEXT COLLATE "C"'

_M001_INITIAL = f"""
        CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
        CREATE TABLE blobs (
            sha256 {_T} PRIMARY KEY,
            size BIGINT NOT NULL,
            data BYTEA NOT NULL
        );
        CREATE TABLE documents (
            id {_T} PRIMARY KEY,
            seq BIGINT NOT NULL UNIQUE,
            source {_T} NOT NULL,
            url {_T},
            title {_T},
            outlet {_T},
            bylines {_T} NOT NULL,
            published {_T},
            published_basis {_T},
            text_sha256 {_T} NOT NULL,
            text {_T} NOT NULL,
            copy_of {_T} REFERENCES documents(id),
            copy_similarity DOUBLE PRECISION,
            signature BYTEA NOT NULL,
            record {_T} NOT NULL,
            ingested_at {_T} NOT NULL
        );
        CREATE INDEX documents_text_sha ON documents(text_sha256);
        CREATE TABLE document_bands (
            band {_T} NOT NULL,
            document_id {_T} NOT NULL REFERENCES documents(id),
            PRIMARY KEY (band, document_id)
        );
        CREATE TABLE entities (
            id {_T} PRIMARY KEY,
            kind {_T} NOT NULL,
            name {_T} NOT NULL,
            lat DOUBLE PRECISION,
            lon DOUBLE PRECISION
        );
        CREATE TABLE entity_aliases (
            entity_id {_T} NOT NULL REFERENCES entities(id),
            alias {_T} NOT NULL,
            PRIMARY KEY (entity_id, alias)
        );
        CREATE TABLE entity_roles (
            entity_id {_T} NOT NULL REFERENCES entities(id),
            role {_T} NOT NULL,
            document_id {_T} NOT NULL REFERENCES documents(id),
            PRIMARY KEY (entity_id, role, document_id)
        );
        CREATE TABLE mentions (
            document_id {_T} NOT NULL REFERENCES documents(id),
            entity_id {_T} NOT NULL REFERENCES entities(id),
            start BIGINT NOT NULL,
            "end" BIGINT NOT NULL,
            text {_T} NOT NULL,
            PRIMARY KEY (document_id, start, entity_id)
        );
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE figures (
            id {_T} PRIMARY KEY,
            document_id {_T} NOT NULL REFERENCES documents(id),
            idx BIGINT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            high DOUBLE PRECISION NOT NULL,
            approx BIGINT NOT NULL,
            kind {_T} NOT NULL,
            per {_T},
            subject {_T} NOT NULL,
            text {_T} NOT NULL,
            start BIGINT NOT NULL,
            "end" BIGINT NOT NULL,
            event_id {_T}
        );
        CREATE INDEX figures_kind ON figures(kind);
        CREATE INDEX figures_event ON figures(event_id);
        CREATE INDEX figures_document ON figures(document_id);
        CREATE TABLE quotes (
            id {_T} PRIMARY KEY,
            document_id {_T} NOT NULL REFERENCES documents(id),
            idx BIGINT NOT NULL,
            speaker {_T},
            text {_T} NOT NULL,
            start BIGINT NOT NULL,
            "end" BIGINT NOT NULL
        );
        CREATE INDEX quotes_speaker ON quotes(speaker);
        CREATE INDEX quotes_document ON quotes(document_id);
        CREATE TABLE events (
            id {_T} PRIMARY KEY,
            type {_T} NOT NULL,
            mode {_T},
            date {_T},
            date_precision {_T},
            place_id {_T},
            first_seq BIGINT NOT NULL,
            review_status {_T} NOT NULL DEFAULT 'unreviewed',
            reviewed_by {_T},
            reviewed_at {_T}
        );
        CREATE INDEX events_type_date ON events(type, date);
        CREATE INDEX events_date ON events(date);
        CREATE TABLE reports (
            id {_T} PRIMARY KEY,
            event_id {_T} NOT NULL REFERENCES events(id),
            document_id {_T} NOT NULL REFERENCES documents(id),
            idx BIGINT NOT NULL,
            type {_T} NOT NULL,
            mode {_T},
            date {_T},
            date_precision {_T},
            place_id {_T},
            actors {_T} NOT NULL,
            targets {_T} NOT NULL,
            figure_ids {_T} NOT NULL,
            attribution {_T},
            text {_T} NOT NULL,
            start BIGINT NOT NULL,
            "end" BIGINT NOT NULL
        );
        CREATE INDEX reports_event ON reports(event_id);
        CREATE INDEX reports_document ON reports(document_id);
        CREATE TABLE log (
            seq BIGINT PRIMARY KEY,
            at {_T} NOT NULL,
            action {_T} NOT NULL,
            subject {_T} NOT NULL,
            detail {_T} NOT NULL,
            prev_hash {_T} NOT NULL,
            hash {_T} NOT NULL
        );
        CREATE TABLE documents_fts (
            seq BIGINT PRIMARY KEY REFERENCES documents(seq),
            tsv TSVECTOR NOT NULL
        );
        CREATE INDEX documents_fts_tsv ON documents_fts USING GIN (tsv);
        CREATE FUNCTION documents_fts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO documents_fts(seq, tsv)
            VALUES (NEW.seq, to_tsvector('simple', COALESCE(NEW.title, '') || ' ' || NEW.text));
            RETURN NEW;
        END $$;
        CREATE TRIGGER documents_ai AFTER INSERT ON documents
            FOR EACH ROW EXECUTE FUNCTION documents_fts_insert();
"""

_M002_REVIEW = f"""
        CREATE TABLE users (
            name {_T} PRIMARY KEY,
            password_hash {_T} NOT NULL,
            created_at {_T} NOT NULL,
            disabled BIGINT NOT NULL DEFAULT 0
        );
        CREATE TABLE reviews (
            id BIGINT PRIMARY KEY,
            at {_T} NOT NULL,
            reviewer {_T} NOT NULL REFERENCES users(name),
            target_kind {_T} NOT NULL,
            target_id {_T} NOT NULL,
            event_id {_T},
            action {_T} NOT NULL,
            old_value {_T},
            new_value {_T},
            reason {_T} NOT NULL,
            log_seq BIGINT NOT NULL,
            log_hash {_T} NOT NULL
        );
        CREATE INDEX reviews_target ON reviews(target_kind, target_id);
        CREATE INDEX reviews_event ON reviews(event_id);
"""

_M003_LOOKUPS = f"""
        CREATE INDEX IF NOT EXISTS figures_document ON figures(document_id);
        CREATE INDEX IF NOT EXISTS quotes_document ON quotes(document_id);
        CREATE INDEX entity_roles_document ON entity_roles(document_id);
        CREATE INDEX entity_aliases_alias ON entity_aliases(alias COLLATE nocase);
        CREATE INDEX documents_outlet ON documents(outlet COLLATE nocase);
        CREATE INDEX events_place ON events(place_id);
        CREATE TABLE report_actors (
            entity_id {_T} NOT NULL,
            report_id {_T} NOT NULL REFERENCES reports(id),
            PRIMARY KEY (entity_id, report_id)
        );
        INSERT INTO report_actors(entity_id, report_id)
            SELECT DISTINCT a.value, r.id FROM reports r, json_array_elements_text(r.actors::json) AS a(value)
            ON CONFLICT DO NOTHING;
"""

_M004_STORIES = f"""
        ALTER TABLE events ADD COLUMN story_id {_T};
        ALTER TABLE events ADD COLUMN status {_T} NOT NULL DEFAULT 'occurred';
        UPDATE events SET story_id = 'st-' || substr(id, 4);
        CREATE INDEX events_story ON events(story_id, type, date);
        ALTER TABLE reports ADD COLUMN status {_T} NOT NULL DEFAULT 'occurred';
        ALTER TABLE reports ADD COLUMN salience {_T} NOT NULL DEFAULT 'main';
        ALTER TABLE reports ADD COLUMN date_basis {_T};
        ALTER TABLE reports ADD COLUMN attributed_to {_T};
        ALTER TABLE figures ADD COLUMN attributed_to {_T};
        CREATE TABLE story_docs (
            document_id {_T} PRIMARY KEY REFERENCES documents(id),
            story_id {_T} NOT NULL,
            day {_T},
            vector {_T} NOT NULL
        );
        CREATE INDEX story_docs_story ON story_docs(story_id);
        CREATE INDEX story_docs_day ON story_docs(day);
        CREATE TABLE stories (
            id {_T} PRIMARY KEY,
            documents BIGINT NOT NULL,
            centroid {_T} NOT NULL
        );
        INSERT INTO stories(id, documents, centroid) SELECT story_id, 0, '{{}}' FROM events GROUP BY story_id;
        CREATE TABLE story_keys (
            key {_T} NOT NULL,
            document_id {_T} NOT NULL REFERENCES documents(id),
            day {_T},
            PRIMARY KEY (key, document_id)
        );
        CREATE INDEX story_keys_day ON story_keys(key, day);
"""

_M005_TAMPER = f"""
        CREATE TABLE checkpoints (
            tree_size BIGINT PRIMARY KEY,
            root_hash {_T} NOT NULL,
            at {_T} NOT NULL,
            public_key {_T} NOT NULL,
            signature {_T} NOT NULL
        );
        ALTER TABLE users ADD COLUMN session_gen BIGINT NOT NULL DEFAULT 0;
"""

_M006_KIT = f"""
        -- the accountability kit (eventledger/kit/): exhibits and their links, records
        -- requests and their updates, staging sites; every write is also a log entry
        CREATE TABLE exhibits (
            sha256 {_T} PRIMARY KEY REFERENCES blobs(sha256),  -- the file's bytes, stored unchanged
            filename {_T} NOT NULL,
            media_type {_T} NOT NULL,
            size BIGINT NOT NULL,
            source_url {_T},                     -- where it was collected from, or
            device {_T},                         -- the device that made it
            collected_by {_T} NOT NULL,
            collected_at {_T},                   -- when it was collected (as stated by the collector)
            added_by {_T} NOT NULL,
            added_at {_T} NOT NULL,
            note {_T},
            metadata {_T} NOT NULL,              -- JSON: EXIF/GPS, duration/codec, page count
            document_id {_T},                    -- the ledger document of its text (PDF, text)
            released BIGINT NOT NULL DEFAULT 0
        );
        CREATE TABLE exhibit_links (
            sha256 {_T} NOT NULL REFERENCES exhibits(sha256),
            target_kind {_T} NOT NULL,           -- event | story | request
            target_id {_T} NOT NULL,
            linked_by {_T} NOT NULL,
            linked_at {_T} NOT NULL,
            PRIMARY KEY (sha256, target_kind, target_id)
        );
        CREATE INDEX exhibit_links_target ON exhibit_links(target_kind, target_id);
        CREATE TABLE exhibit_citations (
            sha256 {_T} NOT NULL REFERENCES exhibits(sha256),
            document_id {_T} NOT NULL,            -- the exhibit's text as a ledger document
            start BIGINT NOT NULL,                -- the cited sentence: document.text[start:end]
            "end" BIGINT NOT NULL,
            text {_T} NOT NULL,
            target_kind {_T} NOT NULL,            -- event | story | request
            target_id {_T} NOT NULL,
            cited_by {_T} NOT NULL,
            cited_at {_T} NOT NULL,
            PRIMARY KEY (sha256, start, target_kind, target_id)
        );
        CREATE TABLE records_requests (
            id {_T} PRIMARY KEY,                 -- rr-<n>
            agency {_T} NOT NULL,
            law {_T} NOT NULL,                   -- foia | cpra
            filed {_T} NOT NULL,                 -- YYYY-MM-DD, the day the agency received it
            subject {_T} NOT NULL,
            tracking {_T},                       -- the agency's tracking number
            status {_T} NOT NULL,
            extended BIGINT NOT NULL DEFAULT 0,
            created_by {_T} NOT NULL,
            created_at {_T} NOT NULL
        );
        CREATE TABLE request_updates (
            request_id {_T} NOT NULL REFERENCES records_requests(id),
            idx BIGINT NOT NULL,
            status {_T} NOT NULL,
            on_date {_T} NOT NULL,
            by_name {_T} NOT NULL,
            note {_T},
            at {_T} NOT NULL,
            PRIMARY KEY (request_id, idx)
        );
        CREATE TABLE request_links (
            request_id {_T} NOT NULL REFERENCES records_requests(id),
            target_kind {_T} NOT NULL,           -- event | story
            target_id {_T} NOT NULL,
            PRIMARY KEY (request_id, target_kind, target_id)
        );
        CREATE TABLE staging_sites (
            id {_T} PRIMARY KEY,                 -- site-<n>
            name {_T} NOT NULL,
            lat DOUBLE PRECISION,
            lon DOUBLE PRECISION,
            uncertainty_m DOUBLE PRECISION,                  -- how far the point may be off, when known
            occurred {_T} NOT NULL,              -- the day it was used (past only)
            event_id {_T},                       -- evidence: a ledger event
            exhibit_sha256 {_T},                 -- and/or an exhibit
            note {_T},
            added_by {_T} NOT NULL,
            added_at {_T} NOT NULL
        );
        CREATE TABLE parcel_layers (
            sha256 {_T} PRIMARY KEY REFERENCES blobs(sha256),
            filename {_T} NOT NULL,
            owner_field {_T} NOT NULL,
            city_owners {_T} NOT NULL,
            loaded_by {_T} NOT NULL,
            loaded_at {_T} NOT NULL
        );
        CREATE INDEX log_subject ON log(subject);
"""

# name -> PostgreSQL script; the names and their order are schema.MIGRATIONS'.
_M007_SEAL_LOOKUPS = """
        CREATE INDEX story_keys_document ON story_keys(document_id);
        -- SQLite's index on (key, day) carries the primary key; here it is named, so a key's
        -- nearest documents are read along the index without sorting all of them
        CREATE INDEX story_keys_day_document ON story_keys(key, day, document_id);
"""

PG_MIGRATIONS: dict[str, str] = {
    "001_initial": _M001_INITIAL,
    "002_review": _M002_REVIEW,
    "003_lookups": _M003_LOOKUPS,
    "004_stories": _M004_STORIES,
    "005_tamper": _M005_TAMPER,
    "006_kit": _M006_KIT,
    "007_seal_lookups": _M007_SEAL_LOOKUPS,
}
