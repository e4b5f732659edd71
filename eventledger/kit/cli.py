"""Commands of the accountability kit, registered on the main app by :func:`register`.

    exhibit add|list|show|link|cite|export|correct|release
    capture URL...
    request add|list|update|link|ics
    register parcels|add-site|show
    dossier EVENT --pdf FILE --package FILE.zip
    verify-package FILE.zip --key LEDGER.pub

Only typer and the standard library are imported here; each command imports what it uses,
so `eventledger --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

__all__ = ["register"]

DbOpt = Annotated[str, typer.Option(
    "--db", help="The ledger: an SQLite file, or a PostgreSQL database as postgresql://user:pw@host/dbname.",
    envvar="EVENTLEDGER_DB")]
ByOpt = Annotated[str, typer.Option("--by", help="Who does this (a name, recorded in the log).", envvar="EVENTLEDGER_USER")]
WhyOpt = Annotated[Optional[str], typer.Option("--why", "--note", help="Why (recorded in the log).")]
EventOpt = Annotated[Optional[str], typer.Option("--event", help="A ledger event id (ev-...).")]
StoryOpt = Annotated[Optional[str], typer.Option("--story", help="A story id.")]

exhibit_app = typer.Typer(help="Exhibits: files kept unchanged with a chain of custody.\n\n"
                               "Example: eventledger exhibit add photo.jpg --event ev-1a2b --by maria --note 'from the 5th St lot'",
                          no_args_is_help=True)
request_app = typer.Typer(help="Public-records requests (FOIA, CPRA) and their statutory deadlines.\n\n"
                               "Example: eventledger request list --overdue", no_args_is_help=True)
register_app = typer.Typer(help="The staging-site register: past sites, on whose land, with evidence.\n\n"
                                "Example: eventledger register show --format csv -o sites.csv", no_args_is_help=True)


def _fail(msg: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {msg}", err=True)
    return typer.Exit(code)


def _open(db: str):  # type: ignore[no-untyped-def]
    from eventledger.cli import _open as open_ledger

    return open_ledger(db)


def _need_by(by: str | None) -> str:
    if not by or not by.strip():
        raise _fail("--by NAME is required: every action on the kit names who did it", 2)
    return by.strip()


# ---- exhibits -------------------------------------------------------------------------------

@exhibit_app.command("add")
def exhibit_add(
    files: Annotated[list[Path], typer.Argument(help="Photos, recordings, PDFs, text files, WARC archives.")],
    by: ByOpt = "",
    event: EventOpt = None,
    story: StoryOpt = None,
    request: Annotated[Optional[str], typer.Option("--request", help="A records request id (rr-N) this answers.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What it is and why it is added (logged).")] = None,
    source_url: Annotated[Optional[str], typer.Option("--source-url", help="Where it was collected from.")] = None,
    device: Annotated[Optional[str], typer.Option("--device", help="The device that made it (phone, camera).")] = None,
    collected_at: Annotated[Optional[str], typer.Option("--collected-at", help="When it was collected (ISO date or time).")] = None,
    collected_by: Annotated[Optional[str], typer.Option("--collected-by", help="Who collected it (default: --by).")] = None,
    db: DbOpt = "ledger.db",
) -> None:
    """Store files unchanged as exhibits (content-addressed by SHA-256), read their metadata,
    make a PDF's or text file's text a ledger document, link them and log it all.

    A bad file is reported on one line and the others are still added (exit status 1).

    Example: eventledger exhibit add response.pdf --request rr-1 --event ev-1a2b --by maria --note "FOIA reply"
    """
    from eventledger.kit.exhibits import add_exhibits

    who = _need_by(by)
    store = _open(db)
    try:
        done, errors = add_exhibits(store, files, who, note=note, event=event, story=story, request=request,
                                    source_url=source_url, device=device, collected_at=collected_at, collected_by=collected_by)
    finally:
        store.close()
    for x in done:
        typer.echo(f"{x.sha256}  {x.filename}  {x.media_type}" + ("" if x.added else "  (already an exhibit)")
                   + (f"  text: document {x.document_id[:12]}" if x.document_id else ""))
    for e in errors:
        typer.echo(f"error: {e}", err=True)
    if errors:
        raise typer.Exit(1)


@exhibit_app.command("list")
def exhibit_list(event: EventOpt = None, story: StoryOpt = None, db: DbOpt = "ledger.db",
                 as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False) -> None:
    """List exhibits (of one event or story).

    Example: eventledger exhibit list --event ev-1a2b
    """
    from eventledger.store import kit as sk

    store = _open(db)
    try:
        kind, target = ("event", event) if event else (("story", story) if story else (None, None))
        rows = sk.list_exhibits(store, kind, target)
    finally:
        store.close()
    for x in rows:
        typer.echo(json.dumps(x, ensure_ascii=False) if as_json else
                   f"{x['sha256'][:16]}  {x['added_at']}  {x['media_type']:18} {x['filename']}")


@exhibit_app.command("show")
def exhibit_show(ref: Annotated[str, typer.Argument(help="SHA-256 or its first 8+ hex digits.")], db: DbOpt = "ledger.db") -> None:
    """Print an exhibit's record, links and chain of custody as JSON (location included: this is the
    ledger's own user, not the public).

    Example: eventledger exhibit show 3f2a9c1d
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.exhibits import resolve
    from eventledger.store import kit as sk

    store = _open(db)
    try:
        ex = resolve(store, ref)
        out = {**ex, "links": sk.exhibit_links(store, ex["sha256"]), "custody": sk.custody_log(store, f"exhibit:{ex['sha256']}")}
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    typer.echo(json.dumps(out, indent=2, ensure_ascii=False))


