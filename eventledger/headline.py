"""Plain-language labels, headlines and story titles built from a record's own data.

A ledger event record (spec/ledger.md, a dict) says who did what, where and when; this
module says it in words a reader expects: "ICE raids Home Depot in Paramount, June 7, 2025".
The words come from the profile (labels.toml: a label and a verb for each PLOVER type and
mode; gazetteer.jsonl: what kind of place a place is and what it lies within); the grammar
(subject-verb agreement, "in" an area but "at" a site, a date said at its precision) is
here. Nothing here reads a file or the store, so the CLI, the exports and the web app can
all call it on the records they hold.

- :func:`event_label` "Raid", "Troop deployment" (the type and mode when the profile has
  no label for them).
- :func:`event_headline` who did what, where, when. Without an actor it is a noun phrase:
  "Raid at Home Depot in Paramount, June 7, 2025"; without a place or a date those parts
  are left out, never guessed.
- :func:`story_title` a story's main label, place and dates: "Raid in Paramount, June 6–9, 2025".
- :func:`glossary` every label of the profile in the glossary's order (docs/glossary.md and
  the web app's /glossary page are made from it).
- :func:`say_date` and :func:`say_date_range` dates at their precision: "June 7, 2025",
  "June 2025", "2025"; :func:`say_short_date` and :func:`say_month_short` the short forms
  a chart labels bars and axes with: "Jun 7", "Jun 2025", "2025".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from eventledger.profile import EventLabel, Profile, ProfileEntity

__all__ = ["event_headline", "event_label", "glossary", "say_date", "say_date_range", "say_month_short", "say_short_date",
           "story_title"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_PRECISION_BY_LEN = {10: "day", 7: "month", 4: "year"}
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z&]{1,5}$")
_MAX_ACTORS = 2


# ---- dates ----------------------------------------------------------------------------------------

def _parts(date: str | None, precision: str | None) -> tuple[int, int | None, int | None] | None:
    if not date or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        return None
    precision = precision or _PRECISION_BY_LEN.get(len(date))
    y = int(date[:4])
    m = int(date[5:7]) if len(date) >= 7 and precision in ("day", "month") else None
    d = int(date[8:10]) if len(date) == 10 and precision == "day" else None
    if m is not None and not 1 <= m <= 12:
        return None
    return y, m, d


def say_date(date: str | None, precision: str | None = None, short: bool = False) -> str:
    """"June 7, 2025" (day), "June 2025" (month), "2025" (year), "" (no date); ``short``, a
    chart's label: "Jun 7" (the axis says the year), "Jun 2025", "2025"."""
    p = _parts(date, precision)
    if p is None:
        return ""
    y, m, d = p
    if m is None:
        return str(y)
    month = _MONTHS[m - 1][:3] if short else _MONTHS[m - 1]
    if d is None:
        return f"{month} {y}"
    return f"{month} {d}" if short else f"{month} {d}, {y}"


def say_month_short(year: int, month: int) -> str:
    """"Jun 2025"."""
    return f"{_MONTHS[month - 1][:3]} {year}"


def say_short_date(date: str | None, precision: str | None = None) -> str:
    """A chart's label of a date at its precision: "Jun 7" (the axis says the year), "Jun 2025", "2025"."""
    return say_date(date, precision, short=True)


def say_date_range(date_from: str | None, date_to: str | None) -> str:
    """A range as people write it: "June 6–9, 2025", "June 30 – July 2, 2025", "May – June 2025"."""
    a, b = _parts(date_from, None), _parts(date_to, None)
    if a is None or b is None or a == b:
        return say_date(date_from) or say_date(date_to)
    (ya, ma, da), (yb, mb, db) = a, b
    if ya != yb or ma is None or mb is None:
        return f"{say_date(date_from)} – {say_date(date_to)}"
    if ma == mb:
        if da is None or db is None:
            return f"{_MONTHS[ma - 1]} {ya}"
        return f"{_MONTHS[ma - 1]} {da}–{db}, {ya}"
    left = _MONTHS[ma - 1] + (f" {da}" if da is not None else "")
    right = _MONTHS[mb - 1] + (f" {db}" if db is not None else "")
    return f"{left} – {right}{',' if db is not None else ''} {ya}"


# ---- labels and words -----------------------------------------------------------------------------

def event_label(rec: Mapping[str, Any], profile: Profile) -> str:
    """The plain name of a record's type and mode ("Raid"); the PLOVER codes when the
    profile has no label for them."""
    lab = profile.label_for(rec.get("type"), rec.get("mode"))
    if lab is not None:
        return lab.label
    return " ".join(x for x in (rec.get("type"), rec.get("mode")) if x) or "Event"


def glossary(profile: Profile) -> list[EventLabel]:
    """The profile's labels by PLOVER type, each type's own row before its modes."""
    return sorted(profile.labels.values(), key=lambda lab: (lab.type, lab.mode is not None, lab.mode or ""))


def _third_person(verb: str) -> str:
    """The present tense of a base-form verb phrase for one subject: its first word inflected."""
    first, _, rest = verb.partition(" ")
    irregular = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if first in irregular:
        w = irregular[first]
    elif re.search(r"(?:s|sh|ch|x|z)$", first):
        w = first + "es"
    elif re.search(r"[^aeiou]y$", first):
        w = first[:-1] + "ies"
    else:
        w = first + "s"
    return f"{w} {rest}".rstrip()


