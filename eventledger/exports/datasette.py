"""Datasette metadata for a ledger: labelled tables and columns, facets, search, and canned
queries that show events in plain words.

    python -m eventledger.exports.datasette > metadata.json   # or datasette_metadata() from Python
    datasette ledger.db -m metadata.json

Each table gets a title and a description, its columns descriptions, the facets a reader
starts from (events by type, mode, date precision and review; figures by kind; documents by
outlet) and the column that names a row (``label_column``), so a foreign key shows a name
rather than an id. ``documents`` gets its full-text search box (``documents_fts``). The
canned query ``events_in_plain_words`` lists events with their plain label ("Raid",
"Troop deployment") beside the PLOVER codes, from the profile's labels.toml, and
``figures_with_sources`` every figure with its event and document. Tables that only the
ledger's machinery reads are hidden. See docs/datasette.md.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from eventledger.profile import Profile, load_profile

__all__ = ["datasette_metadata", "labels_sql"]


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def labels_sql(profile: Profile, type_col: str = "e.type", mode_col: str = "e.mode") -> str:
    """A SQL CASE expression giving the plain label of a type and mode (the type's own
    label for a mode without one, else the codes)."""
    whens = []
    for (t, m), lab in sorted(profile.labels.items(), key=lambda kv: (kv[0][0], kv[0][1] is None, kv[0][1] or "")):
        cond = f"{type_col} = {_quote(t)}" + (f" and {mode_col} = {_quote(m)}" if m is not None else "")
        whens.append(f"when {cond} then {_quote(lab.label)}")
    fallback = f"{type_col} || coalesce(' ' || {mode_col}, '')"
    return "case " + " ".join(whens) + f" else {fallback} end"


def datasette_metadata(profile: Profile | None = None, db_name: str = "ledger") -> dict[str, Any]:
    """The metadata object for ``datasette -m`` (``db_name``: the database file's name without .db)."""
    p = profile or load_profile()
    tables: dict[str, Any] = {
        "events": {
            "title": "Events",
            "description": "One row per happening in the world, grouped from the sentences that report it. "
                           "type and mode are PLOVER codes: the canned query events_in_plain_words gives their "
                           "plain labels.",
            "sort_desc": "date",
            "facets": ["type", "mode", "date_precision", "review_status"],
            "label_column": "id",
            "columns": {
                "type": "PLOVER root type (COERCE, PROTEST, MOBILIZE, ...)",
                "mode": "PLOVER mode (seize, arrest, troops, ...)",
                "date": "YYYY-MM-DD, YYYY-MM or YYYY: the precision known, nothing invented",
                "date_precision": "day, month or year",
                "place_id": "Where it happened (entities.id)",
                "review_status": "unreviewed, confirmed, corrected or rejected",
            },
        },
        "reports": {
            "title": "Reports",
            "description": "Each sentence of a document that reports an event, with its character span in the "
                           "document's text.",
            "facets": ["type", "mode"],
            "columns": {"event_id": "The event it reports", "document_id": "The document (SHA-256 of its bytes)",
                        "start": "First character of the sentence in documents.text",
                        "end": "One past its last character", "attribution": "Whom the text credits (JSON)"},
        },
        "documents": {
            "title": "Documents",
            "description": "Every ingested document: its source, outlet, title, publication date and the "
                           "normalised text every span refers to.",
            "sort_desc": "seq",
            "facets": ["outlet", "published_basis"],
            "label_column": "title",
            "fts_table": "documents_fts",
            "fts_pk": "rowid",
            "columns": {"id": "SHA-256 of the source bytes", "copy_of": "The original, when this is a (near) copy",
                        "published_basis": "How the date is known: metadata, dateline or inferred"},
        },
        "figures": {
            "title": "Figures",
            "description": "Numbers found in documents: arrests, troops, crowd sizes, money, ...; value to high "
                           "is a range, approx marks 'about'.",
            "facets": ["kind", "per"],
            "columns": {"kind": "What the number counts", "subject": "The words that say what is counted",
                        "event_id": "The event it belongs to", "text": "The sentence that states it"},
        },
        "quotes": {"title": "Quotes", "description": "Quotations, with their speaker (entities.id) where known."},
        "entities": {
            "title": "People, organizations and places",
            "facets": ["kind"],
            "label_column": "name",
            "columns": {"id": "kind:slug, stable across ledgers", "lat": "Latitude (places)",
                        "lon": "Longitude (places)"},
        },
        "entity_aliases": {"title": "Other names"},
        "entity_roles": {"title": "Roles held", "facets": ["role"]},
        "mentions": {"title": "Mentions", "description": "Where a document's text names an entity."},
        "reviews": {"title": "Reviews", "facets": ["action", "reviewer"],
                    "description": "Confirmations, corrections and rejections by reviewers."},
        "log": {"title": "Ingest log", "description": "Hash-chained record of every change; eventledger verify "
                                                       "walks it."},
    }
    for hidden in ("blobs", "document_bands", "migrations", "users"):
        tables[hidden] = {"hidden": True}
    label = labels_sql(p)
    queries = {
        "events_in_plain_words": {
            "title": "Events in plain words",
            "description": "Each event with its plain label beside its PLOVER codes, its place and how many "
                           "documents report it, newest first.",
            "sql": (f"select e.id, {label} as label, e.type, e.mode, e.date, e.date_precision, "
                    "p.name as place, count(distinct r.document_id) as documents, e.review_status "
                    "from events e left join entities p on p.id = e.place_id "
                    "left join reports r on r.event_id = e.id "
                    "group by e.id order by e.date desc, e.id"),
        },
        "figures_with_sources": {
            "title": "Figures with their sources",
            "description": "Every figure tied to an event, with the document and sentence that state it.",
            "sql": ("select e.id as event, e.type, e.mode, e.date, f.kind, f.value, f.high, f.approx, f.per, "
                    "f.subject, d.outlet, d.source, f.text from figures f join events e on e.id = f.event_id "
                    "join documents d on d.id = f.document_id order by e.date desc, e.id, f.kind, f.value"),
        },
    }
    return {
        "title": "eventledger",
        "description": "A sourced ledger of events: every value carries the SHA-256 of its source document "
                       "and the character span that states it.",
        "databases": {db_name: {"tables": tables, "queries": queries}},
    }


if __name__ == "__main__":  # python -m eventledger.exports.datasette [DB_NAME] > metadata.json
    json.dump(datasette_metadata(db_name=sys.argv[1] if len(sys.argv) > 1 else "ledger"), sys.stdout, indent=2)
    sys.stdout.write("\n")
