"""Tokens: spans that index the text, the same whatever the word cache holds."""

from __future__ import annotations

import re

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


_JOINERS = frozenset({"of", "and", "de"})


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.lists(st.tuples(st.integers(0, 120), st.integers(0, 30)), max_size=3))
def test_name_tokens_are_tokenize_less_the_excluded_and_the_lower_case_words_left_out(text, spans):
    excluded = sorted((a, a + n) for a, n in spans)
    starts = [a for a, _ in excluded]

    def excluded_at(p: int) -> bool:  # the last span starting at or before p holds it
        i = max((k for k, s in enumerate(starts) if s <= p), default=-1)
        return i >= 0 and p < excluded[i][1]

    kept = [t for t in tokenize(text) if not excluded_at(t.start)]
    toks, lower, after = tokens.name_tokens(text, _JOINERS, excluded)
    assert toks == [t for t in kept if not t.text[0].islower() or t.norm in _JOINERS]
    assert lower == {t.norm for t in kept if t.text[0].islower()}
    for i, t in enumerate(kept):  # a kept token right after a left-out word is marked
        if t in toks and i and kept[i - 1] not in toks:
            assert t.start in after
    assert tokens.name_tokens(text, None, excluded)[0] == kept


def test_name_tokens_keep_capitals_digits_and_joining_words():
    text = "Officers of the Tarrow County Sheriff’s Office met 40 volunteers at 12 Quay Plaza and Bellmont Hall."
    toks, lower, after = tokens.name_tokens(text, _JOINERS)
    assert [t.text for t in toks] == ["Officers", "of", "Tarrow", "County", "Sheriff’s", "Office", "40", "12", "Quay",
                                      "Plaza", "and", "Bellmont", "Hall"]
    assert {"the", "met", "volunteers", "at"} <= lower and "officers" not in lower
    assert text.index("Tarrow") in after and text.index("40") in after and text.index("12") in after


_PLAIN_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*(?:[A-Za-z]+|[’']s)?|[A-Za-z\u00C0-\u024F](?:[\w\u00C0-\u024F’'.&-]*[\w\u00C0-\u024F.])?|&")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZq09 .,'’&-_\u00C0\u00D7\u00F7\u024F\u0250\u0660ßé\n\u00B2Ω"), max_size=40))
def test_the_token_pattern_matches_what_its_plain_form_matches(text):
    # the ASCII ranges written beside \w only make the match faster
    assert [m.span() for m in tokens._TOKEN_RE.finditer(text)] == [m.span() for m in _PLAIN_TOKEN_RE.finditer(text)]


def test_a_non_breaking_hyphen_joins_a_word_as_a_hyphen_does():
    for hyphen in ("-", "\u2010", "\u2011"):
        assert [t.text for t in tokenize(f"near Sedro{hyphen}Woolley today")] == ["near", f"Sedro{hyphen}Woolley", "today"]
