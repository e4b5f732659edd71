"""Who published an article, and under what title: from its own text and its URL.

A plain-text article often says who published it in its first lines, in one of a few
newsroom layouts; this module reads those and looks the name up in the profile's outlet
registry (``outlets.jsonl``) for its full name, owner and kind:

- a byline that ends with the outlet: "By Jane Doe, The Denver Post", "By Jane Doe and Ken
  Ito | Chicago Sun-Times", "By Jane Doe for Reuters" (the last part is an outlet, not a
  second writer, when the registry knows it, when it starts with "The", or when its first
  word is no first name: gender-guesser's list of given names decides);
- a staff line: "Tribune Staff", "Daily Ledger Staff Writer";
- a line of parts split by "|", one of them a byline: "Oregon Public Broadcasting | By Jane Doe";
- a note that the story was first published elsewhere: "This story was originally published
  by Prairie Ledger" (the outlet that wrote it);
- a wire dateline: "DENVER (AP) —", "(Reuters) -"; a credit that opens the story:
  "(Jane Doe, The Center Square) The mayor said ...";
- a title line that ends with its outlet: "Judge blocks curfew | The Denver Post" (only
  an outlet the registry knows, since the tail of a headline is often a place);
- the URL's host, through the registry's domains (a subdomain matches its parent), else the
  host itself ("example-news.com"): it names who published the page even when the text
  does not.

The title is the first line of the page's head that reads as a headline (a few words to a
couple of dozen, no sentence-final full stop, not a byline, dateline, stamp, caption or
menu item), or a line the head repeats.

Every value found in the text carries its span (``start``/``end`` into the text); a value
from the URL has none and says so in ``outlet_basis``. Nothing here reads a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from eventledger.extract.names import given_name_detector
from eventledger.profile import Outlet, Profile, norm_key

__all__ = ["ArticleSource", "OutletRegistry", "name_article", "outlet_registry"]

_HEAD_LINES = 20
_WORD = r"[A-Z][\w&.'’\-]*"
_OUTLET_WORDS = rf"(?:The[ \t]+)?{_WORD}(?:[ \t]+(?:of[ \t]+|the[ \t]+|and[ \t]+|&[ \t]+)?{_WORD}){{0,5}}"
_BY_RE = re.compile(r"^(?:By|BY|Written by|Story by)[ \t]*:?[ \t]+(?P<rest>.+)$")
_STAFF_RE = re.compile(rf"^(?P<org>{_OUTLET_WORDS})[ \t]+Staff(?:[ \t]+(?:Writer|Reporter)s?)?\b")
_DATELINE_RE = re.compile(
    r"^(?:[A-Z][A-Z .'’\-]{1,40}(?:,[ \t]*[A-Z][A-Za-z.]{1,14})?[ \t]*)?"
    r"\((?P<tag>[A-Z][A-Za-z&.'’\- ]{0,40}?)\)[ \t]*(?:[—–]|--?)[ \t]*\S")
_REPUBLISHED_RE = re.compile(
    rf"\b(?:was|is)[ \t]+(?:originally|first)[ \t]+(?:published|appeared)[ \t]+(?:by|in|on|at)[ \t]+(?P<org>{_OUTLET_WORDS})")
_SEP_RE = re.compile(r"[ \t]+[|•·][ \t]+")
_TITLE_TAIL_RE = re.compile(r"^(?P<title>.{10,}?)[ \t]+(?:[|•·]|[—–]|-)[ \t]+(?P<tail>[^|•·—–]{2,60})$")
_STAMP_RE = re.compile(r"^(?:Published|Posted|Updated|Last updated|First published|date)\b", re.I)
_CAPTION_RE = re.compile(r"\((?:Photo|Image|Credit)\b|\b(?:Getty Images|AP Photo|via Reuters|Photo by|Photo:)\b"
                         r"|\b(?:pictured|seen here)\b|\b(?:graphic|logo|header|banner|masthead)$", re.I)
CREDIT_OPEN_RE = re.compile(rf"^\((?P<names>[A-Z][\w.'’\-]+(?:[ \t]+[A-Z][\w.'’\-]+){{1,3}}),[ \t]+(?P<org>{_OUTLET_WORDS})\)[ \t]")
_MONTH_RE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d{1,2}\b")


@dataclass(frozen=True, slots=True)
class ArticleSource:
    """An article's outlet and title, each with where it was found."""

    outlet: str | None = None
    outlet_basis: str | None = None
    """byline | staff | parts | republished | dateline | title | url | None"""
    outlet_start: int | None = None
    outlet_end: int | None = None
    """The span of the words that name the outlet (None when it comes from the URL)."""
    outlet_kind: str | None = None
    outlet_owner: str | None = None
    title: str | None = None
    title_start: int | None = None
    title_end: int | None = None


