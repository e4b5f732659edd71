"""Headlines, labels and story titles from ledger event records written here (other cities,
other agencies, every date precision, missing actors and places), with the shipped words of
labels.toml and a small gazetteer of our own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from eventledger.headline import event_headline, event_label, say_date, say_date_range, story_title
from eventledger.profile import DEFAULT_PROFILE, load_profile

GAZETTEER = [
    {"id": "place:tulsa", "name": "Tulsa", "type": "city", "within": "place:oklahoma"},
    {"id": "place:oklahoma", "name": "Oklahoma", "type": "state"},
    {"id": "place:walmart-supercenter-tulsa", "name": "Walmart Supercenter", "type": "building",
     "within": "place:tulsa"},
    {"id": "place:gateway-yard", "name": "Gateway Rail Yard", "type": "station"},
    {"id": "place:east-side", "name": "East Side", "type": "neighborhood", "within": "place:tulsa"},
    {"id": "place:dock-7", "name": "Dock 7", "type": "port", "within": "place:terminal-island"},
    {"id": "place:terminal-island", "name": "Terminal Island", "type": "landmark", "within": "place:tulsa"},
]
ALIASES = [
    {"id": "org:fbi", "kind": "organization", "name": "Federal Bureau of Investigation", "aliases": ["FBI"]},
    {"id": "org:usms", "kind": "organization", "name": "United States Marshals Service",
     "aliases": ["USMS", "Marshals Service", "U.S. Marshals"]},
    {"id": "org:tenants-union", "kind": "organization", "name": "Tulsa Tenants Union"},
    {"id": "person:maria-okafor", "kind": "person", "name": "Maria Okafor", "aliases": ["Okafor"]},
]


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("profile")
    shutil.copy(DEFAULT_PROFILE / "labels.toml", d / "labels.toml")
    (d / "gazetteer.jsonl").write_text("\n".join(json.dumps(x) for x in GAZETTEER) + "\n", encoding="utf-8")
    (d / "aliases.jsonl").write_text("\n".join(json.dumps(x) for x in ALIASES) + "\n", encoding="utf-8")
    return load_profile(d)


def ev(type_="COERCE", mode="seize", date=None, precision=None, place=None, actors=(), reports=1, **kw):
    places = {p["id"]: p for p in GAZETTEER}
    names = {a["id"]: a for a in ALIASES}
    return {
        "id": kw.get("id", "ev-1"), "type": type_, "mode": mode, "date": date, "date_precision": precision,
        "place": {"id": place, "name": places[place]["name"] if place in places else place.split(":")[1].title(),
                  "lat": None, "lon": None} if place else None,
        "actors": [{"id": a, "name": names[a]["name"] if a in names else a, "kind": "organization"} for a in actors],
        "reports": [{"document_id": f"d{i}", "text": "", "start": 0, "end": 0} for i in range(reports)],
    }


@pytest.mark.parametrize("rec, expected", [
    # a site is the object of a verb that takes one, with the area it lies within
    (ev(date="2024-03-09", precision="day", place="place:walmart-supercenter-tulsa", actors=["org:fbi"]),
     "FBI raids Walmart Supercenter in Tulsa, March 9, 2024"),
    # a two-word name the agency goes by beats its acronym; two actors agree in the plural
    (ev(date="2024-03", precision="month", place="place:tulsa", actors=["org:usms", "org:fbi"]),
     "Marshals Service and FBI carry out raids in Tulsa, March 2024"),
    # a verb without a site form: the site follows "at"
    (ev(mode="arrest", date="2023", precision="year", place="place:gateway-yard", actors=["org:fbi"]),
     "FBI arrests people at Gateway Rail Yard, 2023"),
    # no actor: a noun phrase; no date: nothing said about the date
    (ev(mode="arrest", place="place:east-side"), "Arrests in East Side"),
    (ev(type_="MOBILIZE", mode="troops", date="2022-11-30", precision="day", place="place:tulsa"),
     "Troop deployment to Tulsa, November 30, 2022"),
    # no actor, no place
    (ev(type_="PROTEST", mode="demo", date="2021-07-04", precision="day"), "Protest, July 4, 2021"),
    (ev(type_="PROTEST", mode="demo"), "Protest"),
    # a person keeps the full name; the verb's first word takes the -es ending
    (ev(type_="COERCE", mode="curfew", date="2020-06-01", precision="day", place="place:tulsa",
        actors=["person:maria-okafor"]), "Maria Okafor imposes a curfew in Tulsa, June 1, 2020"),
    (ev(type_="RETREAT", mode="withdraw", date="2020-06", place="place:tulsa", actors=["org:usms"]),
     "Marshals Service withdraws from Tulsa, June 2020"),
    # a mode without a label of its own takes its type's label
    (ev(type_="PROTEST", mode="hunger-strike", place="place:tulsa", actors=["org:tenants-union"]),
     "Tulsa Tenants Union protests in Tulsa"),
    # an unknown place counts as an area; an actor the profile does not know keeps the record's name
    (ev(mode="arrest", date="2025-01-15", precision="day", place="place:springfield", actors=["Sheriff's Office"]),
     "Sheriff's Office arrests people in Springfield, January 15, 2025"),
    # more than two actors: two named, then "and others"
    (ev(type_="ACCUSE", mode="allege", date="2025-02", actors=["org:fbi", "org:usms", "org:tenants-union"]),
     "FBI, Marshals Service and others take legal action, February 2025"),
    # a site within a site within a city: named with the nearest area
    (ev(date="2019-10-02", precision="day", place="place:dock-7", actors=["org:fbi"]),
     "FBI raids Dock 7 in Tulsa, October 2, 2019"),
    # a type the profile has no words for: its codes, still with place and date
    (ev(type_="HOLD", mode=None, date="2025", place="place:tulsa"), "HOLD in Tulsa, 2025"),
])
def test_event_headline(profile, rec, expected):
    assert event_headline(rec, profile) == expected


def test_date_precision_wins_over_date_length(profile):
    # a day-long date string known only to the month is said as a month
    rec = ev(date="2024-05-01", precision="month", place="place:tulsa")
    assert event_headline(rec, profile) == "Raid in Tulsa, May 2024"


@pytest.mark.parametrize("type_, mode, label", [
    ("COERCE", "seize", "Raid"), ("COERCE", "arrest", "Arrests"), ("MOBILIZE", "troops", "Troop deployment"),
    ("COERCE", "curfew", "Curfew"), ("ACCUSE", "investigate", "Investigation or records request"),
    ("COERCE", None, "Enforcement action"), ("COERCE", "unheard-of", "Enforcement action"),
    ("NOPE", "x", "NOPE x"),
])
def test_event_label(profile, type_, mode, label):
    assert event_label({"type": type_, "mode": mode}, profile) == label


@pytest.mark.parametrize("date, precision, said", [
    ("2025-06-07", "day", "June 7, 2025"), ("2025-06-07", None, "June 7, 2025"), ("2025-06", "month", "June 2025"),
    ("2025-06", None, "June 2025"), ("2025", "year", "2025"), ("2025-06-07", "year", "2025"),
    (None, None, ""), ("", "day", ""), ("June", None, ""), ("2025-13", None, ""),
])
def test_say_date(date, precision, said):
    assert say_date(date, precision) == said


@pytest.mark.parametrize("a, b, said", [
    ("2025-06-06", "2025-06-09", "June 6–9, 2025"),
    ("2025-06-30", "2025-07-02", "June 30 – July 2, 2025"),
    ("2024-12-30", "2025-01-02", "December 30, 2024 – January 2, 2025"),
    ("2025-05", "2025-06", "May – June 2025"),
    ("2025-06-07", "2025-06-07", "June 7, 2025"),
    ("2025-06", "2025-06-20", "June 2025"),
    (None, "2025-06-20", "June 20, 2025"),
    (None, None, ""),
])
def test_say_date_range(a, b, said):
    assert say_date_range(a, b) == said


def test_story_title_from_main_label_place_and_dates(profile):
    events = [
        ev(id="a", mode="seize", date="2024-03-09", place="place:walmart-supercenter-tulsa", reports=3),
        ev(id="b", type_="PROTEST", mode="demo", date="2024-03-10", place="place:tulsa", reports=2),
        ev(id="c", mode="arrest", date="2024-03-12", place="place:tulsa", reports=1),
        ev(id="d", type_="PROTEST", mode="demo", date="2024-03-11", place="place:tulsa", reports=2),
    ]
    story = {"id": "st-1", "date_from": "2024-03-09", "date_to": "2024-03-12", "places": []}
    # raids 3 reports, protests 4: protests lead; Tulsa has 5 reports against the store's 3
    assert story_title(story, events, profile) == "Protest and raid in Tulsa, March 9–12, 2024"


def test_story_title_without_events_or_dates(profile):
    story = {"id": "st-2", "date_from": None, "date_to": None,
             "places": [{"id": "place:tulsa", "name": "Tulsa"}]}
    assert story_title(story, [], profile) == "Tulsa"
    assert story_title({"id": "st-3"}, [], profile) == "Story st-3"
    # dates from the events when the story has none of its own
    one = [ev(type_="COERCE", mode="curfew", date="2023-08", precision="month")]
    assert story_title({"id": "st-4"}, one, profile) == "Curfew, August 2023"


def test_headlines_of_a_real_ledger_name_label_and_date(tmp_path):
    """Every event of a ledger built from the corpus gets a headline that carries its label
    and says its date at its precision (and never a PLOVER code)."""
    import subprocess
    import sys

    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    if not (corpus / "seeds").is_dir():
        pytest.skip(f"corpus not found at {corpus}")
    db = tmp_path / "ledger.db"
    files = sorted(str(p) for p in (corpus / "seeds").glob("*.txt"))
    subprocess.run([sys.executable, "-m", "eventledger", "ingest", *files, "--db", str(db), "-q"], check=True,
                   capture_output=True)
    out = subprocess.run([sys.executable, "-m", "eventledger", "events", "--db", str(db), "--json", "--limit", "1000"],
                         check=True, capture_output=True, text=True).stdout
    recs = [json.loads(x) for x in out.splitlines()]
    assert recs
    p = load_profile()
    for r in recs:
        h = event_headline(r, p)
        label = event_label(r, p)
        assert label.lower() in h.lower() or p.label_for(r["type"], r["mode"]).verb.split()[0][:4] in h
        assert r["type"] not in h
        if r["date"]:
            assert say_date(r["date"], r["date_precision"]) in h


@pytest.mark.parametrize("date, precision, short", [
    ("2019-09-03", "day", "Sep 3"), ("2019-09", "month", "Sep 2019"), ("2019", "year", "2019"),
    ("2019-09-03", "month", "Sep 2019"), ("2019-13", None, ""), (None, None, ""),
])
def test_say_short_date(date, precision, short):
    from eventledger.headline import say_short_date

    assert say_short_date(date, precision) == short
