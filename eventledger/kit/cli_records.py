"""The kit's records-request and staging-site register commands (registered by kit/cli.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from eventledger.kit._cli_common import ByOpt, DbOpt, EventOpt, StoryOpt, WhyOpt
from eventledger.kit._cli_common import fail as _fail
from eventledger.kit._cli_common import ledger as _ledger
from eventledger.kit._cli_common import need_by as _need_by
from eventledger.kit._cli_common import open_ledger as _open

__all__ = ["register_app", "request_app"]

request_app = typer.Typer(help="Public-records requests (FOIA, CPRA) and their statutory deadlines.\n\n"
                               "Example: eventledger request list --overdue", no_args_is_help=True)
register_app = typer.Typer(help="The staging-site register: past sites, on whose land, with evidence.\n\n"
                                "Example: eventledger register show --format csv -o sites.csv", no_args_is_help=True)


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
    from eventledger.kit.requests import add_request, list_requests_with_deadlines

    who = _need_by(by)
    with _ledger(db) as store:
        rid = add_request(store, agency, law, filed, subject, who, tracking, event, story, note)
        r = next(x for x in list_requests_with_deadlines(store) if x["id"] == rid)
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
    from eventledger.kit.requests import list_requests_with_deadlines, update_request

    who = _need_by(by)
    with _ledger(db) as store:
        update_request(store, rid, status, on, who, note)
        r = next(x for x in list_requests_with_deadlines(store) if x["id"] == rid)
    typer.echo(f"{rid}  {r['status']}  due {r['due']}" + ("  OVERDUE" if r["overdue"] else ""))


@request_app.command("link")
def request_link(rid: Annotated[str, typer.Argument(help="The request id (rr-N).")], by: ByOpt = "",
                 event: EventOpt = None, story: StoryOpt = None, why: WhyOpt = None, db: DbOpt = "ledger.db") -> None:
    """Link a request to a ledger event or a story.

    Example: eventledger request link rr-1 --event ev-1a2b --by maria
    """
    from eventledger.store.kit import link_request

    who = _need_by(by)
    if not event and not story:
        raise _fail("give --event or --story", 2)
    with _ledger(db) as store:
        link_request(store, rid, "event" if event else "story", event or story or "", who, why)


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
    from eventledger.kit.register import load_layer

    who = _need_by(by)
    with _ledger(db) as store:
        info = load_layer(store, file, who, owner_field, city_owner, why)
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
    from eventledger.kit.register import add_site

    who = _need_by(by)
    with _ledger(db) as store:
        sid = add_site(store, name, occurred, who, lat, lon, uncertainty, event, exhibit, note)
    typer.echo(sid)


@register_app.command("show")
def register_show(fmt: Annotated[Literal["table", "csv", "geojson"], typer.Option("--format", "-f")] = "table",
                  output: Annotated[Optional[Path], typer.Option("-o", "--output")] = None,
                  db: DbOpt = "ledger.db") -> None:
    """The register: every site classified city-owned, private (owner named) or unknown.

    Example: eventledger register show --format geojson -o sites.geojson
    """
    from eventledger.kit.register import register_csv, register_geojson, register_rows

    with _ledger(db) as store:
        rows, layer = register_rows(store)
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


