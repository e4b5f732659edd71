"""Read queries for the web app and its API: overview, filtered event lists with facets,
map points, documents with their spans, entities.

Plain SQL with ``?`` placeholders through the store's connection, so another backend can
translate it; the only SQLite-specific part is the FTS5 full-text match.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from eventledger.errors import StoreError
from eventledger.store import Store

__all__ = [
    "EventFilter", "document", "document_quotes", "document_spans", "entity", "event_facets", "event_summaries", "filtered_event_ids",
    "ledger_head", "list_events", "map_points", "overview", "timeline",
]

FACET_LIMIT = 15


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

    def key(self) -> tuple[Any, ...]:
        return tuple(asdict(self).values())

    def active(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


def ledger_head(store: Store) -> int:
    """The newest log entry: any ingest or review moves it, so it keys caches of reads."""
    return store.db.execute("SELECT COALESCE(MAX(seq), 0) FROM log").fetchone()[0]


# ---- filters -------------------------------------------------------------------------------

def _fts_query(text: str) -> str:
    return " ".join('"' + w.replace('"', '""') + '"' for w in text.split())


def _where(f: EventFilter) -> tuple[str, list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if f.type:
        where.append("e.type = ?")
        args.append(f.type.upper())
    if f.mode:
        where.append("e.mode = ?")
        args.append(f.mode)
    if f.place:
        where.append("(e.place_id = ? OR e.place_id IN (SELECT id FROM entities WHERE kind = 'place' AND LOWER(name) = LOWER(?)))")
        args += [f.place, f.place]
    if f.actor:
        where.append("e.id IN (SELECT r.event_id FROM reports r JOIN entity_aliases a ON r.actors LIKE '%\"' || a.entity_id || '\"%'"
                     " WHERE a.entity_id = ? OR LOWER(a.alias) = LOWER(?))")
        args += [f.actor, f.actor]
    if f.outlet:
        where.append("e.id IN (SELECT r.event_id FROM reports r JOIN documents d ON d.id = r.document_id"
                     " WHERE LOWER(d.outlet) = LOWER(?))")
        args.append(f.outlet)
    if f.date_from:
        where.append("e.date >= ?")
        args.append(f.date_from)
    if f.date_to:
        where.append("e.date <= ?")
        args.append(f.date_to + "~")  # '~' sorts after digits: 2025-06 takes in 2025-06-30
    if f.q and f.q.strip():
        where.append("e.id IN (SELECT r.event_id FROM reports r WHERE r.document_id IN (SELECT d.id FROM documents_fts"
                     " JOIN documents d ON d.rowid = documents_fts.rowid WHERE documents_fts MATCH ?))")
        args.append(_fts_query(f.q))
    return (" WHERE " + " AND ".join(where)) if where else "", args


def _like_id(entity_id: str) -> str:
    esc = entity_id.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f'%"{esc}"%'


def _run(store: Store, sql: str, args: list[Any] | tuple[Any, ...]) -> list[Any]:
    try:
        return store.db.execute(sql, args).fetchall()
    except sqlite3.OperationalError as e:  # a malformed full-text query
        raise StoreError(f"bad query: {e}") from e


_ORDER = " ORDER BY CASE WHEN e.date IS NULL THEN 1 ELSE 0 END, e.date DESC, e.first_seq DESC, e.id"


def list_events(store: Store, f: EventFilter, limit: int = 50, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """How many events pass the filter, and one page of their summaries, newest first."""
    where, args = _where(f)
    total = _run(store, "SELECT COUNT(*) FROM events e" + where, args)[0][0]
    ids = [r[0] for r in _run(store, "SELECT e.id FROM events e" + where + _ORDER + " LIMIT ? OFFSET ?",
                              [*args, limit, offset])]
    return total, event_summaries(store, ids)


def filtered_event_ids(store: Store, f: EventFilter, limit: int | None = None) -> list[str]:
    where, args = _where(f)
    sql = "SELECT e.id FROM events e" + where + _ORDER
    if limit is not None:
        sql += " LIMIT ?"
        args = [*args, limit]
    return [r[0] for r in _run(store, sql, args)]


def event_facets(store: Store, f: EventFilter) -> dict[str, list[dict[str, Any]]]:
    """Counts of the filtered events by type, mode, place, actor and outlet (the largest first)."""
    where, args = _where(f)
    sub = "SELECT e.id FROM events e" + where
    out: dict[str, list[dict[str, Any]]] = {}
    joiner = " AND " if where else " WHERE "
    for name, col in (("type", "e.type"), ("mode", "e.mode")):
        rows = _run(store, f"SELECT {col}, COUNT(*) AS n FROM events e{where}{joiner}{col} IS NOT NULL GROUP BY {col}"
                    f" ORDER BY n DESC, {col}", args)
        out[name] = [{"value": r[0], "label": r[0], "count": r[1]} for r in rows]
    rows = _run(store, f"SELECT p.id, p.name, COUNT(*) AS n FROM events e JOIN entities p ON p.id = e.place_id{where}"
                f" GROUP BY p.id, p.name ORDER BY n DESC, p.name LIMIT {FACET_LIMIT}", args)
    out["place"] = [{"value": r[0], "label": r[1], "count": r[2]} for r in rows]
    rows = _run(store, "SELECT d.outlet, COUNT(DISTINCT r.event_id) AS n FROM reports r JOIN documents d ON d.id = r.document_id"
                f" WHERE d.outlet IS NOT NULL AND r.event_id IN ({sub}) GROUP BY d.outlet ORDER BY n DESC, d.outlet"
                f" LIMIT {FACET_LIMIT}", args)
    out["outlet"] = [{"value": r[0], "label": r[0], "count": r[1]} for r in rows]
    counts: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for ev, actors in _run(store, f"SELECT r.event_id, r.actors FROM reports r WHERE r.event_id IN ({sub})", args):
        for a in json.loads(actors):
            if (ev, a) not in seen:
                seen.add((ev, a))
                counts[a] += 1
    top = counts.most_common(FACET_LIMIT)
    names = store.entities_by_id([a for a, _ in top])
    out["actor"] = [{"value": a, "label": names.get(a, {}).get("name", a), "count": n} for a, n in top]
    return out


# ---- summaries -----------------------------------------------------------------------------

def event_summaries(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """A short line per event (in the order given): what, when, where, how many reports."""
    if not ids:
        return []
    q = ",".join("?" * len(ids))
    evs = {r["id"]: dict(r) for r in store.db.execute(f"SELECT * FROM events WHERE id IN ({q})", ids)}
    reps: dict[str, list[dict[str, Any]]] = {}
    for r in store.db.execute(
            f"SELECT r.event_id, r.document_id, r.text, r.start, r.\"end\", r.actors, d.outlet, d.copy_of FROM reports r"
            f" JOIN documents d ON d.id = r.document_id WHERE r.event_id IN ({q}) ORDER BY d.seq, r.idx", ids):
        reps.setdefault(r["event_id"], []).append(dict(r))
    ents = store.entities_by_id(list({e["place_id"] for e in evs.values() if e["place_id"]}))
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
        })
    return out


def timeline(store: Store, f: EventFilter | None = None) -> dict[str, Any]:
    """Events per day by type (day-dated events), and how many are dated only to a month or year."""
    where, args = _where(f or EventFilter())
    joiner = " AND " if where else " WHERE "
    rows = _run(store, f"SELECT e.date, e.type, COUNT(*) FROM events e{where}{joiner}LENGTH(e.date) = 10"
                " GROUP BY e.date, e.type ORDER BY e.date", args)
    coarse = _run(store, f"SELECT COUNT(*) FROM events e{where}{joiner}(e.date IS NULL OR LENGTH(e.date) < 10)", args)[0][0]
    return {"days": [{"date": r[0], "type": r[1], "count": r[2]} for r in rows], "not_day_dated": coarse}


def overview(store: Store, latest: int = 10, top: int = 10) -> dict[str, Any]:
    """What the front page shows: counts, the timeline, the latest events, the most-reported figures."""
    ids = [r[0] for r in store.db.execute("SELECT e.id FROM events e" + _ORDER + " LIMIT ?", (latest,))]
    figs = store.db.execute(
        "SELECT f.event_id, f.kind, f.value, f.high, COUNT(DISTINCT f.document_id) AS n, MIN(f.subject) AS subject,"
        " MIN(f.id) AS figure_id FROM figures f WHERE f.event_id IS NOT NULL"
        " AND f.id NOT IN (SELECT target_id FROM reviews WHERE target_kind = 'figure' AND action = 'reject')"
        " GROUP BY f.event_id, f.kind, f.value, f.high ORDER BY n DESC, f.value DESC, f.event_id LIMIT ?", (top,)).fetchall()
    summaries = {s["id"]: s for s in event_summaries(store, list({r["event_id"] for r in figs}))}
    top_figures = []
    for r in figs:
        fid = r["figure_id"]
        row = store.db.execute("SELECT document_id, text, start, \"end\" FROM figures WHERE id = ?", (fid,)).fetchone()
        top_figures.append({"event_id": r["event_id"], "kind": r["kind"], "value": _num(r["value"]), "high": _num(r["high"]),
                            "subject": r["subject"], "sources": r["n"], "event": summaries.get(r["event_id"]),
                            "document_id": row["document_id"], "text": row["text"], "start": row["start"], "end": row["end"]})
    return {"counts": store.counts(), "timeline": timeline(store), "latest": event_summaries(store, ids),
            "top_figures": top_figures}


def map_points(store: Store, f: EventFilter, limit: int = 20000) -> list[dict[str, Any]]:
    """Events whose place has coordinates: id, type, mode, date, place, lat, lon."""
    where, args = _where(f)
    joiner = " AND " if where else " WHERE "
    rows = _run(store, "SELECT e.id, e.type, e.mode, e.date, p.name, p.lat, p.lon FROM events e JOIN entities p ON p.id = e.place_id"
                f"{where}{joiner}p.lat IS NOT NULL AND p.lon IS NOT NULL" + _ORDER + " LIMIT ?", [*args, limit])
    return [{"id": r[0], "type": r[1], "mode": r[2], "date": r[3], "place": r[4], "lat": r[5], "lon": r[6]} for r in rows]


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


def entity(store: Store, entity_id: str, limit: int = 500) -> dict[str, Any] | None:
    """An entity with its aliases, roles (and where stated), events over time and quotes."""
    e = store.entities_by_id([entity_id]).get(entity_id)
    if e is None:
        return None
    aliases = [r[0] for r in store.db.execute("SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (entity_id,))]
    roles: dict[str, list[str]] = {}
    for r in store.db.execute("SELECT role, document_id FROM entity_roles WHERE entity_id = ? ORDER BY role", (entity_id,)):
        roles.setdefault(r[0], []).append(r[1])
    ids = [r[0] for r in store.db.execute(
        "SELECT e.id FROM events e WHERE e.place_id = ? OR e.id IN (SELECT r.event_id FROM reports r WHERE r.actors LIKE ? ESCAPE '!')"
        + _ORDER + " LIMIT ?", (entity_id, _like_id(entity_id), limit))]
    quotes = [dict(r) for r in store.db.execute(
        "SELECT q.id, q.document_id, q.text, q.start, q.\"end\", d.outlet, d.published, d.source FROM quotes q"
        " JOIN documents d ON d.id = q.document_id WHERE q.speaker = ? ORDER BY d.seq, q.idx LIMIT ?", (entity_id, limit))]
    mentions = store.db.execute("SELECT COUNT(*), COUNT(DISTINCT document_id) FROM mentions WHERE entity_id = ?",
                                (entity_id,)).fetchone()
    return {**e, "aliases": aliases, "roles": [{"role": k, "documents": v} for k, v in roles.items()],
            "events": event_summaries(store, ids), "quotes": quotes,
            "mentions": mentions[0], "documents": mentions[1]}
