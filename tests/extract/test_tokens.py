"""Tokens: spans that index the text, the same whatever the word cache holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from eventledger.extract import tokens
from eventledger.extract.tokens import tnorm, tokenize

_PIECES = st.sampled_from(["Gov.", "Inc.", "U.S.", "St.", "etc.", "Biden-era", "anti-ICE", "Harris-Dawson", "O’Neill",
                           "Zoë", "1,500", "3.5", "90s", "Jr.", "Wash.", "A.", "&", "Mesa", "raid", "on", "the", "ICE"])
_TEXTS = st.lists(st.tuples(_PIECES, st.sampled_from([" ", ", ", ". ", "\n", "-", "..."])), max_size=20).map(
    lambda ps: "".join(p + sep for p, sep in ps))


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_tokens_are_the_same_from_a_cold_or_a_warm_word_cache(text):
    tokens._WORD_INFO.clear()
    cold = tokenize(text)
    warm = tokenize(text)
    assert cold == warm
    for t in cold:
        assert text[t.start : t.end] == t.text and t.norm == tnorm(t.text) and t.cap == t.text[0].isupper()


def test_abbreviation_dots_kept_and_sentence_dots_dropped():
    text = "Gov. Ada Ruiz of Wash. met Luis Ortiz Jr. in Tacoma. The U.S. office closed."
    words = [t.text for t in tokenize(text)]
    assert words == ["Gov.", "Ada", "Ruiz", "of", "Wash.", "met", "Luis", "Ortiz", "Jr.", "in", "Tacoma", "The",
                     "U.S.", "office", "closed"]
    again = tokenize("Tacoma. Tacoma.")  # the cached word keeps its own span
    assert [(t.start, t.end, t.text) for t in again] == [(0, 6, "Tacoma"), (8, 14, "Tacoma")]


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="aAbZ.-'’1 Éé&ß", max_size=6))
def test_upper_means_two_letters_or_more_all_capitals(word):
    letters = [c for c in word if c.isalpha()]
    assert tokens.Token(0, len(word), word, tnorm(word), word[:1].isupper()).upper == (
        len(letters) >= 2 and all(c.isupper() for c in letters))
