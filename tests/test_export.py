"""Export: a real ledger built from the corpus through the CLI, exported in each format
and read back with real readers; the flat row and the place locator on hand-made input."""

from __future__ import annotations

import csv
import json
import math
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from eventledger.export import CSV_COLUMNS, Location, PlaceLocator, event_row
from eventledger.store import Store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
    "assoc_actor_1", "actor2", "interaction", "country", "admin1", "admin2", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
]
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([sys.executable, "-m", "eventledger", *args], capture_output=True, text=True,
                       encoding="utf-8", timeout=600)
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (CORPUS / "dev").is_dir() or not (CORPUS / "seeds").is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    db = tmp_path_factory.mktemp("export") / "ledger.db"
    files = sorted(str(p) for d in ("seeds", "dev") for p in (CORPUS / d).glob("*.txt"))
    cli("ingest", *files, "--db", str(db), "-q")
    return db


@pytest.fixture(scope="module")
def event_ids(ledger: Path) -> list[str]:
    out = cli("events", "--db", str(ledger), "--json", "--limit", "1000000").stdout
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids, "the corpus should give at least one ledger event"
    return ids


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        r = csv.DictReader(f)
        return list(r.fieldnames or []), list(r)


def test_csv_has_acled_columns_and_one_row_per_event(ledger, event_ids, tmp_path):
    out = tmp_path / "events.csv"
    cli("export", "--format", "csv", "--db", str(ledger), "-o", str(out))
    header, rows = read_csv(out)
    assert header[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert header == list(CSV_COLUMNS)
    assert [r["event_id_cnty"] for r in rows] == event_ids
    for r in rows:
        d = r["event_date"]
        if d:
            assert ISO_DATE.match(d), d
            date.fromisoformat(d if len(d) == 10 else (d + "-01-01")[:10])
            assert r["year"] == d[:4]
            assert r["time_precision"] == ("1" if len(d) == 10 else "3")
        else:
            assert r["year"] == r["time_precision"] == ""
        if r["latitude"] or r["longitude"]:
            lat, lon = float(r["latitude"]), float(r["longitude"])
            assert -90 <= lat <= 90 and -180 <= lon <= 180
            assert r["geo_precision"] in ("1", "2", "3")
        else:
            assert r["latitude"] == r["longitude"] == r["geo_precision"] == ""
        assert r["event_type"] and r["event_type"].isupper()
        assert r["sub_event_type"] == r["mode"]
        assert int(r["reports"]) >= 1 and int(r["independent_sources"]) >= 1
        assert r["figure_conflict"] in ("true", "false") and r["attribution_conflict"] in ("true", "false")
        assert all(re.fullmatch(r"[0-9a-f]{64}", i) for i in r["document_ids"].split(";"))
        assert r["notes"] and "\n" not in r["notes"]
        assert r["review_status"] == "unreviewed"


def test_csv_places_carry_country_and_state(ledger, tmp_path):
    out = tmp_path / "events.csv"
    cli("export", "--db", str(ledger), "-o", str(out))
    _, rows = read_csv(out)
    located = [r for r in rows if r["geo_precision"] == "1" and r["country"] == "United States"]
    assert located, "the corpus has events in named US cities"
    assert all(r["admin1"] for r in located)


def test_jsonl_records_are_those_of_events_json(ledger, event_ids):
    out = cli("export", "--format", "jsonl", "--db", str(ledger)).stdout
    recs = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in recs] == event_ids
    keys = {"id", "type", "mode", "date", "date_precision", "place", "actors", "reports", "independent_sources",
            "figures", "attribution_conflicts", "review"}
    assert all(keys <= set(r) for r in recs)


def test_geojson_is_an_rfc7946_feature_collection(ledger, event_ids, tmp_path):
    out = tmp_path / "events.geojson"
    cli("export", "--format", "geojson", "--db", str(ledger), "-o", str(out))
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    assert "crs" not in fc  # RFC 7946 section 4: no crs member; WGS 84 lon/lat is implied
    assert isinstance(fc["features"], list) and fc["features"]
    assert len(fc["features"]) + fc["skipped_no_coordinates"] == len(event_ids)
    ids = []
    for f in fc["features"]:
        assert f["type"] == "Feature"
        geom = f["geometry"]
        assert geom["type"] == "Point"
        lon, lat = geom["coordinates"]
        assert len(geom["coordinates"]) == 2
        assert all(isinstance(x, (int, float)) and math.isfinite(x) for x in (lon, lat))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = f["properties"]
        assert isinstance(props, dict) and props["event_id_cnty"] == f["id"]
        assert (lat, lon) == (round(props["latitude"], 6), round(props["longitude"], 6))  # [lon, lat] order
        assert set(props) == set(CSV_COLUMNS)
        ids.append(f["id"])
    assert ids == [i for i in event_ids if i in set(ids)]


def test_filter_by_type(ledger, tmp_path):
    out = tmp_path / "coerce.csv"
    cli("export", "--type", "COERCE", "--db", str(ledger), "-o", str(out))
    _, rows = read_csv(out)
    want = cli("events", "--type", "COERCE", "--db", str(ledger), "--json", "--limit", "1000000").stdout.splitlines()
    assert rows and len(rows) == len(want)
    assert {r["event_type"] for r in rows} == {"COERCE"}


# ---- the flat row and the locator on hand-made input ---------------------------------------------

def _value(v, n=1, approx=False, high=None):
    return {"value": v, "high": v if high is None else high, "approx": approx, "per": None,
            "sources": [], "independent_sources": n}


