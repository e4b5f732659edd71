"""Ledger exports in the formats other tools already read, beside eventledger/export.py's
JSON Lines, CSV and GeoJSON:

- :mod:`eventledger.exports.ftm`          FollowTheMoney entities (JSON Lines) for Aleph
- :mod:`eventledger.exports.plover`       PLOVER-style event records (JSON Lines)
- :mod:`eventledger.exports.datapackage`  a Frictionless data package (datapackage.json) beside the CSV
- :mod:`eventledger.exports.datasette`    Datasette metadata: labelled tables, facets, canned queries

The record writers take ledger event records (spec/ledger.md dicts) as
``eventledger.export.export_events`` selects them, so every format lists the same events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TextIO

from eventledger.errors import EventLedgerError
from eventledger.profile import Profile

__all__ = ["RECORD_FORMATS", "write_records"]

RECORD_FORMATS = ("ftm", "plover")


def write_records(fmt: str, records: Iterable[dict[str, Any]], out: TextIO, profile: Profile) -> int:
    """Write ledger event records in one of :data:`RECORD_FORMATS`; return how many events."""
    writer: Callable[[Iterable[dict[str, Any]], TextIO, Profile], int]
    if fmt == "ftm":
        from eventledger.exports.ftm import write_ftm as writer
    elif fmt == "plover":
        from eventledger.exports.plover import write_plover as writer
    else:
        raise EventLedgerError(f"unknown export format {fmt!r}; choose one of {', '.join(RECORD_FORMATS)}")
    return writer(records, out, profile)
