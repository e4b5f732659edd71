"""What the lines of a news page that are not story look like: bylines, staff lines, datelines,
publication stamps, photo credits, author bios, promos and site furniture.

Patterns and small line readers used by :mod:`eventledger.extract.document`, kept apart from
its logic as trafilatura keeps its vocabulary in trafilatura/xpaths.py.
"""

from __future__ import annotations

import re

from eventledger.extract.dates import find_absolute
from eventledger.profile import Profile

__all__ = [
    "AGENCY",
    "AGENCY_BY_RE",
    "BESIDE_RE",
    "BIO_ANYWHERE_RE",
    "BIO_ORG_RE",
    "BIO_START_RE",
    "BYLINE_JUNK_RE",
    "BY_RE",
    "CAPTION_CUE_RE",
    "CREDIT_RES",
    "DATE_PREFIX_RE",
    "FURNITURE_RE",
    "FUTURE_CUE_RE",
    "JUNK_RE",
    "MONTH_YEAR_RE",
    "NAME",
    "NAMES",
    "NOTE_NAME_RE",
    "NOTE_RE",
    "NOT_PERSON",
    "PROMO_RE",
    "ROLE_RE",
    "STAFF_AFTER_RE",
    "STAFF_RE",
    "STAMP_RE",
    "WEEKDAY",
    "WIRE_RE",
    "date_only",
    "full_date",
    "is_person",
    "lead_date",
    "person",
    "split_names",
]

# ---- names --------------------------------------------------------------------------------------
_U = "A-ZÀ-ÖØ-Þ"
_TOK = rf"(?:Mc|Mac|O[’'])?[{_U}](?:[^\W\d_]|[’'\-](?=[^\W\d_])){{1,40}}|[{_U}]\.(?:[{_U}]\.)?"
_PARTICLE = r"(?:de|da|del|della|der|di|du|dos|van|von|la|le|bin|al|ibn|St\.)"
NAME = rf"(?:{_TOK})(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}(?:{_TOK})){{1,3}}(?:,?[ \t]+(?:Jr\.|Sr\.|III|II))?"
NAMES = rf"{NAME}(?:[ \t]*(?:,|\band\b|&)[ \t]*{NAME})*"
NOT_PERSON = re.compile(
    r"\b(?:Staff|News|Press|Media|Newsroom|Desk|Team|Editors?|Report|Wire|Service|Times|Post|Daily|Journal|"
    r"Images|Photos?|Television|Radio|Network|Associated|Reuters|Agency|Contributor|Writer|Reporter|All|Posts|"
    r"Author)\b")


class _Needs:
    """A compiled pattern that is not run on a text lacking every one of ``needles``, strings of
    which one must be in any match. Photo credits and staff lines are rare: most texts have
    none of their words, and their name-shaped patterns cost a regex attempt at every capital
    (or, at a line's start, backtracking over every split of its first capitalised words).
    Unless ``multiline``, no match crosses a line break, so a whole text is searched only in
    the lines holding a needle (a "/" in a URL line does not send the pattern over the story)."""

    __slots__ = ("rx", "needles", "pattern", "multiline")

    def __init__(self, rx: re.Pattern[str], *needles: str, multiline: bool = False) -> None:
        self.rx, self.needles, self.pattern, self.multiline = rx, needles, rx.pattern, multiline

    def _may(self, text: str) -> bool:
        for n in self.needles:  # a loop, not any(<generator>): called for every line of a page head
            if n in text:
                return True
        return False

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return self.rx.search(text, *args) if self._may(text) else None

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return self.rx.match(text, *args) if self._may(text) else None

    def finditer(self, text: str, *args: int):  # type: ignore[no-untyped-def]
        if self.multiline or args:
            return self.rx.finditer(text, *args) if self._may(text) else iter(())
        return self._in_lines(text)

    def _in_lines(self, text: str):  # type: ignore[no-untyped-def]
        """The matches of the lines holding a needle, in text order: the same as over the whole
        text (searched from a line's start to its end, "^", "$" and "\\b" see what they saw)."""
        lines: set[tuple[int, int]] = set()
        for n in self.needles:
            i = text.find(n)
            while i >= 0:
                end = text.find("\n", i)
                end = len(text) if end < 0 else end
                lines.add((text.rfind("\n", 0, i) + 1, end))
                i = text.find(n, end)
        for a, b in sorted(lines):
            yield from self.rx.finditer(text, a, b)


