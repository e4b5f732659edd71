"""Dates in text: absolute ("February 9, 2025", "Dec. 3", "July 2025") and relative
("on Monday", "last month", "earlier this year") resolved against an anchor date.

A resolved date is ISO text at the precision the evidence allows: ``YYYY-MM-DD`` (day),
``YYYY-MM`` (month) or ``YYYY`` (year).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from eventledger.extract.tokens import ascii_lowered, for_lowered

__all__ = [
    "DateMatch",
    "LinkedDate",
    "find_linked",
    "find_weekdays_after",
    "year_of_weekday",
    "shift",
    "find_absolute",
    "find_relative",
    "finditer_at",
    "parse_date_string",
    "precision_of",
    "to_date",
]

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_MON = (r"(?P<mon>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|Jun(?:e|\.)?|Jul(?:y|\.)?|Aug(?:ust|\.)?"
        r"|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# a weekday before the date ("Thursday, June 12", "Thu., Jun. 12"): it also pins the year of a date given without one
_WD = r"(?:(?P<wd>(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?)\.?,?\s+)?"

_ABS_PATTERNS = [
    # 2025-09-20, 2025-09-20T10:00
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<monnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    # Sunday, February 9, 2025 / Feb. 9 2025 / Dec. 3 (year optional)
    re.compile(_WD + r"\b" + _MON + r"\s+" + _DAY + r"\b(?:,?\s+" + _YEAR + r"\b)?"),
    # 9 February 2025
    re.compile(r"\b" + _DAY + r"\s+" + _MON + r"(?:,?\s+" + _YEAR + r")?\b"),
    # February 2025 / Feb. 2025 / in early June 2025
    re.compile(r"\b" + _MON + r"\s+(?:of\s+)?" + _YEAR + r"\b"),
    # 12/03/2025 and 08/12/25 (US order)
    re.compile(r"\b(?P<monnum>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)\d{2})\b"),
    re.compile(r"(?<![\d/])(?P<monnum>[01]?\d)/(?P<day>[0-3]?\d)/(?P<yy>\d{2})(?![\d/])"),
]
# A month name alone, in a date context: "in February", "earlier in February", "late September", "The February directive"
_MONTH_ALONE = re.compile(
    r"\b(?P<pre>(?:(?i:in|since|during|until|through|by|of|early|mid|late|earlier|later|last|this|next|the)[\s-]+)+)?"
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)\b(?!\s+\d)"
)
_YEAR_ALONE = re.compile(r"\b(?i:in|since|during|of|by|until|through|early|late|mid)[\s-]+(?P<year>(?:19|20)\d{2})\b(?![-/]\d)")


# Where a match of each pattern can start: a match of the absolute-date patterns begins
# with the three letters of a weekday or month name, or with a digit after no word
# character (or, for "08/12/25", after no digit or slash). These short patterns start with
# a literal or a character class, which the regex engine skips to in C, so only their few
# hits are tried with the full pattern: the same matches as ``pat.finditer`` (each tried
# position is one ``finditer`` would try, and no position it could match at is left out),
# at a fraction of the cost of trying every position of a page.
_NAME3 = re.compile(r"Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_MONTH3 = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_CENTURY = re.compile(r"[12](?<!\w[12])(?=[09])")
# A day before its month ("9 February", "31st Dec.") and a month's number before a slash
# ("12/03/2025") are looked ahead for as well: most digits of a text (counts, years) are
# neither, and each start that is tried costs a step in Python.
_STARTS: dict[re.Pattern[str], re.Pattern[str]] = {
    _ABS_PATTERNS[0]: _CENTURY,
    _ABS_PATTERNS[1]: _NAME3,
    _ABS_PATTERNS[2]: re.compile(r"\d(?<!\w\d)(?=\d?(?:st|nd|rd|th)?\s+(?:" + _MONTH3.pattern + "))"),
    _ABS_PATTERNS[3]: _MONTH3,
    _ABS_PATTERNS[4]: re.compile(r"\d(?<!\w\d)(?=\d?/)"),
    _ABS_PATTERNS[5]: re.compile(r"\d(?<![\d/]\d)(?=\d?/)"),
}
_STARTS_BY_ID = {id(p): s for p, s in _STARTS.items()}
# What every match of each absolute pattern holds besides a digit: a month's name (its first
# three letters, as _MONTH3 finds them) or a slash.
_ABS_NEEDS = ("", "month", "month", "month", "/", "/")


# A month or year alone is found from the month name or the year, looking back for the
# words that may open the match ("in", "early", "the"...): each such word is checked where it
# would end, before a run of spaces or hyphens, by the pattern's own alternation.
_MONTH_NAME = re.compile(r"January|February|March|April|May|June|July|August|September|October|November|December")
_YEAR_DIGITS = re.compile(r"[12](?<=[\s-][12])(?=[09])")
_MONTH_PRE_WORD = re.compile(r"(?i:in|since|during|until|through|by|of|early|mid|late|earlier|later|last|this|next|the)")
_YEAR_PRE_WORD = re.compile(r"(?i:in|since|during|of|by|until|through|early|late|mid)")


def _sep_run_start(text: str, j: int) -> int:
    """Where the run of white space and hyphens ending at ``j`` starts (``[\\s-]+``)."""
    while j > 0 and (text[j - 1] == "-" or text[j - 1].isspace()):
        j -= 1
    return j


def _word_starts(text: str, at: int, pos: int, words: re.Pattern[str], chain: bool) -> list[int]:
    """The positions from ``pos`` on where a match may start that has its month or year at
    ``at``: ``at`` itself, and the starts of the words (one, or a chain of them) before it,
    each followed by spaces or hyphens; ascending."""
    out, todo = {at}, [at]
    while todo:
        p = todo.pop()
        j = _sep_run_start(text, p)
        if j == p:
            continue
        for n in range(2, 8):  # the words are 2 to 7 letters long
            q = j - n
            if q >= pos and q not in out and words.fullmatch(text, q, j):
                out.add(q)
                if chain:
                    todo.append(q)
    return sorted(out)


def _finditer_from(pat: re.Pattern[str], text: str, start: int, end: int, found: re.Pattern[str],
                   words: re.Pattern[str], chain: bool) -> Iterator[re.Match[str]]:
    pos = start
    match = pat.match
    for c in found.finditer(text, start, end):
        at = c.start()
        if at < pos:
            continue
        for q in _word_starts(text, at, pos, words, chain):
            m = match(text, q, end)
            if m is not None:
                yield m
                pos = m.end()
                break


def _finditer(pat: re.Pattern[str], text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``pat.finditer(text, start, end)``, trying the full pattern only where it can start."""
    if pat is _MONTH_ALONE:
        return _finditer_from(pat, text, start, end, _MONTH_NAME, _MONTH_PRE_WORD, True)
    if pat is _YEAR_ALONE:
        return _finditer_from(pat, text, start, end, _YEAR_DIGITS, _YEAR_PRE_WORD, False)
    starts = _STARTS_BY_ID.get(id(pat))  # (by identity: a pattern's hash hashes its compiled code)
    if starts is None:
        return pat.finditer(text, start, end)
    return finditer_at(pat, starts, text, start, end)


