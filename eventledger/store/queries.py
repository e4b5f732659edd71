"""Read queries for the web app and its API: overview, filtered event lists with facets,
map points, documents with their spans, entities.

It holds the one event selection of the project (:class:`EventFilter`, :func:`filtered_event_ids`):
the CLI's ``events`` and ``export`` (through ``Store.event_ids``), every export format, the web
pages and the API list the same events in the same order, newest first: dated events before
undated ones, then by date descending, then by ingest order descending (``first_seq``), then
by id ascending.

Plain SQL with ``?`` placeholders through the store's connection, so another backend can
translate it; the only SQLite-specific part is the FTS5 full-text match.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from itertools import chain
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from typing import TYPE_CHECKING

from eventledger.errors import StoreError
from eventledger.ledger.compare import with_words

if TYPE_CHECKING:  # the store calls this module (Store.event_ids): no import at run time
    from eventledger.store import Store

__all__ = [
    "EventFilter", "EventIndex", "document", "rejected_left_out", "document_quotes", "document_spans", "entity", "event_facets", "event_summaries", "event_index", "filtered_event_ids",
    "ledger_head", "list_events", "map_layer", "map_points", "overview", "timeline",
]

FACET_LIMIT = 15
TIMELINE_EVENTS = 2000  # the latest dated events the timeline lists
_PRECISION_BY_LEN = {10: "day", 7: "month", 4: "year"}


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What an events view shows; every field is a URL query parameter of the web app."""

    type: str | None = None
    mode: str | None = None
    place: str | None = None     # place entity id or name
    actor: str | None = None     # entity id or a name or alias
    outlet: str | None = None
    date_from: str | None = None  # YYYY[-MM[-DD]]
    date_to: str | None = None
    q: str | None = None         # words in the reporting documents (full text)
    rejected: str | None = None  # "show": also the events a reviewer rejected (left out otherwise)
    story: str | None = None     # story id: only the events of that story

    def key(self) -> tuple[Any, ...]:
        return tuple(asdict(self).values())

    def active(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}

    @property
    def shows_rejected(self) -> bool:
        return self.rejected == "show"


def ledger_head(store: Store) -> int:
    """The newest log entry: any ingest or review moves it, so it keys caches of reads."""
    return store.db.execute("SELECT COALESCE(MAX(seq), 0) FROM log").fetchone()[0]


# ---- filters -------------------------------------------------------------------------------

def _fts_query(text: str) -> str:
    return " ".join('"' + w.replace('"', '""') + '"' for w in text.split())


def _run(store: Store, sql: str, args: list[Any] | tuple[Any, ...]) -> list[Any]:
    try:
        return store.db.execute(sql, args).fetchall()
    except sqlite3.OperationalError as e:  # a malformed full-text query
        raise StoreError(f"bad query: {e}") from e


_ORDER = " ORDER BY CASE WHEN e.date IS NULL THEN 1 ELSE 0 END, e.date DESC, e.first_seq DESC, e.id"


@dataclass(frozen=True, slots=True)
class EventIndex:
    """Every event's filterable fields in memory, newest first: one scan of the ledger
    answers any combination of filters and facets in milliseconds. Build it with
    :func:`event_index`; it describes the ledger as of ``head`` (see :func:`ledger_head`)."""

    head: int
    ids: tuple[str, ...]
    type: tuple[str, ...]
    mode: tuple[str | None, ...]
    date: tuple[str | None, ...]
    place: tuple[str | None, ...]
    actors: tuple[tuple[str, ...], ...]
    outlets: tuple[tuple[str, ...], ...]
    status: tuple[str, ...]  # review status: unreviewed, confirmed, corrected, rejected
    places: dict[str, tuple[str, float | None, float | None]]  # place id -> name, lat, lon
    story: tuple[str | None, ...]
    rejected: int = 0  # how many events reviewers rejected
    memo: dict[tuple[Any, ...], list[int]] = field(default_factory=dict, compare=False, repr=False)
    by_outlet: dict[str, set[int]] = field(default_factory=dict, compare=False, repr=False)
    """Outlet (lower case) -> positions of its events, made at the first outlet filter."""

    def outlet_positions(self, outlet: str) -> set[int]:
        if not self.by_outlet and self.outlets:
            for i, names in enumerate(self.outlets):
                for o in names:
                    self.by_outlet.setdefault(o.lower(), set()).add(i)
            self.by_outlet.setdefault("", set())  # made, even when no event has an outlet
        return self.by_outlet.get(outlet.lower(), set())


