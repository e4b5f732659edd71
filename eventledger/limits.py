"""Per-document limits: a time budget and a memory ceiling, so one hostile document costs
only itself (docs/limits.md lists every limit).

    with time_budget(30):      # raises Overtime after 30 s of wall time in this document
        process(raw, profile, settings)

The budget is a SIGALRM timer, so it works in the main thread of a Unix process (where the
CLI runs documents); elsewhere (Dask worker threads) it is not armed and the worker's own
limits apply. ``Overtime`` derives from BaseException so no ``except Exception`` inside a
library (trafilatura has several) can swallow it.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Overtime", "cap_memory", "time_budget"]

log = logging.getLogger(__name__)


class Overtime(BaseException):
    """A document ran over its time budget."""


def _on_alarm(signum: int, frame: object) -> None:
    raise Overtime


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def cap_memory(headroom_mb: int) -> int | None:
    """Let this process grow at most ``headroom_mb`` MB of address space beyond what it holds
    now (the profile and libraries loaded): a document needing more fails with MemoryError,
    which the per-document boundary reports, and its memory is freed for the next one.
    Returns the limit set in bytes, or None when it cannot be set (not Linux, 0 = off)."""
    if headroom_mb <= 0:
        return None
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[0])
        import os

        limit = pages * os.sysconf("SC_PAGE_SIZE") + headroom_mb * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        return limit
    except (OSError, ValueError, ImportError) as e:
        log.debug("memory limit not set: %s", e)
        return None
