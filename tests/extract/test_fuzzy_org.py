"""fuzzy_org scores only the organization keys whose length can reach the cut-off: the answer
must be the one that scoring every key gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from eventledger.extract.names import name_model


def _edit(key: str, edits: list[tuple[int, int, str]]) -> str:
    s = list(key)
    for kind, at, ch in edits:
        if not s:
            break
        i = at % len(s)
        if kind == 0:
            s[i] = ch
        elif kind == 1:
            del s[i]
        else:
            s.insert(i, ch)
    return " ".join(sorted("".join(s).split()))


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.tuples(st.integers(0, 2), st.integers(0, 200), st.sampled_from("aeiorstx ")),
                                        max_size=6), st.sampled_from([90.0, 80.0]))
def test_the_keys_near_in_length_give_the_answer_of_all_keys(profile, pick, edits, cutoff):
    nm = name_model(profile)
    keys = nm._org_keys
    query = _edit(keys[pick % len(keys)], edits)
    if not query:
        return
    every = process.extractOne(query, keys, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff)
    near = process.extractOne(query, nm._org_keys_near(len(query), cutoff), scorer=fuzz.ratio, processor=None,
                              score_cutoff=cutoff)
    assert (every and every[:2]) == (near and near[:2])


def test_a_misspelt_organization_is_found_again_from_its_kept_answer(profile):
    nm = name_model(profile)
    first = nm.fuzzy_org("Department of Homland Security")
    assert first == nm.fuzzy_org("Department of Homland Security") == "org:dhs"
    assert nm.fuzzy_org("Department of Motor Security") != "org:dhs"
