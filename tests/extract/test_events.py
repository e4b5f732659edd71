"""Events: type, mode and date from hand-written sentences, and the corpus floor."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize(
    ("text", "published", "type_", "mode", "date"),
    [
        ("Immigration agents raided a car wash in Pomona on Monday.", "2025-07-09", "COERCE", "seize", "2025-07-07"),
        ("Police arrested 14 people on Tuesday night near the federal building.", "2025-06-12", "COERCE", "arrest", "2025-06-10"),
        ("The mayor imposed a curfew on downtown Los Angeles on June 10, 2025.", "2025-06-12", "COERCE", "curfew", "2025-06-10"),
        ("About 300 National Guard troops were deployed to Chicago on Saturday.", "2025-10-06", "MOBILIZE", "troops", "2025-10-04"),
        ("Hundreds of protesters marched to City Hall on Sunday.", "2025-08-18", "PROTEST", "demo", "2025-08-17"),
        ("The state of Illinois sued the administration on Oct. 6 over the deployment.", "2025-10-08", "ACCUSE", "allege", "2025-10-06"),
        ("Federal officers fired tear gas at demonstrators on Friday evening.", "2025-09-20", "ASSAULT", "crowd-control", "2025-09-19"),
        ("An agent shot a man during a traffic stop last week.", "2025-09-20", "ASSAULT", "firearms", "2025-09"),
        ("The council adopted an ordinance barring city property from use in raids on Nov. 4.", "2025-11-05", "SANCTION", "discontinue", "2025-11-04"),
        ("Border Patrol agents departed the city on Thursday, officials said.", "2025-11-21", "RETREAT", "withdraw", "2025-11-20"),
    ],
)
def test_typed_and_dated(run, text, published, type_, mode, date):
    ext = run(text, published=published)
    got = [(e.type, e.mode, e.date) for e in ext.events]
    assert (type_, mode, date) in got, got


def test_negated_trigger_is_not_an_event(run):
    ext = run("The troops will not make arrests, the Guard said on Monday.", published="2025-08-18")
    assert not [e for e in ext.events if e.mode == "arrest"]


def test_a_possibility_is_not_an_event(run):
    ext = run("Officials said agents might return at a later date to continue the crackdown.", published="2025-11-20")
    assert not [e for e in ext.events if e.type == "COERCE"]
    ext = run("Agents continued the crackdown on Thursday.", published="2025-11-21")
    assert [e for e in ext.events if e.type == "COERCE"]


@pytest.mark.parametrize("text", [
    "The director told agents in January to aim for 1,200-1,400 arrests per day.",
    "Trump is angry that deportation numbers are not as high as he expected.",
    "That would amount to almost 500,000 deportations per year.",
])
def test_goals_and_statistics_are_not_events(run, text):
    assert run(text, published="2025-02-10").events == ()


def test_an_undated_look_back_is_not_dated_by_the_story(run):
    ext = run("Agents raided a depot on Friday.\n\nThe operation follows a series of high-profile sweeps in Illinois.",
              published="2025-09-20")
    assert [(e.type, e.date) for e in ext.events] == [("COERCE", "2025-09-19")]


def test_the_date_of_a_report_is_not_the_date_of_the_event(run):
    ext = run("An enforcement operation in New Orleans, first reported by the Associated Press last month, "
              "launched Wednesday morning.", published="2025-12-03")
    assert [(e.type, e.date) for e in ext.events] == [("COERCE", "2025-12-03")]


def test_undated_document_keeps_its_events_undated(run):
    """No anchor: "on Monday" cannot be resolved, so the events stay, with date null (spec: never a guess)."""
    ext = run("Agents raided a warehouse on Monday and arrested dozens of workers.")
    got = {(e.type, e.mode, e.date, e.date_basis) for e in ext.events}
    assert got == {("COERCE", "seize", None, None), ("COERCE", "arrest", None, None)}


def test_paragraph_date_carries_to_the_next_sentence(run):
    text = (
        "Immigration agents raided a swap meet in Santa Fe Springs on June 7, 2025.\n\n"
        "Protests erupted in Paramount on June 8, 2025. Later that night, officers fired tear gas at the crowd."
    )
    ext = run(text, published="2025-06-10")
    got = {(e.type, e.date) for e in ext.events}
    assert ("ASSAULT", "2025-06-08") in got
    assert ("COERCE", "2025-06-07") in got


def test_event_fields_link_to_entities_and_figures(run):
    ext = run("ICE agents arrested 42 people in Charlotte on Tuesday.", published="2025-11-20")
    (ev,) = [e for e in ext.events if e.type == "COERCE"]
    assert ev.place and ev.place.startswith("place:charlotte")
    assert "org:ice" in ev.actors
    text = ext.document.text
    assert text[ev.start : ev.end] == ev.text
    assert all(0 <= i < len(ext.figures) for i in ev.figures)


def test_corpus_event_floor(corpus, corpus_records):
    """Dated events against the gold (which holds only dated ones); undated events are counted
    apart: the corpus README's rule scores them as spurious (see the README of the project)."""
    tp = fp = fn = 0
    for name, ext in corpus_records.items():
        gdir = corpus / ("dev" if name.startswith("d") else "seeds-gold")
        gold = json.loads((gdir / f"{name}.json").read_text(encoding="utf-8"))["events"]
        used = set()
        for e in (e for e in ext.events if e.date):
            for i, g in enumerate(gold):
                same = e.date and (e.date == g["date"] if g["precision"] == "day" else e.date[:7] == g["date"][:7])
                if i not in used and e.type == g["type"] and same:
                    used.add(i)
                    break
        tp += len(used)
        fp += len([e for e in ext.events if e.date]) - len(used)
        fn += len(gold) - len(used)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    f1 = 2 * p * r / max(1e-9, p + r)
    assert f1 >= 0.60, f"events F1 {f1:.2f} (tp={tp} fp={fp} fn={fn})"


@pytest.mark.parametrize("text", [
    "Officials in Boise denied that agents had detained anyone",
    "The sheriff DENIED the raid took place", "Deputies might return to Fargo next week",
    "Agents Might return", "the county vowed to sue Ogden", "crews could", "no cue at all in this clause",
    "a quota of 300 arrests a day in Toledo", "the mayor warned of consequences",
])
def test_needle_gate_answers_as_the_search(text):
    # a stretch of text is searched only when it holds a string every match holds: the same answers
    from eventledger.extract.events import _MODAL_RE, _searched
    from eventledger.extract.tokens import ascii_lower

    from eventledger import load_profile

    cues = load_profile().event_cues
    for name in ("denied", "threatened", "planned"):
        assert _searched(cues[name], text, ascii_lower(text)) == bool(cues[name].search(text)), (name, text)
        assert _searched(cues[name], text) == bool(cues[name].search(text)), (name, text)
    assert _searched(_MODAL_RE, text) == bool(_MODAL_RE.search(text))


def test_source_words_keep_the_case_of_the_text(run):
    # the source words are found in the lowered text but read from the text itself
    ext = run("Federal Officials said agents arrested 12 people in Spokane on Monday.", "2025-03-05")
    ev = next(e for e in ext.events if e.mode == "arrest")
    assert ev.attributed_to == ("Federal Officials",)
