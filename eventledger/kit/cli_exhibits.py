"""The kit's exhibit and capture commands (registered by kit/cli.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from eventledger.kit._cli_common import ByOpt, DbOpt, EventOpt, StoryOpt, WhyOpt
from eventledger.kit._cli_common import fail as _fail
from eventledger.kit._cli_common import ledger as _ledger
from eventledger.kit._cli_common import need_by as _need_by
from eventledger.kit._cli_common import open_ledger as _open

__all__ = ["capture", "exhibit_app"]

exhibit_app = typer.Typer(help="Exhibits: files kept unchanged with a chain of custody.\n\n"
                               "Example: eventledger exhibit add photo.jpg --event ev-1a2b --by maria --note 'from the 5th St lot'",
                          no_args_is_help=True)
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
    from eventledger.kit.exhibits import resolve
    from eventledger.store import kit as sk

    with _ledger(db) as store:
        ex = resolve(store, ref)
        out = {**ex, "links": sk.exhibit_links(store, ex["sha256"]), "custody": sk.custody_log(store, f"exhibit:{ex['sha256']}")}
    typer.echo(json.dumps(out, indent=2, ensure_ascii=False))


@exhibit_app.command("link")
def exhibit_link(ref: Annotated[str, typer.Argument(help="SHA-256 or its first 8+ hex digits.")], by: ByOpt = "",
                 event: EventOpt = None, story: StoryOpt = None,
                 request: Annotated[Optional[str], typer.Option("--request", help="A records request id.")] = None,
                 why: WhyOpt = None, db: DbOpt = "ledger.db") -> None:
    """Link an exhibit to an event, a story or a records request (logged).

    Example: eventledger exhibit link 3f2a9c1d --event ev-1a2b --by maria --why "same lot, same morning"
    """
    from eventledger.kit.exhibits import link

    who = _need_by(by)
    with _ledger(db) as store:
        made = link(store, ref, who, why, event=event, story=story, request=request)
    typer.echo(f"linked to {', '.join(made)}" if made else "already linked", err=True)


@exhibit_app.command("cite")
def exhibit_cite(ref: Annotated[str, typer.Argument(help="SHA-256 or its first 8+ hex digits of a PDF or text exhibit.")],
                 quote: Annotated[str, typer.Option("--quote", help="Words of the sentence to cite (found in the exhibit's text).")],
                 by: ByOpt = "", event: EventOpt = None, story: StoryOpt = None, why: WhyOpt = None,
                 db: DbOpt = "ledger.db") -> None:
    """Cite a sentence of an exhibit's text for an event or story, by its character span.

    Example: eventledger exhibit cite 3f2a9c1d --quote "no records of the operation" --event ev-1a2b --by maria
    """
    from eventledger.kit.exhibits import cite

    who = _need_by(by)
    with _ledger(db) as store:
        c = cite(store, ref, quote, who, why, event=event, story=story)
    typer.echo(f"cited document {c['document_id']} characters {c['start']}-{c['end']}: {c['text']}")


@exhibit_app.command("export")
def exhibit_export(ref: Annotated[str, typer.Argument(help="SHA-256 or its first 8+ hex digits.")],
                   output: Annotated[Path, typer.Option("-o", "--output", help="Write the original bytes here.")],
                   by: ByOpt = "", why: WhyOpt = None, db: DbOpt = "ledger.db") -> None:
    """Write an exhibit's original bytes to a file (checked against its SHA-256; logged).

    Example: eventledger exhibit export 3f2a9c1d -o photo.jpg --by maria --why "for counsel"
    """
    from eventledger.kit.exhibits import export_exhibit

    who = _need_by(by)
    with _ledger(db) as store:
        ex = export_exhibit(store, ref, output, who, why or "")
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
    from eventledger.kit.exhibits import correct

    who = _need_by(by)
    with _ledger(db) as store:
        old = correct(store, ref, who, why, source_url=source_url, device=device, collected_by=collected_by,
                      collected_at=collected_at, note=note)
    typer.echo(f"corrected; was {json.dumps(old, ensure_ascii=False)}", err=True)


@exhibit_app.command("release")
def exhibit_release(ref: Annotated[str, typer.Argument(help="SHA-256 or its first 8+ hex digits.")], by: ByOpt = "",
                    why: Annotated[str, typer.Option("--why", help="Why it may be published (required; logged).")] = "",
                    withhold: Annotated[bool, typer.Option("--withhold", help="Withhold it again.")] = False,
                    db: DbOpt = "ledger.db") -> None:
    """Release a photo's original (its location and anyone in it) for the web app, or withhold it again.

    Example: eventledger exhibit release 3f2a9c1d --by rita --why "no one identifiable; location is public record"
    """
    from eventledger.kit.exhibits import release

    who = _need_by(by)
    with _ledger(db) as store:
        release(store, ref, who, why, released=not withhold)
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


