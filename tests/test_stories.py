"""Stories: documents about one happening grouped, their reports joined into ledger events,
their figures compared, whatever order they come in. Records here are written by hand
(other cities, other names) so each rule is tested on its own; the corpus story set checks
order independence and the scores on real articles."""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from eventledger.evaluate import evaluate_stories
from eventledger.ledger.compare import build_event_record, build_story_record
from eventledger.runner.run import ingest_paths
from eventledger.records import Document, Entity, Event, Extraction, Figure, Mention, RawDocument
from eventledger.store import open_store

PLACES = {
    "place:tucson-az": ("Tucson", 32.2226, -110.9747),
    "place:boise-id": ("Boise", 43.615, -116.2023),
}

# Words of one made-up happening: a raid at a poultry plant in Tucson.
TUCSON = ("Federal agents raided the Quillfeather Poultry processing plant in Tucson, detaining workers on the"
          " packing line. Quillfeather managers said agents arrived with a warrant. Advocates from the Sonoran"
          " Workers Alliance gathered outside the Quillfeather gates, and the Pima County sheriff kept traffic"
          " moving. Relatives waited at the plant for news of the detained Quillfeather workers.")
BOISE = ("Hundreds marched through downtown Boise against a new state law on immigration checks. Organisers from"
         " the Treasure Valley Coalition said the Boise march was the largest since spring; the Idaho statehouse"
         " steps were full. Marchers carried banners about the Ada County jail and its contract with federal"
         " agents, and coalition leaders promised more Boise vigils.")


def _doc(name: str, text: str, published: str | None, outlet: str) -> tuple[RawDocument, Document]:
    raw = f"{name}\n{text}".encode()
    sha = hashlib.sha256(raw).hexdigest()
    doc = Document(sha, f"/tmp/in/{name}.txt", name, outlet, (), published, "text" if published else None,
                   hashlib.sha256(text.encode()).hexdigest(), text)
    return RawDocument(sha, doc.source, text, name, outlet, (), published, None, None, raw), doc


def record(name: str, text: str, published: str | None, events: list[dict], figures: list[dict] = (),
           outlet: str | None = None) -> tuple[RawDocument, Extraction]:
    """A hand-written extraction record; each event and figure's span is its text's first occurrence."""
    raw, doc = _doc(name, text, published, outlet or f"{name}.example")
    ents = []
    for pid, (pname, lat, lon) in PLACES.items():
        i = text.find(pname)
        if i >= 0:
            ents.append(Entity(pid, "place", pname, (), (), (Mention(i, i + len(pname), pname),), lat, lon))
    figs = []
    for f in figures:
        i = text.index(f["text"])
        figs.append(Figure(f["value"], f.get("high", f["value"]), f.get("approx", False), f["kind"], None, f["subject"],
                           f["text"], i, i + len(f["text"]), tuple(f["by"]) if f.get("by") else None))
    evs = []
    for e in events:
        i = text.index(e["text"])
        evs.append(Event(e["type"], e.get("mode"), e.get("date"), {10: "day", 7: "month"}.get(len(e.get("date") or "")),
                         e.get("place"), (), (), tuple(e.get("figures", ())), e["text"], i, i + len(e["text"]),
                         status=e.get("status", "occurred"), salience=e.get("salience", "main"),
                         date_basis="stated" if e.get("date") else None))
    return raw, Extraction(doc, tuple(ents), tuple(figs), (), tuple(evs))


def ingest(db: Path, recs: list[tuple[RawDocument, Extraction]]) -> None:
    with open_store(db) as store:
        for raw, ext in recs:
            store.add(raw, ext)


def snapshot(db: Path) -> dict:
    """Stories and events member for member, and the story figure groups, keyed by content."""
    with open_store(db) as store:
        stories = {}
        for sid in store.story_ids():
            rec = build_story_record(store.story_rows(sid), store.profile, store.policy)
            events = {e: sorted(r["document_id"] + f":{r['start']}" for r in build_event_record(store.event_rows(e))["reports"])
                      for e in rec["events"]}
            figures = sorted((g["quantity"], g["conflict"], sorted((v["value"], sorted(s["document_id"] for s in v["sources"]))
                                                                   for v in g["values"])) for g in rec["figures"])
            stories[sid] = {"documents": sorted(d["document_id"] for d in rec["documents"]), "events": events,
                            "figures": figures}
    return stories


