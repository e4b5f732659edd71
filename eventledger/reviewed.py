"""What the ledger says after review, for every reader: `show`, `events`, `export` and the API.

A reviewer's correction of a figure is an overlay (store/review.py): the extracted row is
never edited. An event's own fields are corrected in place, their old values kept in the
review. Readers get the reviewed value *and* what was extracted, never one silently:

- :func:`reviewed_record` the spec/ledger.md record of one event with reviews applied: a
  corrected figure gives its reviewed value, and its source gains ``reviewed``
  (``{"action", "by", "at", "reason", "extracted": {"value", "high"} | null}``); a rejected
  figure leaves the comparison for ``rejected_figures``; ``review`` gains ``extracted``,
  the values the extractor gave the event's fields a reviewer changed (``{}`` when none);
  every figure source gains ``said_by`` (:func:`name_claimants`).
- :func:`reviewed_story_record` a story record with figure reviews applied, marked the same way.
- :func:`mark_reviewed` the same marks on a record built elsewhere (the web dossier).
- :func:`name_claimants` who says each figure value, in words (``said_by``).
- :func:`say_review` one review as a sentence: "rita corrected arrests from 76 to 78,
  12 June 2025, because ...".
- :func:`say_reviewed_value` "78 (reviewed; extracted 76)".
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from eventledger.headline import say_date
from eventledger.ledger.compare import build_event_record
from eventledger.store import Store
from eventledger.store.review import apply_overlays, review_targets, reviews_for_event

__all__ = ["REJECTED", "keep_event", "mark_reviewed", "name_claimants", "reviewed_record", "reviewed_story_record",
           "say_review", "say_reviewed_value", "say_reviews", "say_who"]

REJECTED = ("exclude", "mark")
"""What a reader does with an event a reviewer rejected: leave it out (the default) or keep it,
marked by its ``review.status``."""


def keep_event(rec: dict[str, Any], rejected: str) -> bool:
    """Whether a record stays in a listing or export under ``--rejected``."""
    if rejected not in REJECTED:
        raise ValueError(f"rejected must be one of {', '.join(REJECTED)}, not {rejected!r}")
    return rejected == "mark" or (rec.get("review") or {}).get("status") != "rejected"


def reviewed_record(store: Store, event_id: str, quotes: bool = False) -> dict[str, Any] | None:
    """The ledger event record with every review applied and marked (None: no such event);
    with ``quotes``, also the quotes of the event's actors (``speaker`` as reviewed, and
    ``reviewed`` with the ``extracted`` speaker)."""
    rows = store.event_rows(event_id)
    if rows is None:
        return None
    rows = apply_overlays(store, rows if quotes else dict(rows, quotes=[]))  # no quote reviews to look up
    rec = build_event_record(rows, store.profile)
    reviews = reviews_for_event(store, event_id) if rec["review"]["status"] != "unreviewed" else []
    rec = mark_reviewed(store, rec, rows, reviews)
    if quotes:
        rec["quotes"] = [{"speaker": q["speaker"], "document_id": q["document_id"], "text": q["text"],
                          "start": q["start"], "end": q["end"],
                          "reviewed": _mark(q["review"], {"speaker": q["original_speaker"]}
                                            if q["original_speaker"] else None)} for q in rows["quotes"]]
    return rec


def reviewed_story_record(store: Store, story_id: str) -> dict[str, Any] | None:
    """The spec/ledger.md story record with figure reviews applied (None: no such story): a
    corrected figure counts with its reviewed value, its source marked ``reviewed`` with the
    ``extracted`` one; a rejected figure leaves the comparison; every source gains ``said_by``."""
    from eventledger.ledger.compare import build_story_record

    rows = store.story_rows(story_id)
    if rows is None:
        return None
    figs = apply_overlays(store, {"figures": rows["figures"], "quotes": []})["figures"]
    rec = build_story_record(dict(rows, figures=figs), store.profile, store.policy)
    _mark_sources(store, rec["figures"], figs)
    return rec


def _mark_sources(store: Store, groups: list[dict[str, Any]], figures: list[dict[str, Any]]) -> None:
    """Each figure source of ``groups`` gains ``said_by`` and ``reviewed`` (its figure's
    review, with the extracted value), found by its span among ``figures`` (after
    apply_overlays)."""
    by_span = {(f["document_id"], f["start"], f["end"]): f for f in figures}
    name_claimants(store, groups)
    for g in groups:
        for v in g["values"]:
            for s in v["sources"]:
                f = by_span.get((s["document_id"], s["start"], s["end"]))
                s["reviewed"] = _mark(f["review"], f.get("original")) if f is not None else None


def mark_reviewed(store: Store, rec: dict[str, Any], rows: dict[str, Any],
                  reviews: list[dict[str, Any]]) -> dict[str, Any]:
    """Mark ``rec`` (built from ``rows`` after apply_overlays) with its reviews, in place."""
    _mark_sources(store, rec["figures"], rows["figures"])
    rejected = [
        {"figure_id": f["id"], "kind": f["kind"], "value": f["value"], "high": f["high"], "subject": f["subject"],
         "document_id": f["document_id"], "text": f["text"], "start": f["start"], "end": f["end"],
         "reviewed": _mark(f["review"], None)} for f in rows.get("rejected_figures") or ()]
    if "rejected_figures" in rec:  # the caller's own list (the web dossier), marked
        marks = {f["figure_id"]: f["reviewed"] for f in rejected}
        for f in rec["rejected_figures"]:
            f["reviewed"] = marks.get(f["figure_id"])
    else:
        rec["rejected_figures"] = rejected
    rec["review"] = dict(rec["review"], extracted=_extracted_fields(store, rec, reviews))
    return rec


def name_claimants(store: Store, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every source of these figure groups gains ``said_by``: who the text says makes the claim
    in words ("U.S. Immigration and Customs Enforcement", "NBC News via a federal source"),
    entity ids replaced by their names; None where the text names no one."""
    ids = sorted({x for g in groups for v in g["values"] for s in v["sources"]
                  for x in _chain(s.get("attributed_to")) if _ID_RE.match(x)})
    names = {k: e["name"] for k, e in store.entities_by_id(ids).items()} if ids else {}
    for g in groups:
        for v in g["values"]:
            for s in v["sources"]:
                chain = [names.get(x, x) for x in _chain(s.get("attributed_to"))]
                s["said_by"] = " via ".join(chain) or None
    return groups


