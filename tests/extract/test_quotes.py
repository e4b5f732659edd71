"""Quotes and their speakers."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“We will not be intimidated by these raids,” Mayor Brandon Johnson said on Monday.", "person:brandon-johnson"),
        ("\"The agents had no warrant at all,\" said Rosa Alvarez, a volunteer with the group.", "person:rosa-alvarez"),
        ("Governor Gavin Newsom declared: “This deployment is illegal and we will fight it.”", "person:gavin-newsom"),
        ("Tom Homan spoke to reporters. “We are going to flood the zone,” he said.", "person:tom-homan"),
        ("U.S. District Judge Karin Immergut, a Trump appointee, wrote that the president's claims about violence "
         "at the facility were “simply untethered to the facts.”", "person:karin-immergut"),
    ],
)
def test_speaker_resolved(run, text, speaker):
    ext = run(text)
    assert ext.quotes, text
    assert ext.quotes[0].speaker == speaker, [(q.speaker, q.text) for q in ext.quotes]


def test_scare_quotes_are_not_quotes(run):
    ext = run("Officials called the city a “sanctuary” and the raid “large scale.”")
    assert ext.quotes == ()


def test_quote_spanning_paragraphs(run):
    text = (
        "“The first thing we saw was the trucks. They came from every direction.\n\n"
        "“Then the agents started pulling people out of cars,” said witness Ana Ruiz."
    )
    ext = run(text)
    (q,) = ext.quotes
    assert "trucks" in q.text and "pulling people" in q.text
    assert ext.document.text[q.start : q.end] == q.text
    assert q.speaker == "person:ana-ruiz"


def test_continued_quote_keeps_speaker(run):
    text = (
        "“This is a test of federal power over the states,” Bass said. “We will keep every city resource out of it.”"
    )
    ext = run(text)
    assert [q.speaker for q in ext.quotes] == ["person:karen-bass", "person:karen-bass"]


def test_a_speaker_carries_over_to_the_next_paragraph_only(run):
    """A quote without a speaker takes the previous quote's speaker within two line breaks,
    however far into a long text it stands (breaks are counted per quote, not per text)."""
    block = ("“The shelters are full tonight,” said Marta Okafor, who runs a clinic in Yakima.\n"
             "“We turned away nine families,” she added after a pause.\n\n"
             "Volunteers arrived from Spokane later that week.\n\n"
             "Several more lines of reporting followed here.\n\n"
             "“Nobody asked us first,” a sign at the gate read.\n\n")
    ext = run(block * 40)
    speakers = [q.speaker for q in ext.quotes]
    assert len(speakers) == 3 * 40
    assert speakers[:3] == ["person:marta-okafor", "person:marta-okafor", None]
    assert speakers == speakers[:3] * 40


def test_speech_verbs_found_whatever_their_case(run):
    # the speech verbs are matched on the ASCII-lowered text: capitals change nothing
    for said in ("said", "SAID", "Said"):
        ext = run(f"“We will not let agents into our schools without a warrant,” {said} Mayor Ines Okafor of Fresno.",
                  "2025-04-02")
        assert [q.speaker for q in ext.quotes] == ["person:ines-okafor"], said
