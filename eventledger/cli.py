"""The command line: thin commands, each calling one library function."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from eventledger.errors import EventLedgerError
from eventledger.ingest import read_inputs
from eventledger.pipeline import process_many
from eventledger.profile import load_profile
from eventledger.settings import load_settings

app = typer.Typer(
    help="eventledger: news coverage of enforcement actions -> a sourced, verifiable ledger.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
log = logging.getLogger("eventledger")

ProfileOpt = Annotated[
    Optional[Path], typer.Option("--profile", help="Domain profile folder (default: the shipped US immigration profile).")
]
SettingsOpt = Annotated[Optional[Path], typer.Option("--settings", help="TOML file overriding settings.")]


@app.callback()
def _root() -> None:
    """eventledger: news coverage of enforcement actions -> a sourced, verifiable ledger.

    Start with `eventledger extract FILE...`; `eventledger COMMAND --help` explains each command.
    """


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt, .html, .htm, .jsonl), directories, or - for standard input.")],
    published: Annotated[Optional[str], typer.Option(help="Publication date (YYYY-MM-DD) for a single document.")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Outlet name for a single document.")] = None,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave document.text out of the records.")] = False,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write JSON Lines here instead of standard output.")] = None,
    profile: ProfileOpt = None,
    settings: SettingsOpt = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Log debugging detail to standard error.")] = False,
) -> None:
    """Print one extraction record (spec/extraction.md) per input document, as JSON Lines.

    Bad inputs are reported on standard error, one line each; the rest are still
    processed and the exit status is 1.

    Example: eventledger extract ../shared/corpus/seeds/ > seeds.jsonl
    """
    _setup_logging(verbose)
    try:
        prof = load_profile(profile)
        sets = load_settings(settings)
    except EventLedgerError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    if (published or outlet) and len(paths) != 1:
        typer.echo("error: --published and --outlet apply to a single document", err=True)
        raise typer.Exit(2)
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    failed = 0
    try:
        for rec in process_many(read_inputs(paths, sets, published=published, outlet=outlet), prof, sets):
            if isinstance(rec, EventLedgerError):
                failed += 1
                typer.echo(f"error: {rec}", err=True)
                continue
            out.write(json.dumps(rec.to_dict(with_text=not no_text), ensure_ascii=False) + "\n")
    finally:
        if output:
            out.close()
    if failed:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point alias
    app(prog_name="eventledger")


@app.command()
def evaluate(
    predictions: Annotated[
        Optional[Path], typer.Argument(help="JSON Lines of extraction records (the output of extract).")
    ] = None,
    gold: Annotated[list[Path], typer.Option("--gold", help="Folder of gold annotations (*.json); repeat for several.")] = [],  # noqa: B006
    texts: Annotated[
        list[str], typer.Option("--texts", help="Extract these files or folders on the fly instead of reading PREDICTIONS.")
    ] = [],  # noqa: B006
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the scores as JSON to this file.")] = None,
    profile: ProfileOpt = None,
    settings: SettingsOpt = None,
) -> None:
    """Score extraction records against gold annotations (../shared/corpus/README.md).

    Prints precision, recall and F1 per category (people, organizations, places,
    figures strict and loose, events), geo accuracy and published-date accuracy.

    Example: eventledger evaluate --gold ../shared/corpus/dev --gold ../shared/corpus/seeds-gold preds.jsonl
    """
    from eventledger.evaluate import evaluate_records, format_report, load_gold, read_predictions

    _setup_logging(False)
    if not gold:
        typer.echo("error: give at least one --gold folder", err=True)
        raise typer.Exit(2)
    if (predictions is None) == (not texts):
        typer.echo("error: give either a PREDICTIONS file or --texts, not both or neither", err=True)
        raise typer.Exit(2)
    try:
        gold_docs = load_gold(gold)
        if predictions is not None:
            records = read_predictions(predictions)
        else:
            prof, sets = load_profile(profile), load_settings(settings)
            records = []
            for rec in process_many(read_inputs(texts, sets), prof, sets):
                if isinstance(rec, EventLedgerError):
                    typer.echo(f"error: {rec}", err=True)
                else:
                    records.append(rec.to_dict(with_text=False))
        report = evaluate_records(records, gold_docs)
    except EventLedgerError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    typer.echo(format_report(report))
    if json_out:
        json_out.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
