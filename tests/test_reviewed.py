"""Reviews carry through to every reader: `show`, `events`, `export` (csv, jsonl, geojson, FtM,
PLOVER) print the reviewed value, marked, with the extracted one beside it; rejected events are
left out or marked by --rejected; the history reads as sentences; who says each value.

The ledger is a real SQLite file built from tests/data/reviews/ (two reports, written for these
tests, of one made-up raid that disagree on the count: 41 "according to" the agency, 63 "church
volunteers said"), reviewed through the store's own review functions."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventledger.cli import app
from eventledger.export import CSV_COLUMNS, export_events
from eventledger.runner.run import ingest_paths
from eventledger.reviewed import reviewed_record, reviewed_story_record, say_reviews
from eventledger.settings import Settings
from eventledger.store import open_store
from eventledger.store import review as rv

DATA = Path(__file__).resolve().parent / "data" / "reviews"
ICE = "U.S. Immigration and Customs Enforcement"


@pytest.fixture
def ledger(tmp_path, profile) -> dict[str, str]:
    db = tmp_path / "ledger.db"
    with open_store(db, profile) as store:
        stats = ingest_paths([str(p) for p in sorted(DATA.glob("*.txt"))], store, profile, Settings(), progress=False)
        assert stats.failed == 0, stats.errors
        rv.add_user(store, "rita", "correct horse battery")
        rv.add_user(store, "sam", "correct horse battery")
        (event,) = [r[0] for r in store.db.execute("SELECT id FROM events")]
        figs = {int(r[1]): r[0] for r in store.db.execute("SELECT id, value FROM figures WHERE kind = 'arrests'")}
        quote = store.db.execute("SELECT id FROM quotes WHERE text LIKE '%targeted%'").fetchone()[0]
    return {"db": str(db), "event": event, "fig41": figs[41], "fig63": figs[63], "quote": quote}


def _day(at: str) -> str:
    d = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return f"{d.day} {d:%B %Y}"


def _correct(ledger: dict[str, str]) -> None:
    """rita corrects the agency's 41 to 44 and the date to the day before."""
    with open_store(ledger["db"]) as s:
        rv.review_figure(s, ledger["fig41"], "rita", "correct", "the agency revised its count", 44)
        rv.review_event(s, ledger["event"], "rita", "correct", "the raid began at dawn the day before.",
                        {"date": "2025-04-01"})


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


# ---- the record ----------------------------------------------------------------------------------

def test_the_record_gives_the_reviewed_value_and_keeps_the_extracted_one(ledger):
    _correct(ledger)
    with open_store(ledger["db"]) as s:
        rec = reviewed_record(s, ledger["event"])
        assert s.verify() == []
    (group,) = [g for g in rec["figures"] if g["kind"] == "arrests"]
    by_value = {v["value"]: v for v in group["values"]}
    assert set(by_value) == {44, 63}
    (src,) = by_value[44]["sources"]
    assert src["reviewed"]["extracted"] == {"value": 41, "high": 41}
    assert (src["reviewed"]["by"], src["reviewed"]["action"]) == ("rita", "correct")
    assert src["text"] == "41 workers"  # the span still says what the source says
    assert by_value[63]["sources"][0]["reviewed"] is None
    assert (src["said_by"], by_value[63]["sources"][0]["said_by"]) == (ICE, "church volunteers")
    assert (rec["date"], rec["review"]["status"]) == ("2025-04-01", "corrected")
    assert rec["review"]["extracted"] == {"date": "2025-04-02", "date_precision": "day"}


def test_a_correction_put_back_is_no_longer_marked(ledger):
    with open_store(ledger["db"]) as s:
        rv.review_event(s, ledger["event"], "rita", "correct", "wrong day", {"date": "2025-04-01"})
        rv.review_event(s, ledger["event"], "sam", "correct", "the first date was right", {"date": "2025-04-02"})
        assert reviewed_record(s, ledger["event"])["review"]["extracted"] == {}


