"""SQL of the accountability kit (eventledger/kit/): exhibits, records requests, staging sites.

Every write runs in one transaction with its entry in the hash-chained log (``Store._log``):
the subject names the row (``exhibit:<sha256>``, ``request:<id>``, ``site:<id>``), the detail
says who and why and seals the subject's rows (store/seal.py registers the kit's tables), so
``verify`` names a row edited behind the log's back and an exhibit whose bytes changed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from eventledger.errors import StoreError
from eventledger.store import Store, _digest, _now
from eventledger.store.review import write_transaction

__all__ = [
    "EXHIBIT_COLUMNS", "KitStoreError", "add_request_update", "custody_log", "event_exists", "exhibit_bytes",
    "exhibit_links", "blob_bytes", "citations", "linked_targets", "correct_exhibit", "log_entries", "log_head", "source_urls", "story_event_ids", "insert_citation", "document_row", "event_evidence", "find_exhibit", "get_exhibit", "get_request", "insert_exhibit",
    "insert_parcel_layer", "insert_request", "insert_site", "latest_parcel_layer",
    "link_exhibit", "link_request", "list_exhibits", "list_requests", "list_sites", "log_exhibit",
    "next_id", "request_links", "request_updates", "set_released", "transaction",
]

EXHIBIT_COLUMNS = ("sha256", "filename", "media_type", "size", "source_url", "device", "collected_by", "collected_at",
                   "added_by", "added_at", "note", "metadata", "document_id", "released")
_REQUEST_COLUMNS = ("id", "agency", "law", "filed", "subject", "tracking", "status", "extended", "created_by", "created_at")
_SITE_COLUMNS = ("id", "name", "lat", "lon", "uncertainty_m", "occurred", "event_id", "exhibit_sha256", "note",
                 "added_by", "added_at")
# subject prefix -> (table, key column, columns digested)
_LOGGED = {
    "exhibit": ("exhibits", "sha256", EXHIBIT_COLUMNS),
    "request": ("records_requests", "id", _REQUEST_COLUMNS),
    "site": ("staging_sites", "id", _SITE_COLUMNS),
}


# the store/seal.py tables whose rows a subject's write may change, sealed in its log entry
_SEALED_TABLES = {
    "exhibit": ("exhibits", "exhibit_links", "exhibit_citations"),
    "request": ("records_requests", "request_updates", "request_links"),
    "site": ("staging_sites",),
}


class KitStoreError(StoreError):
    """A kit write was refused (unknown exhibit, event or request)."""


transaction = write_transaction  # the one writer transaction of the store (store/review.py)


def _row_digest(store: Store, prefix: str, key: str) -> str | None:
    table, col, cols = _LOGGED[prefix]
    quoted = ", ".join(cols)
    row = store.db.execute(f"SELECT {quoted} FROM {table} WHERE {col} = ?", (key,)).fetchone()
    return None if row is None else _digest(list(row))


def _log_row(store: Store, prefix: str, key: str, action: str, by: str, why: str | None,
             extra: dict[str, Any] | None = None) -> str:
    detail = {"by": by, "why": why or "", "row": _row_digest(store, prefix, key), **(extra or {})}
    return store._log(action, f"{prefix}:{key}", detail, seal={t: [key] for t in _SEALED_TABLES[prefix]})


def next_id(store: Store, prefix: str) -> str:
    """The next ``rr-<n>`` or ``site-<n>`` id (called inside the writer's transaction)."""
    table = {"rr": "records_requests", "site": "staging_sites"}[prefix]
    n = store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] + 1
    while store.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (f"{prefix}-{n}",)).fetchone():
        n += 1
    return f"{prefix}-{n}"


def event_exists(store: Store, event_id: str) -> bool:
    return store.db.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is not None


def story_event_ids(store: Store, story_id: str) -> list[str]:
    """The events of a story (``events.story_id``, from the stories migration), by date; [] when
    the ledger has no stories."""
    import sqlite3

    try:
        return [r[0] for r in store.db.execute("SELECT id FROM events WHERE story_id = ? ORDER BY date, first_seq, id",
                                               (story_id,)).fetchall()]
    except sqlite3.OperationalError:  # a ledger from before stories: no such column
        return []


# ---- exhibits -------------------------------------------------------------------------------

