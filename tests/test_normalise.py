"""The normalised text every offset refers to."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventledger.normalise import normalise

_SPACE = " \t\u00a0\u2002\u2009\u202f\u3000"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Agents  arrived\u00a0in\tTulsa.", "Agents arrived in Tulsa."),
        ("One.\r\n\r\n\r\n\r\nTwo. \u200b", "One.\n\nTwo."),
        ("  a \u3000 b  \n  c  ", "a b\nc"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@given(st.text(alphabet="ab.\n" + _SPACE, max_size=40))
def test_every_run_of_spaces_is_one_space(raw):
    """Within a line, any run of the space characters becomes one plain space."""
    out = normalise(raw)
    assert not re.search(f"[{_SPACE}]{{2,}}|[{_SPACE[1:]}]", out)
    words = re.split(f"[{_SPACE}\\n]+", raw.strip(_SPACE + "\n"))
    assert re.split(r"[ \n]+", out) == words if out else not "".join(words)


def _plain_normalise(text: str) -> str:
    """normalise without its shortcuts: every pattern run on every text."""
    import unicodedata

    from eventledger.normalise import _BLANKS_RE, _CTRL_RE, _SPACES_RE, _wrap

    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _SPACES_RE.sub(" ", _CTRL_RE.sub("", text))
    text = "\n".join(_wrap(line.strip()) for line in text.split("\n"))
    return _BLANKS_RE.sub("\n\n", text).strip()


@given(st.text(alphabet="ab.\n\r\u2028\x0b\u200b" + _SPACE, max_size=60))
def test_the_shortcuts_change_nothing(raw):
    # the space and blank-line patterns are skipped when they cannot match
    assert normalise(raw) == _plain_normalise(raw)


def test_a_long_line_is_still_broken():
    line = ("word " * 1000).strip()
    assert normalise(line) == _plain_normalise(line) and max(map(len, normalise(line).split("\n"))) <= 4000