# ---- history as sentences -----------------------------------------------------------------------

def test_the_history_reads_as_sentences(ledger, profile):
    _correct(ledger)
    with open_store(ledger["db"]) as s:
        rv.review_quote(s, ledger["quote"], "sam", "reject", "not about this raid")
        rv.review_figure(s, ledger["fig63"], "sam", "confirm", "the church list names them")
        rv.review_event(s, ledger["event"], "sam", "correct", "the factory is in the neighbouring city",
                        {"place_id": "place:columbus-oh"})
        rv.review_event(s, ledger["event"], "sam", "reject", "a training exercise, not a raid")
        said = say_reviews(s, list(reversed(rv.recent_reviews(s, 100, 0))))
    day = _day(said[0]["at"])
    sentences = [r["sentence"] for r in said]
    assert sentences[:2] == [
        f"rita corrected arrests from 41 to 44, {day}, because the agency revised its count",
        f"rita corrected the date from April 2, 2025 to April 1, 2025, {day}, because the raid began at dawn the day"
        " before",
    ]
    assert f"sam confirmed arrests 63, {day}, because the church list names them" in sentences
    assert f"sam corrected the place from Boise to Columbus, {day}, because the factory is in the neighbouring city" \
        in sentences
    assert f"sam rejected the event, {day}, because a training exercise, not a raid" in sentences
    quote = next(x for x in sentences if "quote" in x)
    assert quote.startswith("sam rejected the quote “This was a targeted enforcement action")
    assert quote.endswith(f"”, {day}, because not about this raid")
    assert not any("{" in x or "fig-" in x for x in sentences)  # no JSON, no internal ids


def test_a_place_from_the_gazetteer_joins_the_ledger_when_a_reviewer_names_it(ledger, profile):
    assert profile.by_id["place:columbus-oh"].kind == "place"
    with open_store(ledger["db"]) as s:
        assert s.entities_by_id(["place:columbus-oh"]) == {}
        rv.review_event(s, ledger["event"], "rita", "correct", "wrong city", {"place_id": "place:columbus-oh"})
        assert s.entities_by_id(["place:columbus-oh"])["place:columbus-oh"]["name"] == "Columbus"
        assert s.verify() == []  # the new entity is sealed by the review's log entry
        rec = reviewed_record(s, ledger["event"])
    assert rec["place"]["name"] == "Columbus" and rec["review"]["extracted"]["place"]["name"] == "Boise"
    with open_store(ledger["db"]) as s, pytest.raises(rv.ReviewError, match="gazetteer"):
        rv.review_event(s, ledger["event"], "rita", "correct", "x", {"place_id": "place:atlantis"})


# ---- the CLI -----------------------------------------------------------------------------------

def test_show_says_who_says_each_value(ledger):
    code, out, _ = run("show", ledger["event"], "--db", ledger["db"])
    assert code == 0
    assert f"CONFLICT: {ICE} said 41; church volunteers said 63" in out
    assert f"41, according to {ICE}: 1 source" in out


def test_show_prints_the_reviewed_value_beside_the_extracted_one(ledger):
    _correct(ledger)
    code, out, _ = run("show", ledger["event"], "--db", ledger["db"])
    assert code == 0, out
    assert f"44 (reviewed; extracted 41), according to {ICE}" in out
    assert f"{ICE} said 44 (reviewed; extracted 41); church volunteers said 63" in out
    assert "April 1, 2025 (day) (reviewed; extracted April 2, 2025 (day))" in out
    assert "review: corrected by rita" in out
    code, out, _ = run("show", ledger["event"], "--db", ledger["db"], "--json")
    rec = json.loads(out)
    assert rec["review"]["extracted"]["date"] == "2025-04-02"
    assert any(s["reviewed"] and s["reviewed"]["extracted"] == {"value": 41, "high": 41}
               for g in rec["figures"] for v in g["values"] for s in v["sources"])


