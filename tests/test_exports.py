"""FollowTheMoney, PLOVER, Frictionless and Datasette exports of a real ledger (the corpus
seeds and dev texts ingested through the CLI into a temporary SQLite file), each checked
with the tool that reads the format."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from eventledger.export import CSV_COLUMNS, export_events
from eventledger.exports.datapackage import datapackage_descriptor, export_datapackage
from eventledger.exports.datasette import datasette_metadata
from eventledger.headline import event_headline, event_label
from eventledger.profile import PLOVER_TYPES, load_profile
from eventledger.store import Store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def cli(*args: str) -> str:
    r = subprocess.run([sys.executable, "-m", "eventledger", *args], capture_output=True, text=True,
                       encoding="utf-8", timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (CORPUS / "dev").is_dir() or not (CORPUS / "seeds").is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    db = tmp_path_factory.mktemp("exports") / "ledger.db"
    files = sorted(str(p) for d in ("seeds", "dev") for p in (CORPUS / d).glob("*.txt"))
    cli("ingest", *files, "--db", str(db), "-q")
    return db


@pytest.fixture(scope="module")
def records(ledger: Path) -> list[dict]:
    out = cli("events", "--db", str(ledger), "--json", "--limit", "1000000")
    recs = [json.loads(line) for line in out.splitlines()]
    assert recs
    return recs


@pytest.fixture(scope="module")
def texts(ledger: Path) -> dict[str, str]:
    with sqlite3.connect(ledger) as c:
        return dict(c.execute("select id, text from documents"))


def export(ledger: Path, fmt: str) -> list[dict]:
    buf = io.StringIO()
    store = Store(ledger)
    try:
        res = export_events(store, fmt, buf)
    finally:
        store.close()
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert res.written > 0
    return lines


# ---- FollowTheMoney --------------------------------------------------------------------------------

def test_ftm_entities_validate_one_by_one(ledger, records):
    from followthemoney import model

    entities = export(ledger, "ftm")
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids)), "a shared entity is written once"
    for data in entities:
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract, data["schema"]
        assert schema.validate(data) is None
        for prop in schema.required:
            assert data["properties"].get(prop), f"{data['schema']} {data['id']} lacks {prop}"
        # cleaning by the library keeps every value: none was invalid for its type
        assert model.get_proxy(data, cleaned=False).to_dict() == model.get_proxy(data).to_dict()
    # every reference points at an entity of the export
    known = set(ids)
    for data in entities:
        schema = model.get(data["schema"])
        for prop, values in data["properties"].items():
            if schema.properties[prop].type.name == "entity":
                assert set(values) <= known, (data["schema"], prop)


def test_ftm_events_carry_headline_label_dates_and_provenance(ledger, records, texts):
    entities = export(ledger, "ftm")
    by_id = {e["id"]: e for e in entities}
    events = [e for e in entities if e["schema"] == "Event"]
    profile = load_profile()
    assert [e["properties"]["recordId"][0] for e in events] == [r["id"] for r in records]
    for rec, ev in zip(records, events):
        props = ev["properties"]
        assert props["name"] == [event_headline(rec, profile)]
        assert props["summary"] == [event_label(rec, profile)]
        assert props.get("date", []) == ([rec["date"]] if rec["date"] else [])
        docs = [by_id[i] for i in props["proof"]]
        assert {d["properties"]["notes"][0].rsplit(" ", 1)[1] for d in docs} == {r["document_id"] for r in rec["reports"]}
        for note in props["notes"]:  # each note names the document and span of its sentence
            doc_id = note.rsplit("[document ", 1)[1].split(",")[0]
            start, end = (int(x) for x in note.rsplit("characters ", 1)[1].rstrip("]").split("-"))
            assert " ".join(texts[doc_id][start:end].split()) in note
        actors = [by_id[i] for i in props.get("involved", [])]
        assert sorted(a["properties"]["name"][0] for a in actors) == sorted(a["name"] for a in rec["actors"])


# ---- PLOVER ---------------------------------------------------------------------------------------

def test_plover_records(ledger, records, texts):
    lines = export(ledger, "plover")
    assert [x["id"] for x in lines] == [r["id"] for r in records]
    for rec, p in zip(records, lines):
        for key in ("id", "date", "source", "target", "event", "mode", "context", "text", "textInfo", "language",
                    "publication", "coder"):
            assert key in p
        assert p["event"] in PLOVER_TYPES and p["event"] == rec["type"]
        assert p["date"] == (rec["date"] or "") and p["datePrecision"] == rec["date_precision"]
        info = p["textInfo"]
        assert " ".join(texts[info["documentId"]][info["start"]:info["end"]].split()) == p["text"]
        for r in p["reports"]:
            assert texts[r["documentId"]][r["start"]:r["end"]] == r["text"]
        assert [a["entityId"] for a in p["source"]] == [a["id"] for a in rec["actors"]]
        if "dead" in p:
            assert p["dead"] >= 0


# ---- Frictionless ---------------------------------------------------------------------------------

def test_datapackage_describes_every_csv_column():
    desc = datapackage_descriptor("events.csv")
    assert [f["name"] for f in desc["resources"][0]["schema"]["fields"]] == list(CSV_COLUMNS)


def test_frictionless_accepts_the_data_package_and_catches_bad_rows(ledger, records, tmp_path):
    from frictionless import validate

    store = Store(ledger)
    try:
        res = export_datapackage(store, tmp_path / "pkg")
    finally:
        store.close()
    path = tmp_path / "pkg" / "datapackage.json"
    assert res.written == len(records) and path.is_file()
    report = validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with (tmp_path / "pkg" / "events.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["event_id_cnty"] for r in rows] == [r["id"] for r in records]
    # the validator reads the data against the schema: a date said in words fails it
    bad = tmp_path / "bad"
    shutil.copytree(tmp_path / "pkg", bad)
    rows[0]["event_date"] = "June 2025"
    rows[-1]["figure_conflict"] = "maybe"
    with (bad / "events.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        w.writeheader()
        w.writerows(rows)
    report = validate(str(bad / "datapackage.json"))
    assert not report.valid
    errors = {(e[0], e[1]) for e in report.flatten(["fieldName", "type"])}
    assert ("event_date", "constraint-error") in errors
    assert ("figure_conflict", "type-error") in errors


# ---- Datasette ------------------------------------------------------------------------------------

def datasette_get(db: Path, metadata: Path, path: str):
    pytest.importorskip("datasette")
    exe = Path(sys.executable).with_name("datasette")
    r = subprocess.run([str(exe), str(db), "-m", str(metadata), "--get", path], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_datasette_opens_the_ledger_with_labels_facets_and_search(ledger, records, tmp_path):
    md = tmp_path / "metadata.json"
    md.write_text(json.dumps(datasette_metadata(db_name=ledger.stem)), encoding="utf-8")
    name = ledger.stem
    events = datasette_get(ledger, md, f"/{name}/events.json")
    facets = events["facet_results"]
    facets = facets.get("results", facets)
    assert {"type", "mode", "date_precision", "review_status"} <= set(facets)
    assert sum(x["count"] for x in facets["type"]["results"]) == len(records)
    plain = datasette_get(ledger, md, f"/{name}/events_in_plain_words.json?_shape=array&_size=max")
    profile = load_profile()
    assert {r["id"]: r["label"] for r in plain} == {r["id"]: event_label(r, profile) for r in records}
    table = datasette_get(ledger, md, f"/{name}/documents.json?_search=federal&_shape=array&_col=source")
    assert table, "the documents table searches its full-text index"
    meta = datasette_get(ledger, md, "/-/metadata.json")
    assert meta["databases"][name]["tables"]["events"]["title"] == "Events"


# ---- the CLI offers every export -----------------------------------------------------------------

def cli_run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eventledger", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=600)


def test_export_help_names_every_format_of_the_exports_package():
    import eventledger.exports

    modules = {p.stem for p in Path(eventledger.exports.__file__).parent.glob("*.py")} - {"__init__", "fatalities"}
    assert {"ftm", "plover", "datapackage", "datasette"} <= modules
    r = cli_run("export", "--help")
    assert r.returncode == 0, r.stderr
    flat = " ".join(r.stdout.split())
    for fmt in sorted(modules | {"csv", "jsonl", "geojson"}):
        assert f"{fmt}:" in flat, f"export --help does not describe {fmt}"


def test_cli_export_ftm_entities_validate(ledger, records, tmp_path):
    from followthemoney import model

    out = tmp_path / "events.ftm.json"
    r = cli_run("export", "--format", "ftm", "--db", str(ledger), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert f"exported {len(records)} events as ftm" in r.stderr
    entities = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    events = [e for e in entities if e["schema"] == "Event"]
    assert [e["properties"]["recordId"][0] for e in events] == [rec["id"] for rec in records]
    for data in entities:
        assert model.get(data["schema"]).validate(data) is None


def test_cli_export_plover_keeps_the_selection(ledger, records):
    type_ = records[0]["type"]
    r = cli_run("export", "--format", "plover", "--db", str(ledger), "--type", type_)
    assert r.returncode == 0, r.stderr
    got = [json.loads(x) for x in r.stdout.splitlines()]
    assert [p["id"] for p in got] == [rec["id"] for rec in records if rec["type"] == type_]
    assert all(p["event"] == type_ for p in got)


def test_cli_export_datapackage_writes_a_valid_folder(ledger, records, tmp_path):
    from frictionless import validate

    pkg = tmp_path / "pkg"
    r = cli_run("export", "--format", "datapackage", "--db", str(ledger), "-o", str(pkg), "--limit", "5")
    assert r.returncode == 0, r.stderr
    assert "exported 5 events as datapackage" in r.stderr
    report = validate(str(pkg / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with (pkg / "events.csv").open(encoding="utf-8", newline="") as f:
        assert [row["event_id_cnty"] for row in csv.DictReader(f)] == [rec["id"] for rec in records[:5]]


def test_cli_export_datapackage_needs_a_folder(ledger):
    r = cli_run("export", "--format", "datapackage", "--db", str(ledger))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines() == ["error: --format datapackage writes a folder: give it with -o DIR"]


def test_cli_export_datasette_metadata_opens_the_ledger(ledger, records, tmp_path):
    md = tmp_path / "metadata.json"
    r = cli_run("export", "--format", "datasette", "--db", str(ledger), "-o", str(md))
    assert r.returncode == 0, r.stderr
    meta = json.loads(md.read_text(encoding="utf-8"))
    assert meta == datasette_metadata(db_name=ledger.stem)
    events = datasette_get(ledger, md, f"/{ledger.stem}/events.json")
    facets = events["facet_results"]
    assert "type" in facets.get("results", facets)


def test_cli_export_datasette_refuses_filters(ledger):
    r = cli_run("export", "--format", "datasette", "--db", str(ledger), "--type", "PROTEST")
    assert r.returncode == 2 and "filters and --limit do not apply" in r.stderr


def test_cli_export_an_unknown_format_is_a_usage_error(ledger):
    r = cli_run("export", "--format", "xlsx", "--db", str(ledger))
    assert r.returncode == 2 and "xlsx" in r.stderr
