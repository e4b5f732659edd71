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

from eventledger.extract.dates import find_absolute, parse_date_string
from eventledger.profile import Profile, norm_key
from eventledger.records import Document, Mention, RawDocument, span

__all__ = ["DocumentMeta", "extract_document"]

_HEAD_LINES = 16  # metadata lines sit in the first lines of a page
_TAIL_LINES = 12  # bios, promos and comment prompts in the last ones

# ---- names --------------------------------------------------------------------------------------
_U = "A-ZÀ-ÖØ-Þ"
_TOK = rf"(?:Mc|Mac|O[’'])?[{_U}](?:[^\W\d_]|[’'\-](?=[^\W\d_]))+|[{_U}]\.(?:[{_U}]\.)?"
_PARTICLE = r"(?:de|da|del|della|der|di|du|dos|van|von|la|le|bin|al|ibn|St\.)"
NAME = rf"(?:{_TOK})(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}(?:{_TOK})){{1,3}}(?:,?[ \t]+(?:Jr\.|Sr\.|III|II))?"
NAMES = rf"{NAME}(?:[ \t]*(?:,|\band\b|&)[ \t]*{NAME})*"
_NOT_PERSON = re.compile(
    r"\b(?:Staff|News|Press|Media|Newsroom|Desk|Team|Editors?|Report|Wire|Service|Times|Post|Daily|Journal|"
    r"Images|Photos?|Television|Radio|Network|Associated|Reuters|Agency|Contributor|Writer|Reporter|All|Posts|"
    r"Author)\b")

# ---- lines ----------------------------------------------------------------------------------------
_BY_RE = re.compile(
    rf"^(?:By|BY|by|Written by|WRITTEN BY|Words by|Story by|Reporting by|Author|Posted by)[ \t]*:?[ \t]*"
    rf"(?P<names>{NAMES})(?P<rest>(?:[ \t]*(?:[,;|•·–—\-/]|All posts|Updated|Published|Posted|\d).*)?)$")
_STAFF_RE = re.compile(
    rf"^(?P<org>[A-Z][A-Za-z0-9&.]*(?:[ \t]+[A-Z][A-Za-z0-9&.]*){{0,3}})[ \t]+Staff(?:[ \t]+(?:Writer|Reporter))?"
    rf"(?:[ \t]*[,:|\-–—]?[ \t]*(?P<names>{NAMES}))?$")
_STAFF_AFTER_RE = re.compile(
    rf"^(?:By[ \t]+)?(?P<names>{NAMES})[ \t]*[,|][ \t]*(?P<org>[A-Z][A-Za-z0-9&.]*(?:[ \t]+[A-Z][A-Za-z0-9&.]*){{0,3}})"
    rf"[ \t]+[Ss]taff(?:[ \t]+(?:[Ww]riter|[Rr]eporter))?$")
_ROLE_RE = re.compile(
    rf"^(?P<names>{NAME})[ \t]*[,|\-–—][ \t]*(?:(?:Senior|Staff|Contributing|Multimedia|Chief|Political|"
    rf"Investigative|Breaking News)[ \t]+)?(?:Writer|Reporter|Correspondent|Journalist|Contributor|Editor)\b.{{0,60}}$")
_NOTE_RE = re.compile(r"^(?:EDITOR[’']?S NOTE|Editor[’']?s [Nn]ote)\b")
_NOTE_NAME_RE = re.compile(rf"\b(?:[Jj]ournalist|[Rr]eporter|[Cc]orrespondent|[Pp]roducer|[Aa]nchor|[Ww]riter)[ \t]+(?P<name>{NAME})")
_BIO_START_RE = re.compile(r"^(?:Written by|About the author|About the writer|All posts by)\b|\bAll posts by the author\b", re.I)
_BIO_ORG_RE = re.compile(
    r"\b(?i:writer|editor|director|reporter|correspondent|journalist|contributor|columnist|producer|founder)\b"
    r"[^.\n]{0,60}?\b(?:at|for|with)[ \t]+(?P<org>[A-Z][\w&.'’\-]*(?:[ \t]+[A-Z][\w&.'’\-]*){0,3})")

