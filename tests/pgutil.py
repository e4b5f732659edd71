"""PostgreSQL test databases: a plain module (not a conftest), so every test module imports the
same one whatever conftest.py holds the bare name ``conftest`` at the time."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["pg_database"]


@contextmanager
def pg_database(server: str, template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (empty, or a copy of ``template``), dropped afterwards: its URL."""
    from eventledger.store.backend import pg_create_database, pg_drop_database

    # pid, a counter and a random part: unique across processes and runs
    name = f"el_test_{os.getpid()}_{next(_PG_NAMES)}_{uuid.uuid4().hex[:8]}"
    url = pg_create_database(server, name, template)
    try:
        yield url
    finally:
        pg_drop_database(server, name)


_PG_NAMES = itertools.count(1)
