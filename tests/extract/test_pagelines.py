"""The page-line readers' shortcuts give what the plain patterns give: photo credits searched
only in the lines holding a needle, the author-bio cue, the year test before the date finder."""

from __future__ import annotations

import hashlib
import re

import pytest

from eventledger.extract import pagelines as pl
from eventledger.extract.document import extract_document
from eventledger.normalise import normalise
from eventledger.records import RawDocument

STORY = ("Sheriff's deputies in Tulsa detained 14 workers at a poultry plant on Friday, a spokesperson said.\n\n"
         "See the county's statement at https://example.org/news/2024/plant-statement for details.")

CREDIT_TEXTS = [
    # at the very start and at the very end of the text, without a final line break
    "(Photo by Ilse Marquardt/Tulsa World)\n" + STORY + "\nWorkers wait outside. Photo: Ilse Marquardt / Tulsa World",
    # two credits on one line, one of them after a URL's slashes
    "Pickets at https://example.org/a/b (Ilse Marquardt / Plains Ledger) and EPA/Ravi Okonkwo gather.\n\n" + STORY,
    # a credit led by a pipe, the agency after the name
    STORY + "\n\nA bus leaves the plant. Ravi Okonkwo | Reuters via Plains Ledger\nNext story",
    # an outlet's own photo credit, a courtesy credit and a credit line ending a caption
    "Plains Ledger Photo / Ravi Okonkwo\nA vigil in Wichita. (Courtesy of the Okonkwo family)\n"
    "Marchers fill the square. Credit: Ilse Marquardt\n\n" + STORY,
    # the name / slash / agency credit over three lines (matched over the whole text)
    "A vigil in Wichita.\nRavi Okonkwo\n/\nAP\n\n" + STORY,
    # slashes and pipes with no credit at all
    STORY + "\n\nRates rose 3/4 of a point | Markets | 10/12/24\nand/or more",
]


@pytest.mark.parametrize("text", CREDIT_TEXTS)
def test_credit_patterns_find_in_lines_what_they_find_in_the_whole_text(text):
    found = 0
    for rx in pl.CREDIT_RES:
        whole = [m.span() for m in rx.rx.finditer(text)]
        assert [m.span() for m in rx.finditer(text)] == whole, rx.pattern
        found += len(whole)
    assert found or "no credit" in text or "Rates rose" in text


def test_credit_patterns_found_in_lines_are_the_credits():
    text = CREDIT_TEXTS[1]
    spans = sorted({m.group() for rx in pl.CREDIT_RES for m in rx.finditer(text)})
    assert "(Ilse Marquardt / Plains Ledger)" in spans
    assert any(s.startswith("EPA/Ravi Okonkwo") for s in spans)


_BIO_PLAIN = re.compile(r"\bAll posts by the author\b", re.I)


@pytest.mark.parametrize("line", [
    "All posts by the author", "Hana Sato All posts by the author", "hana sato ALL POSTS BY THE AUTHOR.",
    "Hana SatoAll posts by the author", "_All posts by the author", "éall posts by the author",
    "All posts by the authors", "all posts by the author_", "See all posts by the author here",
    "Tall posts by the author", "nothing of the kind", "all posts by the",
])
def test_bio_cue_anywhere_is_the_plain_pattern(line):
    assert bool(pl.BIO_ANYWHERE_RE.search(line)) == bool(_BIO_PLAIN.search(line))


def test_bio_line_starts_the_tail(profile):
    text = normalise(STORY + "\n\nHana Sato\n\nWritten by: Hana Sato All posts by the author\n\n"
                     "Hana Sato is a reporter for the Plains Ledger covering labor.")
    m = extract_document(_raw(text), text, hashlib.sha256(text.encode()).hexdigest(), profile)
    assert list(m.document.bylines) == ["Hana Sato"]
    assert any("Hana Sato is a reporter" in x.text for x in m.excluded)


@pytest.mark.parametrize("line", [
    "Updated 3:15 PM CST", "Metro | Hana Sato", "Tuesday, Nov. 4", "5 min read", "Posted Nov. 4 by Hana Sato",
    "Tulsa, Okla. — Deputies detained 14 workers at a poultry plant on Friday, the sheriff said.",
])
def test_lines_without_a_year_hold_no_dateline(profile, line):
    assert pl.date_only(line, profile) is None
    assert pl.full_date(line) is None
    assert pl.lead_date(line) is None


def test_lines_with_a_year_are_still_read(profile):
    assert pl.date_only("Nov. 4, 2024, 3:15 PM CST | Hana Sato", profile) == ("2024-11-04", ["Hana Sato"])
    assert pl.date_only("NOVEMBER 4, 2024", profile) == ("2024-11-04", [])
    assert pl.full_date("Posted on Nov. 4, 2024 by Hana Sato") == "2024-11-04"
    assert pl.lead_date("TULSA, Okla., Nov. 4, 2024 — Deputies detained 14 workers at a poultry plant "
                        "on Friday, the sheriff said.") == "2024-11-04"
    # the year past the 90th character is not the dateline's
    assert pl.lead_date("Deputies in Tulsa County detained fourteen workers at a poultry plant on the edge "
                        "of town, Nov. 4, 2024 — and more.") is None


def _raw(text: str) -> RawDocument:
    data = text.encode("utf-8")
    return RawDocument(id=hashlib.sha256(data).hexdigest(), source="t.txt", text=text, raw=data)


def _published(text: str, profile) -> tuple[str | None, str | None]:
    text = normalise(text)
    d = extract_document(_raw(text), text, hashlib.sha256(text.encode()).hexdigest(), profile).document
    return d.published, d.published_basis


def test_a_caption_does_not_confirm_the_dated_caption(profile):
    # the second caption says "(Nov. 5)" but captions are not story: only the month is inferred
    head = ("Deputies raid plant\n\nWorkers wait outside the plant in Tulsa, Okla., Wednesday, Nov. 5, 2025.\n"
            "A photo of the gate (Nov. 5) by the county.\n\n")
    assert _published(head + "Deputies detained 14 workers, the sheriff said.", profile) == ("2025-11", "inferred")
    # the story saying it gives the day
    assert _published(head + "Deputies detained 14 workers on Wednesday (Nov. 5), the sheriff said.",
                      profile) == ("2025-11-05", "inferred")


@pytest.mark.parametrize("line", [
    "Plains Ledger Staff", "Plains Ledger Staff Writer Hana Sato", "By Hana Sato, Plains Ledger staff writer",
    "Hana Sato | Plains Ledger Staff", "Hana Sato, Senior Correspondent", "Ravi Okonkwo - Contributing Writer",
    "Hana Sato", "Staffers at the plant in Tulsa walked out", "Writers gathered in Wichita", "",
])
def test_line_patterns_behind_a_needle_match_as_the_pattern(line):
    for rx in (pl.STAFF_RE, pl.STAFF_AFTER_RE, pl.ROLE_RE):
        got, plain = rx.match(line), rx.rx.match(line)
        assert (got and got.span()) == (plain and plain.span()), (rx.pattern, line)
    assert pl.STAFF_RE.match("Plains Ledger Staff Writer Hana Sato").group("names") == "Hana Sato"
    assert pl.ROLE_RE.match("Hana Sato, Senior Correspondent").group("names") == "Hana Sato"
