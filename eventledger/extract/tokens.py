"""Word tokens with character offsets, and the capitalised runs that may be names."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["Token", "ascii_lower", "ascii_lowered", "for_lowered", "name_tokens", "search_lowered", "tokenize", "tnorm"]

# Words (letters, digits, inner apostrophes, hyphens, periods of abbreviations) and "&". (The
# classes name A-Za-z0-9_ beside \w, which holds them: the regex engine tests listed characters
# in a table before it asks the Unicode database what \w holds, so ASCII words match faster.)
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*(?:[A-Za-z]+|[’']s)?"
                       r"|[A-Za-z\u00C0-\u024F](?:[A-Za-z0-9_\w\u00C0-\u024F’'.&\u2010\u2011-]*[A-Za-z0-9_\w\u00C0-\u024F.])?|&")
_ABBR_RE = re.compile(r"^(?:[A-Za-z]\.)+$")  # U.S. L.A. D.C. J.
_KEEP_DOT = {
    "jr.", "sr.", "gov.", "sen.", "sens.", "rep.", "reps.", "st.", "dr.", "mt.", "ft.", "gen.", "maj.",
    "lt.", "col.", "sgt.", "capt.", "cmdr.", "adm.", "inc.", "corp.", "co.", "ave.", "blvd.", "rd.", "no.",
    "mr.", "mrs.", "ms.", "calif.", "ore.", "ill.", "la.", "fla.", "tex.", "ariz.", "colo.", "mass.",
    "mich.", "minn.", "wash.", "tenn.", "ga.", "va.", "pa.", "conn.", "md.", "mo.", "nev.", "okla.",
    "wis.", "ky.", "ala.", "miss.", "ark.", "kan.", "neb.", "ind.", "del.", "vt.", "n.m.", "dept.", "brig.",
    "spc.", "pvt.", "rev.", "prof.", "ltd.", "bros.", "atty.", "supt.", "det.", "insp.", "hon.", "pres.",
    "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
}
_PUNCT_TABLE = {ord(c): None for c in ".,'’&-_()\"“”"}


class Token(NamedTuple):
    """A word of the text. A named tuple rather than a frozen dataclass: a document has
    hundreds of tokens and a tuple is made several times faster (the same fields, immutable,
    hashable, compared by value)."""

    start: int
    end: int
    text: str
    norm: str  # casefolded, punctuation and diacritics stripped
    cap: bool  # starts with an upper-case letter (computed once: the finders ask it very often)

    @property
    def base(self) -> str:
        """The norm without a possessive ending ("Trump’s" -> "trump")."""
        t = self.text
        return tnorm(t[:-2]) if t.endswith(("'s", "’s")) and len(t) > 2 else self.norm

    @property
    def upper(self) -> bool:
        """Two letters or more, all upper-case ("ICE", "U.S.")."""
        t = self.text
        if t.isascii():  # most words: str methods in C (an ASCII letter is cased, so isupper() says all)
            return t.isupper() and (t.isalpha() or sum(c.isalpha() for c in t) >= 2) and len(t) >= 2
        letters = [c for c in t if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


def ascii_lower(text: str) -> str:
    """The text with only its ASCII letters lowered (uncached: for the short pieces of text
    that the case-blind patterns are tried on; see ascii_lowered)."""
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


@lru_cache(maxsize=8)
def ascii_lowered(text: str) -> str:
    """The text with only its ASCII letters lowered: the same length, so offsets hold. Patterns
    written in lower case match it case-sensitively, several times faster than IGNORECASE.
    Cached: the event and date finders both scan the same document. (bytes.lower() lowers
    only ASCII letters, and no byte of a multi-byte UTF-8 character is one: several times
    faster than str.translate, which looks every character up in a dict.)"""
    return ascii_lower(text)


# The pieces of a pattern: an escape, a group name, inline flags, a character class, a character.
_PIECE_RE = re.compile(r"\\.|\(\?P<[^>]*>|\(\?P=[^)]*\)|\(\?[aiLmsux-]+[:)]|\[\^?\]?(?:\\.|[^\]\\])*\]|.", re.S)


def _lower_literals(pattern: str) -> str | None:
    """``pattern`` with its ASCII letters lowered where they stand for themselves, or None when
    lowering could change what it matches (a letter in a character class or a non-ASCII
    one, inline flags, a character given by its code)."""
    out = []
    for m in _PIECE_RE.finditer(pattern):
        piece = m.group()
        if len(piece) == 1:
            if not piece.isascii() and piece.isalpha():
                return None
            out.append(piece.lower() if piece.isascii() else piece)
        elif piece[0] == "\\":
            if piece[1] in "xuUN0":
                return None
            out.append(piece)
        elif piece.startswith("(?P"):
            out.append(piece)
        elif piece.startswith("(?"):
            return None
        else:  # a character class: kept only when no letter in it depends on the case
            if any(c.isupper() or (not c.isascii() and c.isalpha()) for c in re.sub(r"\\.", "", piece)):
                return None
            out.append(piece)
    return "".join(out)


@lru_cache(maxsize=256)
def for_lowered(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern compiled with IGNORECASE as the same pattern without it and with its letters
    in lower case, to match on ``ascii_lowered(text)``: the same matches at the same offsets,
    found several times faster (a case-blind pattern compares every character through a case
    table and loses the regex engine's literal-prefix search). None when the pattern is not
    case-blind at all, or holds a letter whose case lowering would change (see
    _lower_literals). (Only a non-ASCII character whose lower case is ASCII, such as the
    Turkish dotted capital I, matches the flagged pattern and not this one.)"""
    if not pattern.flags & re.IGNORECASE or pattern.flags & re.VERBOSE:
        return None
    lowered = _lower_literals(pattern.pattern)
    if lowered is None:
        return None
    return re.compile(lowered, pattern.flags & ~re.IGNORECASE)


