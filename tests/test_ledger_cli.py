"""The ledger's read commands (events, show, figures, search) on a real ledger of the corpus
plus two retellings of a seed story, with and without --json; the JSON checked against the
record of spec/ledger.md, read from the spec itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventledger.cli import app
from eventledger.ingest import read_inputs
from eventledger.ledger.compare import build_event_record
from eventledger.pipeline import process
from eventledger.store import open_store
from test_ledger import SEED_RAID, corpus_paths, raw_of, stem
from recordutil import without_review_marks  # noqa: E402

SPEC = Path(__file__).resolve().parents[1].parent / "shared" / "spec" / "ledger.md"
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def spec_record() -> dict:
    if not SPEC.is_file():
        pytest.skip(f"spec not found at {SPEC}")
    block = re.search(r"```json\n(.*?)\n```", SPEC.read_text(encoding="utf-8"), re.S)
    assert block, "spec/ledger.md should hold the record as a JSON block"
    return json.loads(block.group(1))


def check(spec, got, where: str = "record") -> None:  # type: ignore[no-untyped-def]
    """`got` has every field of the spec's example, each of the example's kind."""
    if isinstance(spec, dict):
        if got is None and where.endswith("place"):
            return
        assert isinstance(got, dict), where
        missing = set(spec) - set(got)
        assert not missing, f"{where}: missing {sorted(missing)}"
        for k, v in spec.items():
            check(v, got[k], f"{where}.{k}")
    elif isinstance(spec, list):
        assert isinstance(got, list), where
        for i, item in enumerate(got):
            check(spec[0], item, f"{where}[{i}]")
    elif isinstance(spec, bool):
        assert isinstance(got, bool), where
    elif isinstance(spec, (int, float)):
        ok = isinstance(got, (int, float)) and not isinstance(got, bool)
        assert ok or (got is None and where.rsplit(".", 1)[-1] in ("lat", "lon")), (where, got)
    elif isinstance(spec, str):
        assert isinstance(got, str) or (got is None and "null" in spec), (where, got)
    elif spec is None:
        assert got is None or isinstance(got, str), (where, got)


def check_record(rec: dict) -> None:
    check(spec_record(), rec)
    assert rec["date"] is None or DATE.match(rec["date"])
    assert rec["date_precision"] == {None: None, 4: "year", 7: "month", 10: "day"}[len(rec["date"]) if rec["date"] else None]
    assert rec["review"]["status"] in ("unreviewed", "confirmed", "corrected", "rejected")
    assert 1 <= rec["independent_sources"] <= len(rec["reports"])
    for g in rec["figures"]:
        for v in g["values"]:
            assert 1 <= v["independent_sources"] <= len(v["sources"])


@pytest.fixture
def ledger(ledger_db, corpus, profile, settings, corpus_records, tmp_path) -> str:
    """The corpus, then two other outlets retelling seed 000's border deployment (one with
    another count of troops), so one event has reports, agreeing and conflicting figures."""
    with open_store(ledger_db, profile) as store:
        for p in corpus_paths(corpus):
            store.add(raw_of(p), corpus_records[p.stem])
        seed = corpus / "seeds" / f"{SEED_RAID[0]}.txt"
        troops = next(line for line in seed.read_text(encoding="utf-8").splitlines()
                      if line.startswith("Approximately 1,500 active-duty troops"))
        other = OWN_WORDS[:2]  # the outlets' own paragraphs (other corpus stories' would make them those stories')
        feed = tmp_path / "retold.jsonl"
        feed.write_text(
            json.dumps({"url": "https://second.example/b", "outlet": "Second Outlet", "published": "2025-02-10",
                        "text": troops.replace("1,500", "2,500") + "\n\n" + other[0]}) + "\n"
            + json.dumps({"url": "https://third.example/c", "outlet": "Third Outlet", "published": "2025-02-11",
                          "text": other[1] + "\n\n" + troops}) + "\n", encoding="utf-8")
        for raw in read_inputs([str(feed)], settings):
            store.add(raw, process(raw, profile, settings))
    return ledger_db


OWN_WORDS = [
    "Residents of the towns along the highway said convoys had passed through for days, and that nobody had"
    " told them how long the soldiers would stay or where they would sleep.",
    "A spokesperson for the command said the troops would not make arrests themselves. Local officials asked"
    " for more information and said they had learned of the plans from reporters.",
]


def run(*args: str, db: str, code: int = 0):  # type: ignore[no-untyped-def]
    r = CliRunner().invoke(app, [*args, "--db", db])
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    assert r.exit_code == code, (args, r.exit_code, r.stdout, r.stderr)
    return r


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def all_records(db: str) -> list[dict]:
    return jsonl(run("events", "--json", "--limit", "100000", db=db).stdout)


def test_events_json_is_the_ledger_record_newest_first(ledger):
    recs = all_records(ledger)
    with open_store(ledger) as store:
        ids = store.event_ids()
        assert [r["id"] for r in recs] == ids
        assert [without_review_marks(r) for r in recs] == [
            build_event_record(store.event_rows(i), store.profile) for i in ids]
    for r in recs:
        check_record(r)
        assert r["headline"] and r["label"] and r["type"]  # the words beside the PLOVER codes
    dates = [r["date"] for r in recs if r["date"]]
    assert dates == sorted(dates, reverse=True)
    assert len(jsonl(run("events", "--json", "--limit", "3", db=ledger).stdout)) == 3


def test_events_table_has_a_line_per_event(ledger):
    recs = all_records(ledger)
    header, *lines = run("events", "--limit", "100000", db=ledger).stdout.splitlines()
    assert header.split() == ["ID", "Date", "Event", "Headline", "Sources", "Figures", "Review"]
    assert len(lines) == len(recs)
    for line, r in zip(lines, recs):
        n = len(r["reports"])
        assert line.startswith(r["id"]) and f"{n} report{'s' if n != 1 else ''}," in line
        assert r["headline"] in line and f"  {r['label']}  " in line
        assert ("CONFLICT" in line) == (any(g["conflict"] for g in r["figures"]) or bool(r["attribution_conflicts"]))


@pytest.mark.parametrize(("args", "keep"), [
    (["--type", "coerce"], lambda r: r["type"] == "COERCE"),
    (["--mode", "troops"], lambda r: r["mode"] == "troops"),
    (["--place", "Los Angeles"], lambda r: (r["place"] or {}).get("name") == "Los Angeles"),
    (["--place", "place:los-angeles-ca"], lambda r: (r["place"] or {}).get("id") == "place:los-angeles-ca"),
    (["--actor", "ICE"], lambda r: "org:ice" in {a["id"] for a in r["actors"]}),
    (["--actor", "org:ice"], lambda r: "org:ice" in {a["id"] for a in r["actors"]}),
    (["--outlet", "oan"], lambda r: any((x["outlet"] or "").lower() == "oan" for x in r["reports"])),
    (["--from", "2025-06", "--to", "2025-09"], lambda r: r["date"] and "2025-06" <= r["date"][:7] <= "2025-09"),
    (["--from", "2025-11-19"], lambda r: r["date"] and r["date"] >= "2025-11-19"),
])
def test_events_filters_keep_exactly_the_matching_events(ledger, args, keep):
    recs = all_records(ledger)
    want = [r["id"] for r in recs if keep(r)]
    got = jsonl(run("events", *args, "--json", "--limit", "100000", db=ledger).stdout)
    assert 0 < len(want) < len(recs), "the filter should pick some events, not all"
    assert [r["id"] for r in got] == want


def test_show_json_and_dossier(ledger):
    recs = all_records(ledger)
    raid = next(r for r in recs if {stem(x["source"]) for x in r["reports"]} >= set(SEED_RAID))
    shown = json.loads(run("show", raid["id"], "--json", db=ledger).stdout)
    check_record(shown)
    assert {k: v for k, v in shown.items() if k != "quotes"} == raid
    text = run("show", raid["id"], db=ledger).stdout
    assert raid["id"] in text and "Los Angeles" in text and "2 independent" in text
    assert re.search(r"attribution conflict.*Daily Mail.*Los Angeles Times|attribution conflict.*Los Angeles Times.*Daily Mail",
                     text)
    troops = next(r for r in recs if any(g["conflict"] for g in r["figures"]) and r["type"] == "MOBILIZE")
    text = run("show", troops["id"], db=ledger).stdout
    assert "CONFLICT" in text
    assert "Approximately 1,500 active-duty troops" in text and "Approximately 2,500 active-duty troops" in text
    assert "Second Outlet" in text and "Third Outlet" in text


def test_show_unknown_event_is_a_one_line_error(ledger):
    r = run("show", "ev-0000000000000000", db=ledger, code=2)  # an id that names nothing: asked wrongly
    assert r.stdout == "" and len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("error: no event ev-0000000000000000")


def test_figures_with_filters_and_json(ledger):
    rows = jsonl(run("figures", "--json", "--limit", "100000", db=ledger).stdout)
    assert rows
    keys = {"value", "high", "approx", "kind", "per", "subject", "text", "start", "end", "document_id", "source",
            "outlet", "published", "event_id"}
    for f in rows:
        assert keys <= set(f) and isinstance(f["approx"], bool) and f["value"] <= f["high"]
    personnel = jsonl(run("figures", "--kind", "personnel", "--json", db=ledger).stdout)
    assert personnel and all(f["kind"] == "personnel" for f in personnel)
    assert len(personnel) == sum(f["kind"] == "personnel" for f in rows)
    troops = next(r for r in all_records(ledger) if r["type"] == "MOBILIZE" and any(g["conflict"] for g in r["figures"]))
    of_event = jsonl(run("figures", "--event", troops["id"], "--json", db=ledger).stdout)
    assert {f["event_id"] for f in of_event} == {troops["id"]}
    assert sorted(f["value"] for f in of_event) == sorted(
        v["value"] for g in troops["figures"] for v in g["values"] for _ in v["sources"])
    place = troops["place"]["id"]
    by_entity = jsonl(run("figures", "--entity", place, "--json", db=ledger).stdout)
    assert {f["event_id"] for f in by_entity} >= {troops["id"]}
    header, *table = run("figures", "--kind", "personnel", db=ledger).stdout.splitlines()
    assert header.split() == ["Kind", "Value", "Per", "Words", "Source"]
    assert len(table) == len(personnel) and all(line.startswith("personnel") for line in table)


def test_search_finds_documents_by_their_words(ledger, corpus):
    hits = jsonl(run("search", "Charlotte's Web", "--json", db=ledger).stdout)
    assert hits and stem(hits[0]["source"]) == "d02"
    assert {"id", "source", "title", "outlet", "published", "snippet"} <= set(hits[0])
    assert "[" in hits[0]["snippet"]
    header, *text = run("search", "Charlotte's Web", db=ledger).stdout.splitlines()
    assert header.split() == ["ID", "Source", "Title", "Words"]
    assert len(text) == len(hits) and text[0].startswith(hits[0]["id"][:12])
    none = run("search", "xylophonequartz", db=ledger)
    assert none.stdout == "" and none.stderr == "no documents match 'xylophonequartz'\n"
    for odd in ('"', "AND OR NOT", "(ICE", "col:umn*", "NEAR(a b)"):
        run("search", odd, db=ledger)  # FTS syntax in the words is taken as words, never an error


def test_read_commands_on_a_missing_ledger_are_a_usage_error(tmp_path):
    missing = tmp_path / "nowhere.db"
    for args in (["events"], ["show", "ev-1"], ["figures"], ["search", "ICE"], ["verify"]):
        r = run(*args, db=str(missing), code=2)
        assert r.stderr.startswith("error:") and len(r.stderr.strip().splitlines()) == 1
    assert not missing.exists()
