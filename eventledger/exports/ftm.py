"""FollowTheMoney entities for Aleph, built with the ``followthemoney`` library.

One JSON object a line (the entity stream that ``ftm`` and ``alephclient write-entities``
read). Each ledger event becomes:

- an ``Event``: ``name`` its headline, ``summary`` its plain label, ``keywords`` the label
  and the PLOVER type and mode (``COERCE:seize``), ``date`` at its precision
  (``2025-06-07``, ``2025-06`` or ``2025``), ``location`` the place name, ``description``
  the figures as the CSV gives them (reviewed values, each correction with its extracted
  value beside it), ``notes`` the review ("Review: corrected by rita on 2025-06-12;
  extracted date 2025-03-11") and each report's sentence with its document id
  and character span (the provenance), ``recordId`` the ledger event id;
- ``involved``: the actors, as ``Person``, ``Organization`` or (for a place acting, such as
  a city) ``PublicBody`` entities with their names;
- ``addressEntity``: the place, an ``Address`` with its coordinates;
- ``proof``: each source document, an ``Article`` with ``publisher`` its outlet,
  ``publishedAt``, ``sourceUrl`` (web sources) or ``fileName`` (files), and the document's
  SHA-256 in ``notes`` (FtM's ``contentHash`` holds a SHA-1 of the file Aleph stores, which
  the ledger does not keep).

Entity ids are derived from the ledger's own ids (``make_id``), so the same actor, place or
document is one entity across events and across exports. Shared entities are written once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any, TextIO

from followthemoney import model
from followthemoney.proxy import EntityProxy

from eventledger.headline import event_headline, event_label
from eventledger.profile import Profile
from eventledger.reviewed import say_reviewed_value, say_who

__all__ = ["NAMESPACE", "event_entities", "write_ftm"]

NAMESPACE = "eventledger"
_SCHEMA_BY_KIND = {"person": "Person", "organization": "Organization", "place": "PublicBody"}


def _entity(schema: str, *key: str) -> EntityProxy:
    e = model.make_entity(schema)
    e.make_id(NAMESPACE, schema.lower(), *key)
    return e


def _figures(rec: dict[str, Any]) -> list[str]:
    out = []
    for g in rec.get("figures") or ():
        for v in g["values"]:
            rng = f"{v['value']:g}" if v["high"] == v["value"] else f"{v['value']:g}-{v['high']:g}"
            n = v.get("independent_sources", len(v.get("sources") or ()))
            who = "; ".join(sorted({s.get("said_by") or say_who(s["attributed_to"]) or ""
                                    for s in v.get("sources") or () if s.get("attributed_to")}))
            was = sorted({f"{x['value']:g}" if x["high"] == x["value"] else f"{x['value']:g}-{x['high']:g}"
                          for s in v.get("sources") or () if (x := (s.get("reviewed") or {}).get("extracted"))})
            rng = say_reviewed_value(rng, was)
            out.append(f"{g['kind']} ({g.get('subject') or ''}): {'about ' if v.get('approx') else ''}{rng}"
                       f"{' per ' + v['per'] if v.get('per') else ''}, {n} source{'' if n == 1 else 's'}"
                       f"{', according to ' + who if who else ''}{' (sources disagree)' if g.get('conflict') else ''}")
    return out


def _review_note(rec: dict[str, Any]) -> str | None:
    """"Review: corrected by rita on 2025-06-12; extracted date 2025-03-11" (None: unreviewed)."""
    rv = rec.get("review") or {}
    if not rv.get("status") or rv["status"] == "unreviewed":
        return None
    was = [f"{k} {(v or {}).get('name') if k == 'place' else v}" for k, v in (rv.get("extracted") or {}).items()
           if k != "date_precision"]
    return (f"Review: {rv['status']} by {rv.get('by')} on {(rv.get('at') or '')[:10]}"
            + (f"; extracted {', '.join(was)}" if was else ""))


def event_entities(rec: dict[str, Any], profile: Profile) -> list[EntityProxy]:
    """The FtM entities of one ledger event record: the Event first, then its actors, place
    and documents."""
    ev = _entity("Event", rec["id"])
    ev.add("name", rec.get("headline") or event_headline(rec, profile))  # the record's own (build_event_record)
    label = rec.get("label") or event_label(rec, profile)
    ev.add("summary", label)
    ev.add("keywords", [label, ":".join(x for x in (rec["type"], rec.get("mode")) if x)])
    ev.add("recordId", rec["id"])
    if rec.get("date"):
        ev.add("date", rec["date"])
    ev.add("description", "\n".join(_figures(rec)) or None)
    ev.add("notes", _review_note(rec))
    out: list[EntityProxy] = [ev]
    for a in rec.get("actors") or ():
        actor = _entity(_SCHEMA_BY_KIND.get(a.get("kind"), "LegalEntity"), a["id"])
        actor.add("name", a["name"])
        ev.add("involved", actor.id)
        out.append(actor)
    place = rec.get("place")
    if place:
        addr = _entity("Address", place["id"])
        addr.add("full", place["name"])
        if place.get("lat") is not None and place.get("lon") is not None:
            addr.add("latitude", str(place["lat"]))
            addr.add("longitude", str(place["lon"]))
        ev.add("location", place["name"])
        ev.add("addressEntity", addr.id)
        out.append(addr)
    for r in rec.get("reports") or ():
        doc = _entity("Article", r["document_id"])
        doc.add("notes", f"SHA-256 of the source: {r['document_id']}")
        src = r.get("source") or ""
        if src.startswith(("http://", "https://")):
            doc.add("sourceUrl", src)
        elif src:
            doc.add("fileName", PurePath(src).name)
        doc.add("publisher", r.get("outlet"))
        doc.add("publishedAt", r.get("published"))
        doc.add("title", r.get("title") or PurePath(src).name or r["document_id"][:12])
        ev.add("proof", doc.id)
        ev.add("notes", f"{' '.join(r['text'].split())} [document {r['document_id']}, "
                        f"characters {r['start']}-{r['end']}]")
        out.append(doc)
    return out


def write_ftm(records: Iterable[dict[str, Any]], out: TextIO, profile: Profile) -> int:
    """Write the entities of each record, each shared entity once; return the events written."""
    seen: set[str] = set()
    n = 0
    for rec in records:
        for e in event_entities(rec, profile):
            if e.id in seen:
                continue
            seen.add(e.id)  # type: ignore[arg-type]
            out.write(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n