def event_index(store: Store) -> EventIndex:
    head = ledger_head(store)
    rows = store.db.execute("SELECT id, type, mode, date, place_id, first_seq, review_status, story_id FROM events").fetchall()
    # newest first: dated before undated, then date, then ingest order, descending (as _ORDER)
    rows.sort(key=lambda r: r[0])
    rows.sort(key=lambda r: (r[3] is not None, r[3] or "", r[5]), reverse=True)
    outlet_of = dict(store.db.execute("SELECT id, outlet FROM documents WHERE outlet IS NOT NULL").fetchall())
    actors: dict[str, list[str]] = {}
    outlets: dict[str, list[str]] = {}
    loads = json.loads
    for ev, acts, doc in store.db.execute("SELECT event_id, actors, document_id FROM reports"):
        if acts != "[]":
            al = actors.setdefault(ev, [])
            al.extend(a for a in loads(acts) if a not in al)
        outlet = outlet_of.get(doc)
        if outlet:
            ol = outlets.setdefault(ev, [])
            if outlet not in ol:
                ol.append(outlet)
    places = {r[0]: (r[1], r[2], r[3]) for r in store.db.execute("SELECT id, name, lat, lon FROM entities WHERE kind = 'place'")}
    ids = tuple(r[0] for r in rows)
    status = tuple(r[6] or "unreviewed" for r in rows)
    return EventIndex(head, ids, tuple(r[1] for r in rows), tuple(r[2] for r in rows), tuple(r[3] for r in rows),
                      tuple(r[4] for r in rows), tuple(tuple(actors.get(i, ())) for i in ids),
                      tuple(tuple(outlets.get(i, ())) for i in ids), status, places, tuple(r[7] for r in rows),
                      status.count("rejected"))


def _select(store: Store, f: EventFilter, ix: EventIndex | None) -> tuple[EventIndex, list[int]]:
    """The positions in the index of the events that pass the filter, newest first."""
    ix = ix or event_index(store)
    key = f.key()
    if key in ix.memo:
        return ix, ix.memo[key]
    tests: list[Any] = []
    if ix.rejected and not f.shows_rejected:  # a rejected event leaves every count, chart, map and list
        tests.append(lambda i: ix.status[i] != "rejected")
    if f.story:
        tests.append(lambda i: ix.story[i] == f.story)
    if f.type:
        t = f.type.upper()
        tests.append(lambda i: ix.type[i] == t)
    if f.mode:
        tests.append(lambda i: ix.mode[i] == f.mode)
    if f.place:
        pl = {f.place} | {r[0] for r in store.db.execute(
            "SELECT id FROM entities WHERE kind = 'place' AND LOWER(name) = LOWER(?)", (f.place,))}
        tests.append(lambda i: ix.place[i] in pl)
    if f.actor:
        ac = {f.actor} | {r[0] for r in store.db.execute(
            "SELECT entity_id FROM entity_aliases WHERE LOWER(alias) = LOWER(?)", (f.actor,))}
        tests.append(lambda i: any(a in ac for a in ix.actors[i]))
    if f.outlet:
        of_outlet = ix.outlet_positions(f.outlet)  # one pass over the index for all outlet filters
        tests.append(lambda i: i in of_outlet)
    if f.date_from:
        lo = f.date_from
        tests.append(lambda i: ix.date[i] is not None and ix.date[i] >= lo)
    if f.date_to:
        hi = f.date_to + "~"  # '~' sorts after digits: 2025-06 takes in 2025-06-30
        tests.append(lambda i: ix.date[i] is not None and ix.date[i] <= hi)
    if f.q and f.q.strip():
        found = {r[0] for r in _run(store, "SELECT DISTINCT r.event_id FROM reports r WHERE r.document_id IN (SELECT d.id FROM"
                                    " documents_fts JOIN documents d ON d.rowid = documents_fts.rowid WHERE documents_fts MATCH ?)",
                                    (_fts_query(f.q),))}
        tests.append(lambda i: ix.ids[i] in found)
    sel = [i for i in range(len(ix.ids)) if all(t(i) for t in tests)] if tests else list(range(len(ix.ids)))
    if len(ix.memo) >= 64:  # the index lives until the ledger changes: keep its memo small
        ix.memo.pop(next(iter(ix.memo)))
    ix.memo[key] = sel
    return ix, sel


def list_events(store: Store, f: EventFilter, limit: int = 50, offset: int = 0,
                index: EventIndex | None = None) -> tuple[int, list[dict[str, Any]]]:
    """How many events pass the filter, and one page of their summaries, newest first."""
    ix, sel = _select(store, f, index)
    return len(sel), event_summaries(store, [ix.ids[i] for i in sel[offset:offset + limit]])


