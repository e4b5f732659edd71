"""The command line: thin commands, each calling one library function."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from eventledger.cliexit import FAILURE, fail, failures, say_error, usage
from eventledger.cliexit import open_ledger as _open
from eventledger.errors import EventLedgerError

# Only the standard library, typer, eventledger.errors and eventledger.cliexit are imported here: `eventledger
# --help` must start fast (tests/test_cli_startup.py). Each command imports what it uses.

app = typer.Typer(
    help="eventledger: news coverage of enforcement actions -> a sourced, verifiable ledger.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: flags shown as flags (`--json`, not `--json <bool>`)
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
    paths: Annotated[list[str], typer.Argument(help="Files: .txt, .html/.htm pages, .jsonl records ({url, title, text or html, published, outlet}), RSS/Atom feeds (.xml, .rss, .atom), WARC archives (.warc, .warc.gz); directories (recursively); - for standard input.")],
    published: Annotated[Optional[str], typer.Option(help="Publication date (YYYY-MM-DD) for a single document.")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Outlet name for a single document.")] = None,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave document.text out of the records (the setting with_text = false does the same).")] = False,
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
    from eventledger.ingest import read_inputs
    from eventledger.pipeline import process_many
    from eventledger.profile import load_profile
    from eventledger.settings import load_settings

    _setup_logging(verbose)
    with failures():
        prof = load_profile(profile)
        sets = load_settings(settings)
    if (published or outlet) and len(paths) != 1:
        usage("--published and --outlet apply to a single document")
    from eventledger.limits import cap_memory
    from eventledger.pipeline import warm_up

    warm_up(prof, sets)  # the lazily loaded indexes count as the process's own, not the first document's
    cap_memory(sets.max_document_memory_mb)
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    failed = 0
    try:
        for rec in process_many(read_inputs(paths, sets, published=published, outlet=outlet), prof, sets):
            if isinstance(rec, EventLedgerError):
                failed += 1
                say_error(rec)
                continue
            out.write(json.dumps(rec.to_dict(with_text=sets.with_text and not no_text), ensure_ascii=False) + "\n")
    finally:
        if output:
            out.close()
    if failed:
        raise typer.Exit(FAILURE)


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
    stories: Annotated[Optional[Path], typer.Option(
        "--stories", help="Score a ledger's grouping (give the ledger as the argument) against this grouping gold file.")] = None,
    profile: ProfileOpt = None,
    settings: SettingsOpt = None,
) -> None:
    """Score extraction records against gold annotations (../shared/corpus/README.md).

    Prints precision, recall and F1 per category (people, organizations, places,
    figures strict and loose, events), geo accuracy and published-date accuracy.

    Example: eventledger evaluate --gold ../shared/corpus/dev --gold ../shared/corpus/seeds-gold preds.jsonl
    """
    from eventledger.evaluate import evaluate_records, format_report, load_gold, read_predictions
    from eventledger.ingest import read_inputs
    from eventledger.pipeline import process_many
    from eventledger.profile import load_profile
    from eventledger.settings import load_settings

    _setup_logging(False)
    if stories is not None:
        _evaluate_stories(stories, predictions, json_out)
        return
    if not gold:
        usage("give at least one --gold folder")
    if (predictions is None) == (not texts):
        usage("give either a PREDICTIONS file or --texts, not both or neither")
    failed = False
    with failures():
        gold_docs = load_gold(gold)
        if predictions is not None:
            records = read_predictions(predictions)
        else:
            prof, sets = load_profile(profile), load_settings(settings)
            records = []
            for rec in process_many(read_inputs(texts, sets), prof, sets):
                if isinstance(rec, EventLedgerError):
                    say_error(rec)
                    failed = True
                else:
                    records.append(rec.to_dict(with_text=False))
        report = evaluate_records(records, gold_docs)
    typer.echo(format_report(report))
    if json_out:
        json_out.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if failed:
        raise typer.Exit(FAILURE)


def _evaluate_stories(gold_path: Path, ledger: Path | None, json_out: Path | None) -> None:
    """eventledger evaluate --stories STORIES.json LEDGER (corpus README, "Scoring stories")."""
    from eventledger.evaluate import evaluate_stories, format_stories_report
    from eventledger.ledger.compare import build_event_record, build_story_record

    if ledger is None:
        typer.echo("error: give the ledger to score: eventledger evaluate --stories STORIES.json LEDGER", err=True)
        raise typer.Exit(2)
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        typer.echo(f"error: {gold_path}: not a readable grouping gold file: {e}", err=True)
        raise typer.Exit(2) from e
    store = _open(ledger)
    try:
        events = [build_event_record(store.event_rows(i)) for i in store.event_ids()]
        recs = [build_story_record(rows, store.profile, store.policy)
                for i in store.story_ids() if (rows := store.story_rows(i))]
    finally:
        store.close()
    report = evaluate_stories(gold, events, recs)
    typer.echo(format_stories_report(report))
    if json_out:
        json_out.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")


# ---- the ledger ------------------------------------------------------------------------------

DbOpt = Annotated[str, typer.Option(
    "--db", help="The ledger: an SQLite file, or a PostgreSQL database as postgresql://user:pw@host/dbname.",
    envvar="EVENTLEDGER_DB")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON Lines (the records of spec/ledger.md) instead of a table.")]
RejectedOpt = Annotated[Literal["exclude", "mark"], typer.Option(
    "--rejected", help="Events a reviewer rejected: exclude (leave them out, the default) or mark (keep them,"
    " their review status `rejected`).")]


def _event_filters(store, type_: str | None, mode: str | None, place: str | None, actor: str | None,  # type: ignore[no-untyped-def]
                   outlet: str | None, since: str | None, until: str | None, story: str | None = None):
    """The filters of `events` and `export` checked and resolved to what the store matches:
    dates that exist, a PLOVER type and mode the profile knows, and a place, actor or outlet
    the ledger holds (by id, name or alias), else a QueryError saying what was meant. The
    answer is the one EventFilter of store/queries.py the web app and the API select with."""
    from eventledger.clitext import check_date, pick_name
    from eventledger.store.names import entity_names, event_codes, outlet_names
    from eventledger.store.queries import EventFilter

    since, until = check_date("--from", since), check_date("--to", until)
    if since and until and until < since[: len(until)]:
        usage(f"--to {until} is before --from {since}")
    in_ledger = event_codes(store)
    known_types = {t.type: t.type for t in store.profile.triggers} | {k[0]: k[0] for k in store.profile.labels} | in_ledger[0]
    known_modes = {t.mode: t.mode for t in store.profile.triggers if t.mode} | {
        k[1]: k[1] for k in store.profile.labels if k[1]} | in_ledger[1]
    plover = pick_name("PLOVER type", type_, known_types, " in the profile or the ledger")
    return EventFilter(type=plover.upper() if plover else None,
                       mode=pick_name("PLOVER mode", mode, known_modes, " in the profile or the ledger") if mode else None,
                       place=pick_name("place", place, entity_names(store, places=True)) if place else None,
                       actor=pick_name("actor", actor, entity_names(store, places=False)) if actor else None,
                       outlet=pick_name("outlet", outlet, outlet_names(store)) if outlet else None,
                       date_from=since, date_to=until, story=story.strip() or None if story else None)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, JSON Lines, RSS/Atom feeds, WARC archives, or - for standard input.")],
    db: DbOpt = Path("ledger.db"),
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress bar.")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=0, help="Extract on a local Dask cluster of this many worker processes (0: in this process).")] = 0,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="Extract on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (its workers need eventledger installed).")] = None,
    scheduler_timeout: Annotated[float, typer.Option(
        "--scheduler-timeout", min=0.1, help="Seconds to wait for the --scheduler to answer and have a worker.")] = 10.0,
    profile: ProfileOpt = None,
    settings: SettingsOpt = None,
) -> None:
    """Extract documents and store them in the ledger; already stored bytes are skipped.

    Safe to repeat and to interrupt: each document is stored in one transaction.
    Bad inputs are reported on standard error and skipped (exit status 1).
    With --workers or --scheduler, extraction runs on Dask workers in batches while this
    process writes the ledger in input order: the same ledger as without them.

    Example: eventledger ingest ../shared/corpus/seeds/ --db ledger.db --workers 2
    """
    from eventledger.runner.run import DaskOptions, ingest_paths
    from eventledger.runner.interrupt import catching_interrupts
    from eventledger.settings import load_settings

    if workers and scheduler:
        usage("give --workers or --scheduler, not both")
    dask = DaskOptions(workers=workers, scheduler=scheduler, connect_timeout=scheduler_timeout)
    store = _open(db, profile, must_exist=False)
    interrupted = False
    try:
        with failures():
            try:
                sets = load_settings(settings)
                if not (workers or scheduler):  # Dask workers are processes of their own
                    from eventledger.limits import cap_memory
                    from eventledger.pipeline import warm_up

                    warm_up(store.profile, sets)
                    cap_memory(sets.max_document_memory_mb)
                with catching_interrupts():
                    stats = ingest_paths(paths, store, store.profile, sets, progress=not quiet and sys.stderr.isatty(),
                                         on_error=say_error, dask=dask)
                c = store.counts()
            except KeyboardInterrupt:
                interrupted = True  # answered below, once the interrupted frames (open cursors) are gone
        if interrupted:
            fail("interrupted; every document stored so far is complete (run again to finish)", 130)
    finally:
        store.close()
    typer.echo(f"added {stats.added}, already stored {stats.skipped}, copies {stats.copies}, failed {stats.failed}; "
               f"ledger: {c['documents']} documents, {c['events']} events, {c['figures']} figures", err=True)
    if stats.failed:
        raise typer.Exit(FAILURE)


@app.command()
def events(
    db: DbOpt = Path("ledger.db"),
    type_: Annotated[Optional[str], typer.Option("--type", help="PLOVER type, e.g. COERCE.")] = None,
    mode: Annotated[Optional[str], typer.Option(help="PLOVER mode, e.g. arrest.")] = None,
    place: Annotated[Optional[str], typer.Option(help="Place: an id, name or alias the ledger knows.")] = None,
    actor: Annotated[Optional[str], typer.Option(help="Actor: an id, name or alias the ledger knows.")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Only events reported by this outlet.")] = None,
    since: Annotated[Optional[str], typer.Option("--from", help="Earliest date, YYYY[-MM[-DD]].")] = None,
    until: Annotated[Optional[str], typer.Option("--to", help="Latest date, YYYY[-MM[-DD]].")] = None,
    story: Annotated[Optional[str], typer.Option(help="Only the events of this story (from `eventledger stories`).")] = None,
    limit: Annotated[Optional[int], typer.Option(help="At most this many events (default: all).")] = None,
    rejected: RejectedOpt = "exclude",
    as_json: JsonOpt = False,
) -> None:
    """List ledger events, newest first: each one's headline, plain label and sources; every
    one unless --limit is given (a limit that cuts the list says so on standard error).

    A place, actor or outlet is a ledger id, name or alias; an unknown one is an error
    that names the nearest ones. Nothing matching is said on standard error.
    Reviews carry through: corrected values are printed, marked, with the extracted
    value in the JSON; rejected events are left out unless --rejected mark.

    Example: eventledger events --type COERCE --place "Los Angeles" --from 2025-06
    """
    from dataclasses import replace

    from eventledger.clitext import plural, table_lines
    from eventledger.reviewed import reviewed_record
    from eventledger.store.queries import event_index, filtered_event_ids, rejected_left_out

    store = _open(db)
    try:
        with failures():
            selection = _event_filters(store, type_, mode, place, actor, outlet, since, until, story)
            if rejected == "mark":
                selection = replace(selection, rejected="show")
            ix = event_index(store)
            ids = filtered_event_ids(store, selection, None if limit is None else limit + 1, index=ix)
            cut = limit is not None and len(ids) > limit
            ids = ids[:limit] if cut else ids
            left_out = rejected_left_out(store, selection, ix)
            recs = [rec for i in ids if (rec := reviewed_record(store, i)) is not None]
    finally:
        store.close()
    if cut:
        typer.echo(f"showing the first {limit} events; more match (raise --limit or leave it out for all)", err=True)
    if left_out:
        typer.echo(f"{plural(left_out, 'event')} rejected by a reviewer left out (--rejected mark lists "
                   f"{'it' if left_out == 1 else 'them'})", err=True)
    if not recs:
        if not left_out:
            typer.echo("no events match" + (" these filters" if selection.active() else ": the ledger has none"),
                       err=True)
        return
    if as_json:
        for r in recs:
            typer.echo(json.dumps(r, ensure_ascii=False))
        return
    rows = [(r["id"], r["date"] or "?", r["label"], r["headline"],
             f"{plural(len(r['reports']), 'report')}, {r['independent_sources']} independent",
             "CONFLICT" if any(g["conflict"] for g in r["figures"]) or r["attribution_conflicts"] else "",
             _review_mark(r))
            for r in recs]
    for line in table_lines(("ID", "Date", "Event", "Headline", "Sources", "Figures", "Review"), rows):
        typer.echo(line)


def _review_mark(rec: dict) -> str:  # type: ignore[type-arg]
    """"corrected by rita (extracted date 2025-03-11)", "rejected by sam", "" when unreviewed."""
    rv = rec.get("review") or {}
    if not rv.get("status") or rv["status"] == "unreviewed":
        return ""
    was = [f"{k} {(v or {}).get('name') if k == 'place' else v}" for k, v in (rv.get("extracted") or {}).items()
           if k != "date_precision"]
    was += [f"{g['kind']} {s['reviewed']['extracted']['value']:g}" for g in rec["figures"] for v in g["values"]
            for s in v["sources"] if (s.get("reviewed") or {}).get("extracted")]
    return f"{rv['status']} by {rv.get('by')}" + (f" (extracted {', '.join(was)})" if was else "")


@app.command()
def stories(
    db: DbOpt = Path("ledger.db"),
    limit: Annotated[Optional[int], typer.Option(help="At most this many stories (default: all).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List stories (the documents and events about one happening or a connected run of them), latest first.

    Example: eventledger stories --json
    """
    from eventledger.reviewed import reviewed_story_record

    store = _open(db)
    try:
        ids = store.story_ids(None if limit is None else limit + 1)
        cut = limit is not None and len(ids) > limit
        ids = ids[:limit] if cut else ids
        recs = [r for i in ids if (r := reviewed_story_record(store, i)) is not None]
    finally:
        store.close()
    if cut:
        typer.echo(f"showing the first {limit} stories; more match (raise --limit or leave it out for all)", err=True)
    for r in recs:
        if as_json:
            typer.echo(json.dumps(r, ensure_ascii=False))
        else:
            conflicts = sum(g["conflict"] for g in r["figures"])
            typer.echo(f"{r['id']}  {r['date_from'] or '?':10} {r['date_to'] or '?':10}  {r['title'][:50]:50}  "
                       f"{len(r['documents'])} documents, {r['independent_sources']} independent, {len(r['events'])} events"
                       + (f", {conflicts} figure conflicts" if conflicts else ""))


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="A story id (from `eventledger stories`).")],
    db: DbOpt = Path("ledger.db"),
    as_json: JsonOpt = False,
) -> None:
    """One story: its events in date order, every source, the figures side by side, coverage by outlet.

    Example: eventledger story st-0123456789abcdef
    """
    from eventledger.clitext import plural
    from eventledger.reviewed import reviewed_story_record

    store = _open(db)
    try:
        r = reviewed_story_record(store, story_id)
        if r is None:
            typer.echo(f"error: {db}: no story {story_id}", err=True)
            raise typer.Exit(1)
        events = {i: store.event_rows(i) for i in r["events"]}
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(r, ensure_ascii=False))
        return
    typer.echo(f"{r['id']}  {r['title']}  ({r['date_from'] or '?'} to {r['date_to'] or '?'})")
    typer.echo(f"{len(r['documents'])} documents, {r['independent_sources']} independent sources")
    typer.echo("events:")
    for i in r["events"]:
        ev = events[i]["event"] if events[i] else {}
        typer.echo(f"  {i}  {ev.get('date') or '?':10}  {ev.get('type', '')} {ev.get('mode') or ''}")
    typer.echo("figures:")
    for g in r["figures"]:
        vals = "; ".join(f"{_say_value(g, v)} ({_said_by(v)}; {plural(v['independent_sources'], 'independent source')})"
                         for v in g["values"])
        typer.echo(f"  {g['quantity']:24} {'CONFLICT ' if g['conflict'] else ''}{vals}")
    typer.echo("coverage:")
    for c in r["coverage"]:
        typer.echo(f"  {c['outlet'][:40]:40} reports {len(c['reports'])}, omits {len(c['omits'])}")


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(help="A ledger event id (from `eventledger events`).")],
    db: DbOpt = Path("ledger.db"),
    as_json: JsonOpt = False,
) -> None:
    """A ledger event's dossier: reports, figures compared across sources (who says each
    value), quotes, sources. Reviews carry through: a corrected value is printed with the
    extracted one beside it ("78 (reviewed; extracted 76)").

    Example: eventledger show ev-0123456789abcdef
    """
    from eventledger.clitext import one_line, plural, say_date_at, say_figure
    from eventledger.reviewed import reviewed_record, say_reviewed_value, say_who

    store = _open(db)
    try:
        with failures():
            rec = reviewed_record(store, event_id, quotes=True)
    finally:
        store.close()
    if rec is None:
        usage(f"no event {event_id} in the ledger (`eventledger events` lists them)")
    if as_json:
        typer.echo(json.dumps(rec, ensure_ascii=False))
        return
    review = rec["review"]
    was = review.get("extracted") or {}
    plover = f"PLOVER {rec['type']} {rec['mode'] or '-'}"
    if "type" in was or "mode" in was:
        plover = say_reviewed_value(plover, [f"{was.get('type', rec['type'])} {was.get('mode', rec['mode']) or '-'}"])
    when = say_date_at(rec["date"], rec["date_precision"])
    if "date" in was:
        when = say_reviewed_value(when, [say_date_at(was["date"], was.get("date_precision"))])
    place = (rec["place"] or {}).get("name", "unknown place")
    if "place" in was:
        place = say_reviewed_value(place, [(was["place"] or {}).get("name") or "no place"])
    typer.echo(rec["headline"])
    typer.echo(f"{rec['id']}: {rec['label']} ({plover}), {when}, at {place}")
    if review["status"] != "unreviewed":
        typer.echo(f"review: {review['status']} by {review['by']} on {(review['at'] or '')[:10]}")
    typer.echo(f"actors: {', '.join(a['name'] for a in rec['actors']) or '-'}")
    typer.echo(f"reports ({plural(len(rec['reports']), 'report')}, {rec['independent_sources']} independent):")
    for r in rec["reports"]:
        copy = f" [copy of {r['copy_of'][:12]}]" if r["copy_of"] else ""
        typer.echo(f"  - {r['outlet'] or r['source']} {r['published'] or ''}{copy}: {one_line(r['text'])}")
    if rec["figures"]:
        typer.echo("figures:")
        for g in rec["figures"]:
            typer.echo(f"  {g['kind']} ({g['subject']}){'  CONFLICT' if g['conflict'] else ''}"
                       + (f": {_who_says(g)}" if g["conflict"] else ""))
            for v in g["values"]:
                n = len(v["sources"])
                first = v["sources"][0]["text"] if n else ""
                said = say_figure({**v, "kind": g["kind"], "text": first})
                extracted = sorted({say_figure({**x, "kind": g["kind"], "text": first}) for s in v["sources"]
                                    if (x := (s.get("reviewed") or {}).get("extracted"))})
                who = sorted({w for s in v["sources"] if (w := s.get("said_by") or say_who(s.get("attributed_to")))})
                typer.echo(f"    {say_reviewed_value(said, extracted)}"
                           f"{' per ' + v['per'] if v['per'] else ''}"
                           f"{', according to ' + ' and '.join(who) if who else ''}: {plural(n, 'source')} "
                           f"({v['independent_sources']} independent): "
                           + " | ".join(one_line(x["text"]) for x in v["sources"]))
    for f in rec.get("rejected_figures") or ():
        by = (f.get("reviewed") or {}).get("by")
        typer.echo(f"  rejected by {by}: {f['kind']} {say_figure(f)}: {one_line(f['text'])}")
    for c in rec["attribution_conflicts"]:
        typer.echo(f"attribution conflict ({c['claim']}): "
                   + " vs ".join(f"{x['says']} ({one_line(x['text'])})" for x in c["sources"]))
    if rec["quotes"]:
        typer.echo("quotes:")
        for q in rec["quotes"]:
            was_said = (q["reviewed"] or {}).get("extracted")
            speaker = say_reviewed_value(q["speaker"] or "unknown speaker", [was_said["speaker"]] if was_said else [])
            typer.echo(f"  {speaker}: “{one_line(q['text'])}”")


