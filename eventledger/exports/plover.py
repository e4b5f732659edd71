"""PLOVER-style event records, one JSON object a line.

The field names are those of PLOVER's JSON event records (the Open Event Data Alliance's
gold standard records): ``id``, ``date``, ``source`` and ``target`` (lists of
``{"actorText", ...}``), ``event`` (the PLOVER root type), ``mode``, ``context``, ``text``,
``textInfo``, ``language``, ``publication``, ``coder``; and PLOVER's magnitude fields
``dead`` and ``size`` where a figure gives them. PLOVER leaves actor codes to the coder: we
give our entity id (``entityId``) and kind rather than country and sector codes, and leave
``target`` empty (the ledger event does not say whom an action was aimed at).

Ours, added after PLOVER's: ``datePrecision`` (``day``/``month``/``year``: a date is never
padded to a day it does not know), ``label`` and ``headline`` (plain words, from the
profile), ``location`` (``placeName``, ``placeId``, ``lat``, ``lon``), ``reports`` (each
reporting sentence with its document SHA-256 and character span: the provenance of
``text``, which is the first of them), ``independentSources``, ``figures`` and ``review``,
both with reviews applied: a corrected figure's source carries ``reviewed`` with the
``extracted`` value, and ``review.extracted`` the event fields as extracted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, TextIO

from eventledger.exports.fatalities import fatalities
from eventledger.headline import event_headline, event_label
from eventledger.profile import Profile

__all__ = ["plover_record", "write_plover"]

_CROWD_KINDS = {"crowd"}


def _size(rec: dict[str, Any]) -> int | float | None:
    """A protest's size: the lowest crowd figure of the largest group (as for the dead)."""
    if rec["type"] != "PROTEST":
        return None
    counts = [min(v["value"] for v in g["values"]) for g in rec.get("figures") or ()
              if g["kind"] in _CROWD_KINDS and g["values"]]
    return max(counts) if counts else None


def plover_record(rec: dict[str, Any], profile: Profile) -> dict[str, Any]:
    """One ledger event record as a PLOVER-style event record."""
    reports = rec.get("reports") or ()
    first = reports[0] if reports else None
    place = rec.get("place")
    dead = fatalities(rec.get("figures") or [])
    out: dict[str, Any] = {
        "id": rec["id"],
        "date": rec.get("date") or "",
        "source": [{"actorText": a["name"], "entityId": a["id"], "kind": a.get("kind")} for a in rec.get("actors") or ()],
        "target": [],
        "event": rec["type"],
        "mode": rec.get("mode") or "",
        "context": "",
        "text": re.sub(r"\s+", " ", first["text"]).strip() if first else "",
        "textInfo": ({"documentId": first["document_id"], "start": first["start"], "end": first["end"]}
                     if first else {}),
        "language": "en",
        "publication": "; ".join(dict.fromkeys(r["outlet"] for r in reports if r.get("outlet"))),
        "coder": "eventledger",
    }
    if dead is not None:
        out["dead"] = dead
    size = _size(rec)
    if size is not None:
        out["size"] = size
    out.update({
        "datePrecision": rec.get("date_precision"),
        "label": rec.get("label") or event_label(rec, profile),  # the record's own (build_event_record)
        "headline": rec.get("headline") or event_headline(rec, profile),
        "location": ({"placeName": place["name"], "placeId": place["id"], "lat": place.get("lat"),
                      "lon": place.get("lon")} if place else None),
        "reports": [{"documentId": r["document_id"], "source": r.get("source"), "outlet": r.get("outlet"),
                     "published": r.get("published"), "text": r["text"], "start": r["start"], "end": r["end"]}
                    for r in reports],
        "independentSources": rec.get("independent_sources"),
        "figures": rec.get("figures") or [],
        "review": rec.get("review"),
    })
    return out


def write_plover(records: Iterable[dict[str, Any]], out: TextIO, profile: Profile) -> int:
    n = 0
    for rec in records:
        out.write(json.dumps(plover_record(rec, profile), ensure_ascii=False) + "\n")
        n += 1
    return n
