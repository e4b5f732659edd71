"""What ``verify`` covers, table by table, and how it checks each stored value.

Every column of every ledger table is in exactly one of four registries:

- ``SEALED``: rows grouped by a *scope* column (a document's figures, an event, a reviewer);
  the log entry of each write records a digest of every scope it touched (``detail["seal"]``),
  and verify recomputes every scope's digest and compares it with the latest logged one. A
  row edited, moved (``reports.event_id``), added or deleted outside the store is named.
- ``SELF_CHECKED``: values that prove themselves (a blob against its SHA-256, the log
  against its hash chain, a checkpoint against its signature and the Merkle tree).
- ``DERIVED``: rebuilt by verify from sealed rows and compared (MinHash bands, actor lookups,
  the full-text index).
- ``EXEMPT``: housekeeping that is not evidence, each with its reason.

A table added by a later migration is brought under verify by declaring it here (a
``Sealed`` entry and, in the code that writes it, the scopes it touched passed to
``Store._log(..., seal=...)``). tests/test_tamper.py fails for any column of any table that
no registry names, and changes one stored value in every column of every table in turn.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DERIVED", "EXEMPT", "SEALED", "SELF_CHECKED", "Sealed", "digest_rows", "registered_columns"]


@dataclass(frozen=True)
class Sealed:
    scope: str
    """The column whose value names one logged digest (a document id, an event id, ...)."""
    columns: tuple[str, ...]
    """The columns the digest covers."""
    what: str
    """How verify names a scope in its report: ``{what} {key}``."""
    cross_checked: dict[str, str] = field(default_factory=dict)
    """Columns checked against something else instead (column -> against what)."""
    values: bool = False
    """Log the rows' values, not a digest (verify then names the changed columns)."""


SEALED: dict[str, Sealed] = {
    "documents": Sealed("id", ("id", "seq", "source", "url", "title", "outlet", "bylines", "published",
                               "published_basis", "text_sha256", "text", "copy_of", "copy_similarity",
                               "signature", "record"), "document",
                        {"ingested_at": "the time of the log entry that recorded the document"}),
    "mentions": Sealed("document_id", ("document_id", "entity_id", "start", "end", "text"), "document"),
    "figures": Sealed("document_id", ("id", "document_id", "idx", "value", "high", "approx", "kind", "per",
                                      "subject", "text", "start", "end", "event_id", "attributed_to"), "document"),
    "quotes": Sealed("document_id", ("id", "document_id", "idx", "speaker", "text", "start", "end"), "document"),
    "reports": Sealed("document_id", ("id", "event_id", "document_id", "idx", "type", "mode", "date",
                                      "date_precision", "place_id", "actors", "targets", "figure_ids",
                                      "attribution", "text", "start", "end", "status", "salience", "date_basis",
                                      "attributed_to"), "document"),
    "entity_roles": Sealed("document_id", ("entity_id", "role", "document_id"), "document"),
    "entities": Sealed("id", ("id", "kind", "name", "lat", "lon"), "entity"),
    "entity_aliases": Sealed("entity_id", ("entity_id", "alias"), "entity"),
    "events": Sealed("id", ("id", "type", "mode", "date", "date_precision", "place_id", "first_seq",
                            "review_status", "reviewed_by", "reviewed_at", "story_id", "status"), "event", values=True),
    # stories (ledger/grouping.py): a document's story, term vector and blocking keys; a story's size and centroid
    "story_docs": Sealed("document_id", ("document_id", "story_id", "day", "vector"), "document"),
    "story_keys": Sealed("document_id", ("key", "document_id", "day"), "document"),
    "stories": Sealed("id", ("id", "documents", "centroid"), "story"),
    "users": Sealed("name", ("name", "password_hash", "created_at", "disabled", "session_gen"), "reviewer account"),
    "reviews": Sealed("id", ("id", "at", "reviewer", "target_kind", "target_id", "event_id", "action",
                             "old_value", "new_value", "reason", "log_seq"), "review",
                      {"log_hash": "the hash of its log entry (log_seq)"}),
    # the accountability kit (kit/, store/kit.py): each write seals its subject's rows
    "exhibits": Sealed("sha256", ("sha256", "filename", "media_type", "size", "source_url", "device", "collected_by",
                                  "collected_at", "added_by", "added_at", "note", "metadata", "document_id",
                                  "released"), "exhibit"),
    "exhibit_links": Sealed("sha256", ("sha256", "target_kind", "target_id", "linked_by", "linked_at"), "exhibit"),
    "exhibit_citations": Sealed("sha256", ("sha256", "document_id", "start", "end", "text", "target_kind",
                                           "target_id", "cited_by", "cited_at"), "exhibit"),
    "records_requests": Sealed("id", ("id", "agency", "law", "filed", "subject", "tracking", "status", "extended",
                                      "created_by", "created_at"), "records request"),
    "request_updates": Sealed("request_id", ("request_id", "idx", "status", "on_date", "by_name", "note", "at"),
                              "records request"),
    "request_links": Sealed("request_id", ("request_id", "target_kind", "target_id"), "records request"),
    "staging_sites": Sealed("id", ("id", "name", "lat", "lon", "uncertainty_m", "occurred", "event_id",
                                   "exhibit_sha256", "note", "added_by", "added_at"), "staging site"),
    "parcel_layers": Sealed("sha256", ("sha256", "filename", "owner_field", "city_owners", "loaded_by",
                                       "loaded_at"), "parcel layer"),
}

