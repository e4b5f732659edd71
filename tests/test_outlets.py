"""An article's outlet and title from its own lines and its URL, on texts written here, with a
registry of our own outlets; every value found in the text states its span."""

from __future__ import annotations

import pytest

from eventledger.outlets import OutletRegistry, name_article, outlet_registry
from eventledger.profile import Outlet, load_profile

REGISTRY = OutletRegistry([
    Outlet("The Prairie Ledger", ("Prairie Ledger", "PL"), ("prairieledger.example",), "Prairie Media Co.", "local"),
    Outlet("Coastal Wire Service", ("CWS", "Coastal Wire"), ("coastalwire.example",), None, "wire"),
    Outlet("Daily Roundup", (), ("dailyroundup.example",), None, "aggregator"),
    Outlet("Mountain Public Radio", ("MPR News",), ("mountainradio.example",), None, "local"),
])

STORY = ("Federal agents detained 14 workers at a meatpacking plant on Tuesday, according to a "
         "statement from the agency, and the company said it was cooperating with investigators.\n")


def check_spans(text, found):
    if found.outlet_start is not None:
        words = text[found.outlet_start:found.outlet_end]
        assert found.outlet == words or REGISTRY.by_name(words).name == found.outlet
    if found.title is not None:
        assert text[found.title_start:found.title_end] == found.title


@pytest.mark.parametrize("head, outlet, basis", [
    # a byline that ends with the outlet: a registry name, a name with "The", a name whose
    # first word is no given name
    ("By Marta Lindqvist, The Prairie Ledger", "The Prairie Ledger", "byline"),
    ("By Marta Lindqvist and Oren Pike, Prairie Ledger", "The Prairie Ledger", "byline"),
    ("By Marta Lindqvist, The Harbor Sentinel", "The Harbor Sentinel", "byline"),
    ("By Oren Pike, Tacoma Evening Star", "Tacoma Evening Star", "byline"),
    ("By Oren Pike for Coastal Wire", "Coastal Wire Service", "byline"),
    ("By Oren Pike | Tacoma Evening Star | March 3, 2024", "Tacoma Evening Star", "byline"),
    # "Outlet | By Name" and staff lines
    ("Mountain Public Radio | By Henrik Osei | Oct. 2, 2024", "Mountain Public Radio", "parts"),
    ("Harbor Sentinel Staff", "Harbor Sentinel", "staff"),
    ("PL Staff Writer Oren Pike", "The Prairie Ledger", "staff"),
    # wire datelines and opening credits
    ("BOISE, Idaho (CWS) — " + STORY, "Coastal Wire Service", "dateline"),
    ("(Reuters) - " + STORY, "Reuters", "dateline"),
    ("(Oren Pike, The Harbor Sentinel) " + STORY, "The Harbor Sentinel", "dateline"),
    ("This story was originally published by Tacoma Evening Star.", "Tacoma Evening Star", "republished"),
])
def test_outlet_from_the_text(head, outlet, basis):
    text = "Sheriff Says Raid at Plant Caught Workers by Surprise\n\n" + head + "\n\n" + STORY
    found = name_article(text, REGISTRY)
    assert (found.outlet, found.outlet_basis) == (outlet, basis)
    check_spans(text, found)


@pytest.mark.parametrize("head", [
    "By Marta Lindqvist and Oren Pike",  # two writers, no outlet
    "By Marta Lindqvist, Oren Pike and Jamal Reyes",  # the last part is a writer: "Jamal" is a given name
    "By Marta Lindqvist | March 3, 2024",
    "BOISE, Idaho — " + STORY,  # a dateline without a wire tag
])
def test_no_outlet_when_the_text_names_none(head):
    text = "Sheriff Says Raid at Plant Caught Workers by Surprise\n\n" + head + "\n\n" + STORY
    assert name_article(text, REGISTRY).outlet is None


def test_registry_details_travel_with_the_name():
    found = name_article("By Oren Pike, PL\n\n" + STORY, REGISTRY)
    assert (found.outlet, found.outlet_kind, found.outlet_owner) == ("The Prairie Ledger", "local", "Prairie Media Co.")
    unknown = name_article("By Oren Pike, Tacoma Evening Star\n\n" + STORY, REGISTRY)
    assert (unknown.outlet_kind, unknown.outlet_owner) == (None, None)