def search_lowered(pattern: re.Pattern[str], text: str, lowered: str, *span: int) -> re.Match[str] | None:
    """``pattern.search(text, *span)``, run as its case-sensitive copy on ``lowered`` (``text``
    with its ASCII letters lowered) when it has one: for a caller that reads only the
    match's place and truth, or groups it lowers anyway."""
    got = _BY_ID.get(id(pattern))
    if got is None or got[0] is not pattern:
        if len(_BY_ID) >= 4096:
            _BY_ID.clear()
        got = _BY_ID[id(pattern)] = (pattern, for_lowered(pattern))
    low = got[1]
    return low.search(lowered, *span) if low is not None else pattern.search(text, *span)


# for_lowered's answers by the pattern's identity: a compiled pattern's hash, which
# for_lowered's cache computes, hashes all of its compiled code each time (the pattern is
# kept beside its answer, so that its id is not reused while it is here)
_BY_ID: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}


@lru_cache(maxsize=1 << 16)
def tnorm(s: str) -> str:
    """Token normalisation matching profile.norm_key for single words."""
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s.casefold().translate(_PUNCT_TABLE)


_JOINING = frozenset({"at", "in", "of", "on", "de", "del", "la", "le", "the", "and"})  # inside a hyphenated title


def _split_hyphen(text: str, start: int, word: str) -> list[tuple[int, str]]:
    """'Biden-era' -> 'Biden' + 'era'; 'anti-ICE' -> 'anti' + 'ICE'; 'Harris-Dawson' stays whole."""
    if "-" not in word:
        return [(start, word)]
    parts = word.split("-")
    if all(p[:1].isupper() or p[:1].isdigit() for p in parts if p) or all(p[:1].islower() for p in parts if p):
        return [(start, word)]
    if parts[0][:1].isupper() and parts[-1][:1].isupper() and all(p[:1].isupper() or p in _JOINING for p in parts):
        return [(start, word)]  # "Commander-at-Large", "Editor-in-Chief": one word, one title
    out, pos = [], start
    for p in parts:
        if p:
            out.append((pos, p))
        pos += len(p) + 1
    return out