# ---- lines ----------------------------------------------------------------------------------------
BY_RE = re.compile(
    rf"^(?:By|BY|by|Written by|WRITTEN BY|Words by|Story by|Reporting by|Author|Posted by)[ \t]*:?[ \t]*"
    rf"(?P<names>{NAMES})(?P<rest>(?:[ \t]*(?:[,;|•·–—\-/]|All posts|Updated|Published|Posted|on[ \t]|\d).*)?)$")
STAFF_RE = _Needs(re.compile(
    rf"^(?P<org>[A-Z][A-Za-z0-9&.]*(?:[ \t]+[A-Z][A-Za-z0-9&.]*){{0,3}})[ \t]+Staff(?:[ \t]+(?:Writer|Reporter))?"
    rf"(?:[ \t]*[,:|\-–—]?[ \t]*(?P<names>{NAMES}))?$"), "Staff")
STAFF_AFTER_RE = _Needs(re.compile(
    rf"^(?:By[ \t]+)?(?P<names>{NAMES})[ \t]*[,|][ \t]*(?P<org>[A-Z][A-Za-z0-9&.]*(?:[ \t]+[A-Z][A-Za-z0-9&.]*){{0,3}})"
    rf"[ \t]+[Ss]taff(?:[ \t]+(?:[Ww]riter|[Rr]eporter))?$"), "taff")
ROLE_RE = _Needs(re.compile(
    rf"^(?P<names>{NAME})[ \t]*[,|\-–—][ \t]*(?:(?:Senior|Staff|Contributing|Multimedia|Chief|Political|"
    rf"Investigative|Breaking News)[ \t]+)?(?:Writer|Reporter|Correspondent|Journalist|Contributor|Editor)\b.{{0,60}}$"),
    "Writer", "Reporter", "Correspondent", "Journalist", "Contributor", "Editor")
AGENCY_BY_RE = re.compile(
    r"^(?:By|BY|From|FROM)\b[ \t:]*(?:the[ \t]+)?[^.]{0,50}?\b(?i:associated press|reuters|afp|bloomberg|staff|wire|"
    r"news service|newsroom|desk|contributors|reports?)\b[^.]{0,40}$", re.I)
BYLINE_JUNK_RE = re.compile(
    r"^(?:Staff[ \t]+(?:Writers?|Reporters?)|Contributors?|Contributing[ \t]+(?:Writers?|Reporters?|Editors?)|"
    r"Reporting from[ \t]+[A-Z][^.]{1,40}|\d+[ \t]*-?[ \t]*min(?:ute)?s?[ \t]+read|Listen(?:[ \t]+to[ \t]+(?:this[ \t]+)?"
    r"(?:article|story))?(?:[ \t]*[·•\-|][ \t]*\d+[ \t]*min)?|Copy link|Print|E-?mail)$", re.I)
BESIDE_RE = re.compile(
    rf"(?:By[ \t]+)?(?P<names>{NAMES})(?:[ \t]+in[ \t]+[A-Z][\w.,'’ \-]{{1,40}}|[ \t]*[,|/•][ \t]*(?:The[ \t]+)?"
    rf"[A-Z][\w&.'’ \-]{{1,40}})?")
NOTE_RE = re.compile(r"^(?:EDITOR[’']?S NOTE|Editor[’']?s [Nn]ote)\b")
NOTE_NAME_RE = re.compile(rf"\b(?:[Jj]ournalist|[Rr]eporter|[Cc]orrespondent|[Pp]roducer|[Aa]nchor|[Ww]riter)[ \t]+(?P<name>{NAME})")
BIO_START_RE = re.compile(r"^(?:Written by|About the author|About the writer|All posts by)\b", re.I)
# "\bAll posts by the author\b" anywhere in a line, written to begin with a literal so that the
# engine skips to each "a" (a case-blind pattern led by "\b" is tried at every position): the
# look-behind after the "a" is the "\b" before it
BIO_ANYWHERE_RE = re.compile(r"a(?<!\wa)ll posts by the author\b", re.I)
BIO_ORG_RE = re.compile(
    r"\b(?i:writer|editor|director|reporter|correspondent|journalist|contributor|columnist|producer|founder)\b"
    r"[^.\n]{0,60}?\b(?:at|for|with)[ \t]+(?P<org>[A-Z][\w&.'’\-]*(?:[ \t]+[A-Z][\w&.'’\-]*){0,3})")