def insert_exhibit(store: Store, row: dict[str, Any], data: bytes, why: str | None,
                   links: list[tuple[str, str]]) -> bool:
    """Store an exhibit's bytes and row, its links, and log 'exhibit-add'; False when the same bytes
    are already an exhibit (then only the new links are added and logged)."""
    sha = row["sha256"]
    if hashlib.sha256(data).hexdigest() != sha:
        raise KitStoreError(f"{row['filename']}: bytes do not match the SHA-256 given")
    with transaction(store):
        known = store.db.execute("SELECT 1 FROM exhibits WHERE sha256 = ?", (sha,)).fetchone() is not None
        if not known:
            store.db.execute("INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)", (sha, len(data), data))
            cols = ", ".join(EXHIBIT_COLUMNS)
            store.db.execute(f"INSERT INTO exhibits({cols}) VALUES ({', '.join('?' * len(EXHIBIT_COLUMNS))})",
                             [row[c] for c in EXHIBIT_COLUMNS])
            _log_row(store, "exhibit", sha, "exhibit-add", row["added_by"], why,
                     {"filename": row["filename"], "size": row["size"], "collected_by": row["collected_by"],
                      "collected_at": row["collected_at"], "source_url": row["source_url"], "device": row["device"]})
        for kind, target in links:
            _link(store, sha, kind, target, row["added_by"], why)
    return not known


def _link(store: Store, sha: str, kind: str, target: str, by: str, why: str | None) -> bool:
    if kind == "event" and not event_exists(store, target):
        raise KitStoreError(f"no event {target}")
    if kind == "request" and get_request(store, target) is None:
        raise KitStoreError(f"no records request {target}")
    cur = store.db.execute("INSERT OR IGNORE INTO exhibit_links(sha256, target_kind, target_id, linked_by, linked_at)"
                           " VALUES (?,?,?,?,?)", (sha, kind, target, by, _now()))
    if cur.rowcount:
        _log_row(store, "exhibit", sha, "exhibit-link", by, why, {"target": f"{kind}:{target}"})
    return bool(cur.rowcount)


def link_exhibit(store: Store, sha: str, kind: str, target: str, by: str, why: str | None) -> bool:
    with transaction(store):
        if get_exhibit(store, sha) is None:
            raise KitStoreError(f"no exhibit {sha}")
        return _link(store, sha, kind, target, by, why)


def log_exhibit(store: Store, sha: str, action: str, by: str, why: str | None, extra: dict[str, Any] | None = None) -> str:
    """Log one action on an exhibit (viewed, exported) in its own transaction."""
    with transaction(store):
        return _log_row(store, "exhibit", sha, action, by, why, extra)


def set_released(store: Store, sha: str, released: bool, by: str, why: str) -> None:
    with transaction(store):
        cur = store.db.execute("UPDATE exhibits SET released = ? WHERE sha256 = ?", (int(released), sha))
        if not cur.rowcount:
            raise KitStoreError(f"no exhibit {sha}")
        _log_row(store, "exhibit", sha, "exhibit-release" if released else "exhibit-withhold", by, why)


def correct_exhibit(store: Store, sha: str, changes: dict[str, Any], by: str, why: str) -> dict[str, Any]:
    """Correct an exhibit's collection record (never its bytes); the old values go in the log."""
    allowed = {"source_url", "device", "collected_by", "collected_at", "note"}
    bad = set(changes) - allowed
    if bad:
        raise KitStoreError(f"cannot correct {', '.join(sorted(bad))}; only {', '.join(sorted(allowed))}")
    with transaction(store):
        old = get_exhibit(store, sha)
        if old is None:
            raise KitStoreError(f"no exhibit {sha}")
        sets = ", ".join(f"{k} = ?" for k in changes)
        store.db.execute(f"UPDATE exhibits SET {sets} WHERE sha256 = ?", (*changes.values(), sha))
        _log_row(store, "exhibit", sha, "exhibit-correct", by, why,
                 {"old": {k: old[k] for k in changes}, "new": changes})
    return {k: old[k] for k in changes}


def insert_citation(store: Store, sha: str, doc_id: str, start: int, end: int, text: str, kind: str, target: str,
                    by: str, why: str | None) -> None:
    with transaction(store):
        if kind == "event" and not event_exists(store, target):
            raise KitStoreError(f"no event {target}")
        store.db.execute("INSERT OR IGNORE INTO exhibit_citations(sha256, document_id, start, \"end\", text, target_kind,"
                         " target_id, cited_by, cited_at) VALUES (?,?,?,?,?,?,?,?,?)",
                         (sha, doc_id, start, end, text, kind, target, by, _now()))
        _log_row(store, "exhibit", sha, "exhibit-cite", by, why,
                 {"target": f"{kind}:{target}", "document": doc_id, "start": start, "end": end,
                  "text_sha256": hashlib.sha256(text.encode()).hexdigest()})


