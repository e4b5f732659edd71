"""The HTML pages: overview, events, event dossier, source, entity, reviews."""

from __future__ import annotations

import math
import re
from urllib.parse import urlencode
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from eventledger.store import queries as q
from eventledger.store.review import recent_reviews
from eventledger.web.context import context
from eventledger.web.views import PLOVER_TYPES, dossier, event_filter, source_view, stories_list, story_view, timeline_chart

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Filter = Annotated[q.EventFilter, Depends(event_filter)]
_HL_RE = re.compile(r"^(\d{1,9})-(\d{1,9})$")


@router.get("/")
def overview_page(request: Request) -> Response:
    ctx = context(request)
    data = ctx.cached(("overview",), lambda st: q.overview(st, index=ctx.index()))
    chart = ctx.cached(("chart",), lambda st: timeline_chart(data["timeline"]))
    chart_html = ctx.cached(("chart-html",), lambda st: Markup(ctx.env.get_template("chart.html").render(
        chart=chart, not_day_dated=data["timeline"]["not_day_dated"])))
    stories = ctx.cached(("stories", 10), lambda st: stories_list(st, 10))
    return ctx.render(request, "overview.html", data=data, chart=chart, chart_html=chart_html, map_src="/api/map",
                      stories=stories)


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: str) -> Response:
    ctx = context(request)
    view = story_view(ctx.store(), story_id)
    if view is None:
        raise HTTPException(404, f"no story {story_id}")
    return ctx.render(request, "story.html", st=view["story"], events=view["events"], urls=view["urls"],
                      outlet=view["outlet"])


@router.get("/events")
def events_page(request: Request, f: Filter, page: Annotated[int, Query(ge=1, le=100000)] = 1) -> Response:
    if any(v == "" for v in request.query_params.values()):  # a submitted form's empty fields: share a clean URL
        clean = urlencode([(k, v) for k, v in request.query_params.multi_items() if v != ""])
        return RedirectResponse("/events" + ("?" + clean if clean else ""), status_code=303)
    ctx = context(request)
    size = ctx.web.page_size
    total, events = q.list_events(ctx.store(), f, size, (page - 1) * size, index=ctx.index())
    facets = ctx.cached(("facets", f.key()), lambda st: q.event_facets(st, f, index=ctx.index()))
    qs = str(request.url.query)
    qs = re.sub(r"(^|&)page=\d+", "", qs).lstrip("&")
    return ctx.render(request, "events.html", f=f, total=total, events=events, facets=facets, page=page,
                      pages=max(1, math.ceil(total / size)), qs=qs, types=PLOVER_TYPES,
                      map_src="/api/map" + ("?" + qs if qs else ""))


@router.get("/events/{event_id}")
def event_page(request: Request, event_id: str) -> Response:
    ctx = context(request)
    rec = dossier(ctx.store(), event_id)
    if rec is None:
        raise HTTPException(404, f"no event {event_id}")
    return ctx.render(request, "event.html", ev=rec, types=PLOVER_TYPES)


@router.get("/sources/{document_id}")
def source_page(request: Request, document_id: str, hl: Annotated[str | None, Query(max_length=30)] = None) -> Response:
    ctx = context(request)
    span = None
    if hl and (m := _HL_RE.match(hl)):
        span = (int(m.group(1)), int(m.group(2)))
    view = source_view(ctx.store(), document_id, span)
    if view is None:
        raise HTTPException(404, f"no document {document_id}")
    return ctx.render(request, "source.html", v=view, doc=view["document"], hl=span)


@router.get("/entities/{entity_id}")
def entity_page(request: Request, entity_id: str) -> Response:
    ctx = context(request)
    ent = q.entity(ctx.store(), entity_id, index=ctx.index())
    if ent is None:
        raise HTTPException(404, f"no entity {entity_id}")
    return ctx.render(request, "entity.html", ent=ent, months=_month_bars(ent["events"]))


def _month_bars(events: list[dict]) -> dict:
    """Events per month, oldest first, as bars of an SVG the template draws."""
    counts: dict[str, int] = {}
    for e in events:
        if e["date"]:
            counts[e["date"][:7]] = counts.get(e["date"][:7], 0) + 1
    top = max(counts.values(), default=1)
    w = 28
    bars = [{"x": i * w, "w": w - 4, "h": round(n / top * 58, 1), "month": k, "n": n, "label": i % 4 == 0}
            for i, (k, n) in enumerate(sorted(counts.items()))]
    return {"bars": bars, "width": max(len(bars) * w, 200)}


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/reviews")
def reviews_page(request: Request, page: Annotated[int, Query(ge=1, le=100000)] = 1) -> Response:
    ctx = context(request)
    rows = recent_reviews(ctx.store(), 100, (page - 1) * 100)
    return ctx.render(request, "reviews.html", reviews=rows, page=page)
