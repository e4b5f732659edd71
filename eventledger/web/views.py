"""What pages and API answers are made of, built from store queries (no SQL here)."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Query

from eventledger.ledger.compare import build_event_record, build_story_record
from eventledger.store import Store
from eventledger.store import queries as q
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
    story: Annotated[str | None, Query(description="only the events of this story (its id)", max_length=200)] = None,
) -> q.EventFilter:
    """The filters of an events view, all in the URL so a view can be shared."""
    def clean(x: str | None) -> str | None:
        return x.strip() or None if x else None

    for name, d in (("from", clean(date_from)), ("to", clean(date_to))):
        if d and not re.match(DATE, d):
            raise HTTPException(422, f"{name}: a date is YYYY, YYYY-MM or YYYY-MM-DD, not {d!r}")
    return q.EventFilter(clean(type), clean(mode), clean(place), clean(actor), clean(outlet), clean(date_from),
                         clean(date_to), clean(search), clean(story))


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
    rec = build_event_record(rows)
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
    rec["reviews"] = reviews_for_event(store, event_id)
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
    return {"document": doc, "spans": spans, "segments": segments(doc["text"], spans, hl),
            "record_json": json.dumps(doc["record"], indent=2, ensure_ascii=False)}


# ---- the timeline chart (server-rendered SVG: no script needed) ----------------------------

def timeline_chart(tl: dict[str, Any], width: int = 900, height: int = 160, max_bars: int = 180) -> dict[str, Any]:
    """Stacked bars of events by type per day (per week or month when the days would not
    fit ``max_bars`` columns), as rectangles the template draws."""
    from datetime import date as _date, timedelta

    if not tl["days"]:
        return {"bars": [], "width": width, "height": height, "labels": [], "types": [], "max": 0, "unit": "day"}
    first, last = _date.fromisoformat(tl["days"][0]["date"]), _date.fromisoformat(tl["days"][-1]["date"])
    span = (last - first).days + 1
    unit = "day" if span <= max_bars else ("week" if span <= max_bars * 7 else "month")

    def bucket(d: _date) -> _date:
        if unit == "week":
            return d - timedelta(days=d.weekday())
        return d.replace(day=1) if unit == "month" else d

    def index(d: _date) -> int:
        if unit == "month":
            return (d.year - first.year) * 12 + d.month - first.month
        return ((d - bucket(first)).days) // (7 if unit == "week" else 1)

    cols: dict[_date, dict[str, int]] = {}
    for d in tl["days"]:
        b = bucket(_date.fromisoformat(d["date"]))
        cols.setdefault(b, {})
        cols[b][d["type"]] = cols[b].get(d["type"], 0) + d["count"]
    n = index(bucket(last)) + 1
    top = max(sum(v.values()) for v in cols.values())
    bw = width / n
    order = {t: i for i, t in enumerate(PLOVER_TYPES)}
    bars = []
    for b, counts in sorted(cols.items()):
        x, y = index(b) * bw, float(height)
        for t in sorted(counts, key=lambda t: order.get(t, 99)):
            h = counts[t] / top * (height - 4)
            y -= h
            bars.append({"x": round(x, 2), "y": round(y, 2), "w": round(max(bw - 0.5, 0.8), 2), "h": round(h, 2),
                         "type": t, "title": f"{unit} of {b.isoformat()}: {counts[t]} {t}" if unit != "day"
                         else f"{b.isoformat()}: {counts[t]} {t}"})
    types = sorted({d["type"] for d in tl["days"]}, key=lambda t: order.get(t, 99))
    labels = [{"x": 0, "text": first.isoformat()}, {"x": width, "text": last.isoformat()}]
    return {"bars": bars, "width": width, "height": height, "labels": labels, "types": types, "max": top, "unit": unit}


# ---- stories ----------------------------------------------------------------------------------

def stories_list(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """Story records (spec/ledger.md "Stories"), latest first."""
    return [build_story_record(rows, store.profile, store.policy)
            for sid in store.story_ids(limit) if (rows := store.story_rows(sid)) is not None]


def story_view(store: Store, story_id: str) -> dict[str, Any] | None:
    """A story record with its events' records (the timeline) and each document's own link."""
    rows = store.story_rows(story_id)
    if rows is None:
        return None
    rec = build_story_record(rows, store.profile, store.policy)
    events = {}
    for eid in rec["events"]:
        erows = store.event_rows(eid)
        if erows is not None:
            events[eid] = build_event_record(erows)
    urls = {d["id"]: safe_url(d.get("url")) for d in rows["documents"]}
    outlet = {d["id"]: d["outlet"] or d["source"].rsplit("/", 1)[-1] for d in rows["documents"]}
    return {"story": rec, "events": [events[e] for e in rec["events"] if e in events], "urls": urls, "outlet": outlet}
