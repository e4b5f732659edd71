"""Options and helpers shared by the kit's commands (kit/cli*.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from eventledger.cliexit import open_ledger

if TYPE_CHECKING:
    from eventledger.store import Store

__all__ = ["ByOpt", "DbOpt", "EventOpt", "StoryOpt", "WhyOpt", "fail", "ledger", "need_by", "open_ledger"]

DbOpt = Annotated[str, typer.Option(
    "--db", help="The ledger: an SQLite file, or a PostgreSQL database as postgresql://user:pw@host/dbname.",
    envvar="EVENTLEDGER_DB")]
ByOpt = Annotated[str, typer.Option("--by", help="Who does this (a name, recorded in the log).", envvar="EVENTLEDGER_USER")]
WhyOpt = Annotated[Optional[str], typer.Option("--why", "--note", help="Why (recorded in the log).")]
EventOpt = Annotated[Optional[str], typer.Option("--event", help="A ledger event id (ev-...).")]
StoryOpt = Annotated[Optional[str], typer.Option("--story", help="A story id.")]


def fail(msg: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {msg}", err=True)
    return typer.Exit(code)


@contextmanager
def ledger(db: str) -> Iterator[Store]:
    """The ledger at ``db``, closed on the way out; a library error inside the block ends the
    command with its one-line message (exit 1)."""
    from eventledger.errors import EventLedgerError

    store = open_ledger(db)
    try:
        yield store
    except EventLedgerError as e:
        raise fail(str(e)) from e
    finally:
        store.close()


def need_by(by: str | None) -> str:
    if not by or not by.strip():
        raise fail("--by NAME is required: every action on the kit names who did it", 2)
    return by.strip()


