"""The text every offset refers to: produced once, before any extractor runs."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise"]

_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
# Runs of spaces to fold into one " ": of two or more characters, or one that is not " "
# itself (a lone " " is left alone rather than replaced by itself, once per word).
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_BLANKS_RE = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """NFC, one kind of line break, no control or zero-width characters, runs of
    spaces folded to one, trailing spaces and runs of blank lines removed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CTRL_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANKS_RE.sub("\n\n", text)
    return text.strip()
