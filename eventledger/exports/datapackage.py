"""A Frictionless data package (``datapackage.json``) beside the CSV export.

The descriptor names the CSV as a tabular resource and gives each column its type, a
description and the constraints the export keeps (dates at their precision, ACLED's
precision codes, coordinates in range, ``true``/``false`` flags), so ``frictionless
validate datapackage.json`` checks the data, and tools that read data packages (the
frictionless library, Open Data Editor, CKAN, R's frictionless) load the columns with
their types. The descriptor is plain JSON written here; the ``frictionless`` library
validates it in the tests.

    eventledger export --format csv -o ledger/events.csv
    # then, from Python:
    write_datapackage(Path("ledger/events.csv"))   # writes ledger/datapackage.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from eventledger.export import CSV_COLUMNS, ExportResult, export_events
from eventledger.store import Store
from eventledger.store.queries import EventFilter

__all__ = ["FIELDS", "datapackage_descriptor", "export_datapackage", "write_datapackage"]

_ISO_PARTIAL = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_BOOL = {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]}

FIELDS: dict[str, dict[str, Any]] = {
    "event_id_cnty": {"type": "string", "description": "Ledger event id (ACLED: event_id_cnty).",
                      "constraints": {"required": True, "unique": True}},
    "event_date": {"type": "string", "description": "Date at the precision known: YYYY-MM-DD, YYYY-MM or YYYY; "
                   "empty when undated. No day or month is invented.", "constraints": {"pattern": _ISO_PARTIAL}},
    "year": {"type": "integer", "description": "Year of event_date.", "constraints": {"minimum": 1000, "maximum": 9999}},
    "time_precision": {"type": "integer", "description": "ACLED's codes: 1 the day is known, 2 the week, 3 the "
                       "month (or only the year).", "constraints": {"enum": [1, 2, 3]}},
    "event_type": {"type": "string", "description": "PLOVER root type (COERCE, PROTEST, MOBILIZE, ...); plain labels "
                   "in docs/glossary.md.", "constraints": {"required": True}},
    "sub_event_type": {"type": "string", "description": "PLOVER mode (seize, arrest, troops, ...)."},
    "actor1": {"type": "string", "description": "First actor named (no direction implied)."},
    "assoc_actor_1": {"type": "string", "description": "Further actors, joined by '; '."},
    "actor2": {"type": "string", "description": "Second actor named."},
    "interaction": {"type": "string", "description": "Left empty."},
    "country": {"type": "string", "description": "Country of the place."},
    "admin1": {"type": "string", "description": "US state (or first-level region) of the place."},
    "admin2": {"type": "string", "description": "Left empty."},
    "location": {"type": "string", "description": "Place name."},
    "latitude": {"type": "number", "description": "WGS 84 latitude.", "constraints": {"minimum": -90, "maximum": 90}},
    "longitude": {"type": "number", "description": "WGS 84 longitude.",
                  "constraints": {"minimum": -180, "maximum": 180}},
    "geo_precision": {"type": "integer", "description": "ACLED's codes: 1 the place's own coordinates, 2 those of "
                      "the town it lies in, 3 a state or larger.", "constraints": {"enum": [1, 2, 3]}},
    "source": {"type": "string", "description": "Outlets that report the event (else URL host or source), '; '."},
    "source_scale": {"type": "string", "description": "Left empty."},
    "notes": {"type": "string", "description": "The first reporting sentence."},
    "fatalities": {"type": "number", "description": "People killed, most conservative reported value; empty (not 0) "
                   "when no figure counts the dead.", "constraints": {"minimum": 0}},
    "mode": {"type": "string", "description": "PLOVER mode (same as sub_event_type)."},
    "reports": {"type": "integer", "description": "Sentences in documents that report the event.",
                "constraints": {"minimum": 0}},
    "independent_sources": {"type": "integer", "description": "Distinct documents after copies are folded into "
                            "their original.", "constraints": {"minimum": 0}},
    "figures": {"type": "string", "description": "kind=value[-high][~][/per] (n sources), joined by '; '; a value "
                "a reviewer corrected is followed by 'reviewed, extracted X'."},
    "figure_conflict": {**_BOOL, "description": "Sources give values for the same count that cannot all be true."},
    "attribution_conflict": {**_BOOL, "description": "Sources credit a claim to different people or outlets."},
    "document_ids": {"type": "string", "description": "SHA-256 of each source document, joined by ';'."},
    "review_status": {"type": "string", "description": "unreviewed, confirmed, corrected or rejected.",
                      "constraints": {"enum": ["unreviewed", "confirmed", "corrected", "rejected"]}},
    "extracted": {"type": "string", "description": "What the extractor gave the values a reviewer corrected, as "
                  "field=value joined by '; ' (date=2025-03-11; arrests=76); the other columns give the reviewed "
                  "values. Empty when nothing was corrected."},
    "label": {"type": "string", "description": "The plain name of the event type and mode (docs/glossary.md)."},
    "headline": {"type": "string", "description": "Who did what, where, when, in the event's own words and data."},
}


def datapackage_descriptor(csv_name: str, *, name: str = "eventledger-events", title: str | None = None) -> dict[str, Any]:
    """The data package descriptor of an events CSV named ``csv_name`` (relative to it)."""
    missing = [c for c in CSV_COLUMNS if c not in FIELDS]
    if missing:  # a new CSV column must be described here
        raise KeyError(f"no data package field for CSV column(s) {missing}")
    fields = [{"name": c, **FIELDS[c]} for c in CSV_COLUMNS]
    return {
        "name": name,
        "title": title or "Ledger events",
        "description": "Events of an eventledger ledger, one row per event, in the columns of ACLED event data then "
                       "eventledger's own. Every value traces to its source documents (document_ids).",
        "profile": "tabular-data-package",
        "resources": [{
            "name": "events",
            "path": csv_name,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "quoteChar": "\"", "header": True},
            "schema": {"fields": fields, "primaryKey": ["event_id_cnty"], "missingValues": [""]},
        }],
    }


def write_datapackage(csv_path: Path, *, title: str | None = None) -> Path:
    """Write ``datapackage.json`` beside ``csv_path``; return its path."""
    out = csv_path.parent / "datapackage.json"
    desc = datapackage_descriptor(csv_path.name, title=title)
    out.write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def export_datapackage(store: Store, folder: Path, selection: EventFilter | None = None, *,
                       limit: int | None = None) -> ExportResult:
    """Export the events that pass ``selection`` (the one selection of ``export_events``) as
    ``events.csv`` and ``datapackage.json`` in ``folder``; return how many were written
    (the descriptor is ``folder / "datapackage.json"``)."""
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / "events.csv"
    out: TextIO
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        res = export_events(store, "csv", out, selection, limit=limit)
    write_datapackage(csv_path)
    return res
