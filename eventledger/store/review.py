"""Reviewers and their reviews: the only writes besides ingest.

A reviewer (an account made with `eventledger user add`) confirms, rejects or corrects an
extracted value (an event's type, mode, date or place; a figure's value; a quote's
speaker) or an event grouping (a report moved to another event or to an event of its
own), always with a reason. Each review is one transaction that writes a ``reviews`` row
and an entry in the hash-chained log naming who, when, what it was and what it became.

Extracted rows are never edited: a figure's or quote's correction is an overlay that
readers apply (:func:`apply_overlays`), so the stored extraction still verifies and the
original value stays visible beside the reviewed one. An event's own fields and the
grouping of reports into events are the ledger's judgement, not extraction, and are
updated in place, their old values kept in the review.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import date
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from eventledger.errors import StoreError
from eventledger.store import Store, _now

__all__ = [
    "ACTIONS", "EVENT_FIELDS", "ReviewError", "add_user", "apply_overlays", "authenticate", "latest_reviews",
    "end_sessions", "list_users", "recent_reviews", "regroup_report", "remove_user", "review_event", "review_figure",
    "review_quote", "review_targets", "reviews_for_event", "session_generation", "user_exists", "write_transaction",
]

ACTIONS = ("confirm", "reject", "correct")
EVENT_FIELDS = ("type", "mode", "date", "place_id")
_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
           "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MAX_REASON = 2000
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_FIGURE = 1e12  # more than any count or sum of money a news story states
MIN_PASSWORD = 10

_hasher = PasswordHasher()  # argon2id with the library's current parameters
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class ReviewError(StoreError):
    """A review or account operation was refused; the message says why."""


# ---- accounts ------------------------------------------------------------------------------

def add_user(store: Store, name: str, password: str, replace: bool = False) -> None:
    """Create a reviewer (or, with ``replace``, set a new password); logged without the hash."""
    if not _NAME_RE.match(name):
        raise ReviewError(f"bad user name {name!r}: use 1-64 letters, digits, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD:
        raise ReviewError(f"password too short: at least {MIN_PASSWORD} characters")
    pw_hash = _hasher.hash(password)
    with _transaction(store):
        row = store.db.execute("SELECT disabled FROM users WHERE name = ?", (name,)).fetchone()
        exists = row is not None  # a removed reviewer too: their reviews keep the name
        if exists and not replace:
            raise ReviewError(f"user {name} {'was removed' if row[0] else 'already exists'}"
                              " (use --replace to set a new password)")
        if exists:
            store.db.execute("UPDATE users SET password_hash = ?, disabled = 0 WHERE name = ?", (pw_hash, name))
        else:
            store.db.execute("INSERT INTO users(name, password_hash, created_at) VALUES (?, ?, ?)", (name, pw_hash, _now()))
        if exists:  # a new password ends every session of the old one
            store.db.execute("UPDATE users SET session_gen = session_gen + 1 WHERE name = ?", (name,))
        store._log("user-password" if exists else "user-add", f"user:{name}", {"name": name}, seal={"users": [name]})


def session_generation(store: Store, name: str) -> int | None:
    """The reviewer's current session generation (None for no such active reviewer): a session
    made under an older one is refused."""
    row = store.db.execute("SELECT session_gen FROM users WHERE name = ? AND disabled = 0", (name,)).fetchone()
    return None if row is None else int(row[0])


def end_sessions(store: Store, name: str) -> None:
    """Log the reviewer out everywhere: every session made so far stops working."""
    with _transaction(store):
        if store.db.execute("UPDATE users SET session_gen = session_gen + 1 WHERE name = ?", (name,)).rowcount:
            store._log("user-logout", f"user:{name}", {"name": name}, seal={"users": [name]})


def user_exists(store: Store, name: str) -> bool:
    row = store.db.execute("SELECT 1 FROM users WHERE name = ? AND disabled = 0", (name,)).fetchone()
    return row is not None


def list_users(store: Store) -> list[dict[str, Any]]:
    """Every reviewer, removed ones too: name, created_at, active, reviews (how many)."""
    return [{"name": r[0], "created_at": r[1], "active": not r[2], "reviews": r[3]} for r in store.db.execute(
        "SELECT u.name, u.created_at, u.disabled, (SELECT COUNT(*) FROM reviews v WHERE v.reviewer = u.name)"
        " FROM users u ORDER BY u.name")]


def remove_user(store: Store, name: str) -> None:
    """Stop a reviewer logging in. The account is kept, disabled, because their reviews name
    it; logged. `add_user(..., replace=True)` makes it active again."""
    with _transaction(store):
        row = store.db.execute("SELECT disabled FROM users WHERE name = ?", (name,)).fetchone()
        if row is None or row[0]:
            raise ReviewError(f"no reviewer {name!r}" + (" (already removed)" if row is not None else ""))
        # disabled, and every session it holds ended (a saved cookie no longer works)
        store.db.execute("UPDATE users SET disabled = 1, session_gen = session_gen + 1 WHERE name = ?", (name,))
        store._log("user-remove", f"user:{name}", {"name": name}, seal={"users": [name]})


def authenticate(store: Store, name: str, password: str) -> bool:
    """True when the password is this active reviewer's; as slow for unknown names."""
    row = store.db.execute("SELECT password_hash FROM users WHERE name = ? AND disabled = 0", (name,)).fetchone()
    try:
        _hasher.verify(row[0] if row else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return row is not None


# ---- reviews -------------------------------------------------------------------------------

def review_event(store: Store, event_id: str, reviewer: str, action: str, reason: str,
                 changes: dict[str, str | None] | None = None) -> dict[str, Any]:
    """Confirm, reject or correct a ledger event; ``changes`` maps EVENT_FIELDS to new values."""
    _check(store, reviewer, action, reason)
    with _transaction(store):
        ev = store.db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        if ev is None:
            raise ReviewError(f"no event {event_id}")
        old = new = None
        status = {"confirm": "confirmed", "reject": "rejected", "correct": "corrected"}[action]
        if action == "correct":
            new = _event_changes(store, changes or {})
            new = {k: v for k, v in new.items() if v != ev[k]}
            if not new:
                raise ReviewError("a correction must change at least one of type, mode, date, place")
            old = {k: ev[k] for k in new}
            if "date" in new:
                new["date_precision"] = {10: "day", 7: "month", 4: "year"}.get(len(new["date"] or ""))
                old["date_precision"] = ev["date_precision"]
            sets = ", ".join(f"{k} = ?" for k in new)
            store.db.execute(f"UPDATE events SET {sets} WHERE id = ?", (*new.values(), event_id))
            added = _add_profile_place(store, new.get("place_id"))
        return _record(store, reviewer, "event", event_id, event_id, action, old, new, reason, status,
                       seal_extra={"entities": added, "entity_aliases": added} if action == "correct" and added else None)


def review_figure(store: Store, figure_id: str, reviewer: str, action: str, reason: str,
                  value: float | None = None, high: float | None = None) -> dict[str, Any]:
    """Confirm, reject or correct (``value``, optional ``high``) one extracted figure."""
    _check(store, reviewer, action, reason)
    with _transaction(store):
        f = store.db.execute("SELECT id, value, high, event_id FROM figures WHERE id = ?", (figure_id,)).fetchone()
        if f is None:
            raise ReviewError(f"no figure {figure_id}")
        old = new = None
        _figure_value(value, "value")
        _figure_value(high, "high")
        if action == "correct":
            if value is None or value < 0:
                raise ReviewError("a figure correction needs a value of 0 or more")
            high = value if high is None else high
            if high < value:
                raise ReviewError("high must not be below value")
            old, new = {"value": _num(f["value"]), "high": _num(f["high"])}, {"value": _num(value), "high": _num(high)}
        return _record(store, reviewer, "figure", figure_id, f["event_id"], action, old, new, reason,
                       "corrected" if action != "confirm" else None)


def review_quote(store: Store, quote_id: str, reviewer: str, action: str, reason: str,
                 speaker: str | None = None) -> dict[str, Any]:
    """Confirm, reject or correct the speaker (an entity id) of one extracted quote."""
    _check(store, reviewer, action, reason)
    with _transaction(store):
        q = store.db.execute("SELECT id, speaker FROM quotes WHERE id = ?", (quote_id,)).fetchone()
        if q is None:
            raise ReviewError(f"no quote {quote_id}")
        old = new = None
        if action == "correct":
            if not speaker or store.db.execute("SELECT 1 FROM entities WHERE id = ?", (speaker,)).fetchone() is None:
                raise ReviewError(f"no entity {speaker!r} to name as the speaker")
            old, new = {"speaker": q["speaker"]}, {"speaker": speaker}
        return _record(store, reviewer, "quote", quote_id, None, action, old, new, reason, None)


def regroup_report(store: Store, report_id: str, reviewer: str, reason: str, to_event: str | None = None) -> dict[str, Any]:
    """Move one report (and its figures) to another event, or to a new event of its own."""
    _check(store, reviewer, "correct", reason)
    db = store.db
    with _transaction(store):
        r = db.execute("SELECT * FROM reports WHERE id = ?", (report_id,)).fetchone()
        if r is None:
            raise ReviewError(f"no report {report_id}")
        src = r["event_id"]
        if to_event == src:
            raise ReviewError(f"report {report_id} is already in event {src}")
        if to_event is None:
            to_event = "ev-" + hashlib.sha256(f"regroup:{report_id}:{_now()}".encode()).hexdigest()[:16]
            seq = db.execute("SELECT seq FROM documents WHERE id = ?", (r["document_id"],)).fetchone()[0]
            story = db.execute("SELECT story_id FROM events WHERE id = ?", (src,)).fetchone()
            # a new event of the same story: the story page, its timeline and the regroup form list it
            db.execute("INSERT INTO events(id, type, mode, date, date_precision, place_id, first_seq, review_status,"
                       " reviewed_by, reviewed_at, story_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                       (to_event, r["type"], r["mode"], r["date"], r["date_precision"], r["place_id"], seq,
                        "corrected", reviewer, _now(), story[0] if story else None))
        elif db.execute("SELECT 1 FROM events WHERE id = ?", (to_event,)).fetchone() is None:
            raise ReviewError(f"no event {to_event}")
        db.execute("UPDATE reports SET event_id = ? WHERE id = ?", (to_event, report_id))
        for fid in json.loads(r["figure_ids"]):
            db.execute("UPDATE figures SET event_id = ? WHERE id = ?", (to_event, fid))
        left = db.execute("SELECT COUNT(*) FROM reports WHERE event_id = ?", (src,)).fetchone()[0]
        out = _record(store, reviewer, "report", report_id, src, "regroup", {"event_id": src}, {"event_id": to_event},
                      reason, "corrected" if left else "rejected", extra_events=(to_event,))
        return out