def _chain(attributed_to: Any) -> list[str]:
    if not attributed_to:
        return []
    return [attributed_to] if isinstance(attributed_to, str) else [str(x) for x in attributed_to]


_ID_RE = re.compile(r"^[a-z]+:[a-z0-9][a-z0-9.-]*$")


def _mark(review: dict[str, Any] | None, original: dict[str, Any] | None) -> dict[str, Any] | None:
    if not review:
        return None
    if original:  # numbers as the record writes them: 76, not 76.0
        original = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in original.items()}
    return {"action": review["action"], "by": review["reviewer"], "at": review["at"], "reason": review["reason"],
            "extracted": original}


def _extracted_fields(store: Store, rec: dict[str, Any], reviews: list[dict[str, Any]]) -> dict[str, Any]:
    """The extractor's values of the event fields reviewers corrected (the oldest old value of
    each), left out where a later correction put the extracted value back."""
    first: dict[str, Any] = {}
    for r in reviews:
        if r["target_kind"] == "event" and r["action"] == "correct" and r["old_value"]:
            for k, v in r["old_value"].items():
                first.setdefault(k, v)
    now = {"type": rec["type"], "mode": rec["mode"], "date": rec["date"], "date_precision": rec["date_precision"],
           "place_id": (rec["place"] or {}).get("id")}
    out = {k: v for k, v in first.items() if k in now and k != "date_precision" and v != now[k]}
    if "date" in out:
        out["date_precision"] = first.get("date_precision")
    if "place_id" in out:
        pid = out.pop("place_id")
        names = store.entities_by_id([pid]) if pid else {}
        out["place"] = {"id": pid, "name": names.get(pid, {}).get("name", pid)} if pid else None
    return out