def _say_value(group: dict, value: dict) -> str:  # type: ignore[type-arg]
    """A figure group's value as written, "78 (reviewed; extracted 76)" after a correction."""
    from eventledger.clitext import say_figure
    from eventledger.reviewed import say_reviewed_value

    text = value["sources"][0]["text"] if value["sources"] else ""
    was = sorted({say_figure({**x, "kind": group["kind"], "text": text}) for s in value["sources"]
                  if (x := (s.get("reviewed") or {}).get("extracted"))})
    return say_reviewed_value(say_figure({**value, "kind": group["kind"], "text": text}), was)


def _said_by(value: dict) -> str:  # type: ignore[type-arg]
    """"said by ICE and advocates", "no one named" (a figure value's sources' said_by)."""
    who = sorted({s["said_by"] for s in value["sources"] if s.get("said_by")})
    return f"said by {' and '.join(who)}" if who else "no one named"


def _who_says(group: dict) -> str:  # type: ignore[type-arg]
    """Who says each value of a figure group: "ICE said 76; advocates said 107"."""
    from eventledger.clitext import say_figure
    from eventledger.reviewed import say_reviewed_value, say_who

    parts = []
    for v in group["values"]:
        who = sorted({w for s in v["sources"] if (w := s.get("said_by") or say_who(s.get("attributed_to")))})
        value = say_reviewed_value(say_figure({**v, "kind": group["kind"]}), sorted(
            {say_figure({**x, "kind": group["kind"]}) for s in v["sources"]
             if (x := (s.get("reviewed") or {}).get("extracted"))}))
        parts.append(f"{' and '.join(who)} said {value}" if who else f"{value} (the text names no one)")
    return "; ".join(parts)