_TIME = r"\d{1,2}(?:[:.]\d{2}){1,2}[ \t]*(?:[AaPp]\.?[Mm]\.?)?|\d{1,2}[ \t]*[AaPp]\.?[Mm]\.?"
STAMP_RE = re.compile(r"^(?P<kind>Published|Posted|First published|Originally published|Updated|Last updated|"
                       r"Modified|Last modified|Date|Dated)\b[ \t]*(?:on|:)?[ \t]*", re.I)
DATE_PREFIX_RE = re.compile(r"^date[ \t]+(?P<d>(?:19|20)\d{2}-\d{2}-\d{2})\b", re.I)
# what else a dateline may hold: times, time zones, weekdays, stamp words, "2 days ago", "5 min read"
_NOT_LABEL_RES = [
    re.compile(rf"(?:{_TIME})|T\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?"),
    re.compile(r"\b(?:[A-Z]{1,3}[SD]?T|GMT|UTC|Z)\b"),
    re.compile(r"\b(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\b\.?"),
    re.compile(r"\b(?:\d+|an?|one)[ \t]+(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?)[ \t]+(?:ago|read)\b", re.I),
    re.compile(r"\b(?:at|on|updated|published|posted|last|first|originally|modified)\b", re.I),
]
WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"

# ---- photo credits --------------------------------------------------------------------------------
AGENCY = r"(?:AP|AFP|Reuters|REUTERS|Getty Images|EPA|Bloomberg|Shutterstock|Sipa|UPI|Xinhua|Pool)"


# Each with what its every match contains ("Photograph" contains "Photo", "(Photo" does not
# need its own).
CREDIT_RES = [
    _Needs(re.compile(r"\((?:[A-Z][\w.]*[ \t]+)?(?:Photo|Photograph|Image|Picture|Video)s?[ \t]*(?:by\b|:|/|credit:?)[^()\n]{1,90}\)"),
           "Photo", "Image", "Picture", "Video"),
    _Needs(re.compile(rf"\({NAME}[ \t]*/[ \t]*[A-Z][\w&.'’ \-]{{1,40}}\)"), "/"),
    _Needs(re.compile(r"\b(?:Photo|Image|Picture|Video)s?[ \t]*(?:[Ss]ource|[Cc]redit|[Cc]ourtesy(?:[ \t]+of)?)?[ \t]*:[^\n]{1,100}$", re.M),
           "Photo", "Image", "Picture", "Video"),
    _Needs(re.compile(r"\b(?:Photograph|Photo illustration)[ \t]*:[ \t]*[^\n]{1,80}/[^\n]{1,60}$", re.M), "Photo"),
    _Needs(re.compile(r"(?:^|(?<=[.!?)\]”\"] ))(?:Photo |Image )?Credits?[ \t]*(?::|\.\.\.|…)[ \t]*[^\n]{1,100}$", re.M), "Credit"),
    _Needs(re.compile(r"\((?:(?:Photo|Image|Video)[ \t]+)?[Cc]ourtesy(?:[ \t]+of)?[ \t]+[^()\n]{1,60}\)"), "ourtesy"),
    _Needs(re.compile(r"\b(?:Photo|Image|Video)s?[ \t]+courtesy[ \t]+of[ \t]+[^\n.]{1,60}"), "courtesy"),
    _Needs(re.compile(rf"^{NAME}\n/\n[A-Z][\w&.'’ \-]{{0,40}}$", re.M), "\n/\n", multiline=True),
    _Needs(re.compile(rf"\b{AGENCY}[ \t]*/[ \t]*{NAME}"), "/"),
    # "AP Photo/Name", "Reuters Pictures/Name", "Daily Sun Photo / Name": any outlet's photo credit
    _Needs(re.compile(rf"\b[A-Z][\w&.'’-]*(?:[ \t]+[A-Z][\w&.'’-]*){{0,2}}[ \t]+(?:Photo|Photograph|Image|Picture)s?[ \t]*/[ \t]*{NAME}"),
           "/"),
    _Needs(re.compile(rf"\b{NAME}[ \t]*(?:/|\|)[ \t]*(?:[A-Z]+[ \t]+via[ \t]+)?{AGENCY}\b(?:[ \t]+via[ \t]+[A-Z][\w ]{{1,30}})?"),
           "/", "|"),
]
CAPTION_CUE_RE = re.compile(
    r"\b(?:view of|pictured|photo|photograph|looks? on|(?:is|are) seen|skyline|aerial|file image|courtesy|"
    r"graphic|logo|header|illustration|Getty Images|via AP)\b", re.I)

