"""Review forms: a logged-in reviewer confirms, rejects or corrects a value or a grouping.

Every route here changes the ledger, so each checks the session's CSRF token and the
reviewer first; the change itself is one store.review call (one transaction, one log entry).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from eventledger.clitext import suggest
from eventledger.store import Store
from eventledger.store import review as rv
from eventledger.store.names import entity_choices
from eventledger.web.context import context
from eventledger.web.auth import current_reviewer
from eventledger.web.views import PLOVER_TYPES, dossier

__all__ = ["review_names", "router"]

router = APIRouter(include_in_schema=False)
Action = Annotated[str, Form(pattern="^(confirm|reject|correct)$")]
Reason = Annotated[str, Form(min_length=1, max_length=rv.MAX_REASON)]
Token = Annotated[str, Form()]
Opt = Annotated[str, Form(max_length=200)]


def _back(event_id: str | None, anchor: str = "review") -> Response:
    return RedirectResponse(f"/events/{event_id}#{anchor}" if event_id else "/reviews", status_code=303)


def _num(x: str, what: str) -> float | None:
    x = x.strip().replace(",", "")
    if not x:
        return None
    try:
        v = float(x)
    except ValueError:
        raise rv.ReviewError(f"{what} must be a number, not {x!r}") from None
    if not math.isfinite(v):
        raise rv.ReviewError(f"{what} must be a finite number, not {x!r}")
    return v


# ---- names a reviewer picks from ----------------------------------------------------------------

def review_names(store: Store) -> dict[str, list[str]]:
    """What the review forms suggest (their datalists): ``places`` (the ledger's and the profile
    gazetteer's) and ``entities`` (the ledger's people and organizations), one label each: the
    name, or where two share a name, the name and what tells them apart."""
    return {"places": sorted(_choices(store, True)[0], key=str.casefold),
            "entities": sorted(_choices(store, False)[0], key=str.casefold)}


def _choices(store: Store, places: bool) -> tuple[dict[str, str], dict[str, set[str]]]:
    """(label -> id, one label an entity; every label, name, alias and id, folded -> the ids it names)."""
    ents = {i: (n, al) for i, n, al in entity_choices(store, places)}
    if places:  # the profile gazetteer's places too: a review may name one no document has yet
        for pe in store.profile.by_id.values():
            if pe.kind == "place" and pe.id not in ents:
                ents[pe.id] = (pe.name, list(pe.aliases))
    shared = Counter(n.casefold() for n, _ in ents.values())
    labels: dict[str, str] = {}
    for i, (n, _al) in ents.items():
        label = n if shared[n.casefold()] == 1 else f"{n} ({_qualifier(store, i, n)})"
        if label in labels:  # the same name in the same state: the id's words tell them apart
            label = f"{n} ({i.split(':', 1)[-1].replace('-', ' ')})"
        labels[label] = i
    index: dict[str, set[str]] = {}
    for label, i in labels.items():
        index.setdefault(label.casefold(), set()).add(i)
        index.setdefault(i.casefold(), set()).add(i)  # an id still works (programs, old links)
    for i, (n, al) in ents.items():
        for x in (n, *al):
            index.setdefault(x.casefold(), set()).add(i)
    return labels, index


def _qualifier(store: Store, entity_id: str, name: str) -> str:
    """What tells apart two entities of one name: the place it lies within (profile gazetteer),
    else its state or country (GeoNames), else its id's words."""
    pe = store.profile.by_id.get(entity_id)
    within = store.profile.by_id.get(pe.within) if pe is not None and pe.within else None
    if within is not None:
        return within.name
    if entity_id.startswith("place:"):
        from eventledger.export import PlaceLocator

        loc = PlaceLocator(store)({"id": entity_id, "name": name, "lat": None, "lon": None})
        if loc.admin1 or loc.country:
            return loc.admin1 or loc.country  # type: ignore[return-value]
    return entity_id.split(":", 1)[-1].replace("-", " ")


def _pick(store: Store, what: str, typed: str, places: bool) -> str:
    """The id of the entity ``typed`` names (a label, name, alias or id, in any case); else a
    ReviewError saying what was meant ("did you mean ...?")."""
    labels, index = _choices(store, places)
    ids = index.get(typed.strip().casefold(), set())
    label_of = {i: label for label, i in labels.items()}
    if len(ids) == 1:
        return next(iter(ids))
    if ids:
        opts = sorted(label_of[i] for i in ids)
        raise rv.ReviewError(f"{typed!r} names {len(ids)} {what}s: did you mean {' or '.join(map(repr, opts[:4]))}?")
    names = {x: i for x, ids_ in index.items() if len(ids_) == 1 for i in ids_}  # folded name -> its one id
    near = [label_of[names[n]] for n in suggest(typed, list(names), 5)]
    near = list(dict.fromkeys(near))[:3]
    where = "the ledger or the gazetteer" if places else "the ledger"
    raise rv.ReviewError(f"no {what} {typed!r} in {where}"
                         + (f"; did you mean {' or '.join(map(repr, near))}?" if near else "; none is close"))