_TIME = r"\d{1,2}(?::\d{2}){1,2}[ \t]*(?:[AaPp]\.?[Mm]\.?)?(?:[ \t]+[A-Z]{2,4})?|\d{1,2}[ \t]*[AaPp]\.?[Mm]\.?(?:[ \t]+[A-Z]{2,4})?"
_STAMP_RE = re.compile(r"^(?P<kind>Published|Posted|First published|Originally published|Updated|Last updated|"
                       r"Modified|Last modified|Date|Dated)\b[ \t]*(?:on|:)?[ \t]*", re.I)
_DATE_PREFIX_RE = re.compile(r"^date[ \t]+(?P<d>(?:19|20)\d{2}-\d{2}-\d{2})\b", re.I)
_LEFTOVER_RE = re.compile(
    rf"(?:{_TIME})|T\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?|"
    r"\b(?:at|on|updated|published|posted|[ECMP][SD]?T|GMT|UTC)\b|[\s,|•·–—\-/:()]+", re.I)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"

# ---- photo credits --------------------------------------------------------------------------------
_AGENCY = r"(?:AP|AFP|Reuters|REUTERS|Getty Images|EPA|Bloomberg|Shutterstock|Sipa|UPI|Xinhua|Pool)"
_CREDIT_RES = [
    re.compile(r"\((?:[A-Z][\w.]*[ \t]+)?(?:Photo|Photograph|Image|Picture|Video)s?[ \t]*(?:by\b|:|/|credit:?)[^()\n]{1,90}\)"),
    re.compile(rf"\({NAME}[ \t]*/[ \t]*[A-Z][\w&.'’ \-]{{1,40}}\)"),
    re.compile(r"\b(?:Photo|Image|Picture|Video)s?[ \t]*(?:[Ss]ource|[Cc]redit|[Cc]ourtesy(?:[ \t]+of)?)?[ \t]*:[^\n]{1,100}$", re.M),
    re.compile(r"\b(?:Photograph|Credit|Photo illustration)[ \t]*:[ \t]*[^\n]{1,80}/[^\n]{1,60}$", re.M),
    re.compile(rf"^{NAME}\n/\n[A-Z][\w&.'’ \-]{{0,40}}$", re.M),
    re.compile(rf"\b{_AGENCY}[ \t]*/[ \t]*{NAME}"),
    re.compile(rf"\b{NAME}[ \t]*(?:/|\|)[ \t]*(?:[A-Z]+[ \t]+via[ \t]+)?{_AGENCY}\b(?:[ \t]+via[ \t]+[A-Z][\w ]{{1,30}})?"),
]
_CAPTION_CUE_RE = re.compile(
    r"\b(?:view of|pictured|photo|photograph|looks? on|(?:is|are) seen|skyline|aerial|file image|courtesy|"
    r"graphic|logo|header|illustration|Getty Images|via AP)\b", re.I)

# ---- boilerplate ----------------------------------------------------------------------------------
_JUNK_RE = re.compile(
    r"^(?:advertisements?(?: below)?|share this(?: post| article| story)?!?|share(?: on \w+)?:?|leave a (?:reply|comment)|"
    r"comments?|categories?:.*|tags?:.*|filed under:?.*|related(?: stories| articles| posts| coverage)?:?|"
    r"read (?:more|next):?.*|recommended(?: for you| stories)?|more from .{1,40}|sponsored(?: content)?|"
    r"click (?:here|the arrow) .*|copyright\b.*|©.*|all rights reserved\.?|follow us on .*|"
    r"play live radio|next up:?|listen(?: to this (?:article|story))?|[\d:]+(?: [\d:]+)*|skip to (?:main )?content|"
    r"menu|search|sign in|log in|subscribe(?: now)?|close|loading\.*|(?-i:[A-Z]{2,})[ \t]*\|?|.{1,40}[ \t]\|)$", re.I)
_FURNITURE_RE = re.compile(r"\b(?:graphic|logo|header|banner|masthead)\b", re.I)
_PROMO_RE = re.compile(
    r"^(?:stay informed|sign up|subscribe|get (?:the|our)\b.{0,60}\b(?:newsletter|alerts|briefing)|receive\b|"
    r"want more|don[’']t miss|never miss|join our|support (?:our|local) journalism|become a member|donate)\b.{0,300}"
    r"\b(?:subscribe|newsletter|inbox|sign up|alerts|donat|member)", re.I)