# ---- reads ---------------------------------------------------------------------------------

def reviews_for_event(store: Store, event_id: str) -> list[dict[str, Any]]:
    """Every review of the event or of a value or report in it, oldest first."""
    rows = store.db.execute(
        "SELECT * FROM reviews WHERE event_id = ? OR (target_kind = 'figure' AND target_id IN"
        " (SELECT id FROM figures WHERE event_id = ?)) OR (target_kind = 'report' AND target_id IN"
        " (SELECT id FROM reports WHERE event_id = ?)) OR (target_kind = 'report' AND new_value = ?) ORDER BY id",
        (event_id, event_id, event_id, json.dumps({"event_id": event_id})))
    return [_review_dict(r) for r in rows]


def latest_reviews(store: Store, kind: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The newest review of each of these targets, by target id."""
    if not ids:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        q = ",".join("?" * len(chunk))
        for r in store.db.execute(f"SELECT * FROM reviews WHERE target_kind = ? AND target_id IN ({q}) ORDER BY id",
                                  (kind, *chunk)):
            out[r["target_id"]] = _review_dict(r)
    return out


def recent_reviews(store: Store, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    rows = store.db.execute("SELECT * FROM reviews ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset))
    return [_review_dict(r) for r in rows]


def review_targets(store: Store, reviews: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What the reviews are about, to say them in words: ``figures`` (id -> kind, subject,
    value, high as extracted), ``quotes`` (id -> text) and ``entities`` (id -> name) for the
    places and speakers the reviews name."""
    fig_ids = sorted({r["target_id"] for r in reviews if r["target_kind"] == "figure"})
    quote_ids = sorted({r["target_id"] for r in reviews if r["target_kind"] == "quote"})
    ent_ids: set[str] = set()
    for r in reviews:
        for v in (r["old_value"] or {}, r["new_value"] or {}):
            ent_ids.update(x for k, x in v.items() if k in ("place_id", "speaker") and x)
    figures: dict[str, Any] = {}
    quotes: dict[str, Any] = {}
    for i in range(0, len(fig_ids), 500):
        chunk = fig_ids[i:i + 500]
        for f in store.db.execute(f"SELECT id, kind, subject, value, high FROM figures WHERE id IN"
                                  f" ({','.join('?' * len(chunk))})", tuple(chunk)):
            figures[f["id"]] = {"kind": f["kind"], "subject": f["subject"], "value": _num(f["value"]),
                                "high": _num(f["high"])}
    for i in range(0, len(quote_ids), 500):
        chunk = quote_ids[i:i + 500]
        for qt in store.db.execute(f"SELECT id, text FROM quotes WHERE id IN ({','.join('?' * len(chunk))})", tuple(chunk)):
            quotes[qt["id"]] = {"text": qt["text"]}
    names = {k: v["name"] for k, v in store.entities_by_id(sorted(ent_ids)).items()} if ent_ids else {}
    return {"figures": figures, "quotes": quotes, "entities": names}


def apply_overlays(store: Store, rows: dict[str, Any]) -> dict[str, Any]:
    """An event's rows (Store.event_rows) with reviewed figures and quotes applied.

    A corrected figure takes its new value and keeps the extracted one under ``original``;
    a rejected figure leaves the comparison and is listed under ``rejected_figures``.
    Every figure and quote row gains ``review`` (the newest review of it, or None).
    """
    figs = latest_reviews(store, "figure", [f["id"] for f in rows["figures"]])
    quotes = latest_reviews(store, "quote", [q["id"] for q in rows["quotes"]])
    kept, rejected = [], []
    for f in rows["figures"]:
        f = dict(f, review=figs.get(f["id"]), original=None)
        rv = f["review"]
        if rv and rv["action"] == "reject":
            rejected.append(f)
            continue
        if rv and rv["action"] == "correct":
            f["original"] = {"value": f["value"], "high": f["high"]}
            f["value"], f["high"] = rv["new_value"]["value"], rv["new_value"]["high"]
            f["approx"] = 0
        kept.append(f)
    qs = []
    for q in rows["quotes"]:
        q = dict(q, review=quotes.get(q["id"]), original_speaker=None)
        rv = q["review"]
        if rv and rv["action"] == "correct":
            q["original_speaker"], q["speaker"] = q["speaker"], rv["new_value"]["speaker"]
        qs.append(q)
    return dict(rows, figures=kept, rejected_figures=rejected, quotes=qs)


# ---- helpers -------------------------------------------------------------------------------

class write_transaction:
    """One writer transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on any error); the
    kit's writes (store/kit.py) use it too."""

    def __init__(self, store: Store) -> None:
        self.db = store.db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        elif self.db.in_transaction:
            self.db.execute("ROLLBACK")


_transaction = write_transaction


def _check(store: Store, reviewer: str, action: str, reason: str) -> None:
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}; choose one of {', '.join(ACTIONS)}")
    if not reason or not reason.strip():
        raise ReviewError("a review needs a reason")
    if len(reason) > MAX_REASON:
        raise ReviewError(f"reason too long: at most {MAX_REASON} characters")
    if not user_exists(store, reviewer):
        raise ReviewError(f"no active reviewer {reviewer!r}")