class OutletRegistry:
    """The profile's outlets, looked up by any of their names or by a URL's host."""

    def __init__(self, outlets: Iterable[Outlet], role_nouns: Iterable[str] = ()) -> None:
        self.outlets = tuple(outlets)
        # what a writer is ("writer", "correspondent"): "By Jane Doe, Staff Writer" ends with a job, not an outlet
        self.role_nouns = frozenset(w.lower() for w in role_nouns)
        self._by_key: dict[str, Outlet] = {}
        self._by_host: dict[str, Outlet] = {}
        for o in self.outlets:
            for n in (o.name, *o.aliases):
                self._by_key.setdefault(norm_key(n), o)
            for d in o.domains:
                self._by_host.setdefault(d, o)

    def by_name(self, name: str) -> Outlet | None:
        return self._by_key.get(norm_key(name))

    def by_url(self, url: str) -> Outlet | None:
        host = _host(url)
        while host and "." in host:
            if host in self._by_host:
                return self._by_host[host]
            host = host.split(".", 1)[1]
        return None


@lru_cache(maxsize=4)
def outlet_registry(profile: Profile) -> OutletRegistry:
    """The registry of a profile's outlets, built once per profile."""
    return OutletRegistry(profile.outlets, profile.lexicon.get("role_nouns", ()))


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url if "://" in url else "//" + url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None
# patterns of the line readers below, compiled once (they run on every head line)
_OUTLET_WORDS_RE = re.compile(_OUTLET_WORDS)
_INITIAL_END_RE = re.compile(r"\b[A-Z]\.$")
_CUT_RE = re.compile(r"[ \t]+(?:[|•·/]|[—–]|-)[ \t]+|[ \t]*,?[ \t]+(?:Updated|Published|Posted|on)\b|[ \t]*,[ \t]*"
                     r"(?=(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d)")
_FOR_OUTLET_RE = re.compile(rf"[ \t]+for[ \t]+(?P<org>{_OUTLET_WORDS})[ \t.]*$")
_COMMA_PART_RE = re.compile(r"[^,]+")
_DIGIT_RE = re.compile(r"\d")
_ABBREV_END_RE = re.compile(r"\b(?:(?:[A-Z]\.){2,}|[A-Z][a-z]{0,2}\.)$")
_CLOCK_RE = re.compile(r"\b\d{1,2}:\d{2}\b")


def _is_given_name(word: str) -> bool:
    word = word.strip(".,")
    return len(word) > 1 and not word.isupper() and given_name_detector().get_gender(word) != "unknown"


def _outlet_like(part: str, registry: OutletRegistry) -> bool:
    """Is the last part of a byline an outlet rather than another writer?"""
    if registry.by_name(part):
        return True
    if not _OUTLET_WORDS_RE.fullmatch(part):
        return False
    words = part.split()
    if words[0] == "The" or any(w.isupper() and len(w) > 1 for w in words):
        return True
    if words[-1].lower() in registry.role_nouns:
        return False  # "Staff Writer", "Senior Correspondent": the writer's job
    return not _is_given_name(words[0])