_MONTH_YEAR_RE = re.compile(r"(?:19|20)\d{2}")
_FUTURE_CUE_RE = re.compile(r"\b(?:until|through|by|starting|beginning|scheduled|expected|will|would|plans? to|"
                            r"deadline|expires?|next)\b[^.\n]{0,25}$", re.I)


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
    _head(lines, f)
    _tail(lines, f)
    _boilerplate(lines, f)
    title = raw.title or _title(lines, f)
    bylines = list(raw.bylines) or f.bylines
    photographers = {norm_key(p) for p in f.photographers}
    bylines = list(dict.fromkeys(b for b in bylines if norm_key(b) not in photographers))
    published, basis = raw.published, raw.published_basis if raw.published else None
    if not published and f.stamps:
        published, basis = min(f.stamps)[1], "dateline"
    if not published:
        published = _inferred(text, lines, f)
        basis = "inferred" if published else None
    excluded = _merge(f.excluded)
    doc = Document(
        id=raw.id, source=raw.source, title=title, outlet=raw.outlet or f.outlet, bylines=tuple(bylines),
        published=published, published_basis=basis, text_sha256=text_sha256, text=text, url=raw.url,
    )
    return DocumentMeta(doc, tuple(span(text, s, e) for s, e in excluded))


# ---- photo credits ----------------------------------------------------------------------------------


def _credits(text: str, f: _Found) -> None:
    for rx in _CREDIT_RES:
        for m in rx.finditer(text):
            f.excluded.append((m.start(), m.end()))
            inner = re.sub(rf"\b{_AGENCY}\b|\b(?:Photo|Photograph|Image|Source|Credit|Courtesy|via)\b", " ", m.group())
            for n in re.finditer(NAME, inner):
                f.photographers.add(_person(n.group()))


# ---- head: bylines, staff lines, datelines, nav junk ----------------------------------------------


def _head(lines: list[_Line], f: _Found) -> None:
    for i, ln in enumerate(lines[:_HEAD_LINES]):
        t = ln.text
        m = _DATE_PREFIX_RE.match(t)
        if m and i == 0:
            f.stamps.append((1, m.group("d")))
            f.excluded.append((ln.start, ln.start + m.end()))
            continue
        if _byline_line(ln, f) or _dateline(ln, f, i):
            continue
        if _NOTE_RE.match(t):
            names = [_person(m.group("name")) for m in _NOTE_NAME_RE.finditer(t)]
            f.bylines.extend(n for n in names if not _NOT_PERSON.search(n))
            f.excluded.append((ln.start, ln.end))
    _name_beside_dateline(lines[:_HEAD_LINES], f)


def _name_beside_dateline(head: list[_Line], f: _Found) -> None:
    """"Jane Doe" alone on the line just above or below a dateline is the byline."""
    stamped = {(s, e) for s, e in f.excluded}
    for i, ln in enumerate(head):
        if f.bylines or (ln.start, ln.end) in stamped or len(ln.text.split()) > 4:
            continue
        near = [head[j] for j in (i - 1, i + 1) if 0 <= j < len(head)]
        if not any((n.start, n.end) in stamped and _full_date(n.text) for n in near):
            continue
        names = _split_names(ln.text) if re.fullmatch(NAME, ln.text) else []
        if names:
            f.bylines.extend(names)
            f.excluded.append((ln.start, ln.end))


def _byline_line(ln: _Line, f: _Found) -> bool:
    t = ln.text
    if len(t.split()) > 16:
        return False
    m = _STAFF_RE.match(t) or _STAFF_AFTER_RE.match(t)
    if m:
        f.outlet = f.outlet or m.group("org")
        if m.group("names"):
            f.bylines.extend(_split_names(m.group("names")))
        f.excluded.append((ln.start, ln.end))
        return True
    m = _BY_RE.match(t) or _ROLE_RE.match(t)
    if not m:
        return False
    names = _split_names(m.group("names"))
    if not names:
        return False
    f.bylines.extend(names)
    rest = m.groupdict().get("rest") or ""
    iso = _full_date(rest)
    if iso:
        f.stamps.append((2, iso))
    f.excluded.append((ln.start, ln.end))
    return True


