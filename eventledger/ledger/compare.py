"""The ledger event record (spec/ledger.md): reports, figures compared across sources,
attribution conflicts, independent sources counted after folding copies."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["build_event_record", "figure_groups", "subject_key"]

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


def figure_groups(figures: list[dict[str, Any]], original_of: dict[str, str]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str | None], dict[str, Any]] = {}
    for f in figures:
        key = (subject_key(f["kind"], f["subject"]), f["per"])
        g = groups.setdefault(key, {"kind": f["kind"], "subject": f["subject"], "values": {}})
        vk = (float(f["value"]), float(f["high"]))
        v = g["values"].setdefault(vk, {"value": _num(f["value"]), "high": _num(f["high"]), "approx": bool(f["approx"]),
                                        "per": f["per"], "sources": [], "_docs": set()})
        v["approx"] = v["approx"] and bool(f["approx"])
        v["sources"].append({"document_id": f["document_id"], "text": f["text"], "start": f["start"], "end": f["end"]})
        v["_docs"].add(original_of.get(f["document_id"], f["document_id"]))
    out = []
    for g in groups.values():
        values = sorted(g["values"].values(), key=lambda v: (-len(v["_docs"]), v["value"]))
        for v in values:
            v["independent_sources"] = len(v.pop("_docs"))
        out.append({"kind": g["kind"], "subject": g["subject"], "conflict": _conflict(values), "values": values})
    return sorted(out, key=lambda g: (g["kind"], g["subject"]))


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


def build_event_record(rows: dict[str, Any]) -> dict[str, Any]:
    """The spec/ledger.md record of one ledger event from the store's rows."""
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
    return {
        "id": ev["id"],
        "type": ev["type"],
        "mode": ev["mode"],
        "date": ev["date"],
        "date_precision": ev["date_precision"],
        "place": ({"id": place["id"], "name": place["name"], "lat": place["lat"], "lon": place["lon"]} if place else None),
        "actors": [{"id": a, "name": ents[a]["name"], "kind": ents[a]["kind"]} for a in actor_ids if a in ents],
        "reports": [
            {"document_id": r["document_id"], "source": r["source"], "outlet": r["outlet"], "published": r["published"],
             "copy_of": r["copy_of"], "text": r["text"], "start": r["start"], "end": r["end"]}
            for r in reports
        ],
        "independent_sources": len({original_of[r["document_id"]] for r in reports}),
        "figures": figure_groups(rows["figures"], original_of),
        "attribution_conflicts": conflicts,
        "review": {"status": ev["review_status"], "by": ev["reviewed_by"], "at": ev["reviewed_at"]},
    }