RECORD = {
    "id": "ev-0000000000000001", "type": "ASSAULT", "mode": "firearms", "date": "2025", "date_precision": "year",
    "place": {"id": "place:x", "name": "X", "lat": None, "lon": None},
    "actors": [{"id": "org:a", "name": "A", "kind": "organization"}, {"id": "org:b", "name": "B", "kind": "organization"},
               {"id": "org:c", "name": "C", "kind": "organization"}],
    "reports": [
        {"document_id": "d1", "source": "https://www.example.com/a", "outlet": None, "text": "Two men\nwere killed.",
         "published": None, "copy_of": None, "start": 0, "end": 1},
        {"document_id": "d2", "source": "b.txt", "outlet": "The Paper", "text": "Three died.",
         "published": None, "copy_of": None, "start": 0, "end": 1},
        {"document_id": "d1", "source": "https://www.example.com/a", "outlet": None, "text": "Again.",
         "published": None, "copy_of": None, "start": 0, "end": 1},
    ],
    "independent_sources": 2,
    "figures": [
        {"kind": "casualties", "subject": "people killed", "conflict": True, "values": [_value(3, 1), _value(2, 1)]},
        {"kind": "casualties", "subject": "people injured", "conflict": False, "values": [_value(40, 2, approx=True)]},
        {"kind": "arrests", "subject": "people arrested", "conflict": False, "values": [_value(10, 1, high=12)]},
    ],
    "attribution_conflicts": [],
    "review": {"status": "unreviewed", "by": None, "at": None},
}


def test_event_row_fills_acled_columns():
    row = event_row(RECORD, Location("X", "United States", "Oregon", 45.5, -122.6, 2))
    assert set(row) == set(CSV_COLUMNS)
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2025", 2025, 3)
    assert (row["actor1"], row["actor2"], row["assoc_actor_1"]) == ("A", "B", "C")
    assert row["source"] == "example.com; The Paper"
    assert row["document_ids"] == "d1;d2"
    assert row["notes"] == "Two men were killed."
    assert row["fatalities"] == 2  # the conservative value of conflicting death counts; injuries not counted
    assert row["figures"] == ("casualties=3 (1 source); casualties=2 (1 source); casualties=40~ (2 sources); "
                              "arrests=10-12 (1 source)")
    assert row["figure_conflict"] is True and row["attribution_conflict"] is False
    assert (row["admin1"], row["geo_precision"], row["reports"]) == ("Oregon", 2, 3)


def test_event_row_without_dead_or_place():
    rec = dict(RECORD, figures=[], place=None, date=None, date_precision=None, actors=[])
    row = event_row(rec, Location())
    assert row["fatalities"] is None and row["figures"] is None
    assert row["event_date"] is None and row["time_precision"] is None
    assert row["latitude"] is None and row["geo_precision"] is None and row["actor1"] is None


@pytest.fixture()
def geo_store(tmp_path):
    from eventledger.profile import DEFAULT_PROFILE, load_profile

    prof = tmp_path / "profile"
    prof.mkdir()
    for f in DEFAULT_PROFILE.iterdir():
        if f.suffix in (".toml", ".jsonl") and f.name != "gazetteer.jsonl":
            (prof / f.name).write_bytes(f.read_bytes())
    places = [
        {"id": "place:elm-park", "name": "Elm Park", "type": "park", "within": "place:testville"},
        {"id": "place:testville", "name": "Testville", "type": "city", "lat": 40.5, "lon": -100.25, "within": "place:teststate"},
        {"id": "place:teststate", "name": "Teststate", "type": "state"},
        {"id": "place:tiny-plaza", "name": "Tiny Plaza", "type": "square", "lat": 40.51, "lon": -100.26,
         "within": "place:testville"},
    ]
    (prof / "gazetteer.jsonl").write_text("\n".join(json.dumps(p) for p in places) + "\n", encoding="utf-8")
    store = Store(tmp_path / "ledger.db", load_profile(prof))
    yield store
    store.close()


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        # a park without coordinates: located by its city (ACLED geo_precision 2), state from the chain
        ({"id": "place:elm-park", "name": "Elm Park"}, Location("Elm Park", None, "Teststate", 40.5, -100.25, 2)),
        # a place with its own coordinates below city level
        ({"id": "place:tiny-plaza", "name": "Tiny Plaza"}, Location("Tiny Plaza", None, "Teststate", 40.51, -100.26, 1)),
        ({"id": "place:testville", "name": "Testville"}, Location("Testville", None, "Teststate", 40.5, -100.25, 1)),
        # a state alone: no coordinates, so no precision
        ({"id": "place:teststate", "name": "Teststate"}, Location("Teststate", None, "Teststate", None, None, None)),
        # a place only the pattern finder knows
        ({"id": "place:nowhere-square", "name": "Nowhere Square"}, Location("Nowhere Square")),
    ],
)
def test_locator_follows_the_profile_within_chain(geo_store, place, expected):
    assert PlaceLocator(geo_store)(dict(place, lat=None, lon=None)) == expected


@pytest.mark.parametrize(
    ("place", "country", "admin1", "precision"),
    [
        ({"id": "place:portland-or", "name": "Portland", "lat": 45.52345, "lon": -122.67621}, "United States", "Oregon", 1),
        ({"id": "place:portland-me", "name": "Portland", "lat": None, "lon": None}, "United States", "Maine", 1),
        ({"id": "place:california", "name": "California", "lat": None, "lon": None}, "United States", "California", None),
        ({"id": "place:mexico", "name": "Mexico", "lat": 20.97, "lon": -100.09}, "Mexico", None, 3),
    ],
)
def test_locator_reads_geonames_ids(geo_store, place, country, admin1, precision):
    loc = PlaceLocator(geo_store)(place)
    assert (loc.country, loc.admin1, loc.geo_precision) == (country, admin1, precision)
    assert (loc.lat is None) == (precision is None)