def test_events_marks_reviewed_events_in_text_and_json(ledger):
    _correct(ledger)
    code, out, _ = run("events", "--db", ledger["db"])
    assert code == 0
    head, row = out.splitlines()[:2]
    assert head.split()[-1] == "Review"
    assert row.rstrip().endswith("corrected by rita (extracted date 2025-04-02, arrests 41)")
    assert "2025-04-01" in row
    (rec,) = [json.loads(x) for x in run("events", "--db", ledger["db"], "--json")[1].splitlines()]
    assert rec["date"] == "2025-04-01" and rec["review"]["extracted"]["date"] == "2025-04-02"


def test_rejected_events_are_left_out_or_marked(ledger):
    with open_store(ledger["db"]) as s:
        rv.review_event(s, ledger["event"], "sam", "reject", "a training exercise")
    code, out, err = run("events", "--db", ledger["db"])
    assert code == 0 and out == ""
    assert "1 event rejected by a reviewer left out (--rejected mark lists it)" in err
    assert "no events match" not in err
    code, out, err = run("events", "--db", ledger["db"], "--rejected", "mark")
    assert ledger["event"] in out and "rejected by sam" in out and err == ""
    code, out, err = run("export", "--db", ledger["db"])
    assert code == 0 and list(csv.DictReader(io.StringIO(out))) == []
    assert "exported 0 events as csv (1 rejected by a reviewer left out; --rejected mark keeps it)" in err
    code, out, err = run("export", "--db", ledger["db"], "--rejected", "mark", "-f", "jsonl")
    (rec,) = [json.loads(x) for x in out.splitlines()]
    assert rec["review"]["status"] == "rejected"
    code, _, err = run("export", "--db", ledger["db"], "--rejected", "drop")
    assert code == 2 and "drop" in err


# ---- the exports ---------------------------------------------------------------------------------

def _export(ledger: dict[str, str], fmt: str, **kw: str) -> str:
    out = io.StringIO(newline="")
    with open_store(ledger["db"]) as s:
        export_events(s, fmt, out, **kw)
    return out.getvalue()


def test_csv_and_geojson_carry_the_review(ledger):
    before = list(csv.DictReader(io.StringIO(_export(ledger, "csv"))))
    assert before[0]["extracted"] == "" and before[0]["review_status"] == "unreviewed"
    _correct(ledger)
    (row,) = csv.DictReader(io.StringIO(_export(ledger, "csv")))
    assert list(row) == list(CSV_COLUMNS)
    assert row["review_status"] == "corrected" and row["event_date"] == "2025-04-01"
    assert "arrests=44 reviewed, extracted 41 (1 source)" in row["figures"]
    assert "arrests=63 (1 source)" in row["figures"]
    assert row["extracted"] == "date=2025-04-02; arrests=41"
    geo = json.loads(_export(ledger, "geojson"))
    props = geo["features"][0]["properties"]
    assert props["extracted"] == "date=2025-04-02; arrests=41" and props["review_status"] == "corrected"


def test_jsonl_ftm_and_plover_carry_the_review(ledger, profile):
    _correct(ledger)
    (rec,) = [json.loads(x) for x in _export(ledger, "jsonl").splitlines()]
    assert rec["review"]["extracted"] == {"date": "2025-04-02", "date_precision": "day"}
    ftm = [json.loads(x) for x in _export(ledger, "ftm").splitlines()]
    (event,) = [e for e in ftm if e["schema"] == "Event"]
    desc = " ".join(event["properties"]["description"])
    assert "44 (reviewed; extracted 41)" in desc and f"according to {ICE}" in desc
    assert any(n.startswith("Review: corrected by rita on ") and n.endswith("; extracted date 2025-04-02")
               for n in event["properties"]["notes"])
    (plover,) = [json.loads(x) for x in _export(ledger, "plover").splitlines()]
    assert plover["review"]["extracted"]["date"] == "2025-04-02"
    srcs = [s for g in plover["figures"] for v in g["values"] for s in v["sources"]]
    assert [s["reviewed"]["extracted"]["value"] for s in srcs if s["reviewed"]] == [41]


