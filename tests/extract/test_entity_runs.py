"""The entity finder's runs of capitalised words are read from tokens without the lower-case
words that no name holds: the runs must be those that every token gives."""

from __future__ import annotations

import hashlib

import pytest

from eventledger.extract.document import extract_document
from eventledger.extract.entities import _Finder
from eventledger.extract.sentences import split_sentences
from eventledger.extract.tokens import tokenize
from eventledger.normalise import normalise
from eventledger.records import RawDocument

_TEXTS = [
    "Deputies with the Harlow County Sheriff’s Office said about 250 Border Patrol agents reached Vesterby on Monday.",
    "Crowds gathered near 18 Quay Plaza, then marched past 3rd Street and the 41st Signal Brigade barracks.",
    "The mayor of Port Ellery met leaders of the Tamsin Valley Growers Union and of the Order of St. Brennan.",
    "Ana de la Fuente told the Lowmoor Gazette that the Bureau of Alcohol, Tobacco, Firearms and Explosives came too.",
    "Union officials in Castlebridge, Ohio, and Kestrel Falls said 120 Ranger volunteers had left; FOX 9 said 80.",
    "RAIDS IN BRANNOCK\nCity Council Member Odile Varga and Sen. Piet Ruud of Wexmoor spoke after the vote.",
    "Between 40 Federal Agents and reporters, mcAllister stood at the Eastgate Mall entrance with about 30 people.",
]


def _finder(text: str, profile) -> _Finder:
    text = normalise(text)
    data = text.encode()
    raw = RawDocument(id=hashlib.sha256(data).hexdigest(), source="runs.txt", text=text, raw=data)
    meta = extract_document(raw, text, hashlib.sha256(data).hexdigest(), profile)
    return _Finder(text, split_sentences(text), meta.document, meta.excluded, profile)


@pytest.mark.parametrize("text", _TEXTS)
def test_runs_from_the_kept_tokens_are_the_runs_of_all_tokens(profile, text):
    f = _finder(text, profile)
    runs = [[(t.start, t.text) for t in r] for r in f.runs()]
    assert f.lower_words == {t.norm for t in tokenize(f.text) if t.text[0].islower()}
    f.tokens = tokenize(f.text)  # no excluded span in these texts: every token
    assert runs == [[(t.start, t.text) for t in r] for r in f.runs()]


def test_a_number_after_a_left_out_word_opens_a_name(profile):
    # "about" is left out of the tokens; as a token it closed the run before it, so "250" may
    # open "250 Border Patrol" rather than end the run "Vesterby"
    f = _finder("Officials in Vesterby about 250 Border Patrol agents were seen.", profile)
    assert ["250", "Border", "Patrol"] in [[t.text for t in r] for r in f.runs()]
