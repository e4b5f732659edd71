"""Ingest with extraction on a Dask cluster; the ledger is still written by this process alone.

    client (this process)                               workers (other processes/machines)
    read_inputs -> batches of RawDocuments --submit-->  _extract_batch: process() each one
    store.add(raw, ext), one transaction a document  <--  Extractions, or one error line each
    in input order, as the single-process run does

Only extraction, the pure and costly part, moves to the workers. Copy detection, event
grouping and the hash-chained log depend on what is already stored, so the writes stay in
input order in one process: the ledger is the same, row for row, as `ingest_paths` without
workers writes from the same input. At most ``in_flight`` batches are out at once, so memory
does not grow with the number of inputs.

Workers load the profile themselves, once per process (by path, or their own installed
default profile), and must run the same eventledger version as the client.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventledger.errors import EventLedgerError, SchedulerUnavailable
from eventledger.pipeline import process, warm_up
from eventledger.profile import DEFAULT_PROFILE, Profile, load_profile
from eventledger.records import Extraction, RawDocument
from eventledger.settings import Settings

__all__ = ["BATCH_SIZE", "DaskOptions", "error_line", "extract_batch", "run_on_dask"]

log = logging.getLogger(__name__)

BATCH_SIZE = 32
CONNECT_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class DaskOptions:
    """Where extraction runs: ``workers`` local worker processes, or an existing cluster."""

    workers: int = 0
    scheduler: str | None = None
    batch_size: int = BATCH_SIZE
    in_flight: int | None = None
    """Batches submitted and not yet written, at most (default: 2 per worker thread, at least 4)."""
    connect_timeout: float = CONNECT_TIMEOUT_S


def error_line(raw: RawDocument, e: Exception) -> str:
    """A document's error line, naming its source once (as the single-process run words it)."""
    return str(e) if raw.source in str(e) else f"{raw.source}: {e}"


def extract_batch(raws: list[RawDocument], profile_path: str | None, settings: Settings) -> list[Extraction | str]:
    """Run on a worker: each document's Extraction, or its one-line error. The profile is loaded
    once per worker process (load_profile caches it); a failing document never loses the batch."""
    profile = load_profile(profile_path)
    out: list[Extraction | str] = []
    for raw in raws:
        try:
            out.append(process(raw, profile, settings))
        except EventLedgerError as e:
            out.append(error_line(raw, e))
        except Exception as e:  # a bug on one document: report it with its source, go on
            out.append(error_line(raw, RuntimeError(f"extraction failed on a Dask worker: {type(e).__name__}: {e}")))
    return out


def _warm_up_worker(profile_path: str | None, settings: Settings) -> str | None:
    """Load the profile and extract one short text, so the gazetteer and pattern caches are
    built before the first batch; the error returned is the profile's, if it fails to load."""
    try:
        profile = load_profile(profile_path)
    except Exception as e:
        return " ".join(str(e).split())
    warm_up(profile, settings)
    return None


def _profile_path(profile: Profile) -> str | None:
    """What a worker loads: None for the shipped profile (the worker's own copy of it)."""
    path = Path(profile.path).resolve()
    return None if path == DEFAULT_PROFILE.resolve() else str(path)


@dataclass
class _Batch:
    items: list[RawDocument | EventLedgerError] = field(default_factory=list)
    todo: list[int] = field(default_factory=list)  # positions in items sent for extraction
    future: Any = None