@exhibit_app.command("link")
def exhibit_link(ref: Annotated[str, typer.Argument(help="SHA-256 or its first 8+ hex digits.")], by: ByOpt = "",
                 event: EventOpt = None, story: StoryOpt = None,
                 request: Annotated[Optional[str], typer.Option("--request", help="A records request id.")] = None,
                 why: WhyOpt = None, db: DbOpt = "ledger.db") -> None:
    """Link an exhibit to an event, a story or a records request (logged).

    Example: eventledger exhibit link 3f2a9c1d --event ev-1a2b --by maria --why "same lot, same morning"
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.exhibits import link

    who = _need_by(by)
    store = _open(db)
    try:
        made = link(store, ref, who, why, event=event, story=story, request=request)
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    typer.echo(f"linked to {', '.join(made)}" if made else "already linked", err=True)


@exhibit_app.command("cite")
def exhibit_cite(ref: Annotated[str, typer.Argument(help="SHA-256 or its first 8+ hex digits of a PDF or text exhibit.")],
                 quote: Annotated[str, typer.Option("--quote", help="Words of the sentence to cite (found in the exhibit's text).")],
                 by: ByOpt = "", event: EventOpt = None, story: StoryOpt = None, why: WhyOpt = None,
                 db: DbOpt = "ledger.db") -> None:
    """Cite a sentence of an exhibit's text for an event or story, by its character span.

    Example: eventledger exhibit cite 3f2a9c1d --quote "no records of the operation" --event ev-1a2b --by maria
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.exhibits import cite

    who = _need_by(by)
    store = _open(db)
    try:
        c = cite(store, ref, quote, who, why, event=event, story=story)
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    typer.echo(f"cited document {c['document_id']} characters {c['start']}-{c['end']}: {c['text']}")


@exhibit_app.command("export")
def exhibit_export(ref: Annotated[str, typer.Argument(help="SHA-256 or its first 8+ hex digits.")],
                   output: Annotated[Path, typer.Option("-o", "--output", help="Write the original bytes here.")],
                   by: ByOpt = "", why: WhyOpt = None, db: DbOpt = "ledger.db") -> None:
    """Write an exhibit's original bytes to a file (checked against its SHA-256; logged).

    Example: eventledger exhibit export 3f2a9c1d -o photo.jpg --by maria --why "for counsel"
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.exhibits import export_exhibit

    who = _need_by(by)
    store = _open(db)
    try:
        ex = export_exhibit(store, ref, output, who, why or "")
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    typer.echo(f"wrote {output} ({ex['size']} bytes, SHA-256 {ex['sha256']})", err=True)


@exhibit_app.command("correct")
def exhibit_correct(ref: Annotated[str, typer.Argument(help="SHA-256 or its first 8+ hex digits.")], by: ByOpt = "",
                    why: Annotated[str, typer.Option("--why", help="Why the record was wrong (required; logged).")] = "",
                    source_url: Annotated[Optional[str], typer.Option("--source-url")] = None,
                    device: Annotated[Optional[str], typer.Option("--device")] = None,
                    collected_by: Annotated[Optional[str], typer.Option("--collected-by")] = None,
                    collected_at: Annotated[Optional[str], typer.Option("--collected-at")] = None,
                    note: Annotated[Optional[str], typer.Option("--note")] = None,
                    db: DbOpt = "ledger.db") -> None:
    """Correct how an exhibit was collected (never its bytes); the old values stay in the log.

    Example: eventledger exhibit correct 3f2a9c1d --collected-at 2025-06-08T07:40-07:00 --by maria --why "phone clock was UTC"
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.exhibits import correct

    who = _need_by(by)
    store = _open(db)
    try:
        old = correct(store, ref, who, why, source_url=source_url, device=device, collected_by=collected_by,
                      collected_at=collected_at, note=note)
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    typer.echo(f"corrected; was {json.dumps(old, ensure_ascii=False)}", err=True)


