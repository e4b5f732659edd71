"""The scoring rules of ../shared/corpus/README.md, on gold files and hand-made records."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from eventledger.errors import EventLedgerError
from eventledger.evaluate import evaluate_records, load_gold, norm_name, read_predictions


def _record(stem, g):
    ents = []
    for cat, kind in (("people", "person"), ("organizations", "organization"), ("places", "place")):
        for e in g[cat]:
            ents.append({"kind": kind, "name": e["name"], "aliases": e["aliases"], "lat": e.get("lat"), "lon": e.get("lon")})
    return {
        "document": {"source": f"x/{stem}.txt", "published": g["published"]},
        "entities": ents,
        "figures": g["figures"],
        "events": [{**e, "date_precision": e["precision"]} for e in g["events"]],
    }


def _gold(**kw):
    base = {"published": None, "people": [], "organizations": [], "places": [], "figures": [], "events": []}
    base.update(kw)
    return base


def test_perfect_predictions_score_one(corpus):
    gold = load_gold([corpus / "dev", corpus / "seeds-gold"])
    rep = evaluate_records([_record(k, g) for k, g in gold.items()], gold)
    for cat, c in rep["categories"].items():
        assert c["f1"] == 1.0, cat
    assert rep["published_accuracy"] == 1.0
    assert rep["geo_accuracy"] == 1.0


def test_normalisation():
    assert norm_name("The  U.S. Marine Corps’") == "us marine corps"
    assert norm_name("Lowe’s") == norm_name("Lowe's") == "lowes"
    assert norm_name("Pérez") == "perez"


def test_alias_match_and_one_to_one():
    gold = {"a": _gold(organizations=[{"name": "U.S. Immigration and Customs Enforcement", "aliases": ["ICE"]}])}
    preds = [{"document": {"source": "a.txt"}, "entities": [
        {"kind": "organization", "name": "ICE", "aliases": []},
        {"kind": "organization", "name": "Ice", "aliases": []}], "figures": [], "events": []}]
    c = evaluate_records(preds, gold)["categories"]["organizations"]
    assert (c["tp"], c["fp"], c["fn"]) == (1, 1, 0)


def test_bipartite_not_greedy():
    gold = {"a": _gold(people=[{"name": "Karen Bass", "aliases": ["Bass"]}, {"name": "Bass", "aliases": []}])}
    preds = [{"document": {"source": "a.txt"}, "entities": [
        {"kind": "person", "name": "Bass", "aliases": ["Karen Bass"]},
        {"kind": "person", "name": "Karen Bass", "aliases": []}], "figures": [], "events": []}]
    assert evaluate_records(preds, gold)["categories"]["people"]["tp"] == 2


def test_figures_strict_loose_repeats_and_other():
    gold = {"a": _gold(figures=[{"value": 118, "high": 118, "kind": "arrests"}, {"value": 5, "high": 5, "kind": "other"}])}
    preds = [{"document": {"source": "a.txt"}, "entities": [], "events": [], "figures": [
        {"value": 118.0, "high": 118, "kind": "crowd"}, {"value": 118, "high": 118, "kind": "crowd"},
        {"value": 7, "high": 7, "kind": "other"}]}]
    rep = evaluate_records(preds, gold)["categories"]
    assert (rep["figures_strict"]["tp"], rep["figures_strict"]["fp"], rep["figures_strict"]["fn"]) == (0, 1, 1)
    assert (rep["figures_loose"]["tp"], rep["figures_loose"]["fp"], rep["figures_loose"]["fn"]) == (1, 0, 0)


def test_events_month_precision_and_null_dates():
    gold = {"a": _gold(events=[{"type": "COERCE", "date": "2025-06", "precision": "month"},
                               {"type": "PROTEST", "date": "2025-06-08", "precision": "day"}])}
    preds = [{"document": {"source": "a.txt"}, "entities": [], "figures": [], "events": [
        {"type": "COERCE", "date": "2025-06-07"}, {"type": "PROTEST", "date": "2025-06"}, {"type": "PROTEST", "date": None}]}]
    c = evaluate_records(preds, gold)["categories"]["events"]
    assert (c["tp"], c["fp"], c["fn"]) == (1, 2, 1)


def test_geo_tolerance_and_published():
    gold = {"a": _gold(published="2025-06-10", places=[{"name": "Los Angeles", "aliases": [], "lat": 34.05, "lon": -118.24, "tolerance_km": 15}]),
            "b": _gold(published="2025-06-11", places=[{"name": "Chicago", "aliases": [], "lat": 41.88, "lon": -87.63, "tolerance_km": 15}])}
    preds = [{"document": {"source": "a.txt", "published": "2025-06-10"}, "figures": [], "events": [],
              "entities": [{"kind": "place", "name": "Los Angeles", "aliases": [], "lat": 34.1, "lon": -118.3}]},
             {"document": {"source": "b.txt", "published": "2025-06"}, "figures": [], "events": [],
              "entities": [{"kind": "place", "name": "Chicago", "aliases": [], "lat": 40.0, "lon": -87.6}]}]
    rep = evaluate_records(preds, gold)
    assert rep["geo_accuracy"] == 0.5
    assert rep["published_accuracy"] == 0.5


def test_bad_prediction_line_names_file_and_line(tmp_path):
    p = tmp_path / "p.jsonl"
    p.write_text('{"document": {}}\n{oops\n', encoding="utf-8")
    with pytest.raises(EventLedgerError, match=r"p\.jsonl:2"):
        read_predictions(p)


def test_cli_files_and_texts(corpus, tmp_path):
    preds = tmp_path / "p.jsonl"
    with preds.open("w") as f:
        subprocess.run([sys.executable, "-m", "eventledger", "extract", "--no-text", *sorted(map(str, (corpus / "dev").glob("*.txt")))],
                       stdout=f, check=True)
    out = tmp_path / "s.json"
    r = subprocess.run([sys.executable, "-m", "eventledger", "evaluate", "--gold", str(corpus / "dev"), str(preds), "--json", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "people" in r.stdout and "published" in r.stdout
    assert json.loads(out.read_text())["coverage"]["scored_records"] == 8
    r2 = subprocess.run([sys.executable, "-m", "eventledger", "evaluate", "--gold", str(corpus / "dev"), "--texts", str(corpus / "dev" / "d01.txt")],
                        capture_output=True, text=True)
    assert r2.returncode == 0, r2.stderr
