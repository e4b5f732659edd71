"""Exceptions raised by eventledger.

    EventLedgerError
     ├── InputError        an input could not be read or decoded (carries the source)
     ├── ProfileError      a domain profile file is invalid (carries file, line, field)
     ├── SettingsError     a settings file cannot be read or names unknown settings
     ├── SpanError         a span's offsets do not state its text (a bug, never data)
     ├── StoreError        the ledger store refused an operation
     │    ├── LedgerUnavailable  no usable ledger where --db points: none there, not a
     │    │                      ledger, from a newer version, or its server unreachable
     │    └── DatabaseError      SQLite or PostgreSQL failed a statement (the driver's
     │                           error is its __cause__); the store raises it for every
     │                           database error, so none escapes raw
     ├── QueryError        a request malformed or naming nothing known: a bad date, an
     │                     unknown place, actor, event id or reviewer ("did you mean ...")
     └── SchedulerUnavailable  no Dask scheduler at --scheduler: malformed or unreachable

The command line maps them to exit codes in one place (eventledger/cliexit.py): usage
errors (ProfileError, SettingsError, LedgerUnavailable, QueryError) exit 2, every other failure exits 1.
"""

from __future__ import annotations

__all__ = ["DatabaseError", "EventLedgerError", "InputError", "LedgerUnavailable", "ProfileError", "QueryError",
           "SchedulerUnavailable", "SettingsError", "SpanError", "StoreError"]


class EventLedgerError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(EventLedgerError):
    """An input document could not be read: names the source and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ProfileError(EventLedgerError):
    """A profile file is invalid: names the file, the line and the field."""

    def __init__(self, file: str, reason: str, line: int | None = None, field: str | None = None) -> None:
        where = file if line is None else f"{file}:{line}"
        if field:
            where += f" [{field}]"
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason


class SettingsError(EventLedgerError):
    """A settings file (--settings) cannot be read, or sets something that is not a setting."""


class SpanError(EventLedgerError):
    """A span's offsets do not state the text it claims."""


class StoreError(EventLedgerError):
    """The ledger store could not complete an operation."""


class LedgerUnavailable(StoreError):
    """No usable ledger where one was asked for: none there (reading commands never create
    one), or what is there cannot be opened as a ledger. The message says which."""


class DatabaseError(StoreError):
    """The database failed a statement. The store raises this, never the driver's own
    exception; the instance is also of the sqlite3 class the driver's error maps to, so
    the store's own handlers (``except sqlite3.OperationalError``) still see it.
    ``reason`` is the driver's message without the ledger's name."""

    reason: str = ""


class QueryError(EventLedgerError):
    """A request the ledger cannot answer as asked: a malformed value or an unknown name."""


class SchedulerUnavailable(EventLedgerError):
    """No Dask scheduler to be had where ``--scheduler`` points: a malformed address, or none
    answering there. Like an unreachable ledger, the command line must change (exit 2)."""