def _event_changes(store: Store, changes: dict[str, str | None]) -> dict[str, str | None]:
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ReviewError(f"cannot correct {', '.join(sorted(unknown))}; only {', '.join(EVENT_FIELDS)}")
    out: dict[str, str | None] = {}
    for k, v in changes.items():
        v = (v or "").strip() or None
        if k == "type":
            if not v or v.upper() not in _PLOVER:
                raise ReviewError(f"type must be a PLOVER root type, not {v!r}")
            v = v.upper()
        elif k == "mode" and v is not None and not re.match(r"^[a-z][a-z-]{0,30}$", v):
            raise ReviewError(f"mode must be a PLOVER mode such as arrest or seize, not {v!r}")
        elif k == "date" and v is not None and not _real_date(v):
            raise ReviewError(f"date must be a real date as YYYY, YYYY-MM or YYYY-MM-DD"
                              f" ({MIN_YEAR}-{MAX_YEAR}), not {v!r}")
        elif k == "place_id" and v is not None and store.db.execute(
                "SELECT 1 FROM entities WHERE id = ? AND kind = 'place'", (v,)).fetchone() is None:
            pe = store.profile.by_id.get(v)
            if pe is None or pe.kind != "place":
                raise ReviewError(f"no place {v!r} in the ledger or the profile gazetteer")
        out[k] = v
    return out


