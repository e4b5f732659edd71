"""The JSON API (described at /api/openapi.json) and the CSV / GeoJSON downloads."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from eventledger.export import export_events
from eventledger.reviewed import reviewed_record, reviewed_story_record, say_reviews
from eventledger.store import queries as q
from eventledger.store.review import recent_reviews
from eventledger.web.context import context
from eventledger.web.views import dossier, event_filter, safe_url, stories_list

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["ledger"])
Filter = Annotated[q.EventFilter, Depends(event_filter)]
Page = Annotated[int, Query(ge=1, le=100000, description="page number, from 1")]
PerPage = Annotated[int, Query(ge=1, le=500, description="events per page")]


@router.get("/checkpoint")
def api_checkpoint(request: Request) -> dict[str, Any]:
    """The latest signed checkpoint of the ledger's log (tree size, Merkle root hash, time, public
    key, Ed25519 signature). Save it: `eventledger verify --checkpoint FILE` later proves the
    ledger still holds exactly the log it covered (docs/verify.md)."""
    from eventledger.store.checkpoint import latest_checkpoint

    cp = latest_checkpoint(context(request).store())
    if cp is None:
        raise HTTPException(404, "no checkpoint yet: the operator makes them with `eventledger checkpoint`")
    return cp


@router.get("/public-key", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
def api_public_key(request: Request) -> Response:
    """The ledger's Ed25519 public key (`ed25519 <base64>`, as in a .pub file), as its log records it."""
    from eventledger.store.checkpoint import ledger_public_key

    key = ledger_public_key(context(request).store())
    if key is None:
        raise HTTPException(404, "this ledger has no signing key yet (made by its first checkpoint)")
    return Response(key + "\n", media_type="text/plain; charset=utf-8")


@router.get("/overview")
def api_overview(request: Request) -> dict[str, Any]:
    """Counts, events per day by type, the latest events and the most-reported figures."""
    ctx = context(request)
    return ctx.cached(("overview",), lambda st: q.overview(st, index=ctx.index()))


@router.get("/stories")
def api_stories(request: Request, limit: Annotated[int | None, Query(ge=1, le=100000)] = None) -> list[dict[str, Any]]:
    """Stories, latest first: the records of spec/ledger.md "Stories"."""
    ctx = context(request)
    return ctx.cached(("stories", limit), lambda st: stories_list(st, limit))


@router.get("/stories/{story_id}")
def api_story(request: Request, story_id: str) -> dict[str, Any]:
    """One story record with figure reviews applied; each figure source also says who gives the value in
    words (``said_by``) and carries ``reviewed`` (with the ``extracted`` value of a correction)."""
    rec = reviewed_story_record(context(request).store(), story_id)
    if rec is None:
        raise HTTPException(404, f"no story {story_id}")
    return rec


@router.get("/events")
def api_events(request: Request, f: Filter, page: Page = 1, per_page: PerPage = 50,
               facets: Annotated[bool, Query(description="include facet counts")] = True) -> dict[str, Any]:
    """Ledger events passing the filters, newest first: the records of spec/ledger.md with reviews applied
    (a corrected figure's source has ``reviewed`` with the ``extracted`` value; ``review.extracted`` the
    extracted event fields), with facet counts."""
    ctx = context(request)
    store = ctx.store()
    total, summaries = q.list_events(store, f, per_page, (page - 1) * per_page, index=ctx.index())
    records = [rec for s in summaries if (rec := reviewed_record(store, s["id"])) is not None]
    out: dict[str, Any] = {"total": total, "page": page, "per_page": per_page, "filters": f.active(), "events": records}
    if facets:
        out["facets"] = ctx.cached(("facets", f.key()), lambda st: q.event_facets(st, f, index=ctx.index()))
    return out


@router.get("/events.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def api_events_csv(request: Request, f: Filter) -> Response:
    """The filtered events as CSV (ACLED-style columns, as `eventledger export --format csv`)."""
    return _download(request, f, "csv", "text/csv; charset=utf-8")


@router.get("/events.geojson", response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
def api_events_geojson(request: Request, f: Filter) -> Response:
    """The filtered events as a GeoJSON FeatureCollection (as `eventledger export --format geojson`)."""
    return _download(request, f, "geojson", "application/geo+json")


@router.get("/events/{event_id}")
def api_event(request: Request, event_id: str) -> dict[str, Any]:
    """One ledger event: its spec/ledger.md record with reviews applied, quotes and review history."""
    rec = dossier(context(request).store(), event_id)
    if rec is None:
        raise HTTPException(404, f"no event {event_id}")
    return rec


@router.get("/map")
def api_map(request: Request, f: Filter) -> dict[str, Any]:
    """Events with coordinates as GeoJSON points (id, type, mode, date, place, place_id, review status)
    for the map, and in the foreign members ``no_place`` and ``no_coordinates`` how many of the
    filtered events it cannot place (no place named; a place without coordinates)."""
    ctx = context(request)
    layer = ctx.cached(("map", f.key()), lambda st: q.map_layer(st, f, index=ctx.index()))
    return {"type": "FeatureCollection", "no_place": layer["no_place"], "no_coordinates": layer["no_coordinates"],
            "features": [
                {"type": "Feature", "id": p["id"], "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                 "properties": {"id": p["id"], "type": p["type"], "mode": p["mode"], "date": p["date"], "place": p["place"],
                                "place_id": p["place_id"], "review": p["review"]}}
                for p in layer["points"]]}


@router.get("/timeline")
def api_timeline(request: Request, f: Filter) -> dict[str, Any]:
    """Events per day by type, and how many filtered events are dated only to a month or year."""
    ctx = context(request)
    return ctx.cached(("timeline", f.key()), lambda st: q.timeline(st, f, index=ctx.index()))


@router.get("/sources/{document_id}")
def api_source(request: Request, document_id: str) -> dict[str, Any]:
    """A stored document: metadata, its text, every extracted span and its extraction record."""
    store = context(request).store()
    doc = q.document(store, document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id}")
    doc["url"] = safe_url(doc.get("url"))
    return {"document": doc, "spans": q.document_spans(store, document_id)}


@router.get("/entities/{entity_id}")
def api_entity(request: Request, entity_id: str) -> dict[str, Any]:
    """A person, organization or place: aliases, roles, events over time and quotes."""
    ctx = context(request)
    ent = q.entity(ctx.store(), entity_id, index=ctx.index())
    if ent is None:
        raise HTTPException(404, f"no entity {entity_id}")
    return ent


@router.get("/reviews")
def api_reviews(request: Request, page: Page = 1, per_page: PerPage = 100) -> dict[str, Any]:
    """Reviews, newest first: who, when, what it was, what it became, why, and its log entry; ``sentence``
    says it in words ("rita corrected arrests from 76 to 78, 12 June 2025, because ...")."""
    store = context(request).store()
    return {"page": page, "reviews": say_reviews(store, recent_reviews(store, per_page, (page - 1) * per_page))}


def _download(request: Request, f: q.EventFilter, fmt: str, media: str) -> Response:
    ctx = context(request)
    out = io.StringIO(newline="")
    export_events(ctx.store(), fmt, out, f, index=ctx.index())
    name = "eventledger-events." + fmt
    return Response(out.getvalue(), media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
