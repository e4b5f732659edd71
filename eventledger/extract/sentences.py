"""Sentence and paragraph boundaries as character spans of the normalised text."""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Sentence", "split_sentences"]

# Abbreviations after which a period does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "st", "sr", "jr", "gov", "sen", "rep", "gen", "lt", "col", "maj",
    "sgt", "capt", "cpl", "adm", "cmdr", "supt", "det", "insp", "rev", "hon", "pres", "atty",
    "u.s", "u.n", "d.c", "l.a", "n.y", "n.c", "s.c", "n.j", "la", "calif", "ore", "wash", "ill",
    "ariz", "colo", "fla", "ga", "tenn", "tex", "va", "mass", "mich", "minn", "penn", "pa",
    "no", "nos", "vs", "v", "inc", "corp", "co", "ltd", "dept", "est", "approx", "ave", "blvd",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "a.m", "p.m", "e.g", "i.e", "etc", "mt", "ft", "ph.d",
}
_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_NEXT_CHAR_RE = re.compile(r"\s*(\S)")  # \s is what str.strip() strips


class Sentence(NamedTuple):
    """A sentence's span and paragraph number. A named tuple rather than a frozen dataclass, as
    tokens.Token: a document has dozens of sentences and a tuple is made twice as fast (the same
    fields, immutable, hashable, compared by value)."""

    start: int
    end: int
    paragraph: int

    def text(self, doc: str) -> str:
        return doc[self.start : self.end]


def _is_abbrev(text: str, dot: int) -> bool:
    m = _WORD_BEFORE_RE.search(text, max(0, dot - 12), dot)
    if not m:
        return False
    w = m.group(1).lower().rstrip(".")
    if w in _ABBREV:
        return True
    # single capital initial: "Karin J. Immergut"
    return len(w) == 1 and text[m.start()].isupper()


def split_sentences(text: str) -> list[Sentence]:
    """Split on line breaks (paragraphs) and sentence-final punctuation.

    A period after a known abbreviation or an initial does not end a sentence when the
    next word starts lower-case or is a name; spans exclude surrounding white space.
    """
    out: list[Sentence] = []
    para = 0
    pos = 0
    for line in text.split("\n"):
        lstart = pos
        pos += len(line) + 1
        if not line.strip():
            para += 1
            continue
        s = lstart
        for m in _END_RE.finditer(line):
            end = lstart + m.end()
            dot = lstart + m.start()
            # the first character after the white space that follows: found in place, not by
            # copying the rest of the text at every sentence end (quadratic in a long text)
            nxt_m = _NEXT_CHAR_RE.match(text, end)
            nxt = nxt_m.group(1) if nxt_m else ""
            if text[dot] == "." and m.end() - m.start() == 1 and _is_abbrev(text, dot):
                continue
            if nxt and not (nxt.isupper() or nxt in "\"“‘'(" or nxt.isdigit()):
                continue
            _add(out, text, s, end, para)
            s = end
        _add(out, text, s, lstart + len(line), para)
        para += 1
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, para: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, para))
