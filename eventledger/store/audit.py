"""``verify`` of a ledger by its location: the file checked first (empty, truncated, damaged,
not a ledger: one line each, never a traceback), then opened and verified by store/verify.py.

Apart from store/verify.py because it opens a :class:`~eventledger.store.Store`, whose own
``verify()`` uses store/verify.py: one module each way would be an import cycle.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from eventledger.errors import EventLedgerError
from eventledger.store import Store
from eventledger.store.backend import display_location, is_postgres
from eventledger.store.verify import verify_store

__all__ = ["verify_location"]


def verify_location(location: str, profile: Any = None,
                    checkpoints: list[tuple[str, dict[str, Any]]] | None = None) -> tuple[list[str], dict[str, int]]:
    """Open the ledger at ``location`` and verify it: (problems, counts). A file that is empty,
    truncated, damaged or not a ledger gives one problem line, never an exception."""
    where = display_location(location)
    if not is_postgres(location):
        p = Path(location)
        try:
            size = p.stat().st_size
            with p.open("rb") as fh:
                head = fh.read(100)
        except OSError as e:
            return [f"{where}: cannot read the ledger: {e.strerror or e}"], {}
        if size == 0:
            return [f"{where}: not a ledger: the file is empty"], {}
        if not head.startswith(b"SQLite format 3\x00"):
            return [f"{where}: not a ledger: not an SQLite database"], {}
        page = int.from_bytes(head[16:18], "big")
        page = 65536 if page == 1 else page
        pages = int.from_bytes(head[28:32], "big")
        size_valid = len(head) == 100 and head[24:28] == head[92:96]  # SQLite's rule for the in-header size
        if size_valid and pages and size < page * pages:
            return [f"{where}: ledger file truncated: {size} bytes, its header says {page * pages}"], {}
        try:
            raw = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
            try:
                bad = [r[0] for r in raw.execute("PRAGMA quick_check(5)")]
                has_log = raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'log'").fetchone()
            finally:
                raw.close()
        except sqlite3.DatabaseError as e:
            return [f"{where}: ledger file damaged: {e}"], {}
        if bad != ["ok"]:
            lines = [ln.strip() for b in bad for ln in str(b).splitlines() if ln.strip() and not ln.startswith("***")]
            first = lines[0] if lines else "integrity check failed"
            return [f"{where}: ledger file damaged: {first}" + (f" (and {len(lines) - 1} more)" if len(lines) > 1 else "")], {}
        if not has_log:
            return [f"{where}: not a ledger: it has no log table"], {}
    try:
        with Store(location, profile) as store:
            problems = verify_store(store)
            if checkpoints:
                from eventledger.store.checkpoint import check_checkpoint, ledger_public_key, log_leaves

                leaves, key = log_leaves(store), ledger_public_key(store)
                for name, cp in checkpoints:
                    problems += check_checkpoint(cp, leaves, key, f"checkpoint {name}")
            return problems, store.counts()
    except EventLedgerError:
        raise  # cannot be opened as a ledger at all (a newer version's): the caller says so
    except (sqlite3.Error, ValueError, KeyError, TypeError, MemoryError) as e:
        return [f"{where}: ledger damaged: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"], {}
