"""Events: sentences that report something happening, typed with a PLOVER root type and
mode from the profile's trigger words, dated (absolute, or relative to the publication
date), placed, with the actors and figures stated in the same sentence.

Dating: a date in the sentence nearest the trigger; else the last date stated earlier
in the same paragraph; else the date of the story's lede; else the publication month.
Mentions of the same (type, mode, date, place) within a document are one event.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from eventledger.extract.dates import DateMatch, find_absolute, find_relative, precision_of, to_date
from eventledger.extract.sentences import Sentence
from eventledger.extract.tokens import ascii_lowered
from eventledger.profile import Profile
from eventledger.records import Attribution, Document, Entity, Event, Figure, Mention, Quote, span
from eventledger.settings import Settings

__all__ = ["extract_events"]

_NEG_RE = re.compile(r"\b(?:not|no|never|won[’']t|wouldn[’']t|didn[’']t|doesn[’']t|don[’']t|cannot|can[’']t|without)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
# A trigger under "might", "could" or "may" in its clause is a possibility, not an event
# ("agents might return at a later date to continue the crackdown").
_MODAL_RE = re.compile(r"\b(?:might|could|may)\b[^.;:,“”\"]{0,70}$"
                       # a goal or quota is not an event ("told agents to aim for 1,200 arrests a day")
                       r"|\b(?:aim(?:s|ed|ing)? (?:for|at)|goals? of|targets? of|quotas? of|planned|amount(?:s|ed)? to)\b"
                       r"(?:[^.;:,“”\"]|,(?=\d)){0,30}$")
# Cues of an earlier happening recalled in passing; undated, its date cannot be taken from the story.
_BACKGROUND_RE = re.compile(r"\b(?:a series of|similar|previous(?:ly)?|prior|past|follows|following|in recent (?:weeks|months|years)|have (?:also )?(?:led|drawn|sparked))\b", re.I)
# "41 of those detained": the people of an event already told, not a new event.
_PEOPLE_BEFORE_RE = re.compile(r"\bthose $", re.I)
# A trigger word that names a statistic, not a happening ("deportation numbers", "arrest quotas").
_STAT_AFTER_RE = re.compile(r"\s+(?:numbers|figures|rates?|statistics|totals|quotas?|targets?|goals?|counts?)\b")
# A date right after "first reported by the AP" dates the report, not the event.
_REPORT_DATE_RE = re.compile(r"\b(?:first |originally )?(?:reported|revealed|published)(?:\s+by\s+[^,.;]{1,60}?)?\s+$")
_MAX_LEDE_GAP_DAYS = 10


@dataclass(frozen=True, slots=True)
class _Hit:
    type: str
    mode: str | None
    priority: int
    start: int
    end: int


def _scan(text: str, profile: Profile) -> list[tuple[int, int, int]]:
    """(start, end, trigger index) of every trigger word in the text, in text order."""
    low = ascii_lowered(text)
    found = [(m.start(), m.end(), i) for i, t in enumerate(profile.triggers)
             for m in (t.lower.finditer(low) if t.lower is not None else t.pattern.finditer(text))]
    found.sort()
    return found


def _triggers_in(text: str, s: Sentence, found: list[tuple[int, int, int]], starts: list[int],
                 profile: Profile) -> list[_Hit]:
    hits: dict[str, _Hit] = {}
    seen: set[int] = set()
    sentence = None
    i = bisect_left(starts, s.start)
    while i < len(found) and found[i][0] < s.end:
        a, b, k = found[i]
        i += 1
        if k in seen:
            continue
        seen.add(k)
        t = profile.triggers[k]
        sentence = sentence if sentence is not None else text[s.start : s.end]
        if t.needs is not None and not t.needs.search(sentence):
            continue
        if t.needs_not is not None and t.needs_not.search(sentence):
            continue
        if _NEG_RE.search(text[max(s.start, a - 40) : a]) or _MODAL_RE.search(text[max(s.start, a - 70) : a]) \
                or _PEOPLE_BEFORE_RE.search(text, max(s.start, a - 6), a) or _STAT_AFTER_RE.match(text, b):
            continue
        h = _Hit(t.type, t.mode, t.priority, a, b)
        cur = hits.get(t.type)
        if cur is None or h.priority > cur.priority:
            hits[t.type] = h
    return sorted(hits.values(), key=lambda h: h.start)


def _dates_in(text: str, found_all: list[DateMatch], starts: list[int], s: Sentence) -> list[DateMatch]:
    i = bisect_left(starts, s.start)
    found = []
    while i < len(found_all) and found_all[i].start < s.end:
        if found_all[i].end <= s.end:
            found.append(found_all[i])
        i += 1
    # a relative expression inside an absolute one ("Wednesday, Dec. 3, 2025") is the same date
    out = [d for d in found if not any(o is not d and not o.relative and o.start <= d.start and d.end <= o.end for o in found)]
    # the date of a report ("first reported by the AP last month") when the sentence has another
    events_dates = [d for d in out if not _REPORT_DATE_RE.search(text[max(s.start, d.start - 80) : d.start])]
    return sorted(events_dates or out, key=lambda d: d.start)


def _nearest(dates: list[DateMatch], pos: int) -> DateMatch | None:
    if not dates:
        return None
    # prefer day precision when two are equally near; never a year-only date over a finer one nearby
    return min(dates, key=lambda d: (abs((d.start + d.end) // 2 - pos), {"day": 0, "month": 1, "year": 2}[d.precision]))


def extract_events(text: str, sentences: Sequence[Sentence], doc: Document, entities: Sequence[Entity],
                   figures: Sequence[Figure], profile: Profile, settings: Settings,
                   excluded: Sequence[Mention] = (), quotes: Sequence[Quote] = ()) -> list[Event]:
    """Events reported by the story's own sentences (not inside quotations or excluded spans)."""
    anchor = doc.published
    ex = [(m.start, m.end) for m in excluded]
    # quoted speech reports an event only when it dates it ("departed ... as of this morning")
    quoted = [(q.start, q.end) for q in quotes
              if not find_relative(text, q.start, q.end, anchor) and not find_absolute(text, q.start, q.end, anchor)]
    mentions = sorted((m.start, m.end, e) for e in entities for m in e.mentions)
    mention_starts = [m[0] for m in mentions]  # a sentence's mentions by bisection, not a scan of all
    fig_at = sorted((f.start, i) for i, f in enumerate(figures) if f.kind != "other")
    out: dict[tuple[str, str | None, str | None, str | None], Event] = {}
    para_date: tuple[int, DateMatch] | None = None
    lede: DateMatch | None = None
    headlines = _headline_paragraphs(text, sentences)
    found = _scan(text, profile)
    fstarts = [f[0] for f in found]
    all_dates = sorted(find_absolute(text, anchor=anchor) + find_relative(text, 0, len(text), anchor), key=lambda d: d.start)
    date_starts = [d.start for d in all_dates]
    for s in sentences:
        if any(a <= s.start and s.end <= b for a, b in ex):
            continue
        sent = text[s.start : s.end]
        dates = [d for d in _dates_in(text, all_dates, date_starts, s) if not any(a <= d.start < b for a, b in ex)]
        hits = [] if s.paragraph in headlines else _main_hits(
            [h for h in _triggers_in(text, s, found, fstarts, profile) if not any(a <= h.start < b for a, b in quoted)], dates)
        if para_date and para_date[0] != s.paragraph:
            para_date = None
        for h in hits:
            d = _nearest(dates, h.start)
            if d is None and _BACKGROUND_RE.search(sent):
                continue  # an undated look back ("follows a series of sweeps"): its date is unknown, not today's
            if d is None and para_date is not None:
                d = para_date[1]
            if d is None and lede is not None:
                d = lede
            date, prec = (d.date, d.precision) if d else _fallback(anchor)
            if date is None and settings.events_require_date:
                continue
            ents = mentions[bisect_left(mention_starts, s.start) : bisect_left(mention_starts, s.end)]
            place = _place(ents, h.start)
            actors = tuple(dict.fromkeys(e.id for a, b, e in ents if e.kind != "place" and a < h.start))
            targets = tuple(dict.fromkeys(e.id for a, b, e in ents if e.kind != "place" and a >= h.end))
            figs = tuple(sorted(i for _, i in fig_at[bisect_left(fig_at, (s.start, -1)) : bisect_left(fig_at, (s.end, -1))]))
            key = (h.type, h.mode, date, None)
            if key in out:
                continue
            sp = span(text, s.start, s.end)
            trig = span(text, h.start, h.end)
            out[key] = Event(
                type=h.type, mode=h.mode, date=date, date_precision=prec, place=place,
                actors=actors, targets=targets, figures=figs, text=sp.text, start=sp.start, end=sp.end,
                trigger=trig, attribution=_attribution(text, sentences, s, mentions),
            )
        if dates:
            last = dates[-1]
            para_date = (s.paragraph, last)
            if lede is None and hits and _near_anchor(last, anchor):
                lede = last
    return list(out.values())


