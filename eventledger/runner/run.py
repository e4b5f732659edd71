"""Ingest: read inputs, extract, store, with a progress bar on standard error."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tqdm import tqdm

from eventledger.errors import EventLedgerError
from eventledger.ingest import read_inputs
from eventledger.pipeline import process_guarded
from eventledger.profile import Profile
from eventledger.runner.dask_run import DaskOptions, run_on_dask
from eventledger.runner.interrupt import raise_if_interrupted
from eventledger.records import Extraction, RawDocument
from eventledger.settings import Settings
from eventledger.store import LedgerWriteError, Store

__all__ = ["DaskOptions", "IngestStats", "ingest_paths"]

log = logging.getLogger(__name__)


@dataclass
class IngestStats:
    added: int = 0
    skipped: int = 0
    copies: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def ingest_paths(paths: Iterable[str], store: Store, profile: Profile, settings: Settings,
                 progress: bool = True, on_error: Callable[[str], None] | None = None,
                 dask: DaskOptions | None = None) -> IngestStats:
    """Extract and store every input; bad inputs are reported and skipped, stored ones untouched.

    With ``dask`` (local workers or a scheduler address), extraction runs on a Dask cluster
    and this process writes the results in input order: the same ledger, row for row."""
    stats = IngestStats()
    bar = tqdm(desc="ingest", unit="doc", disable=not progress, file=sys.stderr, dynamic_ncols=True)
    if dask is not None and (dask.workers or dask.scheduler):
        try:
            _ingest_on_dask(paths, store, profile, settings, dask, stats, bar, on_error)
        finally:
            bar.close()
        return stats
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
    ext = process_guarded(raw, profile, settings)
    if isinstance(ext, EventLedgerError):
        _fail(stats, f"{raw.source}: {ext}" if raw.source not in str(ext) else str(ext), on_error)
        return
    _write(raw, ext, store, stats, on_error)


def _write(raw: RawDocument, ext: Extraction | str | None, store: Store, stats: IngestStats,
           on_error: Callable[[str], None] | None) -> None:
    """Store one extracted document: ``ext`` is its Extraction, its error line, or None when it
    was already stored (and so not extracted)."""
    raise_if_interrupted()  # a Ctrl-C that a callback swallowed stops the run here, between documents
    if ext is None:
        stats.skipped += 1
        return
    if isinstance(ext, str):
        _fail(stats, ext, on_error)
        return
    try:
        res = store.add(raw, ext)
    except LedgerWriteError:
        raise  # the ledger cannot be written (a full disk): every later document would fail too
    except EventLedgerError as e:
        _fail(stats, f"{raw.source}: {e}" if raw.source not in str(e) else str(e), on_error)
        return
    if res.added:
        stats.added += 1
        stats.copies += res.copy_of is not None
    else:
        stats.skipped += 1


def _ingest_on_dask(paths: Iterable[str], store: Store, profile: Profile, settings: Settings, opts: DaskOptions,
                    stats: IngestStats, bar: tqdm, on_error: Callable[[str], None] | None) -> None:
    def write(raw: RawDocument, ext: Extraction | str | None) -> None:
        _write(raw, ext, store, stats, on_error)
        _tick(bar, stats)

    def input_error(e: EventLedgerError) -> None:
        _fail(stats, str(e), on_error)
        _tick(bar, stats)

    run_on_dask(read_inputs(paths, settings), opts, profile, settings, store.has_document, write, input_error)


def _tick(bar: tqdm, stats: IngestStats) -> None:
    bar.update(1)
    bar.set_postfix(added=stats.added, skipped=stats.skipped, errors=stats.failed, refresh=False)


def _fail(stats: IngestStats, msg: str, on_error: Callable[[str], None] | None) -> None:
    stats.failed += 1
    stats.errors.append(msg)
    if on_error:
        on_error(msg)
    log.debug(msg)
