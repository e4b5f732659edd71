"""The ledger event record (spec/ledger.md): reports, figures compared across sources,
attribution conflicts, independent sources counted after folding copies."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

__all__ = ["build_event_record", "build_story_record", "figure_groups", "quantity", "story_figure_groups", "subject_key",
           "with_words"]

_PLURAL_RE = re.compile(r"(?<=[a-z])s$")
# what is counted, reduced to a head word that groups like with like
_SUBJECT_HEADS = {
    "marine": "marines", "marines": "marines", "soldier": "troops", "troop": "troops", "guardsman": "guard",
    "guardsmen": "guard", "guard": "guard", "member": "guard", "agent": "agents", "officer": "officers",
    "protester": "protesters", "demonstrator": "protesters", "arrest": "arrests", "detention": "arrests",
    "people": "people", "person": "people", "immigrant": "immigrants", "migrant": "immigrants",
    "deportation": "removals", "removal": "removals", "crossing": "crossings", "encounter": "crossings",
}


def subject_key(kind: str, subject: str | None) -> str:
    """Figures count the same thing when kind and the subject's head word agree."""
    words = re.findall(r"[a-z]+", (subject or "").lower())
    head = ""
    for w in reversed(words):
        w2 = _PLURAL_RE.sub("", w) if w not in ("marines", "people", "guardsmen") else w
        if w2 in _SUBJECT_HEADS or w in _SUBJECT_HEADS:
            head = _SUBJECT_HEADS.get(w2) or _SUBJECT_HEADS[w]
            break
    if kind == "personnel" and head == "troops" and "guard" in words:
        head = "guard"
    return f"{kind}:{head}"


def _conflict(values: list[dict[str, Any]]) -> bool:
    """Values for the same thing that cannot all be true."""
    if len(values) < 2:
        return False
    lo = min(v["value"] for v in values)
    hi = max(v["high"] for v in values)
    if all(v["approx"] for v in values):
        return hi > lo * 1.25
    return True


def figure_groups(figures: list[dict[str, Any]], original_of: dict[str, str],
                  key: Callable[[dict[str, Any]], str] | None = None) -> list[dict[str, Any]]:
    """Figures grouped by what they count (``key``; by default kind and subject head word, and
    the rate), each group's values side by side with their sources; ``conflict`` when the
    values cannot all be true. With ``key``, each group also names its ``quantity``."""
    groups: dict[tuple[str, str | None], dict[str, Any]] = {}
    for f in figures:
        k = (key(f), None) if key else (subject_key(f["kind"], f["subject"]), f["per"])
        g = groups.setdefault(k, {"kind": f["kind"], "subject": f["subject"], "values": {}})
        vk = (float(f["value"]), float(f["high"]))
        v = g["values"].setdefault(vk, {"value": _num(f["value"]), "high": _num(f["high"]), "approx": bool(f["approx"]),
                                        "per": f["per"], "sources": [], "_docs": set()})
        v["approx"] = v["approx"] and bool(f["approx"])
        v["sources"].append({"document_id": f["document_id"], "text": f["text"], "start": f["start"], "end": f["end"],
                             "attributed_to": _claimant(f.get("attributed_to"))})
        v["_docs"].add(original_of.get(f["document_id"], f["document_id"]))
    out = []
    for k, g in groups.items():
        values = sorted(g["values"].values(), key=lambda v: (-len(v["_docs"]), v["value"]))
        for v in values:
            v["independent_sources"] = len(v.pop("_docs"))
        rec = {"kind": g["kind"], "subject": g["subject"], "conflict": _conflict(values), "values": values}
        if key:
            rec = {"quantity": k[0], **rec}
        out.append(rec)
    return sorted(out, key=lambda g: (g.get("quantity", ""), g["kind"], g["subject"]))


def _claimant(stored: str | None) -> str | list[str] | None:
    """attributed_to as spec/extraction.md writes it, from its stored JSON list."""
    chain = json.loads(stored) if stored else None
    if not chain:
        return None
    return chain[0] if len(chain) == 1 else chain


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


