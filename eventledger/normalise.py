"""The text every offset refers to: produced once, before any extractor runs."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise"]

_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
# Runs of spaces to fold into one " ": of two or more characters, or one that is not " "
# itself (a lone " " is left alone rather than replaced by itself, once per word).
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# _SPACES_RE has nothing to do in a text without two spaces in a row or a space other than " ":
# this one class the regex engine skips through in C, while _SPACES_RE stops at every space
_ODD_SPACE_RE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_BLANKS_RE = re.compile(r"\n{3,}")
MAX_LINE_CHARS = 4000
"""A longer line is broken (at its last space before the limit, else at the limit): no paragraph
of news runs this long, and the extractors' patterns and sentence work grow with a line's
length, so a text of a few giant lines would otherwise cost minutes (docs/limits.md)."""


def normalise(text: str) -> str:
    """NFC, one kind of line break, no control or zero-width characters, runs of
    spaces folded to one, trailing spaces and runs of blank lines removed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CTRL_RE.sub("", text)
    if "  " in text or _ODD_SPACE_RE.search(text):
        text = _SPACES_RE.sub(" ", text)
    lines = text.split("\n")
    if len(text) > MAX_LINE_CHARS:
        text = "\n".join([_wrap(line.strip()) for line in lines])
    else:  # no line can need breaking
        text = "\n".join([line.strip() for line in lines])
    if "\n\n\n" in text:  # (the pattern tries every line break otherwise)
        text = _BLANKS_RE.sub("\n\n", text)
    return text.strip()


def _wrap(line: str) -> str:
    if len(line) <= MAX_LINE_CHARS:
        return line
    out, i = [], 0
    while len(line) - i > MAX_LINE_CHARS:
        cut = line.rfind(" ", i + MAX_LINE_CHARS // 2, i + MAX_LINE_CHARS)
        if cut == -1:
            out.append(line[i : i + MAX_LINE_CHARS])
            i += MAX_LINE_CHARS
        else:
            out.append(line[i:cut])
            i = cut + 1
    out.append(line[i:])
    return "\n".join(p.strip() for p in out)