SELF_CHECKED: dict[str, dict[str, str]] = {
    "blobs": {"sha256": "SHA-256 of data, and a document's id", "size": "length of data", "data": "its SHA-256"},
    "log": {c: "the hash chain and the Merkle tree of checkpoints"
            for c in ("seq", "at", "action", "subject", "detail", "prev_hash", "hash")},
    "checkpoints": {c: "its Ed25519 signature by the ledger key and the log's Merkle tree"
                    for c in ("tree_size", "root_hash", "at", "public_key", "signature")},
    "migrations": {"name": "the migrations this eventledger knows, in order"},
}

# table -> how verify rebuilds and compares it (SQLite's FTS5 shadow tables included)
DERIVED: dict[str, str] = {
    "document_bands": "rebuilt from documents.signature (MinHash bands)",
    "report_actors": "rebuilt from reports.actors",
    "documents_fts": "FTS5 integrity-check against documents (PostgreSQL: tsvector recomputed)",
    "documents_fts_data": "FTS5 integrity-check", "documents_fts_idx": "FTS5 integrity-check",
    "documents_fts_docsize": "FTS5 integrity-check", "documents_fts_config": "FTS5 integrity-check",
}

EXEMPT: dict[tuple[str, str], str] = {
    ("migrations", "applied_at"): "when this copy of the ledger was upgraded: housekeeping, not evidence",
}


def registered_columns() -> dict[str, set[str] | None]:
    """table -> the columns some registry covers (None: every column of a derived table)."""
    out: dict[str, set[str] | None] = {}
    for t, s in SEALED.items():
        out[t] = set(s.columns) | set(s.cross_checked)
    for t, cols in SELF_CHECKED.items():
        out.setdefault(t, set()).update(cols)  # type: ignore[union-attr]
    for t in DERIVED:
        out[t] = None
    for (t, c) in EXEMPT:
        out.setdefault(t, set()).add(c)  # type: ignore[union-attr]
    return out


def _plain(v: Any) -> Any:
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    return v


def digest_rows(rows: list[tuple[Any, ...]]) -> str:
    """A short digest of a scope's rows, in no particular order (the same on both backends)."""
    lines = sorted(json.dumps([_plain(v) for v in r], ensure_ascii=False, default=str) for r in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def logged_form(table: str, rows: list[tuple[Any, ...]]) -> Any:
    """What a log entry records for one scope: its rows' values (``values`` tables) or a digest."""
    if SEALED[table].values:
        return sorted(([_plain(v) for v in r] for r in rows), key=lambda r: json.dumps(r, default=str)) or None
    return digest_rows(rows)


def entry_hash(prev_hash: str, seq: int, at: str, action: str, subject: str, detail: dict[str, Any]) -> str:
    """The hash of a log entry: SHA-256 of the previous entry's hash and this entry's fields."""
    return hashlib.sha256((prev_hash + json.dumps([seq, at, action, subject, detail], sort_keys=True)).encode()).hexdigest()