@exhibit_app.command("release")
def exhibit_release(ref: Annotated[str, typer.Argument(help="SHA-256 or its first 8+ hex digits.")], by: ByOpt = "",
                    why: Annotated[str, typer.Option("--why", help="Why it may be published (required; logged).")] = "",
                    withhold: Annotated[bool, typer.Option("--withhold", help="Withhold it again.")] = False,
                    db: DbOpt = "ledger.db") -> None:
    """Release a photo's original (its location and anyone in it) for the web app, or withhold it again.

    Example: eventledger exhibit release 3f2a9c1d --by rita --why "no one identifiable; location is public record"
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.exhibits import release

    who = _need_by(by)
    store = _open(db)
    try:
        release(store, ref, who, why, released=not withhold)
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    typer.echo("withheld" if withhold else "released", err=True)


# ---- captures -------------------------------------------------------------------------------

def capture(
    warc: Annotated[Path, typer.Option("--warc", help="The WARC archive to write (a new file, .warc.gz).")],
    urls: Annotated[Optional[list[str]], typer.Argument(help="http(s) URLs of cited pages (default: the sources of --event or --story).")] = None,
    by: ByOpt = "",
    event: EventOpt = None,
    story: StoryOpt = None,
    delay: Annotated[float, typer.Option("--delay", help="Seconds between two requests to one host.")] = 2.0,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Largest page accepted.")] = 10 * 1024 * 1024,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per page.")] = 20.0,
    user_agent: Annotated[Optional[str], typer.Option("--user-agent", help="Say who you are (default names eventledger).")] = None,
    db: DbOpt = "ledger.db",
) -> None:
    """Capture cited pages politely into a WARC archive, ingest them, and keep the archive as an exhibit.

    robots.txt is obeyed; one host is asked at most once per --delay seconds; pages over
    --max-bytes or --timeout are skipped and reported. Without URLs, the pages captured are
    the sources (with a URL) of the --event, or of every event of the --story.

    Example: eventledger capture https://example.org/news/raid.html --warc raid.warc.gz --by maria --event ev-1a2b
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.capture import DEFAULT_AGENT, CaptureOptions, capture_to_warc, ingest_warc
    from eventledger.kit.exhibits import add_exhibit

    who = _need_by(by)
    opts = CaptureOptions(user_agent=user_agent or DEFAULT_AGENT, delay_s=delay, max_bytes=max_bytes, timeout_s=timeout)
    store = _open(db)
    failed = False
    try:
        if not urls:
            from eventledger.store.kit import event_exists, source_urls, story_event_ids

            ids = ([event] if event and event_exists(store, event) else []) + (story_event_ids(store, story) if story else [])
            urls = source_urls(store, ids)
            if not urls:
                raise _fail("no URLs given, and no sources with a URL for --event/--story", 2)
        res = capture_to_warc(urls, warc, opts)
        for url, reason in res.skipped:
            typer.echo(f"error: {url}: skipped: {reason}", err=True)
            failed = True
        for url, status, n in res.captured:
            typer.echo(f"captured {url} ({status}, {n} bytes)", err=True)
        if res.captured:
            def on_error(m: str) -> None:
                typer.echo(f"error: {m}", err=True)
            added, stored = ingest_warc(store, warc, on_error)
            ex = add_exhibit(store, warc, who, note=f"capture of {len(res.captured)} page(s)", event=event, story=story,
                             source_url=res.captured[0][0] if len(res.captured) == 1 else None, device="eventledger capture")
            typer.echo(f"{ex.sha256}  {warc.name}: {added} document(s) added, {stored} already stored")
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    if failed:
        raise typer.Exit(1)


