"""Database errors leave the store as :class:`~eventledger.errors.DatabaseError`, never raw.

SQLite's exceptions (and psycopg's, which :mod:`eventledger.store.backend` first maps to
the matching sqlite3 class) are re-raised as a class that is both ``DatabaseError`` (a
``StoreError``, so a batch run that catches ``EventLedgerError`` per document logs it and
goes on) and the original sqlite3 class (so the store's own ``except
sqlite3.OperationalError`` handlers still work). The message names the ledger.

:class:`GuardedConnection` is the ``sqlite3.Connection`` the store opens: its statements,
and the cursors they return, raise these errors.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from eventledger.errors import DatabaseError

__all__ = ["GuardedConnection", "as_store_error"]


_CLASSES: dict[type[sqlite3.Error], type[DatabaseError]] = {}


def _error_class(cls: type[sqlite3.Error]) -> type[DatabaseError]:
    """One class per sqlite3 class, made once: both DatabaseError and ``cls``."""
    if cls not in _CLASSES:
        _CLASSES[cls] = type(cls.__name__, (DatabaseError, cls), {"__module__": __name__})
    return _CLASSES[cls]


def as_store_error(e: sqlite3.Error, where: str) -> DatabaseError:
    """``e`` as a DatabaseError that is still of ``e``'s sqlite3 class; a DatabaseError as is."""
    if isinstance(e, DatabaseError):
        return e
    msg = str(e).strip() or type(e).__name__
    err = _error_class(type(e))(f"{where}: database error: {msg}" if where else f"database error: {msg}")
    err.reason = msg  # the driver's words alone, for messages that name the ledger themselves
    return err


_execute = sqlite3.Cursor.execute


class GuardedCursor(sqlite3.Cursor):
    where = ""

    def execute(self, sql: str, parameters: Any = (), /) -> GuardedCursor:
        try:
            return super().execute(sql, parameters)  # type: ignore[return-value]
        except sqlite3.Error as e:
            raise as_store_error(e, self.where) from e

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> GuardedCursor:
        try:
            return super().executemany(sql, seq_of_parameters)  # type: ignore[return-value]
        except sqlite3.Error as e:
            raise as_store_error(e, self.where) from e

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as e:
            raise as_store_error(e, self.where) from e

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as e:
            raise as_store_error(e, self.where) from e

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as e:
            raise as_store_error(e, self.where) from e


class GuardedConnection(sqlite3.Connection):
    """An SQLite connection whose errors are DatabaseErrors naming ``where`` (the ledger)."""

    where = ""

    def cursor(self, factory: Any = GuardedCursor) -> Any:  # type: ignore[override]
        cur = super().cursor(factory)
        cur.where = self.where
        return cur

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        cur = GuardedCursor(self)  # what cursor() does, without its extra call: the hot path
        cur.row_factory = self.row_factory
        cur.where = self.where
        try:
            return _execute(cur, sql, parameters)
        except sqlite3.Error as e:
            raise as_store_error(e, self.where) from e

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script: str, /) -> Any:
        try:
            return super().executescript(script)
        except sqlite3.Error as e:
            raise as_store_error(e, self.where) from e

    def commit(self) -> None:
        try:
            super().commit()
        except sqlite3.Error as e:
            raise as_store_error(e, self.where) from e
