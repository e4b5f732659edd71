"""Ingest: read inputs, extract, store, with a progress bar on standard error."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tqdm import tqdm

from eventledger.errors import EventLedgerError
from eventledger.ingest import read_inputs
from eventledger.pipeline import process
from eventledger.profile import Profile
from eventledger.records import RawDocument
from eventledger.settings import Settings
from eventledger.store import Store

__all__ = ["IngestStats", "ingest_paths"]

log = logging.getLogger(__name__)


@dataclass
class IngestStats:
    added: int = 0
    skipped: int = 0
    copies: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def ingest_paths(paths: Iterable[str], store: Store, profile: Profile, settings: Settings,
                 progress: bool = True, on_error: Callable[[str], None] | None = None) -> IngestStats:
    """Extract and store every input; bad inputs are reported and skipped, stored ones untouched."""
    stats = IngestStats()
    bar = tqdm(desc="ingest", unit="doc", disable=not progress, file=sys.stderr, dynamic_ncols=True)
    try:
        for raw in read_inputs(paths, settings):
            if isinstance(raw, EventLedgerError):
                _fail(stats, str(raw), on_error)
            else:
                _one(raw, store, profile, settings, stats, on_error)
            bar.update(1)
            bar.set_postfix(added=stats.added, skipped=stats.skipped, errors=stats.failed, refresh=False)
    finally:
        bar.close()
    return stats


def _one(raw: RawDocument, store: Store, profile: Profile, settings: Settings, stats: IngestStats,
         on_error: Callable[[str], None] | None) -> None:
    if store.has_document(raw.id):
        stats.skipped += 1
        return
    try:
        res = store.add(raw, process(raw, profile, settings))
    except EventLedgerError as e:
        _fail(stats, f"{raw.source}: {e}" if raw.source not in str(e) else str(e), on_error)
        return
    if res.added:
        stats.added += 1
        stats.copies += res.copy_of is not None
    else:
        stats.skipped += 1


def _fail(stats: IngestStats, msg: str, on_error: Callable[[str], None] | None) -> None:
    stats.failed += 1
    stats.errors.append(msg)
    if on_error:
        on_error(msg)
    log.debug(msg)