@app.command()
def figures(
    db: DbOpt = Path("ledger.db"),
    kind: Annotated[Optional[str], typer.Option(help="arrests, removals, personnel, crowd, casualties, money, ...")] = None,
    event: Annotated[Optional[str], typer.Option(help="Only figures of this ledger event.")] = None,
    entity: Annotated[Optional[str], typer.Option(help="Only figures of events with this actor or place (an id, name or alias).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many figures.")] = 200,
    as_json: JsonOpt = False,
) -> None:
    """List figures with the words and document each came from.

    Values are printed as written ("1,000-1,200", "$840 million"; "~" when approximate);
    a reviewer's correction as "78 (reviewed; extracted 76)", a rejected figure marked.
    Nothing matching, or a list cut by --limit, is said on standard error.

    Example: eventledger figures --kind arrests
    """
    from eventledger.clitext import one_line, pick_name, say_figure, table_lines
    from eventledger.errors import QueryError
    from eventledger.reviewed import say_reviewed_value
    from eventledger.store.names import entity_names, figure_kinds, has_event
    from eventledger.store.review import latest_reviews

    store = _open(db)
    try:
        with failures():
            kind = pick_name("figure kind", kind, figure_kinds(store)) if kind else None
            if event and not has_event(store, event):
                raise QueryError(f"no event {event} in the ledger (`eventledger events` lists them)")
            if entity:
                entity = pick_name("actor or place", entity,
                                   entity_names(store, places=True) | entity_names(store, places=False))
            rows = store.figure_rows(kind, event, entity, limit + 1)
            reviews = latest_reviews(store, "figure", [f["id"] for f in rows[:limit]])
    finally:
        store.close()
    cut = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        typer.echo("no figures match" + (" these filters" if kind or event or entity else ": the ledger has none"),
                   err=True)
        return
    out = []
    for f in rows:
        d = {k: f[k] for k in ("value", "high", "approx", "kind", "per", "subject", "text", "start", "end",
                               "document_id", "source", "outlet", "published", "event_id")}
        d["approx"] = bool(d["approx"])
        r = reviews.get(f["id"])  # a reviewer's correction is printed, the extracted value beside it
        d["reviewed"] = None if r is None else {"action": r["action"], "by": r["reviewer"], "at": r["at"],
                                                "reason": r["reason"], "extracted": None}
        if r is not None and r["action"] == "correct":
            d["reviewed"]["extracted"] = {k: int(d[k]) if float(d[k]).is_integer() else d[k] for k in ("value", "high")}
            d["value"], d["high"], d["approx"] = r["new_value"]["value"], r["new_value"]["high"], False
        out.append(d)

    def said(d: dict) -> str:  # type: ignore[type-arg]
        r = d["reviewed"]
        if r and r["action"] == "reject":
            return f"{say_figure(d)} (rejected by {r['by']})"
        was = r["extracted"] if r else None
        return say_reviewed_value(say_figure(d), [say_figure({**d, **was})] if was else [])

    if as_json:
        for d in out:
            typer.echo(json.dumps(d, ensure_ascii=False))
    else:
        for line in table_lines(("Kind", "Value", "Per", "Words", "Source"),
                                [(d["kind"], said(d), d["per"] or "", one_line(d["text"]), d["outlet"] or d["source"])
                                 for d in out], right=(1,)):
            typer.echo(line)
    if cut:
        typer.echo(f"showing the first {limit} figures; more match (raise --limit to see them)", err=True)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to find in titles and texts.")],
    db: DbOpt = Path("ledger.db"),
    limit: Annotated[int, typer.Option(min=1, help="At most this many documents.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Full-text search of the stored documents (SQLite FTS5).

    Example: eventledger search "curfew downtown"
    """
    from eventledger.clitext import one_line, table_lines

    store = _open(db)
    try:
        with failures():
            rows = store.search(text, limit + 1)
    finally:
        store.close()
    cut = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        typer.echo(f"no documents match {text!r}", err=True)
        return
    if as_json:
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False))
    else:
        for line in table_lines(("ID", "Source", "Title", "Words"),
                                [(r["id"][:12], r["outlet"] or r["source"], one_line(r["title"]) or "-",
                                  one_line(r["snippet"])) for r in rows]):
            typer.echo(line)
    if cut:
        typer.echo(f"showing the first {limit} documents; more match (raise --limit to see them)", err=True)


KeyOpt = Annotated[Optional[Path], typer.Option(
    "--key", envvar="EVENTLEDGER_KEY",
    help="The ledger's Ed25519 private key (PEM). Default: <ledger>.key beside an SQLite ledger, made when"
         " missing; a PostgreSQL ledger needs --key or $EVENTLEDGER_KEY.")]


@app.command()
def verify(
    db: DbOpt = Path("ledger.db"),
    checkpoint: Annotated[Optional[list[Path]], typer.Option(
        "--checkpoint", help="A checkpoint saved earlier (`eventledger checkpoint`): prove the ledger still holds"
                             " exactly the log it covered. Repeat for several.")] = None,
) -> None:
    """Check every stored value against the log, its hash chain, its own hash or what it is
    derived from, and the signed checkpoints; report anything changed, one line each.

    Exit status 0 when the ledger verifies clean, 1 when something was tampered with or the
    file is damaged, empty or not a ledger. docs/verify.md says what this proves and what
    it cannot.

    Example: eventledger verify --db ledger.db --checkpoint saved/ledger-1200.checkpoint.json
    """
    from eventledger.store.backend import display_location, is_postgres
    from eventledger.store.audit import verify_location

    if not is_postgres(db) and not Path(db).exists():
        typer.echo(f"error: {db}: no ledger here", err=True)
        raise typer.Exit(2)
    cps = []
    try:
        from eventledger.store.checkpoint import read_checkpoint

        cps = [(str(p), read_checkpoint(p)) for p in checkpoint or []]
    except EventLedgerError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    try:
        problems, n = verify_location(str(db), checkpoints=cps)
    except EventLedgerError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    for p in problems:
        typer.echo(p)
    if problems:
        typer.echo(f"{len(problems)} problem(s) found in {display_location(db)}", err=True)
        raise typer.Exit(1)
    extra = f", consistent with {len(cps)} checkpoint(s)" if cps else ""
    typer.echo(f"ok: {n['documents']} sources and {n['log']} log entries verified{extra}")


@app.command()
def checkpoint(
    db: DbOpt = Path("ledger.db"),
    key: KeyOpt = None,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Write the checkpoint here (default: standard output).")] = None,
) -> None:
    """Sign the log's current Merkle tree head (size and root hash) with the ledger's Ed25519 key.

    Keep the checkpoint somewhere the ledger's operator cannot change (mail it, commit it,
    publish it): `eventledger verify --checkpoint FILE` later proves the ledger still holds
    exactly the log it covered. The checkpoint is also stored in the ledger and served by
    the web app at /api/checkpoint; the public key at /api/public-key.

    Example: eventledger checkpoint --db ledger.db -o ledger-$(date +%F).checkpoint.json
    """
    from eventledger.signing import load_or_create_key
    from eventledger.store.backend import is_postgres
    from eventledger.store.checkpoint import make_checkpoint

    store = _open(db)
    try:
        if key is not None:
            if not str(key).endswith(".key"):
                raise EventLedgerError(f"{key}: a key file is named NAME.key (its public half: NAME.pub)")
            k, made = load_or_create_key(Path(str(key)).with_suffix(""))
            if made:
                typer.echo(f"made the ledger's signing key {key}; public key: {k.public_line}", err=True)
        elif is_postgres(db):
            raise EventLedgerError("a PostgreSQL ledger's key is not beside a file: give --key PATH.key"
                                   " (or set EVENTLEDGER_KEY)")
        else:
            k, made = load_or_create_key(db)
            if made:
                typer.echo(f"made the ledger's signing key {db}.key; public key ({db}.pub): {k.public_line}", err=True)
        cp = make_checkpoint(store, k)
    except EventLedgerError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from e
    finally:
        store.close()
    text = json.dumps(cp, indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"checkpoint of {cp['tree_size']} log entries written to {output}", err=True)
    else:
        typer.echo(text, nl=False)


EXPORT_HELP = (
    "csv: ACLED-style columns, one row per event; "
    "jsonl: the records of spec/ledger.md, one a line; "
    "geojson: one Point feature per event with coordinates; "
    "ftm: FollowTheMoney entities (JSON Lines) for Aleph; "
    "plover: PLOVER-style event records (JSON Lines); "
    "datapackage: a Frictionless data package, events.csv and datapackage.json in the folder -o DIR; "
    "datasette: Datasette metadata for this ledger (labelled tables, facets, canned queries), for datasette LEDGER -m FILE.")
ExportFormat = Literal["csv", "jsonl", "geojson", "ftm", "plover", "datapackage", "datasette"]


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help=EXPORT_HELP)] = "csv",
    db: DbOpt = Path("ledger.db"),
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Write to this file instead of standard output (datapackage: this folder).")] = None,
    type_: Annotated[Optional[str], typer.Option("--type", help="PLOVER type, e.g. COERCE.")] = None,
    mode: Annotated[Optional[str], typer.Option(help="PLOVER mode, e.g. arrest.")] = None,
    place: Annotated[Optional[str], typer.Option(help="Place: an id, name or alias the ledger knows.")] = None,
    actor: Annotated[Optional[str], typer.Option(help="Actor: an id, name or alias the ledger knows.")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Only events reported by this outlet.")] = None,
    since: Annotated[Optional[str], typer.Option("--from", help="Earliest date, YYYY[-MM[-DD]].")] = None,
    until: Annotated[Optional[str], typer.Option("--to", help="Latest date, YYYY[-MM[-DD]].")] = None,
    story: Annotated[Optional[str], typer.Option(help="Only the events of this story (from `eventledger stories`).")] = None,
    limit: Annotated[Optional[int], typer.Option(help="At most this many events (default: all).")] = None,
    rejected: RejectedOpt = "exclude",
) -> None:
    """Export ledger events, newest first, for spreadsheets, GIS tools, Aleph, Datasette and programs.

    CSV has one row per event: the columns of ACLED event data (event_id_cnty,
    event_date, time_precision, event_type, actor1, admin1, latitude,
    geo_precision, source, notes, fatalities, ...), then ours (reports,
    independent_sources, figures, figure_conflict, document_ids, review_status,
    label, headline).
    GeoJSON leaves out events without coordinates and counts them in
    "skipped_no_coordinates". ftm and plover write one JSON object a line;
    datapackage writes the CSV and its Frictionless descriptor into the folder -o DIR;
    datasette writes the metadata that labels this ledger's tables (no filters).
    The filters, and the order, are those of `eventledger events` and the web app.
    Reviews carry through: corrected values are exported, marked, with the
    extracted ones beside them (CSV column "extracted", JSON "reviewed");
    rejected events are left out unless --rejected mark.
    docs/exports.md describes every format.

    Example: eventledger export --format csv --type COERCE -o coerce.csv
    """
    import os
    import tempfile
    from dataclasses import replace

    from eventledger.export import ExportResult, export_events

    if fmt == "datapackage" and output is None:
        usage("--format datapackage writes a folder: give it with -o DIR")
    if fmt == "datasette" and any(x is not None for x in (type_, mode, place, actor, outlet, since, until, story, limit)):
        usage("--format datasette describes the whole ledger's tables: filters and --limit do not apply")
    store = _open(db)
    try:
        with failures():
            selection = _event_filters(store, type_, mode, place, actor, outlet, since, until, story)
            if rejected == "mark":
                selection = replace(selection, rejected="show")

            def write(out) -> ExportResult:  # type: ignore[no-untyped-def]
                if fmt == "datasette":
                    from eventledger.exports.datasette import datasette_metadata

                    name = Path(str(db)).stem if Path(str(db)).suffix else "ledger"
                    out.write(json.dumps(datasette_metadata(store.profile, db_name=name), indent=2, ensure_ascii=False) + "\n")
                    return ExportResult(0)
                return export_events(store, fmt, out, selection, limit=limit)

            if fmt == "datapackage":
                from eventledger.exports.datapackage import export_datapackage

                assert output is not None
                res = export_datapackage(store, output, selection, limit=limit)
            elif output is None:
                res = write(sys.stdout)
            else:  # write a temporary file beside the output, then rename: no half-written exports
                fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
                try:
                    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                        res = write(out)
                    umask = os.umask(0)
                    os.umask(umask)
                    os.chmod(tmp, 0o666 & ~umask)
                    os.replace(tmp, output)
                except BaseException:
                    os.unlink(tmp)
                    raise
    except OSError as e:
        fail(f"cannot write {output or 'standard output'}: {e.strerror or e}")
    finally:
        store.close()
    if fmt == "datasette":
        typer.echo("wrote Datasette metadata" + (f" to {output}" if output else ""), err=True)
        return
    skipped = f" ({res.skipped_no_coordinates} without coordinates left out)" if res.skipped_no_coordinates else ""
    if res.rejected_left_out:
        skipped += (f" ({res.rejected_left_out} rejected by a reviewer left out; --rejected mark keeps"
                    f" {'it' if res.rejected_left_out == 1 else 'them'})")
    typer.echo(f"exported {res.written} events as {fmt}{skipped}" + (f" to {output}" if output else ""), err=True)


@app.command()
def reviews(
    db: DbOpt = Path("ledger.db"),
    event: Annotated[Optional[str], typer.Option(help="Only the reviews of this ledger event and its values.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many reviews.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON Lines (each review with its sentence) instead of sentences.")] = False,
) -> None:
    """List reviews, newest first, as sentences: "rita corrected arrests from 76 to 78,
    12 June 2025, because ...", each with its log entry (number and hash) for verify.

    Example: eventledger reviews --event ev-0123456789abcdef
    """
    from eventledger.reviewed import say_reviews
    from eventledger.store.names import has_event
    from eventledger.store.review import recent_reviews, reviews_for_event

    store = _open(db)
    try:
        with failures():
            if event is not None and not has_event(store, event):
                usage(f"no event {event} in the ledger (`eventledger events` lists them)")
            rows = (list(reversed(reviews_for_event(store, event))) if event
                    else recent_reviews(store, limit + 1, 0))
            cut = len(rows) > limit
            said = say_reviews(store, rows[:limit])
    finally:
        store.close()
    if cut:
        typer.echo(f"showing the newest {limit} reviews; there are more (raise --limit)", err=True)
    if not said:
        typer.echo("no reviews" + (f" of {event}" if event else " yet"), err=True)
        return
    for r in said:
        if as_json:
            typer.echo(json.dumps(r, ensure_ascii=False))
        else:
            typer.echo(f"{r['sentence']}.  [log #{r['log_seq']} {r['log_hash'][:12]}]")


# ---- the web app and its reviewers -----------------------------------------------------------

@app.command()
def serve(
    db: DbOpt = Path("ledger.db"),
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    tiles: Annotated[str, typer.Option(
        "--tiles", envvar="EVENTLEDGER_TILE_URL",
        help="Map tile URL template ({z}/{x}/{y}) drawn over the map's built-in state and country outlines, "
             "the only thing the pages would fetch from outside; none by default, so maps work offline.")] = "",
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        "--allowed-host", help="A host name the app answers to besides localhost and --host (repeat; '*' for any).")] = None,
    trusted_proxy: Annotated[Optional[list[str]], typer.Option(
        "--trusted-proxy", help="Address of a reverse proxy whose X-Forwarded-For/-Proto are believed (repeat).")] = None,
    profile: ProfileOpt = None,
    settings: SettingsOpt = None,
) -> None:
    """Serve the ledger as a web app: overview, events, dossiers, sources, entities, reviews.

    Pages work without JavaScript (except the maps); the JSON API is described at
    /api/openapi.json. Reviewers (see `eventledger user add`) log in to confirm, reject or
    correct values; anyone else can only read. Sessions are signed with
    $EVENTLEDGER_SECRET_KEY (random when unset: sessions end when the server stops).

    Only the Host names localhost, 127.0.0.1, ::1, --host and --allowed-host are answered (a
    page on another site cannot read the ledger through DNS rebinding). Behind a reverse
    proxy, name it with --trusted-proxy so the login limit counts the real client addresses
    and cookies are Secure when the proxy speaks HTTPS.

    Example: eventledger serve --db ledger.db --port 8000
    """
    import uvicorn

    from eventledger.settings import load_settings
    from eventledger.web import WebSettings, create_app, vendor_missing

    store = _open(db, profile)
    try:
        with failures():
            hosts = ("127.0.0.1", "localhost", "::1", *([host] if host not in ("0.0.0.0", "::") else []),
                     *(h.lower() for h in allowed_host or []))
            web = WebSettings(tile_url=tiles, allowed_hosts=tuple(dict.fromkeys(hosts)),
                              trusted_proxies=tuple(trusted_proxy or ()))
            application = create_app(store, store.profile, load_settings(settings), web)
    except BaseException:
        store.close()
        raise
    if vendor_missing():
        typer.echo("warning: map library not installed, pages are served without maps (run scripts/build-web.sh)", err=True)
    from eventledger.store.backend import display_location

    typer.echo(f"serving {display_location(db)} at http://{host}:{port}/ (Ctrl-C stops)", err=True)  # no password shown
    try:
        # forwarded headers are read by the app, from --trusted-proxy only (uvicorn's own reading
        # believes any local client)
        uvicorn.run(application, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)
    finally:
        store.close()


user_app = typer.Typer(
    help="Reviewer accounts of the web app.\n\nExample: eventledger user add alice --db ledger.db",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Login name: letters, digits, '.', '_' or '-'.")],
    db: DbOpt = Path("ledger.db"),
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Set a new password for an existing reviewer.")] = False,
) -> None:
    """Add a reviewer who can log in to the web app; the password is asked for, hidden.

    The password is stored as an argon2id hash; the account is logged in the ledger's log.

    Example: eventledger user add alice --db ledger.db
    """
    from eventledger.store.review import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    store = _open(db)
    try:
        with failures():
            add_user(store, name, password, replace=replace)
    finally:
        store.close()
    typer.echo(f"reviewer {name} {'updated' if replace else 'added'}", err=True)


@user_app.command("list")
def user_list(
    db: DbOpt = Path("ledger.db"),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON Lines instead of a table.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Also list removed reviewers.")] = False,
) -> None:
    """List the reviewers: name, when added, how many reviews, whether removed.

    Example: eventledger user list --db ledger.db
    """
    from eventledger.clitext import table_lines
    from eventledger.store.review import list_users

    store = _open(db)
    try:
        with failures():
            users = [u for u in list_users(store) if all_ or u["active"]]
    finally:
        store.close()
    if not users:
        typer.echo("no reviewers" + ("" if all_ else " (`eventledger user add NAME` adds one)"), err=True)
        return
    if as_json:
        for u in users:
            typer.echo(json.dumps(u, ensure_ascii=False))
        return
    for line in table_lines(("Name", "Added", "Reviews", "Status"),
                            [(u["name"], u["created_at"][:10], u["reviews"], "active" if u["active"] else "removed")
                             for u in users], right=(2,)):
        typer.echo(line)


@user_app.command("remove")
def user_remove(
    name: Annotated[str, typer.Argument(help="The reviewer's login name.")],
    db: DbOpt = Path("ledger.db"),
) -> None:
    """Remove a reviewer: they can no longer log in; their reviews stay, signed with their name.

    The removal is logged in the ledger's log; `user add NAME --replace` restores the account
    with a new password.

    Example: eventledger user remove alice --db ledger.db
    """
    from eventledger.clitext import pick_name
    from eventledger.store.review import list_users, remove_user

    store = _open(db)
    try:
        with failures():
            name = pick_name("reviewer", name, {u["name"]: u["name"] for u in list_users(store)}) or name
            remove_user(store, name)
    finally:
        store.close()
    typer.echo(f"reviewer {name} removed", err=True)


def _keep_examples_whole(typer_app: typer.Typer) -> None:
    """Mark each command's `Example:` paragraph for click to print as written (`\\b`), so a
    long example is never wrapped into a command that cannot be copied."""
    for info in typer_app.registered_commands:
        doc = info.callback.__doc__ if info.callback else None
        if doc and "\n    Example: " in doc and "\b\n    Example: " not in doc:
            info.callback.__doc__ = doc.replace("\n    Example: ", "\n    \b\n    Example: ")  # type: ignore[union-attr]
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _keep_examples_whole(group.typer_instance)


from eventledger.kit.cli import register as _register_kit  # noqa: E402  the accountability kit (issue 10)

_register_kit(app)

_keep_examples_whole(app)  # last: after every command and group is registered
