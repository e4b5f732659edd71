"""Which ledger event a document's event mention reports.

Two mentions report the same happening when they have the same PLOVER type, compatible
modes, compatible dates (equal days, or a day inside a month given at month precision),
compatible places (the same place, one inside the other, or close by), and some shared
evidence: the same place, a shared actor or a shared figure. Different happenings of the
same kind (a raid in Charlotte and one in Raleigh the same week) stay apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Candidate", "OriginalReport", "Report", "best_match", "compatible", "copied_event", "dates_compatible",
           "merge_date", "score"]

_NEAR_KM = 40.0


@dataclass(frozen=True, slots=True)
class Report:
    type: str
    mode: str | None
    date: str | None
    place: str | None
    lat: float | None
    lon: float | None
    within: frozenset[str]  # the place and the places it lies in
    actors: frozenset[str]
    figures: frozenset[tuple[str, float]]


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    report: Report  # the ledger event's merged description


@dataclass(frozen=True, slots=True)
class OriginalReport:
    """A report of the document a new document copies, and the ledger event it is in."""
    event_id: str
    type: str
    mode: str | None
    date: str | None
    place: str | None
    text: str


def copied_event(r: Report, text: str, originals: list[OriginalReport]) -> str | None:
    """The ledger event of the original's report that this copy's report repeats: the same
    sentence of the same type, else the same type, mode, date and place; None when the copy
    reports something its original did not (then it is grouped like any report)."""
    for o in originals:
        if o.type == r.type and o.mode == r.mode and o.text == text:
            return o.event_id
    for o in originals:
        if (o.type, o.mode, o.date, o.place) == (r.type, r.mode, r.date, r.place):
            return o.event_id
    return None


def dates_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def merge_date(a: str | None, b: str | None) -> str | None:
    """The more precise of two compatible dates."""
    if not a:
        return b
    if not b:
        return a
    return a if len(a) >= len(b) else b


def _km(a: Report, b: Report) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _places(a: Report, b: Report) -> tuple[bool, bool]:
    """(compatible, same): places that cannot be the same happening's are incompatible."""
    if not a.place or not b.place:
        return True, False
    if a.place == b.place:
        return True, True
    if a.place in b.within or b.place in a.within:
        return True, True
    d = _km(a, b)
    if d is not None:
        return d <= _NEAR_KM, d <= _NEAR_KM / 4
    return False, False


def compatible(r: Report, c: Report) -> bool:
    """Whether the two could be one happening at all: type, mode, date and place allow it."""
    if r.type != c.type or not dates_compatible(r.date, c.date):
        return False
    if r.mode and c.mode and r.mode != c.mode:
        return False
    return _places(r, c)[0]


def score(r: Report, c: Report) -> float:
    """0 when the two cannot be one happening; otherwise higher for more shared evidence."""
    if not compatible(r, c):
        return 0.0
    same_place = _places(r, c)[1]
    s = 0.0
    if same_place:
        s += 2.0
    s += len(r.actors & c.actors)
    s += 2.0 * len(r.figures & c.figures)
    if r.date and c.date and r.date == c.date and len(r.date) == 10:
        s += 1.0
    return s


def best_match(r: Report, candidates: list[Candidate], threshold: float = 2.0) -> str | None:
    """The id of the ledger event this report belongs to, or None for a new happening."""
    best, best_s = None, 0.0
    for c in candidates:
        s = score(r, c.report)
        if s >= threshold and (s > best_s or (s == best_s and best is not None and c.id < best)):
            best, best_s = c.id, s
    return best