# ---- said as people write it ------------------------------------------------------------------

def say_number(v: Any) -> str:
    if isinstance(v, (int, float)) and float(v).is_integer():
        return f"{int(v):,}"
    return str(v)


def _say_range(d: dict[str, Any] | None) -> str:
    if not d:
        return "nothing"
    lo, hi = d.get("value"), d.get("high")
    return say_number(lo) if hi in (None, lo) else f"{say_number(lo)}-{say_number(hi)}"


def say_reviewed_value(value: str, extracted: list[str]) -> str:
    """"78 (reviewed; extracted 76)"; the value alone when nothing was corrected."""
    return f"{value} (reviewed; extracted {' and '.join(extracted)})" if extracted else value


def say_who(attributed_to: Any) -> str | None:
    """Who the text says makes a claim: "ICE", "NBC via a source"; None when no one is named."""
    if not attributed_to:
        return None
    if isinstance(attributed_to, str):
        return attributed_to
    return " via ".join(str(x) for x in attributed_to)


def _say_day(at: str | None) -> str:
    try:
        d = datetime.fromisoformat((at or "").replace("Z", "+00:00"))
    except ValueError:
        return at or "at an unknown time"
    return f"{d.day} {d:%B %Y}"


_VERBS = {"confirm": "confirmed", "reject": "rejected", "correct": "corrected", "regroup": "moved"}
_FIELD_WORDS = {"type": "the type", "mode": "the mode", "date": "the date", "place_id": "the place"}


def say_review(r: dict[str, Any], targets: dict[str, dict[str, Any]] | None = None) -> str:
    """One review as a sentence: who did what to which value, when, and why.

    ``targets`` is :func:`eventledger.store.review.review_targets` of the reviews (figure
    kinds, quote words, entity names); without it ids stand in for names."""
    t = targets or {}
    who, verb = r["reviewer"], _VERBS.get(r["action"], r["action"])
    old, new = r.get("old_value") or {}, r.get("new_value") or {}
    kind = r["target_kind"]
    names = t.get("entities", {})

    def name(x: str | None) -> str:
        return "none" if not x else names.get(x, x)

    def field(k: str, v: str | None) -> str:
        if k == "place_id":
            return name(v)
        if k == "date":
            return say_date(v) or "undated"
        return v or "none"

    if kind == "event":
        if r["action"] == "correct":
            parts = [f"{_FIELD_WORDS[k]} from {field(k, old.get(k))} to {field(k, new.get(k))}"
                     for k in _FIELD_WORDS if k in new]
            what = " and ".join(parts) or "the event"
        else:
            what = "the event"
    elif kind == "figure":
        f = t.get("figures", {}).get(r["target_id"])
        label = f["kind"] if f else "a figure"
        if r["action"] == "correct":
            what = f"{label} from {_say_range(old)} to {_say_range(new)}"
        else:
            what = f"{label} {_say_range(f)}" if f else label
    elif kind == "quote":
        q = t.get("quotes", {}).get(r["target_id"])
        words = f" “{_clip(q['text'])}”" if q else ""
        if r["action"] == "correct":
            what = f"the speaker of the quote{words} from {name(old.get('speaker'))} to {name(new.get('speaker'))}"
        else:
            what = f"the quote{words}"
    elif kind == "report":
        dest = new.get("event_id")
        what = f"a report from event {old.get('event_id')} to event {dest}"
    else:
        what = f"{kind} {r['target_id']}"
    reason = (r.get("reason") or "").strip().rstrip(".")
    return f"{who} {verb} {what}, {_say_day(r.get('at'))}" + (f", because {reason}" if reason else "")


def say_reviews(store: Store, reviews: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reviews, each with its ``sentence`` (:func:`say_review`)."""
    targets = review_targets(store, reviews)
    return [dict(r, sentence=say_review(r, targets)) for r in reviews]


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