def finditer_at(pat: re.Pattern[str], starts: re.Pattern[str], text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``pat.finditer(text, start, end)`` for a pattern whose matches can begin only where
    ``starts`` matches (a short pattern the regex engine skips to in C): ``pat`` is tried at
    those places alone, the same matches at a fraction of the cost of trying every position."""
    pos = start
    match = pat.match
    for c in starts.finditer(text, start, end):
        i = c.start()
        if i < pos:
            continue
        m = match(text, i, end)
        if m is not None:
            yield m
            pos = m.end()


# find_absolute's patterns, by their index in this list (the cache below is keyed by the index:
# a compiled pattern's hash hashes all its compiled code, about 1 µs, on every look-up)
_ALL_PATTERNS = (*_ABS_PATTERNS, _MONTH_ALONE, _YEAR_ALONE)
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=256)  # 8 patterns x the lines of a page head read before the events
def _whole_text_matches(k: int, text: str) -> tuple[re.Match[str], ...]:
    return tuple(_finditer(_ALL_PATTERNS[k], text, 0, len(text)))


def _matches(k: int, text: str, start: int, end: int) -> tuple[re.Match[str], ...] | Iterator[re.Match[str]]:
    """``finditer`` of the ``k``th pattern over ``text[start:end]``; over a whole text,
    remembered for the next caller: the document reader and the event finder both look for
    the absolute dates of the whole text, the costliest regex scan of a document."""
    return _whole_text_matches(k, text) if start == 0 and end == len(text) else _finditer(_ALL_PATTERNS[k], text, start, end)


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    date: str
    precision: str  # day | month | year
    relative: bool = False
    future: bool = False
    weekday: bool = False  # a bare weekday name resolved to the past week ("on Saturday")


def precision_of(iso: str | None) -> str | None:
    if not iso:
        return None
    return {10: "day", 7: "month", 4: "year"}.get(len(iso))


def to_date(iso: str) -> date:
    """The first day an ISO date of any precision covers."""
    parts = [int(p) for p in iso.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return date(parts[0], parts[1], parts[2])


def _mon(s: str) -> int | None:
    return MONTHS.get(s.lower().rstrip("."))


def _fmt(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _year_for(month: int, day: int | None, anchor: str | None) -> int | None:
    """The year of a month/day given without one: the latest not after the anchor."""
    if not anchor:
        return None
    a = to_date(anchor)
    y = a.year
    if precision_of(anchor) == "year":
        return y
    if (month, day or 1) > (a.month, a.day if precision_of(anchor) == "day" else 31):
        # a date after the anchor: last year, unless only slightly ahead (announced plans)
        return y - 1 if month - a.month > 1 or (month < a.month) else y
    return y


_WD_NUM = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def year_of_weekday(month: int, day: int, weekday: int, before: int) -> int | None:
    """The latest year not after ``before`` in which month/day falls on ``weekday`` (0 = Monday),
    within the six years a weekday cycle needs at most; None when there is none (Feb. 29)."""
    for y in range(before, before - 12, -1):
        try:
            if date(y, month, day).weekday() == weekday:
                return y
        except ValueError:
            continue
    return None


def find_absolute(text: str, start: int = 0, end: int | None = None, anchor: str | None = None,
                  year_hint: int | None = None) -> list[DateMatch]:
    """Absolute dates in ``text[start:end]``; dates without a year take it from ``anchor``, or
    else from a weekday stated with them ("Thursday, May 1": the latest such year not after
    ``year_hint``), or else from ``year_hint`` (a year the document states elsewhere)."""
    end = len(text) if end is None else end
    out: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    # a pattern is scanned for only where the span holds what each of its matches holds (a digit,
    # a month's name, a slash): most lines of a page head have no date, and most texts no slash
    digits = _DIGIT.search(text, start, end) is not None
    months = _MONTH3.search(text, start, end) is not None
    slash = digits and text.find("/", start, end) != -1
    for k in (k for k, needs in enumerate(_ABS_NEEDS) if digits and (needs != "month" or months) and (needs != "/" or slash)):
        for m in _matches(k, text, start, end):
            if not free(m.start(), m.end()):
                continue
            g = m.groupdict()
            month = int(g["monnum"]) if g.get("monnum") else _mon(g["mon"]) if g.get("mon") else None
            if not month or not 1 <= month <= 12:
                continue
            day = int(g["day"]) if g.get("day") else None
            if day is not None and not 1 <= day <= 31:
                continue
            if g.get("mon") and g["mon"].lower() == "may" and day is None and not g.get("year"):
                continue
            if g.get("yy"):
                year = 2000 + int(g["yy"])
            elif g.get("year"):
                year = int(g["year"])
            elif g.get("wd") and day and not anchor and year_hint:
                year = year_of_weekday(month, day, _WD_NUM[g["wd"][:3].lower()], year_hint)
            else:
                year = _year_for(month, day, anchor or (str(year_hint) if year_hint else None))
            if year is None:
                continue
            try:
                if day:
                    date(year, month, day)
            except ValueError:
                continue
            iso = _fmt(year, month, day)
            out.append(DateMatch(m.start(), m.end(), iso, precision_of(iso) or "day"))
            taken.append((m.start(), m.end()))
    for m in _matches(len(_ABS_PATTERNS), text, start, end) if months else ():
        s = m.start("mon") if not m.group("pre") else m.start()
        if not free(s, m.end()):
            continue
        month = MONTHS[m.group("mon").lower()]
        if m.group("mon") == "May" and not m.group("pre"):
            continue
        pre = (m.group("pre") or "").lower()
        if not pre and not _month_context(text, m.start("mon")):
            continue
        year = _year_for(month, None, anchor or (str(year_hint) if year_hint else None))
        if "next" in pre.split() and anchor:
            year = to_date(anchor).year + (1 if month <= to_date(anchor).month else 0)
        elif "last" in pre.split() and anchor and month >= to_date(anchor).month:
            year = to_date(anchor).year - 1
        if year is None:
            continue
        out.append(DateMatch(s, m.end(), _fmt(year, month), "month"))
        taken.append((s, m.end()))
    for m in _matches(len(_ABS_PATTERNS) + 1, text, start, end) if digits else ():
        if free(m.start("year"), m.end()):
            out.append(DateMatch(m.start("year"), m.end("year"), m.group("year"), "year"))
    out.sort(key=lambda d: d.start)
    return _ranges(text, out)


_RANGE_GAP = re.compile(r"\s*(?:and|to|through|until|-|–)\s*")


_RANGE_OPEN_RE = re.compile(r"\b(?:between|from)\s+$")


def _ranges(text: str, found: list[DateMatch]) -> list[DateMatch]:
    """'between Sept. 1 and Sept. 30' is one stretch of time: its month, when both days share it."""
    out: list[DateMatch] = []
    i = 0
    while i < len(found):
        a = found[i]
        b = found[i + 1] if i + 1 < len(found) else None
        if (b is not None and a.precision == b.precision == "day" and a.date[:7] == b.date[:7] and a.date < b.date
                and _RANGE_GAP.fullmatch(text, a.end, b.start)):
            s = a.start
            pre = _RANGE_OPEN_RE.search(text[max(0, a.start - 10) : a.start])
            if text[a.end : b.start].strip() == "and" and not (pre and pre.group().startswith("between")):
                out.append(a)  # "on June 6 and June 7": two days
                i += 1
                continue
            if pre:
                s = a.start - len(text[max(0, a.start - 10) : a.start]) + pre.start()
            out.append(DateMatch(s, b.end, a.date[:7], "month"))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _month_context(text: str, i: int) -> bool:
    """A bare month name counts as a date only before a noun like 'directive' or after 'The'."""
    before = text[max(0, i - 5) : i].lower()
    return before.endswith("the ") or before.endswith("'s ") or before.endswith("’s ")


_REL_RE = re.compile(
    r"\b(?:(?P<lastnext>last|next|this|this past|this coming|on|early|late)\s+)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:'s|’s)?"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b"
    r"|\b(?P<today>today|tonight|this morning|this afternoon|this evening|earlier today|later today)\b"
    r"|\b(?P<yesterday>yesterday|last night)\b"
    r"|\b(?P<tomorrow>tomorrow)\b"
    r"|\b(?P<week>last week|this week|earlier this week|past week|over the weekend|this weekend|last weekend|next week)\b"
    r"|\b(?P<month>last month|this month|earlier this month|earlier in the month|next month|later this month|end of the month|end of this month)\b"
    r"|\b(?P<year>last year|this year|earlier this year|next year|later this year|last summer|this summer|last fall|last spring|last winter)\b"
    r"|\b(?P<ago>(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)\s+(?P<unit>days?|weeks?|months?|years?)\s+ago)\b"
    r"|\b(?P<holiday>New Year[’']s Eve|New Year[’']s Day|Christmas Eve|Christmas Day|Christmas|Independence Day|Fourth of July|July Fourth|Halloween|Thanksgiving(?: Day)?|"
    r"Labor Day|Memorial Day|Juneteenth|Veterans Day|Martin Luther King(?: Jr\.?)? Day|MLK Day|Presidents[’']? Day|Cinco de Mayo)\b",
    re.IGNORECASE,
)
# The same expression in lower case, matched case-sensitively on text whose ASCII letters are
# lowered: several times faster than IGNORECASE, with the same offsets.
_REL_LOWER = re.compile(_REL_RE.pattern.lower().replace("(?p<", "(?P<"))

_NUMW = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10}


def find_relative(text: str, start: int, end: int, anchor: str | None) -> list[DateMatch]:
    """Relative date expressions in ``text[start:end]`` resolved against ``anchor``."""
    if not anchor:
        return []
    out: list[DateMatch] = []
    prec = precision_of(anchor)
    a = to_date(anchor)
    for m in _REL_LOWER.finditer(ascii_lowered(text), start, end):
        g = m.groupdict()
        res: tuple[str, str] | None = None
        future = bare_weekday = False
        if g["wd"]:
            if text[m.start("wd")].islower():
                continue
            ln = (g["lastnext"] or "").lower()
            if prec != "day":
                continue  # a weekday against a month or a year is no day, and naming the month would guess
            else:
                wd = WEEKDAYS[g["wd"].lower()]
                back = (a.weekday() - wd) % 7
                if ln in ("next", "this coming"):
                    fwd = (wd - a.weekday()) % 7 or 7
                    d = a + timedelta(days=fwd)
                    future = True
                else:
                    d = a - timedelta(days=back if ln != "last" or back else 7)
                    bare_weekday = ln in ("", "on")
                res = (d.isoformat(), "day")
        elif g["today"]:
            res = (anchor, prec or "day")
        elif g["yesterday"]:
            res = ((a - timedelta(days=1)).isoformat(), "day") if prec == "day" else (anchor, prec or "day")
        elif g["tomorrow"]:
            res = ((a + timedelta(days=1)).isoformat(), "day") if prec == "day" else (anchor, prec or "day")
            future = True
        elif g["week"]:
            w = g["week"].lower()
            d = a - timedelta(days=7) if w.startswith("last") or w.startswith("past") else a
            if w == "next week":
                d, future = a + timedelta(days=7), True
            elif prec == "day" and w in ("over the weekend", "last weekend"):
                d = a - timedelta(days=(a.weekday() - 5) % 7 or (7 if w == "last weekend" and a.weekday() == 5 else 0))
            elif prec == "day" and w in ("this week", "earlier this week"):
                d = a - timedelta(days=a.weekday())  # its Monday: "this week" told on Wednesday the 2nd began in the month before
            res = (_fmt(d.year, d.month), "month") if prec in ("day", "month") else None
        elif g["month"]:
            w = g["month"].lower()
            if prec in ("day", "month"):
                if w == "last month":
                    d = (a.replace(day=1) - timedelta(days=1))
                elif w == "next month":
                    d, future = (a.replace(day=28) + timedelta(days=5)), True
                else:
                    d = a
                res = (_fmt(d.year, d.month), "month")
        elif g["year"]:
            w = g["year"].lower()
            y = a.year - 1 if w.startswith("last") else a.year + 1 if w.startswith("next") else a.year
            future = w.startswith("next")
            res = (_fmt(y), "year")
        elif g["ago"]:
            n = g["n"].lower()
            k = int(n) if n.isdigit() else _NUMW.get(n)
            unit = g["unit"].lower().rstrip("s")
            if k is None or prec is None:
                continue
            if unit == "day" and prec == "day":
                res = ((a - timedelta(days=k)).isoformat(), "day")
            elif unit == "week" and prec == "day":
                res = ((a - timedelta(days=7 * k)).isoformat(), "day")
            elif unit == "month":
                mm = a.year * 12 + a.month - 1 - k
                res = (_fmt(mm // 12, mm % 12 + 1), "month")
            elif unit == "year":
                res = (_fmt(a.year - k), "year")
        elif g["holiday"]:
            h = g["holiday"].lower().replace("’", "'")
            md = _holiday(h, a.year)
            if md and (md[0], md[1]) > (a.month, a.day if prec == "day" else 31):
                md = _holiday(h, a.year - 1)  # the latest one not after the anchor
                y = a.year - 1
            else:
                y = a.year
            if md:
                res = (_fmt(y, *md), "day")
        if res:
            out.append(DateMatch(m.start(), m.end(), res[0], res[1], relative=True, future=future, weekday=bare_weekday))
    return out


_FIXED_HOLIDAYS = {"new year's eve": (12, 31), "new year's day": (1, 1), "christmas eve": (12, 24),
                   "christmas day": (12, 25), "christmas": (12, 25), "independence day": (7, 4),
                   "fourth of july": (7, 4), "july fourth": (7, 4), "halloween": (10, 31), "juneteenth": (6, 19),
                   "veterans day": (11, 11), "cinco de mayo": (5, 5)}
# US holidays on the nth weekday of a month (n = -1: the last): (month, weekday with Monday 0, n)
_FLOATING_HOLIDAYS = {"labor day": (9, 0, 1), "memorial day": (5, 0, -1), "thanksgiving": (11, 3, 4),
                      "thanksgiving day": (11, 3, 4), "martin luther king day": (1, 0, 3), "mlk day": (1, 0, 3),
                      "presidents day": (2, 0, 3), "presidents' day": (2, 0, 3)}


def _holiday(name: str, year: int) -> tuple[int, int] | None:
    """(month, day) of a named US holiday in ``year``."""
    name = re.sub(r"martin luther king(?: jr\.?)? day", "martin luther king day", name)
    if name in _FIXED_HOLIDAYS:
        return _FIXED_HOLIDAYS[name]
    rule = _FLOATING_HOLIDAYS.get(name)
    if rule is None:
        return None
    month, weekday, n = rule
    if n > 0:
        first = date(year, month, 1)
        return month, 1 + (weekday - first.weekday()) % 7 + 7 * (n - 1)
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return month, last.day - (last.weekday() - weekday) % 7


@dataclass(frozen=True, slots=True)
class LinkedDate:
    """A date told as a distance from the date of another clause ("two days later", "the day
    before", "later that night"): ``days`` after (negative: before) the date it refers to."""

    start: int
    end: int
    days: int
    governs_after: bool = False
    """For "N days after/before X": the offset applies to what follows (X), counted from
    the date of the rest of the sentence."""
    approx: bool = False
    """A distance told in weeks ("nearly a week after"): it gives a month, not a day."""


_LINKED_RE = re.compile(
    r"\b(?:(?P<n>\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?\s+(?P<dir>later|earlier|afterwards?|after|before|prior(?:\s+to)?)"
    r"|the\s+(?P<one>day|night|evening|morning)\s+(?P<dir1>before|after|prior|earlier)"
    r"|the\s+(?P<next>next|following|previous|prior)\s+(?:day|morning|evening|night)"
    r"|(?:later|earlier)\s+that\s+(?:day|night|morning|afternoon|evening)|that\s+(?:same\s+)?(?:day|night|evening|afternoon)"
    r"|the\s+same\s+day|overnight|by\s+(?:early\s+|late\s+)?(?:evening|afternoon|nightfall|midday|noon)"
    r"|later\s+in\s+the\s+(?:day|evening|afternoon)|late\s+into\s+the\s+night"
    r"|(?:(?P<hedge>nearly|almost|about|around|roughly|more\s+than|less\s+than|just\s+over|just\s+under)\s+)?"
    r"(?P<wn>a|one|two|three|four|\d)\s+weeks?\s+(?P<wdir>later|earlier|after|before))\b",
    re.IGNORECASE,
)

_LINKED_LOWER = for_lowered(_LINKED_RE)


# what follows "the day before/after" when it names what the day is counted from ("the day after the raid")
_GOVERNED_RE = re.compile(r"\s+(?:the|a|an|his|her|their|its|[a-z]+ed\b|\w+\s+\w+ed\b)")


def find_linked(text: str, start: int, end: int) -> list[LinkedDate]:
    """Dates told relative to another clause's date, in ``text[start:end]``."""
    out = []
    for m in _LINKED_LOWER.finditer(ascii_lowered(text), start, end):  # (its groups are read lowered)
        g = m.groupdict()
        if g["wn"]:
            k = 7 * (int(g["wn"]) if g["wn"].isdigit() else _NUMW[g["wn"].lower()])
            w = g["wdir"].lower()
            days = -k if w in ("earlier", "before") else k
            # "a week after agents arrived": what follows lies that far before the clause's date
            out.append(LinkedDate(m.start(), m.end(), -days if w in ("after", "before") else days,
                                  governs_after=w in ("after", "before"), approx=bool(g["hedge"])))
            continue
        if g["n"]:
            k = int(g["n"]) if g["n"].isdigit() else _NUMW[g["n"].lower()]
            w = g["dir"].lower()
            days = -k if w in ("earlier", "before") or w.startswith("prior") else k
            if w in ("after", "before") or w.startswith("prior "):
                # "two days after agents arrived": what follows lies that far from the clause's date
                out.append(LinkedDate(m.start(), m.end(), -days, governs_after=True))
                continue
        elif g["one"]:
            days = -1 if g["dir1"].lower() in ("before", "prior", "earlier") else 1
            if g["dir1"].lower() in ("before", "after") and _GOVERNED_RE.match(text[m.end():m.end() + 40]):
                # "the day after the raid": what follows lies a day before the clause's date
                out.append(LinkedDate(m.start(), m.end(), -days, governs_after=True))
                continue
        elif g["next"]:
            days = 1 if g["next"].lower() in ("next", "following") else -1
        else:
            days = 0
        out.append(LinkedDate(m.start(), m.end(), days))
    return out


def find_weekdays_after(text: str, start: int, end: int, anchor: str) -> list[DateMatch]:
    """Weekday names in ``text[start:end]`` resolved forward from a day stated in the text
    (the story tells what followed the date it gives: "raided on Oct. 21 ... announced
    Wednesday"), for a document with no day anchor of its own: the day in the six after it."""
    if precision_of(anchor) != "day":
        return []
    a = to_date(anchor)
    out = []
    for m in _REL_LOWER.finditer(ascii_lowered(text), start, end):
        wd = m.group("wd")
        if not wd or not text[m.start("wd")].isupper() or (m.group("lastnext") or "").lower() in ("next", "this coming", "last"):
            continue
        d = a + timedelta(days=(WEEKDAYS[wd.lower()] - a.weekday()) % 7)
        out.append(DateMatch(m.start(), m.end(), d.isoformat(), "day", relative=True))
    return out


def shift(iso: str, days: int) -> str | None:
    """A day-precision ISO date moved by ``days``; None for a coarser date unless ``days`` is 0."""
    if precision_of(iso) != "day":
        return iso if days == 0 else None
    return (to_date(iso) + timedelta(days=days)).isoformat()


_ISO_FULL = re.compile(r"^\s*((?:19|20)\d{2})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_date_string(s: str | None) -> str | None:
    """A date from metadata ("2025-06-10T08:00:00Z", "June 10, 2025", "Tue, 10 Jun 2025 08:00:00 GMT")
    as ISO at the precision given, or None."""
    if not s or not isinstance(s, str):
        return None
    m = _ISO_FULL.match(s)
    if m:
        y, mo, d = m.groups()
        try:
            if d:
                return date(int(y), int(mo), int(d)).isoformat()
            if mo and 1 <= int(mo) <= 12:
                return f"{y}-{mo}"
            return y
        except ValueError:
            return None
    found = find_absolute(s)
    full = [f for f in found if f.precision in ("day", "month")]
    if full:
        return full[0].date
    try:
        from dateutil import parser as du

        return du.parse(s, fuzzy=False).date().isoformat()
    except (ValueError, OverflowError, TypeError):
        return None