@pytest.mark.parametrize("url, outlet, kind", [
    ("https://www.prairieledger.example/news/2024/03/raid", "The Prairie Ledger", "local"),
    ("https://live.coastalwire.example/a/1", "Coastal Wire Service", "wire"),  # a subdomain
    ("prairieledger.example/x", "The Prairie Ledger", "local"),
    ("https://unknown-news.example/story/1", "unknown-news.example", None),  # the host itself
])
def test_outlet_from_the_url(url, outlet, kind):
    found = name_article(STORY, REGISTRY, url=url)
    assert (found.outlet, found.outlet_kind, found.outlet_basis) == (outlet, kind, "url")
    assert found.outlet_start is None


def test_url_and_text_together():
    text = "BOISE, Idaho (CWS) — " + STORY
    # a publisher's own page: the publisher, whatever wire copy it runs
    assert name_article(text, REGISTRY, url="https://prairieledger.example/a").outlet == "The Prairie Ledger"
    # an aggregator's page: the outlet its text names
    assert name_article(text, REGISTRY, url="https://dailyroundup.example/a").outlet == "Coastal Wire Service"
    # an aggregator's page whose text names no one: the aggregator
    assert name_article(STORY, REGISTRY, url="https://dailyroundup.example/a").outlet == "Daily Roundup"


@pytest.mark.parametrize("text, title", [
    ("Sheriff Says Raid at Plant Caught Workers by Surprise\n\nBy Oren Pike\n\n" + STORY,
     "Sheriff Says Raid at Plant Caught Workers by Surprise"),
    # a headline in sentence case, after a caption and a stamp
    ("Workers line up outside the plant on Tuesday. (Photo by Ana Ruiz/Getty Images)\nPosted March 3, 2024 4:10 PM\n"
     "Agents detain 14 at Boise meatpacking plant\n" + STORY, "Agents detain 14 at Boise meatpacking plant"),
    # a site menu above the headline is skipped
    ("Listen Live\nSections\nWeather\nSports\n\nCounty moves to end jail contract with ICE in Boise\n\n" + STORY,
     "County moves to end jail contract with ICE in Boise"),
    # an abbreviation may end a headline
    ("Hundreds March Against Detentions on Grand Ave.\n\n" + STORY, "Hundreds March Against Detentions on Grand Ave."),
    # a head that repeats its headline
    ("Banner image of the river\n\nCouncil Votes to Limit Police Role in Raids\n\nCouncil Votes to Limit Police Role "
     "in Raids\n\n" + STORY, "Council Votes to Limit Police Role in Raids"),
    # a title that ends with a registry outlet: the outlet is cut off
    ("Agents detain 14 at Boise meatpacking plant | The Prairie Ledger\n\n" + STORY,
     "Agents detain 14 at Boise meatpacking plant"),
    # no headline: the story starts at once
    (STORY, None),
    # a sentence wrapped over two lines is no headline
    ("Federal agents and state troopers in Idaho\narrested 14 people at a plant on Tuesday, officials said.\n", None),
    # a deck sentence that ends with a quotation is story text
    ("The mayor said the raids would \u201cnot make anyone safer.\u201d\n" + STORY, None),
])
def test_title_from_the_first_headline_line(text, title):
    found = name_article(text, REGISTRY)
    assert found.title == title
    check_spans(text, found)


def test_title_tail_names_the_outlet():
    text = "Agents detain 14 at Boise meatpacking plant | The Prairie Ledger\n\n" + STORY
    found = name_article(text, REGISTRY)
    assert (found.outlet, found.outlet_basis) == ("The Prairie Ledger", "title")
    check_spans(text, found)
    # an unknown tail is kept in the title: it may be a place
    text2 = "Agents detain 14 at meatpacking plant - Boise\n\n" + STORY
    assert name_article(text2, REGISTRY).title == "Agents detain 14 at meatpacking plant - Boise"


def test_shipped_registry_names_wire_outlets():
    reg = outlet_registry(load_profile())
    found = name_article("SPOKANE, Wash. (AP) — " + STORY, reg)
    assert (found.outlet, found.outlet_kind) == ("The Associated Press", "wire")
    assert reg.by_url("https://edition.cnn.com/2024/01/01/us/x").name == "CNN"


def test_every_corpus_text_gives_spans_that_state_what_was_found():
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    files = sorted(corpus.glob("*/*.txt"))
    if not files:
        pytest.skip(f"corpus not found at {corpus}")
    reg = outlet_registry(load_profile())
    for f in files:
        text = f.read_text(encoding="utf-8")
        found = name_article(text, reg)
        if found.title is not None:
            assert text[found.title_start:found.title_end] == found.title, f.name
            assert "\n" not in found.title
        if found.outlet_start is not None:
            words = text[found.outlet_start:found.outlet_end]
            assert found.outlet in (words, getattr(reg.by_name(words), "name", None)), f.name