# ---- boilerplate ----------------------------------------------------------------------------------
JUNK_RE = re.compile(
    r"^(?:advertisements?(?: below)?|share this(?: post| article| story)?!?|share(?: on \w+)?:?|leave a (?:reply|comment)|"
    r"comments?|categories?:.*|tags?:.*|filed under:?.*|related(?: stories| articles| posts| coverage)?:?|"
    r"read (?:more|next):?.*|recommended(?: for you| stories)?|more from .{1,40}|sponsored(?: content)?|"
    r"click (?:here|the arrow) .*|copyright\b.*|©.*|all rights reserved\.?|follow us on .*|"
    r"play live radio|next up:?|listen(?: to this (?:article|story))?|[\d:]+(?: [\d:]+)*|skip to (?:main )?content|"
    r"menu|search|sign in|log in|subscribe(?: now)?|close|loading\.*|(?-i:[A-Z]{2,})[ \t]*\|?|.{1,40}[ \t]\|)$", re.I)
FURNITURE_RE = re.compile(r"\b(?:graphic|logo|header|banner|masthead)\b", re.I)
PROMO_RE = re.compile(
    r"^(?:stay informed|sign up|subscribe|get (?:the|our)\b.{0,60}\b(?:newsletter|alerts|briefing)|receive\b|"
    r"want more|don[’']t miss|never miss|join our|support (?:our|local) journalism|become a member|donate)\b.{0,300}"
    r"\b(?:subscribe|newsletter|inbox|sign up|alerts|donat|member)", re.I)

WIRE_RE = re.compile(r"^[A-Z][A-Z .'’\-]{2,40}(?:,[ \t]*[A-Z][A-Za-z.]{1,12})?,[ \t]+(?P<md>[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})"
                      r"[ \t]*\((?:Reuters|AP|AFP|Bloomberg|UPI)\)")
_DATE_WORDS = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d{1,2}(?:st|nd|rd|th)?,?[ \t]+"
               r"(?:19|20)\d{2}|\d{1,2}[ \t]+[A-Z][a-z]+[ \t]+(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2}")
_LEAD_WORDS = {"on", "in", "by", "as", "at", "since", "until", "after", "before", "from", "the", "and", "updated"}
MONTH_YEAR_RE = re.compile(r"(?:19|20)\d{2}")
FUTURE_CUE_RE = re.compile(r"\b(?:until|through|by|starting|beginning|scheduled|expected|will|would|plans? to|"
                            r"deadline|expires?|next)\b[^.\n]{0,25}$", re.I)


# ---- line readers -------------------------------------------------------------------------------


_LEAD_SEP_RE = re.compile(r"[ \t]+(?:—|–|--|-)[ \t]+")
_LEAD_SPLIT_RE = re.compile(r"[\s,()—–-]+")
_DATE_WORDS_RE = re.compile(_DATE_WORDS)


def lead_date(t: str) -> str | None:
    """The date opening a story paragraph before a dash: "June 10, 2025 — ...", "DENVER (June 10, 2025) -- ..."."""
    if not _ANY_YEAR.search(t, 0, 90):  # each date it reads is in t[:90] and states its year
        return None
    for sep in _LEAD_SEP_RE.finditer(t[:90]):
        pre, rest = t[:sep.start()], t[sep.end():]
        iso = full_date(pre)
        if not iso:
            continue
        if len(rest.split()) < 8 or not rest.rstrip("”\"’' ").endswith((".", "!", "?")):
            return None
        left = [w for w in _LEAD_SPLIT_RE.split(_DATE_WORDS_RE.sub(" ", pre)) if w]  # a place, or nothing
        ok = len(left) <= 5 and all(w[0].isupper() and w.lower() not in _LEAD_WORDS for w in left)
        return iso if ok else None
    return None