def run_on_dask(inputs: Iterable[RawDocument | EventLedgerError], opts: DaskOptions, profile: Profile,
                settings: Settings, already_stored: Callable[[str], bool],
                write: Callable[[RawDocument, Extraction | str | None], None],
                on_input_error: Callable[[EventLedgerError], None]) -> None:
    """Extract ``inputs`` on Dask and hand every input to ``write``/``on_input_error`` in input
    order: ``write(raw, ext)``, ``write(raw, error_line)``, or ``write(raw, None)`` for a document
    that was already stored when read (not extracted)."""
    if opts.workers and opts.scheduler:
        raise EventLedgerError("give --workers or --scheduler, not both")
    if opts.batch_size < 1:
        raise EventLedgerError(f"batch size must be at least 1, not {opts.batch_size}")
    with _client(opts) as client:
        _check_workers(client, opts, _profile_path(profile), settings)
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        limit = opts.in_flight or max(4, 2 * threads)
        prof_path = _profile_path(profile)
        pending: deque[_Batch] = deque()

        def drain_one() -> None:
            b = pending.popleft()
            results: list[Extraction | str] = []
            if b.future is not None:
                try:
                    results = b.future.result()
                except Exception as e:  # the batch was lost (a worker died): its documents fail
                    if client.status not in ("running", "connecting"):
                        raise EventLedgerError(f"lost the Dask scheduler: {e}") from e
                    results = [error_line(b.items[i], RuntimeError(f"extraction failed on the Dask cluster: "  # type: ignore[arg-type]
                                                                   f"{type(e).__name__}: {e}")) for i in b.todo]
                b.future.release()
            got = dict(zip(b.todo, results, strict=True))
            for i, item in enumerate(b.items):
                if isinstance(item, EventLedgerError):
                    on_input_error(item)
                else:
                    write(item, got.get(i))

        def submit(b: _Batch) -> None:
            if b.todo:
                raws = [b.items[i] for i in b.todo]
                b.future = client.submit(extract_batch, raws, prof_path, settings, pure=False)
            pending.append(b)
            while pending and (len(pending) > limit or _done(pending[0])):
                drain_one()

        batch = _Batch()
        try:
            for item in inputs:
                if not isinstance(item, EventLedgerError) and not already_stored(item.id):
                    batch.todo.append(len(batch.items))
                batch.items.append(item)
                if len(batch.items) >= opts.batch_size:
                    submit(batch)
                    batch = _Batch()
            if batch.items:
                submit(batch)
            while pending:
                drain_one()
        finally:
            for b in pending:  # interrupted: the cluster drops what is still out
                if b.future is not None:
                    b.future.cancel()


def _done(b: _Batch) -> bool:
    return b.future is None or b.future.done()


class _client:
    """A Client of an existing scheduler, or of a local cluster started (and always shut down) here."""

    def __init__(self, opts: DaskOptions) -> None:
        self.opts = opts
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> Any:
        from distributed import Client, LocalCluster

        opts = self.opts
        if opts.scheduler:
            _check_address(opts.scheduler)
            try:
                self.client = Client(opts.scheduler, timeout=opts.connect_timeout, set_as_default=False)
            except (OSError, ValueError, TimeoutError) as e:
                raise SchedulerUnavailable(f"cannot reach the Dask scheduler at {opts.scheduler}: "
                                       f"{' '.join(str(e).split()) or type(e).__name__}") from e
            return self.client
        if opts.workers < 1:
            raise EventLedgerError(f"need at least one Dask worker, not {opts.workers}")
        try:
            with _workers_ignore_ctrl_c():
                self.cluster = LocalCluster(n_workers=opts.workers, threads_per_worker=1, processes=True,
                                            dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
            self.client = Client(self.cluster, set_as_default=False)
        except BaseException as e:
            self.__exit__(None, None, None)
            if isinstance(e, Exception):
                raise EventLedgerError(f"cannot start a local Dask cluster of {opts.workers} workers: "
                                       f"{' '.join(str(e).split())}") from e
            raise
        return self.client

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start worker processes with SIGINT ignored (they inherit it): Ctrl-C in a terminal reaches
    the whole process group, and only this process should act on it, by shutting them down."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _check_address(address: str) -> None:
    """Refuse a malformed address before a Client is made (a failed Client lingers until exit)."""
    from distributed.comm.addressing import parse_address
    from distributed.comm.registry import get_backend

    try:
        scheme, loc = parse_address(address)
        get_backend(scheme)
    except ValueError as e:
        raise SchedulerUnavailable(f"cannot reach the Dask scheduler at {address}: {e}") from e
    if not loc.strip():
        raise SchedulerUnavailable(f"cannot reach the Dask scheduler at {address}: no host given (e.g. tcp://10.0.0.5:8786)")


def _check_workers(client: Any, opts: DaskOptions, profile_path: str | None, settings: Settings) -> None:
    """Fail early, in one line, when the cluster has no workers or a worker cannot load the
    profile (which also warms every worker up before the first batch)."""
    try:
        client.wait_for_workers(1, timeout=opts.connect_timeout)
    except TimeoutError as e:
        raise EventLedgerError(f"the Dask scheduler at {opts.scheduler or 'localhost'} has no workers "
                               f"(waited {opts.connect_timeout:g} s)") from e
    for worker, err in client.run(_warm_up_worker, profile_path, settings).items():
        if err:
            raise EventLedgerError(f"Dask worker {worker} cannot load the profile: {err}")