# ---- wired into document extraction (issue 11): the pipeline's document record -------------------

def _doc(run_raw, text: str, **raw):  # type: ignore[no-untyped-def]
    return run_raw(text, **raw).document


@pytest.fixture(scope="module")
def run_raw():  # type: ignore[no-untyped-def]
    import hashlib

    from eventledger.pipeline import process
    from eventledger.records import RawDocument
    from eventledger.settings import Settings

    profile = load_profile()

    def _run(text: str, url: str | None = None, outlet: str | None = None, title: str | None = None):
        data = text.encode("utf-8")
        raw = RawDocument(id=hashlib.sha256(data).hexdigest(), source="mine.txt", text=text, raw=data, url=url,
                          outlet=outlet, title=title)
        return process(raw, profile, Settings())

    return _run


def _spans_state(doc) -> None:  # type: ignore[no-untyped-def]
    for sp in (doc.title_span, doc.outlet_span):
        if sp is not None:
            assert doc.text[sp.start:sp.end] == sp.text
    if doc.title_span is not None:
        assert doc.title_span.text == doc.title


def test_a_republished_note_names_the_outlet_with_its_span(run_raw):
    text = ("Sheriff Says Raid at Plant Caught Workers by Surprise\n\n" + STORY +
            "\nThis story was originally published by Tacoma Evening Star.\n")
    doc = _doc(run_raw, text)
    assert doc.outlet == "Tacoma Evening Star" and doc.outlet_basis == "republished"
    assert doc.outlet_span is not None and doc.outlet_span.text == "Tacoma Evening Star"
    assert doc.title == "Sheriff Says Raid at Plant Caught Workers by Surprise" and doc.title_span.start == 0
    _spans_state(doc)


def test_a_wire_dateline_names_the_registry_outlet(run_raw):
    text = "County Jail Contract Ends After Protests\n\nBOISE, Idaho (AP) — " + STORY
    doc = _doc(run_raw, text)
    assert doc.outlet == "The Associated Press" and doc.outlet_span.text == "AP"
    _spans_state(doc)


def test_the_url_names_the_outlet_when_the_text_does_not(run_raw):
    doc = _doc(run_raw, "County Jail Contract Ends After Protests\n\n" + STORY, url="https://www.apnews.com/article/x")
    assert doc.outlet == "The Associated Press" and doc.outlet_basis == "url" and doc.outlet_span is None
    unknown = _doc(run_raw, "County Jail Contract Ends After Protests\n\n" + STORY, url="https://news.example-daily.org/a")
    assert unknown.outlet == "news.example-daily.org" and unknown.outlet_basis == "url"


def test_what_the_container_says_comes_first(run_raw):
    text = "County Jail Contract Ends After Protests\n\nBOISE, Idaho (AP) — " + STORY
    doc = _doc(run_raw, text, outlet="Idaho Capital Sun", title="A title from the page's metadata")
    assert doc.outlet == "Idaho Capital Sun" and doc.outlet_basis == "metadata" and doc.outlet_span is None
    assert doc.title == "A title from the page's metadata" and doc.title_span is None


def test_no_outlet_is_invented(run_raw):
    doc = _doc(run_raw, "County Jail Contract Ends After Protests\n\n" + STORY)
    assert doc.outlet is None and doc.outlet_basis is None and doc.outlet_span is None


def test_the_record_carries_the_spans(run_raw):
    text = "County Jail Contract Ends After Protests\n\nBOISE, Idaho (AP) — " + STORY
    d = run_raw(text).to_dict()["document"]
    assert d["outlet_basis"] == "dateline" and d["outlet_span"]["text"] == "AP"
    assert d["title_span"] == {"start": 0, "end": len("County Jail Contract Ends After Protests"),
                               "text": "County Jail Contract Ends After Protests"}


@pytest.mark.parametrize("head", ["By Marta Lindqvist, Staff Writer", "By Oren Pike, Senior Correspondent",
                                  "By Oren Pike, Contributing Photographer"])
def test_a_byline_ending_with_the_writers_job_names_no_outlet(head):
    # the profile's role nouns say what a writer is; the job is not where the story appeared
    text = "Sheriff Says Raid at Plant Caught Workers by Surprise\n\n" + head + "\n\n" + STORY
    assert name_article(text, outlet_registry(load_profile())).outlet is None
    assert name_article(text.replace(head, "By Oren Pike, Tacoma Evening Star"),
                        outlet_registry(load_profile())).outlet == "Tacoma Evening Star"
