"""How every command of the CLI fails: one line on standard error, one exit code per kind.

    exit 2  usage: the command was asked wrongly (a bad date, an unknown place, a profile
            or settings file that does not load, a --db that is not a ledger); fix the
            command line
    exit 1  failure: the command ran and something failed or was not found (a bad input,
            a database error, an unknown event id); the rest was still done where it could be

Commands wrap their work in ``with failures():``, which turns any EventLedgerError into
``error: <message>`` and the exit code of its kind (:func:`exit_code`); ``usage()`` and
``fail()`` say the same for checks a command makes itself; ``say_error()`` says one bad input
of many and the command goes on (then exits FAILURE). Only the standard library,
typer and eventledger.errors are imported here (`eventledger --help` must start fast).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer

from eventledger.errors import (EventLedgerError, LedgerUnavailable, ProfileError, QueryError, SchedulerUnavailable,
                                SettingsError, StoreError)

__all__ = ["FAILURE", "USAGE", "exit_code", "fail", "failures", "open_ledger", "say_error", "usage"]

FAILURE = 1
USAGE = 2
_USAGE_ERRORS = (QueryError, ProfileError, SettingsError, LedgerUnavailable, SchedulerUnavailable)


def exit_code(e: BaseException) -> int:
    """2 for an error in how the command was asked, 1 for any other failure."""
    return USAGE if isinstance(e, _USAGE_ERRORS) else FAILURE


def say_error(message: object) -> None:
    """Print ``error: message`` on standard error and go on (one bad input of many)."""
    typer.echo(f"error: {message}", err=True)


def fail(message: str, code: int = FAILURE) -> NoReturn:
    """Print ``error: message`` on standard error and exit with ``code``."""
    say_error(message)
    raise typer.Exit(code)


def usage(message: str) -> NoReturn:
    """A usage error: the command line must change (exit 2)."""
    fail(message, USAGE)


@contextmanager
def failures() -> Iterator[None]:
    """Turn an EventLedgerError raised inside into its one-line message and exit code."""
    try:
        yield
    except EventLedgerError as e:
        fail(str(e), exit_code(e))


def open_ledger(db: str | Path, profile: Path | None = None, must_exist: bool = True):  # type: ignore[no-untyped-def]
    """The ledger at ``db`` with the profile loaded; a missing file, not a ledger, or a server that
    does not answer is a usage error (exit 2: fix --db)."""
    from eventledger.profile import load_profile
    from eventledger.store import Store
    from eventledger.store.backend import is_postgres

    with failures():
        if must_exist and not is_postgres(db) and not Path(db).exists():
            raise LedgerUnavailable(f"{db}: no ledger here (run `eventledger ingest ... --db {db}` first)")
        prof = load_profile(profile)
        try:
            return Store(db, prof)
        except StoreError as e:  # not a ledger, a newer one, a server that does not answer: fix --db
            raise LedgerUnavailable(str(e)) from e