def citations(store: Store, kind: str, target: str) -> list[dict[str, Any]]:
    cols = ("sha256", "document_id", "start", "end", "text", "cited_by", "cited_at")
    return [dict(zip(cols, r)) for r in store.db.execute(
        "SELECT sha256, document_id, start, \"end\", text, cited_by, cited_at FROM exhibit_citations"
        " WHERE target_kind = ? AND target_id = ? ORDER BY cited_at, sha256, start", (kind, target))]


def get_exhibit(store: Store, sha: str) -> dict[str, Any] | None:
    r = store.db.execute(f"SELECT {', '.join(EXHIBIT_COLUMNS)} FROM exhibits WHERE sha256 = ?", (sha,)).fetchone()
    return _exhibit_dict(r) if r else None


def find_exhibit(store: Store, prefix: str) -> dict[str, Any] | None:
    """The exhibit whose SHA-256 starts with ``prefix`` (at least 8 hex digits); None if none."""
    prefix = prefix.lower()
    if len(prefix) < 8 or any(c not in "0123456789abcdef" for c in prefix):
        raise KitStoreError(f"an exhibit is named by at least 8 hex digits of its SHA-256, not {prefix!r}")
    rows = store.db.execute(f"SELECT {', '.join(EXHIBIT_COLUMNS)} FROM exhibits WHERE sha256 >= ? AND sha256 < ?"
                            " ORDER BY sha256 LIMIT 2", (prefix, prefix + "g")).fetchall()
    if len(rows) > 1:
        raise KitStoreError(f"{prefix} names more than one exhibit: give more digits")
    return _exhibit_dict(rows[0]) if rows else None


def _exhibit_dict(r: Any) -> dict[str, Any]:
    d = dict(zip(EXHIBIT_COLUMNS, r))
    d["metadata"] = json.loads(d["metadata"])
    d["released"] = bool(d["released"])
    return d


def list_exhibits(store: Store, kind: str | None = None, target: str | None = None) -> list[dict[str, Any]]:
    cols = ", ".join(f"x.{c}" for c in EXHIBIT_COLUMNS)
    if kind:
        rows = store.db.execute(f"SELECT {cols} FROM exhibits x JOIN exhibit_links l ON l.sha256 = x.sha256"
                                " WHERE l.target_kind = ? AND l.target_id = ? ORDER BY x.added_at, x.sha256",
                                (kind, target)).fetchall()
    else:
        rows = store.db.execute(f"SELECT {cols} FROM exhibits x ORDER BY x.added_at, x.sha256").fetchall()
    return [_exhibit_dict(r) for r in rows]


def linked_targets(store: Store) -> list[tuple[str, str, int]]:
    """(kind, id, exhibits) of every event or story that has exhibits, most exhibits first."""
    return [(r[0], r[1], r[2]) for r in store.db.execute(
        "SELECT target_kind, target_id, COUNT(*) AS n FROM exhibit_links WHERE target_kind IN ('event', 'story')"
        " GROUP BY target_kind, target_id ORDER BY n DESC, target_kind, target_id").fetchall()]


def exhibit_links(store: Store, sha: str) -> list[dict[str, Any]]:
    return [dict(zip(("kind", "target", "by", "at"), r)) for r in store.db.execute(
        "SELECT target_kind, target_id, linked_by, linked_at FROM exhibit_links WHERE sha256 = ? ORDER BY linked_at, target_id",
        (sha,))]


def exhibit_bytes(store: Store, sha: str) -> bytes:
    r = store.db.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha,)).fetchone()
    if r is None:
        raise KitStoreError(f"exhibit {sha}: stored bytes missing")
    return bytes(r[0])


def blob_bytes(store: Store, sha: str) -> bytes | None:
    """The stored bytes with this SHA-256 (a source document or an exhibit), None when missing."""
    r = store.db.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha,)).fetchone()
    return None if r is None else bytes(r[0])


def log_head(store: Store) -> dict[str, Any]:
    """The newest log entry's number and hash: what a dossier was made from."""
    r = store.db.execute("SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1").fetchone()
    return {"seq": r[0], "hash": r[1]} if r else {"seq": 0, "hash": None}


def log_entries(store: Store, subjects: list[str]) -> list[dict[str, Any]]:
    """The full log entries about these subjects, in log order (each re-checkable by its hash)."""
    out = []
    for i in range(0, len(subjects), 500):
        chunk = subjects[i : i + 500]
        q = ",".join("?" * len(chunk))
        for r in store.db.execute(f"SELECT seq, at, action, subject, detail, prev_hash, hash FROM log"
                                  f" WHERE subject IN ({q})", chunk).fetchall():
            out.append({"seq": r[0], "at": r[1], "action": r[2], "subject": r[3], "detail": json.loads(r[4]),
                        "prev_hash": r[5], "hash": r[6]})
    return sorted(out, key=lambda e: e["seq"])