def _dateline(ln: _Line, f: _Found, i: int) -> bool:
    t = ln.text
    m = _STAMP_RE.match(t)
    if m and len(t.split()) <= 14:
        iso = _full_date(t[m.end():])
        if iso:
            updated = m.group("kind").lower() in ("updated", "last updated", "modified", "last modified")
            f.stamps.append((5 if updated else 0, iso))
            f.excluded.append((ln.start, ln.end))
            return True
    if re.fullmatch(r"(?:19|20)\d{2}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?", t):
        iso = parse_date_string(t)
        if iso:
            f.stamps.append((1 if i < 10 else 3, iso))
            f.excluded.append((ln.start, ln.end))
            return True
    if len(t.split()) <= 16:  # a line that is only dates and times: "June 10, 2025, 3:04 PM PDT / Updated ..."
        found = [d for d in find_absolute(t) if d.precision == "day" and re.search(r"(?:19|20)\d{2}", t[d.start:d.end])]
        if found:
            rest = t
            for d in reversed(found):
                rest = rest[:d.start] + " " + rest[d.end:]
            rest = re.sub(_WEEKDAY + r"\.?", " ", rest)
            if not _LEFTOVER_RE.sub("", rest):
                f.stamps.append((1 if i < 10 else 3, found[0].date))
                f.excluded.append((ln.start, ln.end))
                return True
    return False


def _full_date(s: str) -> str | None:
    for d in find_absolute(s):
        if d.precision == "day" and re.search(r"(?:19|20)\d{2}", s[d.start:d.end]):
            return d.date
    return None


# ---- tail: author bios, promos --------------------------------------------------------------------


def _tail(lines: list[_Line], f: _Found) -> None:
    n = len(lines)
    first = max(0, n - _TAIL_LINES)
    for ln in lines[max(_HEAD_LINES, n - 4):]:  # "Reporting by ...; Editing by ..." and bottom bylines
        _byline_line(ln, f)
    for i in range(first, n):
        ln = lines[i]
        if not _BIO_START_RE.search(ln.text):
            continue
        m = re.search(rf"(?:Written by|All posts by|About the author)[ \t]*:?[ \t]*(?P<names>{NAME})", ln.text)
        if m and not m.group("names").startswith("All"):
            name = re.sub(r"[ \t]+All$", "", _person(m.group("names")))
            for nm in _split_names(name):
                if nm not in f.bylines:
                    f.bylines.append(nm)
        keys = {w for b in f.bylines for w in b.split() if len(w) > 2}
        f.excluded.append((ln.start, ln.end))
        if i > 0 and norm_key(lines[i - 1].text) in {norm_key(b) for b in f.bylines}:
            f.excluded.append((lines[i - 1].start, lines[i - 1].end))
        for nxt in lines[i + 1:]:
            if not (keys & set(re.findall(r"[\w’'\-]+", nxt.text))) and not _JUNK_RE.match(nxt.text):
                break
            f.excluded.append((nxt.start, nxt.end))
            mo = _BIO_ORG_RE.search(nxt.text)
            if mo and not f.outlet:
                f.outlet = mo.group("org").rstrip(".,")
        break
    for ln in lines[first:]:
        for b in f.bylines:  # "Jane Doe is a reporter at ..." after the story: a bio
            if ln.text.startswith(b + " is ") or ln.text.startswith(b + " covers "):
                f.excluded.append((ln.start, ln.end))
                mo = _BIO_ORG_RE.search(ln.text)
                if mo and not f.outlet:
                    f.outlet = mo.group("org").rstrip(".,")


def _boilerplate(lines: list[_Line], f: _Found) -> None:
    for ln in lines:
        t = ln.text
        if len(t) < 200 and (_JUNK_RE.match(t) or _PROMO_RE.match(t)) or (len(t) < 500 and _PROMO_RE.match(t)):
            f.excluded.append((ln.start, ln.end))
        elif re.fullmatch(r"https?://\S+", t):
            f.excluded.append((ln.start, ln.end))


# ---- title --------------------------------------------------------------------------------------