def tucson_coverage() -> list[tuple[RawDocument, Extraction]]:
    raid = "Federal agents raided the Quillfeather Poultry processing plant in Tucson"
    return [
        record("a", TUCSON, "2026-02-10", [{"type": "COERCE", "mode": "seize", "date": "2026-02-10",
                                            "place": "place:tucson-az", "text": raid}]),
        record("b", TUCSON.replace("Federal agents raided", "Immigration agents arrested dozens at")
               .replace("Relatives waited", "Families waited"), "2026-02-11",
               [{"type": "COERCE", "mode": "arrest", "date": "2026-02-10", "place": "place:tucson-az",
                 "text": "Immigration agents arrested dozens at the Quillfeather Poultry processing plant in Tucson"}]),
        # no stated date and no place: joins by story evidence and takes the event's date
        record("c", "Workers detained at Quillfeather Poultry are being held far away, the Sonoran Workers Alliance"
                    " said. Quillfeather managers and the Pima County sheriff declined to comment on the detained"
                    " workers from the packing line.", None,
               [{"type": "COERCE", "mode": "arrest", "text": "Workers detained at Quillfeather Poultry"}]),
        record("d", BOISE, "2026-02-12", [{"type": "PROTEST", "mode": "demo", "date": "2026-02-12",
                                           "place": "place:boise-id", "text": "Hundreds marched through downtown Boise"}]),
    ]


def test_a_story_is_the_same_whatever_order_its_documents_come_in(tmp_path):
    recs = tucson_coverage()
    shots = []
    for k, order in enumerate([recs, recs[::-1], random.Random(7).sample(recs, len(recs)), [recs[2], recs[0], recs[3], recs[1]]]):
        ingest(tmp_path / f"{k}.db", order)
        shots.append(snapshot(tmp_path / f"{k}.db"))
    assert all(s == shots[0] for s in shots[1:])
    docs = sorted(len(s["documents"]) for s in shots[0].values())
    assert docs == [1, 3]  # the Tucson raid's three reports, the Boise march apart


def test_an_undated_report_joins_by_story_and_takes_the_events_date(tmp_path):
    ingest(tmp_path / "l.db", tucson_coverage())
    with open_store(tmp_path / "l.db") as store:
        recs = [build_event_record(store.event_rows(i)) for i in store.event_ids()]
    raid = next(r for r in recs if r["type"] == "COERCE")
    assert raid["date"] == "2026-02-10" and raid["mode"] in ("seize", "arrest")
    assert len(raid["reports"]) == 3  # seize and arrest for one raid, and the undated report
    undated = next(r for r in raid["reports"] if r["text"].startswith("Workers detained"))
    assert undated["date"] == "2026-02-10" and undated["date_basis"] == "story"
    assert next(r for r in raid["reports"] if r["text"].startswith("Federal"))["date_basis"] == "stated"


def test_ids_stay_put_when_later_coverage_joins(tmp_path):
    recs = tucson_coverage()
    ingest(tmp_path / "l.db", recs[:1])
    first = snapshot(tmp_path / "l.db")
    ingest(tmp_path / "l.db", recs[1:])
    later = snapshot(tmp_path / "l.db")
    (sid, st), = first.items()
    assert sid in later and set(st["events"]) <= set(later[sid]["events"])


def test_a_recap_never_joins_two_documents_on_its_own(tmp_path):
    raid = "Federal agents raided the Quillfeather Poultry processing plant in Tucson"
    recap = "Quillfeather workers recalled the raid on the plant in Tucson last month"
    text2 = TUCSON.replace("Federal agents raided", "A new raid hit") + " " + recap + "."
    recs = [
        record("a", TUCSON, "2026-02-10", [{"type": "COERCE", "mode": "seize", "date": "2026-02-10",
                                            "place": "place:tucson-az", "text": raid}]),
        # a new happening a month later, whose article recalls the first raid in the background
        record("b", text2, "2026-03-12", [
            {"type": "COERCE", "mode": "seize", "date": "2026-03-12", "place": "place:tucson-az",
             "text": "A new raid hit the Quillfeather Poultry processing plant in Tucson"},
            {"type": "COERCE", "mode": "seize", "date": "2026-02", "place": "place:tucson-az", "text": recap,
             "salience": "background"}]),
        # two more articles that only recall the same old raid in passing
        record("c", TUCSON.replace("Federal agents raided", "Months ago agents raided") + " " + recap + ".", "2026-04-01",
               [{"type": "COERCE", "mode": "seize", "date": "2026-02", "place": "place:tucson-az", "text": recap,
                 "salience": "background"}]),
    ]
    ingest(tmp_path / "l.db", recs)
    with open_store(tmp_path / "l.db") as store:
        events = [build_event_record(store.event_rows(i)) for i in store.event_ids()]
    for e in events:
        main_docs = {r["document_id"] for r in e["reports"] if r["salience"] == "main"}
        assert len(main_docs) <= 1, e["id"]  # no event holds main reports of two documents
        background = {r["document_id"] for r in e["reports"] if r["salience"] == "background"}
        if not main_docs:
            assert len(background) == 1  # background reports alone never make a shared event
    new = next(e for e in events if e["date"] == "2026-03-12")
    assert [r["salience"] for r in new["reports"]] == ["main"]  # the recap did not join the new raid


