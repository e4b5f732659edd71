"""The ledger store: the only package that holds SQL.

SQLite is the embedded default. Each document is written in one transaction (its raw
bytes content-addressed by SHA-256, its text, its extraction record and every entity,
mention, figure, quote and event report as rows, and a hash-chained log entry), so a
run killed at any moment leaves a consistent ledger and re-running finishes the work.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from eventledger.errors import StoreError
from eventledger.ledger import dedup
from eventledger.ledger.grouping import (
    Candidate,
    OriginalReport,
    Report,
    best_match,
    compatible,
    copied_event,
    merge_date,
)
from eventledger.profile import Profile, load_profile
from eventledger.records import Extraction, RawDocument
from eventledger.store.backend import connect, display_location, is_postgres
from eventledger.store.schema import migrate

__all__ = ["AddResult", "Store", "open_store"]

NEAR_COPY = dedup.NEAR_COPY
# events --actor: above this many reports, walk events newest first rather than gather them all
WALK_ACTOR_REPORTS = 1000
_GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AddResult:
    document_id: str
    added: bool
    copy_of: str | None = None
    events: tuple[str, ...] = ()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def open_store(path: str | Path = "ledger.db", profile: Profile | None = None) -> Store:
    return Store(path, profile)


class Store:
    def __init__(self, path: str | Path = "ledger.db", profile: Profile | None = None) -> None:
        self.path = str(path)  # a file, or a postgresql:// URL (see store/backend.py)
        self.backend = "postgresql" if is_postgres(self.path) else "sqlite"
        where = display_location(self.path)
        try:
            self.db = connect(self.path)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{where}: not a ledger or unreadable: {getattr(e, 'reason', e)}") from e
        try:
            migrate(self.db, where)
        except sqlite3.DatabaseError as e:
            self.db.close()
            raise StoreError(f"{where}: not a ledger or unreadable: {getattr(e, 'reason', e)}") from e
        except BaseException:
            self.db.close()
            raise
        if self.backend == "sqlite":
            self.db.row_factory = sqlite3.Row
        self.profile = profile or load_profile()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writes ------------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def add(self, raw: RawDocument, ext: Extraction) -> AddResult:
        """Store one document and everything extracted from it; a no-op for stored bytes."""
        doc = ext.document
        if self.has_document(doc.id):
            return AddResult(doc.id, False)
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            if self.has_document(doc.id):  # another writer got there first
                db.execute("ROLLBACK")
                return AddResult(doc.id, False)
            seq = (db.execute("SELECT COALESCE(MAX(seq), 0) FROM documents").fetchone()[0]) + 1
            sig, n_shingles = dedup.sketch(doc.text)
            copy_of, sim = self._copy_of(doc.text_sha256, sig, n_shingles)
            db.execute("INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)",
                       (doc.id, len(raw.raw), raw.raw))
            record = ext.to_dict(with_text=False)
            db.execute(
                "INSERT INTO documents(id, seq, source, url, title, outlet, bylines, published, published_basis,"
                " text_sha256, text, copy_of, copy_similarity, signature, record, ingested_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, seq, doc.source, doc.url, doc.title, doc.outlet, json.dumps(list(doc.bylines)),
                 doc.published, doc.published_basis, doc.text_sha256, doc.text, copy_of, sim,
                 dedup.pack(sig, n_shingles), json.dumps(record, ensure_ascii=False), _now()),
            )
            db.executemany("INSERT OR IGNORE INTO document_bands(band, document_id) VALUES (?, ?)",
                           [(b, doc.id) for b in dedup.bands(sig)])
            self._write_entities(ext)
            fig_ids = [f"{doc.id}:{i}" for i in range(len(ext.figures))]
            db.executemany(
                "INSERT INTO figures(id, document_id, idx, value, high, approx, kind, per, subject, text, start, \"end\")"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [(fig_ids[i], doc.id, i, f.value, f.high, int(f.approx), f.kind, f.per, f.subject, f.text, f.start, f.end)
                 for i, f in enumerate(ext.figures)],
            )
            db.executemany(
                "INSERT INTO quotes(id, document_id, idx, speaker, text, start, \"end\") VALUES (?,?,?,?,?,?,?)",
                [(f"{doc.id}:{i}", doc.id, i, q.speaker, q.text, q.start, q.end) for i, q in enumerate(ext.quotes)],
            )
            events = self._write_reports(ext, seq, fig_ids, copy_of)
            self._log("ingest", doc.id, {"source": doc.source, "seq": seq, "copy_of": copy_of,
                                          "rows": self._row_digests(doc.id),
                                          "entities": self._entity_digests([e.id for e in ext.entities]),
                                          "events": self._event_states(sorted(set(events)))})
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return AddResult(doc.id, True, copy_of, tuple(events))

    def _copy_of(self, text_sha: str, sig: np.ndarray, n_shingles: int) -> tuple[str | None, float | None]:
        row = self.db.execute("SELECT id FROM documents WHERE text_sha256 = ? ORDER BY seq LIMIT 1", (text_sha,)).fetchone()
        if row:
            return row[0], 1.0
        bands = dedup.bands(sig)
        q = ",".join("?" * len(bands))
        cands = self.db.execute(
            f"SELECT DISTINCT d.id, d.signature, d.copy_of, d.seq FROM document_bands b JOIN documents d ON d.id = b.document_id"
            f" WHERE b.band IN ({q}) ORDER BY d.seq", bands,
        ).fetchall()
        best: tuple[str | None, float | None] = (None, None)
        for c in cands:
            other, m = dedup.unpack(c["signature"])
            sim = dedup.similarity(sig, n_shingles, other, m)
            if sim >= NEAR_COPY and (best[1] is None or sim > best[1]):
                best = (c["copy_of"] or c["id"], sim)
        return best

    def _write_entities(self, ext: Extraction) -> None:
        # one statement per table for all the entities (each a round trip on PostgreSQL)
        db, doc, ents = self.db, ext.document, ext.entities
        db.executemany("INSERT OR IGNORE INTO entities(id, kind, name, lat, lon) VALUES (?,?,?,?,?)",
                       [(e.id, e.kind, e.name, e.lat, e.lon) for e in ents])
        db.executemany("UPDATE entities SET lat = ?, lon = ? WHERE id = ? AND lat IS NULL",
                       [(e.lat, e.lon, e.id) for e in ents if e.lat is not None])
        db.executemany("INSERT OR IGNORE INTO entity_aliases(entity_id, alias) VALUES (?, ?)",
                       [(e.id, a) for e in ents for a in (e.name, *e.aliases)])
        db.executemany("INSERT OR IGNORE INTO entity_roles(entity_id, role, document_id) VALUES (?,?,?)",
                       [(e.id, r, doc.id) for e in ents for r in e.roles])
        db.executemany("INSERT OR IGNORE INTO mentions(document_id, entity_id, start, \"end\", text) VALUES (?,?,?,?,?)",
                       [(doc.id, e.id, m.start, m.end, m.text) for e in ents for m in e.mentions])

    def _place_info(self, place: str | None) -> tuple[float | None, float | None, frozenset[str]]:
        if not place:
            return None, None, frozenset()
        within = {place}
        pe = self.profile.by_id.get(place)
        while pe is not None and pe.within and pe.within not in within:
            within.add(pe.within)
            pe = self.profile.by_id.get(pe.within)
        cache = self.__dict__.setdefault("_place_cache", {})
        if place in cache:
            return cache[place]
        row = self.db.execute("SELECT lat, lon FROM entities WHERE id = ?", (place,)).fetchone()
        lat, lon = (row[0], row[1]) if row else (None, None)
        info = (lat, lon, frozenset(within))
        if lat is not None:  # coordinates, once stored, are never changed: safe to keep
            cache[place] = info
        return info

    def _report(self, type_: str, mode: str | None, date: str | None, place: str | None,
                actors: frozenset[str], figs: frozenset[tuple[str, float]]) -> Report:
        lat, lon, within = self._place_info(place)
        return Report(type_, mode, date, place, lat, lon, within, actors, figs)

    def _candidates(self, rep: Report) -> list[Candidate]:
        """Ledger events a mention could report, each with the actors and figures of all its
        reports: the events of its type at a compatible date and mode, less those whose place
        rules them out (a raid in Raleigh for one in Charlotte), then their reports and figures."""
        date = rep.date or ""
        # the year, the month, the day itself, and any day within it: two index ranges (an OR
        # of the two would scan every event of the type)
        mode = " AND (mode = ? OR mode IS NULL)" if rep.mode else ""
        sql = (f"SELECT id, mode, date, place_id FROM events WHERE type = ? AND date IN (?, ?, ?){mode}"
               f" UNION ALL SELECT id, mode, date, place_id FROM events WHERE type = ? AND date > ? AND date < ?{mode}")
        m = [rep.mode] if rep.mode else []
        args = [rep.type, date[:4], date[:7], date, *m, rep.type, date, date + "~", *m]
        empty: frozenset[Any] = frozenset()
        found = {r[0]: (r, set(), []) for r in self.db.execute(sql, args)
                 if compatible(rep, self._report(rep.type, r[1], r[2], r[3], empty, empty))}
        for r in self._by_ids("SELECT event_id, actors, figure_ids FROM reports WHERE event_id IN ({q})", list(found)):
            if r[1] != "[]":
                found[r[0]][1].update(json.loads(r[1]))
            if r[2] != "[]":
                found[r[0]][2].extend(json.loads(r[2]))
        keys = {f[0]: (f[1], f[2]) for f in self._by_ids(
            "SELECT id, kind, value FROM figures WHERE id IN ({q})", [f for _, _, figs in found.values() for f in figs])}
        return [Candidate(eid, self._report(rep.type, r[1], r[2], r[3], frozenset(actors),
                                            frozenset(keys[f] for f in figs if f in keys)))
                for eid, (r, actors, figs) in found.items()]

    def _write_reports(self, ext: Extraction, seq: int, fig_ids: list[str], copy_of: str | None = None) -> list[str]:
        db, doc = self.db, ext.document
        # a copy reports what its original reported: those reports join the original's events
        originals = [OriginalReport(r["event_id"], r["type"], r["mode"], r["date"], r["place_id"], r["text"])
                     for r in db.execute("SELECT event_id, type, mode, date, place_id, text FROM reports"
                                         " WHERE document_id = ? ORDER BY idx", (copy_of,))] if copy_of else []
        out = []
        for i, ev in enumerate(ext.events):
            figs = frozenset((ext.figures[k].kind, float(ext.figures[k].value)) for k in ev.figures)
            rep = self._report(ev.type, ev.mode, ev.date, ev.place, frozenset(ev.actors), figs)
            eid = copied_event(rep, ev.text, originals)
            if eid is None and ev.date:
                eid = best_match(rep, self._candidates(rep))
            if eid is None:
                eid = "ev-" + hashlib.sha256(f"{doc.id}:{i}".encode()).hexdigest()[:16]
                db.execute("INSERT INTO events(id, type, mode, date, date_precision, place_id, first_seq) VALUES (?,?,?,?,?,?,?)",
                           (eid, ev.type, ev.mode, ev.date, ev.date_precision, ev.place, seq))
            else:
                cur = db.execute("SELECT date, place_id, mode FROM events WHERE id = ?", (eid,)).fetchone()
                date = merge_date(cur["date"], ev.date)
                prec = {10: "day", 7: "month", 4: "year"}.get(len(date or ""), None)
                place = cur["place_id"] or ev.place
                if ev.place and cur["place_id"] and ev.place != cur["place_id"] and cur["place_id"] in self._place_info(ev.place)[2]:
                    place = ev.place  # the more specific place: MacArthur Park inside Los Angeles
                db.execute("UPDATE events SET date = ?, date_precision = ?, place_id = ?, mode = COALESCE(mode, ?) WHERE id = ?",
                           (date, prec, place, ev.mode, eid))
            ids = [fig_ids[k] for k in ev.figures]
            db.execute(
                "INSERT INTO reports(id, event_id, document_id, idx, type, mode, date, date_precision, place_id, actors,"
                " targets, figure_ids, attribution, text, start, \"end\") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (f"{doc.id}:{i}", eid, doc.id, i, ev.type, ev.mode, ev.date, ev.date_precision, ev.place,
                 json.dumps(list(ev.actors)), json.dumps(list(ev.targets)), json.dumps(ids),
                 json.dumps(ev.attribution.to_dict()) if ev.attribution else None, ev.text, ev.start, ev.end),
            )
            db.executemany("INSERT OR IGNORE INTO report_actors(entity_id, report_id) VALUES (?, ?)",
                           [(a, f"{doc.id}:{i}") for a in ev.actors])
            if ids:
                db.executemany("UPDATE figures SET event_id = ? WHERE id = ?", [(eid, f) for f in ids])
            out.append(eid)
        return out

    # ---- the hash-chained log -------------------------------------------------------------
    def _log(self, action: str, subject: str, detail: dict[str, Any]) -> str:
        prev = self.db.execute("SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1").fetchone()
        seq = (prev["seq"] + 1) if prev else 1
        prev_hash = prev["hash"] if prev else _GENESIS
        at = _now()
        h = _entry_hash(prev_hash, seq, at, action, subject, detail)
        self.db.execute("INSERT INTO log(seq, at, action, subject, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
                        (seq, at, action, subject, json.dumps(detail, sort_keys=True), prev_hash, h))
        return h

    def _row_digests(self, doc_id: str) -> dict[str, str]:
        """A digest per table of one document's rows, so an edited row is found by name."""
        q = {
            "documents": "SELECT id, source, url, title, outlet, bylines, published, published_basis, text_sha256, text,"
                         " copy_of, record FROM documents WHERE id = ?",
            "mentions": "SELECT entity_id, start, \"end\", text FROM mentions WHERE document_id = ? ORDER BY start, entity_id",
            "figures": "SELECT id, value, high, approx, kind, per, subject, text, start, \"end\" FROM figures WHERE document_id = ? ORDER BY idx",
            "quotes": "SELECT id, speaker, text, start, \"end\" FROM quotes WHERE document_id = ? ORDER BY idx",
            "reports": "SELECT id, type, mode, date, place_id, actors, figure_ids, attribution, text, start, \"end\""
                       " FROM reports WHERE document_id = ? ORDER BY idx",
            "entity_roles": "SELECT entity_id, role FROM entity_roles WHERE document_id = ? ORDER BY entity_id, role",
        }
        return {t: _digest([tuple(r) for r in self.db.execute(sql, (doc_id,))]) for t, sql in q.items()}

    def _by_ids(self, sql: str, ids: list[str]) -> Iterator[Any]:
        """Rows of ``sql`` (ending in ``IN ({q})``) for many ids, a few hundred at a time."""
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            # each chunk read whole: no cursor is left open if the caller stops (Ctrl-C mid-ingest)
            yield from self.db.execute(sql.format(q=",".join("?" * len(chunk))), chunk).fetchall()

    def _entity_digests(self, ids: list[str]) -> dict[str, str]:
        """A short digest per entity of its row and aliases (entities are shared by documents,
        so each ingest logs those it touched as they now are)."""
        ids = sorted(set(ids))
        aliases: dict[str, list[str]] = {}
        for r in self._by_ids("SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN ({q})", ids):
            aliases.setdefault(r[0], []).append(r[1])
        return {r[0]: _digest([list(r), sorted(aliases.get(r[0], []))])[:16]
                for r in self._by_ids("SELECT id, kind, name, lat, lon FROM entities WHERE id IN ({q})", ids)}

    def _event_states(self, ids: list[str]) -> dict[str, list[Any]]:
        """What a ledger event is (type, mode, date, precision, place), as logged by each ingest
        that created or merged it; reviews log their corrections of it."""
        return {r[0]: list(r)[1:] for r in self._by_ids(
            "SELECT id, type, mode, date, date_precision, place_id FROM events WHERE id IN ({q})", ids)}

    def verify(self) -> list[str]:
        """Re-hash every stored source and walk the log; one line per problem found."""
        problems: list[str] = []
        sources = {r[0]: r[1] for r in self.db.execute("SELECT id, source FROM documents")}
        for r in self.db.execute("SELECT sha256, data FROM blobs"):
            if hashlib.sha256(r["data"]).hexdigest() != r["sha256"]:
                problems.append(f"source {sources.get(r['sha256'], '?')} (document {r['sha256']}):"
                                " stored bytes do not match their SHA-256")
        for r in self.db.execute("SELECT d.id, d.source FROM documents d LEFT JOIN blobs b ON b.sha256 = d.id"
                                 " WHERE b.sha256 IS NULL"):
            problems.append(f"source {r['source']} (document {r['id']}): stored bytes missing")
        for r in self.db.execute("SELECT id, source, text, text_sha256 FROM documents"):
            if hashlib.sha256(r["text"].encode()).hexdigest() != r["text_sha256"]:
                problems.append(f"document {r['id']} ({r['source']}): text does not match text_sha256")
        prev_hash, expect_seq = _GENESIS, 1
        latest: dict[str, dict[str, str]] = {}
        entities: dict[str, str] = {}
        events: dict[str, list[Any]] = {}
        fields = ["type", "mode", "date", "date_precision", "place_id"]
        for e in self.db.execute("SELECT * FROM log ORDER BY seq"):
            detail = json.loads(e["detail"])
            if e["seq"] != expect_seq:
                problems.append(f"log entry {expect_seq}: missing (next is {e['seq']})")
            if e["prev_hash"] != prev_hash or _entry_hash(prev_hash, e["seq"], e["at"], e["action"], e["subject"], detail) != e["hash"]:
                problems.append(f"log entry {e['seq']} ({e['action']} {e['subject']}): hash chain broken")
            if "rows" in detail:
                latest[e["subject"]] = detail["rows"]
            entities.update(detail.get("entities") or {})
            events.update(detail.get("events") or {})
            target = e["subject"].removeprefix("event:")
            if e["action"] == "review" and detail.get("kind") == "event" and detail.get("new") and target in events:
                events[target] = [detail["new"].get(f, v) for f, v in zip(fields, events[target])]
            prev_hash, expect_seq = e["hash"], e["seq"] + 1
        for doc_id, source in sources.items():
            logged = latest.get(doc_id)
            if logged is None:
                problems.append(f"document {doc_id} ({source}): not in the log")
                continue
            now = self._row_digests(doc_id)
            for table, h in logged.items():
                if table in now and now[table] != h:
                    problems.append(f"document {doc_id} ({source}): {table} rows changed since they were logged")
        for doc_id, rows in latest.items():
            if doc_id not in sources:
                problems.append(f"document {doc_id}: in the log but missing from the ledger")
        now_entities = self._entity_digests(list(entities))
        for ent, h in entities.items():
            if now_entities.get(ent) != h:
                problems.append(f"entity {ent}: " + ("missing" if ent not in now_entities else "changed since it was logged"))
        now_events = self._event_states(list(events))
        for ev, state in events.items():
            if ev not in now_events:
                problems.append(f"event {ev}: missing")
            elif now_events[ev] != state:
                changed = [f for f, a, b in zip(fields, state, now_events[ev]) if a != b]
                problems.append(f"event {ev}: {', '.join(changed)} changed since it was logged")
        return problems

    # ---- reads -------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for t in ("documents", "entities", "mentions", "figures", "quotes", "events", "reports", "log"):
            out[t] = self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        out["copies"] = self.db.execute("SELECT COUNT(*) FROM documents WHERE copy_of IS NOT NULL").fetchone()[0]
        return out

    def event_ids(self, type_: str | None = None, mode: str | None = None, place: str | None = None,
                  actor: str | None = None, outlet: str | None = None, date_from: str | None = None,
                  date_to: str | None = None, limit: int | None = None, offset: int = 0) -> list[str]:
        where, args = [], []
        if type_:
            where.append("e.type = ?")
            args.append(type_.upper())
        if mode:
            where.append("e.mode = ?")
            args.append(mode)
        if place:
            where.append("(e.place_id = ? OR e.place_id IN (SELECT id FROM entities WHERE kind='place' AND name = ? COLLATE NOCASE))")
            args += [place, place]
        if actor:
            who = "(ra.entity_id = ? OR ra.entity_id IN (SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE))"
            reports = self.db.execute(f"SELECT COUNT(*) FROM report_actors ra WHERE {who}", (actor, actor)).fetchone()[0]
            if limit is not None and limit + offset <= 500 and reports > WALK_ACTOR_REPORTS:
                # an actor of many events (ICE): walk events newest first, stop when the page is full
                where.append(f"EXISTS (SELECT 1 FROM reports r JOIN report_actors ra ON ra.report_id = r.id"
                             f" WHERE r.event_id = e.id AND {who})")
            else:  # a rarer one: its few reports' events, then sorted
                where.append(f"e.id IN (SELECT r.event_id FROM report_actors ra JOIN reports r ON r.id = ra.report_id WHERE {who})")
            args += [actor, actor]
        if outlet:
            where.append("e.id IN (SELECT r.event_id FROM reports r JOIN documents d ON d.id = r.document_id WHERE d.outlet = ? COLLATE NOCASE)")
            args.append(outlet)
        if date_from:
            where.append("e.date >= ?")
            args.append(date_from)
        if date_to:
            where.append("substr(e.date, 1, length(?)) <= ?")
            args += [date_to, date_to]
        sql = "SELECT e.id FROM events e" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY e.date DESC, e.first_seq, e.id LIMIT ? OFFSET ?"  # e.id: the same order on every backend
        args += [limit if limit is not None else -1, offset]
        return [r[0] for r in self.db.execute(sql, args)]

    def event_rows(self, event_id: str) -> dict[str, Any] | None:
        """Everything a ledger event record is built from (see ledger.compare)."""
        ev = self.db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        if ev is None:
            return None
        reports = [dict(r) for r in self.db.execute(
            "SELECT r.*, d.source, d.outlet, d.published, d.copy_of, d.url FROM reports r JOIN documents d ON d.id = r.document_id"
            " WHERE r.event_id = ? ORDER BY d.seq, r.idx", (event_id,))]
        figures = [dict(r) for r in self.db.execute(
            "SELECT f.*, d.copy_of FROM figures f JOIN documents d ON d.id = f.document_id WHERE f.event_id = ? ORDER BY d.seq, f.idx",
            (event_id,))]
        ids = {ev["place_id"]} | {a for r in reports for a in json.loads(r["actors"])}
        ents = self.entities_by_id([i for i in ids if i])
        docs = sorted({r["document_id"] for r in reports})
        q = ",".join("?" * len(docs))
        quotes = [dict(r) for r in self.db.execute(
            f"SELECT * FROM quotes WHERE document_id IN ({q}) AND speaker IN (SELECT value FROM json_each(?)) ORDER BY document_id, idx",
            (*docs, json.dumps(sorted(ids - {None})))) ] if docs else []
        return {"event": dict(ev), "reports": reports, "figures": figures, "entities": ents, "quotes": quotes}

    def entities_by_id(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        q = ",".join("?" * len(ids))
        return {r["id"]: dict(r) for r in self.db.execute(f"SELECT * FROM entities WHERE id IN ({q})", ids)}

    def figure_rows(self, kind: str | None = None, event: str | None = None, entity: str | None = None,
                    limit: int = 1000) -> list[dict[str, Any]]:
        where, args = [], []
        if kind:
            where.append("f.kind = ?")
            args.append(kind)
        if event:
            where.append("f.event_id = ?")
            args.append(event)
        if entity:
            where.append("f.event_id IN (SELECT r.event_id FROM report_actors ra JOIN reports r ON r.id = ra.report_id"
                         " WHERE ra.entity_id = ?"
                         " UNION SELECT id FROM events WHERE place_id = ?)")
            args += [entity, entity]
        sql = ("SELECT f.*, d.source, d.outlet, d.published, d.copy_of FROM figures f JOIN documents d ON d.id = f.document_id"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY d.seq, f.idx LIMIT ?")
        return [dict(r) for r in self.db.execute(sql, (*args, limit))]

    def search(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search over titles and texts (SQLite FTS5 query syntax; plain words work)."""
        q = " ".join('"' + w.replace('"', '""') + '"' for w in text.split()) if text.strip() else '""'
        if self.backend == "postgresql":  # the same quoted words, as a tsquery, ranked by ts_rank
            if not text.strip():
                return []
            return [dict(r) for r in self.db.execute(
                "SELECT d.id, d.source, d.title, d.outlet, d.published, ts_headline('simple', d.text, q,"
                " 'StartSel=[, StopSel=], MinWords=6, MaxWords=12, MaxFragments=1, FragmentDelimiter=…') AS snippet"
                " FROM documents_fts f JOIN documents d ON d.seq = f.seq, websearch_to_tsquery('simple', ?) q"
                " WHERE f.tsv @@ q ORDER BY ts_rank(f.tsv, q) DESC, d.seq LIMIT ?", (q, limit))]
        try:
            rows = self.db.execute(
                "SELECT d.id, d.source, d.title, d.outlet, d.published,"
                " snippet(documents_fts, 1, '[', ']', '…', 12) AS snippet"
                " FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
                " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?", (q, limit)).fetchall()
        except sqlite3.OperationalError as e:
            raise StoreError(f"bad search {text!r}: {e}") from e
        return [dict(r) for r in rows]

    def documents(self) -> Iterator[dict[str, Any]]:
        for r in self.db.execute("SELECT id, seq, source, url, title, outlet, published, copy_of FROM documents ORDER BY seq"):
            yield dict(r)


def _entry_hash(prev_hash: str, seq: int, at: str, action: str, subject: str, detail: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + json.dumps([seq, at, action, subject, detail], sort_keys=True)).encode()).hexdigest()