def build_event_record(rows: dict[str, Any], profile: Any = None) -> dict[str, Any]:
    """The spec/ledger.md record of one ledger event from the store's rows; with the profile,
    its ``headline`` and plain ``label`` (eventledger.headline) follow its id, so the CLI,
    the API, the web pages and the exports all say an event in the same words."""
    ev, reports, ents = rows["event"], rows["reports"], rows["entities"]
    original_of = {r["document_id"]: (r["copy_of"] or r["document_id"]) for r in reports}
    original_of.update({f["document_id"]: (f["copy_of"] or f["document_id"]) for f in rows["figures"]})
    place = ents.get(ev["place_id"]) if ev["place_id"] else None
    actor_ids: list[str] = []
    for r in reports:
        for a in json.loads(r["actors"]):
            if a not in actor_ids:
                actor_ids.append(a)
    attributions: dict[str, list[dict[str, Any]]] = {}
    for r in reports:
        if r["attribution"]:
            a = json.loads(r["attribution"])
            attributions.setdefault(a["source"] or a["says"], []).append(
                {"document_id": r["document_id"], "says": a["says"], "text": a["text"], "start": a["start"], "end": a["end"]})
    conflicts = []
    by_doc = {}
    for srcs in attributions.values():
        for s in srcs:
            by_doc.setdefault(original_of.get(s["document_id"], s["document_id"]), s)
    if len({s["says"] for s in by_doc.values()}) > 1:
        conflicts.append({"claim": "who reported it first", "sources": list(by_doc.values())})
    rec = {
        "id": ev["id"],
        "type": ev["type"],
        "mode": ev["mode"],
        "date": ev["date"],
        "date_precision": ev["date_precision"],
        "place": ({"id": place["id"], "name": place["name"], "lat": place["lat"], "lon": place["lon"]} if place else None),
        "actors": [{"id": a, "name": ents[a]["name"], "kind": ents[a]["kind"]} for a in actor_ids if a in ents],
        "story": ev.get("story_id"),
        "reports": [
            {"document_id": r["document_id"], "source": r["source"], "outlet": r["outlet"], "published": r["published"],
             "copy_of": r["copy_of"], "text": r["text"], "start": r["start"], "end": r["end"],
             "salience": r.get("salience", "main"), "status": r.get("status", "occurred"),
             # an undated report takes the date of the event its story puts it in
             "date": r["date"] or ev["date"],
             "date_basis": "story" if not r["date"] and ev["date"] else r.get("date_basis")}
            for r in reports
        ],
        "independent_sources": len({original_of[r["document_id"]] for r in reports}),
        "figures": figure_groups(rows["figures"], original_of),
        "attribution_conflicts": conflicts,
        "review": {"status": ev["review_status"], "by": ev["reviewed_by"], "at": ev["reviewed_at"]},
    }
    return rec if profile is None else with_words(rec, profile)


def with_words(rec: dict[str, Any], profile: Any) -> dict[str, Any]:
    """A ledger event record with its ``headline`` and plain ``label`` (spec/ledger.md) after
    its id; the PLOVER type and mode stay as they are."""
    from eventledger.headline import event_headline, event_label

    words = {"headline": event_headline(rec, profile), "label": event_label(rec, profile)}
    return {"id": rec["id"], **words, **{k: v for k, v in rec.items() if k not in ("id", *words)}}


# ---- stories ------------------------------------------------------------------------------------
def _nouns(profile: Any) -> dict[str, str]:
    cache = profile.extra.setdefault("_count_nouns", {})
    if not cache:
        for kind, words in (profile.figures.get("nouns") or {}).items():
            for w in words:
                cache.setdefault(w.lower(), kind)
    return cache


# a count of part of a group the text counted already ("12 of those arrested", "11 of whom"): another quantity
_PART_RE = re.compile(r"^[\w,.-]+(?:\s+[\w,.-]+)?\s+of\s+(?:those|them|whom|these)\b", re.IGNORECASE)


def quantity(kind: str, subject: str | None, per: str | None, profile: Any, policy: Any, text: str | None = None) -> str:
    """What a figure counts, for comparing a story's figures: the kind of its subject's counted
    noun (figures.toml [nouns]) when the profile names it, else its own kind and, for kind
    `other`, the subject's last word; kinds that count the same quantity (stories.toml
    [same_quantity]) share one name; a rate ("per day") is another quantity."""
    nouns = _nouns(profile)
    words = re.findall(r"[a-z]+", (subject or "").lower())
    found = None
    for i in range(len(words) - 1, -1, -1):
        two = " ".join(words[i - 1 : i + 1]) if i else ""
        for w in (two, words[i], _PLURAL_RE.sub("", words[i])):
            if w and w in nouns:
                found = nouns[w]
                break
        if found:
            break
    q = found or kind
    if q == "other" and words:
        q = "other:" + _PLURAL_RE.sub("", words[-1])
    q = policy.same_quantity.get(q, q)
    if text and _PART_RE.match(text) and "outcome" not in ((profile.figures.get("kinds") or {}).get(kind) or ()):
        # the part is no rival value of the whole ("64 arrested", "12 of those arrested"); a part told by its
        # fate is a count of that fate already ("275 of those arrested had final removal orders")
        q = "part:" + q
    return f"{q}/{per}" if per else q


