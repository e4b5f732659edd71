"""What pages and API answers are made of, built from store queries (no SQL here)."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import HTTPException, Query

from eventledger.ledger.compare import build_event_record
from eventledger.store import Store
from eventledger.store import queries as q
from eventledger.reviewed import mark_reviewed, reviewed_story_record, say_reviews
from eventledger.store.review import apply_overlays, reviews_for_event

__all__ = ["PLOVER_TYPES", "dossier", "stories_list", "story_view", "event_filter", "safe_url", "segments", "source_view", "timeline_chart"]

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
                "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def event_filter(
    type: Annotated[str | None, Query(description="PLOVER root type, e.g. COERCE", max_length=20)] = None,
    mode: Annotated[str | None, Query(description="PLOVER mode, e.g. arrest", max_length=40)] = None,
    place: Annotated[str | None, Query(description="place entity id or name", max_length=200)] = None,
    actor: Annotated[str | None, Query(description="actor entity id, name or alias", max_length=200)] = None,
    outlet: Annotated[str | None, Query(description="only events reported by this outlet", max_length=200)] = None,
    date_from: Annotated[str | None, Query(alias="from", description="earliest date, YYYY[-MM[-DD]]", max_length=10)] = None,
    date_to: Annotated[str | None, Query(alias="to", description="latest date, YYYY[-MM[-DD]]", max_length=10)] = None,
    search: Annotated[str | None, Query(alias="q", description="words in the reporting documents (full text)", max_length=200)] = None,
    rejected: Annotated[Literal["hide", "show", ""], Query(
        description="events a reviewer rejected: left out of every list, count, chart and map (hide, the default), "
                    "or shown and marked as rejected (show)")] = "hide",
    story: Annotated[str | None, Query(description="only the events of this story (its id)", max_length=200)] = None,
) -> q.EventFilter:
    """The filters of an events view, all in the URL so a view can be shared."""
    def clean(x: str | None) -> str | None:
        return x.strip() or None if x else None

    for name, d in (("from", clean(date_from)), ("to", clean(date_to))):
        if d and not re.match(DATE, d):
            raise HTTPException(422, f"{name}: a date is YYYY, YYYY-MM or YYYY-MM-DD, not {d!r}")
    return q.EventFilter(clean(type), clean(mode), clean(place), clean(actor), clean(outlet), clean(date_from),
                         clean(date_to), clean(search), "show" if rejected == "show" else None, clean(story))


def safe_url(url: str | None) -> str | None:
    """A document's URL, only when it is plain http(s): never a javascript: or data: link."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


# ---- the event dossier ----------------------------------------------------------------------

def dossier(store: Store, event_id: str) -> dict[str, Any] | None:
    """The spec/ledger.md record with reviews applied, plus quotes, report ids and the review history."""
    rows = store.event_rows(event_id)
    if rows is None:
        return None
    # the quotes of every reporting document, not only those of the event's actors
    rows["quotes"] = q.document_quotes(store, sorted({r["document_id"] for r in rows["reports"]}))
    rows = apply_overlays(store, rows)
    rec = build_event_record(rows, store.profile)
    by_span = {(f["document_id"], f["start"], f["end"]): f for f in rows["figures"]}
    for g in rec["figures"]:
        agree = len(g["values"]) == 1 and g["values"][0]["independent_sources"] > 1
        g["status"] = "conflict" if g["conflict"] else ("agree" if agree else "single")
        for v in g["values"]:
            for s in v["sources"]:
                f = by_span.get((s["document_id"], s["start"], s["end"]))
                if f is not None:
                    s["figure_id"], s["review"], s["original"] = f["id"], f["review"], f["original"]
    for r, row in zip(rec["reports"], rows["reports"]):
        r["report_id"], r["url"] = row["id"], safe_url(row.get("url"))
    speakers = store.entities_by_id(sorted({x["speaker"] for x in rows["quotes"] if x["speaker"]}))
    rec["quotes"] = [{"id": x["id"], "speaker": x["speaker"], "speaker_name": speakers.get(x["speaker"], {}).get("name"),
                      "document_id": x["document_id"], "text": x["text"], "start": x["start"], "end": x["end"],
                      "review": x["review"], "original_speaker": x["original_speaker"]} for x in rows["quotes"]]
    rec["rejected_figures"] = [{"figure_id": f["id"], "kind": f["kind"], "value": f["value"], "high": f["high"],
                                "subject": f["subject"], "document_id": f["document_id"], "text": f["text"],
                                "start": f["start"], "end": f["end"], "review": f["review"]} for f in rows["rejected_figures"]]
    rec["reviews"] = say_reviews(store, reviews_for_event(store, event_id))
    mark_reviewed(store, rec, rows, rec["reviews"])
    # the other events of its story, by headline: where a reviewer may move one of its reports
    # (read by the story's index on events, not through the whole ledger's event index)
    others = [i for i in store.story_event_ids([rec["story"]]) if i != event_id][:100] if rec["story"] else []
    rec["story_events"] = sorted(({"id": s["id"], "headline": s["headline"]} for s in q.event_summaries(store, others)),
                                 key=lambda e: e["headline"])
    return rec