def _title(lines: list[_Line], f: _Found) -> str | None:
    ex = _merge(f.excluded)
    furniture = _furniture_blocks([ln for ln in lines if not _overlaps(ln, ex)])
    for i, ln in enumerate(lines[:_HEAD_LINES]):
        t = ln.text
        words = t.split()
        if any(s <= ln.start and ln.end <= e for s, e in ex) or ln.block in furniture:
            continue
        if len(words) > 30:
            return None  # the story has begun
        if _is_caption(t) or len(words) < 3 or len(words) > 25:
            continue
        if t.endswith((":", ",", ";")) or t.endswith(".") and not re.search(r"\b(?:[A-Z]\.){2,}$", t):
            continue
        if not (t[0].isupper() or t[0].isdigit() or t[0] in "“\"'‘"):
            continue
        f.title_line = i
        for prev in lines[:i]:  # site furniture above the headline
            short = len(prev.text.split()) <= 8 and (not _is_caption(prev.text) or _FURNITURE_RE.search(prev.text))
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
        short = sum(len(ln.text.split()) <= 6 for ln in lns)
        if len(lns) >= 3 and short * 2 > len(lns) and all(len(ln.text.split()) <= 12 for ln in lns):
            out.add(b)
    return out


def _is_caption(t: str) -> bool:
    return bool(_CAPTION_CUE_RE.search(t) or any(rx.search(t) for rx in _CREDIT_RES)
                or re.search(_WEEKDAY + r",?[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},[ \t]+(?:19|20)\d{2}", t))


def _overlaps(ln: _Line, ex: list[tuple[int, int]]) -> bool:
    return any(s < ln.end and ln.start < e for s, e in ex)


# ---- inferred publication date -----------------------------------------------------------------


def _inferred(text: str, lines: list[_Line], f: _Found) -> str | None:
    ex = _merge(f.excluded)
    head = lines[:_HEAD_LINES]
    caption_lines = [ln for ln in head if _is_caption(ln.text)]
    cap_span = {(ln.start, ln.end) for ln in caption_lines}
    body = "\n".join(ln.text if (ln.start, ln.end) not in cap_span else "" for ln in lines)
    for ln in caption_lines:  # "..., Wednesday, Dec. 3, 2025." confirmed by "(Dec. 3)" or "today"
        m = re.search(rf"(?P<wd>{_WEEKDAY}),?[ \t]+(?P<d>[A-Z][a-z]{{2,8}}\.?[ \t]+\d{{1,2}},[ \t]+(?:19|20)\d{{2}})", ln.text)
        if not m:
            continue
        iso = parse_date_string(m.group("d"))
        if not iso or len(iso) != 10:
            continue
        same_day = any(d.date == iso for d in find_absolute(body, anchor=iso) if d.precision == "day")
        today = re.search(r"\b(?:today|this morning|this afternoon|tonight)\b", body, re.I) and m.group("wd") in body
        if same_day or today:
            return iso
    best: str | None = None
    for d in find_absolute(text):
        if d.precision not in ("day", "month") or not _MONTH_YEAR_RE.search(text[d.start:d.end]):
            continue
        if any(s <= d.start < e for s, e in ex) or _FUTURE_CUE_RE.search(text[max(0, d.start - 40):d.start]):
            continue
        month = d.date[:7]
        best = max(best or month, month)
    return best


# ---- helpers ------------------------------------------------------------------------------------


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    block, prev_end = 0, 0
    for m in re.finditer(r"[^\n]+", text):
        if out and text.count("\n", prev_end, m.start()) > 1:
            block += 1
        out.append(_Line(m.start(), m.end(), m.group(), block))
        prev_end = m.end()
    return out


def _split_names(s: str) -> list[str]:
    out = []
    for part in re.split(r"[ \t]*(?:,|\band\b|&)[ \t]*", s):
        part = part.strip()
        if re.fullmatch(r"(?:Jr\.|Sr\.|III|II)", part) and out:
            out[-1] += ", " + part
            continue
        if part and re.fullmatch(NAME, part) and not _NOT_PERSON.search(part):
            out.append(_person(part))
    return out


def _person(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip(" ,")
    if s.isupper():
        s = " ".join(w if len(w) <= 2 and w.endswith(".") else w.capitalize() for w in s.split())
        s = re.sub(r"\b(Mc|O')(\w)", lambda m: m.group(1) + m.group(2).upper(), s)
    return s


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
