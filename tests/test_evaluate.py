"""The scoring rules of ../shared/corpus/README.md, on the gold files and on hand-made records."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eventledger.errors import EventLedgerError
from eventledger.evaluate import evaluate_records, format_report, load_gold, norm_name, read_predictions

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not (CORPUS / "dev").is_dir(), reason=f"gold corpus not found at {CORPUS}")


def _perfect(stem: str, g: dict) -> dict:
    """The extraction record a perfect extractor would print for this gold document."""
    ents = [{"kind": kind, "name": e["name"], "aliases": e["aliases"], "lat": e.get("lat"), "lon": e.get("lon")}
            for cat, kind in (("people", "person"), ("organizations", "organization"), ("places", "place"))
            for e in g[cat]]
    return {"document": {"source": f"some/dir/{stem}.txt", "published": g["published"]}, "entities": ents,
            "figures": g["figures"],
            "events": [{"type": e["type"], "date": e["date"], "date_precision": e["precision"]} for e in g["events"]]}


def _gold(**kw: object) -> dict:
    return {"published": None, "people": [], "organizations": [], "places": [], "figures": [], "events": [], **kw}


def _rec(source: str = "a.txt", **kw: object) -> dict:
    return {"document": {"source": source}, "entities": [], "figures": [], "events": [], **kw}


def _counts(rep: dict, cat: str) -> tuple[int, int, int]:
    c = rep["categories"][cat]
    return c["tp"], c["fp"], c["fn"]


@needs_corpus
def test_perfect_predictions_score_one_everywhere() -> None:
    gold = load_gold([CORPUS / "dev", CORPUS / "seeds-gold"])
    assert len(gold) >= 8 and all(g["id"] == stem for stem, g in gold.items())
    rep = evaluate_records([_perfect(k, g) for k, g in gold.items()], gold)
    for cat, c in rep["categories"].items():
        assert (c["precision"], c["recall"], c["f1"]) == (1.0, 1.0, 1.0), cat
    assert rep["geo_accuracy"] == 1.0 and rep["published_accuracy"] == 1.0
    assert rep["coverage"]["gold_without_record"] == 0 and rep["coverage"]["records_without_gold"] == 0
    json.dumps(rep)  # serialisable


@needs_corpus
def test_missing_record_counts_gold_as_missed_and_extra_record_is_ignored() -> None:
    gold = load_gold([CORPUS / "dev"])
    stems = sorted(gold)
    records = [_perfect(k, gold[k]) for k in stems[1:]] + [_rec("elsewhere/zz99.txt")]
    rep = evaluate_records(records, gold)
    cov = rep["coverage"]
    assert (cov["gold_without_record"], cov["gold_without_record_names"]) == (1, [stems[0]])
    assert (cov["records_without_gold"], cov["records_without_gold_names"]) == (1, ["zz99"])
    people = gold[stems[0]]["people"]
    assert _counts(rep, "people")[1:] == (0, len(people))
    assert rep["documents"][stems[0]]["people"]["missed"] == [p["name"] for p in people]


@pytest.mark.parametrize(("raw", "key"), [
    ("The  U.S. Marine Corps’", "us marine corps"),
    ("Lowe’s", "lowes"), ("Lowe's", "lowes"),
    ("Pérez  Álvarez", "perez alvarez"),
    ("the Home Depot", "home depot"),
    ("Theodore", "theodore"),
    ("snake_case", "snakecase"),
])
def test_normalisation(raw: str, key: str) -> None:
    assert norm_name(raw) == key


@pytest.mark.parametrize("pred", [
    {"name": "ICE", "aliases": []},                                     # name equals a gold alias
    {"name": "Immigration agency", "aliases": ["I.C.E."]},              # only an alias matches
    {"name": "the U.S. Immigration and Customs Enforcement", "aliases": None},
])
def test_entity_matches_on_any_name_or_alias(pred: dict) -> None:
    gold = {"a": _gold(organizations=[{"name": "U.S. Immigration and Customs Enforcement", "aliases": ["ICE"]}])}
    rep = evaluate_records([_rec(entities=[{"kind": "organization", **pred}])], gold)
    assert _counts(rep, "organizations") == (1, 0, 0)


def test_entity_of_another_kind_does_not_match() -> None:
    gold = {"a": _gold(organizations=[{"name": "Daily Mail", "aliases": []}])}
    rep = evaluate_records([_rec(entities=[{"kind": "person", "name": "Daily Mail", "aliases": []}])], gold)
    assert _counts(rep, "organizations") == (0, 0, 1) and _counts(rep, "people") == (0, 1, 0)
    assert rep["documents"]["a"]["people"]["spurious"] == ["Daily Mail"]


def test_one_to_one_two_predictions_with_the_same_alias_match_once() -> None:
    gold = {"a": _gold(organizations=[{"name": "U.S. Immigration and Customs Enforcement", "aliases": ["ICE"]}])}
    ents = [{"kind": "organization", "name": "ICE", "aliases": []}, {"kind": "organization", "name": "Ice", "aliases": []}]
    assert _counts(evaluate_records([_rec(entities=ents)], gold), "organizations") == (1, 1, 0)


def test_matching_is_maximum_not_greedy() -> None:
    # Greedy would give the first prediction to "Karen Bass" and leave the second unmatched.
    gold = {"a": _gold(people=[{"name": "Karen Bass", "aliases": ["Bass"]}, {"name": "Bass", "aliases": []}])}
    ents = [{"kind": "person", "name": "Bass", "aliases": ["Karen Bass"]}, {"kind": "person", "name": "Karen Bass", "aliases": []}]
    assert _counts(evaluate_records([_rec(entities=ents)], gold), "people") == (2, 0, 0)


def test_figures_wrong_kind_fails_strict_passes_loose_repeats_once_other_ignored() -> None:
    gold = {"a": _gold(figures=[{"value": 118, "high": 118, "kind": "arrests"},
                                {"value": 118, "high": 118, "kind": "arrests"},   # repeated in a recap
                                {"value": 5, "high": 5, "kind": "other"}])}
    figs = [{"value": 118.0, "high": 118, "kind": "crowd"}, {"value": 118, "high": 118.0, "kind": "crowd"},
            {"value": 7, "high": 7, "kind": "other"}, {"value": 5, "high": 5, "kind": "other"}]
    rep = evaluate_records([_rec(figures=figs)], gold)
    assert _counts(rep, "figures_strict") == (0, 1, 1)
    assert _counts(rep, "figures_loose") == (1, 0, 0)
    assert rep["documents"]["a"]["figures_strict"] == {"missed": ["arrests:118"], "spurious": ["crowd:118"]}


def test_figures_compare_numbers_value_and_high() -> None:
    gold = {"a": _gold(figures=[{"value": 2.3, "high": 2.3, "kind": "percent"},
                                {"value": 1000, "high": 1200, "kind": "arrests"},
                                {"value": 3700000, "high": 3700000, "kind": "money"}])}
    figs = [{"value": 23 / 10, "high": 2.3000000001, "kind": "percent"},
            {"value": 1000, "high": 1000, "kind": "arrests"},               # range's high is wrong
            {"value": 3.7e6, "high": None, "kind": "money"},                # high null: same as value
            {"value": None, "high": None, "kind": "people"}]                # unusable: spurious, no crash
    rep = evaluate_records([_rec(figures=figs)], gold)
    assert _counts(rep, "figures_strict") == (2, 2, 1)
    assert rep["documents"]["a"]["figures_strict"]["missed"] == ["arrests:1000-1200"]


@pytest.mark.parametrize(("gold_event", "pred_event", "hit"), [
    ({"date": "2025-06-08", "precision": "day"}, {"date": "2025-06-08", "date_precision": "day"}, True),
    ({"date": "2025-06-08", "precision": "day"}, {"date": "2025-06-09", "date_precision": "day"}, False),
    ({"date": "2025-06-08", "precision": "day"}, {"date": "2025-06", "date_precision": "month"}, False),
    ({"date": "2025-06", "precision": "month"}, {"date": "2025-06-07", "date_precision": "day"}, True),
    ({"date": "2025-06", "precision": "month"}, {"date": "2025-06", "date_precision": "month"}, True),
    ({"date": "2025-06", "precision": "month"}, {"date": "2025-07-01", "date_precision": "day"}, False),
    ({"date": "2025-06", "precision": "month"}, {"date": "2025", "date_precision": "year"}, False),
    ({"date": "2025-06", "precision": "month"}, {"date": None, "date_precision": None}, None),
])
def test_event_dates(gold_event: dict, pred_event: dict, hit: bool | None) -> None:
    """hit None: an undated prediction, not scored, so the gold event is only missed."""
    gold = {"a": _gold(events=[{"type": "COERCE", **gold_event}])}
    rep = evaluate_records([_rec(events=[{"type": "COERCE", **pred_event}])], gold)
    assert _counts(rep, "events") == ((1, 0, 0) if hit else (0, 0, 1) if hit is None else (0, 1, 1))


def test_events_need_the_same_type_and_match_one_to_one() -> None:
    gold = {"a": _gold(events=[{"type": "COERCE", "date": "2025-06", "precision": "month"},
                               {"type": "COERCE", "date": "2025-06-06", "precision": "day"}])}
    preds = [{"type": "COERCE", "date": "2025-06-06"}, {"type": "COERCE", "date": "2025-06-20"},
             {"type": "PROTEST", "date": "2025-06-06"}]
    rep = evaluate_records([_rec(events=preds)], gold)
    assert _counts(rep, "events") == (2, 1, 0)  # greedy could pair 06-06 with the month event and lose one
    assert rep["documents"]["a"]["events"]["spurious"] == ["PROTEST@2025-06-06"]


def test_geo_tolerance_counts_matched_places_with_gold_coordinates() -> None:
    gold = {"a": _gold(places=[
        {"name": "Los Angeles", "aliases": [], "lat": 34.05, "lon": -118.24, "tolerance_km": 15},
        {"name": "Chicago", "aliases": [], "lat": 41.88, "lon": -87.63, "tolerance_km": 15},
        {"name": "Dodger Stadium", "aliases": [], "lat": 34.0739, "lon": -118.24, "tolerance_km": 2},
        {"name": "Elm Street", "aliases": []}])}                              # no coordinates: not checked
    ents = [{"kind": "place", "name": "Los Angeles", "lat": 34.1, "lon": -118.3},   # ~8 km: within
            {"kind": "place", "name": "Chicago", "lat": 40.0, "lon": -87.6},        # ~209 km: outside
            {"kind": "place", "name": "Dodger Stadium", "lat": None, "lon": None},  # no point: outside
            {"kind": "place", "name": "Elm Street", "lat": 0, "lon": 0}]
    rep = evaluate_records([_rec(entities=ents)], gold)
    assert rep["geo"] == {"checked": 3, "within": 1} and rep["geo_accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    off = {o["name"]: o["km"] for o in rep["documents"]["a"]["geo_off"]}
    assert off["Dodger Stadium"] is None and 200 < off["Chicago"] < 220


def test_published_accuracy_over_documents_with_a_gold_date() -> None:
    gold = {"a": _gold(published="2025-06-10"), "b": _gold(published="2025-06-11"), "c": _gold()}
    preds = [_rec("a.txt"), _rec("b.html"), _rec("c.txt")]
    preds[0]["document"]["published"] = "2025-06-10"
    preds[1]["document"]["published"] = "2025-06"
    preds[2]["document"]["published"] = "2025-01-01"  # gold states no date: not counted
    rep = evaluate_records(preds, gold)
    assert rep["published"] == {"documents": 2, "correct": 1} and rep["published_accuracy"] == 0.5


def test_records_meet_gold_by_basename_without_extension() -> None:
    gold = {"d01": _gold(people=[{"name": "Karen Bass", "aliases": []}])}
    ent = [{"kind": "person", "name": "Karen Bass", "aliases": []}]
    for source in ("d01.txt", "/abs/path/d01.html", "C:\\corpus\\d01.txt", "d01"):
        assert _counts(evaluate_records([_rec(source, entities=ent)], gold), "people") == (1, 0, 0), source


def test_report_ends_with_the_summary_table() -> None:
    gold = {"a": _gold(published="2025-06-10", people=[{"name": "Karen Bass", "aliases": []}])}
    text = format_report(evaluate_records([_rec(entities=[{"kind": "person", "name": "Tom Homan"}])], gold))
    assert "missed ['Karen Bass'] spurious ['Tom Homan']" in text
    tail = text.splitlines()[-15:]
    assert any(line.startswith("documents: 1 with gold") for line in tail)
    for cat in ("people", "organizations", "places", "figures_strict", "figures_loose", "events",
                "geo accuracy", "published"):
        assert any(line.startswith(cat) for line in tail), cat


def test_bad_prediction_line_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "p.jsonl"
    p.write_text('{"document": {"source": "a.txt"}}\n\n{oops\n', encoding="utf-8")
    with pytest.raises(EventLedgerError, match=r"p\.jsonl:3: not JSON"):
        read_predictions(p)
    p.write_text('[1, 2]\n', encoding="utf-8")
    with pytest.raises(EventLedgerError, match=r"p\.jsonl:1: not an extraction record"):
        read_predictions(p)


def test_bad_gold_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "ok.json").write_text(json.dumps(_gold()), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"people": [\n', encoding="utf-8")
    with pytest.raises(EventLedgerError, match=r"bad\.json"):
        load_gold([tmp_path])
    with pytest.raises(EventLedgerError, match="not found"):
        load_gold([tmp_path / "absent"])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eventledger", "evaluate", *args], capture_output=True, text=True)


@needs_corpus
def test_cli_scores_a_predictions_file(tmp_path: Path) -> None:
    dev = CORPUS / "dev"
    gold = load_gold([dev])
    preds = tmp_path / "preds.jsonl"
    preds.write_text("".join(json.dumps(_perfect(k, g)) + "\n" for k, g in gold.items()), encoding="utf-8")
    out = tmp_path / "out.json"
    r = _cli("--gold", str(dev), str(preds), "--json", str(out))
    assert r.returncode == 0, r.stderr
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["coverage"]["scored_records"] == len(gold)
    assert all(c["f1"] == 1.0 for c in rep["categories"].values())
    assert "published" in r.stdout.splitlines()[-2] and "undated events" in r.stdout.splitlines()[-1]


@needs_corpus
def test_cli_bad_input_and_usage_errors(tmp_path: Path) -> None:
    preds = tmp_path / "preds.jsonl"
    preds.write_text("{oops\n", encoding="utf-8")
    r = _cli("--gold", str(CORPUS / "dev"), str(preds))
    # an input that cannot be read fails (1), as in extract and ingest; a missing option is usage (2)
    assert r.returncode == 1 and "preds.jsonl:1" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert _cli(str(preds)).returncode == 2  # no --gold


@needs_corpus
def test_cli_extracts_texts_on_the_fly() -> None:
    r = _cli("--gold", str(CORPUS / "dev"), "--texts", str(CORPUS / "dev" / "d01.txt"))
    assert r.returncode == 0, r.stderr
    assert "1 scored" in r.stdout and "7 gold without record" in r.stdout


@needs_corpus
def test_cli_texts_with_a_bad_file_still_scores_the_rest_and_exits_1(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = _cli("--gold", str(CORPUS / "dev"), "--texts", str(CORPUS / "dev" / "d01.txt"), "--texts", str(empty))
    assert r.returncode == 1
    assert "empty.txt" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "1 scored" in r.stdout


def test_url_only_dates_are_not_scored_on_plain_text_input() -> None:
    gold = {"a": _gold(published="2025-06-10", published_source="url"),
            "b": _gold(published="2025-06-11", published_source="text")}
    preds = [_perfect("a", gold["a"]), _perfect("b", gold["b"])]
    preds[0]["document"]["published"] = None
    rep = evaluate_records(preds, gold)
    assert rep["published"] == {"documents": 1, "correct": 1}
    preds[0]["document"]["source"] = "https://example.com/2025/06/10/a"
    preds[0]["document"]["url"] = "https://example.com/2025/06/10/a"
    rep = evaluate_records(preds, gold)
    assert rep["published"] == {"documents": 2, "correct": 1}


def test_undated_predicted_events_are_counted_apart_not_scored() -> None:
    gold = {"a": _gold(events=[{"type": "PROTEST", "date": "2025-06-08", "precision": "day"}])}
    rec = _perfect("a", gold["a"])
    rec["events"].append({"type": "COERCE", "date": None, "date_precision": None})
    rep = evaluate_records([rec], gold)
    assert rep["categories"]["events"]["fp"] == 0 and rep["categories"]["events"]["tp"] == 1
    assert rep["undated_events"] == 1
    assert "undated events" in format_report(rep)
    rec["events"].append({"type": "COERCE", "date": "2025-06-09", "date_precision": "day"})
    assert evaluate_records([rec], gold)["categories"]["events"]["fp"] == 1
