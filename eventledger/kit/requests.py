"""Records requests and their statutory deadlines.

Federal FOIA (5 U.S.C. § 552(a)(6)): an agency determines within 20 working days of receiving
the request (Saturdays, Sundays and legal public holidays excluded); in unusual circumstances
it may extend that by 10 working days with written notice. Holidays are the US federal ones
of the ``holidays`` package (observed dates included).

California Public Records Act (Gov. Code § 7922.535): an agency determines within 10
calendar days of receipt, extendable by up to 14 days with written notice. When the last day
falls on a weekend or a California holiday it moves to the next business day (Code of Civil
Procedure § 12a); California holidays are the ``holidays`` package's (US, subdivision CA).

Working days are counted from the day after receipt: a request received on a Friday has its
first working day on Monday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from eventledger.errors import EventLedgerError
from eventledger.store import Store, _now
from eventledger.store import kit as sk

__all__ = [
    "CLOSED", "LAWS", "STATUSES", "Deadline", "RequestError", "add_request", "deadline", "foia_due", "cpra_due",
    "ical", "is_business_day", "list_requests_with_deadlines", "update_request",
]

LAWS = ("foia", "cpra")
STATUSES = ("filed", "acknowledged", "extended", "partial", "produced", "denied", "appealed")
CLOSED = ("produced", "denied")
FOIA_DAYS, FOIA_EXTENSION = 20, 10
CPRA_DAYS, CPRA_EXTENSION = 10, 14
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RequestError(EventLedgerError):
    """A records request could not be added or updated; the message says why."""


@lru_cache(maxsize=None)
def _holidays(year: int, subdiv: str | None) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("US", subdiv=subdiv, years=year).keys())


def is_business_day(d: date, subdiv: str | None = None) -> bool:
    """Not a Saturday, Sunday or holiday (US federal; with ``subdiv='CA'`` also California's)."""
    return d.weekday() < 5 and d not in _holidays(d.year, subdiv)


def foia_due(filed: date, extended: bool = False) -> date:
    """The last day for a FOIA determination: 20 working days after receipt (+10 if extended)."""
    n = FOIA_DAYS + (FOIA_EXTENSION if extended else 0)
    d = filed
    while n:
        d += timedelta(days=1)
        if is_business_day(d):
            n -= 1
    return d


def cpra_due(filed: date, extended: bool = False) -> date:
    """The last day for a CPRA determination: 10 calendar days after receipt (+14 if extended),
    moved to the next business day when it falls on a weekend or a California holiday."""
    d = filed + timedelta(days=CPRA_DAYS + (CPRA_EXTENSION if extended else 0))
    while not is_business_day(d, "CA"):
        d += timedelta(days=1)
    return d


@dataclass(frozen=True, slots=True)
class Deadline:
    due: date
    basis: str
    overdue: bool
    days_left: int


def deadline(law: str, filed: date, extended: bool, status: str, today: date, appealed_on: date | None = None) -> Deadline:
    """The deadline of a request and whether it has passed unanswered on ``today``.

    Until an appeal, the determination deadline; after a FOIA appeal (``appealed_on``, the day
    the agency received it), the appeal's: 20 working days (5 U.S.C. § 552(a)(6)(A)(ii))."""
    if law == "foia":
        if status == "appealed" and appealed_on is not None:
            due = foia_due(appealed_on)
            basis = (f"{FOIA_DAYS} working days after the appeal was received, weekends and federal holidays excluded"
                     " (5 U.S.C. § 552(a)(6)(A)(ii))")
            return Deadline(due, basis, today > due, (due - today).days)
        due = foia_due(filed, extended)
        basis = f"{FOIA_DAYS} working days" + (f" + {FOIA_EXTENSION} (unusual circumstances)" if extended else "") + \
            " after receipt, weekends and federal holidays excluded (5 U.S.C. § 552(a)(6))"
    elif law == "cpra":
        due = cpra_due(filed, extended)
        basis = f"{CPRA_DAYS} days" + (f" + {CPRA_EXTENSION} (extension)" if extended else "") + \
            " after receipt (Gov. Code § 7922.535); a weekend or holiday moves it to the next business day"
        if status == "appealed":  # the CPRA has no administrative appeal with a deadline: no longer overdue
            return Deadline(due, basis + "; appealed: the CPRA sets no deadline for an appeal", False, (due - today).days)
    else:
        raise RequestError(f"unknown law {law!r}; choose one of {', '.join(LAWS)}")
    return Deadline(due, basis, status not in CLOSED and today > due, (due - today).days)


def _date(value: str, what: str) -> date:
    if not _DATE_RE.match(value or ""):
        raise RequestError(f"{what} must be YYYY-MM-DD, not {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise RequestError(f"{what} {value!r} is not a real date") from e


def _need(value: str | None, what: str) -> str:
    if not value or not value.strip():
        raise RequestError(f"a records request needs {what}")
    return value.strip()


def add_request(store: Store, agency: str, law: str, filed: str, subject: str, by: str,
                tracking: str | None = None, events: list[str] | None = None, stories: list[str] | None = None,
                note: str | None = None, today: date | None = None) -> str:
    """Record a request sent to ``agency`` under ``law``; returns its id (rr-N)."""
    law = (law or "").lower()
    if law not in LAWS:
        raise RequestError(f"unknown law {law!r}; choose one of {', '.join(LAWS)}")
    d = _date(filed, "--filed")
    if d > (today or max(date.today(), datetime.now(timezone.utc).date())):
        raise RequestError(f"--filed {filed} is in the future: record a request once it is sent")
    rid = sk.insert_request(store, {"agency": _need(agency, "an agency"), "law": law, "filed": d.isoformat(),
                                    "subject": _need(subject, "a subject"), "tracking": tracking, "status": "filed",
                                    "extended": 0, "created_by": _need(by, "--by (who filed it)"), "created_at": _now()},
                            note)
    for e in events or []:
        sk.link_request(store, rid, "event", e, by, note)
    for s in stories or []:
        sk.link_request(store, rid, "story", s, by, note)
    return rid


def update_request(store: Store, rid: str, status: str, on: str, by: str, note: str | None = None) -> dict[str, Any]:
    """Record what happened to a request (acknowledged, extended, partial, produced, denied, appealed)."""
    if status not in STATUSES[1:]:
        raise RequestError(f"unknown status {status!r}; choose one of {', '.join(STATUSES[1:])}")
    req = sk.get_request(store, rid)
    if req is None:
        raise RequestError(f"no records request {rid}")
    d = _date(on, "--date")
    if d < date.fromisoformat(req["filed"]):
        raise RequestError(f"--date {on} is before the request was filed ({req['filed']})")
    sk.add_request_update(store, rid, status, d.isoformat(), _need(by, "--by"), note,
                          extended=True if status == "extended" else None)
    return sk.get_request(store, rid) or {}


def list_requests_with_deadlines(store: Store, today: date | None = None, overdue_only: bool = False) -> list[dict[str, Any]]:
    """Every request with its deadline (``due``, ``basis``, ``overdue``, ``days_left``), its updates,
    links and the exhibits attached to it (the agency's letters and records)."""
    today = today or date.today()  # the local day: deadlines are days where the agency is
    out = []
    for r in sk.list_requests(store):
        updates = sk.request_updates(store, r["id"])
        appeals = [u["on_date"] for u in updates if u["status"] == "appealed"]
        dl = deadline(r["law"], date.fromisoformat(r["filed"]), bool(r["extended"]), r["status"], today,
                      date.fromisoformat(appeals[-1]) if appeals else None)
        if overdue_only and not dl.overdue:
            continue
        out.append({**r, "extended": bool(r["extended"]), "due": dl.due.isoformat(), "basis": dl.basis,
                    "overdue": dl.overdue, "days_left": dl.days_left, "updates": updates,
                    "links": [f"{k}:{t}" for k, t in sk.request_links(store, r["id"])],
                    "exhibits": [{"sha256": x["sha256"], "filename": x["filename"]}
                                 for x in sk.list_exhibits(store, "request", r["id"])]})
    return out


def ical(requests: list[dict[str, Any]], stamp: datetime | None = None) -> bytes:
    """An iCalendar file with one all-day event per open request, on its due date."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//eventledger//records requests//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Records request deadlines")
    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    for r in requests:
        if r["status"] in CLOSED:
            continue
        ev = Event()
        ev.add("uid", f"{r['id']}-{r['due']}@eventledger")
        ev.add("dtstamp", stamp)
        due = date.fromisoformat(r["due"])
        ev.add("dtstart", due)
        ev.add("dtend", due + timedelta(days=1))
        ev.add("summary", f"{r['law'].upper()} due: {r['agency']} ({r['id']})")
        ev.add("description", f"{r['subject']}\nFiled {r['filed']}; status {r['status']}.\nDeadline: {r['basis']}.")
        cal.add_component(ev)
    return cal.to_ical()