def custody_log(store: Store, subject: str) -> list[dict[str, Any]]:
    """Every log entry about ``subject`` (``exhibit:<sha256>``...), oldest first: the chain of custody."""
    out = []
    for r in store.db.execute("SELECT seq, at, action, subject, detail, hash FROM log WHERE subject = ? ORDER BY seq", (subject,)):
        d = json.loads(r[4])
        out.append({"seq": r[0], "at": r[1], "action": r[2], "subject": r[3], "by": d.get("by"), "why": d.get("why"),
                    "detail": d, "hash": r[5]})
    return out


# ---- records requests ----------------------------------------------------------------------

def insert_request(store: Store, row: dict[str, Any], why: str | None) -> str:
    with transaction(store):
        rid = next_id(store, "rr")
        row = {**row, "id": rid}
        store.db.execute(f"INSERT INTO records_requests({', '.join(_REQUEST_COLUMNS)}) VALUES"
                         f" ({', '.join('?' * len(_REQUEST_COLUMNS))})", [row[c] for c in _REQUEST_COLUMNS])
        store.db.execute("INSERT INTO request_updates(request_id, idx, status, on_date, by_name, note, at) VALUES (?,?,?,?,?,?,?)",
                         (rid, 1, row["status"], row["filed"], row["created_by"], why, row["created_at"]))
        _log_row(store, "request", rid, "request-add", row["created_by"], why,
                 {"agency": row["agency"], "law": row["law"], "filed": row["filed"]})
    return rid


def add_request_update(store: Store, rid: str, status: str, on_date: str, by: str, note: str | None,
                       extended: bool | None = None) -> None:
    with transaction(store):
        if get_request(store, rid) is None:
            raise KitStoreError(f"no records request {rid}")
        idx = store.db.execute("SELECT COALESCE(MAX(idx), 0) FROM request_updates WHERE request_id = ?", (rid,)).fetchone()[0] + 1
        store.db.execute("INSERT INTO request_updates(request_id, idx, status, on_date, by_name, note, at) VALUES (?,?,?,?,?,?,?)",
                         (rid, idx, status, on_date, by, note, _now()))
        if extended is None:
            store.db.execute("UPDATE records_requests SET status = ? WHERE id = ?", (status, rid))
        else:
            store.db.execute("UPDATE records_requests SET status = ?, extended = ? WHERE id = ?", (status, int(extended), rid))
        _log_row(store, "request", rid, "request-update", by, note, {"status": status, "on": on_date})


def link_request(store: Store, rid: str, kind: str, target: str, by: str, why: str | None) -> None:
    with transaction(store):
        if get_request(store, rid) is None:
            raise KitStoreError(f"no records request {rid}")
        if kind == "event" and not event_exists(store, target):
            raise KitStoreError(f"no event {target}")
        store.db.execute("INSERT OR IGNORE INTO request_links(request_id, target_kind, target_id) VALUES (?,?,?)",
                         (rid, kind, target))
        _log_row(store, "request", rid, "request-link", by, why, {"target": f"{kind}:{target}"})


def get_request(store: Store, rid: str) -> dict[str, Any] | None:
    r = store.db.execute(f"SELECT {', '.join(_REQUEST_COLUMNS)} FROM records_requests WHERE id = ?", (rid,)).fetchone()
    return dict(zip(_REQUEST_COLUMNS, r)) if r else None


def list_requests(store: Store) -> list[dict[str, Any]]:
    rows = store.db.execute(f"SELECT {', '.join(_REQUEST_COLUMNS)} FROM records_requests ORDER BY filed, id").fetchall()
    return [dict(zip(_REQUEST_COLUMNS, r)) for r in rows]


def request_updates(store: Store, rid: str) -> list[dict[str, Any]]:
    return [dict(zip(("idx", "status", "on_date", "by", "note", "at"), r)) for r in store.db.execute(
        "SELECT idx, status, on_date, by_name, note, at FROM request_updates WHERE request_id = ? ORDER BY idx", (rid,))]


def request_links(store: Store, rid: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in store.db.execute(
        "SELECT target_kind, target_id FROM request_links WHERE request_id = ? ORDER BY target_kind, target_id", (rid,))]


# ---- staging sites --------------------------------------------------------------------------