def _headline_paragraphs(text: str, sentences: Sequence[Sentence]) -> set[int]:
    """Paragraphs that are headlines: one short sentence without final punctuation."""
    by_para: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_para.setdefault(s.paragraph, []).append(s)
    out = set()
    for p, ss in by_para.items():
        if len(ss) == 1:
            t = text[ss[0].start : ss[0].end]
            if len(t.split()) <= 18 and not t.rstrip("”\"')").endswith((".", "!", "?")):
                out.add(p)
    return out


def _main_hits(hits: list[_Hit], dates: list[DateMatch]) -> list[_Hit]:
    """The event a sentence is about (the highest priority trigger), plus any other whose own
    date differs from it ("rallied Wednesday ... against the raid the day before")."""
    if len(hits) <= 1:
        return hits
    main = max(hits, key=lambda h: (h.priority, -h.start))
    out = [main]
    d0 = _nearest(dates, main.start)
    for h in hits:
        if h is main:
            continue
        d = _nearest(dates, h.start)
        if d is not None and d0 is not None and d.date != d0.date and abs(d.start - h.start) < abs(d0.start - h.start):
            out.append(h)
    return sorted(out, key=lambda h: h.start)


_ATTR_RE = re.compile(
    r"\b(?:(?:first |originally )?reported by|according to|per|citing|obtained by|told)\s+(?:the\s+)?"
    r"|\b(?:first )?(?P<rep>reported|revealed|reports)\b",
    re.IGNORECASE,
)


