"""Case-blind patterns matched case-sensitively on ASCII-lowered text (the extractors' fast
path) find exactly what the case-blind pattern finds on the text itself."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventledger import load_profile
from eventledger.extract import dates, events, figures, pagelines
from eventledger.extract.figures import extract_figures
from eventledger.extract.sentences import split_sentences
from eventledger.extract.tokens import ascii_lowered, for_lowered

# Words the patterns below care about, in every case, among others they must not care about.
_WORDS = ["two", "days", "later", "the", "day", "before", "after", "that", "night", "said", "announced",
          "including", "running", "which", "and", "but", "more", "than", "million", "percent", "between",
          "to", "nearly", "a", "week", "earlier", "prior", "following", "because", "1,500", "12", "3.5", "$",
          "%", ",", ";", "—", "--", "nine", "forty-five", "dozen", "Zürich", "café", "Ōmura", "’s", "at least",
          "according", "reported", "by", "per", "citing", "not", "never", "won’t", "those", "will", "plans", "denied",
          "threatened", "vowed", "said", "were", "arrested", "detained", "can", "hold", "up", "able", "deported", "getty", "images",
          "via", "ap", "pictured", "seen", "are", "first", "told", "obtained", "reports", "perhaps",
          "the", "its", "their", "during", "amid", "against", "over", "protests", "raid", "operation", "drew", "of",
          "through", "until", "part", "as", "have", "begun", "scheduled", "officials", "sources", "federal", "spokesman"]
_CASED = st.sampled_from(_WORDS).flatmap(lambda w: st.sampled_from([w, w.upper(), w.capitalize()]))
_TEXTS = st.lists(st.tuples(_CASED, st.sampled_from([" ", "  ", ", ", ". ", "-", ""])), max_size=25).map(
    lambda ws: "".join(w + sep for w, sep in ws))


def _profile_expr() -> re.Pattern[str]:
    return figures._vocab(load_profile()).expr


def _found(p: re.Pattern[str], text: str, a: int, b: int) -> list[list[tuple[int, int]]]:
    return [[m.span(g) for g in range(p.groups + 1)] for m in p.finditer(text, a, b)]


_CASE_BLIND = [events._CLAUSE_RE, dates._LINKED_RE, events._ATTR_RE, events._NEG_RE, events._PEOPLE_BEFORE_RE, None,
               *(f"cue:{name}" for name in ("planned", "threatened", "denied", "report")),
               "fig:predicate", "fig:capacity", "fig:before", pagelines.CAPTION_CUE_RE,
               events._DEFINITE_RE, events._NOT_IN_NP_RE, events._RELATIVE_THAT_RE, events._DURING_RE,
               events._PARTICIPANT_RE, events._TOPIC_RE, events._PREP_DEF_RE, events._SPAN_END_RE, events._PART_OF_RE,
               events._ONSET_RE, events._FUTURE_RE, events._SOURCE_WORDS_RE]


@pytest.mark.parametrize("pattern", _CASE_BLIND, ids=["clauses", "linked", "attribution", "negation", "those", "figures",
                                                      "planned", "threatened", "denied", "report",
                                                      "predicate", "capacity", "verb-before", "caption",
                                                      "definite", "not-in-np", "relative-that", "during",
                                                      "participant", "topic", "prep-definite", "span-end", "part-of",
                                                      "onset", "future", "source-words"])
@settings(max_examples=150, deadline=None)
@given(text=_TEXTS, cut=st.tuples(st.integers(0, 20), st.integers(0, 20)))
def test_lowered_pattern_finds_the_same_spans_and_groups(pattern, text, cut):
    if isinstance(pattern, str) and pattern.startswith("fig:"):
        v = figures._vocab(load_profile())
        pattern = v.before[0][0] if pattern == "fig:before" else getattr(v, pattern[4:])
    elif isinstance(pattern, str):
        pattern = load_profile().event_cues[pattern.removeprefix("cue:")]
    pattern = pattern or _profile_expr()
    low = for_lowered(pattern)
    assert low is not None and not low.flags & re.IGNORECASE
    a, b = min(cut[0], len(text)), max(len(text) - cut[1], 0)
    assert _found(low, ascii_lowered(text), a, b) == _found(pattern, text, a, b)


@pytest.mark.parametrize("which", ["attribution", "report"])
@settings(max_examples=150, deadline=None)
@given(text=_TEXTS, cut=st.tuples(st.integers(0, 20), st.integers(0, 20)))
def test_word_patterns_of_the_event_cues_find_the_same_spans_and_groups(which, text, cut):
    # the event finder looks these up in the lowered text's index of word starts, a sentence at a time
    low_pat = events._ATTR_LOWER if which == "attribution" else for_lowered(load_profile().event_cues["report"])
    words = events._words(low_pat)
    assert not isinstance(words, re.Pattern)
    low = ascii_lowered(text)
    a, b = min(cut[0], len(text)), max(len(text) - cut[1], 0)
    got = [[m.span(g) for g in range(low_pat.groups + 1)] for m in words.finditer(low, a, b)]
    assert got == _found(low_pat, low, a, b)


def test_patterns_that_need_the_flag_are_refused():
    # a case-sensitive pattern is no case-blind one: "Might" must stay unmatched by "\bmight\b"
    assert for_lowered(re.compile(r"\bmight\b")) is None
    # capitals standing for themselves are lowered; those whose lowering could change the matches refuse
    assert for_lowered(re.compile(r"\b(?P<Who>Getty Images|via AP)\b", re.I)).pattern == r"\b(?P<Who>getty images|via ap)\b"
    for p in (r"[A-Z]\w+ said", r"(?-i:ICE) agents", r"\x41P", r"(?x) AP # wire"):
        assert for_lowered(re.compile(p, re.I)) is None, p
    assert events._NEG_LOWER is not None and events._PEOPLE_BEFORE_LOWER is not None
    assert events._ATTR_LOWER is not events._ATTR_RE
    # a capital or a non-ASCII letter outside an escape only matches as written with IGNORECASE
    assert for_lowered(re.compile(r"\bcafé\b", re.I)) is None
    # escapes (\S, \W, \B, \D) and group names are not letters of the text
    assert for_lowered(re.compile(r"(?P<x>\S+)\W\B\D", re.I)) is not None
    assert ascii_lowered("ÉTÉ IN Québec") == "ÉtÉ in québec"  # same length, same offsets


def test_figures_found_whatever_the_case_of_their_words():
    text = "MORE THAN 40 nurses were detained in Duluth. Between Two and Five Million Dollars went missing."
    figs = extract_figures(text, split_sentences(text), load_profile())
    got = [(text[f.start : f.end], f.value) for f in figs]
    assert got[0] == ("MORE THAN 40 nurses", 40) and figs[0].approx
    assert got[1][0].startswith("Between Two and Five Million")


@settings(max_examples=500, deadline=None)
@given(st.text() | st.text(alphabet=st.characters(codec="utf-8")) | st.just("ÀÉ İK ſ “Quoted” \ud800 ABC"))
def test_ascii_lowered_lowers_only_ascii_letters(text):
    expected = "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)
    assert ascii_lowered.__wrapped__(text) == expected
