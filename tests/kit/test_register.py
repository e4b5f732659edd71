"""The staging-site register on parcel files the tests write (GeoJSON and a shapefile made with
pyshp): points inside a parcel, on an edge, outside (with the distance to the nearest), and a
named site with no point; past events only; CSV and GeoJSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from typer.testing import CliRunner

from eventledger.cli import app
from eventledger.kit import register as kr

runner = CliRunner()

# two parcels side by side in a made-up grid near Spokane: a city yard and a private lot, 0.005 degrees square
CITY = [[-117.430, 47.650], [-117.425, 47.650], [-117.425, 47.655], [-117.430, 47.655], [-117.430, 47.650]]
PRIVATE = [[-117.420, 47.650], [-117.415, 47.650], [-117.415, 47.655], [-117.420, 47.655], [-117.420, 47.650]]
UNOWNED = [[-117.410, 47.650], [-117.405, 47.650], [-117.405, 47.655], [-117.410, 47.655], [-117.410, 47.650]]


def _geojson(path):
    feats = [{"type": "Feature", "properties": {"APN": apn, "OwnerName": owner},
              "geometry": {"type": "Polygon", "coordinates": [ring]}}
             for apn, owner, ring in (("35-001", "CITY OF SPOKANE", CITY), ("35-002", "Northside Storage LLC", PRIVATE),
                                      ("35-003", "", UNOWNED))]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return path


def _shapefile(base):
    import shapefile

    with shapefile.Writer(str(base), shapeType=shapefile.POLYGON) as w:
        w.field("APN", "C", size=10)
        w.field("OWNER", "C", size=40)
        w.poly([CITY])
        w.record("35-001", "City of Spokane")
        w.poly([PRIVATE])
        w.record("35-002", "Northside Storage LLC")
    return base.with_suffix(".shp")


POINTS = {  # name: (lat, lon, expected classification, owner, distance)
    "inside the city yard": (47.652, -117.428, "city-owned", "CITY OF SPOKANE", 0.0),
    "on the private lot's edge": (47.652, -117.420, "private", "Northside Storage LLC", 0.0),
    "in the parcel without an owner": (47.652, -117.407, "unknown", None, 0.0),
}


@pytest.mark.parametrize("fmt", ["geojson", "shapefile"])
def test_classify_points(tmp_path, fmt):
    path = _geojson(tmp_path / "p.geojson") if fmt == "geojson" else _shapefile(tmp_path / "parcels")
    name, data = kr.load_parcel_file(path)
    parcels, field = kr.load_parcels(name, data, None, ["City of Spokane"])
    assert field in ("OwnerName", "OWNER") and len(parcels) == (3 if fmt == "geojson" else 2)
    assert kr.classify(47.652, -117.428, parcels)["classification"] == "city-owned"
    edge = kr.classify(47.652, -117.420, parcels)
    assert (edge["classification"], edge["owner"], edge["distance_m"]) == ("private", "Northside Storage LLC", 0.0)
    assert edge["why"] == "on the parcel's edge"
    # between the two parcels, 0.002 degrees of longitude east of the city yard: about 150 m at this latitude
    out = kr.classify(47.652, -117.423, parcels)
    assert out["classification"] == "unknown" and out["owner"].lower() == "city of spokane"
    assert out["distance_m"] == pytest.approx(150.2, abs=1.5)
    # in the city yard 15 m from its east edge; the private lot begins about 390 m further east
    near_edge = (47.652, -117.4252)
    assert kr.classify(*near_edge, parcels, uncertainty_m=100)["classification"] == "city-owned"
    wide = kr.classify(*near_edge, parcels, uncertainty_m=500)
    assert wide["classification"] == "unknown" and "within its uncertainty of 500 m" in wide["why"]
    assert "private parcel (Northside Storage LLC)" in wide["why"]
    nowhere = kr.classify(None, None, parcels)
    assert (nowhere["classification"], nowhere["distance_m"]) == ("unknown", None)


def test_register_in_the_ledger(kstore, raid, tmp_path):
    info = kr.load_layer(kstore, _geojson(tmp_path / "parcels.geojson"), "dana", None, ["city of spokane"])
    assert (info["parcels"], info["city_owned"], info["owner_field"]) == (3, 1, "OwnerName")
    ids = {}
    for name, (lat, lon, *_ ) in POINTS.items():
        ids[name] = kr.add_site(kstore, name, "2025-04-15", "dana", lat, lon, event=raid)
    ids["between the lots"] = kr.add_site(kstore, "between the lots", "2025-04-15", "dana", 47.652, -117.423,
                                          uncertainty_m=200, event=raid)
    ids["the church lot"] = kr.add_site(kstore, "the church lot", "2025-04-14", "dana", event=raid,
                                        note="named in the article, no address")
    rows, layer = kr.register_rows(kstore)
    by = {r["name"]: r for r in rows}
    for name, (_, _, cls, owner, dist) in POINTS.items():
        assert (by[name]["classification"], by[name]["owner"], by[name]["distance_m"]) == (cls, owner, dist), name
    assert by["between the lots"]["classification"] == "unknown" and by["between the lots"]["distance_m"] > 100
    assert by["the church lot"]["classification"] == "unknown" and by["the church lot"]["why"] == "no location recorded"
    ev = by["inside the city yard"]["evidence"]
    assert "arrested 23 people" in ev["text"] and len(ev["document_id"]) == 64
    assert layer["filename"] == "parcels.geojson"
    # CSV and GeoJSON say the same
    table = list(csv.DictReader(io.StringIO(kr.register_csv(rows))))
    assert [t["classification"] for t in table] == [r["classification"] for r in rows]
    assert table[0]["evidence_span"] == f"{ev['start']}-{ev['end']}" or rows[0]["name"] == "the church lot"
    gj = kr.register_geojson(rows, layer)
    church = next(f for f in gj["features"] if f["properties"]["name"] == "the church lot")
    assert church["geometry"] is None
    yard = next(f for f in gj["features"] if f["properties"]["name"] == "inside the city yard")
    assert yard["geometry"]["coordinates"] == [-117.428, 47.652]
    assert kstore.verify() == []


@pytest.mark.parametrize(("kw", "msg"), [
    ({"occurred": "2030-05-01"}, "past events only"),
    ({"occurred": "last week"}, "YYYY-MM-DD"),
    ({"event": None}, "evidence"),
    ({"lat": 47.6}, "both --lat and --lon"),
    ({"lat": 147.6, "lon": -117.4}, "not a place on Earth"),
    ({"event": "ev-nope"}, "no event ev-nope"),
])
def test_bad_sites_refused(kstore, raid, kw, msg):
    args = {"name": "lot", "occurred": "2025-04-15", "lat": None, "lon": None, "event": raid, **kw}
    with pytest.raises(Exception, match=msg):
        kr.add_site(kstore, args["name"], args["occurred"], "dana", args["lat"], args["lon"], event=args["event"],
                    today=date(2026, 1, 1))


@pytest.mark.parametrize(("content", "msg"), [
    ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    ("not json", "not JSON"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"owner": "A"},'
     ' "geometry": {"type": "Point", "coordinates": [0, 0]}}]}', "a parcel is a polygon"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A"},'
     ' "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}]}', "no owner attribute"),
])
def test_bad_parcel_files_named(tmp_path, content, msg):
    p = tmp_path / "bad.geojson"
    p.write_text(content)
    name, data = kr.load_parcel_file(p)
    with pytest.raises(kr.RegisterError, match=msg) as e:
        kr.load_parcels(name, data, None, [])
    assert str(e.value).startswith("bad.geojson: ")


def test_cli_register(ledger, raid, tmp_path):
    db = ["--db", str(ledger)]
    shp = _shapefile(tmp_path / "parcels")
    r = runner.invoke(app, ["register", "parcels", str(shp), "--city-owner", "City of Spokane", "--by", "dana", *db])
    assert r.exit_code == 0, r.output
    assert "2 parcels (1 city-owned)" in r.output
    r = runner.invoke(app, ["register", "add-site", "--name", "yard", "--occurred", "2025-04-15", "--lat", "47.652",
                            "--lon", "-117.428", "--event", raid, "--by", "dana", *db])
    assert r.exit_code == 0 and r.output.strip() == "site-1"
    r = runner.invoke(app, ["register", "add-site", "--name", "later", "--occurred", "2099-01-01", "--event", raid,
                            "--by", "dana", *db])
    assert r.exit_code == 1 and "past events only" in r.output
    out = tmp_path / "sites.geojson"
    assert runner.invoke(app, ["register", "show", "-f", "geojson", "-o", str(out), *db]).exit_code == 0
    f = json.loads(out.read_text())["features"][0]
    assert (f["properties"]["classification"], f["properties"]["owner"]) == ("city-owned", "City of Spokane")