def test_a_planned_operation_stays_apart_from_its_happening_in_one_story(tmp_path):
    plan = "Officials planned a raid on the Quillfeather Poultry processing plant in Tucson"
    recs = [
        record("p", TUCSON.replace("Federal agents raided", "Officials planned a raid on").replace("detaining", "to detain"),
               "2026-02-01", [{"type": "COERCE", "mode": "seize", "date": "2026-02", "place": "place:tucson-az",
                               "text": plan, "status": "planned"}]),
        *tucson_coverage()[:2],
    ]
    ingest(tmp_path / "l.db", recs)
    shot = snapshot(tmp_path / "l.db")
    (st,) = [s for s in shot.values() if len(s["documents"]) == 3]
    assert len(st["events"]) == 2  # the plan and the raid: two events, one story


def test_a_wire_story_on_five_sites_is_one_independent_source(tmp_path):
    raid = "Federal agents raided the Quillfeather Poultry processing plant in Tucson"
    recs = [record(f"wire{i}", f"Posted by site {i}.\n\n" + TUCSON + f"\n\nCopyright site {i}.", "2026-02-10",
                   [{"type": "COERCE", "mode": "seize", "date": "2026-02-10", "place": "place:tucson-az", "text": raid}],
                   outlet=f"site{i}.example") for i in range(5)]
    ingest(tmp_path / "l.db", recs)
    with open_store(tmp_path / "l.db") as store:
        (sid,) = store.story_ids()
        story = build_story_record(store.story_rows(sid), store.profile, store.policy)
        (eid,) = store.event_ids()
        event = build_event_record(store.event_rows(eid))
    assert len(story["documents"]) == 5 and story["independent_sources"] == 1
    assert len(event["reports"]) == 5 and event["independent_sources"] == 1
    assert sum(d["copy_of"] is not None for d in story["documents"]) == 4


def test_one_quantity_given_differently_is_a_conflict_with_who_says_each_value(tmp_path):
    a = TUCSON + " Immigration officials said 76 workers were detained."
    b = TUCSON.replace("Relatives waited", "Families waited") + " Advocates said 107 workers were detained, and 3 buses left."
    recs = [
        record("a", a, "2026-02-10", [], [{"value": 76, "kind": "arrests", "subject": "workers", "text": "76 workers",
                                           "by": ["Immigration officials"]}]),
        record("b", b, "2026-02-10", [], [{"value": 107, "kind": "people", "subject": "workers", "text": "107 workers",
                                           "by": ["advocates"]},
                                          {"value": 3, "kind": "other", "subject": "buses", "text": "3 buses"}]),
    ]
    ingest(tmp_path / "l.db", recs)
    with open_store(tmp_path / "l.db") as store:
        (sid,) = store.story_ids()
        story = build_story_record(store.story_rows(sid), store.profile, store.policy)
    workers = next(g for g in story["figures"] if any(v["value"] == 76 for v in g["values"]))
    assert workers["conflict"] is True
    says = {v["value"]: [s["attributed_to"] for s in v["sources"]] for v in workers["values"]}
    assert says == {76: ["Immigration officials"], 107: ["advocates"]}
    buses = next(g for g in story["figures"] if any(v["value"] == 3 for v in g["values"]))
    assert buses is not workers and buses["conflict"] is False  # another quantity is no conflict


def test_coverage_names_what_an_outlet_leaves_out(tmp_path):
    raid = "Federal agents raided the Quillfeather Poultry processing plant in Tucson"
    march = "Advocates from the Sonoran Workers Alliance gathered outside the Quillfeather gates"
    both = [{"type": "COERCE", "mode": "seize", "date": "2026-02-10", "place": "place:tucson-az", "text": raid},
            {"type": "PROTEST", "mode": "demo", "date": "2026-02-10", "place": "place:tucson-az", "text": march}]
    recs = [record("a", TUCSON, "2026-02-10", both),
            record("b", TUCSON.replace("Relatives waited", "Kin waited"), "2026-02-10", both),
            record("c", TUCSON.replace("Relatives waited", "Families waited"), "2026-02-10", both[:1])]
    ingest(tmp_path / "l.db", recs)
    with open_store(tmp_path / "l.db") as store:
        (sid,) = store.story_ids()
        story = build_story_record(store.story_rows(sid), store.profile, store.policy)
    cov = {c["outlet"]: c for c in story["coverage"]}
    protest = next(e for e in story["events"] if e in cov["a.example"]["reports"] and e not in cov["c.example"]["reports"])
    assert cov["c.example"]["omits"] == [protest] and cov["a.example"]["omits"] == []