# ---- records requests ----------------------------------------------------------------------

@request_app.command("add")
def request_add(
    agency: Annotated[str, typer.Option("--agency", help="The agency asked (e.g. 'U.S. Immigration and Customs Enforcement').")],
    law: Annotated[Literal["foia", "cpra"], typer.Option("--law", help="foia (federal) or cpra (California).")],
    filed: Annotated[str, typer.Option("--filed", help="The day the agency received it, YYYY-MM-DD.")],
    subject: Annotated[str, typer.Option("--subject", help="What was asked for.")],
    by: ByOpt = "",
    tracking: Annotated[Optional[str], typer.Option("--tracking", help="The agency's tracking number.")] = None,
    event: Annotated[list[str], typer.Option("--event", help="A ledger event it concerns (repeatable).")] = [],  # noqa: B006
    story: Annotated[list[str], typer.Option("--story", help="A story it concerns (repeatable).")] = [],  # noqa: B006
    note: Annotated[Optional[str], typer.Option("--note")] = None,
    db: DbOpt = "ledger.db",
) -> None:
    """Record a public-records request and compute its statutory deadline.

    Example: eventledger request add --agency "ICE" --law foia --filed 2025-12-19 --subject "staging records, June 2025" --by maria
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.requests import add_request, list_requests_with_deadlines

    who = _need_by(by)
    store = _open(db)
    try:
        rid = add_request(store, agency, law, filed, subject, who, tracking, event, story, note)
        r = next(x for x in list_requests_with_deadlines(store) if x["id"] == rid)
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    typer.echo(f"{rid}  due {r['due']}  ({r['basis']})")


@request_app.command("list")
def request_list(overdue: Annotated[bool, typer.Option("--overdue", help="Only requests past their deadline and unanswered.")] = False,
                 today: Annotated[Optional[str], typer.Option("--today", help="Judge deadlines as of this day (YYYY-MM-DD).")] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
                 db: DbOpt = "ledger.db") -> None:
    """List records requests with their due dates; overdue ones are marked OVERDUE.

    Example: eventledger request list --overdue
    """
    from datetime import date

    from eventledger.kit.requests import list_requests_with_deadlines

    try:
        day = date.fromisoformat(today) if today else None
    except ValueError as e:
        raise _fail(f"--today must be YYYY-MM-DD, not {today!r}", 2) from e
    store = _open(db)
    try:
        rows = list_requests_with_deadlines(store, day, overdue_only=overdue)
    finally:
        store.close()
    for r in rows:
        if as_json:
            typer.echo(json.dumps(r, ensure_ascii=False))
        else:
            flag = "OVERDUE" if r["overdue"] else ("closed" if r["status"] in ("produced", "denied") else f"{r['days_left']}d left")
            typer.echo(f"{r['id']:6} {r['law'].upper():4} filed {r['filed']} due {r['due']} {flag:9} {r['status']:12} "
                       f"{r['agency']}: {r['subject']}")


@request_app.command("update")
def request_update(rid: Annotated[str, typer.Argument(help="The request id (rr-N).")],
                   status: Annotated[Literal["acknowledged", "extended", "partial", "produced", "denied", "appealed"],
                                     typer.Option("--status", help="What happened.")],
                   on: Annotated[str, typer.Option("--date", help="When it happened, YYYY-MM-DD.")],
                   by: ByOpt = "", note: Annotated[Optional[str], typer.Option("--note")] = None,
                   db: DbOpt = "ledger.db") -> None:
    """Record what happened to a request; 'extended' moves the deadline by the statute's extension.

    Attach the agency's letter with `eventledger exhibit add LETTER.pdf --request rr-N`.

    Example: eventledger request update rr-1 --status extended --date 2026-01-12 --by maria --note "unusual circumstances letter"
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.requests import list_requests_with_deadlines, update_request

    who = _need_by(by)
    store = _open(db)
    try:
        update_request(store, rid, status, on, who, note)
        r = next(x for x in list_requests_with_deadlines(store) if x["id"] == rid)
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    typer.echo(f"{rid}  {r['status']}  due {r['due']}" + ("  OVERDUE" if r["overdue"] else ""))


