"""Court-ready dossiers: an event's (or a story's) reports, figures, exhibits, custody log and reviews.

:func:`dossier_record` gathers it; the web app shows it at ``/kit/dossier/<event>``
(eventledger/web/kit_pages.py, template ``kit_dossier.html``); eventledger/kit/pdf.py prints
that very page (this module is used by the web app, so it does not import it).
"""

from __future__ import annotations

import logging
from typing import Any

from eventledger.errors import EventLedgerError
from eventledger.store import Store
from eventledger.store import kit as sk

__all__ = ["DossierError", "dossier_record", "public_metadata"]

log = logging.getLogger(__name__)


class DossierError(EventLedgerError):
    """A dossier could not be made (unknown event, no browser, the browser failed)."""


def public_metadata(ex: dict[str, Any]) -> dict[str, Any]:
    """An exhibit's metadata as published, flat (``exif.make``): the location left out until a
    reviewer releases it."""
    out: dict[str, Any] = {}
    for k, v in sorted(ex["metadata"].items()):
        if k == "gps" and not ex["released"]:
            out["gps"] = "withheld until a reviewer releases it"
        elif isinstance(v, dict):
            out.update({f"{k}.{kk}": vv for kk, vv in sorted(v.items())})
        elif isinstance(v, list):
            out[k] = "; ".join(str(x.get("url", x)) if isinstance(x, dict) else str(x) for x in v)
        else:
            out[k] = v
    return out


def dossier_record(store: Store, target: str) -> dict[str, Any]:
    """Everything the dossier shows about one ledger event, or about every event of a story."""
    from eventledger.kit.requests import list_requests_with_deadlines
    from eventledger.web.views import dossier

    if sk.event_exists(store, target):
        kind, event_ids = "event", [target]
    else:
        kind, event_ids = "story", sk.story_event_ids(store, target)
        if not event_ids:
            raise DossierError(f"no event or story {target}")
    events = []
    for eid in event_ids:
        ev = dossier(store, eid)
        if ev is None:
            raise DossierError(f"event {eid} vanished while the dossier was made")
        for r in ev["reports"]:  # when each source was captured and stored, and the hash of its bytes
            doc = sk.document_row(store, r["document_id"]) or {}
            r["stored_at"] = doc.get("ingested_at")
            r["source"] = doc.get("source")
        events.append(ev)
    targets = [(kind, target)] + ([("event", e) for e in event_ids] if kind == "story" else [])
    exhibits: dict[str, dict[str, Any]] = {}
    citations: list[dict[str, Any]] = []
    for k, t in targets:
        for ex in sk.list_exhibits(store, k, t):
            exhibits.setdefault(ex["sha256"], {**ex, "public_metadata": public_metadata(ex),
                                               "custody": sk.custody_log(store, f"exhibit:{ex['sha256']}")})
        citations += [c for c in sk.citations(store, k, t) if c not in citations]
    links = {f"{k}:{t}" for k, t in targets}
    requests = [r for r in list_requests_with_deadlines(store) if links & set(r["links"])]
    return {"kind": kind, "id": target, "events": events, "event": events[0], "exhibits": list(exhibits.values()),
            "citations": citations, "requests": requests, "ledger_head": sk.log_head(store)}