def test_evaluate_stories_scores_pairs_figures_and_conflicts():
    src = lambda n: {"document_id": n, "source": f"/x/{n}.txt"}  # noqa: E731
    events = [{"reports": [{**src("a"), "salience": "main"}, {**src("b"), "salience": "main"},
                           {**src("c"), "salience": "background"}], "figures": []}]
    stories = [{"documents": [src("a"), src("b"), src("c")], "figures": [
        {"conflict": True, "values": [{"value": 76, "sources": [{"document_id": "a"}]},
                                      {"value": 107, "sources": [{"document_id": "b"}, {"document_id": "c"}]}]}]}]
    gold = {"stories": [{"id": "s", "docs": ["a", "b", "c"]}],
            "figures": [{"story": "s", "kind": "people", "value": 107, "docs": ["b", "c"]}],
            "conflicts": [{"story": "s", "quantity": "q", "values": {"a": 76, "b": 107}},
                          {"story": "s", "quantity": "r", "values": {"a": 5, "c": 6}}]}
    r = evaluate_stories(gold, events, stories)
    assert (r["pairs"]["precision"], r["pairs"]["recall"]) == (1.0, round(1 / 3, 4))
    assert r["figures_corroborated"]["score"] == 1.0 and r["conflicts_found"]["score"] == 0.5


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "eventledger", *args], capture_output=True, text=True, check=False)


def test_events_json_lists_everything_and_a_cutting_limit_says_so(tmp_path):
    db = tmp_path / "l.db"
    ingest(db, tucson_coverage())
    every = _run("events", "--db", str(db), "--json")
    assert every.returncode == 0 and len(every.stdout.splitlines()) == 2 and every.stderr == ""
    cut = _run("events", "--db", str(db), "--json", "--limit", "1")
    assert len(cut.stdout.splitlines()) == 1 and "first 1 events" in cut.stderr
    stories = [json.loads(line) for line in _run("stories", "--db", str(db), "--json").stdout.splitlines()]
    assert sorted(len(s["documents"]) for s in stories) == [1, 3]
    big = max(stories, key=lambda s: len(s["documents"]))
    one = json.loads(_run("story", big["id"], "--db", str(db), "--json").stdout)
    assert one == big
    only = _run("events", "--db", str(db), "--json", "--story", big["id"]).stdout.splitlines()
    assert [json.loads(x)["story"] for x in only] == [big["id"]]


@pytest.mark.slow
def test_corpus_stories_group_the_same_in_any_order(corpus, profile, settings, tmp_path):
    paths = sorted(str(p) for p in (corpus / "stories").glob("*.txt"))
    shots = []
    for k, order in enumerate([paths, paths[::-1], random.Random(3).sample(paths, len(paths))]):
        with open_store(tmp_path / f"{k}.db", profile) as store:
            for p in order:  # one at a time, so the order is the ingest order
                ingest_paths([p], store, profile, settings, progress=False)
        shots.append(snapshot(tmp_path / f"{k}.db"))
    assert shots[1] == shots[0] and shots[2] == shots[0]


@pytest.mark.slow
def test_corpus_story_set_scores(corpus, profile, settings, tmp_path):
    """The grouping on real articles, scored as the corpus README says, against the issue's
    targets (the recall also rests on extraction giving undated documents their events)."""
    with open_store(tmp_path / "s.db", profile) as store:
        ingest_paths([str(corpus / "stories")], store, profile, settings, progress=False)
        events = [build_event_record(store.event_rows(i)) for i in store.event_ids()]
        stories = [build_story_record(store.story_rows(i), profile, store.policy) for i in store.story_ids()]
    r = evaluate_stories(json.loads((corpus / "grouping" / "stories.json").read_text()), events, stories)
    assert r["pairs"]["precision"] >= 0.9 and r["pairs"]["recall"] >= 0.8, r["pairs"]
    assert r["figures_corroborated"]["score"] >= 0.8
    assert r["conflicts_found"]["score"] >= 0.75


