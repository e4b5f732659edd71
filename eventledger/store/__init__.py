"""The ledger store: the only package that holds SQL.

SQLite is the embedded default. Each document is written in one transaction (its raw
bytes content-addressed by SHA-256, its text, its extraction record and every entity,
mention, figure, quote and event report as rows, and a hash-chained log entry), so a
run killed at any moment leaves a consistent ledger and re-running finishes the work.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from eventledger.errors import StoreError
from eventledger.ledger import dedup
from eventledger.ledger import grouping
from eventledger.ledger.grouping import Rep, StoryDoc
from eventledger.profile import Profile, load_profile
from eventledger.records import Extraction, RawDocument
from eventledger.store.backend import connect, display_location, is_postgres
from eventledger.store.schema import migrate
from eventledger.store.seal import SEALED, entry_hash, logged_form

__all__ = ["AddResult", "LedgerWriteError", "Store", "open_store"]

NEAR_COPY = dedup.NEAR_COPY
# a search of thousands of words took 25 s (each word a phrase to intersect): no one types more than this
MAX_SEARCH_WORDS = 32
MAX_SEARCH_CHARS = 1000
# the grouping compares a new document with at most this many others sharing its blocking keys
BLOCK = 200
# a blocking key's documents, read along the index story_keys(key, day), each read bounded
_KEY_BEFORE = ("SELECT document_id, day FROM story_keys WHERE key = ? AND day >= ? AND day <= ?"
               " ORDER BY day DESC, document_id DESC LIMIT ?")
_KEY_AFTER = ("SELECT document_id, day FROM story_keys WHERE key = ? AND day > ? AND day <= ?"
              " ORDER BY day, document_id LIMIT ?")
_KEY_UNDATED = "SELECT document_id FROM story_keys WHERE key = ? AND day IS NULL ORDER BY document_id DESC LIMIT ?"
_KEY_LATEST = "SELECT document_id FROM story_keys WHERE key = ? ORDER BY day DESC, document_id DESC LIMIT ?"
PER_KEY = 50
VECTOR_CACHE = 200_000  # parsed document vectors kept by a writer
# ...and each report of a document in a large story with at most this many of its events
STORY_EVENTS = 500
_GENESIS = "0" * 64
# the tables whose rows belong to one document (sealed by its ingest)
_DOCUMENT_TABLES = ("documents", "mentions", "figures", "quotes", "reports", "entity_roles")


@dataclass(frozen=True, slots=True)
class StoryWrite:
    """What one document's grouping decision wrote, so its log entry can seal every scope it touched."""

    report_events: list[str]  # the document's reports' events, in report order
    touched: list[str]  # events inserted or updated
    removed: list[str]  # events deleted (merged into others when a story was re-decided)
    documents: list[str]  # other documents whose reports, figures or story row moved
    stories: list[str]  # stories written or retired


class LedgerWriteError(StoreError):
    """The ledger cannot be written at all (a full disk, a read-only file): stop the run."""