def test_the_reviews_command_lists_sentences_newest_first(ledger):
    code, out, err = run("reviews", "--db", ledger["db"])
    assert code == 0 and out == "" and err.strip() == "no reviews yet"
    _correct(ledger)
    with open_store(ledger["db"]) as s:
        rv.review_event(s, ledger["event"], "sam", "reject", "a training exercise")
        entries = rv.recent_reviews(s, 10, 0)
    code, out, _ = run("reviews", "--db", ledger["db"], "--event", ledger["event"])
    lines = out.splitlines()
    day = _day(entries[0]["at"])
    assert lines == [
        f"sam rejected the event, {day}, because a training exercise.  [log #{entries[0]['log_seq']} "
        f"{entries[0]['log_hash'][:12]}]",
        f"rita corrected the date from April 2, 2025 to April 1, 2025, {day}, because the raid began at dawn the day"
        f" before.  [log #{entries[1]['log_seq']} {entries[1]['log_hash'][:12]}]",
        f"rita corrected arrests from 41 to 44, {day}, because the agency revised its count.  "
        f"[log #{entries[2]['log_seq']} {entries[2]['log_hash'][:12]}]",
    ]
    code, out, err = run("reviews", "--db", ledger["db"], "--limit", "1", "--json")
    (one,) = [json.loads(x) for x in out.splitlines()]
    assert one["sentence"].startswith("sam rejected the event") and one["log_hash"] == entries[0]["log_hash"]
    assert "showing the newest 1 reviews; there are more" in err
    code, _, err = run("reviews", "--db", ledger["db"], "--event", "ev-nothing")
    assert code == 2 and err.count("\n") == 1 and "no event ev-nothing" in err


def test_the_story_command_says_who_gives_each_value(ledger):
    with open_store(ledger["db"]) as s:
        (story,) = [r[0] for r in s.db.execute("SELECT id FROM stories")]
    code, out, _ = run("story", story, "--db", ledger["db"])
    assert code == 0
    assert f"CONFLICT 41 (said by {ICE}; 1 independent source); 63 (said by church volunteers; " in out


def test_the_figures_command_marks_reviewed_figures(ledger):
    _correct(ledger)
    with open_store(ledger["db"]) as s:
        rv.review_figure(s, ledger["fig63"], "sam", "reject", "counts a second site")
    code, out, _ = run("figures", "--db", ledger["db"], "--kind", "arrests")
    assert code == 0
    assert re.search(r"^arrests\s+44 \(reviewed; extracted 41\)\s+41 workers", out, re.M), out
    assert re.search(r"^arrests\s+63 \(rejected by sam\)\s+63 workers", out, re.M), out
    rows = {r["text"]: r for r in map(json.loads, run("figures", "--db", ledger["db"], "--json")[1].splitlines())}
    assert rows["41 workers"]["value"] == 44 and rows["41 workers"]["reviewed"]["extracted"] == {"value": 41, "high": 41}
    assert rows["63 workers"]["reviewed"]["action"] == "reject"


def test_a_story_counts_the_reviewed_value(ledger):
    _correct(ledger)
    with open_store(ledger["db"]) as s:
        (story,) = [r[0] for r in s.db.execute("SELECT id FROM stories")]
        rec = reviewed_story_record(s, story)
    values = {v["value"]: v for g in rec["figures"] for v in g["values"]}
    assert 41 not in values and 44 in values
    assert [x["reviewed"]["extracted"] for x in values[44]["sources"]] == [{"value": 41, "high": 41}]
    code, out, _ = run("story", story, "--db", ledger["db"])
    assert f"44 (reviewed; extracted 41) (said by {ICE}; 1 independent source)" in out