_Part = tuple[int, int, str, str, bool, bool]
"""A token a matched word makes: (start, end) from the match's start, text, norm, cap, and
whether it opens with a lower-case letter."""

_WORD_INFO: dict[str, tuple[_Part, ...]] = {}
"""A matched word -> the tokens it makes: a text repeats its words, and the dot rules, the
hyphen split and the normalisation are then a dict lookup (cleared when full)."""
_WORD_INFO_MAX = 1 << 16
_GROUP, _START = re.Match.group, re.Match.start  # called by map(), in C


def _word_parts(word: str) -> tuple[_Part, ...]:
    w = word
    if w[-1] == "." and not _ABBR_RE.match(w) and w.lower() not in _KEEP_DOT:
        w = w.rstrip(".")
    if "-" not in w:
        return ((0, len(w), w, tnorm(w), w[0].isupper(), w[0].islower()),) if w else ()
    out = []
    for ps, pw in _split_hyphen(w, 0, w):
        if pw.endswith(".") and not _ABBR_RE.match(pw) and pw.lower() not in _KEEP_DOT:
            pw = pw.rstrip(".")
        if pw:
            out.append((ps, ps + len(pw), pw, tnorm(pw), pw[0].isupper(), pw[0].islower()))
    return tuple(out)


def _matches(text: str, start: int, end: int) -> tuple[list[int], list[tuple[_Part, ...]]]:
    """The start of each word _TOKEN_RE matches, and the tokens each makes."""
    ms = list(_TOKEN_RE.finditer(text, start, end))
    words = list(map(_GROUP, ms))
    info = _WORD_INFO
    missing = set(words).difference(info)  # the words not seen before, found in C
    if missing:
        if len(info) + len(missing) > _WORD_INFO_MAX:
            info.clear()
            missing = set(words)
        for w in missing:
            info[w] = _word_parts(w)
    return list(map(_START, ms)), list(map(info.__getitem__, words))


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    out: list[Token] = []
    append = out.append
    make = tuple.__new__  # Token(...) without the keyword handling of its generated __new__
    for s, parts in zip(*_matches(text, start, end)):
        for o, e, w, n, c, _ in parts:
            append(make(Token, (s + o, s + e, w, n, c)))
    return out


def name_tokens(text: str, keep_lower: frozenset[str] | None,
                excluded: Sequence[tuple[int, int]] = ()) -> tuple[list[Token], set[str], set[int]]:
    """``tokenize(text)`` less the tokens in ``excluded`` (sorted (start, end) spans; a token is
    in the last span that starts at or before it when it starts before that span's end), and
    less the words that open with a lower-case letter and whose norm is not in ``keep_lower``
    (None keeps them all); with the norms of all the lower-case words not excluded, and the
    starts of the tokens that such a left-out word comes right before. For the entity finder,
    which reads the capitalised words and the few lower-case ones that join names: three
    words in four are lower-case, and making no token for them is most of the work of
    tokenizing."""
    out: list[Token] = []
    append = out.append
    lower: set[str] = set()
    add = lower.add
    after_left_out: set[int] = set()
    left_out = False
    make = tuple.__new__
    never = len(text) + 1
    ex_starts = [a for a, _ in excluded]
    k, n = -1, len(excluded)
    ex_next = ex_starts[0] if n else never  # the start of the next excluded span
    ex_end = -1  # the end of the last excluded span that started
    for s, parts in zip(*_matches(text, 0, len(text))):
        for o, e, w, nm, c, low in parts:
            p = s + o
            if p >= ex_next:
                while k + 1 < n and ex_starts[k + 1] <= p:
                    k += 1
                ex_end = excluded[k][1]
                ex_next = ex_starts[k + 1] if k + 1 < n else never
            if p < ex_end:
                continue
            if low:
                add(nm)
                if keep_lower is not None and nm not in keep_lower:
                    left_out = True
                    continue
            if left_out:
                after_left_out.add(p)
                left_out = False
            append(make(Token, (p, s + e, w, nm, c)))
    return out, lower, after_left_out
