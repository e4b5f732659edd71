"""Exceptions raised by eventledger.

    EventLedgerError
     ├── InputError      an input could not be read or decoded (carries the source)
     ├── ProfileError    a domain profile file is invalid (carries file, line, field)
     ├── SpanError       a span's offsets do not state its text (a bug, never data)
     └── StoreError      the ledger store refused an operation
"""

from __future__ import annotations

__all__ = ["EventLedgerError", "InputError", "ProfileError", "SpanError", "StoreError"]


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


class SpanError(EventLedgerError):
    """A span's offsets do not state the text it claims."""


class StoreError(EventLedgerError):
    """The ledger store could not complete an operation."""
