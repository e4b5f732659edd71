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


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Sen. Ruiz left early. Gov.\u2003 Alvarez stayed.", 2),  # the next word found past a wide space
        ("The vote is at 5 p.m. tomorrow. It passed.", 2),  # lower case after the abbreviation: one sentence
        ("It ended.\n\n\n", 1),  # nothing after the last stop
        ("Crowds grew.   “We stay,” one said.", 2),  # an opening quote starts a sentence
    ],
)
def test_what_follows_a_stop_decides(text, n):
    ss = split_sentences(text)
    assert len(ss) == n, [s.text(text) for s in ss]


def test_a_long_text_splits_as_its_parts():
    """A text of 300 copies of a paragraph splits into 300 times its sentences, at the same
    places (the splitter looks past each stop in place, whatever the length of the text)."""
    para = ("Officers in Fresno detained 14 people on Friday. Lt. Marsh said the operation ended at 3 p.m. "
            "on Friday. “We are done,” he said. Residents gathered outside!")
    one = split_sentences(para)
    text = "\n\n".join([para] * 300)
    many = split_sentences(text)
    assert len(one) == 4 and len(many) == 300 * len(one)
    step = len(para) + 2
    assert [(s.start, s.end) for s in many] == [(s.start + k * step, s.end + k * step) for k in range(300) for s in one]
