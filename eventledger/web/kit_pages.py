"""Pages of the accountability kit: records requests (overdue ones stand out), the staging-site
register (page, CSV, GeoJSON), exhibits with their chain of custody, and event dossiers.

Viewing an exhibit is an action on it: the page logs who viewed it (the reviewer's name, or
"public visitor"; no address is kept). A photo is shown as a redacted preview (no metadata,
no location, too coarse for faces) until a reviewer releases it, with a reason.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from eventledger.kit import exhibits as kx
from eventledger.kit.dossier import DossierError, dossier_record, public_metadata
from eventledger.kit.register import register_csv, register_geojson, register_rows
from eventledger.kit.requests import ical, list_requests_with_deadlines
from eventledger.store import kit as sk
from eventledger.web.context import context
from eventledger.web.auth import current_reviewer, read_session

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PUBLIC = "public visitor"


def _today(request: Request) -> date:
    return date.today()  # the local day of the machine serving the ledger


@router.get("/kit")
def kit_page(request: Request) -> Response:
    ctx = context(request)
    st = ctx.store()
    reqs = list_requests_with_deadlines(st, _today(request))
    return ctx.render(request, "kit_index.html", exhibits=sk.list_exhibits(st), requests=reqs,
                      overdue=sum(r["overdue"] for r in reqs), sites=len(sk.list_sites(st)),
                      dossiers=sk.linked_targets(st))


@router.get("/kit/requests")
def requests_page(request: Request, overdue: bool = False) -> Response:
    ctx = context(request)
    reqs = list_requests_with_deadlines(ctx.store(), _today(request), overdue_only=overdue)
    return ctx.render(request, "kit_requests.html", requests=reqs, only_overdue=overdue, today=_today(request).isoformat())


@router.get("/kit/requests.ics")
def requests_ics(request: Request) -> Response:
    reqs = list_requests_with_deadlines(context(request).store(), _today(request))
    return Response(ical(reqs), media_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="records-requests.ics"'})


@router.get("/kit/register")
def register_page(request: Request) -> Response:
    ctx = context(request)
    rows, layer = register_rows(ctx.store())
    counts = {k: sum(r["classification"] == k for r in rows) for k in ("city-owned", "private", "unknown")}
    return ctx.render(request, "kit_register.html", rows=rows, layer=layer, counts=counts)


@router.get("/kit/register.csv")
def register_csv_file(request: Request) -> Response:
    rows, _ = register_rows(context(request).store())
    return Response(register_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="staging-sites.csv"'})


@router.get("/kit/register.geojson")
def register_geojson_file(request: Request) -> Response:
    rows, layer = register_rows(context(request).store())
    return Response(json.dumps(register_geojson(rows, layer), ensure_ascii=False), media_type="application/geo+json")


def _exhibit(request: Request, sha: str) -> dict:  # type: ignore[type-arg]
    ex = sk.get_exhibit(context(request).store(), sha)
    if ex is None:
        raise HTTPException(404, f"no exhibit {sha}")
    return ex


@router.get("/kit/exhibits/{sha}")
def exhibit_page(request: Request, sha: str) -> Response:
    ctx = context(request)
    ex = _exhibit(request, sha)
    who = read_session(request).get("u") or PUBLIC
    kx.view(ctx.store(), sha, who)
    st = ctx.store()
    return ctx.render(request, "kit_exhibit.html", ex=ex, meta=public_metadata(ex), links=sk.exhibit_links(st, sha),
                      custody=sk.custody_log(st, f"exhibit:{sha}"))


@router.get("/kit/exhibits/{sha}/preview")
def exhibit_preview(request: Request, sha: str) -> Response:
    ex = _exhibit(request, sha)
    if not ex["media_type"].startswith("image/"):
        raise HTTPException(404, "only photos have a preview")
    data = sk.exhibit_bytes(context(request).store(), sha)
    if ex["released"]:
        return Response(data, media_type=ex["media_type"])
    return Response(kx.redacted_preview(data, ex["media_type"]), media_type="image/png",
                    headers={"cache-control": "no-store"})


@router.post("/kit/exhibits/{sha}/release")
def exhibit_release(request: Request, sha: str, reason: Annotated[str, Form(min_length=1, max_length=2000)],
                    csrf: Annotated[str, Form()] = "", withhold: Annotated[str, Form(max_length=10)] = "") -> Response:
    who = current_reviewer(request, csrf)
    _exhibit(request, sha)
    kx.release(context(request).store(), sha, who, reason, released=not withhold)
    return RedirectResponse(f"/kit/exhibits/{sha}", status_code=303)


@router.get("/kit/dossier/{target}")
def dossier_page(request: Request, target: str) -> Response:
    """The dossier of an event, or of every event of a story."""
    ctx = context(request)
    try:
        d = dossier_record(ctx.store(), target)
    except DossierError as e:
        raise HTTPException(404, str(e)) from e
    return ctx.render(request, "kit_dossier.html", d=d, generated=datetime.now(timezone.utc).isoformat(timespec="seconds"))