def insert_site(store: Store, row: dict[str, Any], why: str | None) -> str:
    with transaction(store):
        if row.get("event_id") and not event_exists(store, row["event_id"]):
            raise KitStoreError(f"no event {row['event_id']}")
        if row.get("exhibit_sha256") and get_exhibit(store, row["exhibit_sha256"]) is None:
            raise KitStoreError(f"no exhibit {row['exhibit_sha256']}")
        sid = next_id(store, "site")
        row = {**row, "id": sid}
        store.db.execute(f"INSERT INTO staging_sites({', '.join(_SITE_COLUMNS)}) VALUES ({', '.join('?' * len(_SITE_COLUMNS))})",
                         [row[c] for c in _SITE_COLUMNS])
        _log_row(store, "site", sid, "site-add", row["added_by"], why, {"name": row["name"], "occurred": row["occurred"]})
    return sid


def list_sites(store: Store) -> list[dict[str, Any]]:
    rows = store.db.execute(f"SELECT {', '.join(_SITE_COLUMNS)} FROM staging_sites ORDER BY occurred, id").fetchall()
    return [dict(zip(_SITE_COLUMNS, r)) for r in rows]


def event_evidence(store: Store, event_id: str) -> list[dict[str, Any]]:
    """The reports of a ledger event: the sentence, its span, the outlet and document hash."""
    return [dict(zip(("document_id", "start", "end", "text", "outlet", "source", "url", "published"), r)) for r in store.db.execute(
        "SELECT r.document_id, r.start, r.\"end\", r.text, d.outlet, d.source, d.url, d.published FROM reports r"
        " JOIN documents d ON d.id = r.document_id WHERE r.event_id = ? ORDER BY d.seq, r.idx", (event_id,))]


def source_urls(store: Store, event_ids: list[str]) -> list[str]:
    """The http(s) URLs of the documents that report these events, in ingest order."""
    urls: list[str] = []
    for eid in event_ids:
        for (u,) in store.db.execute("SELECT d.url FROM reports r JOIN documents d ON d.id = r.document_id"
                                     " WHERE r.event_id = ? AND d.url IS NOT NULL ORDER BY d.seq", (eid,)).fetchall():
            if u.startswith(("http://", "https://")) and u not in urls:
                urls.append(u)
    return urls


def document_row(store: Store, doc_id: str) -> dict[str, Any] | None:
    r = store.db.execute("SELECT id, source, url, title, outlet, published, text, text_sha256, ingested_at FROM documents"
                         " WHERE id = ?", (doc_id,)).fetchone()
    return dict(zip(("id", "source", "url", "title", "outlet", "published", "text", "text_sha256", "ingested_at"), r)) if r else None


def insert_parcel_layer(store: Store, row: dict[str, Any], data: bytes, why: str | None) -> None:
    with transaction(store):
        store.db.execute("INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)", (row["sha256"], len(data), data))
        store.db.execute("DELETE FROM parcel_layers WHERE sha256 = ?", (row["sha256"],))
        store.db.execute("INSERT INTO parcel_layers(sha256, filename, owner_field, city_owners, loaded_by, loaded_at)"
                         " VALUES (?,?,?,?,?,?)", (row["sha256"], row["filename"], row["owner_field"],
                                                   json.dumps(row["city_owners"]), row["loaded_by"], row["loaded_at"]))
        store._log("parcels-load", f"parcels:{row['sha256']}", {"by": row["loaded_by"], "why": why or "",
                   "filename": row["filename"], "owner_field": row["owner_field"], "city_owners": row["city_owners"]},
                   seal={"parcel_layers": [row["sha256"]]})


def latest_parcel_layer(store: Store) -> tuple[dict[str, Any], bytes] | None:
    """The parcel layer loaded last, with its file's bytes; None when none was loaded."""
    r = store.db.execute("SELECT p.sha256, p.filename, p.owner_field, p.city_owners, p.loaded_by, p.loaded_at, b.data"
                         " FROM parcel_layers p JOIN blobs b ON b.sha256 = p.sha256 ORDER BY p.loaded_at DESC,"
                         " p.rowid DESC LIMIT 1").fetchone() if store.backend == "sqlite" else store.db.execute(
                         "SELECT p.sha256, p.filename, p.owner_field, p.city_owners, p.loaded_by, p.loaded_at, b.data"
                         " FROM parcel_layers p JOIN blobs b ON b.sha256 = p.sha256 ORDER BY p.loaded_at DESC LIMIT 1").fetchone()
    if r is None:
        return None
    meta = dict(zip(("sha256", "filename", "owner_field", "city_owners", "loaded_by", "loaded_at"), list(r)[:6]))
    meta["city_owners"] = json.loads(meta["city_owners"])
    return meta, bytes(r[6])


# ---- verify --------------------------------------------------------------------------------
