"""Numbers written as digits or words: "1,500", "2.3", "nine", "forty-five", "two hundred",
"3.7 million", "a dozen"."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["NUMBER_WORD_RE", "SCALES", "parse_number", "word_alternation"]

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}



def word_alternation(words: Iterable[str]) -> str:
    """The alternation of ``words`` longest first ("twenty|two|..."), written as a trie that
    branches one character at a time ("t(?:w(?:enty|o|elve)|...)"): the same matches tried in
    the same order (of two words that can both match at a place one is the other's prefix, and
    the longer is tried first, as the greedy optional tail does), but the regex engine tests a
    place's first character once rather than once for each word, which a pattern tried at
    every word of a text pays many times over. Words that are not all lower-case ASCII are
    joined as they are, longest first (two words equal but for case would both match a place
    of a case-blind pattern, and the trie would not try them in that order)."""
    words = list(words)
    if not all(w.isascii() and w == w.lower() for w in words):
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


_W = word_alternation([*UNITS, *TENS])
_S = "|".join(SCALES)
# "two hundred fifty", "forty-five", "one thousand two hundred", "a dozen"
NUMBER_WORD_RE = re.compile(
    rf"\b(?:a\s+dozen|(?:{_W})(?:[\s-]+(?:and\s+)?(?:{_W}|{_S}))*)\b", re.IGNORECASE
)
_DIGITS_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_SPLIT_RE = re.compile(r"[\s-]+")
_SCALED_RE = re.compile(rf"^(.*?)\s+({_S})$", re.IGNORECASE)


def _words(s: str) -> int | None:
    total, cur, seen = 0, 0, False
    for w in _SPLIT_RE.split(s.lower()):
        if not w or w in ("and", "a"):
            continue
        if w in UNITS:
            cur += UNITS[w]
        elif w in TENS:
            cur += TENS[w]
        elif w == "hundred":
            cur = (cur or 1) * 100
        elif w in SCALES:
            total += (cur or 1) * SCALES[w]
            cur = 0
        else:
            return None
        seen = True
    return total + cur if seen else None


def parse_number(s: str) -> int | float | None:
    """The value of a written number, or None when it is not one."""
    s = s.strip()
    if not s:
        return None
    m = _SCALED_RE.match(s)
    if m and _DIGITS_RE.match(m.group(1).strip()):
        base = parse_number(m.group(1))
        if base is None:
            return None
        v = base * SCALES[m.group(2).lower()]
        return int(round(v)) if abs(v - round(v)) < 1e-6 else v
    if _DIGITS_RE.match(s):
        t = s.replace(",", "")
        return float(t) if "." in t else int(t)
    return _words(s)
