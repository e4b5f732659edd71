from __future__ import annotations

import pytest

from eventledger.extract.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("U.S. District Judge Karin J. Immergut ruled. The order stands.", 2),
        ("Gov. Tina Kotek spoke on Oct. 4. She was angry.", 2),
        ("He said, “Leave now.” Then he left.", 2),
        ("Headline Here\nFirst sentence. Second one!", 3),
        ("Agents arrived at 10:30 a.m. on Tuesday in St. Paul, officials said.", 1),
    ],
)
def test_split(text, n):
    ss = split_sentences(text)
    assert len(ss) == n, [s.text(text) for s in ss]
    for s in ss:
        assert s.text(text) == s.text(text).strip()