@dataclass(slots=True)
class _Line:
    start: int
    text: str
    block: int = 0  # blocks are separated by a blank line

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _lines(text: str) -> list[_Line]:
    """The first _HEAD_LINES non-blank lines (the rest of a long text is not split)."""
    out: list[_Line] = []
    block, pos, n = 0, 0, len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        raw, start, pos = text[pos:nl], pos, nl + 1
        t = raw.strip()
        if not t:
            block += 1
            continue
        out.append(_Line(start + len(raw) - len(raw.lstrip()), t, block))
        if len(out) >= _HEAD_LINES:
            break
    return out


def _menu_blocks(lines: list[_Line]) -> set[int]:
    """Blocks of three or more mostly short lines: site menus, players, navigation."""
    by: dict[int, list[_Line]] = {}
    for ln in lines:
        by.setdefault(ln.block, []).append(ln)
    return {b for b, lns in by.items() if len(lns) >= 3 and sum(len(x.text.split()) <= 6 for x in lns) * 2 > len(lns)
            and all(len(x.text.split()) <= 12 for x in lns)}


def _found(outlet_words: str, start: int, basis: str, registry: OutletRegistry) -> ArticleSource:
    if not _INITIAL_END_RE.search(outlet_words):  # a sentence's full stop, not an initial's
        outlet_words = outlet_words.rstrip(".")
    o = registry.by_name(outlet_words)
    return ArticleSource(outlet=o.name if o else outlet_words, outlet_basis=basis, outlet_start=start,
                         outlet_end=start + len(outlet_words), outlet_kind=o.kind if o else None,
                         outlet_owner=o.owner if o else None)


def _byline_outlet(ln: _Line, registry: OutletRegistry) -> ArticleSource | None:
    m = _BY_RE.match(ln.text)
    if not m:
        return None
    rest = m.group("rest")
    rest_at = ln.start + m.start("rest")
    cut = _CUT_RE.search(rest)
    tail = None
    if cut:
        tail = rest[cut.end():]
        tail_at = rest_at + cut.end()
        rest = rest[:cut.start()]
    # "By Jane Doe for The Guardian"
    mf = _FOR_OUTLET_RE.search(rest)
    if mf and _outlet_like(mf.group("org"), registry):
        return _found(mf.group("org"), rest_at + mf.start("org"), "byline", registry)
    parts = [(p.start(), p.group()) for p in _COMMA_PART_RE.finditer(rest)]
    if len(parts) >= 2:
        at, last = parts[-1]
        lead = len(last) - len(last.lstrip())
        last = last.strip().rstrip(".")
        if last and _outlet_like(last, registry):
            return _found(last, rest_at + at + lead, "byline", registry)
    if tail:  # "By Jane Doe | Chicago Sun-Times | June 3, 2025"
        first = _SEP_RE.split(tail)[0].strip()
        if first and not _MONTH_RE.search(first) and _outlet_like(first, registry):
            return _found(first, tail_at + tail.index(first), "byline", registry)
    return None


def _parts_outlet(ln: _Line, registry: OutletRegistry) -> ArticleSource | None:
    """"Oregon Public Broadcasting | By Jane Doe | Oct. 4, 2025": the part before a byline part."""
    if "|" not in ln.text and "•" not in ln.text and "·" not in ln.text:
        return None  # no separator: the regular expression below would only say so slower
    seps = list(_SEP_RE.finditer(ln.text))
    if not seps:
        return None
    bounds = [0, *(m.end() for m in seps)]
    ends = [*(m.start() for m in seps), len(ln.text)]
    parts = [(s, ln.text[s:e].strip()) for s, e in zip(bounds, ends)]
    if not any(_BY_RE.match(p) for _, p in parts):
        return None
    for s, p in parts:
        if p and not _BY_RE.match(p) and not _MONTH_RE.search(p) and not _DIGIT_RE.search(p) \
                and (registry.by_name(p) or _OUTLET_WORDS_RE.fullmatch(p) and not _is_given_name(p.split()[0])):
            return _found(p, ln.start + s, "parts", registry)
    return None


def _ends_sentence(t: str) -> bool:
    """A full stop ends a sentence, not a headline, unless it ends an abbreviation ("U.S.", "St.")."""
    bare = t.rstrip("”\"’'")
    return bare.endswith(".") and not _ABBREV_END_RE.search(bare)


