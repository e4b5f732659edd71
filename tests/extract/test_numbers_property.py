"""Number parsing properties."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from eventledger.extract.figures import extract_figures
from eventledger.extract.numbers import parse_number
from eventledger.extract.sentences import split_sentences

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n: int) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    if n < 1000:
        return ONES[n // 100] + " hundred" + (" " + words(n % 100) if n % 100 else "")
    return words(n // 1000) + " thousand" + (" " + words(n % 1000) if n % 1000 else "")


@given(st.integers(0, 10**12))
def test_digits_with_separators_round_trip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@given(st.integers(0, 999_999))
def test_number_words_round_trip(n):
    assert parse_number(words(n)) == n


@given(st.integers(1, 999), st.integers(0, 9), st.sampled_from([("million", 10**6), ("billion", 10**9)]))
def test_money_scales(whole, tenth, scale):
    got = parse_number(f"{whole}.{tenth} {scale[0]}")
    assert abs(got - (whole + tenth / 10) * scale[1]) < 1


@given(st.integers(1, 50_000), st.integers(0, 50_000))
def test_ranges_are_ordered(profile, a, d):
    text = f"Police said {a:,}-{a + d:,} protesters gathered downtown."
    figs = extract_figures(text, split_sentences(text), profile)
    assert figs and all(f.value <= f.high for f in figs)
    assert (figs[0].value, figs[0].high) == (a, a + d)


@given(st.text(max_size=300))
def test_never_raises(profile, text):
    parse_number(text)
    for f in extract_figures(text, split_sentences(text), profile):
        assert text[f.start : f.end] == f.text


_ALT_WORDS = ["an", "an estimated", "an additional estimated", "around", "around an estimated", "more than", "more",
              "at least", "at most", "as many as", "as", "up to", "upwards of", "some", "so"]


@given(st.lists(st.sampled_from(_ALT_WORDS + ["x", " ", "  ", "estimated", "AN", "More Than", "a"]), max_size=8))
@example(["an", " ", "estimated", " ", "x"])
@example(["More Than", " ", "x"])
@example(["as", " ", "many", " ", "as"])
def test_word_alternation_matches_as_the_plain_alternation(parts):
    import re

    from eventledger.extract.numbers import word_alternation

    text = "".join(parts)
    plain = "|".join(re.escape(w) for w in sorted(_ALT_WORDS, key=len, reverse=True))
    trie = word_alternation(_ALT_WORDS)
    for flags in (0, re.I):
        # as the figure pattern uses it: optional, followed by more that may force a backtrack
        a = re.compile(rf"(?:(?:{plain})\s+)?(?P<w>estimated|\w+)", flags)
        b = re.compile(rf"(?:(?:{trie})\s+)?(?P<w>estimated|\w+)", flags)
        assert [(m.span(), m.span("w")) for m in a.finditer(text)] == [(m.span(), m.span("w")) for m in b.finditer(text)]