def _refused(request: Request, event_id: str | None, target: str, error: str, values: dict[str, str]) -> Response:
    """The event page again, the refused form open with what the reviewer typed and why it was
    refused (nothing was stored)."""
    if "text/html" not in request.headers.get("accept", "text/html"):
        raise rv.ReviewError(error)  # a program's request: the API's one error shape
    ctx = context(request)
    rec = dossier(ctx.store(), event_id) if event_id else None
    if rec is None:
        raise HTTPException(422, error)
    return ctx.render(request, "event.html", status=422, ev=rec, types=PLOVER_TYPES,
                      names=lambda: review_names(ctx.store()), form=dict(values, target=target), form_error=error)


@router.post("/events/{event_id}/review")
def review_event(request: Request, event_id: str, action: Action, reason: Reason, csrf: Token = "",
                 type: Opt = "", mode: Opt = "", date: Opt = "", place: Opt = "", place_id: Opt = "") -> Response:
    """``place`` is a place's name (or alias, or the label the form suggests); ``place_id``, for
    programs, its id."""
    who = current_reviewer(request, csrf)
    store = context(request).store()
    changes: dict[str, str | None] | None = None
    given = {"type": type, "mode": mode, "date": date, "place_id": place_id}
    try:
        if action == "correct":
            changes = {k: v for k, v in given.items() if v.strip()}
            if mode.strip() == "-":
                changes["mode"] = ""
            if place.strip():
                changes["place_id"] = _pick(store, "place", place, places=True)
        rv.review_event(store, event_id, who, action, reason, changes)
    except rv.ReviewError as e:
        return _refused(request, event_id, "event", str(e), dict(given, place=place, action=action, reason=reason))
    return _back(event_id)


@router.post("/figures/{figure_id}/review")
def review_figure(request: Request, figure_id: str, action: Action, reason: Reason, csrf: Token = "",
                  value: Opt = "", high: Opt = "") -> Response:
    who = current_reviewer(request, csrf)
    store = context(request).store()
    try:
        out = rv.review_figure(store, figure_id, who, action, reason, _num(value, "value"), _num(high, "high"))
    except rv.ReviewError as e:
        return _refused(request, rv.figure_event(store, figure_id), f"figure:{figure_id}", str(e),
                        {"action": action, "reason": reason, "value": value, "high": high})
    return _back(out["event_id"], "figures")


@router.post("/quotes/{quote_id}/review")
def review_quote(request: Request, quote_id: str, action: Action, reason: Reason, csrf: Token = "",
                 speaker: Opt = "", event_id: Opt = "") -> Response:
    """``speaker`` is a person's or organization's name (or alias, or id)."""
    who = current_reviewer(request, csrf)
    store = context(request).store()
    try:
        picked = _pick(store, "person or organization", speaker, places=False) \
            if action == "correct" and speaker.strip() else None
        rv.review_quote(store, quote_id, who, action, reason, picked)
    except rv.ReviewError as e:
        return _refused(request, event_id or None, f"quote:{quote_id}", str(e),
                        {"action": action, "reason": reason, "speaker": speaker})
    return _back(event_id or None, "quotes")


@router.post("/reports/{report_id}/regroup")
def regroup(request: Request, report_id: str, reason: Reason, csrf: Token = "", to_event: Opt = "",
            to_event_id: Opt = "") -> Response:
    """Move a report to another event of its story (picked by headline), to an event of another
    story (by its id), or to a new event of its own; a refusal shows the form again as typed."""
    who = current_reviewer(request, csrf)
    store = context(request).store()
    target = to_event_id.strip() or to_event.strip() or None
    try:
        out = rv.regroup_report(store, report_id, who, reason, target)
    except rv.ReviewError as e:
        row = store.db.execute("SELECT event_id FROM reports WHERE id = ?", (report_id,)).fetchone()
        return _refused(request, row[0] if row else None, f"report:{report_id}", str(e),
                        {"reason": reason, "to_event": to_event, "to_event_id": to_event_id})
    return _back(out["new_value"]["event_id"])