_YEAR_TIME_RE = re.compile(r"((?:19|20)\d{2})(?=\d{1,2}:\d{2})")
_SEPARATED_RE = re.compile(r"[|•·/–—]|\s-\s|\bby\b", re.I)
_SEGMENT_RE = re.compile(r"[|•·/–—()]|\s-\s")
_SEGMENT_NAMES_RE = re.compile(rf"(?:[Bb]y|BY)?[ \t]*:?[ \t]*(?P<names>{NAMES})")


def date_only(t: str, profile: Profile) -> tuple[str, list[str]] | None:
    """The date of a line holding only dates, times, stamp words, a section or outlet name and
    bylines, with the names; None for any other line."""
    if not _ANY_YEAR.search(t):  # no date stated with its year (most lines of a page)
        return None
    s = t.title() if t.isupper() else t  # "JUNE 10, 2025"
    s = _YEAR_TIME_RE.sub(r"\1 ", s)  # "June 9, 20255:00 AM ET"
    found = [d for d in find_absolute(s) if d.precision == "day" and _YEAR_STATED.search(s[d.start:d.end])]
    if not found:
        return None
    rest = s
    for d in reversed(found):
        rest = rest[:d.start] + " " + rest[d.end:]
    for rx in _NOT_LABEL_RES:
        rest = rx.sub(" ", rest)
    names: list[str] = []
    separated = bool(_SEPARATED_RE.search(t))
    for seg in _SEGMENT_RE.split(rest):
        seg = seg.strip(" \t,:;-")
        if not seg:
            continue
        m = _SEGMENT_NAMES_RE.fullmatch(seg)
        people = [n for n in split_names(m.group("names")) if is_person(n, profile)] if m else []
        if people and separated:
            names.extend(people)
        elif len(seg.split()) > 4 or not all(w[0].isupper() or w in ("&", "and", "of", "the") for w in seg.split()):
            return None  # words of a sentence: not a dateline
    return found[0].date, names


def is_person(name: str, profile: Profile) -> bool:
    """A byline candidate is no known organization or place and no acronym ("CBS Colorado")."""
    if NOT_PERSON.search(name) or any(e.kind != "person" for e in profile.lookup(name)):
        return False
    return not any(len(w) > 1 and w.isupper() for w in name.split()) or name.isupper()


# a year in the date itself: "2025", or the two digits of "08/12/25"
_YEAR_STATED = re.compile(r"(?:19|20)\d{2}|\d/\d{2}$")
# what any text holding such a date holds: a line without it has no date to read (a cheap test
# before the date finder's seven patterns)
_ANY_YEAR = re.compile(r"(?:19|20)\d{2}|\d/\d{2}")


def full_date(s: str) -> str | None:
    """The first date in ``s`` stated to the day with its year, as ISO, or None."""
    if not _ANY_YEAR.search(s):
        return None
    for d in find_absolute(s):
        if d.precision == "day" and _YEAR_STATED.search(s[d.start:d.end]):
            return d.date
    return None


_NAME_SEP_RE = re.compile(r"[ \t]*(?:,|\band\b|&)[ \t]*")
_SUFFIX_RE = re.compile(r"(?:Jr\.|Sr\.|III|II)")
_NAME_RE = re.compile(NAME)


def split_names(s: str) -> list[str]:
    """The person names of a byline ("Jane Doe, John Roe and Ann Lee Jr."), agencies and desks left out."""
    out = []
    for part in _NAME_SEP_RE.split(s):
        part = part.strip()
        if _SUFFIX_RE.fullmatch(part) and out:
            out[-1] += ", " + part
            continue
        if part and _NAME_RE.fullmatch(part) and not NOT_PERSON.search(part):
            out.append(person(part))
    return out


_SPACES_RE = re.compile(r"\s+")
_MC_RE = re.compile(r"\b(Mc|O')(\w)")


def person(s: str) -> str:
    """A name as a byline gives it, in its usual case ("JANE MCDONALD" -> "Jane McDonald")."""
    s = _SPACES_RE.sub(" ", s).strip(" ,")
    if s.isupper():
        s = " ".join(w if len(w) <= 2 and w.endswith(".") else w.capitalize() for w in s.split())
        s = _MC_RE.sub(lambda m: m.group(1) + m.group(2).upper(), s)
    return s
