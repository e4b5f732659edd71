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