def filtered_event_ids(store: Store, f: EventFilter | None = None, limit: int | None = None, offset: int = 0,
                       index: EventIndex | None = None) -> list[str]:
    """The ids of the events that pass the filter, in the one order (see the module's docstring):
    the selection of every events list, export and download."""
    ix, sel = _select(store, f or EventFilter(), index)
    return [ix.ids[i] for i in sel[offset:None if limit is None else offset + limit]]


def rejected_left_out(store: Store, f: EventFilter | None = None, index: EventIndex | None = None) -> int:
    """How many events a reviewer rejected pass the filter otherwise: the ones the selection
    leaves out (0 when it shows them)."""
    f = f or EventFilter()
    ix = index or event_index(store)
    if f.shows_rejected or not ix.rejected:
        return 0
    return len(_select(store, replace(f, rejected="show"), ix)[1]) - len(_select(store, f, ix)[1])


def event_facets(store: Store, f: EventFilter, index: EventIndex | None = None) -> dict[str, list[dict[str, Any]]]:
    """Counts of the filtered events by type, mode, place, actor and outlet (the largest first)."""
    ix, sel = _select(store, f, index)
    every = len(sel) == len(ix.ids)

    def column(col: tuple[Any, ...]) -> Iterable[Any]:
        return col if every else (col[i] for i in sel)

    counters: dict[str, Counter[str]] = {
        "type": Counter(column(ix.type)),
        "mode": Counter(m for m in column(ix.mode) if m),
        "place": Counter(p for p in column(ix.place) if p),
        "actor": Counter(chain.from_iterable(column(ix.actors))),
        "outlet": Counter(chain.from_iterable(column(ix.outlets))),
    }
    out: dict[str, list[dict[str, Any]]] = {}
    names = store.entities_by_id([a for a, _ in counters["actor"].most_common(FACET_LIMIT)])
    for k, c in counters.items():
        top = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
        if k not in ("type", "mode"):
            top = top[:FACET_LIMIT]
        label = {"place": lambda v: ix.places.get(v, (v,))[0], "actor": lambda v: names.get(v, {}).get("name", v)}.get(k, str)
        out[k] = [{"value": v, "label": label(v), "count": n} for v, n in top]
    return out


# ---- summaries -----------------------------------------------------------------------------