def _attribution(text: str, sentences: Sequence[Sentence], s: Sentence,
                 mentions: list[tuple[int, int, Entity]]) -> Attribution | None:
    """The source the story credits for this report: in the sentence, or the next one of the
    paragraph ("... according to a leaked document. The document was first reported by X")."""
    nxt = [t for t in sentences if s.end <= t.start <= s.end + 300][:2]
    for sent in (s, *nxt):
        for m in _ATTR_RE.finditer(text, sent.start, sent.end):
            if m.group("rep"):
                # "The Los Angeles Times reported": the organization right before the verb
                cands = [(a, b, e) for a, b, e in mentions if sent.start <= a and b <= m.start() and m.start() - b <= 2]
            else:
                cands = [(a, b, e) for a, b, e in mentions if m.end() <= a <= m.end() + 4 and b <= sent.end]
            cands = [c for c in cands if c[2].kind in ("organization", "person")]
            if cands:
                a, b, e = cands[-1] if m.group("rep") else cands[0]
                sp = span(text, min(a, m.start()), max(b, m.end()))
                return Attribution(e.id, e.name, sp.text, sp.start, sp.end)
    return None


def _fallback(anchor: str | None) -> tuple[str | None, str | None]:
    if not anchor:
        return None, None
    if precision_of(anchor) == "day":
        return anchor[:7], "month"
    return anchor, precision_of(anchor)


def _near_anchor(d: DateMatch, anchor: str | None) -> bool:
    if not anchor or d.precision != "day" or precision_of(anchor) != "day":
        return False
    return 0 <= (to_date(anchor) - to_date(d.date)).days <= _MAX_LEDE_GAP_DAYS


def _place(ents: list[tuple[int, int, Entity]], pos: int) -> str | None:
    places = [(a, e) for a, b, e in ents if e.kind == "place"]
    if not places:
        return None
    # the place nearest the trigger, preferring ones after it ("raid in Los Angeles")
    return min(places, key=lambda p: abs(p[0] - pos) + (0 if p[0] >= pos else 20))[1].id