def _add_profile_place(store: Store, place_id: str | None) -> list[str]:
    """A profile gazetteer place a reviewer named that no document has mentioned yet becomes a
    ledger entity (with its aliases), so the event can point at it; [place_id] when added."""
    if not place_id or store.db.execute("SELECT 1 FROM entities WHERE id = ?", (place_id,)).fetchone():
        return []
    pe = store.profile.by_id[place_id]
    store.db.execute("INSERT INTO entities(id, kind, name, lat, lon) VALUES (?,?,?,?,?)",
                     (pe.id, "place", pe.name, pe.lat, pe.lon))
    for alias in dict.fromkeys((pe.name, *pe.aliases)):
        store.db.execute("INSERT INTO entity_aliases(entity_id, alias) VALUES (?, ?)", (pe.id, alias))
    return [pe.id]


def _real_date(v: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a day, month or year that exists, in a plausible range."""
    if not _DATE_RE.match(v):
        return False
    parts = [int(x) for x in v.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return MIN_YEAR <= parts[0] <= MAX_YEAR


def _figure_value(x: float | None, what: str) -> None:
    if x is not None and not (math.isfinite(x) and 0 <= x <= MAX_FIGURE):
        raise ReviewError(f"{what} must be a number from 0 to {MAX_FIGURE:,.0f}, not {x!r}")


def figure_event(store: Store, figure_id: str) -> str | None:
    """The event a figure belongs to (None: none, or no such figure)."""
    row = store.db.execute("SELECT event_id FROM figures WHERE id = ?", (figure_id,)).fetchone()
    return row[0] if row else None


def _set_status(store: Store, event_id: str, status: str, reviewer: str, at: str) -> None:
    store.db.execute("UPDATE events SET review_status = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
                     (status, reviewer, at, event_id))


def _record(store: Store, reviewer: str, kind: str, target: str, event_id: str | None, action: str,
            old: dict[str, Any] | None, new: dict[str, Any] | None, reason: str, status: str | None,
            extra_events: tuple[str, ...] = (), seal_extra: dict[str, list[str]] | None = None) -> dict[str, Any]:
    at = _now()
    reason = reason.strip()
    detail = {"by": reviewer, "kind": kind, "action": action, "event": event_id, "old": old, "new": new, "reason": reason}
    seq = store.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM log").fetchone()[0]
    rid = store.db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM reviews").fetchone()[0]
    store.db.execute(
        "INSERT INTO reviews(id, at, reviewer, target_kind, target_id, event_id, action, old_value, new_value, reason,"
        " log_seq, log_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (rid, at, reviewer, kind, target, event_id, action, _json(old), _json(new), reason, seq, ""))
    if event_id and status:
        _set_status(store, event_id, status, reviewer, at)
    for e in extra_events:  # a regroup's destination event
        _set_status(store, e, "corrected", reviewer, at)
    seal = {"reviews": [rid], "events": sorted({e for e in (event_id, *extra_events) if e})}
    if kind == "report":  # a regroup moves the report and its figures
        seal.update(reports=[target.split(":")[0]], figures=[target.split(":")[0]])
    seal.update(seal_extra or {})
    h = store._log("review", f"{kind}:{target}", detail, seal=seal, at=at)
    store.db.execute("UPDATE reviews SET log_hash = ? WHERE id = ?", (h, rid))
    return {"id": rid, "at": at, "reviewer": reviewer, "target_kind": kind, "target_id": target, "event_id": event_id,
            "action": action, "old_value": old, "new_value": new, "reason": reason, "log_seq": seq, "log_hash": h}


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


def _json(x: Any) -> str | None:
    return None if x is None else json.dumps(x, sort_keys=True)


def _review_dict(r: Any) -> dict[str, Any]:
    d = dict(r)
    for k in ("old_value", "new_value"):
        d[k] = json.loads(d[k]) if d[k] else None
    return d