@request_app.command("link")
def request_link(rid: Annotated[str, typer.Argument(help="The request id (rr-N).")], by: ByOpt = "",
                 event: EventOpt = None, story: StoryOpt = None, why: WhyOpt = None, db: DbOpt = "ledger.db") -> None:
    """Link a request to a ledger event or a story.

    Example: eventledger request link rr-1 --event ev-1a2b --by maria
    """
    from eventledger.errors import EventLedgerError
    from eventledger.store.kit import link_request

    who = _need_by(by)
    if not event and not story:
        raise _fail("give --event or --story", 2)
    store = _open(db)
    try:
        link_request(store, rid, "event" if event else "story", event or story or "", who, why)
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()


@request_app.command("ics")
def request_ics(output: Annotated[Path, typer.Option("-o", "--output", help="The .ics file to write.")],
                db: DbOpt = "ledger.db") -> None:
    """Export the open requests' deadlines as an iCalendar file (one all-day event each).

    Example: eventledger request ics -o deadlines.ics
    """
    from eventledger.kit.requests import ical, list_requests_with_deadlines

    store = _open(db)
    try:
        data = ical(list_requests_with_deadlines(store))
    finally:
        store.close()
    try:
        output.write_bytes(data)
    except OSError as e:
        raise _fail(f"{output}: cannot write: {e.strerror or e}") from e


# ---- the staging-site register ----------------------------------------------------------------

@register_app.command("parcels")
def register_parcels(file: Annotated[Path, typer.Argument(help="Parcel layer: .geojson, a zipped shapefile, or a .shp (with .dbf/.shx beside it).")],
                     city_owner: Annotated[list[str], typer.Option("--city-owner", help="An owner name meaning city-owned (repeatable).")] = [],  # noqa: B006
                     owner_field: Annotated[Optional[str], typer.Option("--owner-field", help="The owner attribute (default: owner, owner_name...).")] = None,
                     by: ByOpt = "", why: WhyOpt = None, db: DbOpt = "ledger.db") -> None:
    """Load a parcel layer into the ledger; the register classifies sites against the latest one.

    Example: eventledger register parcels parcels.geojson --city-owner "City of Fresno" --by maria
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.register import load_layer

    who = _need_by(by)
    store = _open(db)
    try:
        info = load_layer(store, file, who, owner_field, city_owner, why)
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    typer.echo(f"{info['parcels']} parcels ({info['city_owned']} city-owned), owner attribute {info['owner_field']!r};"
               f" SHA-256 {info['sha256']}", err=True)


@register_app.command("add-site")
def register_add_site(name: Annotated[str, typer.Option("--name", help="What the place is called (a lot, a park, a facility).")],
                      occurred: Annotated[str, typer.Option("--occurred", help="The past day agents staged there, YYYY-MM-DD.")],
                      by: ByOpt = "",
                      lat: Annotated[Optional[float], typer.Option("--lat")] = None,
                      lon: Annotated[Optional[float], typer.Option("--lon")] = None,
                      uncertainty: Annotated[Optional[float], typer.Option("--uncertainty", help="How far off the point may be, metres.")] = None,
                      event: EventOpt = None,
                      exhibit: Annotated[Optional[str], typer.Option("--exhibit", help="An exhibit that shows it (SHA-256 prefix).")] = None,
                      note: Annotated[Optional[str], typer.Option("--note")] = None,
                      db: DbOpt = "ledger.db") -> None:
    """Record a past staging site with its evidence (an event and/or an exhibit).

    Example: eventledger register add-site --name "Lot B, 5th St" --occurred 2025-06-08 --lat 36.74 --lon -119.78 --event ev-1a2b --by maria
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.register import add_site

    who = _need_by(by)
    store = _open(db)
    try:
        sid = add_site(store, name, occurred, who, lat, lon, uncertainty, event, exhibit, note)
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    typer.echo(sid)