# place types (gazetteer.jsonl) too large to say two reports name the same happening's place
_ABOVE_TOWN = frozenset({"county", "state", "region", "country", "territory", "border"})


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
            applied = migrate(self.db, where)
        except sqlite3.DatabaseError as e:
            self.db.close()
            raise StoreError(f"{where}: not a ledger or unreadable: {getattr(e, 'reason', e)}") from e
        except BaseException:
            self.db.close()
            raise
        if self.backend == "sqlite":
            self.db.row_factory = sqlite3.Row
        self.profile = profile or load_profile()
        if "005_tamper" in applied and self.db.execute("SELECT 1 FROM log LIMIT 1").fetchone() is not None:
            self._seal_all("upgrade")

    def _seal_all(self, action: str) -> None:
        """Log one entry sealing every row as it is now: a ledger written before every row was
        sealed (migration 005) is verified from its upgrade on."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            scopes = {t: sorted({str(r[0]) for r in db.execute(f'SELECT "{s.scope}" FROM {t}')})
                      for t, s in SEALED.items()}
            self._log(action, "ledger", {"reason": "every row sealed as found"}, seal=scopes)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

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
            at = _now()
            db.execute(
                "INSERT INTO documents(id, seq, source, url, title, outlet, bylines, published, published_basis,"
                " text_sha256, text, copy_of, copy_similarity, signature, record, ingested_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, seq, doc.source, doc.url, doc.title, doc.outlet, json.dumps(list(doc.bylines)),
                 doc.published, doc.published_basis, doc.text_sha256, doc.text, copy_of, sim,
                 dedup.pack(sig, n_shingles), json.dumps(record, ensure_ascii=False), at),
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
            w = self._write_story(ext, seq, fig_ids, copy_of)
            ent_ids = sorted({e.id for e in ext.entities})
            detail: dict[str, Any] = {"source": doc.source, "seq": seq, "copy_of": copy_of}
            if w.removed:
                detail["events_removed"] = w.removed
            docs = sorted({doc.id, *w.documents})  # reports, figures or story rows of other documents moved too
            self._log("ingest", doc.id, detail,
                      seal={**{t: [doc.id] for t in _DOCUMENT_TABLES if t not in ("reports", "figures")},
                            "reports": docs, "figures": docs, "story_docs": docs, "story_keys": [doc.id],
                            "entities": ent_ids, "entity_aliases": ent_ids,
                            "events": sorted({*w.report_events, *w.touched, *w.removed}),
                            "stories": w.stories}, at=at)
            db.execute("COMMIT")
        except BaseException as e:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(e, sqlite3.OperationalError) and re.search(r"disk is full|disk I/O|readonly|read-only|no space",
                                                                        str(e), re.I):
                why = getattr(e, "reason", "") or str(e)  # the driver's words, without the ledger's name again
                raise LedgerWriteError(f"{display_location(self.path)}: cannot write the ledger ({why}); every document"
                                       " stored before this one is complete") from e
            if isinstance(e, sqlite3.Error):
                raise StoreError(f"cannot store the document ({e})") from e
            raise
        return AddResult(doc.id, True, copy_of, tuple(w.report_events))

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
        cache = self.__dict__.setdefault("_place_cache", {})
        if place in cache:
            return cache[place]
        within = {place}
        pe = self.profile.by_id.get(place)
        while pe is not None and pe.within and pe.within not in within:
            within.add(pe.within)
            pe = self.profile.by_id.get(pe.within)
        row = self.db.execute("SELECT lat, lon FROM entities WHERE id = ?", (place,)).fetchone()
        lat, lon = (row[0], row[1]) if row else (None, None)
        info = (lat, lon, frozenset(within))
        if lat is not None:  # coordinates, once stored, are never changed: safe to keep
            cache[place] = info
        return info

    def _town(self, place: str | None) -> str | None:
        """The city a place lies in (a street, a square, a neighbourhood: their city), the place
        itself when it is a town without a known city; None for a county, state or larger."""
        seen, pe = set(), self.profile.by_id.get(place) if place else None
        if pe is None:
            return place
        first = None
        while pe is not None and pe.id not in seen:
            seen.add(pe.id)
            if pe.type == "city":
                return pe.id
            if pe.type in _ABOVE_TOWN:
                break
            first = first or pe.id
            pe = self.profile.by_id.get(pe.within) if pe.within else None
        return first

    @property
    def policy(self) -> grouping.Policy:
        return grouping.load_policy(getattr(self.profile, "path", None))

    # ---- what the grouping decision reads (ledger.grouping.StoryReader) ------------------------
    def story_block(self, keys: list[str], day: str | None, window_days: int, also: list[str]) -> list[StoryDoc]:
        """Documents sharing a blocking key with the new one, within the time window or
        undated: for each key at most PER_KEY of them (the nearest days first, then undated
        ones), then the BLOCK sharing most keys; and the ``also`` ones. Each read walks the
        index (key, day) from the new document's day outwards and stops at PER_KEY rows, so
        its cost does not grow with the documents stored."""
        shared: dict[str, int] = {}
        for key in keys:
            for doc_id in self._keyed(key, day, window_days):
                shared[doc_id] = shared.get(doc_id, 0) + 1
        ids = sorted(shared, key=lambda x: (-shared[x], x))[:BLOCK]
        return self._story_docs("s.document_id IN ({q})", ids + [a for a in also if a not in shared])

    def _keyed(self, key: str, day: str | None, window_days: int) -> list[str]:
        if not day:
            return [r[0] for r in self.db.execute(_KEY_LATEST, (key, PER_KEY)).fetchall()]
        from datetime import date, timedelta

        d = date.fromisoformat(day)
        lo, hi = (d - timedelta(days=window_days)).isoformat(), (d + timedelta(days=window_days)).isoformat()
        near = [*self.db.execute(_KEY_BEFORE, (key, lo, day, PER_KEY)).fetchall(),
                *self.db.execute(_KEY_AFTER, (key, day, hi, PER_KEY)).fetchall()]
        near.sort(key=lambda r: (abs((date.fromisoformat(r[1]) - d).days), r[1], r[0]))
        out = [r[0] for r in near[:PER_KEY]]
        if len(out) < PER_KEY:
            out += [r[0] for r in self.db.execute(_KEY_UNDATED, (key, PER_KEY - len(out))).fetchall()]
        return out

    def story_members(self, story_ids: list[str]) -> list[StoryDoc]:
        return self._story_docs("s.story_id IN ({q})", story_ids)

    def _story_docs(self, where: str, ids: list[str]) -> list[StoryDoc]:
        # a document's vector, publication date and copy_of never change once written: read and
        # parsed once per process. Only its story row is read each time: the documents row holds
        # the text, and a column after it costs a walk through the text's overflow pages.
        cache: dict[str, tuple[str | None, dict[str, float], str | None]] = self.__dict__.setdefault("_vectors", {})
        if len(cache) > VECTOR_CACHE:
            cache.clear()
        rows = list(self._by_ids("SELECT s.document_id, s.story_id, s.day FROM story_docs s WHERE " + where, ids))
        missing = [r[0] for r in rows if r[0] not in cache]
        if missing:
            for r in self._by_ids("SELECT s.document_id, d.published, s.vector, d.copy_of FROM story_docs s"
                                  " JOIN documents d ON d.id = s.document_id WHERE s.document_id IN ({q})", missing):
                cache[r[0]] = (r[1], json.loads(r[2]), r[3])
        return [StoryDoc(r[0], r[1], cache[r[0]][0], r[2], cache[r[0]][1], cache[r[0]][2]) for r in rows]

    def story_reports(self, doc_ids: list[str]) -> list[Rep]:
        figs = {r[0]: (r[1], float(r[2])) for r in self._by_ids(
            "SELECT id, kind, value FROM figures WHERE document_id IN ({q})", doc_ids)}
        out = []
        for r in self._by_ids(
                "SELECT r.id, r.document_id, r.idx, d.published, d.seq, r.type, r.mode, r.date, r.place_id, r.actors,"
                " r.figure_ids, r.status, r.salience, r.event_id,"
                # a reviewer's grouping stands: the event was reviewed, or the report moved by a reviewer
                " (e.review_status <> 'unreviewed' OR EXISTS (SELECT 1 FROM reviews v WHERE v.target_kind = 'report'"
                " AND v.target_id = r.id)) FROM reports r JOIN documents d ON d.id = r.document_id"
                " LEFT JOIN events e ON e.id = r.event_id WHERE r.document_id IN ({q})", doc_ids):
            lat, lon, within = self._place_info(r[8])
            out.append(Rep(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], lat, lon, within,
                           frozenset(json.loads(r[9])), frozenset(figs[f] for f in json.loads(r[10]) if f in figs),
                           r[11], r[12], r[13], bool(r[14])))
        return out

    def story_event_ids(self, story_ids: list[str]) -> list[str]:
        return [r[0] for r in self._by_ids("SELECT id FROM events WHERE story_id IN ({q})", story_ids)]

    def story_sizes(self, story_ids: list[str]) -> dict[str, tuple[int, dict[str, float]]]:
        return {r[0]: (r[1], json.loads(r[2])) for r in self._by_ids(
            "SELECT id, documents, centroid FROM stories WHERE id IN ({q})", story_ids)}

    def story_events(self, story_id: str, type_: str, date: str | None) -> list[Rep]:
        """A story's events of a type that a report of that date could join (all of them for an
        undated report, at most STORY_EVENTS), as the grouping compares them: no report read."""
        sql = "SELECT id, mode, date, place_id, first_seq, status FROM events WHERE story_id = ? AND type = ?"
        args: list[Any] = [story_id, type_]
        if date:  # the year, the month, the day itself, any day within it, and undated events
            sql += " AND (date IS NULL OR date IN (?, ?, ?) OR (date > ? AND date < ?))"
            args += [date[:4], date[:7], date, date, date + "~"]
        out = []
        for r in self.db.execute(sql + " ORDER BY id LIMIT ?", (*args, STORY_EVENTS)).fetchall():
            lat, lon, within = self._place_info(r[3])
            out.append(Rep(r[0], "", 0, None, r[4], type_, r[1], r[2], r[3], lat, lon, within, status=r[5], event=r[0]))
        return out

    def _write_story(self, ext: Extraction, seq: int, fig_ids: list[str],
                     copy_of: str | None) -> "StoryWrite":
        """Decide the document's story and the story's events (ledger.grouping), then write
        the decision: the document's reports, the story's events as decided (reports and
        figures moved to them, events no longer decided removed), its story rows. Returns the
        document's report events, the events written and those removed."""
        db, doc, policy = self.db, ext.document, self.policy
        names = [(e.id, e.name, len(e.mentions)) for e in ext.entities]
        vector = grouping.doc_vector(doc.text, names, policy)
        day = grouping.doc_day(doc.published, [ev.date for ev in ext.events])
        new = StoryDoc(doc.id, None, doc.published, day, vector, copy_of)
        reps = []
        for i, ev in enumerate(ext.events):
            lat, lon, within = self._place_info(ev.place)
            reps.append(Rep(f"{doc.id}:{i}", doc.id, i, doc.published, seq, ev.type, ev.mode, ev.date, ev.place, lat,
                            lon, within, frozenset(ev.actors),
                            frozenset((ext.figures[k].kind, float(ext.figures[k].value)) for k in ev.figures),
                            ev.status, ev.salience))
        vector = grouping.with_marks(vector, [(r, self._town(r.place)) for r in reps],
                                     [(f.kind, float(f.value)) for f in ext.figures], policy)
        new = StoryDoc(doc.id, None, doc.published, day, vector, copy_of)
        d = grouping.decide(self, new, reps, policy)
        event_of = {r: e.id for e in d.events for r in e.reports}
        story_of = {e.id: st.id for st in d.stories for e in st.events}
        current, reviewed = {}, set()
        for r in self._by_ids("SELECT id, type, mode, date, date_precision, place_id, story_id, first_seq, status,"
                              " review_status FROM events WHERE id IN ({q})", [e.id for e in d.events]):
            current[r[0]] = tuple(r)[1:9]
            if r[9] != "unreviewed":
                reviewed.add(r[0])
        touched = []
        for e in d.events:
            row = (e.type, e.mode, e.date, e.date_precision, e.place, story_of[e.id], e.first_seq, e.status)
            if e.id in reviewed:  # what a reviewer confirmed or corrected stays; only its story and first report move
                row = (*current[e.id][:5], story_of[e.id], e.first_seq, current[e.id][7])
            if e.id not in current:
                db.execute("INSERT INTO events(id, type, mode, date, date_precision, place_id, story_id, first_seq, status)"
                           " VALUES (?,?,?,?,?,?,?,?,?)", (e.id, *row))
            elif current[e.id] != row:
                db.execute("UPDATE events SET type = ?, mode = ?, date = ?, date_precision = ?, place_id = ?, story_id = ?,"
                           " first_seq = ?, status = ? WHERE id = ?", (*row, e.id))
            else:
                continue
            touched.append(e.id)
        for i, ev in enumerate(ext.events):
            rid = f"{doc.id}:{i}"
            ids = [fig_ids[k] for k in ev.figures]
            db.execute(
                "INSERT INTO reports(id, event_id, document_id, idx, type, mode, date, date_precision, place_id, actors,"
                " targets, figure_ids, attribution, text, start, \"end\", status, salience, date_basis, attributed_to)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (rid, event_of[rid], doc.id, i, ev.type, ev.mode, ev.date, ev.date_precision, ev.place,
                 json.dumps(list(ev.actors)), json.dumps(list(ev.targets)), json.dumps(ids),
                 json.dumps(ev.attribution.to_dict()) if ev.attribution else None, ev.text, ev.start, ev.end,
                 ev.status, ev.salience, ev.date_basis, json.dumps(list(ev.attributed_to)) if ev.attributed_to else None),
            )
            db.executemany("INSERT OR IGNORE INTO report_actors(entity_id, report_id) VALUES (?, ?)",
                           [(a, rid) for a in ev.actors])
        for i, f in enumerate(ext.figures):
            if f.attributed_to:
                db.execute("UPDATE figures SET attributed_to = ? WHERE id = ?", (json.dumps(list(f.attributed_to)), fig_ids[i]))
        new_reports = [(f"{doc.id}:{i}", event_of[f"{doc.id}:{i}"]) for i in range(len(ext.events))]
        db.executemany("UPDATE reports SET event_id = ? WHERE id = ?", [(e, r) for r, e in d.moved])
        db.executemany("UPDATE figures SET event_id = ? WHERE id IN (SELECT value FROM json_each("
                       "(SELECT figure_ids FROM reports WHERE id = ?)))", [(e, r) for r, e in [*d.moved, *new_reports]])
        if d.removed_events:
            db.executemany("DELETE FROM events WHERE id = ?", [(e,) for e in d.removed_events])
        db.execute("INSERT INTO story_docs(document_id, story_id, day, vector) VALUES (?,?,?,?)",
                   (doc.id, next(st.id for st in d.stories if doc.id in st.documents), day,
                    json.dumps(vector, sort_keys=True)))
        others = [(st.id, x) for st in d.stories for x in st.documents if x != doc.id]
        now_in = dict(self._by_ids("SELECT document_id, story_id FROM story_docs WHERE document_id IN ({q})",
                                   [x for _, x in others]))
        restoried = {x for sid, x in others if now_in.get(x) != sid}  # only these rows change (and are resealed)
        db.executemany("UPDATE story_docs SET story_id = ? WHERE document_id = ?",
                       [(sid, x) for sid, x in others if x in restoried])
        if d.retired:
            db.executemany("DELETE FROM stories WHERE id = ?", [(x,) for x in d.retired])
        for st in d.stories:
            row = (st.size, json.dumps(st.centroid, sort_keys=True), st.id)
            if db.execute("UPDATE stories SET documents = ?, centroid = ? WHERE id = ?", row).rowcount == 0:
                db.execute("INSERT INTO stories(documents, centroid, id) VALUES (?,?,?)", row)
        db.executemany("INSERT OR IGNORE INTO story_keys(key, document_id, day) VALUES (?, ?, ?)",
                       [(k, doc.id, day) for k in grouping.blocking_keys(vector, policy)])
        moved_docs = {r.rsplit(":", 1)[0] for r, _ in d.moved}
        return StoryWrite([event_of[f"{doc.id}:{i}"] for i in range(len(ext.events))], sorted(touched),
                          list(d.removed_events), sorted(moved_docs | restoried),
                          sorted({st.id for st in d.stories} | set(d.retired)))

    # ---- the hash-chained log -------------------------------------------------------------
    def _log(self, action: str, subject: str, detail: dict[str, Any], seal: dict[str, list[str]] | None = None,
             at: str | None = None) -> str:
        """Append a log entry (inside the caller's transaction); ``seal`` names the scopes of
        store/seal.py's SEALED tables this write touched (table -> keys): their rows, as they
        now are, are recorded in the entry so verify can tell any later edit."""
        if seal:
            detail = dict(detail, seal=self._seal(seal))
        prev = self.db.execute("SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1").fetchone()
        seq = (prev["seq"] + 1) if prev else 1
        prev_hash = prev["hash"] if prev else _GENESIS
        at = at or _now()
        h = entry_hash(prev_hash, seq, at, action, subject, detail)
        self.db.execute("INSERT INTO log(seq, at, action, subject, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
                        (seq, at, action, subject, json.dumps(detail, sort_keys=True), prev_hash, h))
        return h

    def _seal(self, scopes: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
        """The logged form (store/seal.py) of each named scope's rows as they are now."""
        out: dict[str, dict[str, Any]] = {}
        for table, keys in scopes.items():
            s = SEALED[table]
            keys = sorted(set(keys), key=str)  # as stored (an integer id stays one: PostgreSQL compares types)
            cols = ", ".join(f'"{c}"' for c in s.columns)
            rows: dict[str, list[tuple[Any, ...]]] = {str(k): [] for k in keys}
            for r in self._by_ids(f'SELECT "{s.scope}", {cols} FROM {table} WHERE "{s.scope}" IN ({{q}})', keys):
                rows[str(r[0])].append(tuple(r)[1:])
            out[table] = {k: logged_form(table, v) for k, v in rows.items()}
        return out

    def _by_ids(self, sql: str, ids: list[str]) -> Iterator[Any]:
        """Rows of ``sql`` (ending in ``IN ({q})``) for many ids, a few hundred at a time."""
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            # each chunk read whole: no cursor is left open if the caller stops (Ctrl-C mid-ingest)
            yield from self.db.execute(sql.format(q=",".join("?" * len(chunk))), chunk).fetchall()

    def verify(self) -> list[str]:
        """Every stored value checked (store/verify.py); one line per problem found."""
        from eventledger.store.verify import verify_store

        return verify_store(self)  # the kit's exhibits and rows too: store/seal.py registers their tables

    # ---- reads -------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for t in ("documents", "entities", "mentions", "figures", "quotes", "events", "reports", "log"):
            out[t] = self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        out["copies"] = self.db.execute("SELECT COUNT(*) FROM documents WHERE copy_of IS NOT NULL").fetchone()[0]
        return out

    def event_ids(self, type_: str | None = None, mode: str | None = None, place: str | None = None,
                  actor: str | None = None, outlet: str | None = None, date_from: str | None = None,
                  date_to: str | None = None, limit: int | None = None, offset: int = 0,
                  story: str | None = None) -> list[str]:
        """The ids of the events that pass these filters, newest first: the one selection of
        store/queries.py (:func:`~eventledger.store.queries.filtered_event_ids`) that the web
        app and the API use too, so every list of events has the same members and order."""
        from eventledger.store.queries import EventFilter, event_index, filtered_event_ids, ledger_head

        # the event index of this ledger, kept until the log moves (the web app keeps its own so)
        ix = self.__dict__.get("_event_index")
        if ix is None or ix.head != ledger_head(self):
            ix = self.__dict__["_event_index"] = event_index(self)
        f = EventFilter(type_, mode, place, actor, outlet, date_from, date_to, story=story)
        return filtered_event_ids(self, f, limit, offset, index=ix)

    def story_ids(self, limit: int | None = None) -> list[str]:
        """Stories, latest first (by their latest event or document day)."""
        return [r[0] for r in self.db.execute(
            "SELECT story_id FROM (SELECT story_id, day FROM story_docs"
            " UNION ALL SELECT story_id, date AS day FROM events WHERE story_id IS NOT NULL) x"
            " GROUP BY story_id ORDER BY MAX(day) IS NULL, MAX(day) DESC, story_id LIMIT ?", (limit if limit is not None else -1,))]

    def story_rows(self, story_id: str) -> dict[str, Any] | None:
        """Everything a story record is built from (see ledger.compare.build_story_record)."""
        events = [dict(r) for r in self.db.execute("SELECT * FROM events WHERE story_id = ?", (story_id,))]
        doc_ids = [r[0] for r in self.db.execute("SELECT document_id FROM story_docs WHERE story_id = ?", (story_id,))]
        ev_ids = [e["id"] for e in events]
        reports = [dict(r) for r in self._by_ids(
            "SELECT id, event_id, document_id, salience, status FROM reports WHERE event_id IN ({q})", ev_ids)]
        doc_ids = sorted(set(doc_ids) | {r["document_id"] for r in reports})
        if not doc_ids and not events:
            return None
        docs = [dict(r) for r in self._by_ids(
            "SELECT id, seq, source, url, title, outlet, published, copy_of FROM documents WHERE id IN ({q})", doc_ids)]
        docs.sort(key=lambda d: (d["published"] is None, d["published"] or "", d["seq"]))
        figures = [dict(r) for r in self._by_ids(
            "SELECT f.*, d.copy_of FROM figures f JOIN documents d ON d.id = f.document_id WHERE f.document_id IN ({q})",
            doc_ids)]
        figures.sort(key=lambda f: (f["document_id"], f["idx"]))
        ents = self.entities_by_id(sorted({e["place_id"] for e in events if e["place_id"]}))
        return {"id": story_id, "documents": docs, "events": events, "reports": reports, "figures": figures,
                "entities": ents}

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
        if len(text) > MAX_SEARCH_CHARS or len(text.split()) > MAX_SEARCH_WORDS:
            raise StoreError(f"search too long: at most {MAX_SEARCH_WORDS} words and {MAX_SEARCH_CHARS} characters")
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
