"""extract_document: metadata from the container first, else from the text; non-story spans excluded."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest

from eventledger.extract.document import extract_document
from eventledger.ingest import read_inputs
from eventledger.normalise import normalise
from eventledger.records import RawDocument

BODY = ("Federal agents arrested 40 people in a raid on a construction site in Denver on Tuesday, officials said, "
        "and more arrests are expected.\n\nThe mayor condemned the operation.")


def make_raw(text: str) -> RawDocument:
    data = text.encode("utf-8")
    return RawDocument(id=hashlib.sha256(data).hexdigest(), source="test.txt", text=text, raw=data)


def meta(text: str, profile, raw: RawDocument | None = None):
    text = normalise(text)
    m = extract_document(raw or make_raw(text), text, hashlib.sha256(text.encode()).hexdigest(), profile)
    for x in m.excluded:
        assert text[x.start:x.end] == x.text
    return m


def excluded_texts(m) -> list[str]:
    return [x.text for x in m.excluded]


# ---- hand-written rows ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "published", "basis"), [
    ("Raids spread\n2:01 PM – Sunday, February 9, 2025\n\n" + BODY, "2025-02-09", "dateline"),
    ("Border Patrol winds down operation\nPosted Nov 20, 2025 1:16 PM CST\n" + BODY, "2025-11-20", "dateline"),
    ("Justice Department sues\n\nby Alexandra Agraz | Jul 03, 2025\n" + BODY, "2025-07-03", "dateline"),
    (" date 2025-09-20 " + BODY, "2025-09-20", "dateline"),
    ("Agents sweep car washes\nPublished June 10, 2025\n" + BODY, "2025-06-10", "dateline"),
    ("Agents sweep car washes\nPosted: Jun 10, 2025 / 08:12 AM PDT\n" + BODY, "2025-06-10", "dateline"),
    ("Agents sweep car washes\nWednesday, June 11, 2025\n" + BODY, "2025-06-11", "dateline"),
    ("Agents sweep\nUpdated June 12, 2025\nPublished June 10, 2025\n" + BODY, "2025-06-10", "dateline"),
    ("Agents sweep car washes\nUpdated 3:45 PM EDT, June 12, 2025\n" + BODY, "2025-06-12", "dateline"),
    ("Raids\nJune 10, 2025, 3:04 PM PDT / Updated June 11, 2025, 9:00 AM PDT\n" + BODY, "2025-06-10", "dateline"),
    ("Raids in Denver\nBy Jane Doe\n\nUpdated on: June 10, 2025 / 8:00 PM EDT / CBS Colorado\n\n" + BODY,
     "2025-06-10", "dateline"),
    ("Raids in Denver\n2025-06-10T08:00:00Z\n" + BODY, "2025-06-10", "dateline"),
    ("Raids in Denver\nJune 10, 2025 3 PM PT\n" + BODY, "2025-06-10", "dateline"),
    # inferred: the latest month the story names, never a day from a weekday alone
    ("Officials plan sweeps\n\nA February 2026 analysis found losses; the July 2025 directive stands. " + BODY,
     "2026-02", "inferred"),
    ("Raid planned\n\nAgents plan raids before the end of February 2025. " + BODY, "2025-02", "inferred"),
    ("Sweeps\n\nThe program will run until March 2027. A report from May 2025 found arrests doubled.", "2025-05", "inferred"),
    ("Agents raided a farm on Monday.\n\nThe union protested on Wednesday.", None, None),
    (BODY, None, None),
])
def test_publication_date(profile, text, published, basis):
    d = meta(text, profile).document
    assert (d.published, d.published_basis) == (published, basis)


HEAD = "Federal agents raid car washes across the county\n"


@pytest.mark.parametrize(("head", "published", "bylines", "excluded"), [
    ("By Ted Hesson and Kristina Cooke\nJune 9, 2025 10:50 PM PDT Updated 2 days ago\n",
     "2025-06-09", ["Ted Hesson", "Kristina Cooke"], ["June 9, 2025 10:50 PM PDT Updated 2 days ago"]),
    ("Maanvi Singh in Los Angeles\nMon 9 Jun 2025 01.04 BST\n", "2025-06-09", ["Maanvi Singh"],
     ["Maanvi Singh in Los Angeles", "Mon 9 Jun 2025 01.04 BST"]),
    ("June 9, 20255:00 AM ET\n", "2025-06-09", [], ["June 9, 20255:00 AM ET"]),
    ("By Jane Doe • Published June 10, 2025 • Updated on June 11, 2025 at 9:00 am\n", "2025-06-10", ["Jane Doe"], []),
    ("Jane Doe\nJun 10, 2025 - Politics & Policy\n", "2025-06-10", ["Jane Doe"], ["Jane Doe", "Jun 10, 2025 - Politics & Policy"]),
    ("By Jane Doe, CNN\n4 minute read\nUpdated 8:27 PM EDT, Mon June 9, 2025\n", "2025-06-09", ["Jane Doe"], ["4 minute read"]),
    ("By Jane Doe\nReporting from Los Angeles\nJune 10, 2025\n", "2025-06-10", ["Jane Doe"], ["Reporting from Los Angeles"]),
    ("By The Associated Press\nJune 10, 2025\n", "2025-06-10", [], ["By The Associated Press"]),
    ("From staff reports\n", None, [], ["From staff reports"]),
    ("Jane Doe, The Texas Tribune\nJune 10, 2025\n", "2025-06-10", ["Jane Doe"], ["Jane Doe, The Texas Tribune"]),
    ("JUNE 10, 2025\n", "2025-06-10", [], ["JUNE 10, 2025"]),
    ("Published on June 10, 2025 by Jane Doe\n", "2025-06-10", ["Jane Doe"], []),
    ("June 10, 2025 | Jane Doe\n", "2025-06-10", ["Jane Doe"], ["June 10, 2025 | Jane Doe"]),
    ("Jane Doe | June 10, 2025\n", "2025-06-10", ["Jane Doe"], []),
    ("June 10, 2025 by Jane Doe\n", "2025-06-10", ["Jane Doe"], []),
    ("By Jane Doe on June 10, 2025\n", "2025-06-10", ["Jane Doe"], ["By Jane Doe on June 10, 2025"]),
    ("Jane Doe, Staff Reporter | Jun 10, 2025\n", "2025-06-10", ["Jane Doe"], []),
    ("June 10, 2025 / 3:04 PM / CBS Colorado\n", "2025-06-10", [], ["June 10, 2025 / 3:04 PM / CBS Colorado"]),
    ("Los Angeles, June 10, 2025\n", "2025-06-10", [], []),  # a place, never a byline
    # not datelines (a sentence that starts with a date, a caption): only the month is inferred
    ("June 10, 2025 — the day agents came to Paramount and stayed for weeks\n", "2025-06", [], []),
    ("Protesters in Paramount, June 7, 2025 (Jane Doe/AP)\n", "2025-06", [], ["(Jane Doe/AP)"]),
])
def test_news_site_headers(profile, head, published, bylines, excluded):
    m = meta(HEAD + head + "\n" + BODY, profile)
    assert m.document.published == published
    assert m.document.published_basis == {10: "dateline", 7: "inferred", 0: None}[len(published or "")]
    assert list(m.document.bylines) == bylines
    assert m.document.title == HEAD.strip()
    for x in excluded:
        assert x in excluded_texts(m)
    assert not any("Federal agents arrested" in x for x in excluded_texts(m))


@pytest.mark.parametrize(("text", "published"), [
    ("LOS ANGELES, June 10 (Reuters) - Agents raided a car wash, weeks after the May 2025 sweeps began.", "2025-06-10"),
    ("PARAMOUNT, Calif., Jan 3 (Reuters) - Agents returned after the December 2024 raids.", "2025-01-03"),
    ("LOS ANGELES, June 10 (Reuters) - Agents raided a car wash.", None),  # no year anywhere: no day
])
def test_wire_dateline_day_with_the_year_the_story_names(profile, text, published):
    d = meta(text, profile).document
    assert d.published == published
    assert d.published_basis == ("inferred" if published else None)


LEAD = " Federal agents raided a car wash in the city and detained at least a dozen workers, officials said."


@pytest.mark.parametrize(("text", "published"), [
    ("June 10, 2025 —" + LEAD, "2025-06-10"),
    ("WASHINGTON, June 10, 2025 —" + LEAD, "2025-06-10"),
    ("DENVER (June 10, 2025) --" + LEAD, "2025-06-10"),
    ("WASHINGTON, D.C. — June 10, 2025 —" + LEAD, "2025-06-10"),
    ("June 10, 2025 — the day agents came to Paramount", "2025-06"),  # a headline, not a dateline
    ("On June 10, 2025 - agents came." + LEAD, "2025-06"),  # a sentence that opens with its event's date
])
def test_story_paragraph_opening_with_its_dateline(profile, text, published):
    m = meta(text, profile)
    assert m.document.published == published
    assert m.document.published_basis == ("dateline" if len(published) == 10 else "inferred")
    assert not m.excluded  # the dateline stays story text


def test_dateline_below_a_long_menu(profile):
    menu = "\n".join(f"Section {i}" for i in range(30))
    m = meta(menu + "\nPosted June 10, 2025\n\n" + BODY, profile)
    assert (m.document.published, m.document.published_basis) == ("2025-06-10", "dateline")


def test_caption_date_confirmed_by_the_story_gives_the_day(profile):
    text = ("Feds launch operation in New Orleans\n\n"
            "Border Patrol agents arrive at a store in Kenner, La., Wednesday, Dec. 3, 2025.\n\n"
            "The operation launched Wednesday morning (Dec. 3), the department announced today.")
    d = meta(text, profile).document
    assert (d.published, d.published_basis) == ("2025-12-03", "inferred")


def test_unconfirmed_caption_date_gives_only_the_month(profile):
    text = ("Feds launch operation\n\nAgents arrive at a store in Kenner, La., Wednesday, Dec. 3, 2025.\n\n"
            "The operation is expected to last for weeks, officials said.")
    assert meta(text, profile).document.published == "2025-12"


@pytest.mark.parametrize(("text", "bylines", "outlet"), [
    ("City braces for raids\n\nBy Jane Doe and John Roe\nJune 10, 2025\n\n" + BODY, ["Jane Doe", "John Roe"], None),
    ("OAN Staff Blake Wolf\n\n" + BODY, ["Blake Wolf"], "OAN"),
    # the outlet registry (outlets.jsonl) reads the byline's tail as the outlet it names
    ("Raids\nBy JANE DOE, Associated Press\n" + BODY, ["Jane Doe"], "The Associated Press"),
    ("Raids spread\nJane Doe | Staff Writer\n" + BODY, ["Jane Doe"], None),
    ("Raids spread\nBy Ana María de la Cruz\n" + BODY, ["Ana María de la Cruz"], None),
    ("EDITOR'S NOTE: Multimedia journalist Kristopher Gee spoke with a resident. Click the arrow above.\n" + BODY,
     ["Kristopher Gee"], None),
    (BODY + "\n\nCategories: News\nMorgan White\n\nWritten by:Morgan White All posts by the author\n\n"
     "Morgan White is the Lead Writer and Editorial Director at Bengali Media, driving its content.\n"
     "You can connect with Morgan on LinkedIn.\n\nLeave a reply", ["Morgan White"], "Bengali Media"),
    (BODY + "\n\nReporting by Ted Hesson and Kristina Cooke; Editing by Mary Jones", ["Ted Hesson", "Kristina Cooke"], None),
    ("Raids in Denver\nJane Doe\nJune 10, 2025\n\n" + BODY, ["Jane Doe"], None),
    ("Raids in Denver\nBy Jane Doe | June 10, 2025 | 5 min read\n" + BODY, ["Jane Doe"], None),
    ("Raids in Denver\nDenver Post\nJune 10, 2025\n\n" + BODY, [], None),
    ("By the numbers:\n" + BODY, [], None),
    ("By Monday, agents had left the city.\n" + BODY, [], None),
])
def test_bylines_and_outlet(profile, text, bylines, outlet):
    d = meta(text, profile).document
    assert list(d.bylines) == bylines
    assert d.outlet == outlet


@pytest.mark.parametrize(("text", "credit", "photographer"), [
    ("Cars line up at Dodger Stadium in Los Angeles. (Photo by ROBYN BECK/AFP via Getty Images)\n\n" + BODY,
     "(Photo by ROBYN BECK/AFP via Getty Images)", "Robyn Beck"),
    ("Agents look on in Charlotte, N.C. (AP Photo/Matt Kelley)\n\n" + BODY, "(AP Photo/Matt Kelley)", "Matt Kelley"),
    ("Supporters hold signs. Photo Source: Damian Dovarganes/AP via CNN\n\n" + BODY,
     "Photo Source: Damian Dovarganes/AP via CNN", "Damian Dovarganes"),
    ("Agents arrive at a store in Kenner, La.\nGerald Herbert\n/\nAP\n\n" + BODY, "Gerald Herbert\n/\nAP", "Gerald Herbert"),
    ("Gov. Tina Kotek arrives. (Thomas Patterson/Thomas Patterson)\n\n" + BODY,
     "(Thomas Patterson/Thomas Patterson)", "Thomas Patterson"),
    ("A man is detained in Paramount. REUTERS/Mike Blake\n\n" + BODY, "REUTERS/Mike Blake", "Mike Blake"),
    ("Agents stand guard. Credit: Jane Doe for The New York Times\n\n" + BODY,
     "Credit: Jane Doe for The New York Times", "Jane Doe"),
    ("Agents stand guard outside the center. (Courtesy of Jane Doe)\n\n" + BODY, "(Courtesy of Jane Doe)", "Jane Doe"),
])
def test_photo_credits_are_excluded_and_never_bylines(profile, text, credit, photographer):
    raw = replace(make_raw(normalise(text)), bylines=(photographer,))  # even a container that says so
    m = meta(text, profile, raw)
    assert credit in excluded_texts(m)
    assert photographer not in m.document.bylines
    caption = text.split(credit)[0].split("\n")[0]
    assert not any(caption[:20] in x for x in excluded_texts(m)), "caption text stays story text"


@pytest.mark.parametrize("line", [
    "Stay informed! Receive breaking news blasts directly to your inbox for free. Subscribe here. https://www.oann.com/alerts",
    "Share this post!", "Advertisement", "Advertisements below", "Leave a reply", "Categories: News",
    "Sign up for our newsletter to get the latest news in your inbox.", "Copyright 2025 The Associated Press. All rights reserved.",
])
def test_promos_and_prompts_are_excluded(profile, line):
    m = meta(BODY + "\n\n" + line + "\n\nThe council meets again on Friday.", profile)
    assert line in excluded_texts(m)
    assert not any("Federal agents arrested" in x for x in excluded_texts(m))


@pytest.mark.parametrize(("text", "title"), [
    ("US |\n\nBorder Patrol Winds Down Charlotte Operation\n\nNew Orleans expected to be next target\n" + BODY,
     "Border Patrol Winds Down Charlotte Operation"),
    ("NEWS\n\nJudge Sides With Oregon, Blocks Deployment\n\n" + BODY, "Judge Sides With Oregon, Blocks Deployment"),
    ("Station header graphic\nPlay Live Radio\nNext Up:\n0:00\nAvailable On Air Stations\nLocal Newscast\n\n"
     "Feds announce launch of immigration operation\n\n" + BODY, "Feds announce launch of immigration operation"),
    ("Dusk view of the downtown skyline with police barricades\n\nMayors Urge Halt to Raids\n\n" + BODY,
     "Mayors Urge Halt to Raids"),
    ("As enforcement intensifies, the city redraws the line between its power and federal authority.\n" + BODY, None),
    (BODY, None),
])
def test_title_from_a_headline_like_first_line(profile, text, title):
    m = meta(text, profile)
    assert m.document.title == title
    if title:
        assert not any(title in x for x in excluded_texts(m))


def test_site_furniture_above_the_headline_is_excluded(profile):
    m = meta("Station header graphic\nPlay Live Radio\nNext Up:\n0:00\n\nFeds announce launch of operation\n\n" + BODY,
             profile)
    assert {"Station header graphic", "Play Live Radio", "Next Up:", "0:00"} <= set(excluded_texts(m))


def test_container_metadata_comes_first(profile):
    text = "Raids spread\nBy Jane Doe\nPosted Nov 20, 2025\n\n" + BODY
    raw = replace(make_raw(text), title="Container title", outlet="Container News", bylines=("Ann Lee",),
                  published="2025-11-19", published_basis="metadata", url="https://news.example/x")
    d = meta(text, profile, raw).document
    assert (d.title, d.outlet, d.bylines, d.published, d.published_basis, d.url) == (
        "Container title", "Container News", ("Ann Lee",), "2025-11-19", "metadata", "https://news.example/x")


# ---- the corpus --------------------------------------------------------------------------------

PHOTOGRAPHERS = {"Robyn Beck", "ROBYN BECK", "Matt Kelley", "Damian Dovarganes", "Gerald Herbert", "Thomas Patterson"}


@pytest.fixture(scope="module")
def corpus_meta(corpus, profile):
    out = {}
    for raw in read_inputs([str(corpus / "seeds"), str(corpus / "dev")]):
        assert isinstance(raw, RawDocument), raw
        stem = raw.source.rsplit("/", 1)[-1].removesuffix(".txt")
        out[stem[:3] if stem[0].isdigit() else stem] = meta(raw.text, profile, raw)
    return out


def _gold(corpus, key: str) -> dict:
    folder = corpus / ("dev" if key.startswith("d") else "seeds-gold")
    return json.loads(next(folder.glob(f"{key}*.json")).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("key", "published", "basis"), [
    ("001", "2025-02-09", "dateline"),
    ("d01", "2025-09-20", "dateline"),
    ("d02", "2025-11-20", "dateline"),
    ("d03", "2025-12-03", "inferred"),
    ("d06", "2025-08-18", "dateline"),
    ("d08", "2025-07-03", "dateline"),
])
def test_corpus_published_where_the_text_states_it(corpus_meta, corpus, key, published, basis):
    d = corpus_meta[key].document
    assert (d.published, d.published_basis) == (published, basis)
    assert d.published == _gold(corpus, key)["published"]


@pytest.mark.parametrize(("key", "bylines", "outlet"), [
    ("001", ["Blake Wolf"], "OAN"),
    ("002", ["Morgan White"], "Bengali Media"),
    ("d07", ["Kristopher Gee"], None),
    ("d08", ["Alexandra Agraz"], None),
    ("000", [], None), ("003", [], None), ("004", [], None), ("d02", [], None), ("d04", [], None),
    # "originally published by": the outlet that wrote the story (the page's host is not in a .txt)
    ("d03", [], "Verite News"),
])
def test_corpus_bylines(corpus_meta, corpus, key, bylines, outlet):
    d = corpus_meta[key].document
    assert list(d.bylines) == bylines == _gold(corpus, key)["bylines"]
    assert d.outlet == outlet


def test_corpus_no_photographer_is_a_byline(corpus_meta):
    for key, m in corpus_meta.items():
        assert not PHOTOGRAPHERS & set(m.document.bylines), key


def test_corpus_dates_not_stated_are_inferred_or_null(corpus_meta):
    assert corpus_meta["000"].document.published == "2025-02"  # "before the end of February 2025"
    assert corpus_meta["004"].document.published == "2026-02"  # "A February 2026 analysis"
    for key in ("d04", "d05", "d07"):  # weekdays only: no day is made up
        assert corpus_meta[key].document.published is None


def test_corpus_published_accuracy(corpus_meta, corpus):
    stated = {k for k in corpus_meta if _gold(corpus, k).get("published")}
    right = {k for k in stated if corpus_meta[k].document.published == _gold(corpus, k)["published"]}
    assert right >= {"001", "d01", "d02", "d03", "d06", "d08"}


def test_corpus_excluded_spans(corpus_meta):
    ex = {k: [x.text for x in m.excluded] for k, m in corpus_meta.items()}
    assert "(Photo by ROBYN BECK/AFP via Getty Images)" in ex["001"]
    assert {"OAN Staff Blake Wolf", "2:01 PM – Sunday, February 9, 2025", "Share this post!"} <= set(ex["001"])
    assert "Leave a reply" in ex["002"] and any(x.startswith("Morgan White is the Lead Writer") for x in ex["002"])
    assert "Gerald Herbert\n/\nAP" in ex["d03"] and "Play Live Radio" in ex["d03"]
    assert "(Thomas Patterson/Thomas Patterson)" in ex["d04"]
    assert "by Alexandra Agraz | Jul 03, 2025" in ex["d08"] and "Photo Source: Damian Dovarganes/AP via CNN" in ex["d08"]
    # captions stay story text: the places they name count
    for key, words in (("001", "Dodger Stadium"), ("d03", "Kenner"), ("d04", "Tina Kotek"), ("d08", "sanctuary city")):
        m = corpus_meta[key]
        i = m.document.text.index(words)
        assert not any(x.start <= i < x.end for x in m.excluded), (key, words)
    # the story itself is never excluded
    for key, m in corpus_meta.items():
        assert sum(x.end - x.start for x in m.excluded) < len(m.document.text) * 0.3, key


@pytest.mark.parametrize("head", [
    "Oregon Public Broadcasting | By Conrad Wilson\nOctober 4, 2025\n",
    "By Conrad Wilson | Oregon Public Broadcasting\nOctober 4, 2025\n",
    "By Conrad Wilson, Oregon Public Broadcasting\nOctober 4, 2025\n",
])
def test_an_outlet_beside_the_byline_is_the_outlet_not_a_writer(profile, head):
    m = meta(HEAD + head + "\n" + BODY, profile)
    assert list(m.document.bylines) == ["Conrad Wilson"]
    assert m.document.outlet == "Oregon Public Broadcasting"
    assert m.document.published == "2025-10-04"


def test_a_writers_credit_opening_the_story_is_a_byline_not_story_text(profile):
    m = meta(HEAD + "(Ana Ruiz, The Valley Ledger) Federal agents arrested 12 people at a car wash in Yakima on "
             "Monday, officials said.\n", profile)
    assert list(m.document.bylines) == ["Ana Ruiz"]
    assert "(Ana Ruiz, The Valley Ledger)" in excluded_texts(m)


@pytest.mark.parametrize(("head", "published", "basis"), [
    ("June 12, 2025\n", "2025-06-12", "dateline"),  # the text's own day beats the URL's month
    ("", "2025-06", "metadata"),  # no stamp in the text: the URL's date stands
])
def test_a_date_read_off_the_url_yields_to_the_texts_own_dateline(profile, head, published, basis):
    text = normalise(HEAD + head + "\n" + BODY)
    raw = RawDocument(id="x", source="https://news.example/2025/06/story", text=text, raw=text.encode(),
                      url="https://news.example/2025/06/story", published="2025-06", published_basis="url")
    m = meta(text, profile, raw)
    assert (m.document.published, m.document.published_basis) == (published, basis)