def _short_name(actor: Mapping[str, Any], profile: Profile) -> str:
    """The name a headline uses for an organization the profile knows: a two-word name it
    goes by ("Border Patrol", "Justice Department"), else its acronym ("ICE"), else the
    record's name. People keep their full name."""
    name = str(actor.get("name") or actor.get("id") or "")
    pe = profile.by_id.get(str(actor.get("id")))
    if pe is None or pe.kind != "organization":
        return name
    known = profile.extra.setdefault("_headline_short_names", {})  # the profile is frozen: work it out once
    if pe.id not in known:
        two = [a for a in (pe.name, *pe.aliases)
               if len(a.split()) == 2 and all(w[:1].isupper() for w in a.split()) and not re.search(r"[.()&]", a)]
        acronyms = [a for a in pe.aliases if _ACRONYM_RE.match(a)]
        known[pe.id] = two[0] if two else (min(acronyms, key=len) if acronyms else None)
    return known[pe.id] or name


def _subject(actors: list[Mapping[str, Any]], profile: Profile) -> tuple[str, bool]:
    """("ICE and FBI", plural?) from the record's actors, at most two named."""
    names = list(dict.fromkeys(n for n in (_short_name(a, profile) for a in actors) if n))
    if not names:
        return "", False
    if len(names) == 1:
        return names[0], False
    if len(names) <= _MAX_ACTORS:
        return " and ".join(names), True
    return ", ".join(names[:_MAX_ACTORS]) + " and others", True


def _area_of(pe: ProfileEntity, profile: Profile) -> str | None:
    """The nearest area a site lies within, by the gazetteer's `within` chain."""
    seen = {pe.id}
    pid = pe.within
    while pid and pid not in seen:
        seen.add(pid)
        up = profile.by_id.get(pid)
        if up is None:
            return None
        if (up.type or "").lower() in profile.area_types:
            return up.name
        pid = up.within
    return None


def _where(place: Mapping[str, Any] | None, profile: Profile) -> tuple[str, str | None, bool]:
    """(place name, the area it lies within or None, is it a site?)."""
    if not place or not place.get("name"):
        return "", None, False
    name = str(place["name"])
    pe = profile.by_id.get(str(place.get("id")))
    ptype = (pe.type or "").lower() if pe is not None else ""
    if not ptype or ptype in profile.area_types:  # a place of unknown type counts as an area
        return name, None, False
    return name, _area_of(pe, profile), True  # type: ignore[arg-type]


def _place_phrase(name: str, area: str | None) -> str:
    return f"{name} in {area}" if area and area != name else name


# ---- headlines ------------------------------------------------------------------------------------

def event_headline(rec: Mapping[str, Any], profile: Profile) -> str:
    """Who did what, where, when, from a ledger event record and the profile's words."""
    lab = profile.label_for(rec.get("type"), rec.get("mode"))
    label = event_label(rec, profile)
    subject, plural = _subject(list(rec.get("actors") or ()), profile)
    place, area, site = _where(rec.get("place"), profile)
    prep = lab.prep if lab is not None else "in"
    if subject and lab is not None:
        if place and site and lab.verb_site:
            verb = lab.verb_site if plural else _third_person(lab.verb_site)
            clause = f"{subject} {verb} {_place_phrase(place, area)}"
        else:
            verb = lab.verb if plural else _third_person(lab.verb)
            clause = f"{subject} {verb}"
            if place:
                clause += f" at {_place_phrase(place, area)}" if site else f" {prep} {place}"
    else:  # no actor, or no verb to say what one did: a noun phrase
        clause = label
        if subject:
            clause += f" by {subject}"
        if place:
            clause += f" at {_place_phrase(place, area)}" if site else f" {prep} {place}"
    when = say_date(rec.get("date"), rec.get("date_precision"))
    text = f"{clause}, {when}" if when else clause
    return text[:1].upper() + text[1:]


def story_title(story: Mapping[str, Any], events: Iterable[Mapping[str, Any]], profile: Profile) -> str:
    """A story's title from its own events: the label most of its reports give (and the next
    one, when another kind of event is also reported), its most reported place, its dates."""
    evs = list(events)
    weight: Counter[str] = Counter()
    places: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for i, e in enumerate(evs):
        n = max(1, len(e.get("reports") or ()))
        lab = event_label(e, profile)
        weight[lab] += n
        first_seen.setdefault(lab, i)
        if e.get("place") and e["place"].get("name"):
            places[e["place"]["name"]] += n
    labels = sorted(weight, key=lambda k: (-weight[k], first_seen[k]))[:2]
    what = " and ".join([labels[0], *(x.lower() for x in labels[1:])]) if labels else ""
    if places:
        where = max(places, key=lambda k: (places[k], -list(places).index(k)))
    else:
        where = next((p["name"] for p in story.get("places") or () if p.get("name")), "")
    when = say_date_range(story.get("date_from"), story.get("date_to"))
    if not when:
        dated = sorted(e["date"] for e in evs if e.get("date"))
        when = say_date_range(dated[0], dated[-1]) if dated else ""
    head = f"{what} in {where}" if what and where else (what or where)
    text = ", ".join(x for x in (head, when) if x) or f"Story {story.get('id', '')}".strip()
    return text[:1].upper() + text[1:]
