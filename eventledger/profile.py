"""Load and validate a domain profile into a frozen :class:`Profile`.

A profile is a folder of data files (see docs/profile.md):

- ``aliases.jsonl``   known people and organizations: id, kind, name, aliases, roles
- ``gazetteer.jsonl`` places of the domain: id, name, aliases, type, lat, lon, within
- ``events.toml``     event vocabulary: PLOVER type, mode and trigger patterns
- ``figures.toml``    what figures count: kinds and their nouns, verbs, rate words
- ``lexicon.toml``    word lists the entity finder uses (titles, org and place head words)
- ``labels.toml``     plain labels and headline words for PLOVER types and modes
- ``outlets.jsonl``   news outlets: names, domains, owner, kind (and ``outlets.local.jsonl``)

Errors name the file, the line and the field. The profile is loaded once per process.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventledger.errors import ProfileError

__all__ = [
    "DEFAULT_PROFILE",
    "EventLabel",
    "EventTrigger",
    "OUTLET_KINDS",
    "Outlet",
    "Profile",
    "ProfileEntity",
    "Role",
    "WordPattern",
    "leading",
    "load_profile",
    "needles",
    "norm_key",
    "slug",
]

DEFAULT_PROFILE = Path(__file__).parent / "profiles" / "default"

ENTITY_KINDS = {"person", "organization", "place"}
PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
_ID_RE = re.compile(r"^(person|org|place):[a-z0-9][a-z0-9-]*$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_KIND_PREFIX = {"person": "person", "organization": "org", "place": "place"}
OUTLET_KINDS = ("wire", "national", "local", "aggregator")
_HOST_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$")


@lru_cache(maxsize=1 << 16)
def norm_key(s: str) -> str:
    """The lookup key of a name: casefolded, diacritics and punctuation stripped,
    spaces collapsed, a leading "the" dropped (the scoring normalisation)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("’", "'")
    s = re.sub(r"[^\w\s]", "", s)
    s = re.sub(r"\s+", " ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def slug(s: str) -> str:
    k = norm_key(s)
    return re.sub(r"[^a-z0-9]+", "-", k).strip("-") or "x"


@dataclass(frozen=True, slots=True)
class Role:
    title: str
    start: str | None = None  # YYYY[-MM[-DD]]
    end: str | None = None

    def held_on(self, date: str | None) -> bool:
        if date is None:
            return self.end is None
        if self.start and date < self.start[: len(date)]:
            return False
        if self.end and date > self.end[: len(date)] + "\uffff":
            return False
        return True


@dataclass(frozen=True, slots=True)
class ProfileEntity:
    id: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    lat: float | None = None
    lon: float | None = None
    type: str | None = None  # places: city, neighbourhood, park, base, building, street, ...
    within: str | None = None
    context: tuple[str, ...] = ()
    """Words one of which must stand right before an ambiguous alias (e.g. "on" before X)."""


@dataclass(frozen=True, slots=True)
class EventTrigger:
    type: str
    mode: str | None
    pattern: re.Pattern[str]
    source: str  # "events.toml: [[trigger]] #n" for error messages and debugging
    needs: re.Pattern[str] | None = None
    """A second pattern that must also match the sentence (e.g. an enforcement word)."""
    priority: int = 0
    needs_not: re.Pattern[str] | None = None
    """A pattern that, when it matches the sentence, cancels the trigger ("won't make arrests")."""
    lower: WordPattern | None = None
    """The pattern without IGNORECASE, for text whose ASCII letters are lowered (much faster);
    None when the pattern itself holds an upper-case letter outside an escape."""
    in_names: bool = False
    """Whether the trigger counts inside an entity's name ("the Oregon National Guard" deployed);
    by default a trigger word in a name ("Homeland Security Investigations") is no trigger."""


_BOUNDARY = re.compile(r"\b")
_WORD_CHAR = re.compile(r"\w")
_KEY = 3  # the length of a word start's key in _word_starts (leading() gives no shorter strings)


_KEYS: set[str] = set()  # the keys of the leading strings of every WordPattern made
_keys_re: re.Pattern[str] | None = None  # \b and those keys, as a trie of alternations


def _trie(words: list[str]) -> str:
    """An alternation of ``words`` (all of one length) branching one character at a time, so
    the regex engine tries a character once rather than once for each word."""
    if not words or not words[0]:
        return ""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(w[1:])
    alts = [re.escape(c) + _trie(rest) for c, rest in sorted(groups.items())]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _word_starts(text: str) -> dict[str, list[int]]:
    """The positions where a word starts in ``text`` with the key of some WordPattern's
    leading string (its first _KEY characters), by key: built once per text for all of a
    profile's trigger patterns, each of which then looks its leading strings up instead of
    scanning the whole text once for each."""
    global _keys_re
    if _keys_re is None:
        _keys_re = re.compile(r"\b" + _trie(sorted(_KEYS)))
    # the last few texts' indexes, by the text (whose hash Python keeps) and checked against the
    # keys pattern by identity: an lru_cache on (text, pattern) hashed the pattern's whole
    # compiled code on every one of the profile's look-ups
    got = _INDEXES.get(text)
    if got is not None and got[0] is _keys_re:
        return got[1]
    if len(_INDEXES) >= 4:
        _INDEXES.clear()
    out = _word_starts_for(text, _keys_re)
    _INDEXES[text] = (_keys_re, out)
    return out


_INDEXES: dict[str, tuple[re.Pattern[str], dict[str, list[int]]]] = {}


def _word_starts_for(text: str, keys: re.Pattern[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for m in keys.finditer(text):
        key = m.group()
        got = out.get(key)
        if got is None:
            out[key] = [m.start()]
        else:
            got.append(m.start())
    return out


class WordPattern:
    """``\\b(?:words)...`` matched as the same pattern without its leading ``\\b``, whose
    matches are kept only where a word starts: the same matches, found several times faster.

    Python's regex engine skips ahead to a pattern's possible first characters only when the
    pattern starts with them; a leading ``\\b`` (or an optional first word) makes it try a
    match at every position of the text. So when every match starts with one of a few
    strings (the pattern's ``leading`` strings, read from its parse: "raid", "sweep", ...),
    the pattern is tried only where they occur, in text order; otherwise it is searched
    without its ``\\b`` from each refused start onwards. Either way the matches are exactly
    those of the original, leftmost first, none overlapping (tests/test_profile.py compares
    them). And a text that holds none of the strings one of which every match contains (the
    pattern's ``needles``) is not searched at all."""

    __slots__ = ("pattern", "needles", "leading", "_rest", "_at_words", "_others", "_by_needles", "_last")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        if not pattern.startswith(r"\b"):
            raise ValueError(f"not a pattern that starts with \\b: {pattern!r}")
        self.pattern = pattern
        self._rest = re.compile(pattern[2:], flags)
        self.needles = needles(pattern, flags)
        self.leading = leading(pattern[2:], flags)
        # a leading string that opens with a word character can start a match only where a
        # word starts (the \b): it is looked up in the text's index of word starts
        lead = sorted(self.leading or ())
        by_key: dict[str, list[str]] = {}
        for s in lead:
            if len(s) >= _KEY and _WORD_CHAR.match(s):
                by_key.setdefault(s[:_KEY], []).append(s)
        # (key, its leading strings): one index look-up and one startswith(tuple) a key
        self._at_words = tuple((k, tuple(ss)) for k, ss in by_key.items())
        self._others = tuple(s for s in lead if not (len(s) >= _KEY and _WORD_CHAR.match(s)))
        self._last: tuple[str, list[int]] | None = None  # (a text, where its leading strings are)
        # one or two needles that say more than the leading strings ("operation" after "the |this
        # |that "): tested, then searched for as below, they beat looking up every "the "
        self._by_needles = bool(self.needles and self.leading and len(self.needles) <= 2
                                and not self.needles <= self.leading)
        keys = set(by_key)
        if not keys <= _KEYS:
            global _keys_re
            _KEYS.update(keys)
            _keys_re = None

    def _may(self, text: str) -> bool:
        if self.needles is None:
            return True
        for n in self.needles:  # a loop, not any(<generator>): called for every trigger of every text
            if n in text:
                return True
        return False

    def _starts(self, text: str, pos: int, end: int) -> list[int]:
        """Where one of the leading strings occurs in ``text[pos:end]`` at a word boundary (or,
        for one that does not open with a word character, anywhere; one that runs past ``end``
        cannot start a match there), in text order."""
        last = self._last  # (the text's places are found once, then bisected for each sentence)
        if last is None or last[0] is not text:
            last = self._last = (text, self._all_starts(text))
        found = last[1]
        if pos == 0 and end >= len(text):
            return found
        return found[bisect_left(found, pos) : bisect_left(found, end)]

    def _all_starts(self, text: str) -> list[int]:
        found: list[int] = []
        if self._at_words:
            words = _word_starts(text)
            starts = text.startswith
            for key, ss in self._at_words:  # (a word start has one key: no position twice)
                got = words.get(key)
                if got is not None:
                    for i in got:
                        if starts(ss, i):
                            found.append(i)
        if self._others:
            more = set(found)
            find = text.find
            for s in self._others:
                i = find(s)
                while i != -1:
                    more.add(i)
                    i = find(s, i + 1)
            return sorted(more)
        found.sort()
        return found

    def _search(self, text: str, pos: int, end: int) -> re.Match[str] | None:
        rest = self._rest
        while pos <= end:
            m = rest.search(text, pos, end)
            if m is None or _BOUNDARY.match(text, m.start()):
                return m
            pos = m.start() + 1
        return None

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self._finditer(text, pos, endpos), None)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """The matches in ``text[pos:endpos]``, as ``re.Pattern.finditer`` takes ``pos`` and ``endpos``."""
        return self._finditer(text, pos, endpos)

    def _finditer(self, text: str, pos: int, endpos: int | None) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else max(0, min(endpos, len(text)))
        if (self.leading is None or self._by_needles) and not self._may(text):
            return
        if self.leading is not None and not self._by_needles:  # (no leading string in the text: no match)
            match, boundary = self._rest.match, _BOUNDARY.match
            for p in self._starts(text, pos, end):
                if p >= pos and boundary(text, p) and (m := match(text, p, end)) is not None:
                    yield m
                    pos = m.end()  # the pattern cannot match the empty string (word_pattern)
            return
        while (m := self._search(text, pos, end)) is not None:
            yield m
            pos = m.end() if m.end() > m.start() else m.end() + 1


def leading(pattern: str, flags: int = 0, shortest: int = 3) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` starts with ("temporary ",
    "restraining order", "judge " for "(?:temporary )?restraining order|judge \\w+ ruled"),
    read from the regex parser's tree; None when a match may start otherwise (with a
    character class, say), when case is ignored, or when one is shorter than ``shortest``."""
    from re import _constants as c, _parser

    parsed = _parser.parse(pattern, flags)
    if parsed.state.flags & re.IGNORECASE:
        return None

    def can_be_empty(items: list[Any]) -> bool:
        return _parser.SubPattern(parsed.state, items).getwidth()[0] == 0

    def lead(items: list[Any]) -> frozenset[str] | None:
        run: list[str] = []
        for i, (op, av) in enumerate(items):
            if op is c.LITERAL:
                run.append(chr(av))
                continue
            if run:
                # a short run goes on into what follows when that leads too: the parser factors
                # "placed|put" into "p" and "laced|ut", and "p" alone is too short to look up
                head = "".join(run)
                more = lead(items[i:]) if len(head) < shortest else None
                return frozenset({head}) if more is None else frozenset(head + m for m in more)
            rest = items[i + 1 :]
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue  # zero-width: the match starts with what follows
            if op is c.SUBPATTERN:
                _group, add, _del, sub = av
                if add & re.IGNORECASE:
                    return None
                alts = [list(sub)]
            elif op is c.BRANCH:
                alts = [list(a) for a in av[1]]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                lo, hi, body = av[0], av[1], list(av[2])
                if hi != 1:  # "(?:ab)+c" may go on "abab...": only the body's own start is sure
                    first = lead(body)
                    after = lead(rest) if lo == 0 or can_be_empty(body) else frozenset()
                    return first | after if first is not None and after is not None else None
                alts = [body] if lo == 1 else [body, []]
            else:
                return None  # a character class, any character, a back-reference...
            out: set[str] = set()
            for a in alts:
                # an alternative that may match nothing lets the match start with what follows
                for seq in ([a + rest] if not can_be_empty(a) else [a + rest, rest]):
                    got = lead(seq)
                    if got is None or len(out | got) > 64:
                        return None
                    out |= got
            return frozenset(out)
        return frozenset({"".join(run)}) if run else None

    found = lead(list(parsed))
    return found if found and min(map(len, found)) >= shortest else None


def needles(pattern: str, flags: int = 0, shortest: int = 3) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains ("raid", "sweep", ... for
    "raid(?:s|ed)?|sweeps?|..."), read from the regex parser's tree; None when the pattern
    has no such strings of at least ``shortest`` characters, or ignores case."""
    from re import _constants as c, _parser

    def best_of(items: Any, ignore_case: bool) -> frozenset[str] | None:
        best: frozenset[str] | None = None
        run: list[str] = []

        def consider(cand: frozenset[str] | None) -> None:
            nonlocal best
            if cand and (best is None or min(map(len, cand)) > min(map(len, best))):
                best = cand

        for op, av in list(items) + [(None, None)]:
            if op is c.LITERAL and not ignore_case:
                run.append(chr(av))
                continue
            if run:
                consider(frozenset({"".join(run)}))
                run = []
            if op is c.SUBPATTERN:
                _group, add, _del, sub = av
                consider(best_of(sub, ignore_case or bool(add & re.IGNORECASE)))
            elif op is c.BRANCH:
                alts = [best_of(a, ignore_case) for a in av[1]]
                if all(alts):
                    consider(frozenset().union(*alts))  # type: ignore[arg-type]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
                consider(best_of(av[2], ignore_case))
            elif op is c.ATOMIC_GROUP:
                consider(best_of(av, ignore_case))
        return best

    parsed = _parser.parse(pattern, flags)
    found = best_of(parsed, bool(parsed.state.flags & re.IGNORECASE))  # flags given or written inline
    return found if found and min(map(len, found)) >= shortest else None


_NOT_TEXT_RE = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)")  # escapes and group names: no letters of the text


def word_pattern(pattern: re.Pattern[str], cased: bool = False) -> WordPattern | None:
    """A WordPattern for a case-sensitive copy of ``pattern`` (for ASCII-lowered text), or with
    ``cased`` for the pattern as it is (for the text itself); None when the pattern holds an
    upper-case letter outside an escape (it then needs IGNORECASE) and is not ``cased``, or does
    not start with a ``\\b`` that applies to all of it, or may match the empty string."""
    if not cased and re.search(r"[A-Z]", _NOT_TEXT_RE.sub("", pattern.pattern)):
        return None
    from re import _constants as c, _parser  # the regex parser's own reading of the pattern

    parsed = _parser.parse(pattern.pattern)
    if len(parsed.data) < 2 or parsed.data[0] != (c.AT, c.AT_BOUNDARY) or not pattern.pattern.startswith(r"\b"):
        return None  # e.g. "\\bfoo|bar": its \\b belongs to the first alternative only
    if _parser.parse(pattern.pattern[2:]).getwidth()[0] == 0:
        return None
    return WordPattern(pattern.pattern, pattern.flags if cased else 0)


@dataclass(frozen=True, slots=True)
class EventLabel:
    """Plain words for a PLOVER type and mode (labels.toml)."""

    type: str
    mode: str | None
    label: str
    verb: str
    verb_site: str | None = None
    prep: str = "in"
    means: str = ""


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news outlet of the registry (outlets.jsonl)."""

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    owner: str | None = None
    kind: str = "national"
    source: str = ""  # "outlets.jsonl:12", for messages


@dataclass(frozen=True, eq=False)
class Profile:
    name: str
    path: Path
    entities: tuple[ProfileEntity, ...]
    by_id: dict[str, ProfileEntity]
    alias_index: dict[str, tuple[str, ...]]
    """norm_key(alias) -> profile entity ids (several when an alias is ambiguous)."""
    triggers: tuple[EventTrigger, ...]
    figures: dict[str, Any]
    lexicon: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    event_cues: dict[str, re.Pattern[str]] = field(default_factory=dict)
    """events.toml [cues]: name -> one pattern of its words (planned, threatened, denied,
    background, report): how a clause tells a plan, a threat, a denial, a recap or a source."""
    labels: dict[tuple[str, str | None], EventLabel] = field(default_factory=dict)
    """(PLOVER type, mode or None) -> plain label and headline words (labels.toml)."""
    area_types: frozenset[str] = frozenset()
    """Place types an event is "in" (cities, states); any other type is a site (labels.toml)."""
    outlets: tuple[Outlet, ...] = ()
    """The outlet registry (outlets.jsonl, then outlets.local.jsonl)."""

    def label_for(self, type_: str | None, mode: str | None) -> EventLabel | None:
        """The label of a type and mode, else of the type alone, else None."""
        if type_ is None:
            return None
        return self.labels.get((type_, mode)) or self.labels.get((type_, None))

    def lookup(self, name: str, kind: str | None = None) -> list[ProfileEntity]:
        ids = self.alias_index.get(norm_key(name), ())
        out = [self.by_id[i] for i in ids]
        return [e for e in out if kind is None or e.kind == kind]

    def words(self, key: str) -> frozenset[str]:
        """A lexicon word list as a frozenset (cached on first use)."""
        cache = self.extra.setdefault("_words", {})
        if key not in cache:
            cache[key] = frozenset(self.lexicon.get(key, ()))
        return cache[key]


def _read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ProfileError(str(path), f"cannot read: {e.strerror or e}") from e
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ProfileError(str(path), f"invalid JSON: {e.msg}", line=n) from e
        if not isinstance(obj, dict):
            raise ProfileError(str(path), "each line must be a JSON object", line=n)
        rows.append((n, obj))
    return rows


# word lists and tables of word lists the finders read; their shape is checked on load
_FIGURE_LISTS = ("approx", "capacity_verbs", "total_words")
_FIGURE_TABLES = ("nouns", "before", "after", "per", "not_figures")
_LEXICON_LISTS = (
    "titles", "role_nouns", "org_heads", "place_heads", "place_prefixes", "place_parts", "place_nouns_after",
    "place_modifiers", "stopwords", "demonyms", "not_entities", "not_acronyms", "speech_verbs", "title_modifiers",
    "numbered_heads", "center_places", "group_nouns_after", "name_suffixes",
    "name_particles", "claim_verbs",
)


def _check_words(data: dict[str, Any], file: str, lists: tuple[str, ...], tables: tuple[str, ...]) -> None:
    """Each known key is a list of strings, or a table of lists of strings (or of strings)."""

    def strings(v: Any) -> bool:
        return isinstance(v, list) and all(isinstance(w, str) and w.strip() for w in v)

    for key in lists:
        if key in data and not strings(data[key]):
            raise ProfileError(file, "must be a list of non-empty strings", field=key)
    for key in tables:
        if key not in data:
            continue
        t = data[key]
        if not isinstance(t, dict):
            raise ProfileError(file, "must be a table", field=key)
        for k, v in t.items():
            if not (strings(v) or isinstance(v, str) and v.strip()):
                raise ProfileError(file, "must be a list of non-empty strings or a string", field=f"{key}.{k}")


FIGURE_CLASSES = ("generic", "persons", "acted_on", "tally", "body", "outcome", "harm", "force")
"""The classes of figure kinds the figure rules read (figures.toml [kinds], docs/profile.md)."""
CODE_FIGURE_KINDS = ("money", "percent", "other")
"""Kinds the code gives by a number's form, never declared in a profile."""


def _toml_line(f: Path, table: str, key: str) -> int | None:
    """The line of ``key = ...`` inside ``[table]`` (tomllib keeps no line numbers)."""
    try:
        lines = f.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    inside = False
    for n, ln in enumerate(lines, 1):
        s = ln.strip()
        if s.startswith("["):
            inside = s == f"[{table}]"
        elif inside and re.match(rf"{re.escape(key)}\s*=", s):
            return n
    return None


def _check_kinds(figures: dict[str, Any], f: Path) -> None:
    """figures.toml [kinds]: each kind a list of known classes, one generic kind, and every kind
    the word tables name declared (a typo in a kind would silently make a new kind)."""
    file = str(f)
    kinds = figures.get("kinds")
    if kinds is None:
        if any(figures.get(t) for t in ("nouns", "before", "after")):
            raise ProfileError(file, "the kinds that [nouns], [before] and [after] name must be declared", field="kinds")
        return
    if not isinstance(kinds, dict):
        raise ProfileError(file, "must be a table of kind = [classes]", field="kinds")
    for kind, classes in kinds.items():
        line = _toml_line(f, "kinds", kind)
        if kind in CODE_FIGURE_KINDS:
            raise ProfileError(file, f"{kind!r} is given by the code, not declared", line=line, field=f"kinds.{kind}")
        if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
            raise ProfileError(file, "must be a list of classes", line=line, field=f"kinds.{kind}")
        unknown = [c for c in classes if c not in FIGURE_CLASSES]
        if unknown:
            raise ProfileError(file, f"unknown class(es) {unknown}; the classes are {', '.join(FIGURE_CLASSES)}",
                               line=line, field=f"kinds.{kind}")
    generic = [k for k, cs in kinds.items() if "generic" in cs]
    if len(generic) != 1:
        raise ProfileError(file, f"exactly one kind must be generic, not {generic or 'none'}", field="kinds")
    for table in ("nouns", "before", "after"):
        for kind in figures.get(table) or {}:
            if kind not in kinds:
                raise ProfileError(file, f"kind {kind!r} is not declared in [kinds]", line=_toml_line(f, table, kind),
                                   field=f"{table}.{kind}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ProfileError(str(path), f"cannot read: {e.strerror or e}") from e
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(str(path), f"invalid TOML: {e}") from e


def _str_list(v: Any, file: str, line: int | None, fld: str) -> tuple[str, ...]:
    if v is None:
        return ()
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise ProfileError(file, "must be a list of non-empty strings", line=line, field=fld)
    return tuple(v)


def _opt_str(v: Any, file: str, line: int | None, fld: str) -> str | None:
    if v is None:
        return None
    if not isinstance(v, str) or not v.strip():
        raise ProfileError(file, "must be a non-empty string", line=line, field=fld)
    return v


def _coord(v: Any, lo: float, hi: float, file: str, line: int, fld: str) -> float | None:
    if v is None:
        return None
    if not isinstance(v, (int, float)) or isinstance(v, bool) or not lo <= v <= hi:
        raise ProfileError(file, f"must be a number from {lo} to {hi}", line=line, field=fld)
    return float(v)


def _entity(obj: dict[str, Any], file: str, line: int, default_kind: str | None) -> ProfileEntity:
    known = {"id", "kind", "name", "aliases", "roles", "lat", "lon", "type", "within", "context", "note"}
    unknown = set(obj) - known
    if unknown:
        raise ProfileError(file, f"unknown field(s) {sorted(unknown)}", line=line)
    kind = obj.get("kind", default_kind)
    if kind not in ENTITY_KINDS:
        raise ProfileError(file, f"must be one of {sorted(ENTITY_KINDS)}", line=line, field="kind")
    name = obj.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ProfileError(file, "required, a non-empty string", line=line, field="name")
    eid = obj.get("id") or f"{_KIND_PREFIX[kind]}:{slug(name)}"
    if not isinstance(eid, str) or not _ID_RE.match(eid) or not eid.startswith(_KIND_PREFIX[kind] + ":"):
        raise ProfileError(file, f"must look like {_KIND_PREFIX[kind]}:a-slug", line=line, field="id")
    roles = []
    for i, r in enumerate(obj.get("roles") or ()):
        if isinstance(r, str):
            r = {"title": r}
        if not isinstance(r, dict) or not isinstance(r.get("title"), str):
            raise ProfileError(file, "each role is a string or {title, from, to}", line=line, field=f"roles[{i}]")
        for k in ("from", "to"):
            if r.get(k) is not None and not (isinstance(r[k], str) and _DATE_RE.match(r[k])):
                raise ProfileError(file, "must be YYYY, YYYY-MM or YYYY-MM-DD", line=line, field=f"roles[{i}].{k}")
        roles.append(Role(r["title"], r.get("from"), r.get("to")))
    return ProfileEntity(
        id=eid,
        kind=kind,
        name=name.strip(),
        aliases=_str_list(obj.get("aliases"), file, line, "aliases"),
        roles=tuple(roles),
        lat=_coord(obj.get("lat"), -90, 90, file, line, "lat"),
        lon=_coord(obj.get("lon"), -180, 180, file, line, "lon"),
        type=_opt_str(obj.get("type"), file, line, "type"),
        within=_opt_str(obj.get("within"), file, line, "within"),
        context=_str_list(obj.get("context"), file, line, "context"),
    )


def _triggers(data: dict[str, Any], file: str) -> tuple[EventTrigger, ...]:
    out = []
    allowed = {"type", "mode", "patterns", "needs", "needs_not", "priority", "in_names"}
    for i, t in enumerate(data.get("trigger", ())):
        where = f"trigger[{i}]"
        if set(t) - allowed:
            raise ProfileError(file, f"{where}: unknown field(s) {sorted(set(t) - allowed)}", field="trigger")
        typ = t.get("type")
        if typ not in PLOVER_TYPES:
            raise ProfileError(file, f"{where}: type must be a PLOVER root type, not {typ!r}", field="type")
        words = t.get("patterns")
        if not isinstance(words, list) or not words:
            raise ProfileError(file, f"{where}: patterns must be a non-empty list of regexes", field="patterns")
        # a pattern with a capital letter (outside an escape) is matched as written ("Operation [A-Z]\w+":
        # a name); the others ignore case and run on the lowered text
        cased = any(re.search(r"[A-Z]", re.sub(r"\\.", "", w)) for w in words)
        try:
            pat = re.compile(r"\b(?:" + "|".join(words) + r")\b", 0 if cased else re.IGNORECASE)
            needs = t.get("needs")
            needs_pat = re.compile(r"\b(?:" + "|".join(needs) + r")\b", re.IGNORECASE) if needs else None
            nn = t.get("needs_not")
            not_pat = re.compile(r"\b(?:" + "|".join(nn) + r")\b", re.IGNORECASE) if nn else None
        except re.error as e:
            raise ProfileError(file, f"{where}: bad pattern: {e}", field="patterns") from e
        lower = None if cased else word_pattern(pat)
        in_names = t.get("in_names", False)
        if not isinstance(in_names, bool):
            raise ProfileError(file, f"{where}: in_names must be true or false", field="in_names")
        out.append(EventTrigger(typ, t.get("mode"), pat, f"{file} {where}", needs_pat, int(t.get("priority", 0)),
                                not_pat, lower, in_names))
    return tuple(out)


EVENT_CUES = ("planned", "threatened", "denied", "background", "report")


def _cues(data: dict[str, Any], file: str) -> dict[str, re.Pattern[str]]:
    """events.toml [cues]: each a list of regexes, compiled into one case-insensitive pattern."""
    table = data.get("cues", {})
    if not isinstance(table, dict):
        raise ProfileError(file, "cues must be a table of pattern lists", field="cues")
    out = {}
    for name, words in table.items():
        if name not in EVENT_CUES:
            raise ProfileError(file, f"cues: unknown cue {name!r} (known: {', '.join(EVENT_CUES)})", field="cues")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            raise ProfileError(file, f"cues.{name}: must be a non-empty list of regexes", field=name)
        try:
            out[name] = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)
        except re.error as e:
            raise ProfileError(file, f"cues.{name}: bad pattern: {e}", field=name) from e
    return out


def load_profile(path: str | Path | None = None) -> Profile:
    """Read and validate a profile folder (the shipped default when ``path`` is None)."""
    return _load(str(Path(path) if path else DEFAULT_PROFILE))


@lru_cache(maxsize=4)
def _load(path_s: str) -> Profile:
    path = Path(path_s)
    if not path.is_dir():
        raise ProfileError(path_s, "profile folder not found")
    entities: list[ProfileEntity] = []
    where: dict[str, tuple[str, int]] = {}  # id -> (file, line), for errors that come later
    by_id: dict[str, ProfileEntity] = {}
    for fname, default_kind in (("aliases.jsonl", None), ("gazetteer.jsonl", "place")):
        f = path / fname
        if f.exists():
            for line, obj in _read_jsonl(f):
                e = _entity(obj, str(f), line, default_kind)
                if e.id in by_id:
                    first = where[e.id]
                    raise ProfileError(str(f), f"duplicate id {e.id} (first at {Path(first[0]).name}:{first[1]})",
                                       line=line, field="id")
                entities.append(e)
                where[e.id] = (str(f), line)
                by_id[e.id] = e
    index: dict[str, list[str]] = {}
    for e in entities:
        for a in (e.name, *e.aliases):
            k = norm_key(a)
            if k and e.id not in index.setdefault(k, []):
                index[k].append(e.id)
    for e in entities:
        if e.within and e.within not in by_id:
            f, line = where[e.id]
            raise ProfileError(f, f"{e.id}: within names unknown id {e.within}", line=line, field="within")
    events = _read_toml(path / "events.toml") if (path / "events.toml").exists() else {}
    figures = _read_toml(path / "figures.toml") if (path / "figures.toml").exists() else {}
    lexicon = _read_toml(path / "lexicon.toml") if (path / "lexicon.toml").exists() else {}
    triggers = _triggers(events, str(path / "events.toml"))
    labels, area_types = _labels(path / "labels.toml", {(t.type, t.mode) for t in triggers})
    _check_words(figures, str(path / "figures.toml"), _FIGURE_LISTS, _FIGURE_TABLES)
    _check_kinds(figures, path / "figures.toml")
    _check_words(lexicon, str(path / "lexicon.toml"), _LEXICON_LISTS, ("place_agencies",))
    return Profile(
        name=path.name,
        path=path,
        entities=tuple(entities),
        by_id=by_id,
        alias_index={k: tuple(v) for k, v in index.items()},
        triggers=triggers,
        event_cues=_cues(events, str(path / "events.toml")),
        figures=figures,
        lexicon=lexicon,
        labels=labels,
        area_types=area_types,
        outlets=_outlets([path / "outlets.jsonl", path / "outlets.local.jsonl"]),
    )


# ---- labels.toml ------------------------------------------------------------------------------------

_LABEL_FIELDS = {"type", "mode", "label", "verb", "verb_site", "prep", "means"}


def _labels(f: Path, used: set[tuple[str, str | None]]) -> tuple[dict[tuple[str, str | None], EventLabel],
                                                                   frozenset[str]]:
    """Read labels.toml; every type and mode the event triggers use must have a label."""
    if not f.exists():
        return {}, frozenset()
    data = _read_toml(f)
    file = str(f)
    # tomllib keeps no line numbers: the n-th [[label]] header is the n-th entry
    lines = f.read_text(encoding="utf-8").splitlines()
    heads = [n for n, ln in enumerate(lines, 1) if re.match(r"\s*\[\[\s*label\s*\]\]", ln)]
    area_line = next((n for n, ln in enumerate(lines, 1) if re.match(r"\s*area_types\s*=", ln)), None)
    unknown = set(data) - {"label", "area_types"}
    if unknown:
        raise ProfileError(file, f"unknown key(s) {sorted(unknown)}")
    areas = _str_list(data.get("area_types"), file, area_line, "area_types") if "area_types" in data else ()
    entries = data.get("label", [])
    if not isinstance(entries, list):
        raise ProfileError(file, "label must be an array of tables ([[label]])", field="label")
    out: dict[tuple[str, str | None], EventLabel] = {}
    for i, e in enumerate(entries):
        line = heads[i] if i < len(heads) else None
        extra = set(e) - _LABEL_FIELDS
        if extra:
            raise ProfileError(file, f"unknown field(s) {sorted(extra)}", line=line)
        typ = e.get("type")
        if typ not in PLOVER_TYPES:
            raise ProfileError(file, f"must be a PLOVER root type, not {typ!r}", line=line, field="type")
        mode = _opt_str(e.get("mode"), file, line, "mode")
        for k in ("label", "verb"):
            if not isinstance(e.get(k), str) or not e[k].strip():
                raise ProfileError(file, "required, a non-empty string", line=line, field=k)
        if not e["label"][0].isupper():
            raise ProfileError(file, "must start with a capital letter", line=line, field="label")
        if (typ, mode) in out:
            raise ProfileError(file, f"a second label for {typ} {mode or '(no mode)'}", line=line, field="mode")
        out[(typ, mode)] = EventLabel(
            typ, mode, e["label"].strip(), e["verb"].strip(),
            verb_site=_opt_str(e.get("verb_site"), file, line, "verb_site"),
            prep=_opt_str(e.get("prep"), file, line, "prep") or "in",
            means=_opt_str(e.get("means"), file, line, "means") or "",
        )
    missing = sorted((t, m or "") for t, m in used if (t, m) not in out and (t, None) not in out)
    if missing:
        t, m = missing[0]
        raise ProfileError(file, f"no label for {t} {m or '(no mode)'}, which events.toml uses", field="label")
    return out, frozenset(areas)


# ---- outlets.jsonl ----------------------------------------------------------------------------------

_OUTLET_FIELDS = {"name", "aliases", "domains", "owner", "kind", "note"}


def _outlets(files: list[Path]) -> tuple[Outlet, ...]:
    """The outlet registry. Within a file a name, alias or domain names one outlet; an entry of
    a later file (outlets.local.jsonl) with the name of an earlier one replaces it."""
    by_name: dict[str, Outlet] = {}
    for f in files:
        if not f.exists():
            continue
        file = str(f)
        seen: dict[str, int] = {}  # key -> line, within this file
        for line, obj in _read_jsonl(f):
            extra = set(obj) - _OUTLET_FIELDS
            if extra:
                raise ProfileError(file, f"unknown field(s) {sorted(extra)}", line=line)
            name = obj.get("name")
            if not isinstance(name, str) or not name.strip():
                raise ProfileError(file, "required, a non-empty string", line=line, field="name")
            kind = obj.get("kind")
            if kind not in OUTLET_KINDS:
                raise ProfileError(file, f"must be one of {', '.join(OUTLET_KINDS)}", line=line, field="kind")
            aliases = _str_list(obj.get("aliases"), file, line, "aliases")
            domains = _str_list(obj.get("domains"), file, line, "domains")
            for d in domains:
                if not _HOST_RE.match(d) or d.startswith("www."):
                    raise ProfileError(file, f"{d!r} is not a lower-case host name without www. "
                                       "(no scheme, no path)", line=line, field="domains")
            for k in [norm_key(name), *(norm_key(a) for a in aliases), *domains]:
                if k in seen and seen[k] != line:
                    raise ProfileError(file, f"{k!r} already names the outlet on line {seen[k]}", line=line,
                                       field="name" if k == norm_key(name) else "aliases/domains")
                seen[k] = line
            by_name[norm_key(name)] = Outlet(name.strip(), aliases, domains, _opt_str(obj.get("owner"), file, line, "owner"),
                                             kind, f"{f.name}:{line}")
    return tuple(by_name.values())
