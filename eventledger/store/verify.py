"""``verify``: every stored value checked against the log, its hash chain, its own hash or
what it is derived from (the registries of store/seal.py), and the signed checkpoints.

One line per problem, naming what is damaged; a damaged file is one line too, never a
traceback (see :func:`eventledger.store.audit.verify_location`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from eventledger.store.seal import DERIVED, SEALED, entry_hash, logged_form

__all__ = ["verify_store"]

_GENESIS = "0" * 64
_EVENT_FIELDS = SEALED["events"].columns


def verify_store(store: Any) -> list[str]:
    """Every problem found in an open store, one line each."""
    problems: list[str] = []
    db = store.db
    sources = {r[0]: r[1] for r in db.execute("SELECT id, source FROM documents")}
    _blobs(db, sources, problems)
    for r in db.execute("SELECT id, source, text, text_sha256 FROM documents"):
        if hashlib.sha256(r[2].encode("utf-8", "surrogatepass")).hexdigest() != r[3]:
            problems.append(f"document {r[0]} ({r[1]}): text does not match text_sha256")
    sealed, times, entries = _walk_log(db, problems)
    if not entries:
        problems.append("log: empty: nothing was ever recorded in this ledger, so nothing can be verified")
    _compare_sealed(db, sealed, sources, problems)
    _cross_check(db, times, entries, problems)
    _derived(store, problems)
    _migrations(db, problems)
    from eventledger.store.checkpoint import check_stored_checkpoints

    problems.extend(check_stored_checkpoints(store, [bytes.fromhex(e[1]) for e in entries]))
    return problems


def _blobs(db: Any, sources: dict[str, str], problems: list[str]) -> None:
    # bytes kept for the kit's exhibits and parcel layers are theirs, sealed with their rows
    owned = {r[0]: f"{what} {r[1]} ({r[0]})" for what, t in (("exhibit", "exhibits"), ("parcel layer", "parcel_layers"))
             for r in db.execute(f"SELECT sha256, filename FROM {t}")}
    for r in db.execute("SELECT sha256, size, data FROM blobs"):
        data = bytes(r[2])
        name = owned.get(r[0]) or (f"source {sources[r[0]]} (document {r[0]})" if r[0] in sources else f"blob {r[0]}")
        if hashlib.sha256(data).hexdigest() != r[0]:
            problems.append(f"{name}: stored bytes do not match their SHA-256")
        elif r[1] != len(data):
            problems.append(f"{name}: stored size {r[1]} is not the {len(data)} bytes stored")
        if r[0] not in sources and r[0] not in owned:
            problems.append(f"blob {r[0]}: not the bytes of any document, exhibit or parcel layer")
    for doc_id, source in sources.items():
        if db.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (doc_id,)).fetchone() is None:
            problems.append(f"source {source} (document {doc_id}): stored bytes missing")


def _walk_log(db: Any, problems: list[str]) -> tuple[dict[str, dict[str, Any]], dict[str, str], list[tuple[int, str, str]]]:
    """Walk the chain; return the latest logged form of every sealed scope, each document's
    ingest time, and (seq, hash, action) of every entry."""
    prev_hash, expect_seq = _GENESIS, 1
    sealed: dict[str, dict[str, Any]] = {}
    times: dict[str, str] = {}
    entries: list[tuple[int, str, str]] = []
    for e in db.execute("SELECT seq, at, action, subject, detail, prev_hash, hash FROM log ORDER BY seq"):
        seq, at, action, subject, raw, prev, h = tuple(e)
        entries.append((seq, h, action))
        try:
            detail = json.loads(raw)
            ok = isinstance(detail, dict)
        except ValueError:
            detail, ok = {}, False
        if seq != expect_seq:
            problems.append(f"log entry {expect_seq}: missing (next is {seq})")
        if not ok or prev != prev_hash or entry_hash(prev_hash, seq, at, action, subject, detail) != h:
            problems.append(f"log entry {seq} ({action} {subject}): hash chain broken")
        for table, scopes in (detail.get("seal") or {}).items():
            if isinstance(scopes, dict):
                sealed.setdefault(table, {}).update(scopes)
                if table == "documents" and action == "ingest":
                    for k in scopes:
                        times.setdefault(k, at)
        prev_hash, expect_seq = h, seq + 1
    return sealed, times, entries


def _current(db: Any, table: str) -> dict[str, Any]:
    s = SEALED[table]
    cols = ", ".join(f'"{c}"' for c in s.columns)
    groups: dict[str, list[tuple[Any, ...]]] = {}
    for r in db.execute(f'SELECT "{s.scope}", {cols} FROM {table}'):
        groups.setdefault(str(r[0]), []).append(tuple(r)[1:])
    return {k: logged_form(table, rows) for k, rows in groups.items()}


def _compare_sealed(db: Any, sealed: dict[str, dict[str, Any]], sources: dict[str, str], problems: list[str]) -> None:
    for table, s in SEALED.items():
        now = _current(db, table)
        logged = sealed.get(table, {})
        empty = logged_form(table, [])

        def name(key: str) -> str:
            if s.what == "document":
                return f"document {key} ({sources.get(key, 'deleted')})"
            return f"{s.what} {key}"

        for key, form in now.items():
            if key not in logged:
                problems.append(f"{name(key)}: {table} rows not in the log (added outside eventledger)")
            elif logged[key] != form:
                problems.append(_changed(table, name(key), logged[key], form))
        for key, form in logged.items():
            if key not in now and form != empty:
                if table == SEALED_PRIMARY.get(s.what):
                    problems.append(f"{name(key)}: missing (in the log, deleted from the ledger)")
                else:
                    problems.append(f"{name(key)}: {table} rows deleted since they were logged")


SEALED_PRIMARY = {"document": "documents", "entity": "entities", "event": "events", "reviewer account": "users",
                  "review": "reviews", "story": "stories", "exhibit": "exhibits", "records request": "records_requests",
                  "staging site": "staging_sites", "parcel layer": "parcel_layers"}


def _changed(table: str, name: str, was: Any, now: Any) -> str:
    if table == "events" and was and now and len(was[0]) == len(now[0]) == len(_EVENT_FIELDS):
        fields = [f for f, a, b in zip(_EVENT_FIELDS, was[0], now[0]) if a != b]
        return f"{name}: {', '.join(fields)} changed since it was logged"
    if table in ("entities", "users", "reviews"):
        return f"{name}: changed since it was logged"
    if table == "entity_aliases":
        return f"{name}: aliases changed since they were logged"
    return f"{name}: {table} rows changed since they were logged"


def _cross_check(db: Any, times: dict[str, str], entries: list[tuple[int, str, str]], problems: list[str]) -> None:
    for doc_id, at in db.execute("SELECT id, ingested_at FROM documents"):
        if doc_id in times and times[doc_id] != at:
            problems.append(f"document {doc_id}: ingested_at {at} is not the time of its log entry ({times[doc_id]})")
    by_seq = {seq: (h, action) for seq, h, action in entries}
    for rid, seq, h in db.execute("SELECT id, log_seq, log_hash FROM reviews"):
        if by_seq.get(seq) != (h, "review"):
            problems.append(f"review {rid}: log_hash does not name its log entry {seq}")


def _derived(store: Any, problems: list[str]) -> None:
    from eventledger.ledger import dedup

    db = store.db
    want: set[tuple[str, str]] = set()
    for doc_id, sig in db.execute("SELECT id, signature FROM documents"):
        try:
            want.update((b, doc_id) for b in dedup.bands(dedup.unpack(bytes(sig))[0]))
        except ValueError:
            problems.append(f"document {doc_id}: MinHash signature unreadable")
    have = {(r[0], r[1]) for r in db.execute("SELECT band, document_id FROM document_bands")}
    for band, doc in sorted(want ^ have)[:20]:
        problems.append(f"document_bands ({band}, {doc}): the near-copy index does not follow from the documents'"
                        f" signatures ({DERIVED['document_bands']})")
    want = {(a, r[0]) for r in db.execute("SELECT id, actors FROM reports") for a in _json_list(r[1])}
    have = {(r[0], r[1]) for r in db.execute("SELECT entity_id, report_id FROM report_actors")}
    for ent, rep in sorted(want ^ have)[:20]:
        problems.append(f"report_actors ({ent}, {rep}): the actor lookup does not follow from reports.actors")
    if store.backend == "postgresql":
        n = db.execute(
            "SELECT COUNT(*) FROM documents d FULL JOIN documents_fts f ON f.seq = d.seq WHERE f.tsv IS NULL OR d.seq IS NULL"
            " OR f.tsv::text <> to_tsvector('simple', COALESCE(d.title, '') || ' ' || d.text)::text").fetchone()[0]
        if n:
            problems.append(f"documents_fts: {n} full-text index rows do not match the documents they index")
        return
    try:
        db.execute("INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as e:
        problems.append(f"documents_fts: the full-text index does not match the documents it indexes ({e})")


def _json_list(s: str) -> list[str]:
    try:
        v = json.loads(s)
    except ValueError:
        return []
    return [str(x) for x in v] if isinstance(v, list) else []


def _migrations(db: Any, problems: list[str]) -> None:
    from eventledger.store.schema import MIGRATIONS

    known = [n for n, _ in MIGRATIONS]
    done = sorted(r[0] for r in db.execute("SELECT name FROM migrations"))
    if done != sorted(known):
        problems.append(f"migrations: the ledger records {done}, not this eventledger's {known}")
