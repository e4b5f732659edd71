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
from eventledger.reviewed import say_reviews
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
    chart = ctx.cached(("chart",), lambda st: timeline_chart(data["timeline"]["events"], ctx.profile))
    chart_html = ctx.cached(("chart-html",), lambda st: Markup(ctx.env.get_template("chart.html").render(
        chart=chart, undated=data["timeline"]["undated"])))
    stories = ctx.cached(("stories", 10), lambda st: stories_list(st, 10))
    return ctx.render(request, "overview.html", data=data, chart=chart, chart_html=chart_html, map_src="/api/map",
                      stories=stories)


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: str) -> Response:
    ctx = context(request)
    view = story_view(ctx.store(), story_id)
    if view is None:
        raise HTTPException(404, f"no story {story_id}")
    chart = timeline_chart(view["events"], ctx.profile)
    chart_html = Markup(ctx.env.get_template("chart.html").render(
        chart=chart, undated=sum(1 for e in view["events"] if not e["date"])))
    return ctx.render(request, "story.html", st=view["story"], events=view["events"], urls=view["urls"],
                      outlet=view["outlet"], chart_html=chart_html)


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
    from eventledger.web.review import review_names

    return ctx.render(request, "event.html", ev=rec, types=PLOVER_TYPES, names=lambda: review_names(ctx.store()))


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


_TOP = 16  # room above the tallest bar for its count


def _month_bars(events: list[dict], width: int = 720, plot: int = 110, left: int = 34) -> dict:
    """Events per month as a bar chart the template draws: every month from the first to the
    last (empty ones too), each bar with its count above it, month labels under the axis (every
    month when they fit, else every quarter or year), a count axis with its top value.
    Rejected events and events known only to the year are not counted; ``left_out`` says how many."""
    from eventledger.headline import say_month_short

    counts: dict[int, int] = {}
    left_out = 0
    for e in events:
        d = e.get("date") or ""
        if len(d) < 7 or (e.get("review") or {}).get("status") == "rejected":
            left_out += 1
            continue
        m = int(d[:4]) * 12 + int(d[5:7]) - 1
        counts[m] = counts.get(m, 0) + 1
    if not counts:
        return {"bars": [], "left_out": left_out}
    first, last = min(counts), max(counts)
    n = last - first + 1
    top = max(counts.values())
    slot = (width - left) / n
    every = next((k for k in (1, 2, 3, 6, 12, 24, 60) if slot * k >= 60), 120)
    bars = []
    for i in range(n):
        m = first + i
        c = counts.get(m, 0)
        h = round(c / top * plot, 1)
        name = say_month_short(m // 12, m % 12 + 1)
        bars.append({"x": round(left + i * slot + slot * 0.15, 1), "w": round(slot * 0.7, 1), "h": h, "y": round(_TOP + plot - h, 1),
                     "n": c, "month": name, "cx": round(left + i * slot + slot / 2, 1),
                     "label": (m % every == 0) if every < 12 else (m % 12 == 0 and (m // 12) % (every // 12) == 0) or i == 0})
    return {"bars": bars, "width": width, "height": _TOP + plot + 32, "base": _TOP + plot, "left": left, "top": top,
            "top_y": _TOP,
            "left_out": left_out, "total": sum(counts.values())}


@router.get("/glossary")
def glossary_page(request: Request) -> Response:
    """The plain labels of the profile and the PLOVER type and mode each stands for (docs/glossary.md)."""
    from eventledger.headline import glossary

    ctx = context(request)
    return ctx.render(request, "glossary.html", labels=glossary(ctx.profile))


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/reviews")
def reviews_page(request: Request, page: Annotated[int, Query(ge=1, le=100000)] = 1) -> Response:
    ctx = context(request)
    rows = say_reviews(ctx.store(), recent_reviews(ctx.store(), 100, (page - 1) * 100))
    return ctx.render(request, "reviews.html", reviews=rows, page=page)
