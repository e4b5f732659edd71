"""Document metadata (title, outlet, bylines, publication date) from the container and the text.

What the container said (HTML metadata, a JSON Lines record, a feed entry, command-line
options) comes first. Plain-text articles carry their metadata inline, so the text is read
as a newsroom page is laid out:

    nav junk | photo + caption (credit) | headline | deck | byline | dateline | story | bio | promo

Every line that is not story text (bylines, staff lines, datelines, photo credits, author
bios, subscribe boxes, share and comment prompts, site navigation) becomes an ``excluded``
span, so no person, figure or event is taken from it. Photographers are never bylines.
The publication date is stated (``dateline``/``metadata``) or, failing that, inferred
with care (``inferred``): the day only when a dated caption is confirmed by the story,
else the latest month and year the story names, else null.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from eventledger.extract import pagelines as pl
from eventledger.extract.dates import find_absolute, parse_date_string
from eventledger.extract.tokens import ascii_lower, search_lowered
from eventledger.outlets import CREDIT_OPEN_RE, name_article, outlet_registry
from eventledger.profile import Profile, norm_key
from eventledger.records import Document, Mention, RawDocument, span

__all__ = ["DocumentMeta", "extract_document"]

_HEAD_LINES = 16  # metadata lines sit in the first lines of a page
_TAIL_LINES = 12  # bios, promos and comment prompts in the last ones


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    document: Document
    excluded: tuple[Mention, ...] = ()
    """Spans that are not story text (bylines, photo credits, author bios, subscribe boxes):
    no person, figure or event is taken from them."""


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str
    block: int = 0  # paragraphs are separated by a blank line; a block is one such paragraph
    _words: int = -1

    @property
    def words(self) -> int:
        """How many words the line has, counted once (the readers below ask it of a line up to
        six times, and a head line may be a whole paragraph)."""
        if self._words < 0:
            self._words = len(self.text.split())
        return self._words


@dataclass(slots=True)
class _Found:
    bylines: list[str]
    photographers: set[str]
    outlet: str | None
    stamps: list[tuple[int, str]]  # (rank, ISO date): lower rank wins
    excluded: list[tuple[int, int]]
    title_line: int | None = None


def extract_document(raw: RawDocument, text: str, text_sha256: str, profile: Profile) -> DocumentMeta:
    """The document record and the spans of ``text`` that are not story text."""
    lines = _lines(text)
    f = _Found([], set(), None, [], [])
    _credits(text, f)
    _head(lines, f, profile)
    _tail(lines, f, profile)
    _boilerplate(lines, f)
    title = raw.title or _title(lines, f)
    title_span = None
    if not raw.title and title is not None and f.title_line is not None:
        ln = lines[f.title_line]
        at = ln.text.find(title)
        title_span = span(text, ln.start + at, ln.start + at + len(title), title) if at >= 0 else None
    # the outlet registry's reading of the page (bylines ending in an outlet, staff lines, wire
    # datelines, "originally published by", the URL's domain) where the layout above found none
    found = name_article(text, outlet_registry(profile), url=raw.url)
    if title is None and found.title is not None and found.title_start is not None:
        title, title_span = found.title, span(text, found.title_start, found.title_end, found.title)
    if raw.outlet:
        outlet, outlet_span, outlet_basis = raw.outlet, None, "metadata"
    elif f.outlet:
        outlet, outlet_span, outlet_basis = f.outlet, _outlet_span(text, lines, f.outlet), "text"
    elif found.outlet:
        outlet, outlet_basis = found.outlet, found.outlet_basis
        outlet_span = span(text, found.outlet_start, found.outlet_end) if found.outlet_start is not None else None
    else:
        outlet, outlet_span, outlet_basis = None, None, None
    bylines = list(raw.bylines) or f.bylines
    photographers = {norm_key(p) for p in f.photographers}
    bylines = list(dict.fromkeys(b for b in bylines if norm_key(b) not in photographers))
    published, basis = raw.published, raw.published_basis if raw.published else None
    if basis == "url":  # a date read off the page's address: the text's own dateline or stamp beats it
        published, basis = (None, None) if f.stamps else (published, "metadata")  # (the record's word for it)
    if not published and f.stamps:
        published, basis = min(f.stamps)[1], "dateline"
    if not published:
        published = _inferred(text, lines, f)
        basis = "inferred" if published else None
    excluded = _merge(f.excluded)
    doc = Document(
        id=raw.id, source=raw.source, title=title, outlet=outlet, bylines=tuple(bylines),
        published=published, published_basis=basis, text_sha256=text_sha256, text=text, url=raw.url,
        title_span=title_span, outlet_span=outlet_span, outlet_basis=outlet_basis,
    )
    return DocumentMeta(doc, tuple(span(text, s, e) for s, e in excluded))


def _outlet_span(text: str, lines: list[_Line], outlet: str) -> Mention | None:
    """Where the head's lines (else the tail's) name the outlet the layout found."""
    for ln in [*lines[:_HEAD_LINES], *lines[_HEAD_LINES:][-_TAIL_LINES:]]:
        i = ln.text.find(outlet)
        if i >= 0:
            return span(text, ln.start + i, ln.start + i + len(outlet), outlet)
    return None


# ---- photo credits ----------------------------------------------------------------------------------


_CREDIT_WORDS_RE = re.compile(rf"\b{pl.AGENCY}\b|\b(?:Photo|Photograph|Image|Source|Credit|Courtesy|via)\b")
_NAME_RE = re.compile(pl.NAME)


def _credits(text: str, f: _Found) -> None:
    for rx in pl.CREDIT_RES:
        for m in rx.finditer(text):
            f.excluded.append((m.start(), m.end()))
            inner = _CREDIT_WORDS_RE.sub(" ", m.group())
            for n in _NAME_RE.finditer(inner):
                f.photographers.add(pl.person(n.group()))


# ---- head: bylines, staff lines, datelines, nav junk ----------------------------------------------


def _head(lines: list[_Line], f: _Found, profile: Profile) -> None:
    # the head runs to the first paragraph of the story, however long the site's menus above it
    first_long = next((i for i, ln in enumerate(lines[:60]) if ln.words >= 20), 0)
    head = lines[:max(_HEAD_LINES, first_long + 1)]
    for i, ln in enumerate(head):
        t = ln.text
        m = pl.DATE_PREFIX_RE.match(t)
        if m and i == 0:
            f.stamps.append((1, m.group("d")))
            f.excluded.append((ln.start, ln.start + m.end()))
            continue
        if _byline_line(ln, f, profile) or _dateline(ln, f, i, profile):
            continue
        m = CREDIT_OPEN_RE.match(t) if t.startswith("(") else None
        if m and pl.is_person(m.group("names"), profile):
            # "(Kim Doe, The Valley Ledger) Federal agents ...": the writer's credit opening the story
            f.bylines.append(m.group("names"))
            f.excluded.append((ln.start, ln.start + m.end() - 1))  # (the space after it is story text's)
            continue
        if pl.NOTE_RE.match(t):
            names = [pl.person(m.group("name")) for m in pl.NOTE_NAME_RE.finditer(t)]
            f.bylines.extend(n for n in names if not pl.NOT_PERSON.search(n))
            f.excluded.append((ln.start, ln.end))
        elif pl.BYLINE_JUNK_RE.match(t):
            f.excluded.append((ln.start, ln.end))
    _name_beside_dateline(head, f, profile)


def _name_beside_dateline(head: list[_Line], f: _Found, profile: Profile) -> None:
    """A name alone ("Jane Doe", "Jane Doe in Chicago", "Jane Doe, The Tribune") on the line
    just above or below a dateline is the byline."""
    stamped = {(s, e) for s, e in f.excluded}
    for i, ln in enumerate(head):
        if f.bylines or (ln.start, ln.end) in stamped or ln.words > 9:
            continue
        near = [head[j] for j in (i - 1, i + 1) if 0 <= j < len(head)]
        if not any((n.start, n.end) in stamped and pl.full_date(n.text) for n in near):
            continue
        m = pl.BESIDE_RE.fullmatch(ln.text)
        names = [n for n in pl.split_names(m.group("names")) if pl.is_person(n, profile)] if m else []
        if names:
            f.bylines.extend(names)
            f.excluded.append((ln.start, ln.end))


def _byline_line(ln: _Line, f: _Found, profile: Profile) -> bool:
    t = ln.text
    if ln.words > 24:
        return False
    if " | " in t:  # "Oregon Public Broadcasting | By Conrad Wilson | Oct. 4, 2025"
        parts = [p.strip() for p in t.split(" | ")]
        by = next((p for p in parts if pl.BY_RE.match(p)), None)
        if by is not None:
            _byline_line(_Line(ln.start, ln.end, by), f, profile)
            for p in parts:
                if p is not by and not pl.full_date(p) and profile.lookup(p, "organization"):
                    f.outlet = f.outlet or p
                elif p is not by and pl.full_date(p):
                    f.stamps.append((2, pl.full_date(p)))
            return True
    m = pl.STAFF_RE.match(t) or pl.STAFF_AFTER_RE.match(t)
    if m:
        f.outlet = f.outlet or m.group("org")
        if m.group("names"):
            f.bylines.extend(pl.split_names(m.group("names")))
        f.excluded.append((ln.start, ln.end))
        return True
    m = pl.BY_RE.match(t) or pl.ROLE_RE.match(t)
    names = pl.split_names(m.group("names")) if m else []
    # "By Conrad Wilson, Oregon Public Broadcasting": a known organization is the outlet, not a writer
    orgs = [n for n in names if profile.lookup(n, "organization") and not profile.lookup(n, "person")]
    if orgs:
        f.outlet = f.outlet or orgs[0]
        names = [n for n in names if n not in orgs]
    if m and not names and orgs:
        f.excluded.append((ln.start, ln.end))
        return True
    if m and names:
        f.bylines.extend(names)
        rest = t[m.end("names"):]
    elif pl.AGENCY_BY_RE.match(t):  # "By The Associated Press", "From staff reports": no person to credit
        rest = t
    else:
        return False
    iso = pl.full_date(rest)
    if iso:
        f.stamps.append((2, iso))
    f.excluded.append((ln.start, ln.end))
    return True


_STAMP_BY_RE = re.compile(rf"\b[Bb]y:?[ \t]+(?P<names>{pl.NAMES})")
_ISO_LINE_RE = re.compile(r"(?:19|20)\d{2}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def _dateline(ln: _Line, f: _Found, i: int, profile: Profile) -> bool:
    t = ln.text
    m = pl.STAMP_RE.match(t)
    if m and ln.words <= 24:
        iso = pl.full_date(t[m.end():])
        if iso:
            updated = m.group("kind").lower() in ("updated", "last updated", "modified", "last modified")
            f.stamps.append((5 if updated else 0, iso))
            f.excluded.append((ln.start, ln.end))
            by = _STAMP_BY_RE.search(t[m.end():])
            if by:
                f.bylines.extend(n for n in pl.split_names(by.group("names")) if pl.is_person(n, profile))
            return True
    if _ISO_LINE_RE.fullmatch(t):
        iso = parse_date_string(t)
        if iso:
            f.stamps.append((1 if i < 10 else 3, iso))
            f.excluded.append((ln.start, ln.end))
            return True
    if ln.words <= 16:  # only dates, times and short labels: "June 10, 2025, 3:04 PM PDT | Jane Doe"
        found = pl.date_only(t, profile)
        if found:
            f.stamps.append((1 if i < 10 else 3, found[0]))
            f.bylines.extend(found[1])
            f.excluded.append((ln.start, ln.end))
            return True
    iso = pl.lead_date(t)
    if iso:  # "WASHINGTON, June 10, 2025 — Federal agents ...": the story's own dateline, kept as story text
        f.stamps.append((1 if i < 10 else 3, iso))
    return False


# ---- tail: author bios, promos --------------------------------------------------------------------


_BIO_NAME_RE = re.compile(rf"(?:Written by|All posts by|About the author)[ \t]*:?[ \t]*(?P<names>{pl.NAME})")
_ALL_AFTER_RE = re.compile(r"[ \t]+All$")
_BIO_WORD_RE = re.compile(r"[\w’'\-]+")


def _tail(lines: list[_Line], f: _Found, profile: Profile) -> None:
    n = len(lines)
    first = max(0, n - _TAIL_LINES)
    for ln in lines[max(_HEAD_LINES, n - 4):]:  # "Reporting by ...; Editing by ..." and bottom bylines
        _byline_line(ln, f, profile)
    for i in range(first, n):
        ln = lines[i]
        t = ln.text  # (a match anywhere holds "the author" in some case: most paragraphs are not searched)
        if not (pl.BIO_START_RE.match(t) or "the author" in t.lower() and pl.BIO_ANYWHERE_RE.search(t)):
            continue
        m = _BIO_NAME_RE.search(ln.text)
        if m and not m.group("names").startswith("All"):
            name = _ALL_AFTER_RE.sub("", pl.person(m.group("names")))
            for nm in pl.split_names(name):
                if nm not in f.bylines:
                    f.bylines.append(nm)
        keys = {w for b in f.bylines for w in b.split() if len(w) > 2}
        f.excluded.append((ln.start, ln.end))
        if i > 0 and norm_key(lines[i - 1].text) in {norm_key(b) for b in f.bylines}:
            f.excluded.append((lines[i - 1].start, lines[i - 1].end))
        for nxt in lines[i + 1:]:
            if not (keys & set(_BIO_WORD_RE.findall(nxt.text))) and not pl.JUNK_RE.match(nxt.text):
                break
            f.excluded.append((nxt.start, nxt.end))
            mo = pl.BIO_ORG_RE.search(nxt.text)
            if mo and not f.outlet:
                f.outlet = mo.group("org").rstrip(".,")
        break
    for ln in lines[first:]:
        for b in f.bylines:  # "Jane Doe is a reporter at ..." after the story: a bio
            if ln.text.startswith(b + " is ") or ln.text.startswith(b + " covers "):
                f.excluded.append((ln.start, ln.end))
                mo = pl.BIO_ORG_RE.search(ln.text)
                if mo and not f.outlet:
                    f.outlet = mo.group("org").rstrip(".,")


_URL_LINE_RE = re.compile(r"https?://\S+")


def _boilerplate(lines: list[_Line], f: _Found) -> None:
    for ln in lines:
        t = ln.text
        if len(t) < 200 and (pl.JUNK_RE.match(t) or pl.PROMO_RE.match(t)) or (len(t) < 500 and pl.PROMO_RE.match(t)):
            f.excluded.append((ln.start, ln.end))
        elif _URL_LINE_RE.fullmatch(t):
            f.excluded.append((ln.start, ln.end))


# ---- title --------------------------------------------------------------------------------------
_INITIALS_END_RE = re.compile(r"\b(?:[A-Z]\.){2,}$")


def _title(lines: list[_Line], f: _Found) -> str | None:
    ex = _merge(f.excluded)
    # (the furniture is looked for in the first _HEAD_LINES lines left: the rest is not tested)
    furniture = _furniture_blocks(list(islice((ln for ln in lines if not _overlaps(ln, ex)), _HEAD_LINES)))
    for i, ln in enumerate(lines[:_HEAD_LINES]):
        t = ln.text
        words = ln.words
        if any(s <= ln.start and ln.end <= e for s, e in ex) or ln.block in furniture:
            continue
        if words > 30:
            return None  # the story has begun
        if _is_caption(t) or words < 3 or words > 25:
            continue
        if t.endswith((":", ",", ";")) or t.endswith(".") and not _INITIALS_END_RE.search(t):
            continue
        if not (t[0].isupper() or t[0].isdigit() or t[0] in "“\"'‘"):
            continue
        f.title_line = i
        for prev in lines[:i]:  # site furniture above the headline
            short = prev.words <= 8 and (not _is_caption(prev.text) or pl.FURNITURE_RE.search(prev.text))
            if (short or prev.block in furniture) and not _overlaps(prev, ex):
                f.excluded.append((prev.start, prev.end))
        return t.rstrip(" |")
    return None


def _furniture_blocks(lines: list[_Line]) -> set[int]:
    """Blocks of the head made of three or more mostly short lines: navigation, players, menus."""
    by_block: dict[int, list[_Line]] = {}
    for ln in lines[:_HEAD_LINES]:
        by_block.setdefault(ln.block, []).append(ln)
    out = set()
    for b, lns in by_block.items():
        short = sum(ln.words <= 6 for ln in lns)
        if len(lns) >= 3 and short * 2 > len(lns) and all(ln.words <= 12 for ln in lns):
            out.add(b)
    return out


# "Wednesday, Dec. 3, 2025": a dated caption (every match holds "day": tried only where that is)
_CAPTION_DATE_RE = re.compile(rf"(?P<wd>{pl.WEEKDAY}),?[ \t]+(?P<d>[A-Z][a-z]{{2,8}}\.?[ \t]+\d{{1,2}},[ \t]+(?:19|20)\d{{2}})")


def _caption_date(t: str) -> re.Match[str] | None:
    return _CAPTION_DATE_RE.search(t) if "day" in t else None


def _is_caption(t: str) -> bool:
    return bool(search_lowered(pl.CAPTION_CUE_RE, t, ascii_lower(t)) or any(rx.search(t) for rx in pl.CREDIT_RES)
                or _caption_date(t))


def _overlaps(ln: _Line, ex: list[tuple[int, int]]) -> bool:
    return any(s < ln.end and ln.start < e for s, e in ex)


# ---- inferred publication date -----------------------------------------------------------------


_TODAY_RE = re.compile(r"\b(?:today|this morning|this afternoon|tonight)\b", re.I)
_YEAR_RE = re.compile(r"(?<![\d,$.])((?:19|20)\d{2})(?![\d,%])")


def _inferred(text: str, lines: list[_Line], f: _Found) -> str | None:
    ex = _merge(f.excluded)
    head = lines[:_HEAD_LINES]
    # only a caption with a weekday's date can give the day (such a line is a caption): the
    # other captions are looked for, to leave them out of the story, only when there is one
    dated = [(ln, m) for ln in head if (m := _caption_date(ln.text))]
    if dated:
        cap_span = {(ln.start, ln.end) for ln in head if _is_caption(ln.text)}
        body = "\n".join(ln.text if (ln.start, ln.end) not in cap_span else "" for ln in lines)
    for ln, m in dated:  # "..., Wednesday, Dec. 3, 2025." confirmed by "(Dec. 3)" or "today"
        iso = parse_date_string(m.group("d"))
        if not iso or len(iso) != 10:
            continue
        same_day = any(d.date == iso for d in find_absolute(body, anchor=iso) if d.precision == "day")
        today = _TODAY_RE.search(body) and m.group("wd") in body
        if same_day or today:
            return iso
    best: str | None = None
    for d in find_absolute(text):
        if d.precision not in ("day", "month") or not pl.MONTH_YEAR_RE.search(text[d.start:d.end]):
            continue
        if any(s <= d.start < e for s, e in ex) or pl.FUTURE_CUE_RE.search(text[max(0, d.start - 40):d.start]):
            continue
        month = d.date[:7]
        best = max(best or month, month)
    wire = next((m for ln in lines[:3] if (m := pl.WIRE_RE.match(ln.text))), None)
    if wire and best:  # "LOS ANGELES, June 10 (Reuters) -": the day stated, the year of the latest month named
        y, mo = int(best[:4]), int(best[5:7])
        day = find_absolute(wire.group("md"), anchor=f"{y}-12-31")
        if day and day[0].precision == "day":
            wmo = int(day[0].date[5:7])
            return parse_date_string(f"{y + 1 if wmo < mo - 2 else y}{day[0].date[4:]}")
    if wire and not best:  # no month named with a year: the latest year the story names, if one
        years = [int(y) for y in _YEAR_RE.findall(text)]
        day = find_absolute(wire.group("md"), anchor=f"{max(years)}-12-31") if years else []
        if day and day[0].precision == "day":
            return day[0].date
    return best


# ---- helpers ------------------------------------------------------------------------------------


_LINE_RE = re.compile(r"[^\n]+")


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    block, prev_end = 0, 0
    for m in _LINE_RE.finditer(text):
        if out and text.count("\n", prev_end, m.start()) > 1:
            block += 1
        out.append(_Line(m.start(), m.end(), m.group(), block))
        prev_end = m.end()
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