def test_a_large_block_is_decided_incrementally_with_the_same_rules(tmp_path, monkeypatch):
    """Past policy.max_block documents a story is no longer re-clustered: a new document joins
    the story whose summary it is closest to and its reports the compatible events."""
    from dataclasses import replace

    from eventledger.store import Store

    small = replace(Store.policy.fget(open_store(tmp_path / "p.db")), max_block=2)
    monkeypatch.setattr(Store, "policy", property(lambda self: small))
    ingest(tmp_path / "l.db", tucson_coverage())
    with open_store(tmp_path / "l.db") as store:
        recs = [build_event_record(store.event_rows(i)) for i in store.event_ids()]
        sizes = sorted(n for n, _ in store.story_sizes(store.story_ids()).values())
    raid = next(r for r in recs if r["type"] == "COERCE")
    assert len(raid["reports"]) == 3 and raid["date"] == "2026-02-10"
    assert next(r for r in raid["reports"] if r["text"].startswith("Workers"))["date_basis"] == "story"
    assert sizes == [1, 3]


def _raid_events(db: Path) -> dict[str, list[str]]:
    """The ledger's COERCE events of the Tucson raid: event id -> its reports' document names."""
    with open_store(db) as store:
        out = {}
        for i in store.event_ids(type_="COERCE"):
            rec = build_event_record(store.event_rows(i))
            out[i] = sorted(r["text"].split()[0] for r in rec["reports"])
        return out


def test_a_reviewers_regrouping_stands_when_later_coverage_joins(tmp_path):
    from eventledger.store.review import add_user, regroup_report

    a, b, c, d = tucson_coverage()
    db = tmp_path / "l.db"
    ingest(db, [a, b])
    (raid, members), = _raid_events(db).items()
    assert members == ["Federal", "Immigration"]
    with open_store(db) as store:
        add_user(store, "rita", "a long enough password")
        moved = regroup_report(store, f"{b[1].document.id}:0", "rita", "the arrests were a second operation")
    apart = moved["new_value"]["event_id"]
    ingest(db, [c, d])  # the story is decided again from all its reports
    events = _raid_events(db)
    assert "Federal" in events[raid] and "Immigration" not in events[raid]
    assert "Immigration" in events[apart] and "Federal" not in events[apart]
    assert sum(len(v) for v in events.values()) == 3  # the undated report joined one of the two (either fits)


def test_a_reviewed_event_keeps_its_id_values_and_verdict_when_its_story_is_decided_again(tmp_path):
    from eventledger.store.review import add_user, review_event

    a, b, c, d = tucson_coverage()
    db = tmp_path / "l.db"
    ingest(db, [a, d])
    with open_store(db) as store:
        add_user(store, "sam", "a long enough password")
        raid = store.event_ids(type_="COERCE")[0]
        march = store.event_ids(type_="PROTEST")[0]
        review_event(store, raid, "sam", "correct", "the plant's own statement dates it", {"date": "2026-02-09"})
        review_event(store, march, "sam", "reject", "a march against a law, not enforcement")
    ingest(db, [b, c])
    with open_store(db) as store:
        rec = build_event_record(store.event_rows(raid))
        assert rec["date"] == "2026-02-09" and len(rec["reports"]) == 3
        assert store.db.execute("SELECT review_status FROM events WHERE id = ?", (march,)).fetchone()[0] == "rejected"
        assert store.verify() == []


def test_a_part_of_a_group_is_no_rival_value_of_the_whole(tmp_path):
    a = TUCSON + " Immigration officials said 76 workers were detained."
    b = TUCSON.replace("Relatives waited", "Families waited") + " Officials said 76 were arrested, and 9 of those arrested had records."
    recs = [
        record("a", a, "2026-02-10", [], [{"value": 76, "kind": "arrests", "subject": "workers", "text": "76 workers"}]),
        record("b", b, "2026-02-10", [], [{"value": 76, "kind": "arrests", "subject": "arrested", "text": "76 were arrested"},
                                          {"value": 9, "kind": "arrests", "subject": "arrested",
                                           "text": "9 of those arrested"}]),
    ]
    ingest(tmp_path / "l.db", recs)
    with open_store(tmp_path / "l.db") as store:
        (sid,) = store.story_ids()
        story = build_story_record(store.story_rows(sid), store.profile, store.policy)
    whole = next(g for g in story["figures"] if any(v["value"] == 76 for v in g["values"]))
    part = next(g for g in story["figures"] if any(v["value"] == 9 for v in g["values"]))
    assert whole is not part and whole["conflict"] is False and part["quantity"].startswith("part:")