def story_figure_groups(figures: list[dict[str, Any]], original_of: dict[str, str], profile: Any,
                        policy: Any) -> list[dict[str, Any]]:
    """Every figure of a story's documents grouped by the quantity it counts (``quantity``)."""
    return figure_groups(figures, original_of, lambda f: quantity(f["kind"], f["subject"], f["per"], profile, policy,
                                                                          f.get("text")))


def _main_label(events: list[dict[str, Any]], profile: Any) -> str:
    """The plain label most of a story's main reports give (the first such event's on a tie),
    the one its headline starts with."""
    from eventledger.headline import event_label

    weight: Counter[str] = Counter()
    for e in events:
        weight[event_label(e, profile)] += max(1, len(e["reports"]))
    return max(weight, key=lambda k: (weight[k], -list(weight).index(k))) if weight else "Story"


def build_story_record(rows: dict[str, Any], profile: Any, policy: Any) -> dict[str, Any]:
    """The spec/ledger.md "Stories" record from the store's rows (Store.story_rows)."""
    docs, events, reports, ents = rows["documents"], rows["events"], rows["reports"], rows["entities"]
    original_of = {d["id"]: d["copy_of"] or d["id"] for d in docs}
    outlet_of = {d["id"]: d["outlet"] or d["source"].rsplit("/", 1)[-1] for d in docs}
    events = sorted(events, key=lambda e: (e["date"] is None, e["date"] or "", e["id"]))
    main_by_event: dict[str, set[str]] = {}
    for r in reports:
        if r["salience"] == "main":
            main_by_event.setdefault(r["event_id"], set()).add(outlet_of[r["document_id"]])
    figures = story_figure_groups(rows["figures"], original_of, profile, policy)
    coverage = []
    for outlet in sorted(set(outlet_of.values())):
        mine = sorted(e["id"] for e in events if outlet in main_by_event.get(e["id"], ()))
        omits = sorted(e["id"] for e in events if outlet not in main_by_event.get(e["id"], ())
                       and len(main_by_event.get(e["id"], set()) - {outlet}) >= 2)
        figs = sorted({(g["quantity"], v["value"]) for g in figures for v in g["values"]
                       if any(outlet_of.get(s["document_id"]) == outlet for s in v["sources"])}, key=str)
        coverage.append({"outlet": outlet, "documents": sum(1 for d in docs if outlet_of[d["id"]] == outlet),
                         "reports": mine, "omits": omits,
                         "figures": [{"quantity": q, "value": v} for q, v in figs]})
    dated = [e["date"] for e in events if e["date"]] or [d["published"] for d in docs if d["published"]]
    place_ids: list[str] = []
    for e in events:
        if e["place_id"] and e["place_id"] not in place_ids:
            place_ids.append(e["place_id"])
    main = max(events, key=lambda e: (len(main_by_event.get(e["id"], ())), -len(e["date"] or "")), default=None)
    title = "Story"
    # what the headline weighs: each event's label and place, by its main reports; an event
    # a reviewer rejected says nothing (unless all were rejected)
    main_reports = Counter(r["event_id"] for r in reports if r["salience"] == "main")
    kept = [e for e in events if e.get("review_status") != "rejected"] or events
    said = [{"type": e["type"], "mode": e["mode"], "date": e["date"],
             "place": {"name": ents[e["place_id"]]["name"]} if e["place_id"] in ents else None,
             "reports": [None] * main_reports[e["id"]]} for e in kept]
    if main is not None:
        what = f"{main['type'].title()} ({main['mode']})" if main["mode"] else main["type"].title()
        where = ents[main["place_id"]]["name"] if main["place_id"] in ents else None
        title = ", ".join(x for x in (what, where, main["date"]) if x)
    from eventledger.headline import story_title

    rec = {"id": rows["id"], "date_from": min(dated)[:10] if dated else None, "date_to": max(dated)[:10] if dated else None,
           "places": [{"name": ents[p]["name"]} for p in place_ids if p in ents]}
    return {
        "id": rows["id"],
        "headline": story_title(rec, said, profile),
        "label": _main_label(said, profile),
        "title": title,
        "date_from": min(dated)[:10] if dated else None,
        "date_to": max(dated)[:10] if dated else None,
        "places": [{"id": p, "name": ents[p]["name"], "lat": ents[p]["lat"], "lon": ents[p]["lon"]}
                   for p in place_ids if p in ents],
        "documents": [{"document_id": d["id"], "source": d["source"], "outlet": d["outlet"], "published": d["published"],
                       "copy_of": d["copy_of"]} for d in docs],
        "independent_sources": len(set(original_of.values())),
        "events": [e["id"] for e in events],
        "figures": figures,
        "coverage": coverage,
    }