# ---- the source view ------------------------------------------------------------------------

def segments(text: str, spans: list[dict[str, Any]], hl: tuple[int, int] | None = None) -> list[dict[str, Any]]:
    """The text cut at every span boundary; each piece lists the kinds and labels covering it.

    Overlapping spans (a person inside a quote inside an event sentence) simply stack their
    classes, so no markup is ever nested across boundaries.
    """
    n = len(text)
    good = [s for s in spans if 0 <= s["start"] < s["end"] <= n]
    cuts = sorted({0, n, *(s["start"] for s in good), *(s["end"] for s in good),
                   *((hl[0], hl[1]) if hl and 0 <= hl[0] < hl[1] <= n else ())})
    starts: dict[int, list[dict[str, Any]]] = {}
    for s in good:
        starts.setdefault(s["start"], []).append(s)
    active: list[dict[str, Any]] = []
    out = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in active if s["end"] > a] + starts.get(a, [])
        kinds = sorted({s["kind"] for s in active})
        target = bool(hl and hl[0] <= a and b <= hl[1])
        out.append({"text": text[a:b], "kinds": kinds, "labels": [s["label"] for s in active], "target": target,
                    "first_target": target and a == hl[0] if hl else False})  # type: ignore[index]
    return out


def source_view(store: Store, doc_id: str, hl: tuple[int, int] | None = None) -> dict[str, Any] | None:
    doc = q.document(store, doc_id)
    if doc is None:
        return None
    spans = q.document_spans(store, doc_id)
    doc["url"] = safe_url(doc.get("url"))
    ledger_events = q.event_summaries(store, list(dict.fromkeys(s["target"] for s in spans if s["kind"] == "event")))
    return {"document": doc, "spans": spans, "segments": segments(doc["text"], spans, hl), "ledger_events": ledger_events,
            "record_json": json.dumps(doc["record"], indent=2, ensure_ascii=False)}


# ---- the timeline (server-rendered SVG: no script needed) ----------------------------------

_TICK_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)  # months between two labelled ticks


def _span(date: str, precision: str | None) -> tuple[Any, Any] | None:
    """[first day, day after the last) of a date at its precision: a day, a month or a year."""
    from datetime import date as _date, timedelta

    try:
        y = int(date[:4])
        if precision == "year" or len(date) == 4:
            return _date(y, 1, 1), _date(y + 1, 1, 1)
        m = int(date[5:7])
        if precision == "month" or len(date) == 7:
            return _date(y, m, 1), _date(y + (m == 12), m % 12 + 1, 1)
        d = _date(y, m, int(date[8:10]))
    except (ValueError, IndexError):
        return None
    return d, d + timedelta(days=1)