@register_app.command("show")
def register_show(fmt: Annotated[Literal["table", "csv", "geojson"], typer.Option("--format", "-f")] = "table",
                  output: Annotated[Optional[Path], typer.Option("-o", "--output")] = None,
                  db: DbOpt = "ledger.db") -> None:
    """The register: every site classified city-owned, private (owner named) or unknown.

    Example: eventledger register show --format geojson -o sites.geojson
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.register import register_csv, register_geojson, register_rows

    store = _open(db)
    try:
        rows, layer = register_rows(store)
    except EventLedgerError as e:
        raise _fail(str(e)) from e
    finally:
        store.close()
    if fmt == "csv":
        text = register_csv(rows)
    elif fmt == "geojson":
        text = json.dumps(register_geojson(rows, layer), indent=1, ensure_ascii=False) + "\n"
    else:
        text = "".join(f"{r['id']:8} {r['occurred']} {r['classification']:10} {(r['owner'] or '-')[:30]:30} "
                       f"{'' if r['distance_m'] is None else str(r['distance_m']) + ' m':>10}  {r['name']}\n" for r in rows)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


# ---- dossiers and packages --------------------------------------------------------------------

def dossier(
    event: Annotated[str, typer.Argument(help="A ledger event id (ev-...), or a story id (st-...) for all its events.")],
    pdf: Annotated[Optional[Path], typer.Option("--pdf", help="Print the dossier page to this PDF.")] = None,
    package: Annotated[Optional[Path], typer.Option("--package", help="Write a signed zip: originals, manifest, custody log.")] = None,
    by: ByOpt = "",
    why: WhyOpt = None,
    db: DbOpt = "ledger.db",
) -> None:
    """An event's or a story's dossier as a PDF and/or a signed package of its originals.

    The PDF is the web app's dossier page printed by headless Chromium. The package (a zip)
    holds the originals, a SHA-256 manifest, the custody log and an Ed25519 signature that
    `eventledger verify-package` checks with the ledger's public key.

    Example: eventledger dossier ev-1a2b --pdf dossier.pdf --package dossier.zip --by maria --why "for counsel"
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.dossier import fetch_page, render_pdf, served
    from eventledger.kit.package import build_package
    from eventledger.signing import key_paths, load_or_create_key
    from eventledger.store.backend import is_postgres

    if not pdf and not package:
        raise _fail("give --pdf FILE and/or --package FILE.zip", 2)
    who = _need_by(by) if package else (by or "")
    store = _open(db)
    store.close()  # the dossier is read by the web app's own connections
    try:
        if pdf:
            html = render_pdf(db, event, pdf)
            typer.echo(f"wrote {pdf}", err=True)
        if package:
            if is_postgres(db):
                raise _fail("packages are signed with the key beside an SQLite ledger file; a PostgreSQL ledger has none yet")
            if not pdf:
                with served(db) as base:
                    html = fetch_page(base, f"/kit/dossier/{event}")
            pdf_bytes = pdf.read_bytes() if pdf else None
            key, made = load_or_create_key(db)
            if made:
                typer.echo(f"made the ledger's signing key; its public half is {key_paths(db)[1]}: {key.public_line}", err=True)
            store = _open(db)
            try:
                info = build_package(store, event, package, key, who, why or "", html, pdf_bytes)
            finally:
                store.close()
            typer.echo(f"wrote {package}: {info['files']} files ({info['exhibits']} exhibits, {info['sources']} sources),"
                       f" {info['custody_entries']} custody entries; manifest SHA-256 {info['manifest_sha256']}", err=True)
    except EventLedgerError as e:
        raise _fail(str(e)) from e


def verify_package_cmd(
    file: Annotated[Path, typer.Argument(help="The package (.zip).")],
    key: Annotated[Optional[Path], typer.Option("--key", help="The signer's public key file (<ledger>.pub).")] = None,
) -> None:
    """Check a signed package: its manifest's signature and every file's SHA-256.

    Changed, missing and added files are named. Needs only the package and the ledger's
    public key (the .pub file beside the ledger), not the ledger.

    Exit status 0 when intact, 1 when anything is wrong.

    Example: eventledger verify-package dossier.zip --key ledger.db.pub
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.package import verify_package

    public = None
    if key is not None:
        try:
            public = key.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as e:
            raise _fail(f"{key}: cannot read the public key: {e}", 2) from e
    try:
        problems, info = verify_package(file, public)
    except EventLedgerError as e:
        raise _fail(str(e), 2) from e
    for p in problems:
        typer.echo(p)
    if problems:
        typer.echo(f"{len(problems)} problem(s) found in {file}", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {info['files']} files and {info['custody_entries']} custody entries match the manifest signed by key "
               f"{info['fingerprint'][:16]}…" + (" (the key inside the package: compare it with the ledger's published key,"
                                                 " or give --key)" if info["key_from_package"] else ""))


def register(app: typer.Typer) -> None:
    """Add the kit's commands to the main app."""
    app.add_typer(exhibit_app, name="exhibit")
    app.add_typer(request_app, name="request")
    app.add_typer(register_app, name="register")
    app.command("capture")(capture)
    app.command("dossier")(dossier)
    app.command("verify-package")(verify_package_cmd)