def _is_headline(t: str, registry: OutletRegistry) -> bool:
    words = t.split()
    if not 4 <= len(words) <= 25:
        return False
    if t.rstrip("”\"’'").endswith((":", ",", ";")) or _ends_sentence(t):
        return False
    if not (t[0].isupper() or t[0].isdigit() or t[0] in "“\"'‘"):
        return False
    if _BY_RE.match(t) or _STAMP_RE.match(t) or _CAPTION_RE.search(t) or _DATELINE_RE.match(t):
        return False
    if _STAFF_RE.match(t) or registry.by_name(t):
        return False
    # a time stamp or a date line
    return not (_CLOCK_RE.search(t) or _MONTH_RE.search(t) and len(words) <= 8)


def name_article(text: str, registry: OutletRegistry, url: str | None = None) -> ArticleSource:
    """The outlet and title of a plain-text article (and its URL, when known)."""
    lines = _lines(text)
    outlet: ArticleSource | None = None
    for ln in lines:
        outlet = _byline_outlet(ln, registry) or _parts_outlet(ln, registry)
        if outlet is None:
            m = _STAFF_RE.match(ln.text)
            if m and len(ln.text.split()) <= 12:
                outlet = _found(m.group("org"), ln.start, "staff", registry)
        if outlet is None and ("published" in ln.text or "appeared" in ln.text):
            m = _REPUBLISHED_RE.search(ln.text)
            if m and _outlet_like(m.group("org"), registry):
                outlet = _found(m.group("org"), ln.start + m.start("org"), "republished", registry)
        if outlet is None:
            m = CREDIT_OPEN_RE.match(ln.text)
            if m and _outlet_like(m.group("org"), registry):
                outlet = _found(m.group("org"), ln.start + m.start("org"), "dateline", registry)
        if outlet is None:
            m = _DATELINE_RE.match(ln.text)
            if m and (registry.by_name(m.group("tag")) or len(m.group("tag").split()) <= 3):
                outlet = _found(m.group("tag"), ln.start + m.start("tag"), "dateline", registry)
        if outlet is not None:
            break
    title, t_start = _title(lines, registry)
    if title is not None:
        m = _TITLE_TAIL_RE.match(title)
        if m and registry.by_name(m.group("tail").strip()):
            tail = m.group("tail").strip()
            if outlet is None:
                outlet = _found(tail, t_start + title.rindex(tail), "title", registry)
            title = m.group("title").rstrip()
    site = registry.by_url(url) if url else None
    if site is not None and (outlet is None or site.kind != "aggregator"):
        # the registry's publisher of the page beats what the text says, except an aggregator's
        # page, whose text names the outlet that wrote the story
        outlet = ArticleSource(outlet=site.name, outlet_basis="url", outlet_kind=site.kind, outlet_owner=site.owner)
    elif outlet is None and url and _host(url):
        outlet = ArticleSource(outlet=_host(url), outlet_basis="url")
    out = outlet or ArticleSource()
    if title is None:
        return out
    return ArticleSource(out.outlet, out.outlet_basis, out.outlet_start, out.outlet_end, out.outlet_kind,
                         out.outlet_owner, title, t_start, t_start + len(title))


def _title(lines: list[_Line], registry: OutletRegistry) -> tuple[str | None, int]:
    seen: dict[str, _Line] = {}
    for ln in lines:
        if ln.text in seen and _is_headline(ln.text, registry):  # a head that repeats its headline
            first = seen[ln.text]
            return first.text, first.start
        seen.setdefault(ln.text, ln)
    menus = _menu_blocks(lines)
    for i, ln in enumerate(lines):
        if ln.block in menus:
            continue
        words = len(ln.text.split())
        if words > 40 or words >= 12 and _ends_sentence(ln.text) and not _CAPTION_RE.search(ln.text):
            break  # the story has begun
        wrapped = i + 1 < len(lines) and lines[i + 1].start == ln.end + 1 and lines[i + 1].text[:1].islower()
        if _is_headline(ln.text, registry) and not wrapped:  # a sentence wrapped over lines is no headline
            return ln.text, ln.start
    return None, 0