def timeline_chart(events: list[dict[str, Any]], profile: Any, width: int = 900, max_lanes: int = 24,
                   lane: int = 18) -> dict[str, Any]:
    """Every dated event as a bar over its day, month or year on a labelled time axis, as
    shapes the template draws. Bars that would overlap (with their date label) go to the
    next lane; events past ``max_lanes`` lanes are counted in ``not_drawn``, not drawn.
    Each bar links to its event and carries one date label, at the precision known."""
    from eventledger.headline import event_label, say_date, say_month_short, say_short_date

    spans = []
    for e in events:
        if e.get("date") and (sp := _span(e["date"], e.get("date_precision"))) is not None:
            spans.append((e, *sp))
    if not spans:
        return {"bars": [], "ticks": [], "width": width, "height": 0, "not_drawn": 0, "drawn": 0}
    lo = min(a for _, a, _ in spans).replace(day=1)
    last = max(b for _, _, b in spans)
    hi_m = last.year * 12 + last.month - 1 + (last.day > 1)  # the month boundary at or after the last day
    lo_m = lo.year * 12 + lo.month - 1
    hi_m = max(hi_m, lo_m + 1)
    from datetime import date as _date

    hi = _date(hi_m // 12, hi_m % 12 + 1, 1)
    total = (hi - lo).days

    def x(d: Any) -> float:
        return round((d - lo).days / total * width, 2)

    months = hi_m - lo_m
    step = next((s for s in _TICK_STEPS if months / s <= 10), _TICK_STEPS[-1])
    ticks = []
    for mi in range(lo_m, hi_m + 1):
        if (mi % step == 0) if step < 12 else (mi % 12 == 0 and (mi // 12) % (step // 12) == 0):
            d = _date(mi // 12, mi % 12 + 1, 1)
            ticks.append({"x": x(d), "text": str(d.year) if step >= 12 else say_month_short(d.year, d.month)})
    # pack: sort by where a bar and its label start, take the first lane free there
    items = []
    for e, a, b in spans:
        x0, x1 = x(a), x(b)
        x1 = max(x1, x0 + 3)
        text = say_short_date(e["date"], e.get("date_precision"))
        tw = len(text) * 6.4 + 4
        if x1 - x0 >= tw + 6:
            pos, tx, e0, e1 = "inside", x0 + 3, x0, x1
        elif x1 + 3 + tw <= width:
            pos, tx, e0, e1 = "right", x1 + 3, x0, x1 + 3 + tw
        else:
            pos, tx, e0, e1 = "left", x0 - 3, x0 - 3 - tw, x1
        items.append((e0, e1, x0, x1, pos, tx, text, e))
    items.sort(key=lambda t: (t[0], t[1]))
    ends: list[float] = []
    bars = []
    not_drawn = 0
    for e0, e1, x0, x1, pos, tx, text, e in items:
        k = next((i for i, end in enumerate(ends) if end + 4 <= e0), None)
        if k is None:
            if len(ends) >= max_lanes:
                not_drawn += 1
                continue
            ends.append(e1)
            k = len(ends) - 1
        else:
            ends[k] = e1
        precision = e.get("date_precision") or {10: "day", 7: "month", 4: "year"}.get(len(e["date"]), "day")
        label = event_label(e, profile)
        bars.append({"id": e["id"], "x": x0, "y": 6 + k * lane, "w": round(x1 - x0, 2), "h": lane - 6,
                     "type": e["type"], "precision": precision, "text": text, "tx": round(tx, 2), "pos": pos,
                     "ty": 6 + k * lane + lane - 9, "rejected": e.get("review") == "rejected",
                     "title": f"{label}, {say_date(e['date'], precision)}" + (f": {e['headline']}" if e.get("headline") else "")})
    axis_y = 6 + len(ends) * lane + 2
    return {"bars": bars, "ticks": ticks, "width": width, "height": axis_y + 20, "axis_y": axis_y,
            "not_drawn": not_drawn, "drawn": len(bars), "types": sorted({b["type"] for b in bars}), "step": step}


# ---- stories ----------------------------------------------------------------------------------

def stories_list(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """Story records (spec/ledger.md "Stories"), latest first, with figure reviews applied."""
    return [rec for sid in store.story_ids(limit) if (rec := reviewed_story_record(store, sid)) is not None]


def story_view(store: Store, story_id: str) -> dict[str, Any] | None:
    """A story record with its events' records (the timeline) and each document's own link."""
    rows = store.story_rows(story_id)
    rec = reviewed_story_record(store, story_id) if rows is not None else None
    if rows is None or rec is None:
        return None
    events = {}
    for eid in rec["events"]:
        erows = store.event_rows(eid)
        if erows is not None:
            events[eid] = build_event_record(erows, store.profile)
    urls = {d["id"]: safe_url(d.get("url")) for d in rows["documents"]}
    outlet = {d["id"]: d["outlet"] or d["source"].rsplit("/", 1)[-1] for d in rows["documents"]}
    return {"story": rec, "events": [events[e] for e in rec["events"] if e in events], "urls": urls, "outlet": outlet}