def event_summaries(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """A short line per event (in the order given): its headline and plain label, what, when,
    where, who, how many reports."""
    if not ids:
        return []
    q = ",".join("?" * len(ids))
    evs = {r["id"]: dict(r) for r in store.db.execute(f"SELECT * FROM events WHERE id IN ({q})", ids)}
    reps: dict[str, list[dict[str, Any]]] = {}
    for r in store.db.execute(
            f"SELECT r.event_id, r.document_id, r.text, r.start, r.\"end\", r.actors, d.outlet, d.copy_of FROM reports r"
            f" JOIN documents d ON d.id = r.document_id WHERE r.event_id IN ({q}) ORDER BY d.seq, r.idx", ids):
        reps.setdefault(r["event_id"], []).append(dict(r))
    actor_ids: dict[str, list[str]] = {}
    for i, rs in reps.items():
        al = actor_ids.setdefault(i, [])
        al.extend(a for r in rs for a in json.loads(r["actors"]) if a not in al)
    ents = store.entities_by_id(list({e["place_id"] for e in evs.values() if e["place_id"]}
                                     | {a for al in actor_ids.values() for a in al}))
    out = []
    for i in ids:
        e = evs.get(i)
        if e is None:
            continue
        rs = reps.get(i, [])
        place = ents.get(e["place_id"]) if e["place_id"] else None
        out.append({
            "id": i, "type": e["type"], "mode": e["mode"], "date": e["date"], "date_precision": e["date_precision"],
            "place": {"id": place["id"], "name": place["name"], "lat": place["lat"], "lon": place["lon"]} if place else None,
            "reports": len(rs),
            "independent_sources": len({r["copy_of"] or r["document_id"] for r in rs}),
            "outlets": sorted({r["outlet"] for r in rs if r["outlet"]}),
            "text": rs[0]["text"] if rs else None,
            "document_id": rs[0]["document_id"] if rs else None,
            "start": rs[0]["start"] if rs else None,
            "end": rs[0]["end"] if rs else None,
            "review": {"status": e["review_status"], "by": e["reviewed_by"], "at": e["reviewed_at"]},
            "actors": [{"id": a, "name": ents[a]["name"], "kind": ents[a]["kind"]} for a in actor_ids.get(i, ()) if a in ents],
        })
    return [with_words(s, store.profile) for s in out]


def timeline(store: Store, f: EventFilter | None = None, index: EventIndex | None = None) -> dict[str, Any]:
    """Events per day by type (day-dated events), how many are dated only to a month or year
    (``not_day_dated``, the undated included) or not at all (``undated``), and every dated
    event, oldest first (``events``: id, type, mode, date, date_precision, review status,
    at most ``TIMELINE_EVENTS``), which the timeline draws as spans over their day, month or
    year. Rejected events are left out unless the filter shows them."""
    ix, sel = _select(store, f or EventFilter(), index)
    days: Counter[tuple[str, str]] = Counter()
    coarse = undated = 0
    dated = []
    for i in sel:
        d = ix.date[i]
        if d and len(d) == 10:
            days[(d, ix.type[i])] += 1
        else:
            coarse += 1
            undated += not d
        if d:
            dated.append(i)
    dated.sort(key=lambda i: (ix.date[i], ix.ids[i]))
    events = [{"id": ix.ids[i], "type": ix.type[i], "mode": ix.mode[i], "date": ix.date[i],
               "date_precision": _PRECISION_BY_LEN.get(len(ix.date[i] or "")), "review": ix.status[i]}
              for i in dated[-TIMELINE_EVENTS:]]
    return {"days": [{"date": d, "type": t, "count": n} for (d, t), n in sorted(days.items())], "not_day_dated": coarse,
            "undated": undated, "events": events}


def overview(store: Store, latest: int = 10, top: int = 10, index: EventIndex | None = None) -> dict[str, Any]:
    """What the front page shows: counts, the timeline, the latest events, the most-reported figures.

    Rejected events are left out of all of it: the events count is of the others, and
    ``counts["rejected"]`` says how many were left out."""
    index, sel = _select(store, EventFilter(), index)
    ids = [index.ids[i] for i in sel[:latest]]
    figs = store.db.execute(
        "SELECT f.event_id, f.kind, f.value, f.high, COUNT(DISTINCT f.document_id) AS n, MIN(f.subject) AS subject,"
        " MIN(f.id) AS figure_id FROM figures f WHERE f.event_id IS NOT NULL"
        " AND f.id NOT IN (SELECT target_id FROM reviews WHERE target_kind = 'figure' AND action = 'reject')"
        " AND f.event_id NOT IN (SELECT id FROM events WHERE review_status = 'rejected')"
        " GROUP BY f.event_id, f.kind, f.value, f.high ORDER BY n DESC, f.value DESC, f.event_id LIMIT ?", (top,)).fetchall()
    summaries = {s["id"]: s for s in event_summaries(store, list({r["event_id"] for r in figs}))}
    top_figures = []
    for r in figs:
        fid = r["figure_id"]
        row = store.db.execute("SELECT document_id, text, start, \"end\" FROM figures WHERE id = ?", (fid,)).fetchone()
        top_figures.append({"event_id": r["event_id"], "kind": r["kind"], "value": _num(r["value"]), "high": _num(r["high"]),
                            "subject": r["subject"], "sources": r["n"], "event": summaries.get(r["event_id"]),
                            "document_id": row["document_id"], "text": row["text"], "start": row["start"], "end": row["end"]})
    counts = store.counts()
    counts["rejected"] = index.rejected
    counts["events"] = len(sel)
    return {"counts": counts, "timeline": timeline(store, index=index), "latest": event_summaries(store, ids),
            "top_figures": top_figures}


def map_points(store: Store, f: EventFilter, limit: int = 20000, index: EventIndex | None = None) -> list[dict[str, Any]]:
    """Events whose place has coordinates: id, type, mode, date, place, lat, lon, review status."""
    return map_layer(store, f, limit, index)["points"]


def map_layer(store: Store, f: EventFilter, limit: int = 20000, index: EventIndex | None = None) -> dict[str, Any]:
    """The map's points (as :func:`map_points`) and how many filtered events it cannot place:
    ``no_place`` (no place named) and ``no_coordinates`` (a place without coordinates)."""
    ix, sel = _select(store, f, index)
    out = []
    no_place = no_coords = 0
    for i in sel:
        if not ix.place[i]:
            no_place += 1
            continue
        p = ix.places.get(ix.place[i] or "")
        if p and p[1] is not None and p[2] is not None:
            if len(out) < limit:
                out.append({"id": ix.ids[i], "type": ix.type[i], "mode": ix.mode[i], "date": ix.date[i], "place": p[0],
                            "place_id": ix.place[i], "lat": p[1], "lon": p[2], "review": ix.status[i]})
        else:
            no_coords += 1
    return {"points": out, "no_place": no_place, "no_coordinates": no_coords, "total": len(sel)}


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


# ---- documents and entities ----------------------------------------------------------------

def document(store: Store, doc_id: str) -> dict[str, Any] | None:
    r = store.db.execute("SELECT id, seq, source, url, title, outlet, bylines, published, published_basis, text_sha256,"
                         " text, copy_of, copy_similarity, record, ingested_at FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if r is None:
        return None
    d = dict(r)
    d["bylines"] = json.loads(d["bylines"])
    d["record"] = json.loads(d["record"])
    return d


def document_spans(store: Store, doc_id: str) -> list[dict[str, Any]]:
    """Every extracted span of one document: kind, offsets, a label and what it links to."""
    spans: list[dict[str, Any]] = []
    for r in store.db.execute("SELECT m.start, m.\"end\", m.text, m.entity_id, e.kind, e.name FROM mentions m"
                              " JOIN entities e ON e.id = m.entity_id WHERE m.document_id = ? ORDER BY m.start", (doc_id,)):
        spans.append({"kind": r["kind"], "start": r["start"], "end": r["end"], "label": r["name"], "target": r["entity_id"]})
    for r in store.db.execute("SELECT id, kind, value, high, subject, start, \"end\", event_id FROM figures WHERE document_id = ?"
                              " ORDER BY idx", (doc_id,)):
        rng = f"{_num(r['value'])}" if r["value"] == r["high"] else f"{_num(r['value'])}-{_num(r['high'])}"
        spans.append({"kind": "figure", "start": r["start"], "end": r["end"], "label": f"{r['kind']} {rng}: {r['subject']}",
                      "target": r["event_id"], "id": r["id"]})
    for r in store.db.execute("SELECT q.id, q.speaker, q.start, q.\"end\", e.name FROM quotes q LEFT JOIN entities e"
                              " ON e.id = q.speaker WHERE q.document_id = ? ORDER BY q.idx", (doc_id,)):
        spans.append({"kind": "quote", "start": r["start"], "end": r["end"], "label": f"quote: {r['name'] or 'unknown speaker'}",
                      "target": r["speaker"], "id": r["id"]})
    for r in store.db.execute("SELECT id, event_id, type, mode, date, start, \"end\" FROM reports WHERE document_id = ?"
                              " ORDER BY idx", (doc_id,)):
        spans.append({"kind": "event", "start": r["start"], "end": r["end"],
                      "label": f"event {r['type']}/{r['mode'] or '-'} {r['date'] or ''}".strip(), "target": r["event_id"],
                      "id": r["id"]})
    return spans


def document_quotes(store: Store, doc_ids: list[str]) -> list[dict[str, Any]]:
    """Every quote of these documents, in document and text order."""
    if not doc_ids:
        return []
    q = ",".join("?" * len(doc_ids))
    return [dict(r) for r in store.db.execute(
        f"SELECT q.* FROM quotes q JOIN documents d ON d.id = q.document_id WHERE q.document_id IN ({q})"
        " ORDER BY d.seq, q.idx", doc_ids)]


def entity(store: Store, entity_id: str, limit: int = 500, index: EventIndex | None = None) -> dict[str, Any] | None:
    """An entity with its aliases, roles (and where stated), events over time and quotes."""
    e = store.entities_by_id([entity_id]).get(entity_id)
    if e is None:
        return None
    aliases = [r[0] for r in store.db.execute("SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (entity_id,))]
    roles: dict[str, list[str]] = {}
    for r in store.db.execute("SELECT role, document_id FROM entity_roles WHERE entity_id = ? ORDER BY role", (entity_id,)):
        roles.setdefault(r[0], []).append(r[1])
    ix = index or event_index(store)
    ids = [ix.ids[i] for i in range(len(ix.ids)) if ix.place[i] == entity_id or entity_id in ix.actors[i]][:limit]
    quotes = [dict(r) for r in store.db.execute(
        "SELECT q.id, q.document_id, q.text, q.start, q.\"end\", d.outlet, d.published, d.source FROM quotes q"
        " JOIN documents d ON d.id = q.document_id WHERE q.speaker = ? ORDER BY d.seq, q.idx LIMIT ?", (entity_id, limit))]
    mentions = store.db.execute("SELECT COUNT(*), COUNT(DISTINCT document_id) FROM mentions WHERE entity_id = ?",
                                (entity_id,)).fetchone()
    return {**e, "aliases": aliases, "roles": [{"role": k, "documents": v} for k, v in roles.items()],
            "events": event_summaries(store, ids), "quotes": quotes,
            "mentions": mentions[0], "documents": mentions[1]}
