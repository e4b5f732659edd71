"""Review forms: a logged-in reviewer confirms, rejects or corrects a value or a grouping.

Every route here changes the ledger, so each checks the session's CSRF token and the
reviewer first; the change itself is one store.review call (one transaction, one log entry).
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from eventledger.store import review as rv
from eventledger.web.context import context
from eventledger.web.auth import current_reviewer
from eventledger.web.views import PLOVER_TYPES, dossier

__all__ = ["router"]

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
                      form=dict(values, target=target), form_error=error)


@router.post("/events/{event_id}/review")
def review_event(request: Request, event_id: str, action: Action, reason: Reason, csrf: Token = "",
                 type: Opt = "", mode: Opt = "", date: Opt = "", place_id: Opt = "") -> Response:
    who = current_reviewer(request, csrf)
    changes = None
    given = {"type": type, "mode": mode, "date": date, "place_id": place_id}
    if action == "correct":
        changes = {k: v for k, v in given.items() if v.strip()}
        if mode.strip() == "-":
            changes["mode"] = ""
    try:
        rv.review_event(context(request).store(), event_id, who, action, reason, changes)
    except rv.ReviewError as e:
        return _refused(request, event_id, "event", str(e), dict(given, action=action, reason=reason))
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
    who = current_reviewer(request, csrf)
    rv.review_quote(context(request).store(), quote_id, who, action, reason, speaker.strip() or None)
    return _back(event_id or None, "quotes")


@router.post("/reports/{report_id}/regroup")
def regroup(request: Request, report_id: str, reason: Reason, csrf: Token = "", to_event: Opt = "") -> Response:
    who = current_reviewer(request, csrf)
    out = rv.regroup_report(context(request).store(), report_id, who, reason, to_event.strip() or None)
    return _back(out["new_value"]["event_id"])
